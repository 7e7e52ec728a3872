"""Load the contract part of the spec: auth, headers, variants, encodings, responses, error bodies,
task payload locations; and cross-check it.

Kept apart from :mod:`generator.loader` (which calls in here) so the request side and the
contract side of the format each have one place. Builders take plain data the JSON Schema has
already validated; cross-checks report what a schema cannot see (references, regexes).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, cast

from . import model as m

Report = Callable[[str, str], None]
"""``report(pointer, message)``: records one problem of the file being checked."""


def _source(data: dict[str, Any]) -> m.Source:
    return m.Source(page=data["page"], section=data["section"], locale=data.get("locale"), quote=data.get("quote"))


def shape(data: dict[str, Any]) -> m.Shape:
    raw_type = data.get("type", ())
    return m.Shape(
        types=cast(tuple[m.JsonType, ...], (raw_type,) if isinstance(raw_type, str) else tuple(raw_type)),
        description=data.get("description"),
        enum=tuple(data.get("enum", ())),
        const=data.get("const"),
        has_const="const" in data,
        nullable=bool(data.get("nullable", False)),
        format=data.get("format"),
        pattern=data.get("pattern"),
        properties=tuple((k, shape(v)) for k, v in data.get("properties", {}).items()),
        required=tuple(data.get("required", ())),
        additional_properties=data.get("additional_properties"),
        items=shape(data["items"]) if "items" in data else None,
        any_of=tuple(shape(s) for s in data.get("any_of", ())),
        source=_source(data["source"]) if "source" in data else None,
    )


def response(data: dict[str, Any], family: str) -> m.Response:
    return m.Response(
        status=data["status"],
        family=family,
        description=data["description"],
        source=_source(data["source"]),
        media_type=data.get("media_type", "application/json"),
        variant=data.get("variant"),
        models=tuple(data.get("models", ())),
        shape=data.get("shape"),
        file=bool(data.get("file", False)),
        undocumented=data.get("undocumented"),
        error=data.get("error"),
        messages=tuple(data.get("messages", ())),
        codes=tuple(data.get("codes", ())),
    )


def endpoint_parts(data: dict[str, Any], family: str) -> dict[str, Any]:
    """The contract attributes of one ``endpoints:`` entry, as :class:`~generator.model.Endpoint` keywords."""
    return {
        "security": tuple(data.get("security", ())),
        "headers": tuple(
            m.Header(
                name=h["name"],
                location=h.get("in", "header"),
                required=bool(h.get("required", False)),
                source=_source(h["source"]),
                description=h.get("description"),
                example=h.get("example"),
            )
            for h in data.get("headers", ())
        ),
        "variants": tuple(
            m.Variant(
                id=v["id"],
                title=v["title"],
                source=_source(v["source"]),
                default=bool(v.get("default", False)),
                selected_by_all=tuple(v.get("selected_by", {}).get("all", ())),
                selected_by_any=tuple(v.get("selected_by", {}).get("any", ())),
            )
            for v in data.get("variants", ())
        ),
        "encodings": tuple(
            m.Encoding(
                media_type=e["media_type"],
                source=_source(e["source"]),
                models=tuple(e.get("models", ())),
                file_fields=tuple(e.get("file_fields", ())),
            )
            for e in data.get("encodings", ())
        ),
        "responses": tuple(response(r, family) for r in data.get("responses", ())),
    }


def merge_endpoint_parts(known: m.Endpoint, parts: dict[str, Any]) -> dict[str, Any]:
    """Join what another family says about an endpoint: responses add up, the rest is a union by key."""

    def union(mine: tuple[Any, ...], theirs: tuple[Any, ...], key: Callable[[Any], object]) -> tuple[Any, ...]:
        seen = {key(x) for x in theirs}
        return (*theirs, *(x for x in mine if key(x) not in seen))

    return {
        "security": union(parts["security"], known.security, lambda s: s),
        "headers": union(parts["headers"], known.headers, lambda h: (h.name, h.location)),
        "variants": union(parts["variants"], known.variants, lambda v: v.id),
        "encodings": union(parts["encodings"], known.encodings, lambda e: (e.media_type, e.models)),
        "responses": (*known.responses, *parts["responses"]),
    }


def task_payload(task: dict[str, Any]) -> dict[str, Any]:
    """The contract keywords of a ``task:`` block for :class:`~generator.model.TaskLifecycle`."""
    payload = task.get("payload")
    chunk = task.get("chunk")
    return {
        "payload": None
        if payload is None
        else m.TaskPayload(
            source=_source(payload["source"]),
            envelope=tuple(payload.get("envelope", ())),
            id=tuple(payload.get("id", ())),
            status=tuple(payload.get("status", ())),
            progress=tuple(payload.get("progress", ())),
            error=tuple(payload.get("error", ())),
            model=tuple(payload.get("model", ())),
        ),
        "chunk": None
        if chunk is None
        else m.ChunkForm(
            match=tuple(sorted(chunk["match"].items())),
            text_path=chunk["text_path"],
            progress_pattern=chunk.get("progress_pattern"),
            url_pattern=chunk["url_pattern"],
            source=_source(chunk["source"]),
            id=tuple(chunk.get("id", ())),
            completed_pattern=chunk.get("completed_pattern"),
        ),
    }


def spec_parts(common: dict[str, Any]) -> dict[str, Any]:
    """The contract keywords of :class:`~generator.model.Spec`, from common.yaml's data."""
    default = common.get("default_security")
    return {
        "security_schemes": tuple(
            m.SecurityScheme(
                id=s["id"],
                kind=s["kind"],
                location=s["in"],
                name=s["name"],
                source=_source(s["source"]),
                example=s.get("example"),
                description=s.get("description"),
            )
            for s in common.get("security_schemes", ())
        ),
        "default_security": tuple(default["schemes"]) if default else (),
        "default_security_source": _source(default["source"]) if default else None,
        "error_bodies": tuple(
            m.ErrorBody(
                id=b["id"],
                title=b["title"],
                body=shape(b["body"]),
                message_path=b["message_path"],
                source=_source(b["source"]),
                code_path=b.get("code_path"),
                type_path=b.get("type_path"),
                messages=tuple(
                    m.ErrorMessage(
                        message=x["message"],
                        source=_source(x["source"]),
                        status=x.get("status"),
                        code=x.get("code"),
                        type=x.get("type"),
                        meaning=x.get("meaning"),
                        answers=x.get("answers"),
                    )
                    for x in b.get("messages", ())
                ),
            )
            for b in common.get("error_bodies", ())
        ),
        "response_shapes": tuple(
            m.ResponseShape(
                name=s["name"], description=s["description"], body=shape(s["body"]), source=_source(s["source"])
            )
            for s in common.get("response_shapes", ())
        ),
    }


# ---- cross-checks -----------------------------------------------------------------------------


def _shape_problems(node: m.Shape, pointer: str) -> Iterator[tuple[str, str]]:
    names = {k for k, _ in node.properties}
    for key in node.required:
        if node.properties and key not in names:
            yield f"{pointer}/required", f"required key {key!r} is not one of the shape's properties"
    if node.pattern is not None:
        try:
            re.compile(node.pattern)
        except re.error as exc:
            yield f"{pointer}/pattern", f"invalid regular expression: {exc}"
    for key, child in node.properties:
        yield from _shape_problems(child, f"{pointer}/properties/{key}")
    if node.items is not None:
        yield from _shape_problems(node.items, f"{pointer}/items")
    for i, option in enumerate(node.any_of):
        yield from _shape_problems(option, f"{pointer}/any_of/{i}")


def check_common(spec: m.Spec, report: Report) -> None:
    """Default security names known schemes; error bodies are well formed and unique."""
    scheme_ids = [s.id for s in spec.security_schemes]
    for twice in sorted({s for s in scheme_ids if scheme_ids.count(s) > 1}):
        report("/security_schemes", f"security scheme {twice!r} is defined more than once")
    for j, scheme_id in enumerate(spec.default_security):
        if scheme_id not in scheme_ids:
            report(f"/default_security/schemes/{j}", f"unknown security scheme {scheme_id!r}")
    body_ids = [b.id for b in spec.error_bodies]
    for twice in sorted({b for b in body_ids if body_ids.count(b) > 1}):
        report("/error_bodies", f"error body {twice!r} is defined more than once")
    for i, body in enumerate(spec.error_bodies):
        for pointer, message in _shape_problems(body.body, f"/error_bodies/{i}/body"):
            report(pointer, message)
    shape_names = [s.name for s in spec.response_shapes]
    for twice in sorted({s for s in shape_names if shape_names.count(s) > 1}):
        report("/response_shapes", f"response shape {twice!r} is defined more than once")
    for i, named in enumerate(spec.response_shapes):
        for pointer, message in _shape_problems(named.body, f"/response_shapes/{i}/body"):
            report(pointer, message)


def check_endpoints(spec: m.Spec, data: dict[str, Any], family: m.Family, report: Report) -> None:
    """References inside this file's ``endpoints:`` entries resolve (schemes, error bodies, variants, models)."""
    scheme_ids = {s.id for s in spec.security_schemes}
    body_ids = {b.id for b in spec.error_bodies}
    shape_names = {s.name for s in spec.response_shapes}
    for i, raw in enumerate(data.get("endpoints", ())):
        endpoint = spec.endpoint(f"{raw['method']} {raw['path']}")
        base = f"/endpoints/{i}"
        on_endpoint = {md.id for md in spec.models if endpoint.id in md.endpoint_ids}
        for j, scheme_id in enumerate(raw.get("security", ())):
            if scheme_id not in scheme_ids:
                report(f"{base}/security/{j}", f"unknown security scheme {scheme_id!r} (common.yaml security_schemes)")
        params = {h.name for h in endpoint.headers} | {s.name for s in spec.security_of(endpoint)}
        variant_ids = {v.id for v in endpoint.variants}
        for j, variant in enumerate(raw.get("variants", ())):
            selected_by = variant.get("selected_by", {})
            for name in (*selected_by.get("all", ()), *selected_by.get("any", ())):
                if name not in params:
                    report(
                        f"{base}/variants/{j}/selected_by",
                        f"{name!r} is neither a header of this endpoint nor one of its security schemes",
                    )
        for j, encoding in enumerate(raw.get("encodings", ())):
            for k, model_id in enumerate(encoding.get("models", ())):
                if model_id not in on_endpoint:
                    report(f"{base}/encodings/{j}/models/{k}", f"model {model_id!r} is not documented on {endpoint.id}")
        for j, resp in enumerate(raw.get("responses", ())):
            where = f"{base}/responses/{j}"
            if "error" in resp and resp["error"] not in body_ids:
                report(f"{where}/error", f"unknown error body {resp['error']!r} (common.yaml error_bodies)")
            if "error" in resp and resp["error"] in body_ids:
                documented = {x.message for x in spec.error_body(resp["error"]).messages}
                for k, message in enumerate(resp.get("messages", ())):
                    if message not in documented:
                        report(f"{where}/messages/{k}", f"{message!r} is not a documented message of {resp['error']!r}")
            if "variant" in resp and resp["variant"] not in variant_ids:
                report(f"{where}/variant", f"unknown variant {resp['variant']!r} of {endpoint.id}")
            for k, model_id in enumerate(resp.get("models", ())):
                if model_id not in on_endpoint:
                    report(f"{where}/models/{k}", f"model {model_id!r} is not documented on {endpoint.id}")
            if "shape" in resp and resp["shape"] not in shape_names:
                report(f"{where}/shape", f"unknown response shape {resp['shape']!r} (common.yaml response_shapes)")
    task = family.task
    chunk = task.chunk if task is not None else None
    if chunk is not None:
        for key in ("progress_pattern", "url_pattern", "completed_pattern"):
            pattern = getattr(chunk, key)
            if pattern is None:
                continue
            try:
                re.compile(pattern)
            except re.error as exc:
                report(f"/task/chunk/{key}", f"invalid regular expression: {exc}")
