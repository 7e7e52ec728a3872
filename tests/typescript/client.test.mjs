// The generated TypeScript client's behaviour over real HTTP against `uniall mock` (started by
// tests/test_typescript.py, which passes its URL in UNIALL_BASE_URL). Node's own test runner.
import assert from "node:assert/strict";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { createServer as createHttpServer } from "node:http";
import { createServer } from "node:net";
import { basename, join } from "node:path";
import { test } from "node:test";
import { inspect } from "node:util";

import Uniall, {
  APIConnectionError,
  AuthenticationError,
  BadRequestError,
  DownloadExists,
  UniallError,
  RateLimitError,
  RequestInvalid,
  TaskFailed,
  TaskTimeout,
  taskFromPayload,
} from "../../generated/typescript/index.mjs";
import { MODELS } from "../../generated/typescript/spec.mjs";
import { lintRequest as standaloneLint } from "../../generated/lint/uniall_lint.mjs";

const baseURL = process.env.UNIALL_BASE_URL;
const client = new Uniall({ apiKey: "sk-test", baseURL, maxRetries: 2 });
const seedance = { model: "seedance2.0-720p", prompt: "a lighthouse at dusk", duration: 5 };

const log = async () => (await (await fetch(`${baseURL}/__mock/requests`)).json()).requests;

test("create, wait and download a video", async () => {
  const task = await client.videos.create(seedance);
  assert.equal(task.status, "queued");
  assert.match(task.id, /^task_mock_/);
  assert.equal(task.requestedModel, "seedance2.0-720p");
  const done = await client.videos.wait(task, { timeout: 30_000 });
  assert.equal(done.status, "completed");
  assert.equal(done.progress, 100);
  assert.equal(done.raw.id, task.id, "raw is the query answer, a VideoTask");
  const directory = await mkdtemp(join(tmpdir(), "uniall-ts-"));
  const [file] = await client.videos.download(done, directory);
  assert.equal(basename(file), `${task.id}-0.mp4`, "named as the Python client names it");
  const bytes = await readFile(file);
  assert.equal(bytes.subarray(4, 8).toString("latin1"), "ftyp");
});

test("download never overwrites unless asked, and fetches nothing when it refuses", async () => {
  const done = await client.videos.wait(await client.videos.create(seedance), { timeout: 30_000 });
  const directory = await mkdtemp(join(tmpdir(), "uniall-ts-"));
  const [first] = await client.videos.download(done, directory);
  await writeFile(first, "mine");
  const before = (await log()).length;
  await assert.rejects(
    client.videos.download(done, directory),
    (error) => error instanceof DownloadExists && error.path === first && /exists; pass \{ overwrite: true \}/.test(error.message),
  );
  assert.equal((await log()).length, before, "no request when the target exists");
  assert.equal(await readFile(first, "utf8"), "mine");
  assert.deepEqual((await readdir(directory)).sort(), [basename(first)], "no temp file left behind");
  await client.videos.download(done, directory, { overwrite: true });
  assert.notEqual(await readFile(first, "utf8"), "mine");
});

test("a task without result URLs downloads from the model's content endpoint, with the key", async () => {
  const task = await client.videos.create({ model: "grok-imagine", prompt: "a kite", duration: 6 });
  await client.videos.wait(task, { timeout: 30_000 });
  const bare = taskFromPayload({ id: task.id, status: "completed" }, "grok-imagine");
  assert.deepEqual([...bare.urls], []);
  const directory = await mkdtemp(join(tmpdir(), "uniall-ts-"));
  const [file] = await client.videos.download(bare, directory);
  assert.equal((await readFile(file)).subarray(4, 8).toString("latin1"), "ftyp");
  const last = (await log()).at(-1);
  assert.equal(last.path, `/v1/videos/${task.id}/content`);
  assert.equal(last.status, 200, "the content endpoint took the key");
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

test("a declined create waits the server's Retry-After before its one retry", async () => {
  const sent = [];
  const timed = new Uniall({ apiKey: "sk-test", baseURL, maxRetries: 2, fetch: (url, init) => (sent.push(Date.now()), fetch(url, init)) });
  // `rate-limit:1` fires once per route and server: another test uses it on the video route.
  await timed.images.create({ model: "NanoBanana", prompt: "a kite" }, { extraHeaders: { "X-Mock-Scenario": "rate-limit:1" } });
  assert.equal(sent.length, 2);
  // The mock answers `Retry-After: 1`; timers never fire early, so the gap is at least 1 s (clock rounding aside).
  assert.ok(sent[1] - sent[0] >= 990, `retried after ${sent[1] - sent[0]} ms`);
});

test("a read is retried after a server error; a create whose connection dropped is not", async () => {
  const before = (await log()).length;
  const balance = await client.account.balance({ extraHeaders: { "X-Mock-Scenario": "server-error:1" } });
  assert.equal(balance.success, true);
  const single = new Uniall({ apiKey: "sk-test", baseURL, maxRetries: 2 });
  const midway = (await log()).length;
  await assert.rejects(single.videos.create(seedance, { extraHeaders: { "X-Mock-Scenario": "drop" } }), APIConnectionError);
  assert.equal((await log()).length - midway, 1, "the dropped create was sent once");
  assert.equal(midway - before, 2, "the balance read was sent twice: the 503, then the retry");
});

test("UNIALL_API_KEY and UNIALL_BASE_URL configure the client; a missing one is named", async () => {
  const saved = process.env.UNIALL_API_KEY;
  try {
    delete process.env.UNIALL_API_KEY;
    assert.throws(() => new Uniall(), (error) => error instanceof UniallError && /UNIALL_API_KEY/.test(error.message));
    process.env.UNIALL_API_KEY = "sk-test";
    const fromEnv = new Uniall();
    assert.equal((await fromEnv.account.balance()).success, true);
  } finally {
    if (saved === undefined) delete process.env.UNIALL_API_KEY;
    else process.env.UNIALL_API_KEY = saved;
  }
});

/** A loopback server that answers every request with `status` and `body(request)`. */
async function answering(status, body) {
  const server = createHttpServer((request, response) => {
    response.writeHead(status, { "content-type": "application/json" });
    response.end(JSON.stringify(body(request)));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

test("the API key is never in an error message, even when the server echoes it, nor in the logged client", async () => {
  const secret = "sk-echoed-secret-42";
  const { server, url } = await answering(401, (request) => ({ success: false, message: `Invalid token ${request.headers.authorization}` }));
  try {
    const echoed = new Uniall({ apiKey: secret, baseURL: url, maxRetries: 0 });
    await assert.rejects(echoed.account.balance(), (error) => error instanceof AuthenticationError && error.message.includes("Invalid token Bearer ***") && !error.message.includes(secret));
    assert.ok(!inspect(echoed, { depth: 10, showHidden: true }).includes(secret));
  } finally {
    server.close();
  }
});

test("422 is a BadRequestError carrying the documented error code", async () => {
  const { server, url } = await answering(422, () => ({ error: { message: "`prompt` is required.", type: "invalid_request_error", code: "invalid_request_parameter" } }));
  try {
    const strict = new Uniall({ apiKey: "sk-test", baseURL: url, maxRetries: 0 });
    await assert.rejects(
      strict.videos.create(seedance),
      (error) => error instanceof BadRequestError && error.status === 422 && error.code === "invalid_request_parameter" && /`prompt` is required/.test(error.message),
    );
  } finally {
    server.close();
  }
});

test("wait polls no sooner than the family's documented interval", async () => {
  const sent = [];
  const watched = new Uniall({ apiKey: "sk-test", baseURL, fetch: (url, init) => (sent.push([init?.method ?? "GET", Date.now()]), fetch(url, init)) });
  const task = await watched.videos.create(seedance);
  await watched.videos.wait(task, { timeout: 30_000 });
  const [low] = MODELS["seedance2.0-720p"].pollSeconds;
  const times = sent.map(([, at]) => at);
  assert.ok(sent.length >= 2 && sent.slice(1).every(([method]) => method === "GET"));
  for (let i = 1; i < times.length; i += 1) assert.ok(times[i] - times[i - 1] >= low * 1000 - 10, `poll ${i} after ${times[i] - times[i - 1]} ms`);
});

test("an invalid body never reaches the server: RequestInvalid carries the linter's findings; validate:false sends it", async () => {
  const body = { ...seedance, duration: 99 };
  const before = (await log()).length;
  const rejected = await client.videos.create(body).then(() => null, (error) => error);
  assert.ok(rejected instanceof RequestInvalid, String(rejected));
  assert.equal((await log()).length, before, "nothing was sent");
  const expected = standaloneLint(body, { endpoint: MODELS["seedance2.0-720p"].create }).errors;
  assert.ok(expected.length >= 1);
  assert.deepEqual(rejected.findings, expected, "the same findings as generated/lint/uniall_lint.mjs");
  const finding = rejected.findings.find((f) => f.pointer === "/duration");
  assert.ok(finding && finding.severity === "error" && /^seedance\./.test(finding.rule) && finding.source.startsWith("https://docs.uniall.ai"));
  assert.ok(rejected.message.includes(finding.rule) && rejected.message.includes("/duration"));
  await assert.rejects(client.videos.create(body, { validate: false }), BadRequestError);
  const sent = (await log()).slice(before);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].body.duration, 99, "validate:false sent the body as given");
});

test("a cross-field rule the types cannot state is caught before sending", async () => {
  // grok-imagine's interface makes `duration` optional; the docs need `duration` or `seconds`.
  const before = (await log()).length;
  await assert.rejects(
    client.videos.create({ model: "grok-imagine", prompt: "a kite" }),
    (error) => error instanceof RequestInvalid && error.findings.some((f) => f.rule === "grok.duration-or-seconds-required"),
  );
  assert.equal((await log()).length, before);
});

test("a linter warning goes to onWarning and the request is still sent", async () => {
  const warned = [];
  const listening = new Uniall({ apiKey: "sk-test", baseURL, onWarning: (finding) => warned.push(finding) });
  const before = (await log()).length;
  const task = await listening.videos.create(seedance, { extraBody: { zz_not_documented: 1 } });
  assert.equal(task.status, "queued");
  assert.equal((await log()).length - before, 1);
  assert.ok(warned.some((f) => f.severity === "warning" && f.rule === "common.unknown-field" && f.pointer === "/zz_not_documented"), JSON.stringify(warned));
});

test("voices are linted too, against their own endpoint", async () => {
  const before = (await log()).length;
  await assert.rejects(client.voices.clone({ model: "minimax-voice-clone" }), (error) => error instanceof RequestInvalid && error.findings.some((f) => f.pointer === "/audio_url"));
  assert.equal((await log()).length, before);
});
