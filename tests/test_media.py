"""Media inputs (issue #10, part 4): non-public URLs are rejected in every family whose docs ask for public ones.

Per family, every ``media_url`` rule is tried with one URL of each kind a remote service cannot
fetch (loopback, private and link-local hosts, ``.local``, a ``data:`` URI, a local path, ``file:``,
``ftp:``): the linter must report exactly that rule at that field, and a public URL must pass. The
request each starts from is the rule's own rule case (derived from a valid doc example, see
``tests/rule_cases.py``), so the only thing that changes is the URL. The shared patterns are also
checked directly, in Python's ``re`` and in the ECMA 262 dialect of ``jsonschema-rs``, so the
linter and the schemas cannot disagree on a URL.
"""

from __future__ import annotations

import json
import re
from types import ModuleType
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import media
from generator import model as m
from generator.doc_examples import examples
from generator.docs_snapshot import Snapshot
from generator.literals import ecma_pattern

from .rule_cases import NON_PUBLIC_URLS, RuleCase, find_case, manual_cases, set_value, valid_bases
from .support import ROOT, import_linter

# The families whose docs ask for publicly reachable media URLs (in a parameter table, a "must", or
# under common errors); test_every_family_asking_for_public_urls_is_tested keeps the list complete.
PUBLIC_URL_FAMILIES = ("grok", "happy-horse", "kling", "minimax-speech", "sora", "vidu", "wan")
PUBLIC_URL = "https://cdn.example.com/uploads/input"


@pytest.fixture(scope="module")
def lint(spec: m.Spec, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return import_linter(spec, tmp_path_factory.mktemp("lint"), "uniall_lint_media")


@pytest.fixture(scope="module")
def media_cases(spec: m.Spec, lint: ModuleType, snapshot: Snapshot) -> dict[str, RuleCase | None]:
    """The rule case of every media_url rule: a valid request with only that URL made non-public."""
    manual = manual_cases()
    bases = valid_bases(spec, lint, examples(snapshot))
    return {
        r.id: manual.get(r.id) or find_case(r, spec, lint, bases.get(r.family, []))
        for r in spec.rules
        if r.kind == "media_url"
    }


def _media_rules(spec: m.Spec, family: str) -> list[m.Rule]:
    return [r for r in spec.family(family).rules if r.kind == "media_url"]


@pytest.mark.parametrize("family", PUBLIC_URL_FAMILIES)
def test_non_public_urls_are_errors_and_a_public_url_passes(
    family: str, spec: m.Spec, lint: ModuleType, media_cases: dict[str, RuleCase | None]
) -> None:
    rules = _media_rules(spec, family)
    assert rules, f"{family} asks for public media URLs but has no media_url rule"
    for rule in rules:
        assert rule.severity == "error", rule.id
        case = media_cases[rule.id]
        assert case is not None, rule.id
        path = case.pointer.strip("/").replace("/", ".")
        for url in NON_PUBLIC_URLS:
            if url.startswith("data:") and rule.media is not None and rule.media.accepts == "url-or-data-uri":
                continue
            body: dict[str, Any] = _with(case.body, path, url)
            found = sorted((v.rule, v.pointer) for v in lint.lint_request(body, case.endpoint).errors)
            # A value that is not a URI at all (a local path) is also common.not-a-url (the schema's `format: uri`).
            not_a_url = [] if media.uri_match(url) else [("common.not-a-url", case.pointer)]
            assert found == sorted([(rule.id, case.pointer), *case.also, *not_a_url]), f"{rule.id}: {url}"
        public = lint.lint_request(_with(case.body, path, PUBLIC_URL), case.endpoint)
        assert not [v for v in public.errors if v.rule == rule.id], f"{rule.id} rejects a public URL"


def _with(body: dict[str, Any], dotted: str, value: str) -> dict[str, Any]:
    import copy

    changed = copy.deepcopy(body)
    path = re.sub(r"\.(\d+)(?=\.|$)", r"[\1]", dotted)
    set_value(changed, path, value)
    return changed


def test_every_family_asking_for_public_urls_is_tested(spec: m.Spec) -> None:
    asking = {r.family for r in spec.rules if r.kind == "media_url"}
    declared = {f.id for f in spec.families for x in _declarations(f.fields) if x.public}
    assert asking == declared == set(PUBLIC_URL_FAMILIES)


def _declarations(fields: tuple[m.Field, ...]) -> list[m.MediaInput]:
    out = []
    for f in fields:
        if f.media is not None:
            out.append(f.media)
        out += _declarations(f.properties)
        if f.items is not None:
            out += _declarations(f.items.properties)
    return out


def test_every_field_declared_public_is_checked_by_a_media_url_rule(spec: m.Spec) -> None:
    unchecked = []
    for family in spec.families:
        checked = {r.field.removesuffix("[]") for r in family.rules if r.kind == "media_url" and r.field}
        for f in family.fields:
            if f.media is not None and f.media.public and f.name not in checked:
                unchecked.append(f"{family.id}.{f.name}")
    assert not unchecked


# ---- the shared patterns, in both regex dialects ----------------------------------------------------

_IMAGE = m.MediaInput(kind="image", accepts="url", public=True, source=m.Source("p", "s"))
_INLINE_OK = m.MediaInput(kind="image", accepts="url-or-data-uri", public=True, source=m.Source("p", "s"))
_PNG_ONLY = m.MediaInput(
    kind="image",
    accepts="url",
    public=True,
    source=m.Source("p", "s"),
    limits=(m.MediaLimit(limit="formats", values=("png", "jpg"), source=m.Source("p", "s")),),
)

URL_VERDICTS = [
    ("https://example.com/a.png", True),
    ("HTTP://Example.COM/a.png", True),
    ("https://example.com", True),
    ("https://example.com:8443/a?b=c#d", True),
    ("https://172.32.0.1/a.png", True),  # outside 172.16/12
    ("https://127.0.0.1.nip.io/a.png", True),  # a public name, even if it resolves to loopback
    ("https://mylocalhost.com/a.png", True),
    ("https://x.local.example.com/a.png", True),
    ("http://localhost/a.png", False),
    ("http://LOCALHOST./a.png", False),
    ("http://localhost:3000", False),
    ("http://127.8.9.10/a.png", False),
    ("http://10.0.0.1/a.png", False),
    ("http://192.168.1.1", False),
    ("http://172.16.0.1/a.png", False),
    ("http://172.31.255.255/a.png", False),
    ("http://169.254.169.254/latest/meta-data", False),
    ("http://0.0.0.0/a.png", False),
    ("http://[::1]/a.png", False),
    ("http://[fe80::1]/a.png", False),
    ("http://[fd12:3456::1]/a.png", False),
    ("http://nas.local/a.png", False),
    ("http://user:pw@127.0.0.1/a.png", False),
    ("https://example.com@10.0.0.1/a.png", False),
    ("data:image/png;base64,AAAA", False),
    ("file:///tmp/a.png", False),
    ("ftp://example.com/a.png", False),
    ("/tmp/a.png", False),
    ("C:\\images\\a.png", False),
    ("a.png", False),
    ("https://", False),
    ("https:///a.png", False),
    ("https://example.com/a.png\n", True),  # the host is public; what follows is the service's concern
]


def _ecma_accepts(pattern: str, value: str) -> bool:
    return bool(jsonschema_rs.validator_for({"type": "string", "pattern": ecma_pattern(pattern)}).is_valid(value))


@pytest.mark.parametrize(("url", "public"), URL_VERDICTS)
def test_url_pattern_verdicts_agree_in_python_and_ecma(url: str, public: bool) -> None:
    pattern = media.url_pattern(_IMAGE)
    assert bool(re.search(ecma_pattern(pattern), url)) is public
    assert _ecma_accepts(pattern, url) is public


def test_data_uris_pass_only_where_the_docs_allow_them() -> None:
    inline = "data:image/png;base64,iVBORw0KGgo="
    assert re.search(media.url_pattern(_INLINE_OK), inline)
    assert _ecma_accepts(media.url_pattern(_INLINE_OK), inline)
    assert not re.search(media.url_pattern(_IMAGE), inline)
    assert not re.search(media.url_pattern(_INLINE_OK), "http://127.0.0.1/a.png")


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://example.com/a.png", True),
        ("https://example.com/a.JPG?size=2", True),
        ("https://example.com/a", True),  # no extension: nothing to say
        ("https://example.com/render.php?file=a.gif", True),  # the query is not the path
        ("https://example.com/a.gif/b.png", True),
        ("https://example.com/a.gif", False),
        ("https://example.com/dir/a.GIF#x", False),
        ("https://example.com/a.webp", False),
        ("https://example.com/a.mp4", True),  # a video extension says nothing about image formats
    ],
)
def test_format_pattern_rejects_only_listed_media_extensions_outside_the_documented_formats(
    url: str, allowed: bool
) -> None:
    pattern = media.format_pattern(_PNG_ONLY)
    assert pattern is not None
    assert bool(re.search(ecma_pattern(pattern), url)) is allowed
    assert _ecma_accepts(pattern, url) is allowed


def test_limits_reach_the_matrix_schemas_and_docstrings(spec: m.Spec) -> None:
    image = next(f for f in spec.family("happy-horse").fields if f.name == "image")
    text = media.field_description(image)
    assert text is not None and "formats: jpeg, jpg, png, bmp, webp" in text and "file size (MB) at most 10" in text
    generated = ROOT / "generated"  # up to date: tests/test_generate.py checks it
    assert "[aspect ratio (width:height) 1:2.5 to 2.5:1](" in (generated / "CAPABILITIES.md").read_text()
    schema = json.loads((generated / "schemas/post-v1-video-generations/happy-horse-720p.json").read_text())
    assert schema["properties"]["image"]["format"] == "uri"
    assert "each side (px) at least 300" in schema["properties"]["image"]["description"]
    docstrings = (generated / "python/uniall/types/requests.py").read_text()  # the request models' field docs
    assert "frame rate (fps) above 8" in docstrings


# ---- the quick URI test is a subset of the whole grammar -----------------------------------------

# Strings near the edge of SIMPLE_URI_PATTERN: what it must accept, and what it must leave to the
# whole grammar (so each verdict still comes from URI_PATTERN).
QUICK_URIS = (
    "https://cdn.example.com/uploads/input.png?x=1&y=2#top",
    "http://127.0.0.1:8080/a",
    "data:image/png;base64,iVBORw0KGgo+/=",
    "s3://bucket/key",
)
LEFT_TO_THE_GRAMMAR = (
    "https://cdn.example.com/a%20b.png",  # a percent-escape
    "http://[::1]/a",  # an IP literal
    "https://user@host/a",  # userinfo
    "http:",  # an empty path
    "/local/path",
    "https://exa mple.com/",
)


@pytest.mark.parametrize("uri", QUICK_URIS)
def test_common_urls_are_decided_by_the_quick_pattern(uri: str) -> None:
    assert re.fullmatch(media.SIMPLE_URI_PATTERN, uri) and media.uri_match(uri)


@pytest.mark.parametrize("text", LEFT_TO_THE_GRAMMAR)
def test_other_strings_go_to_the_whole_grammar(text: str) -> None:
    assert re.fullmatch(media.SIMPLE_URI_PATTERN, text) is None


@settings(max_examples=400)
@given(st.from_regex(media.SIMPLE_URI_PATTERN, fullmatch=True))
def test_every_string_the_quick_pattern_accepts_is_a_uri(uri: str) -> None:
    """The linter takes a quick match as "is a URI" without the whole grammar: it must never be wrong."""
    assert media.uri_match(uri), uri


def test_the_linter_and_the_grammar_agree_on_urls_either_pattern_decides(lint: ModuleType) -> None:
    for text in (*QUICK_URIS, *LEFT_TO_THE_GRAMMAR, *NON_PUBLIC_URLS):
        assert lint._is_uri(text) == media.uri_match(text), text
