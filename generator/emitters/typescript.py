"""``generated/typescript/``: the ``uniall`` npm package (ESM with ``.d.ts``, no runtime dependencies).

Generating never needs Node: the runtime is plain JavaScript (``templates/typescript/index.mjs.j2``,
hand-shaped like the Python runtime), its data tables (``spec.mjs``) and the type declarations
(``index.d.mts``) are rendered from the loaded spec. Per model, an interface states what holds for every
request of that model (:mod:`generator.request_types`): passing ``model: "seedance2.0-720p"`` narrows
``create``'s argument to that interface, so a misspelt field or a value outside a fixed set is a
compile error naming the property.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import model as m
from ..contract import account_endpoints, error_class, model_success_shapes, named_schemas, success_shape, task_form
from ..lint_compiler import endpoint_pattern
from ..lint_js import render_js_linter
from ..request_types import RequestType, TypedField, request_types
from ..scope import client_resource, endpoint_of_kind, voice_operation
from ..templating import fingerprint, jinja_env

PACKAGE = "typescript"
VERSION = "0.1.0"
_TS_PRIMITIVE = {"string": "string", "integer": "number", "number": "number", "boolean": "boolean", "null": "null"}


def ts_literal(value: m.Scalar) -> str:
    return json.dumps(value, ensure_ascii=False)


def ts_type(field: TypedField) -> str:
    """The TypeScript type of a field: its literal values where the model fixes them, else its JSON types."""
    parts: list[str] = []
    covered: set[str] = set()
    if field.values is not None:
        parts.extend(ts_literal(v) for v in field.values)
        kinds = {type(v) for v in field.values}
        covered = {"string"} if kinds == {str} else {"integer", "number"} if kinds <= {int, float} else set()
        if kinds <= {int, float} and "string" in field.types:
            # The docs take these numbers spelt as strings too ("5"), and no other string.
            parts.extend(ts_literal(str(v)) for v in field.values)
            covered.add("string")
    for kind in field.types:
        if kind in covered:
            continue
        if kind == "object":
            parts.append(_object_type(field.properties) if field.properties else "Record<string, unknown>")
        elif kind == "array":
            parts.append(_array_type(field))
        else:
            parts.append(_TS_PRIMITIVE[kind])
    return " | ".join(dict.fromkeys(parts)) or "unknown"


def _array_type(field: TypedField) -> str:
    if field.item_properties:
        return f"Array<{_object_type(field.item_properties)}>"
    items = [_TS_PRIMITIVE.get(t, "Record<string, unknown>" if t == "object" else "unknown") for t in field.item_types]
    inner = " | ".join(dict.fromkeys(items)) or "unknown"
    return f"Array<{inner}>"


def _object_type(properties: tuple[TypedField, ...]) -> str:
    members = "; ".join(f"{_key(p.name)}{'' if p.required else '?'}: {ts_type(p)}" for p in properties)
    return "{ " + members + " }"


def _key(name: str) -> str:
    return name if name.isidentifier() else json.dumps(name)


def _doc(field: TypedField) -> str:
    text = (field.description or "").replace("*/", "*\\/").strip()
    cite = field.source.cite()
    return f"{text} (docs: {cite})" if text else f"Docs: {cite}"


@dataclass(frozen=True)
class Member:
    key: str
    optional: bool
    type: str
    doc: str


def _members(request: RequestType) -> list[Member]:
    return [
        Member(_key(f.name), not f.required, ts_type(f), _doc(f))
        for f in sorted(request.fields, key=lambda f: (not f.required, f.name))
    ]


# ---- response types -----------------------------------------------------------------------------


def _comment(text: str, indent: str) -> str:
    safe = text.replace("*/", "*\\/").strip()
    return f"{indent}/** {safe} */\n"


def schema_ts(schema: Mapping[str, Any], indent: str = "") -> str:
    """A response JSON Schema (:func:`generator.contract.shape_schema`) as a TypeScript type.

    An object lists only its documented properties, without an index signature: reading a property the
    docs do not name is a compile error (the whole body stays in ``raw`` for what the docs missed).
    """
    if "anyOf" in schema:
        return " | ".join(dict.fromkeys(schema_ts(s, indent) for s in schema["anyOf"]))
    if "const" in schema:
        return ts_literal(schema["const"])
    if "enum" in schema:
        return " | ".join(ts_literal(v) for v in schema["enum"])
    declared = schema.get("type")
    if declared is None:
        return "unknown"
    parts = []
    for kind in [declared] if isinstance(declared, str) else declared:
        if kind == "object":
            parts.append(_schema_object(schema, indent))
        elif kind == "array":
            items = schema.get("items") or {}
            parts.append(f"Array<{schema_ts(items, indent)}>")
        else:
            parts.append(_TS_PRIMITIVE[kind])
    return " | ".join(dict.fromkeys(parts))


def _schema_object(schema: Mapping[str, Any], indent: str) -> str:
    properties: Mapping[str, Mapping[str, Any]] = schema.get("properties") or {}
    if not properties:
        return "Record<string, never>" if schema.get("additionalProperties") is False else "Record<string, unknown>"
    required = set(schema.get("required") or ())
    inner = indent + "  "
    lines = ["{\n"]
    for name, child in properties.items():
        if child.get("description"):
            lines.append(_comment(child["description"], inner))
        optional = "" if name in required else "?"
        lines.append(f"{inner}{_key(name)}{optional}: {schema_ts(child, inner)};\n")
    lines.append(indent + "}")
    return "".join(lines)


@dataclass(frozen=True)
class ResponseType:
    name: str
    doc: str
    interface: bool
    body: str


def response_types(spec: m.Spec) -> list[ResponseType]:
    """Every named response shape and error body as an exported TypeScript type, in the spec's order."""
    out = []
    for schema in named_schemas(spec).values():
        body = schema_ts(schema)
        interface = schema.get("type") == "object" and bool(schema.get("properties"))
        doc = schema.get("description", "").replace("*/", "*\\/")
        out.append(ResponseType(schema["title"], doc, interface, body))
    return out


def _shapes_type(shapes: tuple[str | None, ...]) -> str:
    """The union of named shapes; ``unknown`` when one of the answers has no documented shape."""
    if not shapes or None in shapes:
        return "unknown"
    return " | ".join(s for s in shapes if s is not None)


def _model_responses(spec: m.Spec, md: m.Model, create: str, query: str | None) -> dict[str, str]:
    return {
        "create": _shapes_type(model_success_shapes(spec, create, md)),
        "query": _shapes_type(model_success_shapes(spec, query, md)) if query else "never",
    }


def _call_shapes(spec: m.Spec) -> dict[str, str]:
    """What the account calls answer: balance and voice list (the model list is read into IDs)."""
    calls = account_endpoints(spec)
    return {name: success_shape(spec.endpoint(endpoint)) or "unknown" for name, endpoint in calls.items()}


def _poll(spec: m.Spec, family: m.Family) -> tuple[float, float]:
    task = family.task
    common = spec.common.task
    low = (task.poll_min_seconds if task else None) or (common.poll_min_seconds if common else None) or 2.0
    high = (task.poll_max_seconds if task else None) or (common.poll_max_seconds if common else None) or low
    return low, high


def _task_forms(spec: m.Spec) -> dict[str, dict[str, Any]]:
    """Per family: status words, where a task response puts its parts, and the chunk form (``contract.task_form``)."""
    forms: dict[str, dict[str, Any]] = {}
    for family in spec.all_families:
        form = task_form(spec, family)
        chunk = form.chunk
        forms[family.id] = {
            "words": dict(form.statuses),
            "envelope": list(form.envelope),
            "id": list(form.id_paths),
            "status": list(form.status_paths),
            "model": list(form.model_paths),
            "progress": list(form.progress_paths),
            "error": list(form.error_paths),
            "urls": list(form.result_paths),
            "chunk": None
            if chunk is None
            else {
                "textPath": chunk.text_path,
                "id": list(chunk.id),
                "urlPattern": chunk.url_pattern,
                "progressPattern": chunk.progress_pattern,
            },
        }
    return forms


def _errors(spec: m.Spec) -> list[dict[str, Any]]:
    """Each documented error body: where its message and code sit, and a constant flag that marks it."""
    forms = []
    for body in spec.error_bodies:
        flag = next(((name, s.const) for name, s in body.body.properties if s.has_const), None)
        forms.append(
            {
                "id": body.id,
                "messagePath": body.message_path,
                "codePath": body.code_path,
                "typePath": body.type_path,
                "flagPath": flag[0] if flag else None,
                "flagValue": flag[1] if flag else None,
            }
        )
    return forms


def _auth(spec: m.Spec) -> dict[str, str]:
    schemes = {s.id: s for s in spec.security_schemes}
    chosen = next((schemes[i] for i in spec.default_security if i in schemes), None)
    if chosen is None:
        raise ValueError("the spec names no default security scheme; the client cannot authenticate")
    return {"header": chosen.name, "prefix": "Bearer " if chosen.kind == "bearer" else ""}


def emit(spec: m.Spec) -> Mapping[str, str]:
    env = jinja_env()
    requests = request_types(spec)
    by_model = {md.id: md for md in spec.models}
    resources: dict[str, list[RequestType]] = {}
    model_responses: dict[str, dict[str, str]] = {}
    models_table: dict[str, dict[str, Any]] = {}
    for request in requests:
        md = by_model[request.model]
        family = spec.family(md.family)
        resource = client_resource(md)
        resources.setdefault(resource, []).append(request)
        low, high = _poll(spec, family)
        query = endpoint_of_kind(spec, md, "query")
        model_responses[md.id] = _model_responses(spec, md, request.endpoint, query)
        models_table[md.id] = {
            "family": family.id,
            "resource": resource,
            "create": request.endpoint,
            "query": query,
            "content": endpoint_of_kind(spec, md, "content"),
            "modelInBody": request.model_in_body,
            "modelParam": endpoint_pattern(spec.endpoint(request.endpoint))[1],
            "voice": voice_operation(md),
            "pollSeconds": [low, high],
        }
    resource_query: dict[str, str] = {}
    for resource, members in sorted(resources.items()):
        queries = sorted({models_table[r.model]["query"] for r in members if models_table[r.model]["query"]})
        if queries:
            counts = {q: sum(1 for r in members if models_table[r.model]["query"] == q) for q in queries}
            resource_query[resource] = max(queries, key=lambda q: (counts[q], q))
    interfaces = [
        {
            "name": f"{r.ident}Request",
            "model": r.model,
            "endpoint": r.endpoint,
            "members": _members(r),
            "source": r.source,
        }
        for r in requests
    ]
    voice_operations: dict[str, list[str]] = {}
    for request in resources.get("voices", []):
        operation = models_table[request.model]["voice"]
        voice_operations.setdefault(operation, []).append(f"{request.ident}Request")
    context = {
        "response_types": response_types(spec),
        "model_responses": sorted(model_responses.items()),
        "call_shapes": _call_shapes(spec),
        "error_types": [error_class(body.id) for body in spec.error_bodies],
        "voice_operations": dict(sorted(voice_operations.items())),
        "fingerprint": fingerprint(spec),
        "version": VERSION,
        "interfaces": interfaces,
        "resources": {k: [f"{r.ident}Request" for r in v] for k, v in sorted(resources.items())},
        "models_json": json.dumps(models_table, indent=2, sort_keys=True, ensure_ascii=False),
        "forms_json": json.dumps(_task_forms(spec), indent=2, sort_keys=True, ensure_ascii=False),
        "errors_json": json.dumps(_errors(spec), indent=2, ensure_ascii=False),
        "auth_json": json.dumps(_auth(spec), ensure_ascii=False),
        "account_json": json.dumps(account_endpoints(spec), indent=2, sort_keys=True),
        "resource_query_json": json.dumps(resource_query, indent=2, sort_keys=True),
    }
    package = {
        "name": "uniall",
        "version": VERSION,
        "description": "Typed client for the UniAll media API, generated from its capability spec.",
        "type": "module",
        "license": "MIT",
        "engines": {"node": ">=18"},
        "exports": {".": {"types": "./index.d.mts", "default": "./index.mjs"}},
        "types": "./index.d.mts",
        "files": ["index.mjs", "index.d.mts", "spec.mjs", "uniall_lint.mjs", "README.md"],
        "sideEffects": False,
    }
    return {
        f"{PACKAGE}/package.json": json.dumps(package, indent=2) + "\n",
        f"{PACKAGE}/index.d.mts": env.get_template("typescript/index.d.mts.j2").render(**context),
        f"{PACKAGE}/index.mjs": env.get_template("typescript/index.mjs.j2").render(**context),
        f"{PACKAGE}/spec.mjs": env.get_template("typescript/spec.mjs.j2").render(**context),
        # The same linter as generated/lint/uniall_lint.mjs, so the package is self-contained.
        f"{PACKAGE}/uniall_lint.mjs": render_js_linter(spec),
        f"{PACKAGE}/README.md": env.get_template("typescript/README.md.j2").render(**context),
    }
