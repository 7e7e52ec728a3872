"""``generated/openapi.json``: an OpenAPI 3.1 document of every documented endpoint.

OpenAPI 3.1 uses JSON Schema 2020-12 as is, so the request bodies are the same schemas as
``generated/schemas/``, built by :func:`~generator.schema_builder.build_schemas` with component
``$ref`` pointers instead of file names. Other tools (editors, Prism, schemathesis,
openapi-generator) get the contract from here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from .. import model as m
from ..endpoint_models import model_path_parameter, serving_models
from ..schema_builder import DIALECT, build_schemas, dumps, slug

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
_MEDIA = {
    "json": ["application/json"],
    "multipart": ["multipart/form-data"],
    "json-or-multipart": ["application/json", "multipart/form-data"],
    None: ["application/json"],
}


def component_name(file: str) -> str:
    """``post-v1-video-generations/seedance2.0-720p.json`` -> a valid component key."""
    return re.sub(r"[^A-Za-z0-9._-]", "_", file.removesuffix(".json").replace("/", "__"))


def _component(schema: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in schema.items() if k not in ("$schema", "$id")}


def _default_in_description(node: Any) -> Any:
    """Each property's ``default`` stated in its description instead of as the keyword.

    openapi-typescript (``defaultNonNullable``, on by default) types a component property that has a
    ``default`` as always present, so every request omitting it would fail to type-check. The default
    is the server's, not something a request must send; ``generated/schemas/`` keeps the keyword.
    """
    if isinstance(node, list):
        return [_default_in_description(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {k: _default_in_description(v) for k, v in node.items() if k != "default"}
    if "default" in node:
        said = f"Default: `{json.dumps(node['default'], ensure_ascii=False)}`."
        out["description"] = f"{node['description']} {said}" if node.get("description") else said
    return out


def _operation(spec: m.Spec, endpoint: m.Endpoint, body_ref: str | None) -> dict[str, Any]:
    models = serving_models(spec, endpoint)
    source = endpoint.sources[0]
    description = f"Source: {source.cite()}"
    if models:
        description += "\n\nModels: " + ", ".join(f"`{x}`" for x in models)
    operation: dict[str, Any] = {
        "operationId": slug(endpoint.id).replace("-", "_").replace(".", "_"),
        "summary": endpoint.title or f"{endpoint.kind} ({endpoint.method} {endpoint.path})",
        "description": description,
        "tags": sorted(set(endpoint.families)),
        "responses": _responses(endpoint),
    }
    model_parameter = model_path_parameter(endpoint)
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": models} if name == model_parameter else {"type": "string"},
        }
        for name in _PARAM.findall(endpoint.path)
    ]
    if params:
        operation["parameters"] = params
    if body_ref is not None:
        schema = {"$ref": body_ref}
        operation["requestBody"] = {
            "required": True,
            "content": {media: {"schema": schema} for media in _MEDIA.get(endpoint.body, ["application/json"])},
        }
    return operation


_ERROR = {"$ref": "#/components/schemas/ErrorResponse"}


def _responses(endpoint: m.Endpoint) -> dict[str, Any]:
    if endpoint.kind == "content":
        ok: dict[str, Any] = {
            "description": "The generated asset.",
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
        }
    elif endpoint.kind in ("query",) or (endpoint.kind == "create" and not endpoint.synchronous):
        ok = {
            "description": "The task (submitted, or its current state).",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TaskResponse"}}},
        }
    else:
        ok = {
            "description": "The result; its shape is on the source page.",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    errors = {
        code: {"description": text, "content": {"application/json": {"schema": _ERROR}}}
        for code, text in (
            ("401", "Missing or invalid API key."),
            ("403", "The key is disabled or may not use this model."),
            ("429", "Too many requests; retry after the Retry-After header."),
            ("default", "Another error."),
        )
    }
    return {"200": ok, **errors}


def _shared_components(spec: m.Spec) -> dict[str, Any]:
    """Task and error shapes, from the task lifecycles and the documented error bodies."""
    words = sorted({w for f in spec.all_families if f.task for _, names in f.task.statuses for w in names})
    paths = sorted({p for f in spec.all_families if f.task for p in f.task.result_url_paths})
    url = {"type": "string", "format": "uri"}
    return {
        "TaskResponse": {
            "type": "object",
            "description": "A task as the query endpoints return it. Result URLs appear at: " + ", ".join(paths),
            "properties": {
                "id": {"type": "string"},
                "task_id": {"type": "string"},
                "object": {"type": "string"},
                "model": {"type": "string"},
                "status": {"type": "string", "description": "Documented words: " + ", ".join(words)},
                "raw_status": {"type": "string"},
                "progress": {"type": ["number", "string"], "description": '0-100, sometimes written as "45%"'},
                "video_url": url,
                "audio_url": url,
                "result": {"type": "object"},
                "metadata": {"type": "object"},
                "error": {"type": ["string", "object", "null"]},
                "created_at": {"type": "integer"},
            },
        },
        # Each error body is its own component: code generators build one class per component, while
        # inline `oneOf` branches got the same derived class name twice (openapi-python-client dropped them).
        "ErrorResponse": {
            "description": "The two documented error bodies.",
            "oneOf": [{"$ref": "#/components/schemas/ErrorMessage"}, {"$ref": "#/components/schemas/ErrorObject"}],
        },
        "ErrorMessage": {
            "type": "object",
            "required": ["success", "message"],
            "properties": {"success": {"const": False}, "message": {"type": "string"}},
        },
        "ErrorObject": {
            "type": "object",
            "required": ["error"],
            "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}},
        },
        "ErrorDetail": {
            "type": "object",
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "code": {"type": "string"},
            },
        },
    }


def build(spec: m.Spec) -> dict[str, Any]:
    per_model, dispatch = build_schemas(
        spec, ref=lambda file: f"#/components/schemas/{component_name(file)}", discriminator=True
    )
    components = {component_name(s.file): _default_in_description(_component(s.schema)) for s in per_model}
    components.update(_shared_components(spec))
    body_refs: dict[str, str] = {}
    for endpoint_id, schema in dispatch.items():
        name = component_name(slug(endpoint_id))
        components[name] = _component(schema)
        body_refs[endpoint_id] = f"#/components/schemas/{name}"
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in spec.endpoints:
        item = paths.setdefault(endpoint.path, {})
        item[endpoint.method.lower()] = _operation(spec, endpoint, body_refs.get(endpoint.id))
    used_tags = sorted({tag for operations in paths.values() for op in operations.values() for tag in op["tags"]})
    titles = {f.id: f.title for f in spec.all_families}
    return {
        "openapi": "3.1.0",
        # Without it, tools may read the schemas with older JSON Schema semantics (Prism: draft-07, which
        # ignores minContains/maxContains); the schemas are written for 2020-12.
        "jsonSchemaDialect": DIALECT,
        "info": {
            "title": "UniAll API (from the capability spec)",
            "version": "1.0.0",
            "description": "Generated by uniall-spec from the UniAll documentation; every rule cites its page.",
        },
        "servers": [
            {
                "url": "{baseUrl}",
                "variables": {
                    "baseUrl": {
                        "default": "https://api.example.invalid",
                        "description": "Your UniAll gateway base URL (the docs write BASE_URL).",
                    }
                },
            }
        ],
        "security": [{"bearer": []}],
        "tags": [{"name": tag, "description": titles.get(tag, tag)} for tag in used_tags],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": dict(sorted(components.items())),
        },
    }


def emit(spec: m.Spec) -> Mapping[str, str]:
    return {"openapi.json": dumps(build(spec))}
