// The generated TypeScript client's behaviour over real HTTP against `uniall mock` (started by
// tests/test_typescript.py, which passes its URL in UNIALL_BASE_URL). Node's own test runner.
import assert from "node:assert/strict";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { test } from "node:test";

import Uniall, {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  RateLimitError,
  RequestInvalid,
  TaskFailed,
  TaskTimeout,
  taskFromPayload,
} from "../../generated/typescript/index.mjs";

const baseURL = process.env.UNIALL_BASE_URL;
const client = new Uniall({ apiKey: "sk-test", baseURL, maxRetries: 2 });
const seedance = { model: "seedance2.0-720p", prompt: "a lighthouse at dusk", duration: 5 };

test("create, wait and download a video", async () => {
  const task = await client.videos.create(seedance);
  assert.equal(task.status, "queued");
  assert.match(task.id, /^task_mock_/);
  const done = await client.videos.wait(task, { timeout: 30_000 });
  assert.equal(done.status, "completed");
  assert.equal(done.progress, 100);
  const directory = await mkdtemp(join(tmpdir(), "uniall-ts-"));
  const [file] = await client.videos.download(done, directory);
  const bytes = await readFile(file);
  assert.equal(bytes.subarray(4, 8).toString("latin1"), "ftyp");
});

test("download never overwrites unless asked", async () => {
  const done = await client.videos.wait(await client.videos.create(seedance), { timeout: 30_000 });
  const directory = await mkdtemp(join(tmpdir(), "uniall-ts-"));
  const [first] = await client.videos.download(done, directory);
  await writeFile(first, "mine");
  await assert.rejects(client.videos.download(done, directory), /exists; pass \{ overwrite: true \}/);
  assert.equal(await readFile(first, "utf8"), "mine");
  await client.videos.download(done, directory, { overwrite: true });
  assert.notEqual(await readFile(first, "utf8"), "mine");
});

test("image tasks read through the documented envelope and status words", async () => {
  const task = await client.images.create({ model: "NanoBanana", prompt: "a red kite" });
  const done = await client.images.wait(task, { timeout: 30_000 });
  assert.equal(done.status, "completed");
  assert.ok(done.urls.length >= 1);
});

test("a task the server fails raises TaskFailed with the documented error", async () => {
  const task = await client.videos.create({ model: "sora2-landscape-4s", prompt: "x" }, { extraHeaders: { "X-Mock-Scenario": "fail" } });
  await assert.rejects(client.videos.wait(task, { timeout: 30_000 }), (error) => error instanceof TaskFailed && /fail/.test(error.task.error));
});

test("wait is bounded and says how to go on", async () => {
  const task = await client.videos.create({ model: "sora2-landscape-4s", prompt: "x" }, { extraHeaders: { "X-Mock-Scenario": "timeout" } });
  await assert.rejects(client.videos.wait(task, { timeout: 300 }), (error) => error instanceof TaskTimeout && /wait again/.test(error.message));
});

test("wait honours an AbortSignal", async () => {
  const task = await client.videos.create({ model: "sora2-landscape-4s", prompt: "x" }, { extraHeaders: { "X-Mock-Scenario": "timeout" } });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("stop")), 100);
  await assert.rejects(client.videos.wait(task, { timeout: 30_000, signal: controller.signal }), /stop/);
});

test("a create declined with 429 and Retry-After is retried once; a server error on create is not", async () => {
  const task = await client.videos.create(seedance, { extraHeaders: { "X-Mock-Scenario": "rate-limit:1" } });
  assert.equal(task.status, "queued");
  const noRetry = new Uniall({ apiKey: "sk-test", baseURL, maxRetries: 0 });
  await assert.rejects(noRetry.videos.create(seedance, { extraHeaders: { "X-Mock-Scenario": "rate-limit" } }), RateLimitError);
  const log = async () => (await (await fetch(`${baseURL}/__mock/requests`)).json()).requests;
  const before = (await log()).length;
  await assert.rejects(client.videos.create(seedance, { extraHeaders: { "X-Mock-Scenario": "server-error" } }), (e) => e.status === 503);
  assert.equal((await log()).length - before, 1, "a create that may have been received is never repeated");
});

test("the server's validation error surfaces as BadRequestError with its code", async () => {
  await assert.rejects(
    client.videos.create({ ...seedance, duration: 99 }, { validate: false }),
    (error) => error instanceof BadRequestError && error.code === "invalid_request_parameter",
  );
});

test("an unknown model is refused before any request", async () => {
  await assert.rejects(client.videos.create({ ...seedance, model: "seedance-9" }), (error) => error instanceof RequestInvalid && error.findings[0].rule === "common.unknown-model");
});

test("a wrong key gives AuthenticationError without the key in the message", async () => {
  // The mock accepts any non-empty key unless started with --key; the test server accepts only sk-test.
  const wrong = new Uniall({ apiKey: "sk-wrong-secret", baseURL });
  await assert.rejects(wrong.account.balance(), (error) => error instanceof AuthenticationError && !error.message.includes("sk-wrong-secret"));
});

async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test("an unreachable host is an APIConnectionError naming host and reason", async () => {
  const port = await closedPort();
  const nowhere = new Uniall({ apiKey: "sk-test", baseURL: `http://127.0.0.1:${port}`, maxRetries: 0 });
  await assert.rejects(
    nowhere.account.balance(),
    (error) => error instanceof APIConnectionError && error.message.includes(`127.0.0.1:${port}`) && /ECONNREFUSED/.test(error.message),
  );
});

test("balance and the model list", async () => {
  const balance = await client.account.balance();
  assert.equal(balance.data.object, "api_key_balance");
  const models = await client.models.list();
  assert.ok(models.includes("seedance2.0-720p"));
});

test("taskFromPayload reads a documented chat-completion chunk", () => {
  const chunk = { id: "c1", object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "https://cdn.example.com/a.mp4" } }] };
  const task = taskFromPayload(chunk, "sora2-landscape-4s");
  assert.equal(task.status, "completed");
  assert.deepEqual([...task.urls], ["https://cdn.example.com/a.mp4"]);
});
