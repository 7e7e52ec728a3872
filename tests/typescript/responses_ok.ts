// Typed responses that must compile under `tsc --strict` (tests/test_typescript.py): each answer carries
// the spec's response shape for the model asked for, down to nested fields and literal values.
import Uniall, {
  type Balance,
  type GenerateContentResponse,
  type ImageResult,
  type ImageTask,
  type ImageTaskEnvelope,
  type Task,
  type VideoTask,
  type VoiceCreated,
  type VoiceList,
} from "../../generated/typescript/index.mjs";

export async function typedAnswers(client: Uniall): Promise<unknown[]> {
  const balance: Balance = await client.account.balance();
  const quota: number | undefined = balance.data.balance.quota;
  const display: "USD" | "CNY" | "CUSTOM" | "TOKENS" | undefined = balance.data.balance.quota_display_type;
  const marker: "api_key_balance" = balance.data.object;

  const video = await client.videos.create({ model: "seedance2.0-720p", prompt: "dusk", duration: 5 });
  const submitted: VideoTask = video.raw;
  const videoStatus: string = video.raw.status;
  const done = await client.videos.wait(video, { timeout: 60_000 });
  const polled: VideoTask = done.raw;
  const nested: string | undefined = done.raw.result?.video_url ?? undefined;
  const byId = await client.videos.retrieve("task_1", { model: "seedance2.0-720p" });
  const retrieved: VideoTask = byId.raw;
  const untypedModel: Task = await client.videos.wait("task_2");

  const queued = await client.images.create({ model: "NanoBanana", prompt: "a kite" });
  const imageTask: ImageTask = queued.raw;
  const imageDone = await client.images.wait(queued);
  const envelope: ImageTaskEnvelope = imageDone.raw;

  const openai = await client.images.create({ model: "gpt-image-2-auto", prompt: "a kite" });
  const images: ImageResult = openai.raw;
  const firstUrl: string | undefined = openai.raw.data[0]?.url;

  const gemini = await client.images.create({ model: "gemini-3.1-flash-image-preview-1k", contents: [{ parts: [{ text: "a kite" }] }] });
  const content: GenerateContentResponse = gemini.raw;
  const bytes: string | undefined = gemini.raw.candidates[0]?.content?.parts?.[0]?.inlineData?.data;

  const voice: VoiceCreated = await client.voices.clone({ model: "minimax-voice-clone", audio_url: "https://example.com/a.mp3" });
  const voices: VoiceList = await client.voices.list();
  const voiceId: string | undefined = voices.data[0]?.voice_id;

  // A create answer the docs print no shape for stays `unknown`: narrow it yourself.
  const kling = await client.videos.create({ model: "kling-v3-pro-audio", prompt: "a kite" });
  const undocumented: unknown = kling.raw;
  return [quota, display, marker, submitted, videoStatus, polled, nested, retrieved, untypedModel, imageTask, envelope, images, firstUrl, content, bytes, voice, voiceId, undocumented];
}
