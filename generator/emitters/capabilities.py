"""``generated/CAPABILITIES.md``: the capability matrix integrators read, one section per family."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .. import media
from .. import model as m
from ..templating import jinja_env


def _fmt(value: m.Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _bounds(low: float | int | None, high: float | int | None) -> str:
    if low is not None and high is not None:
        return f"{_fmt(low)} to {_fmt(high)}"
    if low is not None:
        return f">= {_fmt(low)}"
    return f"<= {_fmt(high)}" if high is not None else ""


def _effect_text(effect: m.Effect) -> str:
    if effect.kind == "enum":
        return f"`{effect.field}` one of " + ", ".join(f"`{_fmt(v)}`" for v in effect.values)
    if effect.kind == "range":
        whole = " (whole numbers)" if effect.integer else ""
        return f"`{effect.field}` {_bounds(effect.minimum, effect.maximum)}{whole}"
    if effect.kind == "items":
        return f"`{effect.field}` {_bounds(effect.min_items, effect.max_items)} items"
    joined = ", ".join(f"`{f}`" for f in effect.fields)
    return f"{effect.kind.replace('_', ' ')}: {joined}"


def constraint_text(rule: m.Rule) -> str:
    """The rule's constraint in a few words; the message carries the full sentence."""
    if rule.kind == "enum":
        return f"`{rule.field}` one of " + ", ".join(f"`{_fmt(v)}`" for v in rule.values)
    if rule.kind == "range":
        whole = " (whole numbers)" if rule.integer else ""
        return f"`{rule.field}` {_bounds(rule.minimum, rule.maximum)}{whole}"
    if rule.kind == "length":
        return f"`{rule.field}` {_bounds(rule.min_length, rule.max_length)} characters"
    if rule.kind == "items":
        return f"`{rule.field}` {_bounds(rule.min_items, rule.max_items)} items"
    if rule.kind == "pattern":
        return f"`{rule.field}` matches `{rule.pattern}`"
    if rule.kind == "media_url" and rule.media is not None:
        return f"`{rule.field}`: " + media.describe(rule.media).removeprefix("Media input: ").split(";")[0]
    if rule.kind == "media_format" and rule.media is not None:
        return f"`{rule.field}` file extension, when present: " + ", ".join(rule.media.formats)
    if rule.kind in ("required", "forbidden", "mutually_exclusive", "exactly_one_of", "at_least_one_of"):
        return rule.kind.replace("_", " ") + ": " + ", ".join(f"`{f}`" for f in rule.fields)
    if rule.kind in ("conditional", "recommended") and rule.effect is not None:
        return ("if condition holds: " if rule.condition is not None else "") + _effect_text(rule.effect)
    if isinstance(rule.check, m.SumMax):
        return " + ".join(f"`{t.path}`" for t in rule.check.terms) + f" <= {_fmt(rule.check.max)}"
    if isinstance(rule.check, m.PixelBounds):
        c = rule.check
        parts = [f"pixels {_bounds(c.min_pixels, c.max_pixels)}"] if c.min_pixels or c.max_pixels else []
        if c.max_side or c.min_side:
            parts.append(f"side {_bounds(c.min_side, c.max_side)}")
        if c.multiple_of:
            parts.append(f"multiple of {c.multiple_of}")
        return f"`{c.width}` x `{c.height}`: " + ", ".join(parts)
    if isinstance(rule.check, m.EqualWhenBoth):
        return " = ".join(f"`{f}`" for f in rule.check.fields) + " when all are given"
    return rule.kind


@dataclass(frozen=True)
class ModelRow:
    id: str
    status: str
    modes: str
    endpoints: str
    attributes: str


@dataclass(frozen=True)
class RuleRow:
    id: str
    severity: str
    scope: str
    constraint: str
    source: str


# Matrix columns: which field names each one gathers (top level or nested, aliases included).
_COLUMNS = (
    ("Durations (s)", ("duration", "seconds", "audio_duration_seconds")),
    ("Aspect ratios", ("aspect_ratio", "ratio", "aspectRatio")),
    ("Sizes / resolutions", ("size", "resolution", "width", "height", "imageSize")),
    ("Formats", ("output_format", "format", "response_format", "outputFormat", "sample_rate")),
)


def _leaf(path: str) -> str:
    return path.replace("[]", "").rsplit(".", 1)[-1]


def _values_text(rule: m.Rule) -> str:
    if rule.kind == "enum":
        shown = list(dict.fromkeys(_fmt(v) for v in rule.values))
        return ", ".join(shown[:12]) + (f" (+{len(shown) - 12} more)" if len(shown) > 12 else "")
    if rule.kind == "range":
        return _bounds(rule.minimum, rule.maximum)
    return constraint_text(rule)


def _qualifier(rule: m.Rule) -> str:
    parts = [*rule.applies_to.modes, *(e.split(" ", 1)[1] for e in rule.applies_to.endpoints)]
    return f" ({', '.join(parts)})" if parts else ""


def _cell(rules: list[m.Rule]) -> str:
    return "<br>".join(
        f"{_values_text(r)}{_qualifier(r)}" + (" *(warning)*" if r.severity == "warning" else "") for r in rules
    ).replace("|", "\\|")


def _matrix_rows(family: m.Family) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per model: the documented value sets for durations, ratios, sizes, formats, and count limits."""
    rows = []
    for md in family.models:
        applying = [
            r
            for r in family.rules
            if r.kind in ("enum", "range", "items") and (not r.applies_to.models or md.id in r.applies_to.models)
        ]
        cells = []
        for _, names in _COLUMNS:
            picked = [r for r in applying if r.kind != "items" and r.field and _leaf(r.field) in names]
            cells.append(_cell(picked))
        limits = [r for r in applying if r.kind == "items"]
        cells.append("<br>".join(f"`{r.field}` {_bounds(r.min_items, r.max_items)}{_qualifier(r)}" for r in limits))
        rows.append((md.id, tuple(cells)))
    return tuple(rows) if any(any(cells) for _, cells in rows) else ()


@dataclass(frozen=True)
class MediaRow:
    field: str
    kind: str
    accepts: str
    limits: str


def _media_rows(fields: tuple[m.Field, ...], prefix: str = "") -> Iterator[MediaRow]:
    """Every media input of a family (nested and item fields too), its limits linked to their sources."""
    for f in fields:
        path = f"{prefix}{f.name}"
        if f.media is not None:
            reach = "public " if f.media.public else ""
            yield MediaRow(
                field=path + ("[]" if f.items is not None else ""),
                kind=f.media.kind,
                accepts=reach + f.media.accepts.replace("-", " "),
                limits="<br>".join(
                    f"[{media.describe_limit(x)}]({x.source.url})".replace("|", "\\|") for x in f.media.limits
                ),
            )
        yield from _media_rows(f.properties, f"{path}.")
        if f.items is not None:
            yield from _media_rows(f.items.properties, f"{path}[].")


@dataclass(frozen=True)
class FamilySection:
    id: str
    title: str
    category: str
    models: tuple[ModelRow, ...]
    rules: tuple[RuleRow, ...]
    conflicts: int
    matrix: tuple[tuple[str, tuple[str, ...]], ...] = ()
    media: tuple[MediaRow, ...] = ()


def _scope(rule: m.Rule, family: m.Family) -> str:
    parts = []
    models = rule.applies_to.models
    if models and len(models) < len(family.models):
        parts.append(", ".join(f"`{x}`" for x in models))
    if rule.applies_to.modes:
        parts.append("modes: " + ", ".join(rule.applies_to.modes))
    if rule.applies_to.endpoints:
        parts.append(", ".join(f"`{e}`" for e in rule.applies_to.endpoints))
    return "; ".join(parts) or "all"


def _section(family: m.Family) -> FamilySection:
    models = tuple(
        ModelRow(
            id=md.id,
            status=md.status,
            modes=", ".join(md.modes),
            endpoints="<br>".join(f"`{e.endpoint}` ({e.status})" for e in md.endpoints),
            attributes=", ".join(f"{k}: {_fmt(v)}" for k, v in md.attributes),
        )
        for md in family.models
    )
    rules = tuple(
        RuleRow(
            id=r.id,
            severity=r.severity,
            scope=_scope(r, family),
            constraint=constraint_text(r).replace("|", "\\|"),
            source=f"[{r.source.section}]({r.source.url})".replace("|", "\\|"),
        )
        for r in family.rules
    )
    return FamilySection(
        id=family.id,
        title=family.title,
        category=family.category or "",
        models=models,
        rules=rules,
        conflicts=len(family.conflicts),
        matrix=_matrix_rows(family),
        media=tuple(_media_rows(family.fields)),
    )


def emit(spec: m.Spec) -> Mapping[str, str]:
    sections = [_section(f) for f in sorted(spec.families, key=lambda f: (f.category or "", f.id))]
    columns = [title for title, _ in _COLUMNS] + ["Count limits"]
    text = (
        jinja_env()
        .get_template("CAPABILITIES.md.j2")
        .render(sections=sections, endpoints=spec.endpoints, columns=columns)
    )
    return {"CAPABILITIES.md": text}
