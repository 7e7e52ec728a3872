// Loads the module named on the command line as a browser or edge runtime would: no `process` global
// while it evaluates, and no Node built-in module resolvable from it (hooks.mjs). Then lints one body
// and prints the rule IDs it breaks.
import { register } from "node:module";

register("./hooks.mjs", import.meta.url);
const node = globalThis.process;
globalThis.process = undefined;
let loaded;
try {
  loaded = await import(node.argv[2]);
} finally {
  globalThis.process = node;
}
const result = loaded.lintRequest(
  { model: "seedance2.0-720p", prompt: "a cat", duration: 99 },
  { endpoint: "POST /v1/video/generations" },
);
console.log(result.errors.map((finding) => finding.rule).join(","));
