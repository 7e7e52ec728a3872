"""JSON Schema draft 2020-12 for every request body, per (endpoint, model), built from the loaded spec.

Each schema states the model's exact field types, enums, ranges and conditionals; one schema per
endpoint dispatches on ``model``. What JSON Schema cannot say (sums across fields, pixel areas,
equality of two fields) and what is only a warning (recommended, deprecated, unknown fields) is
recorded per schema as :class:`Omitted`, and the standalone linter enforces it.

Not an emitter: ``emitters/json_schemas.py`` writes these schemas to ``generated/schemas/`` and
``emitters/openapi.py`` calls :func:`build_schemas` with its own ``$ref`` base rather than reading
those files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from .endpoint_models import body_names_model, implied_model, model_path_parameter
from .literals import ecma_pattern
from .media import field_description, uri_valued
from .scope import applies
from .spec_paths import (
    field_names,
    item_fields,
    required_text,
    shared_item_prefix,
    split_path,
    strip_item_prefix,
)

SCHEMA_BASE_URI = "https://uniall-spec.invalid/schemas/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
INEXPRESSIBLE_REASONS = {
    "sum_max": "a sum across fields is not expressible in JSON Schema",
    "pixel_bounds": "a product of two fields (pixel area) is not expressible in JSON Schema",
    "equal_when_both": "equality of two fields' values is not expressible in JSON Schema",
}


def slug(text: str) -> str:
    """``POST /v1/video/generations`` -> ``post-v1-video-generations``: a file-name-safe endpoint key."""
    return re.sub(r"[^a-z0-9.]+", "-", text.lower()).strip("-")


def dumps(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _json_types(types: tuple[str, ...]) -> str | list[str]:
    return types[0] if len(types) == 1 else list(types)


def _names(fields: tuple[m.Field, ...], name: str) -> list[str]:
    """The property names that carry the input ``name`` (itself and its aliases)."""
    declared = field_names(fields).get(name)
    if declared is None:
        return [name]
    return [name, *(n for n in (declared.name, *declared.aliases) if n != name)]


@dataclass
class _Builder:
    """Turns paths, conditions and rules into schema fragments for one family."""

    family: m.Family

    def at(self, path: str, leaf: dict[str, Any], fields: tuple[m.Field, ...] | None = None) -> dict[str, Any]:
        """A fragment that applies ``leaf`` to every value at ``path`` (absent values are not checked)."""
        parts = split_path(path)
        return self._at(parts, leaf, self.family.fields if fields is None else fields)

    def _at(self, parts: list[str | int | None], leaf: dict[str, Any], fields: tuple[m.Field, ...]) -> dict[str, Any]:
        if not parts:
            return leaf
        head, rest = parts[0], parts[1:]
        if head is None:
            return {"items": self._at(rest, leaf, fields)}
        if isinstance(head, int):
            return {"prefixItems": [{}] * head + [self._at(rest, leaf, fields)]}
        declared = field_names(fields).get(head)
        inner_fields: tuple[m.Field, ...] = ()
        if declared is not None:
            inner_fields = declared.items.properties if declared.items is not None else declared.properties
        inner = self._at(rest, leaf, inner_fields)
        return {"properties": {name: inner for name in _names(fields, head)}}

    def present(self, path: str, fields: tuple[m.Field, ...] | None = None) -> dict[str, Any]:
        """A schema true when ``path`` is present (any item, for paths through arrays)."""
        return self._present(split_path(path), self.family.fields if fields is None else fields)

    def _present(self, parts: list[str | int | None], fields: tuple[m.Field, ...]) -> dict[str, Any]:
        head, rest = parts[0], parts[1:]
        if head is None:
            return {"type": "array", "contains": self._present(rest, fields)} if rest else {"minItems": 1}
        if isinstance(head, int):
            return {"type": "array", "prefixItems": [{}] * head + [self._present(rest, fields) if rest else {}]}
        names = _names(fields, head)
        declared = field_names(fields).get(head)
        inner_fields: tuple[m.Field, ...] = ()
        if declared is not None:
            inner_fields = declared.items.properties if declared.items is not None else declared.properties
        options = []
        for name in names:
            option: dict[str, Any] = {"required": [name]}
            if rest:
                inner = self._present(rest, inner_fields)
                if rest[0] is None or isinstance(rest[0], int):
                    option["properties"] = {name: inner}
                else:
                    option["properties"] = {name: {"type": "object", **inner}}
            options.append(option)
        return options[0] if len(options) == 1 else {"anyOf": options}

    def some_value(self, path: str, leaf: dict[str, Any], fields: tuple[m.Field, ...] | None) -> dict[str, Any]:
        """True when some value at ``path`` matches ``leaf`` (the linter's ``any(... for _vals)``)."""
        return self._some(split_path(path), leaf, self.family.fields if fields is None else fields)

    def _some(self, parts: list[str | int | None], leaf: dict[str, Any], fields: tuple[m.Field, ...]) -> dict[str, Any]:
        if not parts:
            return leaf
        head, rest = parts[0], parts[1:]
        if head is None:
            return {"type": "array", "contains": self._some(rest, leaf, fields)}
        if isinstance(head, int):
            return {
                "type": "array",
                "prefixItems": [{}] * head + [self._some(rest, leaf, fields)],
                "minItems": head + 1,
            }
        declared = field_names(fields).get(head)
        inner_fields: tuple[m.Field, ...] = ()
        if declared is not None:
            inner_fields = declared.items.properties if declared.items is not None else declared.properties
        inner = self._some(rest, leaf, inner_fields)
        options = [{"type": "object", "required": [name], "properties": {name: inner}} for name in _names(fields, head)]
        return options[0] if len(options) == 1 else {"anyOf": options}

    def condition(self, c: m.Condition, fields: tuple[m.Field, ...] | None = None) -> dict[str, Any]:
        if isinstance(c, m.Present):
            test = self.present(c.field, fields)
            return test if c.present else {"not": test}
        if isinstance(c, m.Equals):
            return self.some_value(c.field, {"const": c.value}, fields)
        if isinstance(c, m.In):
            return self.some_value(c.field, {"enum": list(c.values)}, fields)
        if isinstance(c, m.IsType):
            return self.some_value(c.field, {"type": c.json_type}, fields)
        if isinstance(c, m.MinItems):
            return self.some_value(c.field, {"type": "array", "minItems": c.count}, fields)
        if isinstance(c, m.Exists):
            array = c.array if c.array.endswith("[]") else f"{c.array}[]"
            item_fields = self.item_fields(array)
            return self.some_value(array, self.condition(c.where, item_fields), fields)
        if isinstance(c, m.All):
            return {"allOf": [self.condition(x, fields) for x in c.conditions]}
        if isinstance(c, m.AnyOf):
            return {"anyOf": [self.condition(x, fields) for x in c.conditions]}
        return {"not": self.condition(c.condition, fields)}

    def item_fields(self, array_path: str) -> tuple[m.Field, ...]:
        return item_fields(self.family, array_path)

    def required(self, path: str, fields: tuple[m.Field, ...] | None) -> dict[str, Any]:
        """``path`` must be present, as the linter's ``_absent`` reads it.

        The keys after the last array step are required level by level (a missing parent object
        counts as missing, a parent of another type is left to the type checks); before that, the
        requirement applies inside every item that exists.
        """
        parts = split_path(path)
        last_array = max((i for i, p in enumerate(parts) if not isinstance(p, str)), default=-1)
        prefix, keys = parts[: last_array + 1], [p for p in parts[last_array + 1 :] if isinstance(p, str)]
        scope = self.family.fields if fields is None else fields
        if prefix:
            scope = self._field_list(_join(prefix), scope)
            return self.at(_join(prefix), {"if": {"type": "object"}, "then": self._require_keys(keys, scope)}, fields)
        return self._require_keys(keys, scope)

    def _require_keys(self, keys: list[str], scope: tuple[m.Field, ...]) -> dict[str, Any]:
        head, rest = keys[0], keys[1:]
        names = _names(scope, head)
        need: dict[str, Any] = (
            {"required": [names[0]]} if len(names) == 1 else {"anyOf": [{"required": [n]} for n in names]}
        )
        if not rest:
            return need
        declared = field_names(scope).get(head)
        inner_scope = declared.properties if declared is not None else ()
        inner = {"if": {"type": "object"}, "then": self._require_keys(rest, inner_scope)}
        return {**need, "properties": {name: inner for name in names}}

    def _field_list(self, path: str, scope: tuple[m.Field, ...]) -> tuple[m.Field, ...]:
        current: m.Field | None = None
        for part in split_path(path):
            if not isinstance(part, str):
                if current is not None and current.items is not None:
                    scope = current.items.properties
                continue
            current = field_names(scope).get(part)
            if current is None:
                return ()
            scope = current.properties if current.items is None else current.items.properties
        return scope

    def effect(self, e: m.Effect, fields: tuple[m.Field, ...] | None) -> dict[str, Any]:
        if e.kind in ("required", "forbidden", "mutually_exclusive", "exactly_one_of", "at_least_one_of"):
            return self.presence(e.kind, e.fields, fields)
        assert e.field is not None
        if e.kind == "enum":
            return self.at(e.field, {"enum": list(e.values)}, fields)
        if e.kind == "range":
            return self.at(e.field, _range(e.minimum, e.maximum, e.integer), fields)
        return self.at(
            e.field.removesuffix("[]"), _items(e.min_items, e.max_items, e.count_where, self, e.field), fields
        )

    def presence(self, kind: str, paths: tuple[str, ...], fields: tuple[m.Field, ...] | None) -> dict[str, Any]:
        if kind == "required":
            scope = self.family.fields if fields is None else fields
            present = [self.required(p, fields) for p in paths]
            non_empty = [self.at(p, {"minLength": 1}, fields) for p in paths if required_text(scope, p)]
            return _all(present + non_empty)
        if kind == "forbidden":
            return _all([{"not": self.present(p, fields)} for p in paths])
        tests = [self.present(p, fields) for p in paths]
        if kind == "mutually_exclusive":
            pairs = [{"not": {"allOf": [a, b]}} for i, a in enumerate(tests) for b in tests[i + 1 :]]
            return _all(pairs)
        if kind == "exactly_one_of":
            return {"oneOf": tests}
        scope = self.family.fields if fields is None else fields
        if all(required_text(scope, p) for p in paths):  # an empty text gives none, as in the linter
            tests = [_all([t, self.at(p, {"minLength": 1}, fields)]) for t, p in zip(tests, paths, strict=True)]
        return {"anyOf": tests}


def _join(parts: list[str | int | None]) -> str:
    out = ""
    for part in parts:
        if part is None:
            out += "[]"
        elif isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def _all(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"allOf": items}


def _range(minimum: float | None, maximum: float | None, integer: bool) -> dict[str, Any]:
    """Number keywords (they pass any non-number; :func:`strict_types` puts the field's type beside them)."""
    out: dict[str, Any] = {}
    if minimum is not None:
        out["minimum"] = _num(minimum)
    if maximum is not None:
        out["maximum"] = _num(maximum)
    if integer:
        out["multipleOf"] = 1
    return out


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _items(
    min_items: int | None, max_items: int | None, count_where: m.Condition | None, builder: _Builder, path: str
) -> dict[str, Any]:
    if count_where is None:
        bounds: dict[str, Any] = {}
        if min_items is not None:
            bounds["minItems"] = min_items
        if max_items is not None:
            bounds["maxItems"] = max_items
        return bounds
    array = path if path.endswith("[]") else f"{path}[]"
    matcher = builder.condition(count_where, builder.item_fields(array))
    # minContains 0 lets an array with no matching item pass, as the linter's count does.
    counted: dict[str, Any] = {"contains": matcher, "minContains": min_items or 0}
    if max_items is not None:
        counted["maxContains"] = max_items
    return counted


# ---- strict mode: what ajv's `strict: true`, Spectral and Redocly ask of a schema ---------------------

# Keywords that only apply to one JSON type (ajv's keyword groups). Strict validators want that type
# stated beside them, so a reader never wonders whether a string value skips a `minimum`.
_TYPED_KEYWORDS: dict[str, frozenset[str]] = {
    "number": frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"}),
    "string": frozenset({"minLength", "maxLength", "pattern", "format"}),
    "array": frozenset(
        {"items", "prefixItems", "contains", "minContains", "maxContains", "minItems", "maxItems", "uniqueItems"}
    ),
    "object": frozenset({"properties", "required", "minProperties", "maxProperties", "additionalProperties"}),
}
_IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
_IN_PLACE_ONE = ("not", "if", "then", "else")


@dataclass(frozen=True)
class Shape:
    """The declared type of one location in a request body (from the spec's `fields:`)."""

    types: tuple[str, ...]
    properties: Mapping[str, Shape] = field(default_factory=dict)
    items: Shape | None = None


def _field_shapes(fields: tuple[m.Field, ...], endpoint: str | None) -> dict[str, Shape]:
    out: dict[str, Shape] = {}
    for f in fields:
        if endpoint is not None and f.endpoints and endpoint not in f.endpoints:
            continue
        items = Shape(f.items.types, _field_shapes(f.items.properties, None)) if f.items is not None else None
        shape = Shape(f.types, _field_shapes(f.properties, None), items)
        for name in (f.name, *f.aliases):
            out[name] = shape
    return out


def _applies(keyword_type: str, json_type: str) -> bool:
    return keyword_type == json_type or (keyword_type == "number" and json_type == "integer")


def _type_schema(types: tuple[str, ...], extra: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """``{type: T}``, or ``anyOf`` one branch per type when there are several (strict mode has no unions)."""
    branches = [{"type": t, **(extra or {}).get(t, {})} for t in types]
    return branches[0] if len(branches) == 1 else {"anyOf": branches}


def _declared_type(types: tuple[str, ...], extra: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """A declared field or item type. Its objects say ``additionalProperties: true`` out loud: the
    schemas accept fields the docs do not describe (a linter warning), and code generators
    (openapi-typescript) type an object without it as one that has no other keys."""
    with_open = {t: dict((extra or {}).get(t, {})) for t in types}
    if "object" in with_open:
        with_open["object"]["additionalProperties"] = True
    return _type_schema(types, with_open)


def strict_types(node: dict[str, Any], shape: Shape | None, context: tuple[str, ...] = ()) -> dict[str, Any]:
    """``node`` with the declared type beside every type-specific keyword and `properties` beside `required`.

    The request's declared shape is enforced at the top of every per-model schema, so a location's
    declared type holds for every valid body: stating it again inside a rule changes no verdict. A
    keyword next to a declared union (string or array) moves into that type's `anyOf` branch.
    """
    own = node.get("type")
    types = (own,) if isinstance(own, str) else tuple(own) if own else context
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _IN_PLACE_LISTS:
            unique = []
            for item in (strict_types(v, shape, types) for v in value):
                if item not in unique:  # the same condition twice in one allOf says nothing more
                    unique.append(item)
            out[key] = unique
        elif key in _IN_PLACE_ONE:
            out[key] = strict_types(value, shape, types)
        elif key == "properties":
            props = shape.properties if shape is not None else {}
            out[key] = {name: strict_types(sub, props.get(name), ()) for name, sub in value.items()}
        elif key in ("items", "contains"):
            out[key] = strict_types(value, shape.items if shape is not None else None, ())
        elif key == "prefixItems":
            out[key] = [strict_types(v, shape.items if shape is not None else None, ()) for v in value]
        else:
            out[key] = value
    if "required" in out:
        # Strict validators and Redocly want each required name declared beside it.
        declared = out.setdefault("properties", {})
        for name in out["required"]:
            declared.setdefault(name, {})
    needed = {t for t, keywords in _TYPED_KEYWORDS.items() if keywords & out.keys()}
    if needed and not all(any(_applies(t, c) for c in types) for t in needed):
        out = _typed(out, shape) if shape is not None else _guarded(out)
    if out.get("type") == "array" and "items" not in out:
        # Spectral's array-items: every array schema says what its items are (the declared item type).
        out["items"] = _declared_type(shape.items.types) if shape is not None and shape.items is not None else {}
    return out


def _guarded(node: dict[str, Any]) -> dict[str, Any]:
    """At a location no field declares (any type may be there): each keyword under ``if`` its type."""
    rest = {k: v for k, v in node.items() if not any(k in keywords for keywords in _TYPED_KEYWORDS.values())}
    guards = []
    for json_type, keywords in _TYPED_KEYWORDS.items():
        mine = {k: v for k, v in node.items() if k in keywords}
        if mine:
            test: dict[str, Any] = {"type": json_type, **({"items": {}} if json_type == "array" else {})}
            guards.append({"if": test, "then": {**test, **mine}})
    return (
        {**rest, **guards[0]}
        if len(guards) == 1 and not {"if", "then"} & rest.keys()
        else {**rest, "allOf": [*rest.get("allOf", []), *guards]}
    )


def _typed(node: dict[str, Any], shape: Shape) -> dict[str, Any]:
    """Put the declared type(s) of ``shape`` beside ``node``'s type-specific keywords."""
    per_type: dict[str, dict[str, Any]] = {t: {} for t in shape.types}
    rest: dict[str, Any] = {}
    for key, value in node.items():
        owner = next((t for t, keywords in _TYPED_KEYWORDS.items() if key in keywords), None)
        if owner is None:
            rest[key] = value
            continue
        takers = [t for t in shape.types if _applies(owner, t)]
        if not takers:
            raise ValueError(f"`{key}` applies to no declared type {shape.types} of its location: {node}")
        for t in takers:
            per_type[t][key] = value
    for t, keywords in per_type.items():
        if t == "array" and "items" not in keywords:
            keywords["items"] = _declared_type(shape.items.types) if shape.items is not None else {}
    typed = _type_schema(shape.types, per_type)
    if "anyOf" not in typed:
        return {**typed, **rest}
    if "anyOf" in rest:
        return {**{k: v for k, v in rest.items() if k != "allOf"}, "allOf": [*rest.get("allOf", []), typed]}
    return {**rest, **typed}


@dataclass(frozen=True)
class Omitted:
    """A rule the schema leaves to the linter, and why."""

    rule: str
    severity: str
    reason: str


@dataclass
class ModelSchema:
    endpoint: str
    model: str
    file: str
    schema: dict[str, Any]
    omitted: list[Omitted] = field(default_factory=list)


def _property_schema(f: m.Field) -> dict[str, Any]:
    """The declared shape of a field (one `anyOf` branch per type when it takes several)."""
    schema: dict[str, Any] = {}
    description = field_description(f)
    if description:
        schema["description"] = description
    if f.has_default:
        schema["default"] = f.default
    per_type: dict[str, dict[str, Any]] = {}
    value_is_url, items_are_urls = uri_valued(f)
    if value_is_url:
        per_type["string"] = {"format": "uri"}
    if f.properties:
        per_type["object"] = {"properties": _properties(f.properties, None)}
    if "array" in f.types:
        item: dict[str, Any] = {}
        if f.items is not None:
            item_extra: dict[str, dict[str, Any]] = {}
            if items_are_urls:
                item_extra["string"] = {"format": "uri"}
            if f.items.properties:
                item_extra["object"] = {"properties": _properties(f.items.properties, None)}
            item = _declared_type(f.items.types, item_extra)
        # An array the docs give no item type for takes any items; `items` says so explicitly.
        per_type["array"] = {"items": item}
    return {**_declared_type(f.types, per_type), **schema}


def _properties(fields: tuple[m.Field, ...], endpoint: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in sorted(fields, key=lambda f: f.name):
        if endpoint is not None and f.endpoints and endpoint not in f.endpoints:
            continue
        schema = _property_schema(f)
        for name in (f.name, *f.aliases):
            out[name] = schema
    return out


def _mode_chain(
    family: m.Family, endpoint: str, builder: _Builder, rules_by_mode: Mapping[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """The linter's first-match mode selection as one ``if``/``then``/``else`` chain, selectors in order.

    Each ``then`` holds the rules of the mode its selector picks; the ``else`` is what is left when the
    selector does not match, so no selector repeats the earlier ones as exclusions and no rule repeats
    the mode test. A canonicaliser that turns each ``if`` into a union of two branches (schemathesis's)
    meets one branch per selector here, where one ``if``/``then`` per rule multiplied them per rule and
    made it give up. An empty dict when no mode has a rule for this model.
    """
    selectors = [s for s in family.modes if not s.endpoints or endpoint in s.endpoints]
    chain: dict[str, Any] = {}
    for selector in reversed(selectors):
        link: dict[str, Any] = {"if": builder.condition(selector.selected_by)}
        if rules_by_mode.get(selector.mode):
            link["then"] = _all(rules_by_mode[selector.mode])
        if chain:
            link["else"] = chain
        chain = link if len(link) > 1 else {}
    return chain


def _selectable_modes(family: m.Family, endpoint: str) -> list[str]:
    """The modes some selector can pick on ``endpoint``, in the family's order."""
    modes = [s.mode for s in family.modes if not s.endpoints or endpoint in s.endpoints]
    return list(dict.fromkeys(modes))


def _any(items: list[dict[str, Any]]) -> dict[str, Any]:
    return items[0] if len(items) == 1 else {"anyOf": items}


def _rule_schema(rule: m.Rule, builder: _Builder) -> dict[str, Any] | None:
    """The rule as a schema fragment, or None when JSON Schema cannot state it."""
    kind = rule.kind
    if kind in ("required", "forbidden", "mutually_exclusive", "exactly_one_of", "at_least_one_of"):
        return builder.presence(kind, rule.fields, None)
    if kind == "enum":
        assert rule.field is not None
        return builder.at(rule.field, {"enum": list(rule.values)})
    if kind == "range":
        assert rule.field is not None
        return builder.at(rule.field, _range(rule.minimum, rule.maximum, rule.integer))
    if kind == "length":
        assert rule.field is not None
        bounds: dict[str, Any] = {}
        if rule.min_length:
            bounds["minLength"] = rule.min_length
        if rule.max_length is not None:
            bounds["maxLength"] = rule.max_length
        return builder.at(rule.field, bounds)
    if kind in ("pattern", "media_url", "media_format"):
        assert rule.field is not None and rule.pattern is not None
        return builder.at(rule.field, {"pattern": ecma_pattern(rule.pattern)})
    if kind == "items":
        assert rule.field is not None
        items = _items(rule.min_items, rule.max_items, rule.count_where, builder, rule.field)
        return builder.at(rule.field.removesuffix("[]"), items)
    if kind == "conditional":
        assert rule.effect is not None
        prefix = shared_item_prefix(rule)
        if prefix is not None:
            relative = strip_item_prefix(rule, prefix)
            assert relative.condition is not None and relative.effect is not None
            fields = builder.item_fields(prefix)
            inner = {
                "if": builder.condition(relative.condition, fields),
                "then": builder.effect(relative.effect, fields),
            }
            return builder.at(prefix, {"if": {"type": "object"}, "then": inner})
        then = builder.effect(rule.effect, None)
        if rule.condition is None:
            return then
        return {"if": builder.condition(rule.condition), "then": then}
    return None


def _omission(rule: m.Rule) -> str:
    if rule.severity == "warning":
        return f"{rule.kind} rule with severity warning: a schema only states errors"
    if isinstance(rule.check, m.SumMax):
        return INEXPRESSIBLE_REASONS["sum_max"]
    if isinstance(rule.check, m.PixelBounds):
        return INEXPRESSIBLE_REASONS["pixel_bounds"]
    if isinstance(rule.check, m.EqualWhenBoth):
        return INEXPRESSIBLE_REASONS["equal_when_both"]
    return f"{rule.kind} is not expressible in JSON Schema"


def body_endpoints(spec: m.Spec) -> list[m.Endpoint]:
    """Endpoints that take a request body: the ones a schema describes."""
    return [e for e in spec.endpoints if e.body != "none" and e.kind in ("create", "chat")]


def model_schema(spec: m.Spec, family: m.Family, model: m.Model, endpoint: m.Endpoint, ref_base: str) -> ModelSchema:
    builder = _Builder(family)
    selectable = _selectable_modes(family, endpoint.id)
    clauses: list[dict[str, Any]] = []
    rules_by_mode: dict[str, list[dict[str, Any]]] = {mode: [] for mode in selectable}
    omitted: list[Omitted] = []
    for mode in selectable:
        if model.modes and mode not in model.modes:
            rules_by_mode[mode].append(
                {"$comment": f"common.mode-unsupported: {model.id} does not offer {mode}", "not": {}}
            )
    for rule in family.rules:
        if not applies(rule, model.id, endpoint.id):
            continue
        fragment = _rule_schema(rule, builder) if rule.severity == "error" else None
        if fragment is None:
            omitted.append(Omitted(rule.id, rule.severity, _omission(rule)))
            continue
        clause = {"$comment": f"{rule.id}: {rule.source.cite()}", **fragment}
        if rule.applies_to.modes:
            for mode in rule.applies_to.modes:
                if mode in rules_by_mode:
                    rules_by_mode[mode].append(clause)
        else:
            clauses.append(clause)
    chain = _mode_chain(family, endpoint.id, builder, rules_by_mode)
    if chain:
        clauses.append({"$comment": "the rules of the mode the first matching selector picks", **chain})
    file = f"{slug(endpoint.id)}/{model.id}.json"
    # Where the path names the model ({modeName}), the docs' bodies carry no `model` and the linter
    # reads the path, so the body schema does not pin one.
    named_in_body = model_path_parameter(endpoint) is None
    body_model = {"model": {"type": "string", "const": model.id}} if named_in_body else {}
    schema: dict[str, Any] = {
        "$schema": DIALECT,
        "$id": f"{ref_base}{file}",
        # No `/` in titles: code generators (openapi-python-client) name classes after the last segment.
        "title": f"{model.id} {slug(endpoint.id)} request",
        "description": f"Request body for {model.id} ({family.title}) on {endpoint.id}; source: {model.source.cite()}",
        "type": "object",
        "properties": {**_properties(family.fields, endpoint.id), **body_model},
        "additionalProperties": True,
    }
    if body_names_model(spec, endpoint):
        schema["required"] = ["model"]
    if clauses:
        # One `allOf` member holds the rules, so the top level is only the declared shape: code generators
        # that merge top-level `allOf` members into one class (openapi-python-client) would otherwise
        # meet each rule's partial view of a nested object as a second class of the same name.
        schema["allOf"] = [{"$comment": f"the error rules for {model.id} on {endpoint.id}", "allOf": clauses}]
    body_model_shape = {"model": Shape(("string",))} if named_in_body else {}
    shape = Shape(("object",), {**_field_shapes(family.fields, endpoint.id), **body_model_shape})
    return ModelSchema(endpoint.id, model.id, file, strict_types(schema, shape), omitted)


def model_source(spec: m.Spec, endpoint: m.Endpoint) -> dict[str, str]:
    """How a request to ``endpoint`` names its model, for ``index.json``."""
    parameter = model_path_parameter(endpoint)
    if parameter is not None:
        return {"from": "path", "parameter": parameter}
    implied = implied_model(spec, endpoint)
    if implied is not None:
        return {"from": "endpoint", "model": implied}
    return {"from": "body", "property": "model"}


def build_schemas(
    spec: m.Spec, ref: Callable[[str], str] = lambda file: file, discriminator: bool = False
) -> tuple[list[ModelSchema], dict[str, dict[str, Any]]]:
    """Per (endpoint, model) schemas, and per endpoint a schema that dispatches on ``model``.

    ``ref`` turns a per-model schema's file name into the ``$ref`` the dispatcher uses: relative
    file names here (resolved against the dispatcher's ``$id``), component pointers in OpenAPI.
    The dispatcher is a `oneOf` of the per-model schemas, each fixing `model` to one const, so code
    generators see a discriminated union (with an OpenAPI `discriminator` when ``discriminator``).
    Where the path or the endpoint gives the model, the body need not name it: one model is the
    per-model schema itself; several (the path's ``{modeName}``) are an `anyOf`.
    """
    per_model: list[ModelSchema] = []
    dispatch: dict[str, dict[str, Any]] = {}
    for endpoint in body_endpoints(spec):
        models = sorted(
            ((f, md) for f in spec.families for md in f.models if endpoint.id in md.endpoint_ids),
            key=lambda pair: pair[1].id,
        )
        if not models:
            continue
        refs: dict[str, str] = {}
        for family, md in models:
            built = model_schema(spec, family, md, endpoint, SCHEMA_BASE_URI)
            per_model.append(built)
            refs[md.id] = ref(built.file)
        file = f"{slug(endpoint.id)}.json"
        schema: dict[str, Any] = {
            "$schema": DIALECT,
            "$id": f"{SCHEMA_BASE_URI}{file}",
            "title": f"{slug(endpoint.id)} request",
        }
        source = endpoint.sources[0].cite()
        branches = [{"$ref": r} for r in refs.values()]
        if body_names_model(spec, endpoint):
            schema["description"] = f"Request body of {endpoint.id}: one schema per `model`; {source}"
            schema["oneOf"] = branches
            if discriminator:
                schema["discriminator"] = {"propertyName": "model", "mapping": refs}
        elif len(branches) == 1:
            schema["description"] = f"Request body of {endpoint.id}, the one model it serves; {source}"
            schema["allOf"] = branches
        else:
            parameter = model_path_parameter(endpoint)
            schema["description"] = (
                f"Request body of {endpoint.id}: the path parameter `{parameter}` names the model, so a body is"
                f" accepted when some model's schema accepts it; the per-model schema is exact; {source}"
            )
            schema["anyOf"] = branches
        dispatch[endpoint.id] = schema
    return per_model, dispatch
