// ajv (draft 2020-12, strict: true, ajv-formats) over generated/schemas: compile every schema, then
// validate a corpus of request bodies with the per-model schema and the endpoint's dispatcher.
// Usage: node ajv_check.cjs SCHEMA_DIR CORPUS.json  ->  JSON on stdout:
//   {"compiled": N, "compile_errors": [{"file", "error"}], "verdicts": [{"model": bool, "dispatcher": bool}]}
// Corpus entries: {"model_schema": "<file under SCHEMA_DIR>", "dispatcher": "<file>", "body": {...}}.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const [schemaDir, corpusFile] = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else if (entry.name.endsWith(".json") && entry.name !== "index.json") files.push(full);
  }
})(schemaDir);

// Strict mode throws on the first complaint; warnings are collected too, so none passes unseen.
const complaints = [];
const logger = { log() {}, warn: (m) => complaints.push(String(m)), error: (m) => complaints.push(String(m)) };
const ajv = new Ajv2020({ strict: true, allErrors: false, logger });
addFormats(ajv);
const byFile = new Map();
const compileErrors = [];
for (const file of files) {
  const schema = JSON.parse(fs.readFileSync(file, "utf8"));
  byFile.set(path.relative(schemaDir, file), schema);
  ajv.addSchema(schema);
}
const validators = new Map();
for (const [rel, schema] of byFile) {
  const before = complaints.length;
  try {
    const validate = ajv.getSchema(schema.$id);
    if (complaints.length > before) compileErrors.push({ file: rel, error: complaints.slice(before).join("; ") });
    else validators.set(rel, validate);
  } catch (e) {
    compileErrors.push({ file: rel, error: e.message });
  }
}
const corpus = corpusFile ? JSON.parse(fs.readFileSync(corpusFile, "utf8")) : [];
const verdicts = corpus.map((entry) => {
  const check = (rel) => {
    const validate = validators.get(rel);
    if (!validate) throw new Error(`no compiled schema ${rel}`);
    return validate(entry.body);
  };
  return { model: check(entry.model_schema), dispatcher: check(entry.dispatcher) };
});
process.stdout.write(JSON.stringify({ compiled: validators.size, compile_errors: compileErrors, verdicts }));
