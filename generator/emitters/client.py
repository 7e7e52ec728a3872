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

import json
import re
import tempfile
import textwrap
import warnings
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import model as m
from ..lint_compiler import render as render_linter
from ..literals import py_literal
from ..media import field_description
from ..scope import applies, default_endpoint
from ..templating import fingerprint, jinja_env

PACKAGE = "python/uniall"
RESOURCE_BY_CATEGORY = {"image": "images", "video": "videos", "avatar": "videos", "audio": "audio"}
VOICE_ENDPOINTS = {"POST /v1/audio/voices/clone": "clone", "POST /v1/audio/voices/design": "design"}
_PY_TYPES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
_SMALL_RANGE = 40


def class_name(model_id: str, endpoint: str) -> str:
    """``seedance2.0-720p`` on ``POST /v1/video/generations`` -> ``Seedance20720pVideoGenerationsRequest``."""
    words = re.split(r"[^A-Za-z0-9]+", model_id)
    head = "".join(w[:1].upper() + w[1:] for w in words if w)
    tail_words = [w for w in re.split(r"[^A-Za-z0-9]+", endpoint.split(" ", 1)[1]) if w and w not in ("v1", "v1beta")]
    tail = "".join(w[:1].upper() + w[1:] for w in tail_words if not w.startswith("{"))
    return f"{head}{tail}Request"


def _fixed_values(family: m.Family, model: m.Model, endpoint: str) -> dict[str, tuple[m.Scalar, ...]]:
    """Field path -> the only values the model ever takes there (unscoped enums, small integer ranges)."""
    fixed: dict[str, tuple[m.Scalar, ...]] = {}
    for rule in _unconditional(family, model, endpoint):
        if rule.kind == "enum" and rule.field and "[" not in rule.field:
            values = rule.values
        elif (
            rule.kind == "range"
            and rule.field
            and "[" not in rule.field
            and rule.integer
            and rule.minimum is not None
            and rule.maximum is not None
            and rule.maximum - rule.minimum <= _SMALL_RANGE
        ):
            values = tuple(range(int(rule.minimum), int(rule.maximum) + 1))
        else:
            continue
        previous = fixed.get(rule.field)
        fixed[rule.field] = values if previous is None else tuple(v for v in previous if v in values)
    return {k: v for k, v in fixed.items() if v}


def _unconditional(family: m.Family, model: m.Model, endpoint: str) -> list[m.Rule]:
    """The family's error rules that hold for every request of this model on this endpoint, whatever its mode."""
    return [
        r for r in family.rules if r.severity == "error" and not r.applies_to.modes and applies(r, model.id, endpoint)
    ]


def _top_level(family: m.Family, model: m.Model, endpoint: str, kind: str) -> set[str]:
    """Top-level fields an unconditional ``required`` or ``forbidden`` rule names for this model."""
    return {
        f
        for r in _unconditional(family, model, endpoint)
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
    model: str
    endpoint: str
    class_name: str
    params: tuple[Param, ...]
    source: str
    doc: str


def _annotation(field: m.Field, values: tuple[m.Scalar, ...] | None) -> str:
    parts = ["Literal[" + ", ".join(py_literal(v) for v in values) + "]"] if values is not None else []
    covered = _covered(values) if values is not None else set()
    for t in field.types:
        if t in covered:
            continue
        if t == "array":
            item = field.items.types[0] if field.items and len(field.items.types) == 1 else None
            parts.append(f"Sequence[{_PY_TYPES[item]}]" if item in ("string", "integer", "number") else "Sequence[Any]")
        elif t == "object":
            parts.append("Mapping[str, Any]")
        else:
            parts.append(_PY_TYPES[t])
    return " | ".join(dict.fromkeys(parts))


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


def _allowed_text(values: tuple[m.Scalar, ...] | None) -> str:
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
    return " Allowed for this model: " + "; as strings: ".join(parts) + "."


def _docstring(
    spec: m.Spec, family: m.Family, model: m.Model, endpoint: str, fields: list[tuple[Param, m.Field]]
) -> str:
    """The hover text of one overload: what the model does, then per parameter its meaning, the values
    this model allows, the modes it serves and where the docs say so."""
    modes = _modes_by_field(family, model, endpoint)
    fixed = _fixed_values(family, model, endpoint)
    head = f"Create a ``{model.id}`` task ({family.title}) on ``{endpoint}``."
    lines = [head, "", f"Modes: {', '.join(model.modes) or 'not stated'}.", f"Docs: {model.source.cite()}", ""]
    lines.append("Args:")
    for param, field in fields:
        text = (field.description or "").strip().rstrip(".")
        text = f"{text}." if text else "Not described by the docs."
        if param.required:
            text = f"Required. {text}"
        text += _allowed_text(fixed.get(field.name))
        served = modes.get(field.name)
        text += f" Modes: {', '.join(served)}." if served else ""
        if param.name != param.wire:
            text += f" Sent as ``{param.wire}`` (``{param.wire}`` is a client keyword)."
        text += f" Source: {field.source.cite()}"
        lines.append(textwrap.fill(text, width=100, initial_indent=f"    {param.name}: ", subsequent_indent="        "))
    lines += [
        "",
        "Client options: ``endpoint`` (another documented endpoint), ``validate=False`` (skip the linter),",
        "``timeout`` (seconds), ``extra_fields`` (merged into the body), ``extra_headers``, ``extra_query``.",
    ]
    return "\n".join(lines).replace("\\", "\\\\").replace('"""', "'''")


def _overload(spec: m.Spec, family: m.Family, model: m.Model, endpoint: str) -> Overload:
    fixed = _fixed_values(family, model, endpoint)
    required = _required(family, model, endpoint)
    forbidden = _forbidden(family, model, endpoint)
    params: list[tuple[Param, m.Field]] = []
    for f in sorted(_fields_at(family, endpoint), key=lambda f: (f.name not in required, f.name)):
        if f.name in forbidden:
            continue
        param = Param(
            name=python_name(f.name),
            wire=f.name,
            annotation=_annotation(f, fixed.get(f.name)),
            required=f.name in required,
            doc=(field_description(f) or "").replace('"""', "'''"),
        )
        params.append((param, f))
    return Overload(
        model=model.id,
        endpoint=endpoint,
        class_name=class_name(model.id, endpoint),
        params=tuple(p for p, _ in params),
        source=model.source.cite(),
        doc=_docstring(spec, family, model, endpoint, params),
    )


def _known_fields(family: m.Family, model: m.Model) -> list[str]:
    """Every field (and alias) the docs describe for the model on any of its endpoints."""
    endpoints = {e.endpoint for e in model.endpoints}
    names = {
        name for f in family.fields if not f.endpoints or endpoints & set(f.endpoints) for name in (f.name, *f.aliases)
    }
    return sorted(names - {"model"})


def resource_of(spec: m.Spec, family: m.Family, model: m.Model) -> str:
    """The client attribute a model's create lives on: by its create endpoint, else its family's category."""
    create = default_endpoint(spec, model)
    if create in VOICE_ENDPOINTS:
        return "voices"
    path = create.split(" ", 1)[1]
    for prefix, resource in (("/v1/images", "images"), ("/v1/video", "videos"), ("/v1/audio", "audio")):
        if path.startswith(prefix):
            return resource
    return RESOURCE_BY_CATEGORY.get(family.category or "", "videos")


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


def _status_words(spec: m.Spec) -> dict[str, str]:
    words: dict[str, str] = {}
    for family in spec.all_families:
        if family.task is None:
            continue
        for state, names in family.task.statuses:
            for name in names:
                words.setdefault(name.lower(), state)
    return dict(sorted(words.items()))


def _result_paths(spec: m.Spec) -> list[str]:
    paths: list[str] = []
    for family in spec.all_families:
        if family.task is not None:
            paths.extend(p for p in family.task.result_url_paths if p not in paths)
    return paths


def request_models_source(spec: m.Spec, shapes: list[tuple[str, dict[str, Any]]]) -> str:
    """Run datamodel-code-generator over the typing schemas; deterministic (no timestamp)."""
    from datamodel_code_generator import generate
    from datamodel_code_generator.enums import DataModelType, InputFileType, StrictTypes
    from datamodel_code_generator.format import PythonVersion
    from datamodel_code_generator.parser import LiteralType

    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "UniAllRequests",
        "description": "Request bodies of every (create endpoint, model) pair, from the capability spec.",
        "type": "object",
        "$defs": dict(shapes),
    }
    with tempfile.TemporaryDirectory() as scratch, warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        target = Path(scratch) / "requests.py"
        generate(
            json.dumps(root, sort_keys=True),
            input_file_type=InputFileType.JsonSchema,
            output=target,
            output_model_type=DataModelType.PydanticV2BaseModel,
            target_python_version=PythonVersion.PY_311,
            disable_timestamp=True,
            use_standard_collections=True,
            use_union_operator=True,
            enum_field_as_literal=LiteralType.All,
            use_field_description=True,
            use_schema_description=True,
            use_title_as_name=True,
            reuse_model=True,
            use_annotated=True,
            field_constraints=True,
            extra_fields="allow",
            # JSON's true is not an integer and 1 is not a boolean: the linter and schemas agree.
            strict_types=[StrictTypes.int, StrictTypes.float, StrictTypes.bool, StrictTypes.str],
            custom_file_header=(
                "# Generated by uniall-spec (datamodel-code-generator over the capability spec); do not edit.\n"
                "# Unknown fields are allowed: the linter warns about them, and users may run ahead of the docs.\n"
                "# Field descriptions carry their doc source, hence long lines.\n"
                "# ruff: noqa: E501"
            ),
        )
        return _with_json_int(target.read_text(encoding="utf-8"))


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
    overloads: dict[str, list[Overload]] = {}
    shapes: list[tuple[str, dict[str, Any]]] = []
    models_table = []
    known_fields: dict[str, list[str]] = {}
    for family in spec.families:
        low, high = _poll(spec, family)
        for model in family.models:
            resource = resource_of(spec, family, model)
            create = default_endpoint(spec, model)
            query = _endpoint_of_kind(spec, model, ("query",))
            content = _endpoint_of_kind(spec, model, ("content",))
            synchronous = bool(spec.endpoint(create).synchronous) and query is None
            models_table.append((model.id, resource, create, query, content, synchronous, low, high))
            known_fields[model.id] = _known_fields(family, model)
            overload = _overload(spec, family, model, create)
            overloads.setdefault(resource, []).append(overload)
            fixed = _fixed_values(family, model, create)
            required = sorted(_required(family, model, create) & {f.name for f in _fields_at(family, create)})
            shapes.append(
                (
                    overload.class_name,
                    {
                        "title": overload.class_name,
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
    for resource in overloads:
        overloads[resource].sort(key=lambda o: o.model)
    voice_ops = [(VOICE_ENDPOINTS[o.endpoint], o) for o in overloads.pop("voices", []) if o.endpoint in VOICE_ENDPOINTS]
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
        "resource_query": dict(sorted(resource_query.items())),
        "fingerprint": fingerprint(spec),
        "models": models_table,
        "status_words": _status_words(spec),
        "result_paths": _result_paths(spec),
        "overloads": overloads,
        "resources": sorted(overloads),
        "class_names": sorted(o.class_name for group in overloads.values() for o in group),
        "known_fields": dict(sorted(known_fields.items())),
        "client_keywords": CLIENT_KEYWORDS,
    }
    files: dict[str, str] = {}
    for name in sorted(env.list_templates(filter_func=lambda t: t.startswith("python/"))):
        target = name.removesuffix(".j2")
        files[target] = env.get_template(name).render(**context)
    files[f"{PACKAGE}/_lint.py"] = render_linter(spec)
    files[f"{PACKAGE}/types/requests.py"] = request_models_source(spec, shapes)
    files[f"{PACKAGE}/py.typed"] = ""
    return files
