"""The command line's fast paths around ``lint_request`` against the plain ways they replace (issue #16).

Two shortcuts cut what a large JSONL run spends around the linting itself, and neither may change a byte:

- ``_loads`` parses with json's plain C scanner and keeps the value only when a quote count and a
  number check prove the hooked decoder (``_DECODER``: repeated keys, numbers beyond a double, NaN)
  would have had nothing to say; otherwise it parses again with the hooks. Here both ways parse
  hand-picked texts (every reason to fall back, and texts that must not) and Hypothesis-drawn JSON
  written with random spacing and repeated keys: same value, same repeated keys, same error message.
- ``_Job`` writes json/jsonl items directly and keeps each result's text around its line numbers;
  text lines likewise. Here every docs request example, the same with an unknown field, a wrong
  value or an unknown model, and with findings dropped by ``--ignore``, is rendered both ways in
  json, jsonl and text: the direct text must equal the generic one (``json.dumps`` layout via
  ``_item``, and the text format's documented line layout), first made and when reused from the
  kept texts. And in every format (github and sarif too) a JSONL block must render as its lines
  do one by one in fresh jobs, so nothing kept for one line leaks into another.
"""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable
from functools import cache
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.doc_examples import examples
from generator.docs_snapshot import Snapshot

from . import strategies as S
from .conftest import ROOT

LINTER = ROOT / "generated" / "lint" / "uniall_lint.py"


@cache
def linter() -> ModuleType:
    spec = importlib.util.spec_from_file_location("uniall_lint_equivalence", LINTER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def checked_loads(text: str) -> tuple[str, Any]:
    """What ``_loads`` gave before its fast path: the hooked decoder alone. (outcome, value or message)"""
    lint = linter()
    del lint._REPEATED[:]
    try:
        value = lint._DECODER.decode(text)
    except RecursionError:
        return "error", "JSON nested too deeply to read"
    except ValueError as exc:
        return "error", f"not valid JSON: {exc}"
    return "value", value


def outcome(parse: Callable[[str], Any], text: str) -> tuple[Any, ...]:
    """A parse's result in comparable form: the value as json.dumps writes it (so 1 and 1.0 differ),
    the repeated keys it recorded (with the object holding them), or the error message."""
    lint = linter()
    try:
        got = parse(text)
    except lint._InputError as exc:
        return ("error", str(exc))
    if isinstance(got, tuple) and got[0] == "error":
        return got
    value = got[1] if isinstance(got, tuple) else got
    repeated = [(json.dumps(obj, sort_keys=True), keys) for obj, keys in lint._REPEATED]
    return ("value", json.dumps(value), repeated)


class DecoderCalls:
    """Counts calls of the hooked decoder, to tell a fast-path parse from a fallback."""

    def __init__(self, decoder: Any) -> None:
        self.decoder = decoder
        self.calls = 0

    def decode(self, text: str) -> Any:
        self.calls += 1
        return self.decoder.decode(text)


def fast_parse(text: str) -> tuple[Any, bool]:
    """``_loads(text)``'s outcome and whether it fell back to the hooked decoder."""
    lint = linter()
    counting = DecoderCalls(lint._DECODER)
    lint._DECODER = counting
    try:
        return outcome(lint._loads, text), counting.calls > 0
    finally:
        lint._DECODER = counting.decoder


PLAIN = '{"model": "seedance2.0-720p", "prompt": "a: b", "duration": 5, "ratio": 1.5, "x": [1, "s", {"k": null}]}'
# Texts the scanner alone must take: the hooks would say nothing about them.
FAST = [
    PLAIN,
    '{"a": {"b": [{"c": true}, {"c": false}], "d": {}}, "e": []}\r\n',
    '{"url": "https://e.com/a.png", "n": -0, "f": -0.0, "big": ' + "9" * 308 + "}",
    '{"near": 1.7976931348623157e308, "tiny": 1e-400, "neg": -' + "9" * 300 + "}",
    '{"cjk": "模型 \\u6a21 \U0001f600", "key": "value"}  \t',
    '{"prompt": "say \\"hi\\"", "model": "m"}',  # escaped quotes
    '{"path": "C:\\\\dir\\\\", "q": "\\\\\\"", "k\\"": ["\\\\"]}',  # escaped backslashes before quotes
]
# Texts that must go to the hooked decoder, each for its own reason.
FALLBACK = [
    '{"model": "a", "model": "b"}',  # a repeated key
    '{"a": {"b": [{"k": 1, "k": 2}]}}',  # one nested in an array
    '{"a": 1, "b": {"a": 1, "b": 2}, "b": 3}',  # outer repeat, inner keys equal to outer ones
    '{"body": {"prompt": "x", "prompt": "y"}, "path": "/v1/videos", "path": "/v1/x"}',  # envelope
    '{"prompt": "say \\"hi\\"", "model": "m", "model": "n"}',  # escaped quotes and a repeated key
    '{"a\\\\": 1, "a\\\\": 2}',  # a key ending in an escaped backslash, repeated
    '{"d": 1e400}',  # beyond a double
    '{"d": -1e400}',
    '{"d": NaN}',
    '{"d": Infinity}',
    '{"d": -Infinity}',
    '{"d": ' + "9" * 309 + "}",  # an integer beyond a double
    '{"d": -' + "9" * 309 + "}",
    '{"d": ' + "9" * 5000 + "}",  # past Python's digit limit for int()
    '{"d": [' + ", ".join(["1e999"] * 3) + "]}",
    ' {"model": "m"}',  # leading space: the scanner starts at a value
    '{"model": "m"} {"model": "n"}',  # extra data
    '{"model": "m",}',
    "[1, 2]",
    '"a string"',
    "5",
    "",
    "not json",
    "[" * 100_000 + "]" * 100_000,  # nested too deeply to read
    '{"a": ' * 50_000 + "1" + "}" * 50_000,
]


@pytest.mark.parametrize("text", FAST, ids=range(len(FAST)))
def test_the_scanner_alone_parses_texts_the_hooks_have_nothing_to_say_about(text: str) -> None:
    got, fell_back = fast_parse(text)
    assert got == outcome(checked_loads, text)
    assert not fell_back, "the fast path missed a text it can prove clean"


@pytest.mark.parametrize("text", FALLBACK, ids=range(len(FALLBACK)))
def test_texts_the_hooks_would_judge_are_parsed_again_by_them_with_the_same_outcome(text: str) -> None:
    got, fell_back = fast_parse(text)
    assert got == outcome(checked_loads, text)
    assert fell_back


SPACES = st.sampled_from(["", " ", "\n", "\t", "\r\n  "])


@pytest.mark.parametrize("capped", [True, False])
def test_without_pythons_cap_on_int_digits_a_long_digit_run_skips_the_plain_scanner(
    capped: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The plain scanner converts integers at any length; with Python's int digit cap off (or on a
    Python without it) that is quadratic in the digits, so such texts go to the hooked decoder,
    which refuses a huge integer by its length. Same outcome either way."""
    lint = linter()
    text = '{"model": "x", "seed": ' + "9" * 400 + "}"
    scanned: list[str] = []
    plain = lint._SCAN

    def scan(body: str, at: int) -> Any:
        scanned.append(body)
        return plain(body, at)

    monkeypatch.setattr(lint, "_SCAN", scan)
    monkeypatch.setattr(lint, "_INT_DIGITS_CAPPED", capped)
    assert fast_parse(text)[0] == outcome(checked_loads, text)
    assert bool(scanned) == capped
    scanned.clear()
    short = '{"model": "x", "seed": 12345}'
    assert fast_parse(short) == (outcome(checked_loads, short), False) and scanned == [short]


@st.composite
def json_texts(draw: Callable[..., Any]) -> str:
    """JSON text for a drawn value, with random spacing, and some object keys written twice."""
    value = draw(S.json_values(max_depth=30))

    def write(node: Any) -> str:
        gap = draw(SPACES)
        if isinstance(node, dict):
            pairs = [(json.dumps(k), write(v)) for k, v in node.items()]
            if pairs and draw(st.integers(0, 3)) == 0:  # a key written twice, with another value
                k = draw(st.sampled_from(pairs))[0]
                pairs.insert(draw(st.integers(0, len(pairs) - 1)), (k, write(draw(S.json_values(max_depth=2)))))
            return "{" + gap + ("," + gap).join(f"{k}{draw(SPACES)}:{gap}{v}" for k, v in pairs) + gap + "}"
        if isinstance(node, list):
            return "[" + gap + ("," + gap).join(write(v) for v in node) + gap + "]"
        return json.dumps(node, ensure_ascii=draw(st.booleans()))

    return draw(SPACES) + write(value) + draw(SPACES)


@settings(max_examples=200)
@given(json_texts())
def test_any_json_text_parses_to_what_the_hooked_decoder_gives(text: str) -> None:
    got, _ = fast_parse(text)
    assert got == outcome(checked_loads, text)


# ---- rendering ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(snapshot: Snapshot) -> list[Any]:
    """Lint results of every docs request example, and of each with an unknown field, a wrong value
    (the example's first number or string replaced) and an unknown model: clean, warning and error
    results, a few hundred distinct ones."""
    lint = linter()
    found = []
    for example in examples(snapshot):
        body = example.body
        first = next((k for k, v in body.items() if k != "model" and isinstance(v, (int, str))), None)
        variants = [body, {**body, "undocumented_field": 1}, {**body, "model": body.get("model", "") + "-typo"}]
        if first is not None:
            variants.append({**body, first: [] if isinstance(body[first], str) else "wrong"})
        found += [lint.lint_request(b, example.endpoint) for b in variants]
    return found


def generic_item(job: Any, file: str, line: int | None, result: Any, lines: list[int] | None) -> list[str]:
    """What the json/jsonl formats printed before the direct writer: the item built as a dict, printed
    by ``_item`` (json.dumps for jsonl, json.dumps's indented layout for json)."""
    findings = result.errors + result.warnings
    at = lines or [line or 1] * len(findings)
    shown = [dict(v.to_dict(), line=at[i]) for i, v in enumerate(findings)]
    before = len(job.parts)
    job._item(
        {
            "file": file,
            "line": line,
            "endpoint": result.endpoint,
            "model": result.model,
            "valid": result.valid,
            "errors": shown[: len(result.errors)],
            "warnings": shown[len(result.errors) :],
        }
    )
    return list(job.parts[before:])


def generic_text(file: str, line: int | None, result: Any) -> list[str]:
    """The text format's lines for one result, as documented in README (no colour)."""
    where = f"{file}:{line}" if line else file
    findings = result.errors + result.warnings
    if not findings:
        return [f"  {where}: ok ({result.model} -> {result.endpoint})\n"]
    return [
        f"  {where}: {v.severity} [{v.rule}] at {v.pointer or '/'}: {v.message}\n      see {v.source}\n"
        for v in findings
    ]


def options(output_format: str, ascii_only: bool) -> dict[str, Any]:
    indent = "\n        " if output_format == "sarif" else "\n    "
    return {
        "format": output_format,
        "endpoint": None,
        "limit": 1 << 24,
        "colour": False,
        "ascii_only": ascii_only,
        "indent": indent,
    }


@pytest.mark.parametrize("ascii_only", [False, True])
@pytest.mark.parametrize("output_format", ["json", "jsonl", "text"])
def test_results_written_directly_equal_the_generic_rendering_first_made_and_reused(
    corpus: list[Any], output_format: str, ascii_only: bool
) -> None:
    lint = linter()
    kinds = {(bool(r.errors), bool(r.warnings)) for r in corpus}
    assert kinds == {(False, False), (False, True), (True, False), (True, True)}, kinds
    ignore = frozenset({"common.unknown-field", "common.unknown-model"})
    job = lint._Job(options(output_format, ascii_only), "earlier.jsonl")
    reference = lint._Job(options(output_format, ascii_only), None)
    for rounds in range(2):  # the second round reuses the texts the first one kept
        for i, result in enumerate(corpus):
            for file, line, lines in (
                ('logs/"odd" \u6a21.jsonl', i + 1, None),  # a JSONL line: every finding on it
                ("request.json", None, [3 + n for n in range(len(result.errors + result.warnings))]),
            ):
                for shown in (result, lint._filtered(result, ignore)):
                    job.parts.clear()
                    job.current = file  # headings are the same either way; compare the lines
                    job.result(file, line, shown, lines)
                    if output_format == "text":
                        expected = generic_text(file, line, shown)
                    else:
                        expected = generic_item(reference, file, line, shown, lines)
                    assert "".join(job.parts) == "".join(expected), (rounds, file, shown.errors, shown.warnings)
    assert job.rests, "no result text was kept for reuse"


@pytest.mark.parametrize("output_format", ["json", "jsonl", "text", "github", "sarif"])
def test_a_jsonl_block_renders_to_the_same_report_as_its_lines_one_by_one(
    snapshot: Snapshot, output_format: str
) -> None:
    """The whole per-line path (split, parse, lint, render) against each line linted and rendered by
    itself in a fresh job: a kept text or a fast parse must not carry anything from one line to the next."""
    lint = linter()
    bodies = [e.body for e in examples(snapshot)]
    lines = [json.dumps(b) for b in bodies] + [json.dumps({**b, "extra": 1}) for b in bodies]
    lines += ['{"model": "seedance2.0-720p", "prompt": "a", "duration": 99, "duration": 5}', "{bad", ""]
    block = ("\n".join(lines) + "\n").encode()
    whole = lint._Job(options(output_format, False), None)
    whole.lines("log.jsonl", 1, block, frozenset())
    one_by_one = lint._Job(options(output_format, False), None)
    for number, text in enumerate(lines, 1):
        alone = lint._Job(options(output_format, False), one_by_one.current)
        alone.lines("log.jsonl", number, text.encode(), frozenset())
        one_by_one.parts += alone.parts
        one_by_one.current = alone.current
        one_by_one.counts = [a + b for a, b in zip(one_by_one.counts, alone.counts, strict=True)]
        one_by_one.annotations[0].extend(alone.annotations[0])
        one_by_one.annotations[1].extend(alone.annotations[1])
        one_by_one.used |= alone.used
    assert whole.parts or output_format == "github"  # (github keeps annotations, checked below)
    assert whole.parts == one_by_one.parts
    assert whole.counts == one_by_one.counts
    assert whole.used == one_by_one.used
    if output_format == "github":
        # a job keeps its first ten annotations of each kind; the counts keep them all
        assert whole.annotations[0] == one_by_one.annotations[0][:10]
