"""The linter's fast path against its reporting path alone: identical findings.

``lint_request`` first walks the request's fields without pointers (``_quick_shape``) and asks the
family's compiled ``_quiet_*`` function whether the rules would report an error; warnings (unknown
top-level fields, warning rules) are collected on the way. Only a request with an error (or a
finding the fast path does not keep, such as an unknown field inside an object) takes the reporting
path, which builds pointers and messages, each rule behind its own pointer-free gate. Here a second
copy of the linter is compiled as before the fast path (no gates, every quiet check replaced by
"maybe": every rule walked with pointers), and both copies lint the same requests: the docs'
request examples, the property-test corpus of ``tests/strategies.py`` (every valid base and every
seed mutation of every (endpoint, model, mode), plus Hypothesis draws of valid, mutated and
arbitrary bodies) and each valid base with every top-level value swapped for one of a few wrong
values. The results must be identical, and the fast path must be exact: it answers a request
exactly when the reporting path finds no error and no nested unknown field, and then with the very
warnings the reporting path finds (an inexact "maybe" would be correct but slow, and would hide a
fast path that stopped covering valid requests).
"""

from __future__ import annotations

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
    """The linter as it was before the fast path: no quiet check, and no per-rule gates in the reporting path."""
    name = "_uniall_lint_reporting_only"
    module = types.ModuleType(name)
    module.__file__ = "<uniall_lint.py, reporting path only>"
    sys.modules[name] = module  # dataclasses in the linter look their module up while being defined
    try:
        exec(compile(render(W.spec, gated=False), module.__file__, "exec"), module.__dict__)
    finally:
        del sys.modules[name]
    module._FAMILIES = {
        family: (select, rules, shape, lambda *_: False)
        for family, (select, rules, shape, _) in module._FAMILIES.items()
    }
    return module


def family_reached(lint: types.ModuleType, body: Any, result: Any) -> tuple[Any, ...] | None:
    """(family functions, model, endpoint, mode) when ``lint_request`` got as far as the family's checks."""
    entry = lint._MODELS.get(result.model)
    if body.__class__ is not dict or entry is None or result.endpoint not in entry[2]:
        return None
    return (lint._FAMILIES[entry[0]], result.model, result.endpoint, result.mode)


def assert_same(body: Any, endpoint: str | None) -> bool:
    """Both linters agree on ``body`` and the fast path is exact; returns whether the fast path answered."""
    lint = fast()
    got = lint.lint_request(body, endpoint).to_dict()
    want = reporting_only().lint_request(body, endpoint).to_dict()
    assert got == want, f"fast path and reporting path differ on {endpoint} {body!r:.1500}"
    reached = family_reached(lint, body, lint.lint_request(body, endpoint))
    if reached is None:
        return False
    (select, _, shape, quiet), model, declared, _mode = reached
    reference = reporting_only()
    rules = reference._FAMILIES[lint._MODELS[model][0]][1]
    shape_found: list[Any] = []
    rules_found: list[Any] = []
    reference._shape(body, shape, declared, "", shape_found)
    rules(body, model, declared, select(body, declared), rules_found)
    severity = {index: row[1] for index, row in enumerate(lint._RULES)}
    answerable = not any(severity[f[0]] == "error" for f in shape_found + rules_found) and all(
        f[1].count("/") == 1 for f in shape_found
    )
    unknown: list[str] = []
    warned: list[Any] = []
    answered = lint._quick_shape(body, lint._quick_table(shape, declared), unknown) and quiet(
        body, model, declared, select(body, declared), warned
    )
    names = [lint._RULES[f[0]][0] for f in shape_found + rules_found]
    assert answered == answerable, (
        f"fast path answers {answered} but the reporting path finds {names} on {endpoint} {body!r:.1500}"
    )
    if answered:

        def plain(found: list[Any], module: types.ModuleType) -> list[Any]:
            return [(i, p, "no detail" if d is module._NO_DETAIL else d) for i, p, d in found]

        assert [lint._unknown_finding(k, shape, declared, "") for k in unknown] == shape_found
        assert plain(warned, lint) == plain(rules_found, reference)
    return bool(answered)


def swapped(body: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for key in sorted(body):
        if key == "model":
            continue
        for value in SWAPS:
            yield {**body, key: value}
        yield {k: v for k, v in body.items() if k != key}
    yield {**body, "not_a_documented_field": 1}


def test_docs_examples() -> None:
    quiet = sum(assert_same(example.body, example.endpoint) for example in W.docs)
    assert len(W.docs) > 300 and quiet > 100


def test_valid_bases_and_seed_mutations_of_every_triple() -> None:
    checked = quiet = 0
    for triple in TRIPLES:
        ctx = W.contexts[triple]
        for body in ctx.bases:
            quiet += assert_same(body, triple.endpoint)
            checked += 1
        for rule in ctx.breakable():
            for mutant in ctx.seeds(rule)[:2]:
                assert not assert_same(mutant.body, mutant.endpoint) or mutant.rule.startswith("common.")
                checked += 1
    assert checked > 2000 and quiet > 500


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


def test_a_forced_reporting_path_is_what_the_comparison_runs() -> None:
    """The comparison has teeth: the reporting-only copy never takes the fast path."""
    body = next(b for t in TRIPLES for b in W.contexts[t].bases if not fast().lint_request(b, t.endpoint).warnings)
    calls: list[int] = []
    module = reporting_only()
    original = dict(module._FAMILIES)
    try:
        module._FAMILIES = {
            f: (s, lambda *a, _r=r: calls.append(1) or _r(*a), sh, q) for f, (s, r, sh, q) in original.items()
        }
        module.lint_request(body)
    finally:
        module._FAMILIES = original
    assert calls == [1]


@pytest.mark.parametrize("depth", [10, 5000])
def test_deeply_nested_values_take_the_reporting_path_with_the_same_result(depth: int) -> None:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    body = next(b for t in TRIPLES for b in W.contexts[t].bases if "prompt" in b)
    assert_same({**body, "prompt": value}, None)
