"""``generated/python/``: the installable ``uniall`` client package.

Three parts, each from the loaded spec:

- request models: pydantic v2 classes, one per (create endpoint, model), written by
  datamodel-code-generator from *typing schemas* built here (field shapes plus the enums a model
  always has), not from the validation schemas, whose ``if``/``then`` layers would only produce
  unreadable unions; the rules stay the linter's job;
- typed ``create`` overloads per model: a keyword per documented field, ``Literal`` types where the
  spec fixes the allowed values for the model unconditionally, required keywords where the spec
  requires the field unconditionally, so a type checker flags what it can before anything runs;
- data tables (model -> resource, endpoints, poll intervals; task status words; result URL paths)
  read by the hand-shaped runtime in ``templates/python/``.
"""

from __future__ import annotations

import itertools
import json
import keyword
import re
import tempfile
import textwrap
import warnings
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import contract, gen_cache
from .. import model as m
from ..lint_compiler import render as render_linter
from ..literals import py_literal
from ..media import field_description
from ..request_types import SMALL_RANGE, fixed_values, unconditional_rules
from ..scope import client_resource, default_endpoint, voice_operation
from ..templating import fingerprint, jinja_env

PACKAGE = "python/uniall"
# The generated package's version (pyproject.toml, ``uniall.__version__``, ``uniall --version``):
# raise it with a CHANGELOG.md entry when the client's API changes.
CLIENT_VERSION = "0.1.0"
_PY_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}


def class_name(model_id: str, endpoint: str) -> str:
    """``seedance2.0-720p`` on ``POST /v1/video/generations`` -> ``Seedance20720pVideoGenerationsRequest``."""
    words = re.split(r"[^A-Za-z0-9]+", model_id)
    head = "".join(w[:1].upper() + w[1:] for w in words if w)
    tail_words = [w for w in re.split(r"[^A-Za-z0-9]+", endpoint.split(" ", 1)[1]) if w and w not in ("v1", "v1beta")]
    tail = "".join(w[:1].upper() + w[1:] for w in tail_words if not w.startswith("{"))
    return f"{head}{tail}Request"


def _fixed_values(
    family: m.Family, model: m.Model, endpoint: str, *, nested: bool = False
) -> dict[str, tuple[m.Scalar, ...]]:
    """Field path -> the only values the model ever takes there (see ``request_types.fixed_values``)."""
    return fixed_values(unconditional_rules(family, model, endpoint), nested=nested)


def _top_level(family: m.Family, model: m.Model, endpoint: str, kind: str) -> set[str]:
    """Top-level fields an unconditional ``required`` or ``forbidden`` rule names for this model."""
    return {
        f
        for r in unconditional_rules(family, model, endpoint)
        if r.kind == kind
        for f in r.fields
        if "." not in f and "[" not in f
    }


def _required(family: m.Family, model: m.Model, endpoint: str) -> set[str]:
    return _top_level(family, model, endpoint, "required")


def _fields_at(family: m.Family, endpoint: str) -> list[m.Field]:
    return [f for f in family.fields if f.name != "model" and (not f.endpoints or endpoint in f.endpoints)]


_JSON_OF = {str: "string", bool: "boolean", int: "integer", float: "number"}


def _covered(values: tuple[m.Scalar, ...]) -> set[str]:
    """The JSON types a fixed value set speaks for (an integer set also covers ``number``'s integers)."""
    return {_JSON_OF[type(v)] for v in values}


def _value_set(values: tuple[m.Scalar, ...]) -> dict[str, Any]:
    """An enum, or for a run of whole numbers a bounded integer: pydantic's ``Literal[1, 2]`` takes
    ``True`` as 1, a strict bounded ``int`` does not."""
    if all(type(v) is int for v in values) and len(values) > 2:
        numbers = sorted(int(v) for v in values)
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return {"type": "integer", "minimum": numbers[0], "maximum": numbers[-1]}
    return {"enum": list(values)}


def _typing_schema(field: m.Field, fixed: Mapping[str, tuple[m.Scalar, ...]], prefix: str = "") -> dict[str, Any]:
    """Every JSON type the field takes, as alternatives; a fixed value set replaces the types it covers."""
    path = f"{prefix}{field.name}"
    values = fixed.get(path)
    covered = _covered(values) if values is not None else set()
    options: list[dict[str, Any]] = [_value_set(values)] if values is not None else []
    for json_type in field.types:
        if json_type in covered:
            continue
        if json_type == "object":
            option: dict[str, Any] = {"type": "object"}
            if field.properties:
                option["properties"] = {p.name: _typing_schema(p, fixed, f"{path}.") for p in field.properties}
        elif json_type == "array":
            option = {"type": "array"}
            if field.items is not None:
                items = field.items
                item: dict[str, Any] = {"type": list(items.types) if len(items.types) > 1 else items.types[0]}
                if items.properties:
                    item["properties"] = {p.name: _typing_schema(p, fixed, f"{path}[].") for p in items.properties}
                option["items"] = item
        else:
            option = {"type": json_type}
        options.append(option)
    schema: dict[str, Any] = options[0] if len(options) == 1 else {"anyOf": options}
    cite = field.source.cite()
    description = field_description(field)
    schema["description"] = f"{description} (source: {cite})" if description else f"Source: {cite}"
    return schema


# The client's own keyword arguments. A documented field with one of these names is exposed with a
# trailing underscore (``timeout_``) and sent under its own name; the runtime maps it back.
CLIENT_KEYWORDS = (
    "endpoint",
    "extra_fields",
    "extra_headers",
    "extra_query",
    "model",
    "on_progress",
    "self",
    "timeout",
    "validate",
    "wait_timeout",
)


def python_name(field_name: str) -> str:
    """The keyword a field takes in the client: its own name, or ``name_`` when the client uses the name."""
    return f"{field_name}_" if field_name in CLIENT_KEYWORDS else field_name


@dataclass(frozen=True)
class Param:
    name: str
    wire: str
    annotation: str
    required: bool
    doc: str


@dataclass(frozen=True)
class Overload:
    """One ``create`` overload: the models that share exactly this signature, and its docstring."""

    models: tuple[str, ...]
    endpoint: str
    params: tuple[Param, ...]
    doc: str

    @property
    def model(self) -> str:
        return self.models[0]


@dataclass(frozen=True)
class Signature:
    """One model's keywords on its create endpoint, with the fields they come from."""

    family: m.Family
    model: m.Model
    endpoint: str
    params: tuple[tuple[Param, m.Field], ...]

    @property
    def class_name(self) -> str:
        return class_name(self.model.id, self.endpoint)

    @property
    def params_class(self) -> str:
        return self.class_name.removesuffix("Request") + "Params"

    def key(self) -> tuple[Any, ...]:
        """Models with equal keys share one overload (same family, endpoint, keywords, types and modes)."""
        return (self.family.id, self.endpoint, tuple(p for p, _ in self.params), self.model.modes)


def _digit_strings(pattern: str) -> tuple[str, ...] | None:
    """Every string a digits-only pattern (``^(?:[4-9]|1[0-5])$``) matches, when that set is small and
    provably complete: the pattern uses only digits, classes, groups, ``|`` and ``?`` (no repetition),
    so no match is longer than its count of atoms. None for any other pattern."""
    stripped = re.sub(r"\[[0-9\-]*\]", "[]", pattern)
    if not re.fullmatch(r"[\^$()?:|\[\]0-9]+", stripped):
        return None
    atoms = stripped.count("[]") + len(re.findall(r"[0-9]", stripped))
    if atoms > 4:
        return None
    compiled = re.compile(pattern)
    found = [
        s
        for length in range(1, atoms + 1)
        for s in ("".join(d) for d in itertools.product("0123456789", repeat=length))
        if compiled.search(s)
    ]
    return tuple(sorted(found, key=lambda s: (len(s), s))) if len(found) <= SMALL_RANGE + 1 else None


def _annotation_values(family: m.Family, model: m.Model, endpoint: str) -> dict[str, tuple[m.Scalar, ...]]:
    """Path -> the exact values the client's types allow: the fixed sets, plus the string forms a
    digits-only ``pattern`` rule allows for a field that also takes strings (``"5"`` for ``duration``)."""
    fixed = _fixed_values(family, model, endpoint, nested=True)
    for rule in unconditional_rules(family, model, endpoint):
        if rule.kind != "pattern" or not rule.field or rule.pattern is None or rule.field not in fixed:
            continue
        strings = _digit_strings(rule.pattern)
        if strings is None:
            continue
        current = fixed[rule.field]
        if any(isinstance(v, str) for v in current):
            kept = tuple(v for v in current if not isinstance(v, str) or v in strings)
        else:
            kept = current + strings
        fixed[rule.field] = kept
    return fixed


Variants = dict[str, dict[m.Scalar, dict[str, tuple[m.Scalar, ...]]]]


def _item_variants(family: m.Family, model: m.Model, endpoint: str) -> Variants:
    """``content[].type`` -> value -> the item keys whose values that type fixes (``if content[].type is
    image_url then content[].role in [...]``): one TypedDict per item type."""
    variants: Variants = {}
    for rule in unconditional_rules(family, model, endpoint):
        condition, effect = rule.condition, rule.effect
        if (
            rule.kind == "conditional"
            and isinstance(condition, m.Equals)
            and "[]." in condition.field
            and effect is not None
            and effect.kind == "enum"
            and effect.field
            and effect.field.rsplit(".", 1)[0] == condition.field.rsplit(".", 1)[0]
        ):
            by_value = variants.setdefault(condition.field, {})
            by_value.setdefault(condition.value, {})[effect.field] = effect.values
    return variants


def _pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.split(r"[^A-Za-z0-9]+", text) if w)


@dataclass(frozen=True)
class TypedDictShape:
    """One generated ``TypedDict``: keys with their annotation and whether the docs require them."""

    name: str
    doc: str
    keys: tuple[tuple[str, str, bool], ...]

    @property
    def class_syntax(self) -> bool:
        return all(k.isidentifier() and not keyword.iskeyword(k) for k, _, _ in self.keys)


class ParamTypes:
    """The ``TypedDict``s the client's signatures name, built from the spec's field shapes.

    A shape is named after its family and field (``SeedanceExtraBody``, ``SeedanceContentImageUrlItem``);
    models of a family that allow the same values share it, one that differs gets its own name.
    """

    def __init__(self) -> None:
        self.shapes: dict[str, TypedDictShape] = {}

    def add(self, name: str, owner_model: str, doc: str, keys: tuple[tuple[str, str, bool], ...]) -> str:
        for candidate in (name, f"{name}For{_pascal(owner_model)}"):
            existing = self.shapes.get(candidate)
            if existing is None:
                self.shapes[candidate] = TypedDictShape(candidate, doc, keys)
                return candidate
            if existing.keys == keys:
                return candidate
        # A model's own suffix is unique: only a second, different shape of one path in one model gets here.
        raise ValueError(f"two shapes named {name} for model {owner_model}")


class Annotator:
    """Python annotations for one model's fields on one endpoint: ``Literal`` where the docs fix the
    values, ``TypedDict``s for objects and array items whose keys the spec knows."""

    def __init__(self, types: ParamTypes, family: m.Family, model: m.Model, endpoint: str) -> None:
        self.types = types
        self.family = family
        self.model = model
        self.values = _annotation_values(family, model, endpoint)
        self.variants = _item_variants(family, model, endpoint)
        self.required = {
            f for r in unconditional_rules(family, model, endpoint) if r.kind == "required" for f in r.fields
        }
        self.owner = _pascal(family.id)

    def field(self, field: m.Field) -> str:
        return self._shape(field.name, field.name, field.types, field.properties, field.items, field.description)

    def _shape(
        self,
        path: str,
        name: str,
        types: tuple[str, ...],
        properties: tuple[m.Field, ...],
        items: m.ItemShape | None,
        description: str | None,
    ) -> str:
        values = self.values.get(path)
        parts = ["Literal[" + ", ".join(py_literal(v) for v in values) + "]"] if values else []
        covered = _covered(values) if values else set()
        if "integer" in covered:
            covered.add("number")  # a fixed set of whole numbers is the whole story for ``number`` too
        for json_type in types:
            if json_type in covered:
                continue
            if json_type == "object":
                parts.append(self._object(path, name, properties, description))
            elif json_type == "array":
                parts.append(f"Sequence[{self._items(path, name, items)}]")
            else:
                parts.append(_PY_TYPES[json_type])
        return " | ".join(dict.fromkeys(parts))

    def _object(
        self, path: str, name: str, properties: tuple[m.Field, ...], description: str | None, suffix: str = ""
    ) -> str:
        if not properties:
            return "Mapping[str, Any]"
        keys = tuple(
            (
                p.name,
                self._shape(f"{path}.{p.name}", p.name, p.types, p.properties, p.items, p.description),
                f"{path}.{p.name}" in self.required,
            )
            for p in properties
        )
        doc = (description or f"The ``{path}`` object.").strip()
        return self.types.add(f"{self.owner}{_pascal(path)}{suffix}", self.model.id, doc, keys)

    def _items(self, path: str, name: str, items: m.ItemShape | None) -> str:
        if items is None:
            return "Any"
        item_path = f"{path}[]"
        kinds: list[str] = []
        for json_type in items.types:
            if json_type != "object":
                kinds.append(self._shape(item_path, name, (json_type,), (), None, None))
            elif not items.properties:
                kinds.append("Mapping[str, Any]")
            else:
                kinds.extend(self._item_objects(item_path, items))
        return " | ".join(dict.fromkeys(kinds))

    def _item_objects(self, item_path: str, items: m.ItemShape) -> list[str]:
        """One ``TypedDict`` per item type when a key's value decides the others (``type`` -> ``role``)."""
        discriminators = [
            (key, by_value)
            for key, by_value in self.variants.items()
            if key.rsplit(".", 1)[0] == item_path and key in self.values
        ]
        props = items.properties
        if not discriminators:
            return [self._object(item_path, item_path, props, items.description, "Item")]
        key, by_value = discriminators[0]
        leaf = key.rsplit(".", 1)[1]
        names = []
        for value in self.values[key]:
            fixed = {**self.values, key: (value,), **by_value.get(value, {})}
            keys = tuple(
                (
                    p.name,
                    self._with_values(fixed, f"{item_path}.{p.name}", p),
                    f"{item_path}.{p.name}" in self.required,
                )
                for p in props
            )
            doc = f"A ``{item_path}`` item with ``{leaf}`` {value!r}."
            base = f"{self.owner}{_pascal(item_path)}{_pascal(str(value))}Item"
            names.append(self.types.add(base, self.model.id, doc, keys))
        return names

    def _with_values(self, values: dict[str, tuple[m.Scalar, ...]], path: str, p: m.Field) -> str:
        saved = self.values
        self.values = values
        try:
            return self._shape(path, p.name, p.types, p.properties, p.items, p.description)
        finally:
            self.values = saved


def _condition_fields(condition: m.Condition | None) -> set[str]:
    """Top-level fields whose presence or value a mode selector asks for (negations left out)."""
    if isinstance(condition, (m.All, m.AnyOf)):
        return set().union(*(_condition_fields(c) for c in condition.conditions))
    if isinstance(condition, m.Present) and not condition.present:
        return set()
    if isinstance(condition, m.Exists):
        return {re.split(r"[.\[]", condition.array)[0]}
    name = getattr(condition, "field", None)
    return {re.split(r"[.\[]", name)[0]} if isinstance(name, str) else set()


def _modes_by_field(family: m.Family, model: m.Model, endpoint: str) -> dict[str, list[str]]:
    """Field -> the model's modes whose selector names it (a field no selector names serves every mode)."""
    modes: dict[str, list[str]] = {}
    for selector in family.modes:
        if selector.mode not in model.modes or (selector.endpoints and endpoint not in selector.endpoints):
            continue
        for name in sorted(_condition_fields(selector.selected_by)):
            modes.setdefault(name, [])
            if selector.mode not in modes[name]:
                modes[name].append(selector.mode)
    return modes


def _allowed_text(values: tuple[m.Scalar, ...] | None, several: bool = False) -> str:
    if not values:
        return ""
    numbers = [v for v in values if type(v) is int]
    words = [v for v in values if type(v) is not int]
    parts = []
    if numbers:
        run = sorted(numbers) == list(range(min(numbers), max(numbers) + 1)) and len(numbers) > 3
        parts.append(f"{min(numbers)} to {max(numbers)}" if run else ", ".join(str(v) for v in numbers))
    if words:
        parts.append(", ".join(repr(v) if isinstance(v, str) else str(v) for v in words))
    return f" Allowed for {'these models' if several else 'this model'}: " + "; as strings: ".join(parts) + "."


def _docstring(signature: Signature, models: list[m.Model], params_classes: list[str]) -> str:
    """The hover text of one overload: what the models do, then per parameter its meaning, the values
    these models allow, the modes it serves and where the docs say so; last, the request ``TypedDict``
    of each model, the way to type errors that name the key (a wrong value on an overloaded call
    makes mypy list every overload instead)."""
    family, model, endpoint = signature.family, signature.model, signature.endpoint
    modes = _modes_by_field(family, model, endpoint)
    values = _annotation_values(family, model, endpoint)
    names = " or ".join(f"``{md.id}``" for md in models)
    cites = list(dict.fromkeys(md.source.cite() for md in models))
    lines = [f"Create a {names} task ({family.title}) on ``{endpoint}``.", ""]
    lines += [f"Modes: {', '.join(model.modes) or 'not stated'}.", *(f"Docs: {c}" for c in cites), "", "Args:"]
    for param, field in signature.params:
        text = (field_description(field) or "").strip().rstrip(".")
        text = f"{text}." if text else "Not described by the docs."
        if param.required:
            text = f"Required. {text}"
        text += _allowed_text(values.get(field.name), several=len(models) > 1)
        served = modes.get(field.name)
        text += f" Modes: {', '.join(served)}." if served else ""
        if param.name != param.wire:
            text += f" Sent as ``{param.wire}`` (``{param.wire}`` is a client keyword)."
        text += f" Source: {field.source.cite()}"
        lines.append(
            textwrap.fill(
                text,
                width=100,
                initial_indent=f"    {param.name}: ",
                subsequent_indent="        ",
                break_on_hyphens=False,  # never split a URL or a model ID
                break_long_words=False,
            )
        )
    lines += [
        "",
        "Client options: ``endpoint`` (another documented endpoint), ``validate=False`` (skip the linter),",
        "``timeout`` (seconds), ``extra_fields`` (merged into the body), ``extra_headers``, ``extra_query``.",
    ]
    if params_classes:
        typed = " or ".join(f"``uniall.params.{name}``" for name in params_classes)
        text = f"Typed body: {typed}; pass it as ``create(**body)`` and mypy names a wrong key or value in one line."
        lines += ["", textwrap.fill(text, width=100, break_on_hyphens=False, break_long_words=False)]
    return "\n".join(lines).replace("\\", "\\\\").replace('"""', "'''")


def _signature(types: ParamTypes, family: m.Family, model: m.Model, endpoint: str) -> Signature:
    annotate = Annotator(types, family, model, endpoint)
    required = _required(family, model, endpoint)
    forbidden = _forbidden(family, model, endpoint)
    params: list[tuple[Param, m.Field]] = []
    for f in sorted(_fields_at(family, endpoint), key=lambda f: (f.name not in required, f.name)):
        if f.name in forbidden:
            continue
        param = Param(
            name=python_name(f.name),
            wire=f.name,
            annotation=annotate.field(f),
            required=f.name in required,
            doc=(field_description(f) or "").replace('"""', "'''"),
        )
        params.append((param, f))
    return Signature(family, model, endpoint, tuple(params))


def _overloads(signatures: list[Signature]) -> list[Overload]:
    """One overload per distinct signature, naming every model that shares it (fewer, shorter
    candidates in a type checker's "no overload matches" report)."""
    groups: dict[tuple[Any, ...], list[Signature]] = {}
    for signature in sorted(signatures, key=lambda s: s.model.id):
        groups.setdefault(signature.key(), []).append(signature)
    merged = [
        Overload(
            models=tuple(s.model.id for s in group),
            endpoint=group[0].endpoint,
            params=tuple(p for p, _ in group[0].params),
            doc=_docstring(
                group[0],
                [s.model for s in group],
                [] if voice_operation(group[0].model) else [s.params_class for s in group],
            ),
        )
        for group in groups.values()
    ]
    return sorted(merged, key=lambda o: o.models[0])


def _overload(spec: m.Spec, family: m.Family, model: m.Model, endpoint: str) -> Overload:
    """The overload of one model alone (tests and single-model callers)."""
    return _overloads([_signature(ParamTypes(), family, model, endpoint)])[0]


def _natural(name: str) -> list[Any]:
    """Ruff's order for ``__all__``: digit runs compare as numbers (``Gemini3`` before ``Gemini31``)."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _names_used(types: ParamTypes, overloads: Mapping[str, list[Overload]]) -> list[str]:
    """The ``TypedDict`` names the ``create`` signatures mention (what ``_resources`` imports)."""
    words = {
        w for group in overloads.values() for o in group for p in o.params for w in re.findall(r"\w+", p.annotation)
    }
    return sorted((name for name in types.shapes if name in words), key=str.lower)


def _request_params(types: ParamTypes, signature: Signature) -> None:
    """The keywords of one model's call as a ``TypedDict``: a type checker names a wrong key in one line.

    Keys are the call's keyword names (``timeout_`` for a field named like a client keyword), so the dict
    unpacks into the call: ``create(**params)`` with the ``model`` key, or the voice call, which takes none."""
    model = signature.model
    voice = voice_operation(model)
    keys = (
        *(() if voice else (("model", f"Literal[{py_literal(model.id)}]", True),)),
        *((p.name, p.annotation, p.required) for p, _ in signature.params),
    )
    call = f"voices.{voice}" if voice else "create"
    doc = f"A ``{model.id}`` request on ``{signature.endpoint}``; send it with ``{call}(**params)``."
    doc += f" Docs: {model.source.cite()}"
    types.add(signature.params_class, model.id, doc, keys)


def _known_fields(family: m.Family, model: m.Model) -> list[str]:
    """Every field (and alias) the docs describe for the model on any of its endpoints."""
    endpoints = {e.endpoint for e in model.endpoints}
    names = {
        name for f in family.fields if not f.endpoints or endpoints & set(f.endpoints) for name in (f.name, *f.aliases)
    }
    return sorted(names - {"model"})


def _forbidden(family: m.Family, model: m.Model, endpoint: str) -> set[str]:
    """Fields left out of the model's signature: an unconditional rule forbids them."""
    return _top_level(family, model, endpoint, "forbidden")


def _endpoint_of_kind(spec: m.Spec, model: m.Model, kinds: tuple[str, ...]) -> str | None:
    ranked = sorted(
        (e for e in model.endpoints if spec.endpoint(e.endpoint).kind in kinds),
        key=lambda e: ("recommended", "compatible", "legacy").index(e.status),
    )
    return ranked[0].endpoint if ranked else None


def _poll(spec: m.Spec, family: m.Family) -> tuple[float, float]:
    task = family.task or spec.common.task
    common = spec.common.task
    low = (task.poll_min_seconds if task else None) or (common.poll_min_seconds if common else None) or 2
    high = (task.poll_max_seconds if task else None) or (common.poll_max_seconds if common else None) or 5
    return float(low), float(high)


def request_models_source(spec: m.Spec, shapes: list[tuple[str, dict[str, Any]]]) -> str:
    """Run datamodel-code-generator over the typing schemas; deterministic (no timestamp)."""
    return _datamodel_source(
        "UniAllRequests",
        "Request bodies of every (create endpoint, model) pair, from the capability spec.",
        shapes,
        strict=True,
        header=(
            "# Generated by uniall-spec (datamodel-code-generator over the capability spec); do not edit.\n"
            "# Unknown fields are allowed: the linter warns about them, and users may run ahead of the docs.\n"
            "# Field descriptions carry their doc source, hence long lines.\n"
            "# ruff: noqa: E501"
        ),
    )


# ---- contract: typed response models and the task / error tables ------------------------------


def _without_formats(schema: Any) -> Any:
    """Response URLs stay ``str`` in the models (a queued task's ``result_url`` is ``""``)."""
    if isinstance(schema, dict):
        return {k: _without_formats(v) for k, v in schema.items() if k != "format"}
    if isinstance(schema, list):
        return [_without_formats(v) for v in schema]
    return schema


def _path_name(path: str) -> str:
    """``data.balance`` -> ``DataBalance``, ``data[]`` -> ``DataItem``: a nested class's name after its path."""
    return _pascal(path.replace("[]", " item"))


def _documented(schema: dict[str, Any], shape: m.Shape, owner: str, path: str, source: m.Source) -> dict[str, Any]:
    """``schema`` (the JSON Schema of ``shape``, a part of response ``owner`` at ``path``) with every nested
    object named after its path (``BalanceDataBalance``, not ``Balance1``) and every property described.

    A part the spec describes keeps its words; one it does not is described by its place in the response.
    Either way the text ends with the doc section of the part or of its nearest enclosing part that
    cites one, so no meaning is made up and every hover names where the docs show it. The descriptions
    become class docstrings, attribute docstrings and pydantic field descriptions: what an IDE shows."""
    out = dict(schema)
    here = shape.source or source
    if path:
        if shape.properties:
            out["title"] = owner + _path_name(path)
        if not shape.description:
            out["description"] = f"`{path}` of the {owner} response (source: {here.cite()})"
        elif shape.source is None:
            out["description"] = f"{out['description']} (source: {here.cite()})"
    if shape.properties:
        out["properties"] = {
            name: _documented(schema["properties"][name], child, owner, f"{path}.{name}" if path else name, here)
            for name, child in shape.properties
        }
    if shape.items is not None:
        out["items"] = _documented(schema["items"], shape.items, owner, f"{path}[]", here)
    if shape.any_of:
        out["anyOf"] = [
            _documented(s, c, owner, path, here) for s, c in zip(schema["anyOf"], shape.any_of, strict=True)
        ]
    return out


def response_schemas(spec: m.Spec) -> dict[str, dict[str, Any]]:
    """The named response shapes and error bodies as the client's typed models see them (``_documented``)."""
    named = contract.named_schemas(spec)
    out: dict[str, dict[str, Any]] = {}
    for shape in spec.response_shapes:
        out[shape.name] = _documented(named[shape.name], shape.body, shape.name, "", shape.source)
    for body in spec.error_bodies:
        component = contract.error_component(body.id)
        out[component] = _documented(named[component], body.body, contract.error_class(body.id), "", body.source)
    return out


def response_models_source(spec: m.Spec) -> str:
    """Pydantic models of every named response shape and error body, like the request models; each
    description is both an attribute docstring (IDE hovers) and the field's ``description`` (pydantic)."""
    shapes = [(name, _without_formats(schema)) for name, schema in response_schemas(spec).items()]
    return _datamodel_source(
        "UniAllResponses",
        "Response bodies the docs document: named response shapes and error bodies, from the capability spec.",
        shapes,
        strict=False,
        field_descriptions=True,
        header=(
            "# Generated by uniall-spec (datamodel-code-generator over the capability spec); do not edit.\n"
            "# Unknown fields are allowed: responses may carry more than the docs describe.\n"
            "# Descriptions carry their doc source, hence long lines.\n"
            "# ruff: noqa: E501"
        ),
    )


def contract_context(spec: m.Spec) -> dict[str, Any]:
    """The data ``_contract.py`` renders: task forms per family, model families, chunk forms, error bodies."""
    forms = {"": contract.task_form(spec, None)} | {f.id: contract.task_form(spec, f) for f in spec.families}
    return {
        "task_forms": sorted((key, {**vars(form), "statuses": dict(form.statuses)}) for key, form in forms.items()),
        "model_family": sorted((md.id, md.family) for md in spec.models),
        "chunk_forms": [form for _, form in sorted(contract.chunk_forms(spec).items())],
        "error_bodies": [
            {
                "id": b.id,
                "required": b.body.required,
                "consts": {name: child.const for name, child in b.body.properties if child.has_const},
                "message_path": b.message_path,
                "code_path": b.code_path,
                "type_path": b.type_path,
            }
            for b in spec.error_bodies
        ],
        "account": _account_calls(spec),
        "auth": _auth(spec),
        "response_models": sorted(schema["title"] for schema in contract.named_schemas(spec).values()),
    }


def _auth(spec: m.Spec) -> tuple[str, str]:
    """(header, scheme) of the default security scheme: how every call sends the API key."""
    scheme = next(s for s in spec.security_schemes if s.id == spec.default_security[0])
    if scheme.kind != "bearer" or scheme.location != "header":
        raise ValueError(f"the client sends the key as a bearer header; the default scheme is {scheme.id!r}")
    return scheme.name, scheme.kind


def _account_calls(spec: m.Spec) -> dict[str, tuple[str, str | None]]:
    """Client calls outside the model resources -> (endpoint ID, response model): by endpoint kind."""
    return {
        name: (endpoint, contract.success_shape(spec.endpoint(endpoint)))
        for name, endpoint in contract.account_endpoints(spec).items()
    }


def _one_success_shape(spec: m.Spec, endpoints: list[str]) -> str:
    """The response model the voice calls (clone, design) return: one type parameter of the voices
    resource, so they must answer the same documented shape."""
    shapes = {contract.success_shape(spec.endpoint(e)) for e in endpoints}
    if len(shapes) != 1 or None in shapes:
        found = sorted(map(str, shapes))
        raise ValueError(f"the voice calls {endpoints} must document one 200 response shape; found {found}")
    return str(shapes.pop())


def _datamodel_source(
    title: str,
    description: str,
    shapes: list[tuple[str, dict[str, Any]]],
    *,
    strict: bool,
    header: str,
    field_descriptions: bool = False,
) -> str:
    """Run datamodel-code-generator over JSON Schemas in ``$defs``; deterministic (no timestamp).

    Descriptions become attribute docstrings; with ``field_descriptions`` also ``Field(description=...)``."""
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": description,
        "type": "object",
        "$defs": dict(shapes),
    }
    schema_text = json.dumps(root, sort_keys=True)
    # A pure function of the schema text, the options below and the library's version: reused from the
    # generation cache when none of them changed (it is most of `make generate`'s time otherwise).
    name = gen_cache.key("datamodel-code-generator", schema_text, str(strict), str(field_descriptions), header)
    hit = gen_cache.load(f"datamodel-code-generator-{title}", name)
    if hit is not None:
        return _with_json_int(hit.decode("utf-8"))
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType, StrictTypes
    from datamodel_code_generator.format import PythonVersion
    from datamodel_code_generator.parser import LiteralType

    with tempfile.TemporaryDirectory() as scratch, warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        target = Path(scratch) / "requests.py"
        generate(
            schema_text,
            input_file_type=InputFileType.JsonSchema,
            output=target,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            disable_timestamp=True,
            use_standard_collections=True,
            use_union_operator=True,
            enum_field_as_literal=LiteralType.All,
            use_field_description=not field_descriptions,
            use_inline_field_description=field_descriptions,
            use_schema_description=True,
            use_title_as_name=True,
            reuse_model=True,
            use_annotated=True,
            field_constraints=True,
            extra_fields="allow",
            # JSON's true is not an integer and 1 is not a boolean: the linter and schemas agree.
            strict_types=[StrictTypes.int, StrictTypes.float, StrictTypes.bool, StrictTypes.str] if strict else None,
            custom_file_header=header,
        )
        output = target.read_text(encoding="utf-8")
    gen_cache.store(f"datamodel-code-generator-{title}", name, output.encode("utf-8"))
    return _with_json_int(output)


def _with_json_int(source: str) -> str:
    """Swap pydantic's ``StrictInt`` for ``JsonInt`` (see ``types/_json.py``): JSON's ``5.0`` is an integer."""
    block = re.search(r"^from pydantic import (\([^)]*\)|[^\n]*)\n", source, flags=re.MULTILINE)
    if block is None or "StrictInt" not in block.group(0):
        return source
    names = [n.strip() for n in block.group(1).strip("()").split(",") if n.strip() and n.strip() != "StrictInt"]
    imports = (f"from pydantic import {', '.join(names)}\n" if names else "") + "\nfrom ._json import JsonInt\n"
    source = source[: block.start()] + imports + source[block.end() :]
    return re.sub(r"\bStrictInt\b", "JsonInt", source)


def emit(spec: m.Spec) -> Mapping[str, str]:
    env = jinja_env()
    signatures: dict[str, list[Signature]] = {}
    types = ParamTypes()
    shapes: list[tuple[str, dict[str, Any]]] = []
    models_table = []
    known_fields: dict[str, list[str]] = {}
    for family in spec.families:
        low, high = _poll(spec, family)
        for model in family.models:
            resource = client_resource(model)
            create = default_endpoint(spec, model)
            query = _endpoint_of_kind(spec, model, ("query",))
            content = _endpoint_of_kind(spec, model, ("content",))
            synchronous = bool(spec.endpoint(create).synchronous) and query is None
            models_table.append((model.id, resource, create, query, content, synchronous, low, high))
            known_fields[model.id] = _known_fields(family, model)
            signature = _signature(types, family, model, create)
            signatures.setdefault(resource, []).append(signature)
            fixed = _fixed_values(family, model, create)
            required = sorted(_required(family, model, create) & {f.name for f in _fields_at(family, create)})
            shapes.append(
                (
                    signature.class_name,
                    {
                        "title": signature.class_name,
                        "description": f"{model.id} on {create}. Source: {model.source.cite()}",
                        "type": "object",
                        "required": ["model", *required],
                        "properties": {
                            "model": {"const": model.id},
                            **{f.name: _typing_schema(f, fixed) for f in _fields_at(family, create)},
                        },
                    },
                )
            )
    models_table.sort()
    for group in signatures.values():
        for signature in sorted(group, key=lambda s: s.model.id):
            _request_params(types, signature)
    overloads = {resource: _overloads(group) for resource, group in signatures.items()}
    voice_of = {md.id: voice_operation(md) for md in spec.models}
    voice_ops = [(voice_of[o.model], o) for o in overloads.pop("voices", [])]
    voice_created = _one_success_shape(spec, [o.endpoint for _, o in voice_ops])
    groups = [
        (resource, {"overloads": group, "use_overloads": len(group) > 1})
        for resource, group in sorted(overloads.items())
    ]
    # The query endpoint most of a resource's models use: where a bare task ID is polled.
    by_resource: dict[str, Counter[str]] = {}
    for _, resource, _, query, *_rest in models_table:
        if query is not None:
            by_resource.setdefault(resource, Counter())[query] += 1
    resource_query = {r: sorted(c.items(), key=lambda kv: (-kv[1], kv[0]))[0][0] for r, c in by_resource.items()}
    context = {
        "groups": groups,
        "voice_ops": voice_ops,
        "voice_created": voice_created,
        "resource_query": dict(sorted(resource_query.items())),
        "fingerprint": fingerprint(spec),
        "version": CLIENT_VERSION,
        "docs_url": m.DOCS_BASE_URL,
        "models": models_table,
        **contract_context(spec),
        "overloads": overloads,
        "resources": sorted(overloads),
        "class_names": sorted(s.class_name for group in signatures.values() for s in group),
        "shapes": list(types.shapes.values()),
        "shape_names": sorted(types.shapes, key=_natural),
        "param_type_names": _names_used(types, overloads),
        "known_fields": dict(sorted(known_fields.items())),
        "client_keywords": CLIENT_KEYWORDS,
    }
    files: dict[str, str] = {}
    for name in sorted(env.list_templates(filter_func=lambda t: t.startswith("python/"))):
        target = name.removesuffix(".j2")
        files[target] = env.get_template(name).render(**context)
    files[f"{PACKAGE}/_lint.py"] = render_linter(spec)
    files[f"{PACKAGE}/types/requests.py"] = request_models_source(spec, shapes)
    files[f"{PACKAGE}/types/responses.py"] = response_models_source(spec)
    files[f"{PACKAGE}/py.typed"] = ""
    return files
