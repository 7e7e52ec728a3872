"""The linter's rules compiled once into a language-neutral form: what both linter backends render.

Every decision that depends on the spec is taken here: which fields a path reaches (aliases
included), which paths are relative to an array's items, whether a required text must be
non-empty, each rule's scope guard, the rule table, the model and endpoint tables and the field
shapes. A backend (``lint_compiler`` for Python, ``lint_js`` for JavaScript) only lays the IR out
as code of its language, so the two linters cannot drift apart on a rule's meaning.

Not an emitter: both backends, the standalone script, the client's ``uniall/_lint.py`` and the
TypeScript package's copy of the JavaScript linter build their source from :func:`build`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from .endpoint_models import PATH_PARAMETER, implied_model, model_path_parameter
from .literals import ecma_pattern
from .media import uri_valued
from .scope import default_endpoint
from .spec_paths import (
    field_names,
    item_fields,
    required_text,
    shared_item_prefix,
    split_path,
    strip_item_prefix,
)

# A path step: (0, names) a key under any of its names (a field and its aliases), (1, None) every
# item of an array, (2, n) item n.
Step = tuple[int, Any]

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Path:
    """A field path of the spec, resolved against the fields it is relative to."""

    text: str
    steps: tuple[Step, ...]

    @property
    def key(self) -> str | None:
        """The one key (no alias, no array step) when the path is a plain top-level name.

        Such paths (most of the spec's) compile to a direct key test on the body instead of the
        generic walkers; a backend uses it only for paths relative to the request body.
        """
        if not _IDENTIFIER.fullmatch(self.text) or len(self.steps) != 1:
            return None
        kind, names = self.steps[0]
        return self.text if kind == 0 and names == (self.text,) else None

    @property
    def chain(self) -> tuple[str, ...] | None:
        """The keys, when the path is a chain of keys without aliases: it then holds at most one value."""
        if not all(kind == 0 and len(names) == 1 for kind, names in self.steps):
            return None
        return tuple(names[0] for _, names in self.steps)


# ---- conditions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Present:
    path: Path
    present: bool


@dataclass(frozen=True)
class Equals:
    path: Path
    value: m.Scalar


@dataclass(frozen=True)
class In:
    path: Path
    values: tuple[m.Scalar, ...]

    @property
    def with_bools(self) -> bool:
        return any(isinstance(v, bool) for v in self.values)


@dataclass(frozen=True)
class IsType:
    path: Path
    json_type: str


@dataclass(frozen=True)
class MinItems:
    path: Path
    count: int


@dataclass(frozen=True)
class Exists:
    """Some item of the array at ``array`` (``items`` walks its items) satisfies ``where``, read per item."""

    array: Path
    items: Path
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


# ---- checks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    """One constraint (a rule's own or a conditional's effect): what is checked, on which paths.

    ``kind`` is a constraint kind of the spec, or ``deprecated-field``. ``texts[i]`` says that
    ``paths[i]`` is a required text (an empty string counts as missing). For ``items`` the path is
    the array's (without ``[]``), ``count_where`` read per item; ``regex`` is in the dialect both
    Python's ``re`` and ECMA 262 read alike.
    """

    kind: str
    paths: tuple[Path, ...] = ()
    texts: tuple[bool, ...] = ()
    path: Path | None = None
    values: tuple[m.Scalar, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    min_len: int | None = None
    max_len: int | None = None
    regex: str | None = None
    count_where: Condition | None = None

    @property
    def with_bools(self) -> bool:
        return any(isinstance(v, bool) for v in self.values)


@dataclass(frozen=True)
class When:
    """A conditional on the request body: ``check`` applies when ``condition`` holds (always when None)."""

    condition: Condition | None
    check: Check


@dataclass(frozen=True)
class PerItem:
    """A conditional on each item of the array ``items``: condition and check read relative to the item."""

    items: Path
    condition: Condition | None
    check: Check


@dataclass(frozen=True)
class DeprecatedBody:
    """The whole request is deprecated (reported at the body's root)."""


@dataclass(frozen=True)
class SumTerm:
    path: Path
    counts_items: bool
    default: float


@dataclass(frozen=True)
class SumMax:
    terms: tuple[SumTerm, ...]
    max: float


@dataclass(frozen=True)
class PixelBounds:
    width: Path
    height: Path
    limits: tuple[int | None, int | None, int | None, int | None, int | None]  # min/max pixels, min/max side, multiple


@dataclass(frozen=True)
class EqualWhenBoth:
    paths: tuple[Path, ...]


Body = Check | When | PerItem | DeprecatedBody | SumMax | PixelBounds | EqualWhenBoth


@dataclass(frozen=True)
class Guard:
    """A rule's scope: the models (None when it is every model of the family), endpoints and modes."""

    models: frozenset[str] | None
    endpoints: frozenset[str] | None
    modes: frozenset[str] | None

    def limits(self) -> list[tuple[str, frozenset[str]]]:
        """(``model``, ``endpoint`` or ``mode``, the values it must have) for each part of the scope
        that is limited, in that order: what a backend tests before the rule's checks."""
        parts = (("model", self.models), ("endpoint", self.endpoints), ("mode", self.modes))
        return [(name, values) for name, values in parts if values is not None]


@dataclass(frozen=True)
class Rule:
    id: str
    index: int  # position in the rule table
    guard: Guard
    body: Body


@dataclass(frozen=True)
class ModeSelector:
    mode: str
    endpoints: frozenset[str] | None
    condition: Condition


# ---- tables -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """A field's shape for the type and unknown-field checks, under each of its names."""

    types: tuple[str, ...]
    properties: dict[str, Shape] | None
    item_types: tuple[str, ...] | None
    item_properties: dict[str, Shape] | None
    endpoints: frozenset[str] | None
    url: bool  # the docs call the string value a URL: it must be one (common.not-a-url)
    item_url: bool  # the same for each string item of the array


@dataclass(frozen=True)
class Family:
    id: str
    ident: str  # the family ID as an identifier of either language
    modes: tuple[ModeSelector, ...]
    rules: tuple[Rule, ...]
    shapes: dict[str, Shape]


@dataclass(frozen=True)
class ModelEntry:
    id: str
    family: str
    default_endpoint: str
    endpoints: frozenset[str]
    legacy: frozenset[str]
    modes: frozenset[str]


@dataclass(frozen=True)
class EndpointEntry:
    """A declared endpoint: its ID, the literal pieces and parameter names of its path, the parameter
    naming the model and the model implied when only one model serves it."""

    id: str
    method: str
    pieces: tuple[tuple[bool, str], ...]  # (False, literal text) or (True, parameter name)
    model_param: str | None
    implied_model: str | None


@dataclass(frozen=True)
class RuleRow:
    id: str
    severity: str
    message: str
    source: str


def builtin_name(rule_id: str) -> str:
    """``common.unknown-field`` -> ``B_UNKNOWN_FIELD``: a built-in rule's index constant in a rendered
    runtime (each backend spells it in its own style from this)."""
    return "B_" + rule_id.removeprefix("common.").replace("-", "_").upper()


@dataclass(frozen=True)
class Linter:
    """Everything a linter backend renders."""

    fingerprint: str
    rules: tuple[RuleRow, ...]
    builtins: tuple[tuple[str, int], ...]  # built-in rule ID -> index in ``rules``
    models: tuple[ModelEntry, ...]
    endpoints: tuple[EndpointEntry, ...]
    families: tuple[Family, ...]


# ---- rendering ----------------------------------------------------------------------------------


@dataclass
class Constants:
    """A rendered linter's module-level constants, deduplicated: one name per distinct literal.

    ``name`` spells a constant's name from its prefix and number (each backend its own style).
    """

    name: str
    by_literal: dict[str, str] = field(default_factory=dict)

    def add(self, prefix: str, literal: str) -> str:
        found = self.by_literal.get(literal)
        if found is None:
            found = self.name.format(prefix=prefix, n=len(self.by_literal))
            self.by_literal[literal] = found
        return found

    def items(self) -> list[tuple[str, str]]:
        return [(name, literal) for literal, name in self.by_literal.items()]


# ---- building -----------------------------------------------------------------------------------


def resolve(text: str, fields: tuple[m.Field, ...]) -> Path:
    """``text`` as steps through ``fields``: each key with every name the API accepts for it."""
    scope = field_names(fields)
    steps: list[Step] = []
    for part in split_path(text):
        if part is None:
            steps.append((1, None))
            continue
        if isinstance(part, int):
            steps.append((2, part))
            continue
        declared = scope.get(part)
        if declared is None:
            steps.append((0, (part,)))
            scope = {}
            continue
        names = (part, *(n for n in (declared.name, *declared.aliases) if n != part))
        steps.append((0, names))
        if declared.items is not None:
            scope = field_names(declared.items.properties) | field_names(declared.properties)
        else:
            scope = field_names(declared.properties)
    return Path(text, tuple(steps))


class _Builder:
    def __init__(self, family: m.Family, index: dict[str, int]) -> None:
        self.family = family
        self.index = index

    def condition(self, c: m.Condition, fields: tuple[m.Field, ...]) -> Condition:
        if isinstance(c, m.Present):
            return Present(resolve(c.field, fields), c.present)
        if isinstance(c, m.Equals):
            return Equals(resolve(c.field, fields), c.value)
        if isinstance(c, m.In):
            return In(resolve(c.field, fields), c.values)
        if isinstance(c, m.IsType):
            return IsType(resolve(c.field, fields), c.json_type)
        if isinstance(c, m.MinItems):
            return MinItems(resolve(c.field, fields), c.count)
        if isinstance(c, m.Exists):
            items = c.array if c.array.endswith("[]") else f"{c.array}[]"
            where = self.condition(c.where, item_fields(self.family, items))
            return Exists(resolve(items.removesuffix("[]"), fields), resolve(items, fields), where)
        if isinstance(c, m.All):
            return All(tuple(self.condition(x, fields) for x in c.conditions))
        if isinstance(c, m.AnyOf):
            return AnyOf(tuple(self.condition(x, fields) for x in c.conditions))
        return Not(self.condition(c.condition, fields))

    def check(self, kind: str, c: m.Rule | m.Effect, fields: tuple[m.Field, ...]) -> Check:
        """One constraint, stated by a rule or by a conditional's effect (they share these attributes)."""
        path = None
        if c.field is not None:
            path = resolve(c.field.removesuffix("[]") if kind == "items" else c.field, fields)
        count_where = None
        if c.count_where is not None and c.field is not None:
            count_where = self.condition(c.count_where, item_fields(self.family, c.field.removesuffix("[]") + "[]"))
        regex = getattr(c, "pattern", None)
        return Check(
            kind=kind,
            paths=tuple(resolve(p, fields) for p in c.fields),
            texts=tuple(required_text(fields, p) for p in c.fields),
            path=path,
            values=c.values,
            minimum=c.min_items if kind == "items" else c.minimum,
            maximum=c.max_items if kind == "items" else c.maximum,
            integer=c.integer,
            min_len=getattr(c, "min_length", None),
            max_len=getattr(c, "max_length", None),
            regex=ecma_pattern(regex) if regex is not None else None,
            count_where=count_where,
        )

    def guard(self, rule: m.Rule) -> Guard:
        scope = rule.applies_to
        family_models = {md.id for md in self.family.models}
        models = frozenset(scope.models) if scope.models and set(scope.models) != family_models else None
        return Guard(
            models,
            frozenset(scope.endpoints) if scope.endpoints else None,
            frozenset(scope.modes) if scope.modes else None,
        )

    def body(self, r: m.Rule) -> Body:
        fields = self.family.fields
        if r.kind in _CONSTRAINT_KINDS:
            return self.check(r.kind, r, fields)
        if r.kind == "deprecated":
            if r.field:
                return Check("deprecated-field", paths=(resolve(r.field, fields),), texts=(False,))
            return DeprecatedBody()
        if r.kind in ("conditional", "recommended"):
            assert r.effect is not None
            per_item = shared_item_prefix(r)
            if per_item is not None:
                relative = strip_item_prefix(r, per_item)
                assert relative.effect is not None
                inner = item_fields(self.family, per_item)
                return PerItem(
                    resolve(per_item, fields),
                    self.condition(relative.condition, inner) if relative.condition is not None else None,
                    self.check(relative.effect.kind, relative.effect, inner),
                )
            condition = self.condition(r.condition, fields) if r.condition is not None else None
            return When(condition, self.check(r.effect.kind, r.effect, fields))
        c = r.check
        if isinstance(c, m.SumMax):
            return SumMax(tuple(SumTerm(resolve(t.path, fields), t.counts_items, t.default) for t in c.terms), c.max)
        if isinstance(c, m.PixelBounds):
            limits = (c.min_pixels, c.max_pixels, c.min_side, c.max_side, c.multiple_of)
            return PixelBounds(resolve(c.width, fields), resolve(c.height, fields), limits)
        if isinstance(c, m.EqualWhenBoth):
            return EqualWhenBoth(tuple(resolve(p, fields) for p in c.fields))
        raise ValueError(f"cannot compile rule {r.id} of kind {r.kind}")

    def family_ir(self) -> Family:
        f = self.family
        modes = tuple(
            ModeSelector(
                s.mode, frozenset(s.endpoints) if s.endpoints else None, self.condition(s.selected_by, f.fields)
            )
            for s in f.modes
        )
        rules = tuple(Rule(r.id, self.index[r.id], self.guard(r), self.body(r)) for r in f.rules)
        return Family(f.id, f.id.replace("-", "_").replace(".", "_"), modes, rules, shape_table(f.fields))


_CONSTRAINT_KINDS = frozenset(
    {"required", "forbidden", "mutually_exclusive", "exactly_one_of", "at_least_one_of", "enum", "range"}
    | {"length", "pattern", "items"}
    | {"media_url", "media_format"}  # patterns derived from the field's media declaration (generator/media.py)
)


def shape_table(fields: tuple[m.Field, ...]) -> dict[str, Shape]:
    """Name (and alias) -> shape, sorted by name."""
    table: dict[str, Shape] = {}
    for f in sorted(fields, key=lambda f: f.name):
        shape = Shape(
            tuple(f.types),
            shape_table(f.properties) if f.properties else None,
            tuple(f.items.types) if f.items else None,
            shape_table(f.items.properties) if f.items and f.items.properties else None,
            frozenset(f.endpoints) if f.endpoints else None,
            *uri_valued(f),
        )
        for name in (f.name, *f.aliases):
            table[name] = shape
    return dict(sorted(table.items()))


def endpoint_pieces(endpoint: m.Endpoint) -> tuple[tuple[bool, str], ...]:
    """The endpoint's path as literal text and ``{parameter}`` names, in order (literals may be empty)."""
    pieces: list[tuple[bool, str]] = []
    position = 0
    for match in PATH_PARAMETER.finditer(endpoint.path):
        pieces.append((False, endpoint.path[position : match.start()]))
        pieces.append((True, match.group(1)))
        position = match.end()
    pieces.append((False, endpoint.path[position:]))
    return tuple(pieces)


def build(spec: m.Spec, fingerprint: str) -> Linter:
    """The IR of the whole linter."""
    rows = [RuleRow(b.id, b.severity, b.message, b.source.cite()) for b in spec.builtin_rules]
    rows += [RuleRow(r.id, r.severity, r.message, r.source.cite()) for r in spec.rules]
    index = {row.id: i for i, row in enumerate(rows)}
    models = tuple(
        ModelEntry(
            md.id,
            md.family,
            default_endpoint(spec, md),
            frozenset(md.endpoint_ids),
            frozenset(e.endpoint for e in md.endpoints if e.status == "legacy"),
            frozenset(md.modes),
        )
        for md in sorted((md for f in spec.families for md in f.models), key=lambda md: md.id)
    )
    endpoints = tuple(
        EndpointEntry(e.id, e.method, endpoint_pieces(e), model_path_parameter(e), implied_model(spec, e))
        for e in spec.endpoints
    )
    return Linter(
        fingerprint=fingerprint,
        rules=tuple(rows),
        builtins=tuple((b.id, index[b.id]) for b in spec.builtin_rules),
        models=models,
        endpoints=endpoints,
        families=tuple(_Builder(f, index).family_ir() for f in spec.families),
    )
