"""``generated/lint/``: the standalone linter in Python (:mod:`generator.lint_compiler`) and in
JavaScript (:mod:`generator.lint_js`), both rendered from the rules' IR (:mod:`generator.lint_ir`)."""

from __future__ import annotations

from collections.abc import Mapping

from .. import model as m
from ..lint_compiler import render_script
from ..lint_js import render_js_linter


def emit(spec: m.Spec) -> Mapping[str, str]:
    return {"lint/uniall_lint.py": render_script(spec), "lint/uniall_lint.mjs": render_js_linter(spec)}
