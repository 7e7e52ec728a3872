"""The JavaScript linter's command line against the Python linter's: same exit code, same output.

``node generated/lint/uniall_lint.mjs`` and ``python3 generated/lint/uniall_lint.py`` run with the
same arguments in the same directory of inputs: JSON files (bare bodies and envelopes, valid,
invalid, with warnings, with repeated keys), JSONL files (blank, unreadable and non-UTF-8 lines, a
BOM), a directory walk (hidden and ``node_modules`` directories skipped, ``--exclude``), a
``pyproject.toml`` with a ``[tool.uniall-lint]`` table, standard input (one request, JSONL), and
bad input and bad options. Every format (text, json, jsonl, github, sarif) must print the same
bytes, and the exit codes must match; stderr is compared only for being free of stack traces and
for being written (or not) by both.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from . import strategies as S
from .test_js_linter import corpus

ROOT = Path(__file__).resolve().parent.parent
PY_LINTER = ROOT / "generated" / "lint" / "uniall_lint.py"
JS_LINTER = ROOT / "generated" / "lint" / "uniall_lint.mjs"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed (the JS linter needs Node 18+)")

W = S.world()


def bodies() -> tuple[dict[str, object], dict[str, object]]:
    """A docs example that is valid, and one with errors and warnings."""
    valid = next(e.body for e in W.docs if isinstance(e.body, dict) and e.body.get("model") == "seedance2.0-720p")
    return valid, {**valid, "duration": 99, "duraton": 5, "bogus": 1.0, "seed": 10**30}


def with_item_findings() -> dict[str, object]:
    """An envelope of a docs example whose array of objects gets two more items with an undocumented key."""
    for e in W.docs:
        body = e.body
        if not isinstance(body, dict) or e.endpoint is None:
            continue
        for key, value in body.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                extra = {**value[0], "not_documented": 1}
                method, path = e.endpoint.split(" ", 1)
                return {"method": method, "path": path, "body": {**body, key: [value[0], extra, extra]}}
    raise AssertionError("no docs example has an array of objects")


def corpus_lines() -> str:
    """Every third request of the findings test's corpus, one per line (a JSONL file of ~11,000 requests)."""
    requests = [text for part in corpus().values() for text, _ in part if "\n" not in text]
    return "".join(text + "\n" for text in requests[::3])


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    top = tmp_path_factory.mktemp("jslint-cli")
    valid, wrong = bodies()
    files: dict[str, bytes | str] = {
        "a-valid.json": json.dumps(valid, indent=2, ensure_ascii=False),
        "b-wrong.json": json.dumps(wrong, indent=2),
        "c-envelope.json": json.dumps({"method": "post", "path": "/v1/video/generations", "body": wrong}, indent=1),
        "d-repeated.json": '{"model": "seedance2.0-720p", "prompt": "x", "prompt": "y",\n "body2": {"k": 1, "k": 2}}',
        "e-envelope-repeated.json": '{"path": "/v1/nowhere", "path": "/v1/video/generations", "body": {"model": "x"}}',
        "f-empty.json": "  \n",
        "g-latin1.json": b'{"model": "caf\xe9"}',
        "h-two-lines.json": json.dumps(valid) + "\n" + json.dumps(wrong) + "\n",
        "i-not-json.json": '{"model": "seedance2.0-720p",\n  "prompt": "x",}',
        "j-lines.jsonl": b"\xef\xbb\xbf"
        + "\n".join([json.dumps(valid), "", "   ", json.dumps(wrong), "{oops", json.dumps([1, 2])]).encode()
        + b'\n{"model": "\xff"}\n',
        "k-empty.jsonl": "\n\n",
        "l-array.json": "[1.0, 2]",
        "m-deep.json": "[" * 3000 + "]" * 3000,
        "n-numbers.json": '{"model": "seedance2.0-720p", "prompt": "x", "duration": 5.0, "seed": 1e400}',
        "o-envelope-bad-method.json": json.dumps({"method": 1, "body": wrong}),
        "v-items.json": json.dumps(with_item_findings(), indent=2),
        "w,odd:name.json": json.dumps(wrong),
        "notes.txt": "not linted",
        ".hidden/x.json": "{",
        "node_modules/x.json": "{",
        "sub/deeper/p-wrong.json": json.dumps(wrong),
        "sub/deeper/q-skip-me.json": "{",
        "sub/r-lines.jsonl": json.dumps(wrong) + "\n" + json.dumps(valid),
        "conf/pyproject.toml": (
            '[tool.uniall-lint]\nignore = [\n  "common.unknown-field",  # noisy\n  "common.misspelt-field",\n]\n'
        ),
        "conf/s-wrong.json": json.dumps(wrong),
        "badconf/pyproject.toml": '[tool.uniall-lint]\nignore = ["common.unknown-feild"]\n',
        "badconf/t.json": json.dumps(valid),
        "corpus/requests.jsonl": corpus_lines(),
    }
    for name, content in files.items():
        path = top / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return top


def run(command: list[str], cwd: Path, stdin: bytes) -> tuple[int, str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    done = subprocess.run(command, cwd=cwd, input=stdin, capture_output=True, timeout=120, env=env, check=False)
    return done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8", "replace")


VALID, WRONG = bodies()
CASES: list[tuple[list[str], bytes]] = []
for fmt in ("text", "json", "jsonl", "github"):
    CASES.append(([".", "--exclude", "corpus", "--format", fmt], b""))
CASES += [
    (["a-valid.json", "b-wrong.json", "missing.json", "--format=json"], b""),
    (["a-valid.json", "--strict"], b""),
    (["w,odd:name.json", "v-items.json", "--format", "github"], b""),
    (["v-items.json", "--format", "json"], b""),
    (["b-wrong.json", "--strict", "--format", "jsonl"], b""),
    (["b-wrong.json", "--ignore", "common.unknown-field,common.misspelt-field", "--format", "json"], b""),
    (["b-wrong.json", "--ignore", "common.unknwn-field"], b""),
    (["b-wrong.json", "--endpoint", "POST /v1/video/generations", "--format", "json"], b""),
    (["b-wrong.json", "--endpoint", "GET /nowhere"], b""),
    ([".", "--exclude", "sub", "--exclude", "*-repeated.json,m-*", "--format", "json"], b""),
    (["sub/deeper/q-skip-me.json", "--exclude", "*q-*"], b""),
    (["h-two-lines.json", "--jsonl", "--format", "json"], b""),
    (["-", "--format", "json"], json.dumps(WRONG).encode()),
    (["-", "--format", "json"], (json.dumps(VALID) + "\n" + json.dumps(WRONG) + "\n\n{bad\n").encode()),
    (["-", "--format", "jsonl"], (json.dumps(WRONG, indent=2) + "\n").encode()),
    (["-"], (json.dumps(VALID) + "\n\n\n").encode()),
    (["-", "--jsonl", "--format", "github"], (json.dumps(WRONG) + "\n").encode() * 12),
    (["-"], b""),
    (["corpus/requests.jsonl", "--format", "jsonl"], b""),
    (["corpus/requests.jsonl", "--format", "text"], b""),
    (["j-lines.jsonl", "--max-request-mb", "1", "--format", "sarif"], b""),
    ([".", "--exclude", "corpus", "--format", "sarif"], b""),
    (["--format", "xml", "."], b""),
    (["--jobs", "-1", "."], b""),
    (["--max-request-mb", "0", "."], b""),
    ([], b""),
    (["--bogus", "."], b""),
]


@pytest.mark.parametrize(("args", "stdin"), CASES, ids=[" ".join(a) or "no-args" for a, _ in CASES])
def test_same_exit_code_and_output(inputs: Path, args: list[str], stdin: bytes) -> None:
    assert NODE is not None
    py = run([sys.executable, str(PY_LINTER), *args], inputs, stdin)
    js = run([NODE, str(JS_LINTER), *args], inputs, stdin)
    assert "Traceback" not in py[2] and "    at " not in js[2], js[2]
    assert js[0] == py[0], f"exit codes differ: node {js[0]}, python {py[0]}; stderr: {js[2]}"
    assert js[1] == py[1]
    assert bool(js[2]) == bool(py[2])
