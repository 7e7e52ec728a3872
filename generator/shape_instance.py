"""Values that a documented response shape accepts: what a mock answers before it fills in task state.

A response shape in the spec (:class:`~generator.model.Shape`) is a small JSON Schema subset. The
mock needs one concrete body per shape that the shape itself (and so the OpenAPI response schema made
from it) accepts: every documented property present, a constant or the first enum value where the docs
fix one, and a neutral value of the first documented type elsewhere. Dynamic parts (task IDs, status
words, progress, result URLs) are written over it later at the paths the spec names.
"""

from __future__ import annotations

from typing import Any

from . import model as m

_NEUTRAL: dict[str, Any] = {"string": "", "integer": 0, "number": 0, "boolean": False, "null": None}
_FORMATTED: dict[str, str] = {"uri": "https://example.invalid/", "date-time": "1970-01-01T00:00:00Z"}


def instance(shape: m.Shape) -> Any:
    """A value of ``shape``: constants and enums as documented, every property filled, one item per array."""
    if shape.has_const:
        return shape.const
    if shape.enum:
        return shape.enum[0]
    if shape.any_of:
        return instance(shape.any_of[0])
    kind = first_type(shape)
    if kind == "object" or (kind is None and shape.properties):
        return {name: instance(child) for name, child in shape.properties}
    if kind == "array":
        return [] if shape.items is None else [instance(shape.items)]
    if kind == "string" and shape.format in _FORMATTED:
        return _FORMATTED[shape.format]
    if kind is None:
        return None if shape.nullable else ""
    return _NEUTRAL[kind]


def first_type(shape: m.Shape) -> str | None:
    """The first documented JSON type other than ``null`` (``None`` when the docs give no type)."""
    for kind in shape.types:
        if kind != "null":
            return kind
    return None


def shape_at(shape: m.Shape, path: str) -> m.Shape | None:
    """The shape a dotted path (``a.b``, ``a[].b``, ``a[0]``) reaches, or ``None`` if the shape has no such part."""
    node: m.Shape | None = shape
    for step in path.split("."):
        if node is None:
            return None
        name, bracket, _ = step.partition("[")
        node = dict(node.properties).get(name)
        if bracket and node is not None:
            node = node.items
    return node


def locate(shape: m.Shape, envelope: tuple[str, ...], paths: tuple[str, ...]) -> tuple[str, ...]:
    """The paths that exist in ``shape``, inside the envelope when the shape has one (a task form's
    ``envelope`` and candidate paths, e.g. ``data`` and ``task_id``, ``id``), in the order given."""
    prefixes = [f"{key}." for key in envelope if (inner := shape_at(shape, key)) is not None and inner.properties]
    found: list[str] = []
    for path in paths:
        for prefix in (*prefixes, ""):
            if shape_at(shape, prefix + path) is not None and prefix + path not in found:
                found.append(prefix + path)
                break
    return tuple(found)


def accepts_null(shape: m.Shape) -> bool:
    return shape.nullable or "null" in shape.types
