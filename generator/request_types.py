"""What a typed client may promise about one model's request, worked out once for every language.

A type system can state what holds for *every* request of a model on an endpoint, whatever its
mode: the fields the family documents there, which of them are always required, which never
allowed, and the only values a field ever takes (an unconditional enum, a short run of whole
numbers). Everything else (modes, conditionals, cross-field limits) stays the linter's job. The
TypeScript emitter renders these facts as interfaces; any other client emitter can read the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import model as m
from .scope import applies, default_endpoint

# A whole-number range longer than this stays ``number`` rather than a union of literals.
SMALL_RANGE = 40


@dataclass(frozen=True)
class TypedField:
    """One request field as a type: its JSON types, or the only values it takes for this model."""

    name: str
    types: tuple[m.JsonType, ...]
    required: bool
    description: str | None
    source: m.Source
    values: tuple[m.Scalar, ...] | None = None
    properties: tuple[TypedField, ...] = ()
    item_types: tuple[m.JsonType, ...] = ()
    item_properties: tuple[TypedField, ...] = ()


@dataclass(frozen=True)
class RequestType:
    """The typed request of one model on one create endpoint."""

    model: str
    family: str
    endpoint: str
    fields: tuple[TypedField, ...]
    model_in_body: bool
    source: m.Source

    @property
    def ident(self) -> str:
        """``seedance2.0-720p`` -> ``Seedance20720p``: a name for the type in any language."""
        words = re.split(r"[^A-Za-z0-9]+", self.model)
        name = "".join(w[:1].upper() + w[1:] for w in words if w)
        return name if name[:1].isalpha() else f"M{name}"


def unconditional_rules(family: m.Family, model: m.Model, endpoint: str) -> list[m.Rule]:
    """The family's error rules that hold for every request of the model on the endpoint, whatever its mode."""
    return [
        r for r in family.rules if r.severity == "error" and not r.applies_to.modes and applies(r, model.id, endpoint)
    ]


def fixed_values(rules: list[m.Rule], *, nested: bool = False) -> dict[str, tuple[m.Scalar, ...]]:
    """Field path -> the only values it ever takes (intersection of every unconditional enum and short range);
    paths into array items (``content[].type``) only when ``nested``."""
    fixed: dict[str, tuple[m.Scalar, ...]] = {}
    for rule in rules:
        if not rule.field or (not nested and "[" in rule.field):
            continue
        if rule.kind == "enum":
            values = rule.values
        elif (
            rule.kind == "range"
            and rule.integer
            and rule.minimum is not None
            and rule.maximum is not None
            and rule.maximum - rule.minimum <= SMALL_RANGE
        ):
            values = tuple(range(int(rule.minimum), int(rule.maximum) + 1))
        else:
            continue
        previous = fixed.get(rule.field)
        fixed[rule.field] = values if previous is None else tuple(v for v in previous if v in values)
    return {k: v for k, v in fixed.items() if v}


def _named(rules: list[m.Rule], kind: str) -> set[str]:
    return {f for r in rules if r.kind == kind for f in r.fields}


def _typed(
    field: m.Field, fixed: dict[str, tuple[m.Scalar, ...]], required: set[str], forbidden: set[str], prefix: str
) -> TypedField | None:
    path = f"{prefix}{field.name}"
    if path in forbidden:
        return None
    properties = tuple(
        t for p in field.properties if (t := _typed(p, fixed, required, forbidden, f"{path}.")) is not None
    )
    items = field.items
    item_properties = (
        tuple(t for p in items.properties if (t := _typed(p, fixed, set(), forbidden, f"{path}[].")) is not None)
        if items is not None
        else ()
    )
    return TypedField(
        name=field.name,
        types=field.types,
        required=path in required,
        description=field.description,
        source=field.source,
        values=fixed.get(path),
        properties=properties,
        item_types=items.types if items is not None else (),
        item_properties=item_properties,
    )


def request_type(spec: m.Spec, model: m.Model, endpoint: str | None = None) -> RequestType:
    family = spec.family(model.family)
    endpoint = endpoint or default_endpoint(spec, model)
    rules = unconditional_rules(family, model, endpoint)
    fixed = fixed_values(rules)
    required = _named(rules, "required")
    forbidden = _named(rules, "forbidden")
    fields = tuple(
        typed
        for f in family.fields
        if f.name != "model" and (not f.endpoints or endpoint in f.endpoints)
        if (typed := _typed(f, fixed, required, forbidden, "")) is not None
    )
    accepting = [md.id for md in spec.models if endpoint in md.endpoint_ids]
    in_path = "{" in endpoint and "/models/{" in endpoint
    return RequestType(
        model=model.id,
        family=family.id,
        endpoint=endpoint,
        fields=fields,
        model_in_body=not in_path and len(accepting) > 1,
        source=model.source,
    )


def request_types(spec: m.Spec) -> list[RequestType]:
    """Every model's typed request on its recommended create endpoint, in model ID order."""
    return [request_type(spec, md) for md in sorted(spec.models, key=lambda md: md.id)]
