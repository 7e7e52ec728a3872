"""Literals for generated code: Python values, and regex patterns as both Python and ECMA 262 read them."""

from __future__ import annotations

import re
from typing import Any


def py_literal(value: Any) -> str:
    """A deterministic Python literal: sets are sorted, so output never depends on hash seeds."""
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value)
    if isinstance(value, float):
        return repr(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, frozenset):
        items = sorted(value, key=lambda v: (type(v).__name__, repr(v)))
        inner = ", ".join(py_literal(v) for v in items)
        return f"frozenset(({inner},))" if items else "frozenset()"
    if isinstance(value, tuple):
        inner = ", ".join(py_literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, list):
        return "[" + ", ".join(py_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{py_literal(k)}: {py_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no literal for {type(value).__name__}")


_DOLLAR = re.compile(r"(?<!\\)\$")


def ecma_pattern(pattern: str) -> str:
    """The pattern with ``$`` meaning the very end of the string, in Python and ECMA 262 alike.

    Python's ``$`` also matches before a final newline, so ``"5\\n"`` would pass ``^[0-9]$`` in the
    linter and in the ``jsonschema`` library but not in ECMA-based validators. ``(?![\\s\\S])``
    ("no character follows") means the same in both dialects, so the linter and the schemas use it.
    """
    return _DOLLAR.sub(lambda _: r"(?![\s\S])", pattern)
