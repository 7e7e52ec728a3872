"""What the spec's contract means for emitters: response shapes as JSON Schema, responses grouped
by status, task payload forms per family, where a created task is polled, error bodies as lookup data.

A non-emitter module so the OpenAPI and client emitters (and the tests) read one interpretation
of the contract; emitters never import one another.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import model as m
from .endpoint_models import path_parameters
from .scope import endpoint_of_kind
from .shape_instance import locate

Ref = Callable[[str], str]
"""Maps a component name (a response shape name or ``error.<id>``) to a ``$ref`` target."""


def error_component(body_id: str) -> str:
    """The component name of an error body: ``success-false`` -> ``error.success-false``."""
    return f"error.{body_id}"


def error_class(body_id: str) -> str:
    """The typed client's class of an error body: ``success-false`` -> ``ErrorBodySuccessFalse``."""
    return "ErrorBody" + "".join(part.capitalize() for part in body_id.split("-"))


def shape_schema(shape: m.Shape) -> dict[str, Any]:
    """A :class:`~generator.model.Shape` as JSON Schema 2020-12 (nullability as a ``null`` type)."""
    schema: dict[str, Any] = {}
    types = list(shape.types)
    if shape.nullable and types and "null" not in types:
        types.append("null")
    if types:
        schema["type"] = types[0] if len(types) == 1 else types
    if shape.description:
        schema["description"] = shape.description
    if shape.source is not None:
        schema["description"] = f"{schema.get('description', '')} (source: {shape.source.cite()})".lstrip()
    if shape.has_const:
        schema["const"] = shape.const
    if shape.enum:
        values: list[Any] = list(shape.enum)
        schema["enum"] = [*values, None] if shape.nullable else values
    if shape.format:
        schema["format"] = shape.format
    if shape.pattern:
        schema["pattern"] = shape.pattern
    if shape.properties:
        schema["properties"] = {name: shape_schema(child) for name, child in shape.properties}
    if shape.required:
        schema["required"] = list(shape.required)
    if shape.additional_properties is not None:
        schema["additionalProperties"] = shape.additional_properties
    if shape.items is not None:
        schema["items"] = shape_schema(shape.items)
    elif "array" in types:
        # The docs give no item shape: say "any items" out loud (Spectral's array-items is an error).
        schema["items"] = {}
    if shape.any_of:
        schema["anyOf"] = [shape_schema(s) for s in shape.any_of]
    return schema


def named_schemas(spec: m.Spec) -> dict[str, dict[str, Any]]:
    """Every response shape and error body as a named JSON Schema (the OpenAPI components)."""
    out: dict[str, dict[str, Any]] = {}
    for named in spec.response_shapes:
        schema = {"title": named.name, **shape_schema(named.body)}
        schema["description"] = f"{named.description} Source: {named.source.cite()}"
        out[named.name] = schema
    for body in spec.error_bodies:
        schema = {"title": error_class(body.id), **shape_schema(body.body)}
        messages = "; ".join(
            f"{x.status + ' ' if x.status else ''}{x.message!r}{' (' + x.code + ')' if x.code else ''}"
            for x in body.messages
        )
        schema["description"] = f"{body.title}. Documented messages: {messages}. Source: {body.source.cite()}"
        out[error_component(body.id)] = schema
    return out


@dataclass(frozen=True)
class StatusResponse:
    """What one status code of an operation answers, merged over every family that documents it."""

    status: str
    descriptions: tuple[str, ...]
    components: tuple[str, ...]
    """Named schemas (response shapes or ``error.<id>``) the body may match."""
    files: tuple[str, ...]
    """Media types of a file body."""
    undocumented: tuple[str, ...]
    variants: tuple[str, ...]
    messages: tuple[str, ...]
    sources: tuple[m.Source, ...]


def _unique(values: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def by_status(endpoint: m.Endpoint) -> list[StatusResponse]:
    """The endpoint's responses grouped by status: 2xx first, then errors, ``default`` last."""
    groups: dict[str, list[m.Response]] = {}
    for response in endpoint.responses:
        groups.setdefault(response.status, []).append(response)

    def order(status: str) -> tuple[int, str]:
        return (2 if status == "default" else 0 if status.startswith("2") else 1, status)

    out = []
    for status in sorted(groups, key=order):
        rs = groups[status]
        components = [r.shape for r in rs if r.shape] + [error_component(r.error) for r in rs if r.error]
        out.append(
            StatusResponse(
                status=status,
                descriptions=_unique([r.description for r in rs]),
                components=_unique(components),
                files=_unique([r.media_type for r in rs if r.file]),
                undocumented=_unique([r.undocumented for r in rs if r.undocumented]),
                variants=_unique([r.variant for r in rs if r.variant]),
                messages=_unique([x for r in rs for x in r.messages]),
                sources=tuple(dict.fromkeys(r.source for r in rs)),
            )
        )
    return out


def success_shape(endpoint: m.Endpoint, variant: str | None = None) -> str | None:
    """The response shape of a 200 answer (of ``variant``, else the default variant or the only one)."""
    default = next((v.id for v in endpoint.variants if v.default), None)
    wanted = variant or default
    for response in endpoint.responses:
        if response.status == "200" and response.shape and (wanted is None or response.variant in (None, wanted)):
            return response.shape
    return None


# ---- task payloads ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TaskForm:
    """Everything the client needs to normalise one family's task payloads."""

    statuses: tuple[tuple[str, str], ...]
    """(lower-cased word, queued | in_progress | completed | failed)."""
    result_paths: tuple[str, ...]
    envelope: tuple[str, ...]
    id_paths: tuple[str, ...]
    status_paths: tuple[str, ...]
    progress_paths: tuple[str, ...]
    error_paths: tuple[str, ...]
    model_paths: tuple[str, ...]
    chunk: m.ChunkForm | None


def _words(tasks: list[m.TaskLifecycle]) -> tuple[tuple[str, str], ...]:
    words: dict[str, str] = {}
    for task in tasks:
        for state, names in task.statuses:
            for name in names:
                words.setdefault(name.lower(), state)
    return tuple(sorted(words.items()))


def _paths(tasks: list[m.TaskLifecycle]) -> tuple[str, ...]:
    return _unique([p for task in tasks for p in task.result_url_paths])


def task_form(spec: m.Spec, family: m.Family | None) -> TaskForm:
    """The task form of ``family`` (its own task block over common's), or of every family at once."""
    common = spec.common.task
    if family is None:
        tasks = [f.task for f in spec.all_families if f.task is not None]
        chunks = [t.chunk for t in tasks if t.chunk is not None]
        chunk = chunks[0] if len(chunks) == 1 else None
    else:
        tasks = [t for t in (family.task, common) if t is not None]
        chunk = family.task.chunk if family.task is not None else None
    payload = next((t.payload for t in tasks if t.payload is not None), None)
    if payload is None and common is not None:
        payload = common.payload
    return TaskForm(
        statuses=_words(tasks),
        result_paths=_paths(tasks),
        envelope=payload.envelope if payload else (),
        id_paths=payload.id if payload else (),
        status_paths=payload.status if payload else (),
        progress_paths=payload.progress if payload else (),
        error_paths=payload.error if payload else (),
        model_paths=payload.model if payload else (),
        chunk=chunk,
    )


def chunk_forms(spec: m.Spec) -> dict[str, m.ChunkForm]:
    """Family ID -> its chat-completion chunk form, for families that document one."""
    return {f.id: f.task.chunk for f in spec.all_families if f.task is not None and f.task.chunk is not None}


def model_success_shapes(spec: m.Spec, endpoint_id: str, model: m.Model) -> tuple[str | None, ...]:
    """The shapes a 200 answer of ``endpoint_id`` takes for ``model`` (its family's, narrowed to the model
    where a response names its models); ``None`` stands for a 200 the docs give no shape for."""
    endpoint = spec.endpoint(endpoint_id)
    found = [
        r.shape
        for r in endpoint.responses
        if r.status == "200" and not r.file and r.family == model.family and (not r.models or model.id in r.models)
    ]
    return tuple(dict.fromkeys(found))


def account_endpoints(spec: m.Spec) -> dict[str, str]:
    """The read-only calls a client wraps, by endpoint kind -> endpoint ID: ``balance`` (the account
    endpoint), ``models`` (the list of the common family) and ``voices`` (any other list)."""
    found: dict[str, str] = {}
    for endpoint in spec.endpoints:
        if endpoint.kind == "account":
            found["balance"] = endpoint.id
        elif endpoint.kind == "list":
            found["models" if "common" in endpoint.families else "voices"] = endpoint.id
    return found


# ---- create -> query links ----------------------------------------------------------------------


@dataclass(frozen=True)
class TaskLink:
    """Where a create's task is polled: the query endpoint, its path parameter, and where the create's
    success answer carries the task ID (a dotted path of the response shape)."""

    query: str
    parameter: str
    id_path: str


def _task_models(spec: m.Spec, endpoint: m.Endpoint) -> list[m.Model]:
    """The models created at ``endpoint`` as tasks: those that have a query route to poll them at."""
    return [md for md in spec.models if endpoint.id in md.endpoint_ids and endpoint_of_kind(spec, md, "query")]


def _task_id_path(spec: m.Spec, endpoint: m.Endpoint, families: list[str]) -> str | None:
    """The one path of the task ID in every documented success shape of ``endpoint`` for ``families``,
    read with each family's task form (its envelope, then its ID paths in order); None unless all agree."""
    found: set[str] = set()
    for response in endpoint.responses:
        if response.status != "200" or not response.shape or response.family not in families:
            continue
        form = task_form(spec, spec.family(response.family))
        located = locate(spec.response_shape(response.shape).body, form.envelope, form.id_paths)
        if not located or "[" in located[0]:  # a link's JSON pointer names one value, not every item
            return None
        found.add(located[0])
    return found.pop() if len(found) == 1 else None


def task_links(spec: m.Spec, endpoint: m.Endpoint) -> tuple[TaskLink, ...]:
    """The query routes a task created at ``endpoint`` can be polled at, whatever its model.

    A query route qualifies when every model created here as a task lists it among its endpoints, so
    following the link never asks a route for a task its docs do not poll there; a create whose models
    poll at different routes (no route is every model's) gets none, as OpenAPI links carry no condition
    on the request. The task ID's place in the create's answer comes from each family's task form.
    """
    if endpoint.kind != "create" or endpoint.synchronous:
        return ()
    models = _task_models(spec, endpoint)
    id_path = _task_id_path(spec, endpoint, sorted({md.family for md in models})) if models else None
    if id_path is None:
        return ()
    links = []
    for query in spec.endpoints:
        parameters = path_parameters(query)
        if query.kind == "query" and len(parameters) == 1 and all(query.id in md.endpoint_ids for md in models):
            links.append(TaskLink(query.id, parameters[0], id_path))
    return tuple(links)
