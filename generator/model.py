"""The typed, validated in-memory model of the capability spec.

Every emitter reads these objects and nothing else: not the YAML, not another emitter's output.
They are frozen so an emitter cannot change what the next one sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

JsonType = Literal["string", "integer", "number", "boolean", "object", "array", "null"]
Scalar = str | int | float | bool
Severity = Literal["error", "warning"]

DOCS_BASE_URL = "https://docs.uniall.ai"


def page_url(page: str, locale: str | None = None) -> str:
    """The public URL of a page given its English source path (``site-docs/...md``)."""
    route = page.removeprefix("site-docs/").removesuffix(".md")
    if route == "overview":
        route = ""
    route = route.removesuffix("/index").removesuffix("index")
    prefix = "/zh-CN" if locale == "zh-CN" else ""
    return f"{DOCS_BASE_URL}{prefix}/{route}".rstrip("/") or DOCS_BASE_URL


@dataclass(frozen=True)
class Source:
    page: str
    section: str
    locale: str | None = None
    quote: str | None = None

    @property
    def url(self) -> str:
        return page_url(self.page, self.locale)

    def cite(self) -> str:
        """One line a user can follow: URL, section, and the locale when only one states it."""
        only = " (zh-CN only)" if self.locale == "zh-CN" else ""
        return f"{self.url} § {self.section}{only}"


# ---- conditions and effects -------------------------------------------------------------------


@dataclass(frozen=True)
class Present:
    field: str
    present: bool


@dataclass(frozen=True)
class Equals:
    field: str
    value: Scalar


@dataclass(frozen=True)
class In:
    field: str
    values: tuple[Scalar, ...]


@dataclass(frozen=True)
class IsType:
    field: str
    json_type: JsonType


@dataclass(frozen=True)
class MinItems:
    field: str
    count: int


@dataclass(frozen=True)
class Exists:
    """Some item of the array at ``array`` matches ``where`` (paths in it are item-relative)."""

    array: str
    where: Condition


@dataclass(frozen=True)
class All:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    condition: Condition


Condition = Present | Equals | In | IsType | MinItems | Exists | All | AnyOf | Not

EffectKind = Literal["required", "forbidden", "at_least_one_of", "exactly_one_of", "enum", "range", "items"]


@dataclass(frozen=True)
class Effect:
    """What a conditional or recommended rule demands once its condition holds."""

    kind: EffectKind
    fields: tuple[str, ...] = ()
    field: str | None = None
    values: tuple[Scalar, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    min_items: int | None = None
    max_items: int | None = None
    count_where: Condition | None = None


# ---- cross-field checks -----------------------------------------------------------------------


@dataclass(frozen=True)
class SumTerm:
    path: str
    counts_items: bool
    default: float = 0


@dataclass(frozen=True)
class SumMax:
    terms: tuple[SumTerm, ...]
    max: float


@dataclass(frozen=True)
class PixelBounds:
    width: str
    height: str
    min_pixels: int | None = None
    max_pixels: int | None = None
    min_side: int | None = None
    max_side: int | None = None
    multiple_of: int | None = None


@dataclass(frozen=True)
class EqualWhenBoth:
    fields: tuple[str, ...]


CrossCheck = SumMax | PixelBounds | EqualWhenBoth


# ---- contract: headers and auth, encodings, responses, error bodies, task payloads -------------


@dataclass(frozen=True)
class SecurityScheme:
    """How an API key travels: ``Authorization: Bearer <key>``, or the key in a named header or query parameter."""

    id: str
    kind: Literal["bearer", "api-key"]
    location: Literal["header", "query"]
    name: str
    source: Source
    example: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Header:
    """A non-auth header or query parameter the page documents (e.g. ``anthropic-version``)."""

    name: str
    location: Literal["header", "query"]
    required: bool
    source: Source
    description: str | None = None
    example: str | None = None


@dataclass(frozen=True)
class Variant:
    """A response format picked by request headers or query parameters (``all`` of them, or ``any`` one)."""

    id: str
    title: str
    source: Source
    default: bool = False
    selected_by_all: tuple[str, ...] = ()
    selected_by_any: tuple[str, ...] = ()


@dataclass(frozen=True)
class Encoding:
    media_type: Literal["application/json", "multipart/form-data"]
    source: Source
    models: tuple[str, ...] = ()
    file_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Shape:
    """A response value's shape (a JSON Schema subset); ``properties`` keep the spec's order."""

    types: tuple[JsonType, ...] = ()
    description: str | None = None
    enum: tuple[Scalar, ...] = ()
    const: Scalar | None = None
    has_const: bool = False
    nullable: bool = False
    format: str | None = None
    pattern: str | None = None
    properties: tuple[tuple[str, Shape], ...] = ()
    required: tuple[str, ...] = ()
    additional_properties: bool | None = None
    items: Shape | None = None
    any_of: tuple[Shape, ...] = ()
    source: Source | None = None


@dataclass(frozen=True)
class Response:
    """One documented response of an endpoint: a status with a body shape, an error body, or a named gap."""

    status: str
    family: str
    description: str
    source: Source
    media_type: str = "application/json"
    variant: str | None = None
    models: tuple[str, ...] = ()
    shape: str | None = None
    file: bool = False
    undocumented: str | None = None
    error: str | None = None
    messages: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()

    @property
    def is_error(self) -> bool:
        return self.status == "default" or not self.status.startswith("2")


@dataclass(frozen=True)
class ResponseShape:
    """A named response body: an OpenAPI component and a typed client model of the same name."""

    name: str
    description: str
    body: Shape
    source: Source


ErrorSituation = Literal["missing-key", "invalid-key", "disabled-key", "invalid-parameter"]
"""What a documented error message answers, as the section the docs print it under says."""


@dataclass(frozen=True)
class ErrorMessage:
    message: str
    source: Source
    status: str | None = None
    code: str | None = None
    type: str | None = None
    meaning: str | None = None
    answers: ErrorSituation | None = None


@dataclass(frozen=True)
class ErrorBody:
    """A documented error response body: its shape, where the message and code sit, every documented message."""

    id: str
    title: str
    body: Shape
    message_path: str
    source: Source
    code_path: str | None = None
    type_path: str | None = None
    messages: tuple[ErrorMessage, ...] = ()


@dataclass(frozen=True)
class TaskPayload:
    """Where a task response puts its parts: dotted paths tried in order (``[]`` = every item)."""

    source: Source
    envelope: tuple[str, ...] = ()
    id: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    progress: tuple[str, ...] = ()
    error: tuple[str, ...] = ()
    model: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChunkForm:
    """A chat-completion chunk whose progress and result URL sit inside a text field."""

    match: tuple[tuple[str, str], ...]
    text_path: str
    url_pattern: str
    source: Source
    progress_pattern: str | None = None
    id: tuple[str, ...] = ()
    completed_pattern: str | None = None


# ---- spec objects -----------------------------------------------------------------------------

EndpointKind = Literal["create", "query", "content", "list", "account", "chat"]
EndpointStatus = Literal["recommended", "compatible", "legacy"]
ModelStatus = Literal["current", "legacy", "compat-only", "deprecated"]


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    kind: EndpointKind
    title: str | None
    synchronous: bool | None
    body: str | None
    query_endpoint: str | None
    content_endpoint: str | None
    sources: tuple[Source, ...]
    families: tuple[str, ...]
    # contract: security scheme IDs (alternatives), other headers, header-selected variants,
    # body encodings, responses (from every family that documents the endpoint)
    security: tuple[str, ...] = ()
    headers: tuple[Header, ...] = ()
    variants: tuple[Variant, ...] = ()
    encodings: tuple[Encoding, ...] = ()
    responses: tuple[Response, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class ModelEndpoint:
    endpoint: str
    status: EndpointStatus


@dataclass(frozen=True)
class Model:
    id: str
    family: str
    status: ModelStatus
    title: str | None
    modes: tuple[str, ...]
    endpoints: tuple[ModelEndpoint, ...]
    attributes: tuple[tuple[str, Scalar], ...]
    source: Source
    notes: str | None = None

    @property
    def endpoint_ids(self) -> tuple[str, ...]:
        return tuple(e.endpoint for e in self.endpoints)


@dataclass(frozen=True)
class ModeSelector:
    family: str
    mode: str
    selected_by: Condition
    endpoints: tuple[str, ...]
    source: Source
    notes: str | None = None


# ---- media inputs (issue #10, part 4) ------------------------------------------------------------

MediaKind = Literal["image", "video", "audio"]
MediaAccepts = Literal["url", "url-or-data-uri"]
LimitName = Literal[
    "formats",
    "file_size_mb",
    "side_px",
    "short_side_px",
    "long_side_px",
    "aspect_ratio",
    "duration_seconds",
    "total_duration_seconds",
    "fps",
]


@dataclass(frozen=True)
class MediaLimit:
    """One documented limit of a media input (most cannot be checked from the request itself)."""

    limit: LimitName
    source: Source
    values: tuple[str, ...] = ()
    minimum: float | str | None = None
    maximum: float | str | None = None
    exclusive_minimum: bool = False
    models: tuple[str, ...] = ()  # only these models have the limit; empty: every model


@dataclass(frozen=True)
class MediaInput:
    """A field (or each item of an array field) that is an image, video or audio given by URL."""

    kind: MediaKind
    accepts: MediaAccepts
    public: bool
    source: Source
    limits: tuple[MediaLimit, ...] = ()

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(v for x in self.limits if x.limit == "formats" for v in x.values)


@dataclass(frozen=True)
class ItemShape:
    types: tuple[JsonType, ...]
    description: str | None = None
    format: str | None = None
    properties: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Field:
    name: str
    types: tuple[JsonType, ...]
    source: Source
    description: str | None = None
    has_default: bool = False
    default: Any = None
    aliases: tuple[str, ...] = ()
    endpoints: tuple[str, ...] = ()
    format: str | None = None
    properties: tuple[Field, ...] = ()
    items: ItemShape | None = None
    media: MediaInput | None = None


RuleKind = Literal[
    "required",
    "forbidden",
    "enum",
    "range",
    "length",
    "pattern",
    "items",
    "mutually_exclusive",
    "exactly_one_of",
    "at_least_one_of",
    "conditional",
    "cross_field",
    "deprecated",
    "recommended",
    "media_url",
    "media_format",
]


@dataclass(frozen=True)
class Scope:
    models: tuple[str, ...] = ()
    endpoints: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    kind: RuleKind
    severity: Severity
    message: str
    source: Source
    applies_to: Scope = field(default_factory=Scope)
    notes: str | None = None
    fields: tuple[str, ...] = ()
    field: str | None = None
    values: tuple[Scalar, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    min_items: int | None = None
    max_items: int | None = None
    count_where: Condition | None = None
    condition: Condition | None = None
    effect: Effect | None = None
    check: CrossCheck | None = None
    media: MediaInput | None = None  # media_url / media_format: the declaration of the field checked


@dataclass(frozen=True)
class Claim:
    source: Source
    quote: str
    says: str | None = None


@dataclass(frozen=True)
class Conflict:
    id: str
    family: str
    topic: str
    claims: tuple[Claim, ...]
    reading: str
    reason: str
    rules: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaskLifecycle:
    source: Source
    statuses: tuple[tuple[str, tuple[str, ...]], ...] = ()
    poll_min_seconds: float | None = None
    poll_max_seconds: float | None = None
    result_url_paths: tuple[str, ...] = ()
    # contract: where id, status, progress and error sit; the chat-completion chunk form
    payload: TaskPayload | None = None
    chunk: ChunkForm | None = None


@dataclass(frozen=True)
class NotModel:
    token: str
    reason: str
    family: str
    source: Source | None = None


@dataclass(frozen=True)
class ModeKind:
    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True)
class Vocabulary:
    name: str
    values: tuple[Scalar, ...]
    source: Source
    description: str | None = None


@dataclass(frozen=True)
class BuiltinRule:
    """A request-level check the linter itself performs (unknown model, wrong type, ...)."""

    id: str
    severity: Severity
    message: str
    source: Source
    notes: str | None = None


@dataclass(frozen=True)
class Family:
    id: str
    title: str
    category: str | None
    file: str
    pages: tuple[str, ...]
    models: tuple[Model, ...]
    modes: tuple[ModeSelector, ...]
    fields: tuple[Field, ...]
    rules: tuple[Rule, ...]
    conflicts: tuple[Conflict, ...]
    task: TaskLifecycle | None
    not_models: tuple[NotModel, ...]
    description: str | None = None


@dataclass(frozen=True)
class Spec:
    """The whole capability spec, cross-checked: every reference in it resolves."""

    common: Family
    families: tuple[Family, ...]
    endpoints: tuple[Endpoint, ...]
    mode_catalog: tuple[ModeKind, ...]
    vocabularies: tuple[Vocabulary, ...]
    builtin_rules: tuple[BuiltinRule, ...] = ()
    # contract: auth schemes, the default an endpoint inherits, documented error bodies
    security_schemes: tuple[SecurityScheme, ...] = ()
    default_security: tuple[str, ...] = ()
    default_security_source: Source | None = None
    error_bodies: tuple[ErrorBody, ...] = ()
    response_shapes: tuple[ResponseShape, ...] = ()

    def response_shape(self, name: str) -> ResponseShape:
        for candidate in self.response_shapes:
            if candidate.name == name:
                return candidate
        raise KeyError(name)

    def error_body(self, body_id: str) -> ErrorBody:
        for candidate in self.error_bodies:
            if candidate.id == body_id:
                return candidate
        raise KeyError(body_id)

    def security_of(self, endpoint: Endpoint) -> tuple[SecurityScheme, ...]:
        """The schemes that authenticate a call to ``endpoint`` (its own list, else the default)."""
        by_id = {s.id: s for s in self.security_schemes}
        return tuple(by_id[i] for i in (endpoint.security or self.default_security) if i in by_id)

    def builtin(self, rule_id: str) -> BuiltinRule:
        for candidate in self.builtin_rules:
            if candidate.id == rule_id:
                return candidate
        raise KeyError(rule_id)

    @property
    def all_families(self) -> tuple[Family, ...]:
        return (self.common, *self.families)

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(m for f in self.all_families for m in f.models)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(r for f in self.all_families for r in f.rules)

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(c for f in self.all_families for c in f.conflicts)

    @property
    def not_models(self) -> tuple[NotModel, ...]:
        return tuple(n for f in self.all_families for n in f.not_models)

    def family(self, family_id: str) -> Family:
        for candidate in self.all_families:
            if candidate.id == family_id:
                return candidate
        raise KeyError(family_id)

    def model(self, model_id: str) -> Model:
        for candidate in self.models:
            if candidate.id == model_id:
                return candidate
        raise KeyError(model_id)

    def endpoint(self, endpoint_id: str) -> Endpoint:
        for candidate in self.endpoints:
            if candidate.id == endpoint_id:
                return candidate
        raise KeyError(endpoint_id)

    def modes_of(self, model: Model) -> tuple[str, ...]:
        return model.modes
