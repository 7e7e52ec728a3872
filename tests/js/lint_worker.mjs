// Test harness for tests/test_js_linter.py: lints JSON texts with a given uniall_lint.mjs, one per line.
//
// Usage: node lint_worker.mjs PATH/TO/uniall_lint.mjs < requests.jsonl
// Each input line is {"text": "<a request's JSON text>", "endpoint": "METHOD /path" | null}; each
// output line is lintJson's result, or {"input_error": message} when the text cannot be read.
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";

const linter = await import(pathToFileURL(process.argv[2]).href);
const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { text, endpoint } = JSON.parse(line);
  let result;
  try {
    result = linter.lintJson(text, { endpoint });
  } catch (error) {
    if (!(error instanceof linter.InputError)) throw error;
    result = { input_error: error.message };
  }
  process.stdout.write(JSON.stringify(result) + "\n");
}
