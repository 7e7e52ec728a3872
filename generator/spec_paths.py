"""Field paths of the spec (``content[].image_url.url``) and what they name in a family's fields.

Shared by the linter compiler and the schema builder, so both read a path, its aliases and the
item-relative form of per-item rules the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from . import model as m

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d*)\]")


def split_path(path: str) -> list[str | int | None]:
    """``a.b[].c[0]`` -> ``['a', 'b', None, 'c', 0]``: a name, ``None`` for every item, an int for one item."""
    parts: list[str | int | None] = []
    for name, index in _SEGMENT.findall(path):
        if name:
            parts.append(name)
        else:
            parts.append(int(index) if index else None)
    return parts


def field_names(fields: tuple[m.Field, ...]) -> dict[str, m.Field]:
    """Name or alias -> the field it declares."""
    table: dict[str, m.Field] = {}
    for f in fields:
        for name in (f.name, *f.aliases):
            table[name] = f
    return table


def item_fields(family: m.Family, array_path: str) -> tuple[m.Field, ...]:
    """The declared properties of the items of the array at ``array_path``, for item-relative paths."""
    scope = field_names(family.fields)
    current: m.Field | None = None
    for part in split_path(array_path.removesuffix("[]")):
        if not isinstance(part, str):
            continue
        current = scope.get(part)
        if current is None:
            return ()
        scope = field_names(current.items.properties if current.items else current.properties)
    if current is None or current.items is None:
        return ()
    return current.items.properties


def _condition_paths(c: m.Condition) -> Iterator[str]:
    if isinstance(c, (m.All, m.AnyOf)):
        for x in c.conditions:
            yield from _condition_paths(x)
    elif isinstance(c, m.Not):
        yield from _condition_paths(c.condition)
    elif isinstance(c, m.Exists):
        yield c.array
    else:
        yield c.field


def _effect_paths(e: m.Effect) -> list[str]:
    return [*e.fields, *([e.field] if e.field else [])]


def shared_item_prefix(r: m.Rule) -> str | None:
    """``content[]`` when the condition and the effect all talk about the same array's items.

    "If an item's type is image_url, that item needs a role" must be checked item by item, not as
    "if any item is an image, every item needs a role".
    """
    assert r.effect is not None
    paths = [*(_condition_paths(r.condition) if r.condition else ()), *_effect_paths(r.effect)]
    prefixes: set[str | None] = {p.split("[]", 1)[0] + "[]" if "[]" in p else None for p in paths}
    if len(prefixes) != 1 or r.condition is None:
        return None
    prefix = prefixes.pop()
    if prefix is None or any(not p.startswith(prefix + ".") for p in paths):
        return None
    return prefix


def _relative_condition(c: m.Condition, prefix: str) -> m.Condition:
    cut = len(prefix) + 1
    if isinstance(c, m.Present):
        return m.Present(c.field[cut:], c.present)
    if isinstance(c, m.Equals):
        return m.Equals(c.field[cut:], c.value)
    if isinstance(c, m.In):
        return m.In(c.field[cut:], c.values)
    if isinstance(c, m.IsType):
        return m.IsType(c.field[cut:], c.json_type)
    if isinstance(c, m.MinItems):
        return m.MinItems(c.field[cut:], c.count)
    if isinstance(c, m.Exists):
        return m.Exists(c.array[cut:], c.where)
    if isinstance(c, m.All):
        return m.All(tuple(_relative_condition(x, prefix) for x in c.conditions))
    if isinstance(c, m.AnyOf):
        return m.AnyOf(tuple(_relative_condition(x, prefix) for x in c.conditions))
    return m.Not(_relative_condition(c.condition, prefix))


def strip_item_prefix(r: m.Rule, prefix: str) -> m.Rule:
    """The rule with ``prefix.`` cut from every path, for evaluation against one item."""
    assert r.effect is not None and r.condition is not None
    cut = len(prefix) + 1
    e = r.effect
    effect = m.Effect(
        kind=e.kind,
        fields=tuple(p[cut:] for p in e.fields),
        field=e.field[cut:] if e.field else None,
        values=e.values,
        minimum=e.minimum,
        maximum=e.maximum,
        integer=e.integer,
        min_items=e.min_items,
        max_items=e.max_items,
        count_where=e.count_where,
    )
    return m.Rule(
        id=r.id,
        family=r.family,
        kind=r.kind,
        severity=r.severity,
        message=r.message,
        source=r.source,
        condition=_relative_condition(r.condition, prefix),
        effect=effect,
    )


def declared_field(fields: tuple[m.Field, ...], path: str) -> m.Field | None:
    """The field (or item property) that ``path`` names in ``fields``, aliases included; None if undeclared."""
    scope = fields
    found: m.Field | None = None
    for part in split_path(path):
        if not isinstance(part, str):
            continue
        found = field_names(scope).get(part)
        if found is None:
            return None
        scope = found.items.properties if found.items is not None else found.properties
    return found


def required_text(fields: tuple[m.Field, ...], path: str) -> bool:
    """A required field typed string only must also be non-empty: ``"text": ""`` gives no text.

    The docs' "required" on a text (prompt, text, voice ID, URL) asks for a value; an empty string
    is the same as leaving it out, so ``required`` rules reject it too (linter and schemas alike).
    """
    declared = declared_field(fields, path)
    return declared is not None and declared.types == ("string",)
