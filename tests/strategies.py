"""Hypothesis strategies for UniAll request bodies, derived from the loaded capability spec (issue #5).

Nothing here reads the generated artifacts: requests are built from the spec's models, fields,
mode selectors and rules, and judged by :class:`SpecOracle`, a small interpreter of those rules
written independently of the compiled linter. The properties then hold the linter, the JSON Schemas
and the pydantic models to the oracle's verdict, so a disagreement anywhere shows up as a failure.

- :func:`valid_requests` ``(endpoint, model, mode)``: start from a valid base (a docs example moved to
  the model and mode, or a minimal body, repaired rule by rule until the oracle accepts it), then
  apply a few random edits: set an optional field (or its alias) to a value drawn from what the
  rules allow (enum members, range bounds, regex matches, list lengths at their limits, pixel sizes
  at their bounds, reference counts filling a sum limit), drop a field. An edit that would break a
  rule, switch the mode or add an undocumented field is undone on the spot, so nothing is rejected.
- :func:`invalid_requests` ``(endpoint, model, mode)``: a valid request plus one mutation tagged with
  the rule it breaks (the oracle confirms the tagged rule is broken): a value outside an enum or a
  range, a forbidden field, a missing required field, both of two exclusive fields, a list one item
  too long, a cross-field limit crossed by one, a wrong JSON type, a near-miss model ID, a mode the
  model lacks, a wrong endpoint.
- :func:`json_values` / :func:`fuzz_bodies`: arbitrary JSON, and bodies shaped like real requests
  with arbitrary values, for the linter's never-raise property.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from generator import model as m
from generator.doc_examples import DocExample, examples
from generator.docs_snapshot import load_snapshot
from generator.literals import ecma_pattern
from generator.loader import load_spec
from generator.media import uri_match, uri_valued
from generator.scope import default_endpoint
from generator.spec_paths import split_path

from . import rule_cases as rc

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_URLS = ("https://example.com/sample.png", "https://cdn.example.com/a/b.jpg", "http://example.org/v.mp4")
# media_url / media_format rules are patterns the loader derives from a field's media declaration
# (generator/media.py): the oracle tests them as patterns, and draws URLs for them.
MEDIA_KINDS = frozenset({"media_url", "media_format"})


def constraint_kind(kind: str) -> str:
    return "pattern" if kind in MEDIA_KINDS else kind


WRONG_TYPE = "common.wrong-type"
UNKNOWN_MODEL = "common.unknown-model"
MODEL_MISSING = "common.model-missing"
BODY_NOT_OBJECT = "common.body-not-object"
MODE_UNSUPPORTED = "common.mode-unsupported"
ENDPOINT_NOT_ACCEPTED = "common.endpoint-not-accepted"
UNKNOWN_ENDPOINT = "common.unknown-endpoint"
NOT_A_URL = "common.not-a-url"
#: Built-in checks a mutation can break, besides every error rule of the spec.
BUILTIN_MUTATIONS = (
    WRONG_TYPE,
    UNKNOWN_MODEL,
    MODEL_MISSING,
    BODY_NOT_OBJECT,
    MODE_UNSUPPORTED,
    ENDPOINT_NOT_ACCEPTED,
    UNKNOWN_ENDPOINT,
    NOT_A_URL,
)
#: Built-in checks about the request line rather than the body: no body schema can state them.
ENDPOINT_RULES = frozenset({ENDPOINT_NOT_ACCEPTED, UNKNOWN_ENDPOINT})
MAX_BASES = 3
MAX_STARTS = 6
MAX_EDITS = 8


# ---- JSON helpers ---------------------------------------------------------------------------------


def is_num(x: Any) -> bool:
    return x.__class__ is int or x.__class__ is float


def json_type_ok(x: Any, t: str) -> bool:
    if t == "string":
        return x.__class__ is str
    if t == "integer":
        return x.__class__ is int or (x.__class__ is float and math.isfinite(x) and x == int(x))
    if t == "number":
        return is_num(x)
    if t == "boolean":
        return x.__class__ is bool
    if t == "object":
        return x.__class__ is dict
    if t == "array":
        return x.__class__ is list
    return x is None


def json_eq(x: Any, v: Any) -> bool:
    """JSON equality of a value and a spec scalar: booleans are not numbers, 1 equals 1.0."""
    if x.__class__ not in (str, int, float, bool):
        return False
    return (x.__class__ is bool) == (v.__class__ is bool) and x == v


def esc(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def pointer_parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]] if pointer else []


def _step(node: Any, part: str) -> tuple[bool, Any]:
    if node.__class__ is dict and part in node:
        return True, node[part]
    if node.__class__ is list and part.isdigit() and int(part) < len(node):
        return True, node[int(part)]
    return False, None


def get_at(body: Any, pointer: str) -> Any:
    node = body
    for part in pointer_parts(pointer):
        ok, node = _step(node, part)
        if not ok:
            return None
    return node


def set_at(body: Any, pointer: str, value: Any) -> Any:
    """A copy of ``body`` with ``value`` at ``pointer`` (missing objects on the way are created)."""
    out = copy.deepcopy(body)
    parts = pointer_parts(pointer)
    node = out
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if node.__class__ is list and part.isdigit():
            index = int(part)
            while len(node) <= index:
                node.append({})
            if last:
                node[index] = value
            elif node[index].__class__ not in (dict, list):
                node[index] = {}
            node = node[index]
        elif node.__class__ is dict:
            if last:
                node[part] = value
            else:
                if node.get(part).__class__ not in (dict, list):
                    node[part] = {}
                node = node[part]
        else:
            return out
    return out


def delete_at(body: Any, pointer: str) -> Any:
    out = copy.deepcopy(body)
    parts = pointer_parts(pointer)
    if not parts:
        return out
    parent = get_at(out, "".join("/" + esc(p) for p in parts[:-1]))
    last = parts[-1]
    if parent.__class__ is dict:
        parent.pop(last, None)
    elif parent.__class__ is list and last.isdigit() and int(last) < len(parent):
        del parent[int(last)]
    return out


# ---- the oracle: the spec's rules, interpreted -----------------------------------------------------


_TABLES: dict[int, tuple[tuple[m.Field, ...], dict[str, m.Field]]] = {}
_STEPS: dict[tuple[str, int], tuple[tuple[Any, tuple[str, ...]], ...]] = {}


def _table(fields: tuple[m.Field, ...]) -> dict[str, m.Field]:
    """Name (and alias) -> field; cached per field tuple (the spec is frozen for the session)."""
    hit = _TABLES.get(id(fields))
    if hit is not None and hit[0] is fields:
        return hit[1]
    out: dict[str, m.Field] = {}
    for f in fields:
        for name in (f.name, *f.aliases):
            out[name] = f
    _TABLES[id(fields)] = (fields, out)
    return out


def _steps(path: str, fields: tuple[m.Field, ...]) -> tuple[tuple[Any, tuple[str, ...]], ...]:
    """``path`` as steps: (name, every name the API accepts for it), (None, ()) every item, (n, ()) item n."""
    key = (path, id(fields))
    hit = _STEPS.get(key)
    if hit is not None:
        return hit
    _table(fields)  # keeps ``fields`` alive in _TABLES, so its id is not reused
    out: list[tuple[Any, tuple[str, ...]]] = []
    scope = fields
    for part in split_path(path):
        if isinstance(part, str):
            declared = _table(scope).get(part)
            names = (part, *(n for n in ((declared.name, *declared.aliases) if declared else ()) if n != part))
            out.append((part, names))
            scope = _inner(declared)
        else:
            out.append((part, ()))
    _STEPS[key] = tuple(out)
    return _STEPS[key]


def _inner(declared: m.Field | None) -> tuple[m.Field, ...]:
    if declared is None:
        return ()
    return (declared.items.properties if declared.items is not None else ()) + declared.properties


def values_at(doc: Any, path: str, fields: tuple[m.Field, ...]) -> list[tuple[str, Any]]:
    """(pointer, value) for every value at ``path``: a field under any of its names, ``[]`` every item."""
    found: list[tuple[str, Any]] = [("", doc)]
    for part, names in _steps(path, fields):
        nxt: list[tuple[str, Any]] = []
        if part is None:
            for ptr, val in found:
                if val.__class__ is list:
                    nxt.extend((f"{ptr}/{i}", item) for i, item in enumerate(val))
        elif isinstance(part, int):
            for ptr, val in found:
                if val.__class__ is list and len(val) > part:
                    nxt.append((f"{ptr}/{part}", val[part]))
        else:
            for ptr, val in found:
                if val.__class__ is dict:
                    nxt.extend((f"{ptr}/{esc(n)}", val[n]) for n in names if n in val)
        if not nxt:
            return []
        found = nxt
    return found


def missing_at(doc: Any, path: str, fields: tuple[m.Field, ...]) -> list[str]:
    """Pointers where a required ``path`` is absent, looking only through values that are present."""
    frontier: list[tuple[str, Any]] = [("", doc)]
    steps = _steps(path, fields)
    parts = [part for part, _ in steps]
    missing: list[str] = []
    for depth, (part, names) in enumerate(steps):
        rest = parts[depth:]
        all_keys = all(isinstance(p, str) for p in rest)
        nxt: list[tuple[str, Any]] = []
        if isinstance(part, str):
            for ptr, val in frontier:
                if val.__class__ is not dict:
                    continue
                hit = next((n for n in names if n in val), None)
                if hit is not None:
                    nxt.append((f"{ptr}/{esc(hit)}", val[hit]))
                elif all_keys:
                    missing.append(ptr + "".join("/" + esc(str(p)) for p in rest))
        else:
            for ptr, val in frontier:
                if val.__class__ is not list:
                    continue
                if part is None:
                    nxt.extend((f"{ptr}/{i}", item) for i, item in enumerate(val))
                elif len(val) > part:
                    nxt.append((f"{ptr}/{part}", val[part]))
                elif all(isinstance(p, str) for p in parts[depth + 1 :]):
                    missing.append(f"{ptr}/{part}" + "".join("/" + esc(str(p)) for p in parts[depth + 1 :]))
        frontier = nxt
    return missing


def item_fields(fields: tuple[m.Field, ...], array: str) -> tuple[m.Field, ...]:
    """The declared properties of the items of the array at ``array`` (``x[]`` or ``x``)."""
    scope = fields
    current: m.Field | None = None
    for part in split_path(array.removesuffix("[]")):
        if isinstance(part, str):
            current = _table(scope).get(part)
            if current is None:
                return ()
            scope = _inner(current)
    return current.items.properties if current is not None and current.items is not None else ()


def _condition_paths(c: m.Condition) -> Iterator[str]:
    if isinstance(c, (m.All, m.AnyOf)):
        for x in c.conditions:
            yield from _condition_paths(x)
    elif isinstance(c, m.Not):
        yield from _condition_paths(c.condition)
    elif isinstance(c, m.Exists):
        yield c.array
    else:
        yield c.field


def per_item_prefix(rule: m.Rule) -> str | None:
    """``content[]`` when a conditional's condition and effect all speak of one array's items.

    Such a rule is read item by item ("an image item needs an image role"), not as "if any item is
    an image, every item needs an image role", which would reject every mixed ``content``.
    """
    if rule.condition is None or rule.effect is None:
        return None
    e = rule.effect
    paths = [*_condition_paths(rule.condition), *e.fields, *([e.field] if e.field else [])]
    prefixes = {p.split("[]", 1)[0] + "[]" if "[]" in p else None for p in paths}
    if len(prefixes) != 1:
        return None
    prefix = prefixes.pop()
    if prefix is None or any(not p.startswith(prefix + ".") for p in paths):
        return None
    return prefix


def _relative(c: m.Condition, cut: int) -> m.Condition:
    if isinstance(c, (m.All, m.AnyOf)):
        return type(c)(tuple(_relative(x, cut) for x in c.conditions))
    if isinstance(c, m.Not):
        return m.Not(_relative(c.condition, cut))
    if isinstance(c, m.Exists):
        return m.Exists(c.array[cut:], c.where)
    return type(c)(c.field[cut:], *[getattr(c, k) for k in c.__dataclass_fields__ if k != "field"])


@dataclass(frozen=True)
class Verdict:
    """The oracle's judgement of one request."""

    model: str | None
    mode: str | None
    errors: tuple[tuple[str, str], ...]
    unknown: tuple[str, ...] = ()

    @property
    def rules(self) -> set[str]:
        return {rule for rule, _ in self.errors}


class SpecOracle:
    """The spec's rules evaluated directly from the loaded model (no code generation)."""

    def __init__(self, spec: m.Spec) -> None:
        self.spec = spec
        self.models = {md.id: md for md in spec.models}
        self.families = {f.id: f for f in spec.all_families}
        self.endpoints = {e.id: e for e in spec.endpoints}
        self.rules = {r.id: r for r in spec.rules}
        builtin = {b.id for b in spec.builtin_rules}
        missing = set(BUILTIN_MUTATIONS) - builtin
        assert not missing, f"built-in rules the tests expect are not in the spec: {missing}"
        self.implied: dict[str, str] = {}
        for e in spec.endpoints:
            serving = [md.id for md in spec.models if e.id in md.endpoint_ids]
            if len(serving) == 1 and e.kind in ("create", "chat"):
                self.implied[e.id] = serving[0]

    # -- conditions ---------------------------------------------------------------------------

    def holds(self, c: m.Condition, doc: Any, fields: tuple[m.Field, ...]) -> bool:
        if isinstance(c, m.Present):
            return bool(values_at(doc, c.field, fields)) == c.present
        if isinstance(c, m.Equals):
            return any(json_eq(y, c.value) for _, y in values_at(doc, c.field, fields))
        if isinstance(c, m.In):
            return any(any(json_eq(y, v) for v in c.values) for _, y in values_at(doc, c.field, fields))
        if isinstance(c, m.IsType):
            return any(json_type_ok(y, c.json_type) for _, y in values_at(doc, c.field, fields))
        if isinstance(c, m.MinItems):
            return any(y.__class__ is list and len(y) >= c.count for _, y in values_at(doc, c.field, fields))
        if isinstance(c, m.Exists):
            array = c.array if c.array.endswith("[]") else c.array + "[]"
            inner = item_fields(fields, array)
            return any(self.holds(c.where, item, inner) for _, item in values_at(doc, array, fields))
        if isinstance(c, m.All):
            return all(self.holds(x, doc, fields) for x in c.conditions)
        if isinstance(c, m.AnyOf):
            return any(self.holds(x, doc, fields) for x in c.conditions)
        assert isinstance(c, m.Not)
        return not self.holds(c.condition, doc, fields)

    # -- one constraint -------------------------------------------------------------------------

    def broken(self, kind: str, part: Any, doc: Any, fields: tuple[m.Field, ...], prefix: str = "") -> list[str]:
        """Pointers where the constraint ``part`` (a Rule or an Effect) of ``kind`` is broken."""
        out: list[str] = []
        if kind == "required":
            out = [p for path in part.fields for p in missing_at(doc, path, fields)]
            # a required field typed string only is missing when empty too (the docs ask for a text)
            out += [
                p
                for path in part.fields
                if (declared := _field_at(fields, path)) is not None and declared.types == ("string",)
                for p, x in values_at(doc, path, fields)
                if x == ""
            ]
        elif kind == "forbidden":
            out = [p for path in part.fields for p, _ in values_at(doc, path, fields)]
        elif kind in ("mutually_exclusive", "exactly_one_of", "at_least_one_of"):
            texts = kind == "at_least_one_of" and all(
                (declared := _field_at(fields, path)) is not None and declared.types == ("string",)
                for path in part.fields
            )
            given = [
                path
                for path in part.fields
                if (found := values_at(doc, path, fields)) and not (texts and found[0][1] == "")
            ]
            n = len(given)
            bad = n > 1 if kind == "mutually_exclusive" else n != 1 if kind == "exactly_one_of" else n == 0
            out = [""] if bad else []
        elif kind == "enum":
            out = [p for p, x in values_at(doc, part.field, fields) if not any(json_eq(x, v) for v in part.values)]
        elif kind == "range":
            out = [p for p, x in values_at(doc, part.field, fields) if _bad_range(x, part)]
        elif kind == "length":
            low, high = getattr(part, "min_length", None), getattr(part, "max_length", None)
            out = [
                p
                for p, x in values_at(doc, part.field, fields)
                if x.__class__ is str and ((low and len(x) < low) or (high is not None and len(x) > high))
            ]
        elif kind == "pattern":
            out = [
                p
                for p, x in values_at(doc, part.field, fields)
                if x.__class__ is str and not re.search(ecma_pattern(part.pattern), x)
            ]
        elif kind == "items":
            array = part.field.removesuffix("[]")
            inner = item_fields(fields, array + "[]")
            for p, x in values_at(doc, array, fields):
                if x.__class__ is not list:
                    continue
                n = len(x) if part.count_where is None else sum(self.holds(part.count_where, i, inner) for i in x)
                if (part.min_items is not None and n < part.min_items) or (
                    part.max_items is not None and n > part.max_items
                ):
                    out.append(p)
        else:
            raise ValueError(kind)
        return [prefix + p for p in out]

    def rule_broken(self, rule: m.Rule, doc: dict[str, Any], fields: tuple[m.Field, ...]) -> list[str]:
        if rule.kind == "conditional":
            assert rule.effect is not None and rule.condition is not None
            prefix = per_item_prefix(rule)
            if prefix is None:
                if not self.holds(rule.condition, doc, fields):
                    return []
                return self.broken(rule.effect.kind, rule.effect, doc, fields)
            cut = len(prefix) + 1
            inner = item_fields(fields, prefix)
            effect = _RelativeEffect.of(rule.effect, cut)
            condition = _relative(rule.condition, cut)
            out: list[str] = []
            for q, item in values_at(doc, prefix, fields):
                if self.holds(condition, item, inner):
                    out += self.broken(effect.kind, effect, item, inner, q)
            return out
        if rule.kind == "cross_field":
            return self._cross(rule.check, doc, fields)
        if rule.kind in ("deprecated", "recommended"):
            return []
        return self.broken(constraint_kind(rule.kind), rule, doc, fields)

    def _cross(self, check: m.CrossCheck | None, doc: Any, fields: tuple[m.Field, ...]) -> list[str]:
        if isinstance(check, m.SumMax):
            total: float = 0
            for term in check.terms:
                found = values_at(doc, term.path, fields)
                if term.counts_items:
                    total += sum(len(x) if x.__class__ is list else 1 for _, x in found)
                else:
                    total += next((x for _, x in found if is_num(x)), term.default)
            return [""] if total > check.max else []
        if isinstance(check, m.PixelBounds):
            out = []
            for p, w in values_at(doc, check.width, fields):
                for _, h in values_at(doc, check.height, fields):
                    if _bad_pixels(w, h, check):
                        out.append(p.rsplit("/", 1)[0])
            return out
        assert isinstance(check, m.EqualWhenBoth)
        given = [found[0][1] for found in (values_at(doc, p, fields) for p in check.fields) if found]
        return [""] if len(given) > 1 and any(x != given[0] for x in given[1:]) else []

    # -- the whole request --------------------------------------------------------------------

    def select_mode(self, family: m.Family, body: dict[str, Any], endpoint: str) -> str | None:
        for selector in family.modes:
            if selector.endpoints and endpoint not in selector.endpoints:
                continue
            if self.holds(selector.selected_by, body, family.fields):
                return selector.mode
        return None

    def shape(
        self, doc: dict[str, Any], fields: tuple[m.Field, ...], endpoint: str, base: str, top: bool
    ) -> tuple[list[tuple[str, str]], list[str]]:
        errors: list[tuple[str, str]] = []
        unknown: list[str] = []
        table = _table(fields)
        for key, value in doc.items():
            ptr = f"{base}/{esc(key)}"
            f = table.get(key)
            if f is None or (f.endpoints and endpoint not in f.endpoints):
                if not (top and key == "model"):
                    unknown.append(ptr)
                continue
            if not any(json_type_ok(value, t) for t in f.types):
                errors.append((WRONG_TYPE, ptr))
                continue
            value_is_url, items_are_urls = uri_valued(f)
            if value_is_url and value.__class__ is str and not uri_match(value):
                errors.append((NOT_A_URL, ptr))
            elif f.properties and value.__class__ is dict:
                e, u = self.shape(value, f.properties, endpoint, ptr, False)
                errors += e
                unknown += u
            elif value.__class__ is list and f.items is not None:
                for i, item in enumerate(value):
                    if not any(json_type_ok(item, t) for t in f.items.types):
                        errors.append((WRONG_TYPE, f"{ptr}/{i}"))
                    elif items_are_urls and item.__class__ is str and not uri_match(item):
                        errors.append((NOT_A_URL, f"{ptr}/{i}"))
                    elif f.items.properties and item.__class__ is dict:
                        e, u = self.shape(item, f.items.properties, endpoint, f"{ptr}/{i}", False)
                        errors += e
                        unknown += u
        return errors, unknown

    def check(self, body: Any, endpoint: str) -> Verdict:
        errors: list[tuple[str, str]] = []
        known_endpoint = endpoint in self.endpoints
        if not known_endpoint:
            errors.append((UNKNOWN_ENDPOINT, ""))
        if body.__class__ is not dict:
            return Verdict(None, None, (*errors, (BODY_NOT_OBJECT, "")))
        value = body.get("model", self.implied.get(endpoint))
        if value.__class__ is not str or not value:
            return Verdict(None, None, (*errors, (MODEL_MISSING, "/model")))
        md = self.models.get(value)
        if md is None:
            return Verdict(value, None, (*errors, (UNKNOWN_MODEL, "/model")))
        if not known_endpoint:
            return Verdict(value, None, tuple(errors))
        if endpoint not in md.endpoint_ids:
            return Verdict(value, None, ((ENDPOINT_NOT_ACCEPTED, "/model"),))
        family = self.families[md.family]
        errors, unknown = self.shape(body, family.fields, endpoint, "", True)
        mode = self.select_mode(family, body, endpoint)
        if mode is not None and md.modes and mode not in md.modes:
            errors.append((MODE_UNSUPPORTED, ""))
        for rule in family.rules:
            if rule.severity == "error" and in_scope(rule, md.id, endpoint, mode):
                errors += [(rule.id, p) for p in self.rule_broken(rule, body, family.fields)]
        return Verdict(md.id, mode, tuple(errors), tuple(unknown))


@dataclass(frozen=True)
class _RelativeEffect:
    """An Effect with its paths made relative to an array item (``content[].role`` -> ``role``)."""

    kind: str
    fields: tuple[str, ...]
    field: str
    values: tuple[m.Scalar, ...]
    minimum: float | None
    maximum: float | None
    integer: bool
    min_items: int | None
    max_items: int | None
    count_where: m.Condition | None

    @classmethod
    def of(cls, e: m.Effect, cut: int) -> _RelativeEffect:
        return cls(
            e.kind,
            tuple(p[cut:] for p in e.fields),
            (e.field or "")[cut:],
            e.values,
            e.minimum,
            e.maximum,
            e.integer,
            e.min_items,
            e.max_items,
            e.count_where,
        )


def _bad_range(x: Any, part: Any) -> bool:
    if not is_num(x):
        return False
    if x != x:
        return True
    if part.minimum is not None and x < part.minimum:
        return True
    if part.maximum is not None and x > part.maximum:
        return True
    return bool(part.integer) and x % 1 != 0


def _bad_pixels(w: Any, h: Any, c: m.PixelBounds) -> bool:
    if not (is_num(w) and is_num(h)) or w != w or h != h:
        return False
    pixels = w * h
    return (
        (c.min_pixels is not None and pixels < c.min_pixels)
        or (c.max_pixels is not None and pixels > c.max_pixels)
        or (c.min_side is not None and min(w, h) < c.min_side)
        or (c.max_side is not None and max(w, h) > c.max_side)
        or (c.multiple_of is not None and (w % c.multiple_of != 0 or h % c.multiple_of != 0))
    )


def in_scope(rule: m.Rule, model: str, endpoint: str, mode: str | None) -> bool:
    s = rule.applies_to
    if s.models and model not in s.models:
        return False
    if s.endpoints and endpoint not in s.endpoints:
        return False
    return not (s.modes and mode not in s.modes)


# ---- values the rules allow -------------------------------------------------------------------------


def _field_at(fields: tuple[m.Field, ...], path: str) -> m.Field | None:
    scope = fields
    found: m.Field | None = None
    for part in split_path(path):
        if isinstance(part, str):
            found = _table(scope).get(part)
            if found is None:
                return None
            scope = _inner(found)
    return found


def _rule_parts(family: m.Family, model: str, endpoint: str, mode: str | None) -> list[tuple[str, Any]]:
    """(kind, Rule-or-Effect) for every error constraint that may hold for this triple."""
    parts: list[tuple[str, Any]] = []
    for rule in family.rules:
        if rule.severity != "error" or not in_scope(rule, model, endpoint, mode):
            continue
        if rule.kind == "conditional" and rule.effect is not None:
            parts.append((rule.effect.kind, rule.effect))
        elif rule.kind not in ("cross_field", "deprecated", "recommended"):
            parts.append((constraint_kind(rule.kind), rule))
    return parts


def pattern_samples(pattern: str) -> list[str]:
    """Deterministic strings matching ``pattern``: URLs and small numbers cover the spec's regexes."""
    pool = [*SAMPLE_URLS, *(str(i) for i in range(0, 21)), "character1", "sample"]
    return [s for s in pool if re.search(ecma_pattern(pattern), s)]


def url_strategy() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SAMPLE_URLS),
        st.builds(
            "{}://{}.example.com/{}.{}".format,
            st.sampled_from(["http", "https"]),
            st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True),
            st.from_regex(r"(?:[A-Za-z0-9_-]|%[0-9A-F]{2}){1,16}", fullmatch=True),
            st.sampled_from(["png", "jpg", "webp", "mp4", "mp3", "wav"]),
        ),
    )


@dataclass(frozen=True)
class Shape:
    """The shape part of a Field or an ItemShape: what a value strategy needs."""

    types: tuple[str, ...]
    properties: tuple[m.Field, ...] = ()
    items: m.ItemShape | None = None
    format: str | None = None


def _looks_like_url(f: Shape | m.Field | None, path: str) -> bool:
    name = path.rsplit(".", 1)[-1].removesuffix("[]")
    return bool((f is not None and f.format == "uri") or re.search(r"url|image|video|audio|frame", name))


class TripleContext:
    """Everything the strategies need for one (endpoint, model, mode): bases, edits, mutations."""

    def __init__(self, world: World, endpoint: str, model: m.Model, mode: str, bases: list[dict[str, Any]]):
        self.world = world
        self.endpoint = endpoint
        self.model = model
        self.mode = mode
        self.family = world.spec.family(model.family)
        self.bases = bases
        self.parts = _rule_parts(self.family, model.id, endpoint, mode)
        self._mutants: dict[str, list[Mutant]] = {}
        self._edits: tuple[Edit, ...] | None = None

    @property
    def triple(self) -> Triple:
        return Triple(self.endpoint, self.model.id, self.mode)

    def acceptable(self, body: Any) -> bool:
        v = self.world.oracle.check(body, self.endpoint)
        return not v.errors and not v.unknown and v.mode == self.mode

    # -- value strategies ---------------------------------------------------------------------

    def fields_here(self) -> list[m.Field]:
        return [
            f for f in self.family.fields if f.name != "model" and (not f.endpoints or self.endpoint in f.endpoints)
        ]

    def value_strategy(self, f: Shape | m.Field | None, path: str, depth: int = 0) -> st.SearchStrategy[Any]:
        options: list[st.SearchStrategy[Any]] = []
        pool = self.world.doc_values(self.family.id, path)
        if pool:
            options.append(st.sampled_from(pool))
        ruled = False
        for kind, part in self.parts:
            if getattr(part, "field", None) != path:
                continue
            if kind == "enum" and part.values:
                options.append(st.sampled_from(list(part.values)))
                ruled = True
            elif kind == "range":
                options.append(_range_strategy(part))
                ruled = True
            elif kind == "pattern":
                strategy = (
                    url_strategy()
                    if part.pattern.startswith("^http") or getattr(part, "kind", None) in MEDIA_KINDS
                    else st.from_regex(ecma_pattern(part.pattern))
                )
                options.append(st.one_of(st.sampled_from(pattern_samples(part.pattern) or ["x"]), strategy))
                ruled = True
            elif kind == "length":
                low = part.min_length or 0
                high = part.max_length if part.max_length is not None else low + 40
                options.append(st.text(min_size=low, max_size=min(high, low + 40)))
                if part.max_length is not None:
                    options.append(st.just("長" * part.max_length))
                ruled = True
        if not ruled or f is None or len(f.types) > 1:
            options.append(self._typed(f, path, depth))
        return st.one_of(options)

    def _typed(self, f: Shape | m.Field | None, path: str, depth: int) -> st.SearchStrategy[Any]:
        types = f.types if f is not None else ("string",)
        options: list[st.SearchStrategy[Any]] = []
        for t in types:
            if t == "string":
                options.append(url_strategy() if _looks_like_url(f, path) else st.text(max_size=24))
            elif t == "integer":
                options.append(st.one_of(st.integers(-(2**31), 2**31), st.sampled_from([0, 1, 2**53])))
            elif t == "number":
                options.append(st.one_of(st.integers(-1000, 10**6), st.floats(-1e6, 1e6, allow_nan=False)))
            elif t == "boolean":
                options.append(st.booleans())
            elif t == "null":
                options.append(st.none())
            elif t == "object":
                if f is not None and f.properties and depth < 4:
                    optional = {p.name: self.value_strategy(p, f"{path}.{p.name}", depth + 1) for p in f.properties}
                    options.append(st.fixed_dictionaries({}, optional=optional))
                else:
                    options.append(st.dictionaries(st.text(max_size=8), _scalars(), max_size=2))
            elif t == "array":
                options.append(self._array(f, path, depth))
        return st.one_of(options)

    def _array(self, f: Shape | m.Field | None, path: str, depth: int) -> st.SearchStrategy[Any]:
        low, high = 0, 4
        for kind, part in self.parts:
            if kind == "items" and part.field.removesuffix("[]") == path and part.count_where is None:
                low = max(low, part.min_items or 0)
                if part.max_items is not None:
                    high = part.max_items
        high = max(min(high, 12), low)
        items = f.items if f is not None else None
        item_path = f"{path}[]"
        shape = Shape(items.types, items.properties, None, items.format) if items is not None else None
        if shape is not None and shape.properties and depth < 4:
            item = self._typed(shape, item_path, depth + 1)
        else:
            item = self.value_strategy(shape, item_path, depth + 1)
        pooled = self.world.doc_values(self.family.id, item_path)
        if pooled:
            item = st.one_of(st.sampled_from(pooled), item)
        return st.one_of(st.lists(item, min_size=low, max_size=high), st.lists(item, min_size=high, max_size=high))

    # -- edits --------------------------------------------------------------------------------

    def edits(self) -> tuple[Edit, ...]:
        if self._edits is not None:
            return self._edits
        out: list[Edit] = []
        for f in self.fields_here():
            names = (f.name, *f.aliases)
            out.append(Edit("set", f.name, names, self.value_strategy(f, f.name)))
            out.append(Edit("drop", f.name, names, None))
            for p in f.properties:
                path = f"{f.name}.{p.name}"
                out.append(Edit("set", path, (p.name, *p.aliases), self.value_strategy(p, path)))
        for rule in self.family.rules:
            if rule.severity == "error" and in_scope(rule, self.model.id, self.endpoint, self.mode):
                if isinstance(rule.check, m.PixelBounds):
                    out.append(Edit("pixels", rule.id, (), _pixel_strategy(rule.check)))
                elif isinstance(rule.check, m.SumMax):
                    out.append(Edit("sum", rule.id, (), st.integers(0, int(rule.check.max))))
        self._edits = tuple(out)
        return self._edits

    def apply(self, edit: Edit, body: dict[str, Any], value: Any, draw: Callable[..., Any]) -> dict[str, Any]:
        out = copy.deepcopy(body)
        if edit.kind == "drop":
            rc.delete_value(out, edit.path, self.family)
        elif edit.kind == "set":
            rc.delete_value(out, edit.path, self.family)
            name = draw(st.sampled_from(edit.names))
            parent = edit.path.rsplit(".", 1)[0].split(".") if "." in edit.path else []
            out = set_at(out, "".join(f"/{esc(p)}" for p in [*parent, name]), value)
        elif edit.kind == "pixels":
            check = self.world.oracle.rules[edit.path].check
            assert isinstance(check, m.PixelBounds)
            w, h = value
            rc.set_value(out, check.width, w)
            rc.set_value(out, check.height, h)
        elif edit.kind == "sum":
            check = self.world.oracle.rules[edit.path].check
            assert isinstance(check, m.SumMax)
            total = value
            for term in check.terms:
                share = draw(st.integers(0, total)) if term is not check.terms[-1] else total
                total -= share
                if term.counts_items:
                    if share:
                        rc.set_value(out, term.path, [SAMPLE_URLS[i % 3] for i in range(share)])
                    else:
                        rc.delete_value(out, term.path, self.family)
                elif share:
                    rc.set_value(out, term.path, share)
        return out

    # -- mutations ----------------------------------------------------------------------------

    def breakable(self) -> list[str]:
        """Error rules (and built-ins) a mutation of this triple's bases breaks."""
        return [rule for rule in self.world.rules_for(self.triple) if self.seeds(rule)]

    def seeds(self, rule_id: str) -> list[Mutant]:
        if rule_id not in self._mutants:
            found: list[Mutant] = []
            for base in self.bases:
                found += self.mutants(rule_id, base, limit=2)
                if found:
                    break
            self._mutants[rule_id] = found
        return self._mutants[rule_id]

    def mutants(self, rule_id: str, body: dict[str, Any], limit: int) -> list[Mutant]:
        out: list[Mutant] = []
        seen: list[Any] = []
        for candidate, endpoint, how in self._candidates(rule_id, body):
            if candidate in seen:
                continue
            seen.append(candidate)
            if rule_id in self.world.oracle.check(candidate, endpoint).rules:
                out.append(Mutant(candidate, endpoint, rule_id, self.triple, how))
                if len(out) >= limit:
                    break
        return out

    def _candidates(self, rule_id: str, body: dict[str, Any]) -> Iterator[tuple[Any, str, str]]:
        ep = self.endpoint
        if rule_id in BUILTIN_MUTATIONS:
            yield from self._builtin_candidates(rule_id, body)
            return
        rule = self.world.oracle.rules[rule_id]
        pool = self.world.pool(self.family.id)
        # a field the rule talks about set to a value that is valid on its own
        if rule.kind in ("forbidden", "mutually_exclusive"):
            for path in rule.fields:
                for value in self.world.sample_values(self, path)[:3]:
                    changed = copy.deepcopy(body)
                    rc.set_value(changed, path.replace("[]", "[0]"), value)
                    yield changed, ep, f"set {path} = {value!r}"
        for changed, _pointer in rc.candidates(rule, body, self.family, pool):
            yield changed, ep, "rule_cases mutation"
        yield from self._missing_parents(rule, body)
        # the same in the mode reached another way (operation: image_to_video rather than an image)
        for selector in self.family.modes:
            if selector.mode != self.mode or (selector.endpoints and ep not in selector.endpoints):
                continue
            for primed in satisfy_options(selector.selected_by, body, self.family, pool, self.world.oracle):
                for changed, _pointer in rc.candidates(rule, primed, self.family, pool):
                    yield changed, ep, f"rule_cases mutation after selecting {self.mode} by {selector.selected_by}"

    def _missing_parents(self, rule: m.Rule, body: dict[str, Any]) -> Iterator[tuple[Any, str, str]]:
        """A required nested field missing with its whole parent (`extra_body` gone, not just `.operation`)."""
        pool = self.world.pool(self.family.id)
        if rule.kind == "required":
            paths, primed = rule.fields, [body]
        elif rule.kind == "conditional" and rule.effect is not None and rule.effect.kind == "required":
            assert rule.condition is not None
            paths = rule.effect.fields
            primed = list(satisfy_options(rule.condition, body, self.family, pool, self.world.oracle))[:3]
            for b in primed:
                yield b, self.endpoint, f"condition of {rule.id} made true"
        else:
            return
        for path in paths:
            segments = path.split(".")
            for i in range(1, len(segments)):
                for b in primed:
                    changed = copy.deepcopy(b)
                    rc.delete_value(changed, ".".join(segments[:i]), self.family)
                    yield changed, self.endpoint, f"{'.'.join(segments[:i])} removed (holds {path})"

    def _builtin_candidates(self, rule_id: str, body: dict[str, Any]) -> Iterator[tuple[Any, str, str]]:
        ep = self.endpoint
        model = self.model.id
        if rule_id == WRONG_TYPE:
            for pointer, f in _typed_pointers(body, self.family.fields, ""):
                for wrong in (12345, "text", True, [], {}, None, 1.5):
                    if not any(json_type_ok(wrong, t) for t in f.types):
                        yield set_at(body, pointer, wrong), ep, f"{pointer} = {wrong!r}"
        elif rule_id == NOT_A_URL:
            for pointer, f in _typed_pointers(body, self.family.fields, ""):
                value_is_url, items_are_urls = uri_valued(f)
                for not_url in ("", "example.com/a.png", "https://example.com/a b.png"):
                    if value_is_url and "string" in f.types:
                        yield set_at(body, pointer, not_url), ep, f"{pointer} = {not_url!r}"
                    if items_are_urls and f.items is not None and "string" in f.items.types:
                        yield set_at(body, pointer, [not_url]), ep, f"{pointer} = [{not_url!r}]"
        elif rule_id == UNKNOWN_MODEL:
            for near in near_misses(model):
                if near not in self.world.oracle.models:
                    yield {**body, "model": near}, ep, f"model {near!r}"
        elif rule_id == MODEL_MISSING:
            if ep not in self.world.oracle.implied:
                yield {k: v for k, v in body.items() if k != "model"}, ep, "no model"
            yield {**body, "model": ""}, ep, "empty model"
            yield {**body, "model": 7}, ep, "numeric model"
        elif rule_id == BODY_NOT_OBJECT:
            yield [body], ep, "body wrapped in a list"
            yield "model=" + model, ep, "body as a string"
        elif rule_id == ENDPOINT_NOT_ACCEPTED:
            for other in self.world.create_endpoints:
                if other not in self.model.endpoint_ids:
                    yield body, other, f"sent to {other}"
        elif rule_id == UNKNOWN_ENDPOINT:
            method, path = ep.split(" ", 1)
            yield body, f"{method} {path}x", "endpoint path typo"
            yield body, f"PUT {path}", "wrong method"
        elif rule_id == MODE_UNSUPPORTED:
            for selector in self.family.modes:
                if selector.mode in self.model.modes or (selector.endpoints and ep not in selector.endpoints):
                    continue
                for changed in satisfy_options(
                    selector.selected_by, body, self.family, self.world.pool(self.family.id), self.world.oracle
                ):
                    yield changed, ep, f"inputs of {selector.mode}"


def _range_strategy(part: Any) -> st.SearchStrategy[Any]:
    low = part.minimum
    high = part.maximum
    bounds = [v for v in (low, high) if v is not None]
    if part.integer or ((low is None or float(low).is_integer()) and (high is None or float(high).is_integer())):
        lo = math.ceil(low) if low is not None else -(10**6)
        hi = math.floor(high) if high is not None else lo + 10**6
        ints = st.integers(lo, hi)
        edges = st.sampled_from([int(b) for b in bounds] or [lo])
        if part.integer:
            return st.one_of(edges, ints)
        return st.one_of(edges, ints, st.floats(lo, hi, allow_nan=False))
    return st.one_of(st.sampled_from(bounds), st.floats(low, high, allow_nan=False))


def _pixel_strategy(c: m.PixelBounds) -> st.SearchStrategy[tuple[int, int]]:
    top = c.max_side or 8192
    low_side = c.min_side or 1

    @st.composite
    def pairs(draw: Callable[..., Any]) -> tuple[int, int]:
        lo_w = max(low_side, math.ceil((c.min_pixels or 1) / top))
        w = draw(st.one_of(st.sampled_from([lo_w, top]), st.integers(lo_w, top)))
        lo_h = max(low_side, math.ceil((c.min_pixels or 1) / w))
        hi_h = min(top, (c.max_pixels or top * top) // w)
        if hi_h < lo_h:
            return (top, top)
        h = draw(st.one_of(st.sampled_from([lo_h, hi_h]), st.integers(lo_h, hi_h)))
        if c.multiple_of:
            w, h = w - w % c.multiple_of, h - h % c.multiple_of
        return (w, h)

    return pairs()


def _scalars() -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.booleans(), st.integers(-100, 100), st.text(max_size=8))


def _typed_pointers(doc: Any, fields: tuple[m.Field, ...], base: str) -> Iterator[tuple[str, m.Field]]:
    """(pointer, declared field) for every declared, present value: where a wrong type can go."""
    if doc.__class__ is not dict:
        return
    table = _table(fields)
    for key in sorted(doc):
        f = table.get(key)
        if f is None or key == "model":
            continue
        ptr = f"{base}/{esc(key)}"
        yield ptr, f
        if f.properties:
            yield from _typed_pointers(doc[key], f.properties, ptr)


def near_misses(model: str) -> list[str]:
    """Spellings one slip away from ``model``: case, a dropped, doubled or swapped character, a separator."""
    out = [model.upper(), model.lower(), model + "x", model[:-1], model[0] + model, model.replace("-", "_")]
    out += [model.replace(".", ""), " " + model, model.replace("-", "", 1)]
    if len(model) > 3:
        out.append(model[:2] + model[3] + model[2] + model[4:])
    return [n for n in dict.fromkeys(out) if n != model and n]


@dataclass(frozen=True)
class Edit:
    kind: str  # set | drop | pixels | sum
    path: str  # field path, or a rule ID for joint edits
    names: tuple[str, ...]
    values: st.SearchStrategy[Any] | None


@dataclass(frozen=True)
class Triple:
    endpoint: str
    model: str
    mode: str

    @property
    def id(self) -> str:
        return f"{self.model}@{self.endpoint}#{self.mode}"


@dataclass(frozen=True)
class Mutant:
    """A valid request with one mutation that breaks ``rule`` (and was sent to ``endpoint``)."""

    body: Any
    endpoint: str
    rule: str
    triple: Triple
    how: str


# ---- the world: spec, oracle, bases per triple ----------------------------------------------------


@dataclass
class World:
    spec: m.Spec
    docs: list[DocExample]
    oracle: SpecOracle = field(init=False)
    contexts: dict[Triple, TripleContext] = field(init=False, default_factory=dict)
    skipped: dict[Triple, str] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.oracle = SpecOracle(self.spec)
        self._pools: dict[str, list[dict[str, Any]]] = {}
        for example in self.docs:
            md = self.oracle.models.get(example.body.get("model"))  # type: ignore[arg-type]
            if md is not None:
                self._pools.setdefault(md.family, []).append(example.body)
        self._values: dict[tuple[str, str], list[Any]] = {}
        self._start_cache: dict[str, list[tuple[str | None, dict[str, Any]]]] = {}
        self.create_endpoints = [e.id for e in self.spec.endpoints if e.kind in ("create", "chat")]
        for triple in self.triples():
            bases = self._bases(triple)
            if bases:
                self.contexts[triple] = TripleContext(
                    self, triple.endpoint, self.spec.model(triple.model), triple.mode, bases
                )
            else:
                self.skipped[triple] = "no valid base request could be built"

    def triples(self) -> list[Triple]:
        out = []
        for md in self.spec.models:
            family = self.spec.family(md.family)
            for endpoint in md.endpoint_ids:
                if self.spec.endpoint(endpoint).kind not in ("create", "chat"):
                    continue
                reachable = {s.mode for s in family.modes if not s.endpoints or endpoint in s.endpoints}
                out += [Triple(endpoint, md.id, mode) for mode in md.modes if mode in reachable]
        return out

    def pool(self, family: str) -> list[dict[str, Any]]:
        return self._pools.get(family, [])

    def doc_values(self, family: str, path: str) -> list[Any]:
        """Distinct values the family's doc examples use at ``path`` (``x[]`` for items)."""
        key = (family, path)
        if key not in self._values:
            fields = self.spec.family(family).fields
            seen: list[Any] = []
            for body in self.pool(family):
                for _, value in values_at(body, path, fields):
                    if value not in seen and value != "string":
                        seen.append(copy.deepcopy(value))
            self._values[key] = seen[:12]
        return self._values[key]

    def sample_values(self, ctx: TripleContext, path: str) -> list[Any]:
        """Deterministic candidate values for ``path`` in this triple: allowed ones first."""
        out: list[Any] = []
        for kind, part in ctx.parts:
            if getattr(part, "field", None) != path:
                continue
            if kind == "enum":
                out += list(part.values)
            elif kind == "range":
                out += [int(v) if float(v).is_integer() else v for v in (part.minimum, part.maximum) if v is not None]
            elif kind == "pattern":
                out += pattern_samples(part.pattern)
            elif kind == "length":
                out.append("a" * max(part.min_length or 1, 1))
        out += self.doc_values(ctx.family.id, path)
        out.append(rc.sample_value(ctx.family, path, self.pool(ctx.family.id)))
        f = _field_at(ctx.family.fields, path)
        if f is not None and _looks_like_url(f, path) and "string" in f.types:
            out.append(SAMPLE_URLS[0])
        return [v for i, v in enumerate(out) if v not in out[:i]]

    def default_endpoint(self, model: str) -> str:
        """Where a bare body for ``model`` goes: its recommended create endpoint."""
        return default_endpoint(self.spec, self.spec.model(model))

    def rules_for(self, triple: Triple) -> list[str]:
        md = self.spec.model(triple.model)
        rules = [
            r.id
            for r in self.spec.family(md.family).rules
            if r.severity == "error" and in_scope(r, triple.model, triple.endpoint, triple.mode)
        ]
        return [*rules, *BUILTIN_MUTATIONS]

    # -- building bases ---------------------------------------------------------------------

    def _bases(self, triple: Triple) -> list[dict[str, Any]]:
        md = self.spec.model(triple.model)
        family = self.spec.family(md.family)
        ranked = sorted(
            self._starts(family.id),
            key=lambda s: (
                self.oracle.select_mode(family, s[1], triple.endpoint) != triple.mode,
                s[0] != triple.endpoint,
            ),
        )
        starts = [{**copy.deepcopy(body), "model": md.id} for _, body in ranked[:MAX_STARTS]]
        starts.append({"model": md.id})
        bases: list[dict[str, Any]] = []
        for start in starts:
            fixed = self.repair(start, triple, family)
            if fixed is not None and fixed not in bases:
                bases.append(fixed)
                if len(bases) >= MAX_BASES:
                    break
        return bases

    def _starts(self, family: str) -> list[tuple[str | None, dict[str, Any]]]:
        """The family's doc examples (endpoint, body), each distinct body once."""
        if family not in self._start_cache:
            seen: set[str] = set()
            out: list[tuple[str | None, dict[str, Any]]] = []
            for example in self.docs:
                md = self.oracle.models.get(example.body.get("model"))  # type: ignore[arg-type]
                key = repr(sorted((k, repr(v)) for k, v in example.body.items() if k != "model"))
                if md is not None and md.family == family and key not in seen:
                    seen.add(key)
                    out.append((example.endpoint, example.body))
            self._start_cache[family] = out
        return self._start_cache[family]

    def repair(self, body: dict[str, Any], triple: Triple, family: m.Family) -> dict[str, Any] | None:
        """Fix ``body`` one violation at a time until the oracle accepts it in the triple's mode."""
        current = copy.deepcopy(body)
        for _ in range(30):
            verdict = self.oracle.check(current, triple.endpoint)
            if verdict.mode == triple.mode and not verdict.errors and not verdict.unknown:
                return current
            problem = self._problem(verdict, triple)
            options = list(self._fixes(problem, current, triple, family))
            if not options:
                return None
            best = min(options, key=lambda b: self._score(b, triple, problem))
            if best == current:
                return None
            current = best
        return None

    def _problem(self, verdict: Verdict, triple: Triple) -> tuple[str, str]:
        if verdict.mode != triple.mode:
            return ("mode", "")
        if verdict.unknown:
            return ("unknown", verdict.unknown[0])
        return verdict.errors[0]

    def _score(self, body: dict[str, Any], triple: Triple, problem: tuple[str, str]) -> tuple[int, ...]:
        v = self.oracle.check(body, triple.endpoint)
        still = (problem[0] == "mode" and v.mode != triple.mode) or problem in v.errors or problem[1] in v.unknown
        return (int(still), int(v.mode != triple.mode), len(v.errors) + len(v.unknown))

    def _fixes(
        self, problem: tuple[str, str], body: dict[str, Any], triple: Triple, family: m.Family
    ) -> Iterator[dict[str, Any]]:
        kind, pointer = problem
        pool = self.pool(family.id)
        oracle = self.oracle
        if kind == "mode":
            for selector in family.modes:
                if selector.endpoints and triple.endpoint not in selector.endpoints:
                    continue
                if selector.mode == triple.mode:
                    yield from satisfy_options(selector.selected_by, body, family, pool, oracle)
                elif self.oracle.holds(selector.selected_by, body, family.fields):
                    yield from falsify_options(selector.selected_by, body, family, pool, oracle)
            return
        if kind in ("unknown", WRONG_TYPE, NOT_A_URL):
            yield delete_at(body, pointer)
            return
        rule = self.oracle.rules.get(kind)
        if rule is None:
            return
        ctx_parts = _rule_parts(family, triple.model, triple.endpoint, triple.mode)
        if rule.kind == "conditional":
            assert rule.effect is not None and rule.condition is not None
            yield from self._fix_part(rule.effect.kind, rule.effect, body, pointer, family, ctx_parts)
            if per_item_prefix(rule) is None:
                yield from falsify_options(rule.condition, body, family, pool, oracle)
            else:
                yield delete_at(body, pointer.rsplit("/", 1)[0])
        elif rule.kind == "cross_field":
            yield from self._fix_cross(rule.check, body, family)
        else:
            yield from self._fix_part(constraint_kind(rule.kind), rule, body, pointer, family, ctx_parts)

    def _fix_part(
        self,
        kind: str,
        part: Any,
        body: dict[str, Any],
        pointer: str,
        family: m.Family,
        parts: list[tuple[str, Any]],
    ) -> Iterator[dict[str, Any]]:
        pool = self.pool(family.id)

        def allowed(path: str) -> list[Any]:
            values: list[Any] = []
            for k, p in parts:
                if getattr(p, "field", None) == path:
                    if k == "enum":
                        values += list(p.values)
                    elif k == "range":
                        values += [int(v) for v in (p.minimum, p.maximum) if v is not None and float(v).is_integer()]
                    elif k == "pattern":
                        values += pattern_samples(p.pattern)
            return [*values, *self.doc_values(family.id, path), rc.sample_value(family, path, pool)]

        if kind == "required":
            for path in part.fields:
                for value in allowed(path)[:6]:
                    yield set_at(body, pointer, value)
        elif kind == "forbidden":
            yield delete_at(body, pointer)
        elif kind == "enum":
            for value in part.values:
                yield set_at(body, pointer, value)
        elif kind == "range":
            for value in (part.minimum, part.maximum):
                if value is not None:
                    yield set_at(body, pointer, int(value) if float(value).is_integer() else value)
            if part.minimum is not None:
                yield set_at(body, pointer, math.ceil(part.minimum))
        elif kind == "length":
            yield set_at(body, pointer, "a" * max(getattr(part, "min_length", None) or 1, 1))
        elif kind == "pattern":
            for value in pattern_samples(part.pattern):
                yield set_at(body, pointer, value)
        elif kind == "items":
            current = get_at(body, pointer)
            if current.__class__ is list:
                if part.max_items is not None:
                    yield set_at(body, pointer, current[: part.max_items])
                if part.min_items:
                    extra: list[Any] = [SAMPLE_URLS[0]]
                    if part.count_where is not None:
                        array = part.field.removesuffix("[]") + "[]"
                        items_pool = [i for b in pool for _, i in values_at(b, array, family.fields)]
                        inner = item_fields(family.fields, array)
                        extra = [_item_satisfying(part.count_where, inner, items_pool, self.oracle) or {}]
                    elif current:
                        extra = [current[0]]
                    yield set_at(body, pointer, [*extra * part.min_items, *current])
                    yield set_at(body, pointer, [*current, *(extra * part.min_items)])
                yield delete_at(body, pointer)
        elif kind in ("mutually_exclusive", "exactly_one_of", "at_least_one_of"):
            present = [p for p in part.fields if rc.has_value(body, p)]
            for keep in present:
                changed = copy.deepcopy(body)
                for other in present:
                    if other != keep:
                        rc.delete_value(changed, other, family)
                yield changed
            if not present:
                for path in part.fields:
                    for value in allowed(path)[:4]:
                        changed = copy.deepcopy(body)
                        rc.set_value(changed, path, value)
                        yield changed

    def _fix_cross(
        self, check: m.CrossCheck | None, body: dict[str, Any], family: m.Family
    ) -> Iterator[dict[str, Any]]:
        if isinstance(check, m.SumMax):
            for term in check.terms:
                if rc.has_value(body, term.path):
                    changed = copy.deepcopy(body)
                    rc.delete_value(changed, term.path, family)
                    yield changed
        elif isinstance(check, m.PixelBounds):
            side = check.max_side or 4096
            w = max(check.min_side or 1, math.ceil(math.sqrt(check.min_pixels or 1)))
            w = min(w, side)
            changed = copy.deepcopy(body)
            rc.set_value(changed, check.width, w)
            rc.set_value(changed, check.height, w)
            yield changed
            changed = copy.deepcopy(body)
            rc.delete_value(changed, check.width.split(".")[0], family)
            yield changed
        elif isinstance(check, m.EqualWhenBoth):
            first = rc.get_value(body, check.fields[0])
            for other in check.fields[1:]:
                changed = copy.deepcopy(body)
                rc.set_value(changed, other, first)
                yield changed
                changed = copy.deepcopy(body)
                rc.delete_value(changed, other, family)
                yield changed


def typed_sample(f: m.Field | None, path: str = "") -> Any:
    """A value of the field's first declared type (objects filled with their properties)."""
    if f is None:
        return SAMPLE_URLS[0]
    t = f.types[0]
    if t == "string":
        return SAMPLE_URLS[0] if _looks_like_url(f, path or f.name) else "sample"
    if t in ("integer", "number"):
        return 1
    if t == "boolean":
        return True
    if t == "object":
        return {p.name: typed_sample(p) for p in f.properties}
    if t == "array":
        if f.items is None:
            return []
        item = m.Field(f.name, f.items.types, f.source, format=f.items.format, properties=f.items.properties)
        return [typed_sample(item, path)]
    return None


def _item_satisfying(
    where: m.Condition, fields: tuple[m.Field, ...], pool: list[Any], oracle: SpecOracle
) -> dict[str, Any] | None:
    """An array item for which ``where`` holds: one from the docs, else one built from its leaves."""
    for candidate in pool:
        if candidate.__class__ is dict and oracle.holds(where, candidate, fields):
            return copy.deepcopy(candidate)
    item: dict[str, Any] = {}
    leaves = where.conditions if isinstance(where, (m.All, m.AnyOf)) else (where,)
    for leaf in leaves[:1] if isinstance(where, m.AnyOf) else leaves:
        if isinstance(leaf, m.Equals):
            item = set_at(item, "/" + leaf.field.replace(".", "/"), leaf.value)
        elif isinstance(leaf, m.In):
            item = set_at(item, "/" + leaf.field.replace(".", "/"), leaf.values[0])
        elif isinstance(leaf, m.Present) and leaf.present:
            value = typed_sample(_field_at(fields, leaf.field), leaf.field)
            item = set_at(item, "/" + leaf.field.replace(".", "/"), value)
    return item if oracle.holds(where, item, fields) else None


def satisfy_options(
    c: m.Condition, body: dict[str, Any], family: m.Family, pool: list[dict[str, Any]], oracle: SpecOracle
) -> Iterator[dict[str, Any]]:
    """Bodies changed so that ``c`` holds, one per way of making it hold (first alternatives first)."""
    if isinstance(c, m.AnyOf):
        for x in c.conditions:
            yield from satisfy_options(x, body, family, pool, oracle)
    elif isinstance(c, m.All):
        bodies = [body]
        for x in c.conditions:
            bodies = [b2 for b in bodies for b2 in satisfy_options(x, b, family, pool, oracle)][:6]
        yield from bodies
    elif isinstance(c, m.Not):
        yield from falsify_options(c.condition, body, family, pool, oracle)
    elif isinstance(c, m.In):
        for value in c.values:
            changed = copy.deepcopy(body)
            rc.set_value(changed, c.field.replace("[]", "[0]"), value)
            yield changed
    elif isinstance(c, m.Exists):
        array = c.array.removesuffix("[]")
        inner = item_fields(family.fields, array + "[]")
        items_pool = [i for b in pool for _, i in values_at(b, array + "[]", family.fields)]
        item = _item_satisfying(c.where, inner, items_pool, oracle)
        if item is not None:
            current = rc.get_value(body, array)
            if "[]" in array:  # an array inside array items: put the item in the first container
                changed = copy.deepcopy(body)
                rc.set_value(changed, array.replace("[]", "[0]"), [item])
            else:
                changed = copy.deepcopy(body)
                rc.set_value(changed, array, [*(current if isinstance(current, list) else []), item])
            yield changed
    else:
        changed = copy.deepcopy(body)
        if rc.satisfy(c, changed, family, pool):
            yield changed


def falsify_options(
    c: m.Condition, body: dict[str, Any], family: m.Family, pool: list[dict[str, Any]], oracle: SpecOracle
) -> Iterator[dict[str, Any]]:
    """Bodies changed so that ``c`` no longer holds."""
    if isinstance(c, m.Present):
        if c.present:
            changed = copy.deepcopy(body)
            rc.delete_value(changed, c.field, family)
            yield changed
        else:
            yield from satisfy_options(m.Present(c.field, True), body, family, pool, oracle)
    elif isinstance(c, (m.Equals, m.In, m.IsType, m.MinItems)):
        changed = copy.deepcopy(body)
        rc.delete_value(changed, c.field.split("[]")[0], family)
        yield changed
    elif isinstance(c, m.Exists):
        array = c.array.removesuffix("[]")
        items = rc.get_value(body, array)
        inner = item_fields(family.fields, array + "[]")
        if isinstance(items, list):
            changed = copy.deepcopy(body)
            rc.set_value(changed, array, [i for i in items if not oracle.holds(c.where, i, inner)])
            yield changed
        changed = copy.deepcopy(body)
        rc.delete_value(changed, array, family)
        yield changed
    elif isinstance(c, m.All):
        for x in c.conditions:
            yield from falsify_options(x, body, family, pool, oracle)
    elif isinstance(c, m.AnyOf):
        bodies = [body]
        for x in c.conditions:
            bodies = [b2 for b in bodies for b2 in falsify_options(x, b, family, pool, oracle)][:6]
        yield from bodies
    elif isinstance(c, m.Not):
        yield from satisfy_options(c.condition, body, family, pool, oracle)


@cache
def world() -> World:
    """The session's spec, oracle and per-triple contexts (built once; a few seconds)."""
    spec = load_spec(ROOT / "spec")
    docs = examples(load_snapshot(ROOT / "spec" / "sources" / "uniall-llms-full.txt"))
    return World(spec, docs)


# ---- the strategies -------------------------------------------------------------------------------


def context(endpoint: str, model: str, mode: str) -> TripleContext:
    triple = Triple(endpoint, model, mode)
    found = world().contexts.get(triple)
    if found is None:
        raise KeyError(
            f"{triple.id}: {world().skipped.get(triple, 'not a (create endpoint, model, mode) of the spec')}"
        )
    return found


@st.composite
def _valid(draw: Callable[..., Any], ctx: TripleContext) -> dict[str, Any]:
    body = copy.deepcopy(draw(st.sampled_from(ctx.bases)))
    edits = ctx.edits()
    for _ in range(draw(st.integers(0, MAX_EDITS))):
        edit = draw(st.sampled_from(edits))
        value = draw(edit.values) if edit.values is not None else None
        candidate = ctx.apply(edit, body, value, draw)
        if ctx.acceptable(candidate):
            body = candidate
    return body


def valid_requests(endpoint: str, model: str, mode: str) -> st.SearchStrategy[dict[str, Any]]:
    """Request bodies for ``model`` on ``endpoint`` in ``mode`` that satisfy every error rule."""
    return _valid(context(endpoint, model, mode))


@st.composite
def _invalid(draw: Callable[..., Any], ctx: TripleContext, rules: tuple[str, ...] | None) -> Mutant:
    candidates = [r for r in ctx.breakable() if rules is None or r in rules]
    rule = draw(st.sampled_from(candidates))
    body = draw(_valid(ctx))
    found = ctx.mutants(rule, body, limit=4) or ctx.seeds(rule)
    return draw(st.sampled_from(found))  # type: ignore[no-any-return]


def invalid_requests(
    endpoint: str, model: str, mode: str, rules: tuple[str, ...] | None = None
) -> st.SearchStrategy[Mutant]:
    """A valid request with one mutation, tagged with the rule it breaks (optionally one of ``rules``)."""
    ctx = context(endpoint, model, mode)
    if not [r for r in ctx.breakable() if rules is None or r in rules]:
        return st.nothing()
    return _invalid(ctx, rules)


def triples_breaking(rule_id: str) -> list[Triple]:
    """Triples where some mutation of a base request breaks ``rule_id``."""
    w = world()
    out = []
    for triple, ctx in w.contexts.items():
        if rule_id in w.rules_for(triple) and ctx.seeds(rule_id):
            out.append(triple)
    return out


def mutations_of(rule_id: str) -> st.SearchStrategy[Mutant]:
    """Mutants breaking ``rule_id``, over every triple where it can be broken."""
    triples = triples_breaking(rule_id)
    if not triples:
        return st.nothing()
    return st.sampled_from(triples).flatmap(lambda t: invalid_requests(t.endpoint, t.model, t.mode, (rule_id,)))


# ---- arbitrary JSON ---------------------------------------------------------------------------------

ODD_TEXT = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=12),
    st.text(st.sampled_from("\u0000\u202e\ufeff\U0001f600\u0301\u00a0~/\n\ud7ff\U0010ffff"), max_size=6),
    st.sampled_from(["e\u0301", "~1", "~0", "/", "model", "", " ", "\u0130"]),
)


def json_values(max_int: int = 10**400, max_depth: int = 4000) -> st.SearchStrategy[Any]:
    """Any JSON value: deep nesting, huge integers, extreme floats, odd Unicode keys and strings."""
    leaves = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.integers(-max_int, max_int),
        st.sampled_from([2**53 + 1, -(2**63), 2**64, max_int, -max_int]),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from([0.0, -0.0, 5e-324, 1.7976931348623157e308, 1e-300]),
        ODD_TEXT,
    )

    def nest(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
        return st.one_of(st.lists(inner, max_size=4), st.dictionaries(ODD_TEXT, inner, max_size=4))

    tree = st.recursive(leaves, nest, max_leaves=20)

    @st.composite
    def deep(draw: Callable[..., Any]) -> Any:
        value = draw(leaves)
        for _ in range(draw(st.integers(1, max_depth))):
            value = [value] if draw(st.booleans()) else {"a": value}
        return value

    return st.one_of(tree, deep())


def fuzz_bodies(max_int: int = 10**400, max_depth: int = 4000) -> st.SearchStrategy[Any]:
    """Bodies naming a real model, with the family's field names (and odd keys) holding any JSON."""
    w = world()
    values = json_values(max_int, max_depth)

    @st.composite
    def body(draw: Callable[..., Any]) -> dict[str, Any]:
        md = draw(st.sampled_from(w.spec.models))
        family = w.spec.family(md.family)
        names = sorted({n for f in family.fields for n in (f.name, *f.aliases)} | {"model"})
        out: dict[str, Any] = {"model": md.id}
        for name in draw(st.lists(st.sampled_from(names), max_size=6, unique=True)):
            f = _table(family.fields).get(name)
            if f is not None and f.properties and draw(st.booleans()):
                keys = [p.name for p in f.properties]
                out[name] = draw(st.dictionaries(st.sampled_from(keys), values, max_size=3))
            elif f is not None and f.items is not None and f.items.properties and draw(st.booleans()):
                keys = [p.name for p in f.items.properties]
                out[name] = draw(st.lists(st.dictionaries(st.sampled_from(keys), values, max_size=3), max_size=3))
            else:
                out[name] = draw(values)
        return out

    return body()
