"""Short plain-language forms of rules, conditions and allowed values, for people reading a table.

Shared by the capability matrix (``emitters/capabilities.py``) and the ``uniall-spec models MODEL``
view (``catalog.py``), so both say the same thing about the same rule. Text uses Markdown code
spans around field names and values; the message of each rule still carries the full sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import media
from . import model as m


def fmt(value: m.Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def bounds(low: float | int | None, high: float | int | None) -> str:
    if low is not None and high is not None:
        return f"{fmt(low)} to {fmt(high)}"
    if low is not None:
        return f">= {fmt(low)}"
    return f"<= {fmt(high)}" if high is not None else ""


def value_list(values: tuple[m.Scalar, ...], *, code: bool = True, limit: int | None = None) -> str:
    """``4, 6, 8 (number or string)`` for ``[4, 6, 8, "4", "6", "8"]``: each value once.

    A value the docs accept both as a JSON number and as a digit string is shown once, with a note.
    """
    shown = list(dict.fromkeys(fmt(v) for v in values))
    as_text = {fmt(v) for v in values if isinstance(v, str)}
    as_number = {fmt(v) for v in values if not isinstance(v, str)}
    both = [t for t in shown if t in as_text and t in as_number]
    kept = shown if limit is None else shown[:limit]
    text = ", ".join(f"`{t}`" if code else t for t in kept)
    if len(kept) < len(shown):
        text += f" (+{len(shown) - len(kept)} more)"
    if both and len(both) == len(shown):
        text += " (number or string)"
    elif both:
        text += " (" + ", ".join(f"`{t}`" if code else t for t in both) + " also as a string)"
    return text


def condition_text(c: m.Condition) -> str:
    """The condition a rule waits for, spelled out: ``task_type` is `image2image``, ``video` is given``."""
    if isinstance(c, m.Present):
        return f"`{c.field}` is given" if c.present else f"`{c.field}` is absent"
    if isinstance(c, m.Equals):
        return f"`{c.field}` is `{fmt(c.value)}`"
    if isinstance(c, m.In):
        return f"`{c.field}` is one of {value_list(c.values)}"
    if isinstance(c, m.IsType):
        return f"`{c.field}` is of type {c.json_type}"
    if isinstance(c, m.MinItems):
        return f"`{c.field}` has at least {c.count} item(s)"
    if isinstance(c, m.Exists):
        return f"some item of `{c.array}` has {condition_text(c.where)}"
    if isinstance(c, m.Not):
        return f"not ({condition_text(c.condition)})"
    joiner = " and " if isinstance(c, m.All) else " or "
    return joiner.join(
        f"({condition_text(x)})" if isinstance(x, (m.All, m.AnyOf)) else condition_text(x) for x in c.conditions
    )


def effect_text(effect: m.Effect) -> str:
    if effect.kind == "enum":
        return f"`{effect.field}` one of {value_list(effect.values)}"
    if effect.kind == "range":
        whole = " (whole numbers)" if effect.integer else ""
        return f"`{effect.field}` {bounds(effect.minimum, effect.maximum)}{whole}"
    if effect.kind == "items":
        return f"`{effect.field}` {bounds(effect.min_items, effect.max_items)} items"
    joined = ", ".join(f"`{f}`" for f in effect.fields)
    return f"{effect.kind.replace('_', ' ')}: {joined}"


def constraint_text(rule: m.Rule) -> str:
    """The rule's constraint in a few words; the message carries the full sentence."""
    if rule.kind == "enum":
        return f"`{rule.field}` one of {value_list(rule.values)}"
    if rule.kind == "range":
        whole = " (whole numbers)" if rule.integer else ""
        return f"`{rule.field}` {bounds(rule.minimum, rule.maximum)}{whole}"
    if rule.kind == "length":
        return f"`{rule.field}` {bounds(rule.min_length, rule.max_length)} characters"
    if rule.kind == "items":
        return f"`{rule.field}` {bounds(rule.min_items, rule.max_items)} items"
    if rule.kind == "pattern":
        return f"`{rule.field}` matches `{rule.pattern}`"
    if rule.kind == "media_url" and rule.media is not None:
        return f"`{rule.field}`: " + media.describe(rule.media).removeprefix("Media input: ").split(";")[0]
    if rule.kind == "media_format" and rule.media is not None:
        return f"`{rule.field}` file extension, when present: " + ", ".join(rule.media.formats)
    if rule.kind in ("required", "forbidden", "mutually_exclusive", "exactly_one_of", "at_least_one_of"):
        return rule.kind.replace("_", " ") + ": " + ", ".join(f"`{f}`" for f in rule.fields)
    if rule.kind in ("conditional", "recommended") and rule.effect is not None:
        when = f"when {condition_text(rule.condition)}: " if rule.condition is not None else ""
        return when + effect_text(rule.effect)
    if isinstance(rule.check, m.SumMax):
        return " + ".join(f"`{t.path}`" for t in rule.check.terms) + f" <= {fmt(rule.check.max)}"
    if isinstance(rule.check, m.PixelBounds):
        c = rule.check
        parts = [f"pixels {bounds(c.min_pixels, c.max_pixels)}"] if c.min_pixels or c.max_pixels else []
        if c.max_side or c.min_side:
            parts.append(f"side {bounds(c.min_side, c.max_side)}")
        if c.multiple_of:
            parts.append(f"multiple of {c.multiple_of}")
        return f"`{c.width}` x `{c.height}`: " + ", ".join(parts)
    if isinstance(rule.check, m.EqualWhenBoth):
        return " = ".join(f"`{f}`" for f in rule.check.fields) + " when all are given"
    return rule.kind


# ---- allowed values per model: the capability matrix's columns ----------------------------------


@dataclass(frozen=True)
class Column:
    key: str  # JSON key in `uniall-spec models MODEL --format json`
    title: str  # matrix heading and text label
    fields: tuple[str, ...]  # field names it gathers (top level or nested, aliases included)


COLUMNS = (
    Column("durations", "Durations (s)", ("duration", "seconds", "audio_duration_seconds")),
    Column("aspect_ratios", "Aspect ratios", ("aspect_ratio", "ratio", "aspectRatio")),
    Column("sizes", "Sizes / resolutions", ("size", "resolution", "width", "height", "imageSize")),
    Column("formats", "Formats", ("output_format", "format", "response_format", "outputFormat", "sample_rate")),
)
COUNT_LIMITS = Column("count_limits", "Count limits", ())


@dataclass(frozen=True)
class Allowed:
    """One documented value set or bound for one model: from which rule, where it applies."""

    rule: m.Rule
    values: str  # "`4`, `6`, `8`", "4 to 15", or for count limits "2 to 3" (items)
    where: tuple[str, ...]  # the modes and endpoint paths the rule is limited to (empty: everywhere)

    @property
    def warning(self) -> bool:
        return self.rule.severity == "warning"


def _leaf(path: str) -> str:
    return path.replace("[]", "").rsplit(".", 1)[-1]


def _where(rule: m.Rule) -> tuple[str, ...]:
    return (*rule.applies_to.modes, *(e.split(" ", 1)[1] for e in rule.applies_to.endpoints))


def _values(rule: m.Rule, code: bool) -> str:
    if rule.kind == "enum":
        return value_list(rule.values, code=code, limit=12)
    if rule.kind == "items":
        return bounds(rule.min_items, rule.max_items)
    return bounds(rule.minimum, rule.maximum)


def allowed_values(family: m.Family, model_id: str, *, code: bool = False) -> dict[Column, list[Allowed]]:
    """Per column, the value sets and bounds the docs give this model (enum, range and item-count rules)."""
    applying = [
        r
        for r in family.rules
        if r.kind in ("enum", "range", "items") and (not r.applies_to.models or model_id in r.applies_to.models)
    ]
    out: dict[Column, list[Allowed]] = {}
    for column in COLUMNS:
        out[column] = [
            Allowed(r, _values(r, code), _where(r))
            for r in applying
            if r.kind != "items" and r.field and _leaf(r.field) in column.fields
        ]
    out[COUNT_LIMITS] = [Allowed(r, _values(r, code), _where(r)) for r in applying if r.kind == "items"]
    return out
