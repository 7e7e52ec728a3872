// Wrong calls: each line after `@ts-expect-error` must be a compile error. tsc fails this file if
// any marked line compiles (an unused @ts-expect-error is itself an error).
import Uniall from "../../generated/typescript/index.mjs";

export async function wrongCalls(client: Uniall): Promise<void> {
  // @ts-expect-error a duration outside the model's documented set
  await client.videos.create({ model: "seedance2.0-720p", prompt: "x", duration: 99 });
  // @ts-expect-error a misspelt field
  await client.videos.create({ model: "seedance2.0-720p", prompt: "x", duration: 5, duraton: 5 });
  // @ts-expect-error a misspelt model ID
  await client.videos.create({ model: "seedance-2.0-720p", prompt: "x", duration: 5 });
  // @ts-expect-error a required field left out (seedance needs duration)
  await client.videos.create({ model: "seedance2.0-720p", prompt: "x" });
  // @ts-expect-error an aspect ratio the model does not take
  await client.videos.create({ model: "seedance2.0-720p", prompt: "x", duration: 5, aspect_ratio: "2:1" });
  // @ts-expect-error a string duration outside the set
  await client.videos.create({ model: "seedance2.0-720p", prompt: "x", duration: "99" });
  // @ts-expect-error a video model on the images resource
  await client.images.create({ model: "seedance2.0-720p", prompt: "x", duration: 5 });
  // @ts-expect-error the wrong JSON type
  await client.images.create({ model: "NanoBanana", prompt: 5 });
  // @ts-expect-error a size another resolution's model takes
  await client.videos.create({ model: "seedance2.0-720p", prompt: "x", duration: 5, size: "1080p" });
  // @ts-expect-error a field the model never takes (gpt-image-2 has no aspect_ratio)
  await client.images.create({ model: "gpt-image-2", prompt: "x", aspect_ratio: "1:1" });
  // @ts-expect-error a value outside a fixed set inside a nested object
  await client.images.create({ model: "gemini-3.1-flash-image-preview-1k", generationConfig: { imageConfig: { aspectRatio: "2:1" } } });
}

export async function wrongReads(client: Uniall): Promise<void> {
  const balance = await client.account.balance();
  // @ts-expect-error a misspelt property of the Balance shape
  console.log(balance.data.balanse);
  // @ts-expect-error a literal the Balance shape does not allow
  const display: "EUR" = balance.data.balance.quota_display_type;
  const video = await client.videos.create({ model: "seedance2.0-720p", prompt: "x", duration: 5 });
  // @ts-expect-error VideoTask has no `data` (that is the image envelope)
  console.log(video.raw.data);
  const done = await client.videos.wait(video);
  // @ts-expect-error a misspelt property of the polled VideoTask
  console.log(done.raw.video_urll);
  const openai = await client.images.create({ model: "gpt-image-2-auto", prompt: "x" });
  // @ts-expect-error ImageResult's items have no `href`
  console.log(openai.raw.data[0]?.href);
  const gemini = await client.images.create({ model: "gemini-3.1-flash-image-preview-1k" });
  // @ts-expect-error GenerateContentResponse's candidates have no `text`
  console.log(gemini.raw.candidates[0]?.text);
  const voices = await client.voices.list();
  // @ts-expect-error VoiceList items have `voice_id`, not `id`
  console.log(voices.data[0]?.id);
  const kling = await client.videos.create({ model: "kling-v3-pro-audio" });
  // @ts-expect-error an undocumented create answer is `unknown` until narrowed
  console.log(kling.raw.id);
  console.log(display);
}
