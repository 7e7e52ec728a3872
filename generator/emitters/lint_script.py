"""``generated/lint/uniall_lint.py``: the standalone linter script, compiled by :mod:`generator.lint_compiler`."""

from __future__ import annotations

from collections.abc import Mapping

from .. import model as m
from ..lint_compiler import render_script


def emit(spec: m.Spec) -> Mapping[str, str]:
    return {"lint/uniall_lint.py": render_script(spec)}
