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
}
