"""Build, for each error rule of the spec, a request that breaks that rule and no other.

Start from the docs' own valid examples (and the same examples with the model swapped for another
of the family's models), then apply the smallest change that breaks the rule: drop a required field,
add a forbidden one, put a value just outside an enum or range, and so on. A candidate counts only
when the linter then reports exactly that one error rule. Rules no mutation reaches get a
hand-written case in ``tests/fixtures/rule_cases.yaml``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from ruamel.yaml import YAML

from generator import model as m
from generator.doc_examples import DocExample
from generator.spec_paths import split_path

MANUAL_CASES = Path(__file__).resolve().parent / "fixtures" / "rule_cases.yaml"
SAMPLE_URL = "https://example.com/sample.png"
# URLs a service cannot fetch from the public internet, one of each kind media_url rules reject.
NON_PUBLIC_URLS = (
    "http://127.0.0.1/media.png",
    "http://localhost:8080/media.png",
    "https://10.1.2.3/media.png",
    "https://192.168.0.10/media.png",
    "https://172.16.5.4/media.png",
    "http://169.254.169.254/media.png",
    "http://[::1]/media.png",
    "https://studio.local/media.png",
    "data:image/png;base64,iVBORw0KGgo=",
    "/home/me/media.png",
    "file:///home/me/media.png",
    "ftp://example.com/media.png",
)
_MEDIA_EXTENSIONS = ("gif", "tiff", "avi", "mkv", "ogg")


@dataclass(frozen=True)
class RuleCase:
    rule: str
    endpoint: str | None
    body: dict[str, Any]
    pointer: str
    origin: str
    also: tuple[tuple[str, str], ...] = ()


def manual_cases() -> dict[str, RuleCase]:
    data = YAML(typ="safe").load(MANUAL_CASES.read_text(encoding="utf-8")) or []
    return {
        item["rule"]: RuleCase(
            item["rule"],
            item.get("endpoint"),
            item["body"],
            item["pointer"],
            "manual: " + item["why"],
            tuple((a["rule"], a["pointer"]) for a in item.get("also", ())),
        )
        for item in data
    }


# ---- paths ---------------------------------------------------------------------------------------


def _field_at(family: m.Family, path: str) -> m.Field | None:
    scope = family.fields
    found: m.Field | None = None
    for part in split_path(path):
        if not isinstance(part, str):
            continue
        found = next((f for f in scope if part == f.name or part in f.aliases), None)
        if found is None:
            return None
        scope = found.items.properties if found.items is not None else found.properties
    return found


def pointer_of(path: str) -> str:
    out = ""
    for part in split_path(path):
        out += "/" + ("0" if part is None else str(part))
    return out


_ABSENT = object()


def _lookup(body: Any, path: str) -> Any:
    """The value at ``path`` (``[]`` read as item 0), or ``_ABSENT``."""
    node = body
    for part in split_path(path):
        key: Any = 0 if part is None else part
        if (isinstance(node, dict) and isinstance(key, str) and key in node) or (
            isinstance(node, list) and isinstance(key, int) and key < len(node)
        ):
            node = node[key]
        else:
            return _ABSENT
    return node


def get_value(body: Any, path: str) -> Any:
    found = _lookup(body, path)
    return None if found is _ABSENT else found


def has_value(body: Any, path: str) -> bool:
    return _lookup(body, path) is not _ABSENT


def set_value(body: dict[str, Any], path: str, value: Any) -> None:
    parts = split_path(path)
    node: Any = body
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        key: Any = 0 if part is None else part
        nxt = parts[i + 1] if not last else None
        empty: Any = [] if (nxt is None or isinstance(nxt, int)) and not last else {}
        if isinstance(node, dict):
            if last:
                node[key] = value
                return
            if not isinstance(node.get(key), (dict, list)):
                node[key] = empty
            node = node[key]
        elif isinstance(node, list):
            while len(node) <= key:
                node.append({} if not last else None)
            if last:
                node[key] = value
                return
            if not isinstance(node[key], (dict, list)):
                node[key] = empty
            node = node[key]


def delete_value(body: dict[str, Any], path: str, family: m.Family) -> None:
    parts = split_path(path)
    node: Any = body
    for part in parts[:-1]:
        key: Any = 0 if part is None else part
        if (isinstance(node, dict) and key in node) or (
            isinstance(node, list) and isinstance(key, int) and key < len(node)
        ):
            node = node[key]
        else:
            return
    last = parts[-1]
    if isinstance(node, dict) and isinstance(last, str):
        declared = _field_at(family, path)
        for name in (last, *((declared.name, *declared.aliases) if declared else ())):
            node.pop(name, None)


def sample_value(family: m.Family, path: str, examples: list[dict[str, Any]]) -> Any:
    """A value of the right type for ``path``: one the docs use, else one made from the field's type."""
    for body in examples:
        if has_value(body, path):
            return copy.deepcopy(get_value(body, path))
    declared = _field_at(family, path)
    types = declared.types if declared else ("string",)
    kind = types[0]
    if kind == "string":
        return SAMPLE_URL if declared and (declared.format or "url" in declared.name) else "sample"
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    if kind == "array":
        item_kind = declared.items.types[0] if declared and declared.items else "string"
        return [SAMPLE_URL] if item_kind == "string" else [{}]
    return {}


# ---- conditions ----------------------------------------------------------------------------------


def satisfy(c: m.Condition, body: dict[str, Any], family: m.Family, pool: list[dict[str, Any]]) -> bool:
    """Change ``body`` so that ``c`` holds; False when this simple solver cannot."""
    if isinstance(c, m.Present):
        if c.present:
            if not has_value(body, c.field):
                set_value(body, c.field, sample_value(family, c.field, pool))
        else:
            delete_value(body, c.field, family)
        return True
    if isinstance(c, m.Equals):
        set_value(body, c.field if "[]" not in c.field else c.field.replace("[]", "[0]"), c.value)
        return True
    if isinstance(c, m.In):
        set_value(body, c.field if "[]" not in c.field else c.field.replace("[]", "[0]"), c.values[0])
        return True
    if isinstance(c, m.MinItems):
        value = sample_value(family, c.field, pool)
        items = value if isinstance(value, list) and value else [SAMPLE_URL]
        set_value(body, c.field, (items * c.count)[: max(c.count, 1)])
        return True
    if isinstance(c, m.IsType):
        set_value(body, c.field, {"array": [SAMPLE_URL], "string": SAMPLE_URL, "object": {}}.get(c.json_type, 1))
        return True
    if isinstance(c, m.All):
        return all(satisfy(x, body, family, pool) for x in c.conditions)
    if isinstance(c, m.AnyOf):
        return satisfy(c.conditions[0], body, family, pool)
    if isinstance(c, m.Exists):
        array = c.array.removesuffix("[]")
        item: dict[str, Any] = {}
        items_pool = [i for b in pool for i in (get_value(b, array) or []) if isinstance(i, dict)]
        if not _satisfy_item(c.where, item, items_pool):
            return False
        current = get_value(body, array)
        set_value(body, array, [*(current if isinstance(current, list) else []), item])
        return True
    if isinstance(c, m.Not) and isinstance(c.condition, m.Present):
        delete_value(body, c.condition.field, family)
        return True
    return False


def _satisfy_item(c: m.Condition, item: dict[str, Any], pool: list[dict[str, Any]]) -> bool:
    wanted: dict[str, Any] = {}
    for leaf in _leaves(c):
        if isinstance(leaf, m.Equals):
            wanted[leaf.field] = leaf.value
        elif isinstance(leaf, m.In):
            wanted[leaf.field] = leaf.values[0]
        elif isinstance(leaf, m.Present) and leaf.present:
            wanted.setdefault(leaf.field, None)
        else:
            return False
    for candidate in pool:
        if all(v is None or candidate.get(k) == v for k, v in wanted.items()) and all(k in candidate for k in wanted):
            item.update(copy.deepcopy(candidate))
            return True
    item.update({k: (SAMPLE_URL if v is None else v) for k, v in wanted.items()})
    return True


def _leaves(c: m.Condition) -> Iterator[m.Condition]:
    if isinstance(c, m.All):
        for x in c.conditions:
            yield from _leaves(x)
    elif isinstance(c, m.AnyOf):
        yield from _leaves(c.conditions[0])
    else:
        yield c


# ---- breaking one constraint ---------------------------------------------------------------------


def _outside_values(values: tuple[m.Scalar, ...], field: m.Field | None) -> list[Any]:
    numeric = [v for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    out: list[Any] = []
    if field is None or "string" in field.types:
        out.append("not-a-documented-value")
    if numeric:
        out += [max(numeric) + 1, min(numeric) - 1, max(numeric) * 2 + 3]
        out += [int(v) + 1 for v in numeric if int(v) + 1 not in numeric]
    if any(isinstance(v, bool) for v in values):
        out += [not v for v in values if isinstance(v, bool)]
    if field is not None and "integer" in field.types and not numeric:
        out.append(987654)
    return out


def breakers(
    kind: str, spec_part: Any, body: dict[str, Any], family: m.Family, pool: list[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], str]]:
    """(mutated body, expected pointer) candidates that break one constraint of ``kind``."""
    part = spec_part
    if kind == "required":
        for path in part.fields:
            if has_value(body, path):
                changed = copy.deepcopy(body)
                delete_value(changed, path, family)
                yield changed, pointer_of(path)
    elif kind == "forbidden":
        for path in part.fields:
            changed = copy.deepcopy(body)
            set_value(changed, path.replace("[]", "[0]"), sample_value(family, path, pool))
            yield changed, pointer_of(path)
    elif kind == "enum":
        siblings = [
            v
            for r in family.rules
            if r.kind == "enum" and r.field == part.field
            for v in r.values
            if v not in part.values
        ]
        for value in [*dict.fromkeys(siblings), *_outside_values(part.values, _field_at(family, part.field))]:
            changed = copy.deepcopy(body)
            set_value(changed, part.field.replace("[]", "[0]"), value)
            yield changed, pointer_of(part.field)
    elif kind == "range":
        declared = _field_at(family, part.field)
        options: list[Any] = []
        if part.maximum is not None:
            options += [part.maximum + 1, part.maximum + 0.5]
        if part.minimum is not None:
            options += [part.minimum - 1, part.minimum - 0.5]
        if part.integer and part.minimum is not None:
            options.append(part.minimum + 0.5)
        if declared is not None and "integer" in declared.types and "number" not in declared.types:
            options = [o for o in options if float(o).is_integer()] + [o for o in options if not float(o).is_integer()]
        for value in options:
            changed = copy.deepcopy(body)
            set_value(changed, part.field.replace("[]", "[0]"), int(value) if float(value).is_integer() else value)
            yield changed, pointer_of(part.field)
    elif kind == "length":
        values = []
        if part.max_length is not None:
            values.append("a" * (part.max_length + 1))
        if part.min_length:
            values.append("")
        for value in values:
            changed = copy.deepcopy(body)
            set_value(changed, part.field.replace("[]", "[0]"), value)
            yield changed, pointer_of(part.field)
    elif kind == "pattern":
        for value in ("not a url", "ftp://example.com/a.png", "", "x", "-1", "abc 123", "0", "999"):
            if re.search(part.pattern, value):
                continue
            changed = copy.deepcopy(body)
            set_value(changed, part.field.replace("[]", "[0]"), value)
            yield changed, pointer_of(part.field)
    elif kind in ("media_url", "media_format"):
        # media rules: non-public or non-http(s) URLs, and URLs naming a media format not listed
        for value in (*NON_PUBLIC_URLS, *(f"https://example.com/media.{ext}" for ext in _MEDIA_EXTENSIONS)):
            if re.search(part.pattern, value):
                continue
            changed = copy.deepcopy(body)
            set_value(changed, part.field.replace("[]", "[0]"), value)
            yield changed, pointer_of(part.field)
    elif kind == "items":
        array = part.field.removesuffix("[]")
        current = get_value(body, array)
        sample = current if isinstance(current, list) and current else sample_value(family, array, pool)
        if not isinstance(sample, list) or not sample:
            sample = [SAMPLE_URL]
        if part.count_where is not None:
            item: dict[str, Any] = {}
            items_pool = [i for b in pool for i in (get_value(b, array) or []) if isinstance(i, dict)]
            if _satisfy_item(part.count_where, item, items_pool):
                sample = [item]
        if part.max_items is not None:
            changed = copy.deepcopy(body)
            base = list(current) if isinstance(current, list) else []
            set_value(
                changed, array, base + [copy.deepcopy(sample[i % len(sample)]) for i in range(part.max_items + 1)]
            )
            yield changed, pointer_of(array)
            changed = copy.deepcopy(body)
            set_value(changed, array, [copy.deepcopy(sample[i % len(sample)]) for i in range(part.max_items + 1)])
            yield changed, pointer_of(array)
        if part.min_items:
            changed = copy.deepcopy(body)
            set_value(changed, array, [copy.deepcopy(sample[0])] * (part.min_items - 1))
            yield changed, pointer_of(array)
    elif kind == "mutually_exclusive":
        changed = copy.deepcopy(body)
        for path in part.fields:
            if not has_value(changed, path):
                set_value(changed, path, sample_value(family, path, pool))
        yield changed, pointer_of(part.fields[1])
        for i, a in enumerate(part.fields):
            for b in part.fields[i + 1 :]:
                changed = copy.deepcopy(body)
                for path in part.fields:
                    if path not in (a, b):
                        delete_value(changed, path, family)
                for path in (a, b):
                    if not has_value(changed, path):
                        set_value(changed, path, sample_value(family, path, pool))
                yield changed, pointer_of(b)
    elif kind in ("at_least_one_of", "exactly_one_of"):
        changed = copy.deepcopy(body)
        for path in part.fields:
            delete_value(changed, path, family)
        yield changed, ""


@dataclass(frozen=True)
class _Effectish:
    """An Effect or Rule viewed through the attributes ``breakers`` reads."""

    fields: tuple[str, ...] = ()
    field: str = ""
    values: tuple[m.Scalar, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str = ""
    min_items: int | None = None
    max_items: int | None = None
    count_where: m.Condition | None = None


def _view(obj: m.Rule | m.Effect) -> _Effectish:
    return _Effectish(
        fields=obj.fields,
        field=obj.field or "",
        values=obj.values,
        minimum=obj.minimum,
        maximum=obj.maximum,
        integer=obj.integer,
        min_length=getattr(obj, "min_length", None),
        max_length=getattr(obj, "max_length", None),
        pattern=getattr(obj, "pattern", None) or "",
        min_items=obj.min_items,
        max_items=obj.max_items,
        count_where=obj.count_where,
    )


def _cross_field(
    rule: m.Rule, body: dict[str, Any], family: m.Family, pool: list[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], str]]:
    check = rule.check
    if isinstance(check, m.EqualWhenBoth):
        changed = copy.deepcopy(body)
        set_value(changed, check.fields[0], "first text")
        set_value(changed, check.fields[1], "second text")
        yield changed, pointer_of(check.fields[1])
    elif isinstance(check, m.PixelBounds):
        side = check.max_side or 4096
        low = int((check.min_pixels or 0) ** 0.5)
        options = [(side + 16, 512), (512, side + 16), (max(low - 16, 16), max(low - 16, 16))]
        if check.max_pixels:
            big = int(check.max_pixels**0.5) + 16
            options.append((big, big))
        for w, h in options:
            changed = copy.deepcopy(body)
            set_value(changed, check.width, w)
            set_value(changed, check.height, h)
            yield changed, pointer_of(check.width).rsplit("/", 1)[0]
    elif isinstance(check, m.SumMax):
        # Every split of max + 1 between two of the terms (the rest left out): single-field limits
        # decide which splits break the sum alone.
        total = int(check.max) + 1
        terms = check.terms
        for i, first in enumerate(terms):
            for second in terms[i + 1 :]:
                for amount in range(total, -1, -1):
                    changed = copy.deepcopy(body)
                    for term in terms:
                        share = amount if term is first else total - amount if term is second else 0
                        _set_term(changed, term, share, family, pool, total)
                    yield changed, _first_pointer(changed, terms[0].path)


def _set_term(
    body: dict[str, Any], term: m.SumTerm, amount: int, family: m.Family, pool: list[dict[str, Any]], total: int
) -> None:
    if not amount:
        delete_value(body, term.path, family)
    elif term.counts_items:
        sample = sample_value(family, term.path, pool)
        items = sample if isinstance(sample, list) and sample else [SAMPLE_URL]
        declared = _field_at(family, term.path)
        if declared is not None and "array" not in declared.types:
            if amount == 1:
                set_value(body, term.path, items[0])
            else:
                set_value(body, term.path, (items * total)[:amount])
        else:
            set_value(body, term.path, (items * total)[:amount])
    else:
        set_value(body, term.path, amount)


def _first_pointer(body: dict[str, Any], path: str) -> str:
    return pointer_of(path) if has_value(body, path) else ""


def candidates(
    rule: m.Rule, body: dict[str, Any], family: m.Family, pool: list[dict[str, Any]]
) -> Iterator[tuple[dict[str, Any], str]]:
    if rule.kind in (
        "required",
        "forbidden",
        "enum",
        "range",
        "length",
        "pattern",
        "items",
        "mutually_exclusive",
        "exactly_one_of",
        "at_least_one_of",
        "media_url",
        "media_format",
    ):
        yield from breakers(rule.kind, _view(rule), body, family, pool)
    elif rule.kind == "conditional" and rule.effect is not None and rule.condition is not None:
        primed = copy.deepcopy(body)
        if not satisfy(rule.condition, primed, family, pool):
            return
        for changed, pointer in breakers(rule.effect.kind, _view(rule.effect), primed, family, pool):
            yield changed, pointer
            # the effect may have undone the condition (e.g. deleting the field it tests): prime again
            again = copy.deepcopy(changed)
            if satisfy(rule.condition, again, family, pool) and again != changed:
                yield again, pointer
    elif rule.kind == "cross_field":
        yield from _cross_field(rule, body, family, pool)


def find_case(
    rule: m.Rule, spec: m.Spec, lint: ModuleType, bases: list[tuple[str | None, dict[str, Any], str]]
) -> RuleCase | None:
    """The first mutation of a valid base request that the linter rejects for this rule alone."""
    family = spec.family(rule.family)
    pool = [b for _, b, _ in bases]
    scope = rule.applies_to
    models = set(scope.models) or {md.id for md in family.models}
    fallback: RuleCase | None = None
    for endpoint, base, origin in bases:
        if base["model"] not in models:
            continue
        for primed in _in_mode(rule, family, base, pool):
            for body, pointer in candidates(rule, primed, family, pool):
                result = lint.lint_request(body, endpoint)
                found = [(v.rule, v.pointer) for v in result.errors]
                if found == [(rule.id, pointer)]:
                    return RuleCase(rule.id, endpoint, body, pointer, origin)
                if fallback is None and sorted(found) == sorted([(rule.id, pointer), *MODE_COMPANION]):
                    fallback = RuleCase(rule.id, endpoint, body, pointer, origin, also=MODE_COMPANION)
    return fallback


# Some rules restate, with a clearer message, what the mode check also reports: removing the only
# input of a mode switches the request to a mode the model lacks. Such a case may carry that twin.
MODE_COMPANION = (("common.mode-unsupported", ""),)


def _in_mode(
    rule: m.Rule, family: m.Family, base: dict[str, Any], pool: list[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    """The base itself, then the base moved into each mode the rule is scoped to."""
    yield base
    for selector in family.modes:
        if selector.mode in rule.applies_to.modes:
            primed = copy.deepcopy(base)
            if satisfy(selector.selected_by, primed, family, pool):
                yield primed


def valid_bases(
    spec: m.Spec, lint: ModuleType, docs: list[DocExample]
) -> dict[str, list[tuple[str | None, dict[str, Any], str]]]:
    """Per family: the docs' valid examples, and the same bodies with the model swapped within the family."""
    out: dict[str, list[tuple[str | None, dict[str, Any], str]]] = {}
    seen: set[str] = set()
    model_family = {md.id: md.family for md in spec.models}
    for example in docs:
        family = model_family.get(example.body["model"])
        if family is None:
            continue
        for md in spec.family(family).models:
            body = {**example.body, "model": md.id}
            result = lint.lint_request(body, example.endpoint)
            key = repr((example.endpoint, sorted(body.items(), key=lambda kv: kv[0])))
            if result.errors or key in seen:
                continue
            seen.add(key)
            origin = example.label if md.id == example.body["model"] else f"{example.label} as {md.id}"
            out.setdefault(family, []).append((result.endpoint, body, origin))
    return out
