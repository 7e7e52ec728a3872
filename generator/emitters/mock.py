"""``generated/python/uniall/_mock.py`` and ``_mock_data.py``: the stateful mock of ``uniall mock``.

The runtime (``templates/python/uniall/_mock.py.j2``) knows HTTP, state and time and no doc fact;
everything it answers comes from the tables built here from the loaded spec:

- routes: each endpoint's method and path, kind, accepted encodings and auth schemes;
- per model: family, the kind of media it makes, where its task is polled;
- per (endpoint, family): a body of the documented response shape (:mod:`generator.shape_instance`)
  and the paths where the task's ID, status word, progress, result URLs and error go
  (``task.payload`` and ``task.result_url_paths``);
- per family: the status word for each normalised state, as the docs print it;
- the documented error bodies, with the message each situation gets.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import model as m
from ..lint_compiler import endpoint_pattern
from ..scope import default_endpoint, endpoint_of_kind, media_kind
from ..shape_instance import accepts_null, first_type, instance, locate, shape_at
from ..templating import fingerprint, jinja_env

PACKAGE = "python/uniall"
ASSETS = Path(__file__).resolve().parent.parent / "assets"
# The small, valid files the mock serves as results: (file name, content type) per media kind.
MEDIA_FILES = {
    "image": ("sample.png", "image/png"),
    "video": ("sample.mp4", "video/mp4"),
    "audio": ("sample.mp3", "audio/mpeg"),
}
_STATES = ("queued", "in_progress", "completed", "failed")


@dataclass(frozen=True)
class TaskTemplate:
    """One documented task response body and where this task's parts go in it."""

    example: Any
    id_paths: tuple[str, ...]
    model_paths: tuple[str, ...]
    status_paths: tuple[str, ...]
    progress_paths: tuple[str, ...]
    progress_kind: str
    url_paths: tuple[str, ...]
    error_paths: tuple[str, ...]
    nullable_paths: tuple[str, ...]
    words: dict[str, str]


def _shape_of(spec: m.Spec, endpoint: m.Endpoint, family: str | None, status: str = "200") -> m.Shape | None:
    """The documented body of ``status`` on ``endpoint`` for ``family`` (else any family's), by shape name."""
    candidates = [r for r in endpoint.responses if r.status == status and r.shape and not r.variant]
    mine = [r for r in candidates if r.family == family] or candidates
    for response in mine:
        if response.shape:
            return spec.response_shape(response.shape).body
    return None


def _task_template(spec: m.Spec, family: m.Family, shape: m.Shape) -> TaskTemplate:
    task = family.task
    common = spec.common.task
    payload = (task.payload if task else None) or (common.payload if common else None)
    envelope = payload.envelope if payload else ()
    urls = (task.result_url_paths if task else ()) or (common.result_url_paths if common else ())
    status_paths = locate(shape, envelope, payload.status if payload else ())
    progress_paths = locate(shape, envelope, payload.progress if payload else ())
    error_paths = locate(shape, envelope, payload.error if payload else ())[:1]
    progress_shape = shape_at(shape, progress_paths[0]) if progress_paths else None
    url_paths = locate(shape, (), urls) or locate(shape, envelope, urls)
    nullable = tuple(
        p for p in (*url_paths, *error_paths) if (node := shape_at(shape, p)) is not None and accepts_null(node)
    )
    return TaskTemplate(
        example=_success(spec, instance(shape)),
        id_paths=locate(shape, envelope, payload.id if payload else ()),
        model_paths=locate(shape, envelope, payload.model if payload else ()),
        status_paths=status_paths,
        progress_paths=progress_paths,
        progress_kind=(first_type(progress_shape) or "string") if progress_shape else "integer",
        url_paths=url_paths,
        error_paths=error_paths,
        nullable_paths=nullable,
        words=_template_words(spec, family, shape_at(shape, status_paths[0]) if status_paths else None),
    )


def _template_words(spec: m.Spec, family: m.Family, status: m.Shape | None) -> dict[str, str]:
    """The family's word for each state, but one the response shape's status enum allows where it has one.

    Grok's image tasks answer on the shared async-image endpoint, whose shape lists ``succeeded``
    where Grok's own pages say ``completed``: the endpoint's documented enum wins, taking the word
    another family's pages give for that state.
    """
    own = _status_words(spec, family)
    allowed = set(status.enum) if status is not None and status.enum else None
    if allowed is None:
        return own
    everywhere: dict[str, list[str]] = {}
    for source in (family, *spec.all_families):
        for state, listed in source.task.statuses if source.task else ():
            everywhere.setdefault(state, []).extend(listed)
    words = {}
    for state, word in own.items():
        words[state] = next((w for w in [word, *everywhere.get(state, [])] if w in allowed), word)
    return words


def _status_words(spec: m.Spec, family: m.Family) -> dict[str, str]:
    """The word the family's docs print for each state; a state they name no word for is left out."""
    own = dict(family.task.statuses) if family.task else {}
    common = dict(spec.common.task.statuses) if spec.common.task else {}
    words: dict[str, str] = {}
    for state in _STATES:
        listed = own.get(state) or common.get(state)
        if listed:
            words[state] = listed[0]
    return words


def _routes(spec: m.Spec) -> list[dict[str, Any]]:
    routes = []
    for endpoint in sorted(spec.endpoints, key=lambda e: (e.path.count("{"), e.id)):
        pattern, model_param = endpoint_pattern(endpoint)
        if endpoint.body == "none" or endpoint.method == "GET":
            encodings: tuple[str, ...] = ()
        else:
            encodings = tuple(dict.fromkeys(e.media_type for e in endpoint.encodings)) or ("application/json",)
        auth = tuple((s.name, s.location, "Bearer " if s.kind == "bearer" else "") for s in spec.security_of(endpoint))
        routes.append(
            {
                "endpoint": endpoint.id,
                "method": endpoint.method,
                "path": endpoint.path,
                "pattern": pattern,
                "model_param": model_param,
                "kind": endpoint.kind,
                "synchronous": bool(endpoint.synchronous),
                "encodings": encodings,
                "auth": auth,
            }
        )
    return routes


# The mock's situations the docs print an error message for: (situation, the spec's ``answers`` value,
# the status when the message states none).
_AUTH_SITUATIONS: tuple[tuple[str, m.ErrorSituation, int], ...] = (
    ("missing_key", "missing-key", 401),
    ("invalid_key", "invalid-key", 401),
    ("disabled_key", "disabled-key", 403),
)
# Rejections of the request itself: a linted-out body, an unreadable one, one over the size limit.
_REJECTED_REQUEST = (("invalid_request", 400), ("bad_request", 400), ("too_large", 413))
# Situations no page prints a message for: the mock writes its own message in the body it uses for
# rejected requests (the docs name no other body for them).
_UNDOCUMENTED = (
    ("not_found", 404),
    ("task_not_found", 404),
    ("method_not_allowed", 405),
    ("rate_limited", 429),
    ("server_error", 503),
)


def _answering(bodies: Iterable[m.ErrorBody], situation: m.ErrorSituation) -> tuple[m.ErrorBody, m.ErrorMessage] | None:
    """The first documented message (and its body) that the spec says answers ``situation``."""
    for body in bodies:
        for message in body.messages:
            if message.answers == situation:
                return body, message
    return None


def _error_bodies(spec: m.Spec, own: m.ErrorBody | None = None) -> dict[str, dict[str, Any]]:
    """The documented error body and message for each situation the mock answers with an error.

    Which message answers which situation is the spec's (each message's ``answers``, from the section
    the docs print it under). ``own``: the error body an endpoint's page documents for its errors, used
    for every situation there, with its own message for a situation where it documents one (the voices
    page's ``api_key_required``), else the message another page documents for it (the balance page's
    ``Invalid token``) in ``own``'s shape, without that page's code. Elsewhere a situation takes the body
    that documents its message; the rest take the body documented for rejected parameters.
    """
    mine = (own,) if own is not None else ()

    def entry(
        body: m.ErrorBody | None, status: int, text: str | None, labelled: m.ErrorMessage | None
    ) -> dict[str, Any]:
        if body is None:
            return {"status": status, "example": {}, "message_paths": (), "labels": ()}
        # A code or type is shown only where the body documents that message (another page's is not its own).
        documented = labelled if labelled is not None and labelled in body.messages else None
        labels = []
        if body.code_path:
            labels.append((body.code_path, documented.code if documented else None))
        if body.type_path:
            labels.append((body.type_path, documented.type if documented else None))
        return {
            "status": status,
            "example": instance(body.body),
            "message": text,
            "message_paths": (body.message_path,),
            "labels": tuple(labels),
        }

    situations: dict[str, dict[str, Any]] = {}
    for situation, answers, status in _AUTH_SITUATIONS:
        found = _answering(mine, answers) or _answering(spec.error_bodies, answers)
        message = found[1] if found else None
        body = own or (found[0] if found else None)
        stated = int(message.status) if message is not None and message.status else status
        situations[situation] = entry(body, stated, message.message if message else None, message)
    rejected = _answering(mine, "invalid-parameter") or _answering(spec.error_bodies, "invalid-parameter")
    fallback = own or (rejected[0] if rejected else next(iter(spec.error_bodies), None))
    for situation, status in _REJECTED_REQUEST:
        # The mock writes what the linter found; the code and type are the documented rejection's.
        situations[situation] = entry(fallback, status, None, rejected[1] if rejected else None)
    for situation, status in _UNDOCUMENTED:
        situations[situation] = entry(fallback, status, None, None)
    return situations


def _endpoint_error_bodies(spec: m.Spec) -> dict[str, dict[str, dict[str, Any]]]:
    """Per endpoint whose responses name an error body (a non-2xx or ``default`` status): its situations."""
    out = {}
    for endpoint in spec.endpoints:
        named = next((r.error for r in endpoint.responses if r.error and not r.status.startswith("2")), None)
        if named is not None:
            out[endpoint.id] = _error_bodies(spec, spec.error_body(named))
    return dict(sorted(out.items()))


def _success(spec: m.Spec, example: Any) -> Any:
    """A success body never carries the flag that marks a documented error body (``success: false``)."""
    for body in spec.error_bodies:
        for name, child in body.body.properties:
            flagged = child.has_const and isinstance(child.const, bool) and isinstance(example, dict)
            if flagged and example.get(name) is child.const:
                example[name] = not child.const
    return example


def _sync_answer(spec: m.Spec, endpoint: m.Endpoint) -> dict[str, Any] | None:
    shape = _shape_of(spec, endpoint, None)
    if shape is None:
        return None
    urls: list[str] = []
    for family_id in endpoint.families:
        task = spec.family(family_id).task
        urls.extend(task.result_url_paths if task else ())
    if spec.common.task:
        urls.extend(spec.common.task.result_url_paths)
    tasks = [spec.family(f).task for f in endpoint.families]
    chunk = next((task.chunk for task in tasks if task is not None and task.chunk is not None), None)
    inline = tuple(_inline_data(shape))
    return {
        "example": _success(spec, instance(shape)),
        "url_paths": locate(shape, (), tuple(dict.fromkeys(urls))),
        "inline_paths": tuple(path for path, _ in inline),
        "mime_paths": tuple(mime for _, mime in inline if mime),
        # A synchronous result names what it made by its own IDs (``task_id``, ``voice_id``): fresh ones per call.
        "id_paths": tuple(
            name
            for name, child in shape.properties
            if name == "id" or (name.endswith("_id") and first_type(child) == "string")
        ),
        "model_paths": locate(shape, (), ("model",)),
        "chunk_text_path": chunk.text_path if chunk and shape_at(shape, chunk.text_path) is not None else None,
    }


def _inline_data(shape: m.Shape, prefix: str = "") -> Iterator[tuple[str, str | None]]:
    """Paths of strings the spec describes as base64 file bytes, with a sibling naming their MIME type."""
    for name, child in shape.properties:
        path = f"{prefix}{name}"
        if first_type(child) == "string" and "base64" in (child.description or "").lower():
            mime = next((n for n, _ in shape.properties if "mime" in n.lower()), None)
            yield path, (f"{prefix}{mime}" if mime else None)
        elif child.items is not None:
            yield from _inline_data(child.items, f"{path}[].")
        elif child.properties:
            yield from _inline_data(child, f"{path}.")


def _variant_examples(spec: m.Spec, endpoint: m.Endpoint) -> list[dict[str, Any]]:
    """Header-selected answers (the model list): each variant's shape, the default's where undocumented."""
    default_shape = None
    variants = []
    for variant in endpoint.variants:
        response = next((r for r in endpoint.responses if r.variant == variant.id and r.status == "200"), None)
        shape = spec.response_shape(response.shape).body if response and response.shape else None
        if variant.default:
            default_shape = shape
        variants.append((variant, shape))
    answers = []
    for variant, shape in variants:
        body = shape or default_shape
        if body is None:
            continue
        answers.append(
            {
                "all": variant.selected_by_all,
                "any": variant.selected_by_any,
                "default": variant.default,
                "example": _listing(spec, body),
            }
        )
    return answers


def _listing(spec: m.Spec, shape: m.Shape) -> Any:
    """A list body whose items are records with an ``id``: one record per model of the spec."""
    body = _success(spec, instance(shape))
    items = shape_at(shape, "data[]")
    if isinstance(body, dict) and items is not None and shape_at(items, "id") is not None:
        record = instance(items)
        body["data"] = [{**record, "id": model.id} for model in sorted(spec.models, key=lambda md: md.id)]
    return body


def emit(spec: m.Spec) -> Mapping[str, str]:
    models = {}
    templates: dict[str, TaskTemplate] = {}
    for family in spec.families:
        for model in family.models:
            models[model.id] = {
                "family": family.id,
                "media": media_kind(model),
                "create": default_endpoint(spec, model),
                "query": endpoint_of_kind(spec, model, "query"),
                "content": endpoint_of_kind(spec, model, "content"),
            }
            for endpoint_id in (*model.endpoint_ids,):
                endpoint = spec.endpoint(endpoint_id)
                if endpoint.kind not in ("create", "query") or (endpoint.kind == "create" and endpoint.synchronous):
                    continue
                key = f"{endpoint_id}|{family.id}"
                if key in templates:
                    continue
                shape = _shape_of(spec, endpoint, family.id)
                if shape is None and endpoint.kind == "create":
                    # The create response is undocumented here: answer with the task shape the family's
                    # query page documents, the only statement of what a task of this family looks like.
                    query = endpoint_of_kind(spec, model, "query")
                    shape = _shape_of(spec, spec.endpoint(query), family.id) if query else None
                if shape is not None:
                    templates[key] = _task_template(spec, family, shape)
    implied = {}
    for endpoint in spec.endpoints:
        accepting = [md.id for md in spec.models if endpoint.id in md.endpoint_ids]
        if len(accepting) == 1 and endpoint.kind in ("create", "chat"):
            implied[endpoint.id] = accepting[0]
    sync = {}
    variants = {}
    for endpoint in spec.endpoints:
        if endpoint.variants:
            variants[endpoint.id] = _variant_examples(spec, endpoint)
        elif endpoint.kind in ("chat", "list", "account") or (endpoint.synchronous and endpoint.kind == "create"):
            answer = _sync_answer(spec, endpoint)
            if answer is not None:
                if endpoint.kind == "list":
                    shape = _shape_of(spec, endpoint, None)
                    answer["example"] = _listing(spec, shape) if shape else answer["example"]
                sync[endpoint.id] = answer
    media = {
        kind: (name, content_type, base64.b64encode((ASSETS / name).read_bytes()).decode("ascii"))
        for kind, (name, content_type) in MEDIA_FILES.items()
    }
    env = jinja_env()
    data = env.get_template("mock/_mock_data.py.j2").render(
        fingerprint=fingerprint(spec),
        routes=_routes(spec),
        models=dict(sorted(models.items())),
        templates=dict(sorted(templates.items())),
        implied=dict(sorted(implied.items())),
        sync=dict(sorted(sync.items())),
        variants=dict(sorted(variants.items())),
        errors=_error_bodies(spec),
        endpoint_errors=_endpoint_error_bodies(spec),
        media=media,
    )
    runtime = env.get_template("mock/_mock.py.j2").render()
    return {f"{PACKAGE}/_mock_data.py": data, f"{PACKAGE}/_mock.py": runtime}
