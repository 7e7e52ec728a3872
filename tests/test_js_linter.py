"""The JavaScript linter (``uniall_lint.mjs``) against the Python linter: identical findings.

Both are rendered from the same IR of the rules (``generator/lint_ir.py``). Here both lint the same
JSON texts, each reading them with its own reader: the docs' request examples, the property-test
corpus of ``tests/strategies.py`` (every valid base and seed mutations of every (endpoint, model,
mode)), valid bases with each top-level value swapped or dropped, texts that are not valid JSON,
and Hypothesis draws of valid, mutated and arbitrary bodies. The results (rule IDs, pointers,
severities, messages, doc links, model, endpoint, mode; or the input error) must be identical.

The fixed corpus goes through one Node process as JSONL on stdin; the Hypothesis draws through a
second Node process kept open for the whole module. Generating never needs Node; this test does
(skipped, saying so, only where no ``node`` is installed).
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import types
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.example_lint import compile_linter
from generator.lint_js import render_js_linter

from . import strategies as S

NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed (the JS linter needs Node 18+)")

W = S.world()
TRIPLES = sorted(W.contexts, key=lambda t: t.id)
WORKER = Path(__file__).resolve().parent / "js" / "lint_worker.mjs"
SWAPS: tuple[Any, ...] = (None, True, 0, -1.5, 1.0, "", "x", [], [{}], {}, {"k": 1}, 10**30, 1e16, 2.5e-7, "é😀")
SWAPS += (
    "http://127.0.0.1/a.png",
    "data:image/png;base64,AAAA",
    "https://example.com/a.gif",
    ["http://10.0.0.1/a.mp4"],
)

# Texts Python's json module refuses, each in its own way (the reader must say what Python says).
BAD_TEXTS = (
    "",
    "   ",
    "{",
    "[",
    '{"a"',
    '{"a":',
    '{"a" 1}',
    '{"a": 1,}',
    '{"a": 1 "b": 2}',
    "[1,]",
    "[1 2]",
    '{"a": 1}{"b": 2}',
    '{"a": 1}\n{"b": 2}',
    "{'a': 1}",
    '{"a": NaN}',
    '{"a": Infinity}',
    '{"a": -Infinity}',
    '{"a": 1e400}',
    '{"a": -1e999}',
    '{"a": ' + "9" * 400 + "}",
    '{"a": ' + "9" * 309 + "}",
    '{"a": "\\x"}',
    '{"a": "\\u12"}',
    '{"a": "\\uZZZZ"}',
    '{"a": "\\ud800\\uZZZZ"}',
    '{"a": "tab\there"}',
    '{"a": "unterminated',
    '{"a": "ends with backslash\\',
    "nul",
    "-",
    "01",
    "1.",
    "1e",
    "-x",
    '{"a": tru}',
    '\n\n  {"model": "x", }',
    '{"模型": 1,}',
    '["😀", ]',
    '{"😀模型": 1,\n  "b" 2}',
    "[" * 100_000 + "]" * 100_000,  # past any recursion limit Python may run with
)
# Texts it reads, in forms JavaScript numbers and objects lose (float forms, huge integers, key order).
ODD_TEXTS = (
    '{"model": 1.0}',
    '{"model": [1.0, 2, 1e16, 12345678901234567890, -0.0, -0]}',
    '{"model": {"2": 1, "b": 2, "1": 3, "__proto__": 4}}',
    '{"a": 1, "a": 2}',
    '{"model": "seedance2.0-720p", "duration": 5.0, "10": 1, "seed": 1e300, "prompt": "x"}',
    '{"model": "seedance2.0-720p", "duration": 99.0, "prompt": "x"}',
    '{"model": "seedance2.0-720p", "duration": 123456789012345678901234567890, "prompt": "x"}',
    '{"model": "seedance2.0-720p", "duration": 1e-7, "prompt": "x"}',
    '{"model": "seedance2.0-720p", "duration": "\\ud800\\udc00\\ud800", "prompt": ""}',
)


@cache
def python_linter() -> types.ModuleType:
    return compile_linter(W.spec)


@pytest.fixture(scope="module")
def js_linter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("jslint") / "uniall_lint.mjs"
    path.write_text(render_js_linter(W.spec), encoding="utf-8")
    return path


def python_result(text: str, endpoint: str | None) -> dict[str, Any]:
    lint = python_linter()
    try:
        body = lint._loads(text)
    except lint._InputError as exc:
        return {"input_error": str(exc)}
    finally:
        del lint._REPEATED[:]
    result: dict[str, Any] = lint.lint_request(body, endpoint).to_dict()
    return result


def line(text: str, endpoint: str | None) -> str:
    return json.dumps({"text": text, "endpoint": endpoint}) + "\n"


def js_results(linter: Path, requests: list[tuple[str, str | None]]) -> list[dict[str, Any]]:
    """Every request through one Node process, as JSONL on stdin."""
    assert NODE is not None
    run = subprocess.run(
        [NODE, str(WORKER), str(linter)],
        input="".join(line(text, endpoint) for text, endpoint in requests),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    return [json.loads(out) for out in run.stdout.splitlines()]


def text_of(body: Any) -> str:
    return json.dumps(body)  # ASCII escapes: lone surrogates survive the trip through UTF-8


def swapped(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in sorted(body):
        if key == "model":
            continue
        for value in SWAPS:
            yield {**body, key: value}
        yield {k: v for k, v in body.items() if k != key}
    yield {**body, "not_a_documented_field": 1, "modle": 1}


def typos(body: dict[str, Any]) -> Iterator[str]:
    """Near misses of the body's field names: one and two edits, case and punctuation, and far misses."""
    for name in sorted(body):
        yield name[1:]
        yield name[:-1] + "x"
        yield name[:2] + name[3:4] + name[2:3] + name[4:]
        yield name[:-2] + "xy"
        yield name[:-3] + "xyz"
        yield name.upper().replace("_", "-")
        yield "x" + name + "x"
        yield name[::-1]
        yield name * 40  # long enough for difflib's "popular character" heuristic
    names = sorted(body)
    for a, b in itertools.pairwise(names):
        yield a[: len(a) // 2] + b[len(b) // 2 :]  # between two names: ties broken as Python breaks them
        yield a[:3] + b[-3:]


def corpus() -> dict[str, list[tuple[str, str | None]]]:
    parts: dict[str, list[tuple[str, str | None]]] = {
        "docs examples": [(text_of(e.body), e.endpoint) for e in W.docs],
        "valid bases": [],
        "seed mutations": [],
        "swapped or dropped values": [],
        "unreadable texts": [(text, None) for text in BAD_TEXTS],
        "odd numbers and keys": [(text, None) for text in ODD_TEXTS],
        "misspelt fields": [],
    }
    for triple in TRIPLES:
        ctx = W.contexts[triple]
        parts["valid bases"] += [(text_of(body), triple.endpoint) for body in ctx.bases]
        for rule in ctx.breakable():
            parts["seed mutations"] += [(text_of(mt.body), mt.endpoint) for mt in ctx.seeds(rule)[:2]]
    for triple in TRIPLES[::2]:
        for body in W.contexts[triple].bases[:1]:
            parts["swapped or dropped values"] += [(text_of(v), triple.endpoint) for v in swapped(body)]
    for triple in TRIPLES[::4]:
        body = W.contexts[triple].bases[0]
        parts["misspelt fields"] += [(text_of({**body, typo: 1}), triple.endpoint) for typo in typos(body)]
    endpoints = [None, *sorted(W.oracle.endpoints), "GET /nowhere", "POST  /v1/video/generations/"]
    parts["endpoint spellings"] = [(text_of(W.docs[i].body), e) for i, e in enumerate(endpoints)]
    return parts


def test_identical_findings_on_the_corpus(js_linter: Path) -> None:
    parts = corpus()
    requests = [r for part in parts.values() for r in part]
    got = js_results(js_linter, requests)
    assert len(got) == len(requests)
    differences = [
        (text, endpoint, js, want)
        for (text, endpoint), js in zip(requests, got, strict=True)
        if js != (want := python_result(text, endpoint))
    ]
    assert not differences, f"{len(differences)} of {len(requests)} differ; first: {differences[0]!r:.3000}"
    counts = {name: len(part) for name, part in parts.items()}
    print(f"JS and Python linters agree on {len(requests)} requests: {counts}")
    assert counts["docs examples"] > 300 and counts["seed mutations"] > 1500
    assert counts["swapped or dropped values"] > 3000 and counts["misspelt fields"] > 1000
    findings = sum(len(r.get("errors", ())) + len(r.get("warnings", ())) for r in got)
    assert findings > 10000  # the comparison covers findings, not only clean requests


class _Worker:
    """One Node process kept open: a request per line in, a result per line out."""

    def __init__(self, linter: Path) -> None:
        assert NODE is not None
        self.process = subprocess.Popen(
            [NODE, str(WORKER), str(linter)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )

    def lint(self, text: str, endpoint: str | None) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line(text, endpoint))
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        assert answer, "the Node worker stopped"
        result: dict[str, Any] = json.loads(answer)
        return result

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def worker(js_linter: Path) -> Iterator[_Worker]:
    running = _Worker(js_linter)
    yield running
    running.close()


def assert_same(worker: _Worker, body: Any, endpoint: str | None) -> None:
    text = text_of(body)
    assert worker.lint(text, endpoint) == python_result(text, endpoint), f"differ on {endpoint} {text:.1500}"


@settings(max_examples=150)
@given(data=st.data())
def test_drawn_valid_and_mutated_requests(worker: _Worker, data: st.DataObject) -> None:
    triple = data.draw(st.sampled_from(TRIPLES), label="triple")
    assert_same(worker, data.draw(S.valid_requests(triple.endpoint, triple.model, triple.mode)), triple.endpoint)
    mutant = data.draw(S.invalid_requests(triple.endpoint, triple.model, triple.mode), label="mutant")
    assert_same(worker, mutant.body, mutant.endpoint)


@settings(max_examples=150)
@given(body=S.fuzz_bodies(10**400, 6), endpoint=st.one_of(st.none(), st.sampled_from(sorted(W.oracle.endpoints))))
def test_drawn_bodies_with_arbitrary_values(worker: _Worker, body: Any, endpoint: str | None) -> None:
    assert_same(worker, body, endpoint)


def test_lint_request_on_javascript_values(js_linter: Path) -> None:
    """The importable API on plain JS values: integral numbers read as integers, as JSON.parse gives them."""
    assert NODE is not None
    body, wrong = next(
        (b, w)
        for t in TRIPLES
        for b in W.contexts[t].bases
        if "duration" in b and python_result(json.dumps(w := {**b, "duration": 10**6, "bogus": True}), None)["errors"]
    )
    script = (
        f"import {{ lintRequest }} from {json.dumps(js_linter.as_uri())};\n"
        f"console.log(JSON.stringify([lintRequest({json.dumps(body)}), lintRequest({json.dumps(wrong)}), "
        "lintRequest([]), lintRequest({model: 'x'}, {endpoint: 'GET /nowhere'}), "
        f"lintRequest({{...{json.dumps(body)}, duration: NaN}})]));\n"
    )
    run = subprocess.run([NODE, "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    got = json.loads(run.stdout)
    want = [python_result(json.dumps(b), None) for b in (body, wrong, [])]
    want.append(python_result('{"model": "x"}', "GET /nowhere"))
    want.append(python_linter().lint_request({**body, "duration": float("nan")}).to_dict())  # JSON has no NaN
    assert got == want
    assert got[1]["errors"] and any(v["pointer"] == "/bogus" for v in got[1]["warnings"])
    assert any(v["pointer"] == "/duration" for v in got[4]["errors"])
