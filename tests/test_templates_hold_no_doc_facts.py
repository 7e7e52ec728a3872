"""No doc fact lives in a client template: status words, URL paths, error messages, auth header names
and result-URL paths never appear as string literals, and no response key is read by name
(``.get("key")``, ``["key"]``, ``"key" in``). They come from the spec through the emitter's context
(``_contract.py``, typed response models), so a template change can never drift from the docs.

The four normalised task states (``queued``, ``in_progress``, ``completed``, ``failed``) are the spec
format's own vocabulary (the keys of ``task.statuses`` in ``spec/spec.schema.json``), and ``model`` is
the request field every create call sends, so those may appear. The linter templates are left out:
they read requests (whose field names are the spec's ``fields``) and write the project's own report
format, never an API response."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import model as m

from .support import ROOT

TEMPLATES = sorted((ROOT / "generator" / "templates" / "python").rglob("*.j2"))
FORMAT_WORDS = {"queued", "in_progress", "completed", "failed", "model"}
_LITERAL = re.compile(r"""(?<![A-Za-z0-9_])(?:f|r|rb|b)?(["'])((?:(?!\1)[^\\\n]|\\.)*)\1""")


def _shape_keys(shape: m.Shape) -> set[str]:
    keys = {name for name, _ in shape.properties}
    for _, child in shape.properties:
        keys |= _shape_keys(child)
    if shape.items is not None:
        keys |= _shape_keys(shape.items)
    return keys


def response_keys(spec: m.Spec) -> set[str]:
    keys: set[str] = set()
    for named in spec.response_shapes:
        keys |= _shape_keys(named.body)
    for body in spec.error_bodies:
        keys |= _shape_keys(body.body)
    return keys - FORMAT_WORDS


def doc_facts(spec: m.Spec) -> set[str]:
    """Strings only the docs can say: status words, paths, messages, auth header names, result paths."""
    facts: set[str] = set()
    for body in spec.error_bodies:
        facts |= {x.message for x in body.messages}
    for family in spec.all_families:
        if family.task is not None:
            facts |= {w for _, words in family.task.statuses for w in words}
            facts |= set(family.task.result_url_paths)
    for endpoint in spec.endpoints:
        facts |= {endpoint.path, endpoint.id}
    facts |= {s.name for s in spec.security_schemes}
    return facts - FORMAT_WORDS


def _code(path: Path) -> str:
    """A template's Python text without Jinja expressions, comments and docstrings (which may name a call)."""
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    text = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    return re.sub(r'"""[\s\S]*?"""', "", text)


def literals(path: Path) -> set[str]:
    return {match.group(2) for match in _LITERAL.finditer(_code(path))}


_READ = re.compile(r"""(?:\.get\(\s*|\[\s*)(["'])([^"'\n]+)\1|(["'])([^"'\n]+)\3\s+(?:not\s+)?in\b""")


def keys_read(path: Path) -> set[str]:
    """Keys a template reads by name: ``x.get("k")``, ``x["k"]``, ``"k" in x``."""
    return {m.group(2) or m.group(4) for m in _READ.finditer(_code(path))}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "generator" / "templates")))
def test_a_template_spells_no_doc_fact(spec: m.Spec, template: Path) -> None:
    held = sorted(literals(template) & doc_facts(spec))
    assert not held, f"{template.name} holds doc facts; pass them from the spec: {held}"
    read = sorted(keys_read(template) & response_keys(spec))
    assert not read, f"{template.name} reads response keys by name; use the spec's tables or typed models: {read}"


def test_the_check_catches_planted_facts(spec: m.Spec, tmp_path: Path) -> None:
    planted = tmp_path / "planted.py.j2"
    planted.write_text(
        'x = payload.get("video_url")\ny = "GET /api/usage/balance"\nz = "succeeded"\n'
        'if "success" in body and body["error"]:\n    pass\nh = {"Authorization": key}\n'
    )
    assert {"GET /api/usage/balance", "succeeded", "Authorization"} <= literals(planted) & doc_facts(spec)
    assert {"video_url", "success", "error"} <= keys_read(planted) & response_keys(spec)
