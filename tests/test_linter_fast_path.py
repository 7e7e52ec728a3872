"""The linter's fast path against its reporting path alone: identical findings.

``lint_request`` first walks the request's fields without pointers (``_quick_shape``), and each
compiled rule runs its pointer-free form before its reporting form: a request with nothing to
report never builds a pointer or a message, and one with findings builds them only where a field
or a rule found something. Here a second copy of the linter is compiled without either (every
field walked by ``_shape`` with pointers, every rule walked with pointers), and both copies lint
the same requests: the docs' request examples, the property-test corpus of ``tests/strategies.py``
(every valid base and every seed mutation of every (endpoint, model, mode), plus Hypothesis draws
of valid, mutated and arbitrary bodies) and each valid base with every top-level value swapped
for one of a few wrong values. The results must be identical, and the pointer-free field walk must
be exact: it vouches for a request exactly when ``_shape`` finds nothing but unknown top-level
fields, and names those (an inexact "maybe" would be correct but slow, and would hide a fast path
that stopped covering valid requests).
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.example_lint import compile_linter
from generator.lint_compiler import render

from . import strategies as S

W = S.world()
TRIPLES = sorted(W.contexts, key=lambda t: t.id)
# Values that break a field's type, shape or documented set in different ways.
SWAPS: tuple[Any, ...] = (None, True, 0, -1.5, "", "x", [], [{}], {}, {"k": 1}, 10**30)
# ... and media URLs a service cannot fetch or in an undocumented format (media_url / media_format).
SWAPS += (
    "http://127.0.0.1/a.png",
    "data:image/png;base64,AAAA",
    "https://example.com/a.gif",
    ["http://10.0.0.1/a.mp4"],
)


@cache
def fast() -> types.ModuleType:
    return compile_linter(W.spec)


@cache
def reporting_only() -> types.ModuleType:
    """The linter without its fast path: no pointer-free field walk, no pointer-free rule gates or
    inlined tests, no memos, and URLs tested by the whole RFC 3986 grammar alone."""
    name = "_uniall_lint_reporting_only"
    module = types.ModuleType(name)
    module.__file__ = "<uniall_lint.py, reporting path only>"
    sys.modules[name] = module  # dataclasses in the linter look their module up while being defined
    try:
        exec(compile(render(W.spec, gated=False), module.__file__, "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    module._quick_shape = lambda *_: False
    module._MEMO_LIMIT = 0  # nothing remembered: a memo wrong for a later call shows as a difference
    whole_grammar = re.compile(module._URI_SOURCES[1]).fullmatch
    module._is_uri = lambda value: whole_grammar(value) is not None
    return module


def assert_same(body: Any, endpoint: str | None) -> bool:
    """Both linters agree on ``body`` and the field walk is exact; returns whether it vouched for the fields."""
    lint = fast()
    got = lint.lint_request(body, endpoint)
    want = reporting_only().lint_request(body, endpoint).to_dict()
    assert got.to_dict() == want, f"fast path and reporting path differ on {endpoint} {body!r:.1500}"
    entry = lint._MODELS.get(got.model)
    if body.__class__ is not dict or entry is None or got.endpoint not in entry[2]:
        return False  # not as far as the family's checks
    shape = lint._FAMILIES[entry[0]][2]
    found: list[Any] = []
    reporting_only()._shape(body, shape, got.endpoint, "", found)
    top_level_unknown = [
        f for f in found if f[0] in (lint._B_UNKNOWN_FIELD, lint._B_MISSPELT_FIELD) and f[1].count("/") == 1
    ]
    unknown: list[str] = []
    vouched = lint._quick_shape(body, lint._quick_table(shape, got.endpoint), unknown)
    names = [lint._RULES[f[0]][0] for f in found]
    assert vouched == (found == top_level_unknown), (
        f"field walk says {vouched} but _shape finds {names} on {endpoint} {body!r:.1500}"
    )
    if vouched:
        assert [lint._unknown_finding(key, shape, got.endpoint, "") for key in unknown] == found
    return bool(vouched)


def swapped(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in sorted(body):
        if key == "model":
            continue
        for value in SWAPS:
            yield {**body, key: value}
        yield {k: v for k, v in body.items() if k != key}
    yield {**body, "not_a_documented_field": 1}


def test_docs_examples() -> None:
    vouched = sum(assert_same(example.body, example.endpoint) for example in W.docs)
    assert len(W.docs) > 300 and vouched > 100


def test_valid_bases_and_seed_mutations_of_every_triple() -> None:
    checked = vouched = 0
    for triple in TRIPLES:
        ctx = W.contexts[triple]
        for body in ctx.bases:
            vouched += assert_same(body, triple.endpoint)
            checked += 1
        for rule in ctx.breakable():
            for mutant in ctx.seeds(rule)[:2]:
                vouched_fields = assert_same(mutant.body, mutant.endpoint)
                assert not (vouched_fields and mutant.rule in ("common.wrong-type", "common.not-a-url"))
                checked += 1
    assert checked > 2000 and vouched > 500


def test_valid_bases_with_each_value_swapped_or_dropped() -> None:
    checked = 0
    for triple in TRIPLES[::3]:
        for body in W.contexts[triple].bases[:1]:
            for variant in swapped(body):
                assert_same(variant, triple.endpoint)
                checked += 1
    assert checked > 3000


@settings(max_examples=300)
@given(data=st.data())
def test_drawn_valid_and_mutated_requests(data: st.DataObject) -> None:
    triple = data.draw(st.sampled_from(TRIPLES), label="triple")
    assert_same(data.draw(S.valid_requests(triple.endpoint, triple.model, triple.mode), label="valid"), triple.endpoint)
    mutant = data.draw(S.invalid_requests(triple.endpoint, triple.model, triple.mode), label="mutant")
    assert_same(mutant.body, mutant.endpoint)


@settings(max_examples=300)
@given(body=S.fuzz_bodies(10**30, 6), endpoint=st.one_of(st.none(), st.sampled_from(sorted(W.oracle.endpoints))))
def test_drawn_bodies_with_arbitrary_values(body: Any, endpoint: str | None) -> None:
    assert_same(body, endpoint)


def test_the_reference_walks_every_field_and_rule_with_pointers() -> None:
    """The comparison has teeth: the reference copy takes the reporting walk, and has no rule gates."""
    body = next(b for t in TRIPLES for b in W.contexts[t].bases if not fast().lint_request(b, t.endpoint).warnings)
    calls: list[int] = []
    module = reporting_only()
    original = module._shape
    try:
        module._shape = lambda *a: calls.append(1) or original(*a)
        module.lint_request(body)
    finally:
        module._shape = original
    assert calls == [1]
    assert "except _Found" not in render(W.spec, gated=False) and "except _Found" in render(W.spec)


def test_values_nested_past_the_stack_are_reported_as_such_by_both() -> None:
    """A rule that compares two deep values recurses until Python's stack runs out: both linters report
    the request as nested too deeply to check (the RecursionError branch of lint_request)."""
    deep: Any = "x"
    for _ in range(100_000):
        deep = [deep]
    other: Any = "y"
    for _ in range(100_000):
        other = [other]
    body = {"model": "minimax-speech-02-hd", "text": deep, "input": other}
    assert_same(body, None)
    assert "nested too deeply to check" in str(fast().lint_request(body).to_dict())


@pytest.mark.parametrize("depth", [10, 5000])
def test_deeply_nested_values_take_the_reporting_path_with_the_same_result(depth: int) -> None:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    body = next(b for t in TRIPLES for b in W.contexts[t].bases if "prompt" in b)
    assert_same({**body, "prompt": value}, None)
