"""The Jinja environment every emitter renders with, and the spec fingerprint generated files carry."""

from __future__ import annotations

import hashlib
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import model as m
from .literals import py_literal

TEMPLATES = Path(__file__).resolve().parent / "templates"


def jinja_env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["py"] = py_literal
    return env


def fingerprint(spec: m.Spec) -> str:
    """A short digest of the loaded spec: generated files say which spec they came from."""
    return hashlib.sha256(repr(spec).encode("utf-8")).hexdigest()[:16]
