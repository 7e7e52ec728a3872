// Calls that must compile under `tsc --strict` (tests/test_typescript.py).
import Uniall, { lintRequest, RequestInvalid, TaskFailed, type Finding, type Task, type VideosRequest } from "../../generated/typescript/index.mjs";

export async function correctCalls(client: Uniall): Promise<Task[]> {
  const video = await client.videos.create({ model: "seedance2.0-720p", prompt: "a lighthouse at dusk", duration: 5 });
  const stringDuration = await client.videos.create({ model: "seedance2.0-720p", prompt: "dusk", duration: "10", aspect_ratio: "16:9" });
  const kling = await client.videos.create({ model: "kling-v3-pro-audio", prompt: "a kite", duration: 5 });
  const image = await client.images.create({ model: "NanoBanana", prompt: "a red kite", aspect_ratio: "1:1" });
  const speech = await client.audio.create({ model: "minimax-speech-2.8-hd", text: "hello" });
  const done = await client.videos.wait(video, { timeout: 60_000, signal: AbortSignal.timeout(60_000) });
  const files: string[] = await client.videos.download(done, "out/", { overwrite: false });
  const ids: string[] = await client.models.list();
  const request: VideosRequest = { model: "sora2-landscape-4s", prompt: "a kite" };
  await client.videos.create(request, { validate: false, extraHeaders: { "X-Mock-Scenario": "fail" } });
  try {
    await client.videos.wait("task_1", { model: "seedance2.0-720p" });
  } catch (error) {
    if (error instanceof TaskFailed) console.log(error.task.error, files, ids);
    if (error instanceof RequestInvalid) console.log(error.findings[0]?.rule);
  }
  const linted: Finding[] = lintRequest({ model: "seedance2.0-720p", prompt: "x" }, { endpoint: "POST /v1/video/generations" }).errors;
  const warned = new Uniall({ onWarning: (finding: Finding) => console.warn(finding.rule, linted.length) });
  console.log(warned.models);
  return [video, stringDuration, kling, image, speech, done];
}
