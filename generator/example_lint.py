"""Every request example the docs print, linted: valid, invalid (with the violations) or not valid JSON.

Examples are found as :mod:`generator.doc_examples` finds them (```` ```json ```` blocks and
``curl -d '...'`` bodies, the endpoint taken from the nearest ``METHOD /path`` before them), and so
are exactly its list; this module adds the blocks that look like a request (they name a
``"model"``) but do not parse, and the section and locale of each. Linting uses a linter compiled
in memory from the loaded spec (``lint_compiler.render``), so the verdicts always match the spec.
"""

from __future__ import annotations

import json
import re
import sys
import types
from dataclasses import dataclass
from typing import Any

from . import model as m
from .doc_examples import _BODY_START, _RESPONSE_KEYS, _endpoint_before
from .docs_facts import sections
from .docs_snapshot import Page, Snapshot
from .lint_compiler import render as render_linter

_MODEL_KEY = re.compile(r'"model"\s*:')

VERDICTS = ("valid", "invalid", "not JSON")


@dataclass(frozen=True)
class Violation:
    rule: str
    pointer: str
    message: str


@dataclass(frozen=True)
class Example:
    page: str
    locale: str
    number: int  # 1-based, per page and locale, over every request-like block in page order
    section: str
    form: str  # "json block" or "curl -d"
    endpoint: str | None
    body: dict[str, Any] | None  # None: not valid JSON
    text: str  # the block as printed (whitespace normalised), for blocks that do not parse
    problem: str = ""  # the JSON parse error

    @property
    def label(self) -> str:
        return f"{self.page} [{self.locale}] #{self.number}"

    @property
    def model(self) -> str | None:
        if self.body is not None:
            value = self.body.get("model")
            return value if isinstance(value, str) else None
        found = re.search(r'"model"\s*:\s*"([^"]*)"', self.text)
        return found.group(1) if found else None


@dataclass(frozen=True)
class Verdict:
    example: Example
    verdict: str
    errors: tuple[Violation, ...] = ()
    warnings: tuple[Violation, ...] = ()


@dataclass(frozen=True)
class Scan:
    examples: tuple[Example, ...]
    fragments: int  # JSON objects without a "model" (parts of a request: content items, one field)
    responses: int  # response and error bodies, skipped


def _block_text(text: str, start: int, form: str) -> str:
    end = text.find("```", start) if form == "json block" else text.find("'", start)
    return text[start : end if end >= 0 else len(text)].strip()


def page_scan(page: Page) -> tuple[list[Example], int, int]:
    decoder = json.JSONDecoder()
    text = page.flat
    starts = [(s.start, s.title) for s in sections(page)]
    found: list[Example] = []
    fragments = responses = 0
    for match in _BODY_START.finditer(text):
        form = "curl -d" if match.group(0).startswith("-d") else "json block"
        section = next((title for start, title in reversed(starts) if start <= match.start()), "")
        endpoint = _endpoint_before(text, match.start(), form == "curl -d")
        block = _block_text(text, match.end(), form)
        try:
            body, _ = decoder.raw_decode(text[match.end() :])
        except ValueError as exc:
            if _MODEL_KEY.search(block):
                found.append(
                    Example(page.page, page.locale, len(found) + 1, section, form, endpoint, None, block, str(exc))
                )
            continue
        if not isinstance(body, dict):
            continue
        if _RESPONSE_KEYS & set(body):
            responses += 1
            continue
        if not isinstance(body.get("model"), str):
            fragments += 1
            continue
        found.append(Example(page.page, page.locale, len(found) + 1, section, form, endpoint, body, ""))
    return found, fragments, responses


def scan(snapshot: Snapshot) -> Scan:
    examples: list[Example] = []
    fragments = responses = 0
    for page in snapshot.pages:
        found, f, r = page_scan(page)
        examples += found
        fragments += f
        responses += r
    return Scan(tuple(examples), fragments, responses)


def compile_linter(spec: m.Spec) -> types.ModuleType:
    """The spec's linter, compiled and executed in memory (never written to disk)."""
    name = "_uniall_lint_in_memory"
    module = types.ModuleType(name)
    module.__file__ = "<uniall_lint.py compiled in memory>"
    sys.modules[name] = module  # dataclasses in the linter look their module up while being defined
    try:
        exec(compile(render_linter(spec), module.__file__, "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    return module


def lint_examples(scan_result: Scan, lint: types.ModuleType) -> list[Verdict]:
    verdicts: list[Verdict] = []
    for example in scan_result.examples:
        if example.body is None:
            verdicts.append(Verdict(example, "not JSON"))
            continue
        result = lint.lint_request(example.body, example.endpoint)
        errors = tuple(Violation(v.rule, v.pointer, v.message) for v in result.errors)
        warnings = tuple(Violation(v.rule, v.pointer, v.message) for v in result.warnings)
        verdicts.append(Verdict(example, "invalid" if errors else "valid", errors, warnings))
    return verdicts


def counts(verdicts: list[Verdict]) -> dict[str, int]:
    return {v: sum(x.verdict == v for x in verdicts) for v in VERDICTS}


# ---- reports ----------------------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render_markdown(verdicts: list[Verdict], scan_result: Scan, docs_name: str) -> str:
    c = counts(verdicts)
    warned = sum(bool(v.warnings) for v in verdicts if v.verdict == "valid")
    lines = [
        "# The docs' request examples, linted",
        "",
        f"Every request example in `{docs_name}` (```` ```json ```` blocks and `curl -d` bodies that name a",
        "`model`), checked by the linter compiled from the spec against the endpoint the page shows it with.",
        "Generated by `uniall-spec generate`; `uniall-spec examples` prints the same verdicts.",
        "",
        f"- examples: {len(verdicts)}",
        f"- valid: {c['valid']} ({warned} with warnings)",
        f"- invalid: {c['invalid']}",
        f"- not valid JSON: {c['not JSON']}",
        f"- not linted: {scan_result.fragments} JSON fragment(s) without a `model`, "
        f"{scan_result.responses} response or error body(ies)",
        "",
        "## Invalid",
        "",
    ]
    invalid = [v for v in verdicts if v.verdict == "invalid"]
    if not invalid:
        lines += ["None.", ""]
    for v in invalid:
        e = v.example
        lines.append(f"### {e.label}: `{e.model}` on `{e.endpoint}`")
        lines.append("")
        lines.append(f"Section: {e.section or '(top)'}; {e.form}.")
        lines.append("")
        for x in v.errors:
            lines.append(f"- `{x.rule}` at `{x.pointer or '/'}`: {x.message}")
        lines.append("")
    lines += ["## Not valid JSON", ""]
    broken = [v for v in verdicts if v.verdict == "not JSON"]
    if not broken:
        lines += ["None.", ""]
    for v in broken:
        e = v.example
        lines.append(f"### {e.label}")
        lines.append("")
        lines.append(f"Section: {e.section or '(top)'}; {e.form}; {e.problem}.")
        lines.append("")
        lines.append(f"    {_short(e.text, 300)}")
        lines.append("")
    lines += [
        "## Valid",
        "",
        "| page | locale | # | section | form | endpoint | model | warnings |",
        "|---|---|---:|---|---|---|---|---|",
    ]
    for v in verdicts:
        if v.verdict != "valid":
            continue
        e = v.example
        warnings = ", ".join(sorted({f"`{w.rule}`" for w in v.warnings}))
        cells = [f"`{e.page}`", e.locale, str(e.number), _short(e.section, 60), e.form, f"`{e.endpoint}`"]
        cells += [f"`{e.model}`", warnings]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def render_text(verdicts: list[Verdict]) -> str:
    c = counts(verdicts)
    lines = [f"{len(verdicts)} example(s): {c['valid']} valid, {c['invalid']} invalid, {c['not JSON']} not valid JSON"]
    for v in verdicts:
        e = v.example
        lines.append(f"{v.verdict.upper():8} {e.label} ({e.form}) {e.endpoint} model={e.model}")
        for x in v.errors:
            lines.append(f"    error {x.rule} at {x.pointer or '/'}: {x.message}")
        if v.verdict == "not JSON":
            lines.append(f"    {e.problem}: {_short(e.text, 120)}")
    return "\n".join(lines) + "\n"


def to_json(verdicts: list[Verdict]) -> list[dict[str, Any]]:
    return [
        {
            "page": v.example.page,
            "locale": v.example.locale,
            "number": v.example.number,
            "section": v.example.section,
            "form": v.example.form,
            "endpoint": v.example.endpoint,
            "model": v.example.model,
            "verdict": v.verdict,
            "errors": [{"rule": x.rule, "pointer": x.pointer, "message": x.message} for x in v.errors],
            "warnings": [{"rule": x.rule, "pointer": x.pointer, "message": x.message} for x in v.warnings],
            "problem": v.example.problem,
        }
        for v in verdicts
    ]
