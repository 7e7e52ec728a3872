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

from .. import contract
from .. import model as m
from ..endpoint_models import model_path_parameter, path_parameters, serving_models
from ..schema_builder import DIALECT, build_schemas, dumps, slug

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


def _operation_id(endpoint_id: str) -> str:
    """``GET /v1/videos/{task_id}`` -> ``get_v1_videos_task_id``."""
    return slug(endpoint_id).replace("-", "_").replace(".", "_")


def _task_links(spec: m.Spec, endpoint: m.Endpoint) -> dict[str, Any]:
    """OpenAPI links from a create's success answer to the query operations that poll its task."""
    links = {}
    for link in contract.task_links(spec, endpoint):
        pointer = "/" + link.id_path.replace(".", "/")
        links[_operation_id(link.query)] = {
            "operationId": _operation_id(link.query),
            "parameters": {link.parameter: f"$response.body#{pointer}"},
            "description": f"Poll the created task at {link.query}: every model this operation creates"
            f" as a task lists that route; the task ID is `{link.id_path}` of the answer.",
        }
    return links


def _operation(spec: m.Spec, endpoint: m.Endpoint, body_ref: str | None) -> dict[str, Any]:
    models = serving_models(spec, endpoint)
    source = endpoint.sources[0]
    description = f"Source: {source.cite()}"
    if models:
        description += "\n\nModels: " + ", ".join(f"`{x}`" for x in models)
    operation: dict[str, Any] = {
        "operationId": _operation_id(endpoint.id),
        "summary": endpoint.title or f"{endpoint.kind} ({endpoint.method} {endpoint.path})",
        "description": description,
        "tags": sorted(set(endpoint.families)),
        "responses": _responses(endpoint, _schema_ref),
    }
    links = _task_links(spec, endpoint)
    if links:
        operation["responses"]["200"]["links"] = links
    model_parameter = model_path_parameter(endpoint)
    params = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "string", "enum": models} if name == model_parameter else {"type": "string"},
        }
        for name in path_parameters(endpoint)
    ]
    params += _header_parameters(endpoint)
    if params:
        operation["parameters"] = params
    operation["security"] = [{scheme.id: []} for scheme in spec.security_of(endpoint)]
    if body_ref is not None:
        operation["requestBody"] = {"required": True, "content": _request_content(endpoint, body_ref)}
    return operation


# ---- contract: security, headers, request encodings, responses (all from the spec) --------------


def _schema_ref(name: str) -> str:
    return f"#/components/schemas/{name}"


def _security_schemes(spec: m.Spec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for scheme in spec.security_schemes:
        if scheme.kind == "bearer":
            entry: dict[str, Any] = {"type": "http", "scheme": "bearer"}
        else:
            entry = {"type": "apiKey", "in": scheme.location, "name": scheme.name}
        about = scheme.description or (f"`{scheme.name}: {scheme.example}`" if scheme.example else scheme.name)
        entry["description"] = f"{about} Source: {scheme.source.cite()}"
        out[scheme.id] = entry
    return out


def _header_parameters(endpoint: m.Endpoint) -> list[dict[str, Any]]:
    """Documented non-auth headers; header-selected variants are named in their descriptions."""
    out = []
    for header in endpoint.headers:
        selects = [v.title for v in endpoint.variants if header.name in (*v.selected_by_all, *v.selected_by_any)]
        about = header.description or ""
        if selects:
            about = f"{about} Selects: {', '.join(selects)}.".strip()
        out.append(
            {
                "name": header.name,
                "in": header.location,
                "required": header.required,
                "description": f"{about} Source: {header.source.cite()}".strip(),
                "schema": {"type": "string"},
            }
        )
    return out


def _request_content(endpoint: m.Endpoint, body_ref: str) -> dict[str, Any]:
    """One media type per documented encoding; multipart names its file parts and the models documented with it."""
    schema = {"$ref": body_ref}
    if not endpoint.encodings:
        return {media: {"schema": schema} for media in _MEDIA.get(endpoint.body, ["application/json"])}
    content: dict[str, Any] = {}
    for encoding in endpoint.encodings:
        entry: dict[str, Any] = {"schema": schema}
        if encoding.file_fields:
            entry["encoding"] = {
                name.removesuffix("[]"): {"contentType": "application/octet-stream"} for name in encoding.file_fields
            }
        notes = [f"Source: {encoding.source.cite()}"]
        if encoding.models:
            notes.insert(0, "Documented for: " + ", ".join(f"`{x}`" for x in encoding.models) + ".")
        entry["x-uniall-source"] = " ".join(notes)
        content[encoding.media_type] = entry
    return content


def _responses(endpoint: m.Endpoint, ref: contract.Ref) -> dict[str, Any]:
    """Every documented status of the operation, its body schema(s) from the spec's shapes and error bodies."""
    out: dict[str, Any] = {}
    for group in contract.by_status(endpoint):
        lines = list(group.descriptions)
        if group.variants:
            lines.append("Format by request headers: " + ", ".join(_variant_note(endpoint, v) for v in group.variants))
        if group.messages:
            lines.append("Documented messages: " + ", ".join(repr(x) for x in group.messages))
        lines += [f"Not documented: {text}" for text in group.undocumented]
        lines.append("Source: " + "; ".join(s.cite() for s in group.sources))
        entry: dict[str, Any] = {"description": "\n\n".join(lines)}
        content: dict[str, Any] = {}
        options: list[dict[str, Any]] = [{"$ref": ref(name)} for name in group.components]
        if group.status.startswith("2"):
            # A documented success whose body the docs leave out (an empty example, a named but unprinted
            # format): any JSON object, so a valid answer is never rejected.
            options += [{"type": "object", "description": f"Not documented: {text}"} for text in group.undocumented]
        if options:
            content["application/json"] = {"schema": options[0] if len(options) == 1 else {"anyOf": options}}
        for media in group.files:
            content[media] = {"schema": {"type": "string", "contentMediaType": media}}
        if content:
            entry["content"] = content
        out[group.status] = entry
    if not out:
        out["default"] = {"description": "No page documents a response of this endpoint."}
    return out


def _variant_note(endpoint: m.Endpoint, variant_id: str) -> str:
    variant = next(v for v in endpoint.variants if v.id == variant_id)
    if variant.default:
        return f"{variant.title} (default)"
    if variant.selected_by_all:
        return f"{variant.title} (with all of {', '.join(variant.selected_by_all)})"
    return f"{variant.title} (with any of {', '.join(variant.selected_by_any)})"


def build(spec: m.Spec) -> dict[str, Any]:
    per_model, dispatch = build_schemas(
        spec, ref=lambda file: f"#/components/schemas/{component_name(file)}", discriminator=True
    )
    components = {component_name(s.file): _default_in_description(_component(s.schema)) for s in per_model}
    components.update(contract.named_schemas(spec))
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
        "tags": [{"name": tag, "description": titles.get(tag, tag)} for tag in used_tags],
        "paths": dict(sorted(paths.items())),
        "components": {
            "securitySchemes": _security_schemes(spec),
            "schemas": dict(sorted(components.items())),
        },
    }


def emit(spec: m.Spec) -> Mapping[str, str]:
    return {"openapi.json": dumps(build(spec))}
