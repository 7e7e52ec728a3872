"""``generated/CAPABILITIES.md``: the capability matrix integrators read, one section per family."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .. import describe, media
from .. import model as m
from ..templating import jinja_env


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


def _cell(entries: list[describe.Allowed], counts: bool = False) -> str:
    """One matrix cell: each value set once, with where it applies and whether it is only a warning."""
    texts = []
    for a in entries:
        values = f"`{a.rule.field}` {a.values}" if counts else a.values
        where = f" ({', '.join(a.where)})" if a.where else ""
        texts.append(values + where + (" *(warning)*" if a.warning else ""))
    return "<br>".join(dict.fromkeys(texts)).replace("|", "\\|")


def _matrix_rows(family: m.Family) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Per model: the documented value sets for durations, ratios, sizes, formats, and count limits."""
    rows = []
    for md in family.models:
        allowed = describe.allowed_values(family, md.id)
        cells = [_cell(allowed[c]) for c in describe.COLUMNS] + [_cell(allowed[describe.COUNT_LIMITS], counts=True)]
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
            attributes=", ".join(f"{k}: {describe.fmt(v)}" for k, v in md.attributes),
        )
        for md in family.models
    )
    rules = tuple(
        RuleRow(
            id=r.id,
            severity=r.severity,
            scope=_scope(r, family),
            constraint=describe.constraint_text(r).replace("|", "\\|"),
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
    columns = [c.title for c in (*describe.COLUMNS, describe.COUNT_LIMITS)]
    text = (
        jinja_env()
        .get_template("CAPABILITIES.md.j2")
        .render(sections=sections, endpoints=spec.endpoints, columns=columns)
    )
    return {"CAPABILITIES.md": text}
