"""What the client's types catch statically: mypy --strict accepts the typed usage examples and
rejects each deliberately wrong call on exactly the marked line.

A wrong duration, a missing required field, a value outside a fixed set, a misspelt model ID and an
undocumented keyword are type errors before any code runs; what types cannot say (modes, limits
across fields) is left to the pre-flight linter.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from mypy import api

from .support import ROOT

TYPING = ROOT / "tests" / "typing"


def _mypy(path: Path) -> tuple[str, int]:
    previous = os.environ.get("MYPYPATH")
    os.environ["MYPYPATH"] = str(ROOT / "generated" / "python")
    try:
        out, _, code = api.run(["--strict", "--no-error-summary", "--hide-error-context", "--no-pretty", str(path)])
    finally:
        if previous is None:
            os.environ.pop("MYPYPATH")
        else:
            os.environ["MYPYPATH"] = previous
    return out, code


@pytest.fixture(scope="module")
def bad_output() -> str:
    out, code = _mypy(TYPING / "usage_bad.py")
    assert code == 1
    return out


def test_typed_usage_examples_pass_mypy_strict() -> None:
    out, code = _mypy(TYPING / "usage_ok.py")
    assert code == 0, out


def _expected() -> list[tuple[int, str]]:
    lines = (TYPING / "usage_bad.py").read_text(encoding="utf-8").splitlines()
    return [(n, m.group(1)) for n, line in enumerate(lines, start=1) if (m := re.search(r"# E: (.+)$", line))]


@pytest.mark.parametrize(("line", "fragment"), _expected(), ids=[f"line{n}" for n, _ in _expected()])
def test_each_wrong_call_is_a_type_error_on_its_line(bad_output: str, line: int, fragment: str) -> None:
    errors = [e for e in bad_output.splitlines() if f"usage_bad.py:{line}: error:" in e]
    assert errors and fragment in errors[0], bad_output[:2000]


def test_no_other_line_of_the_wrong_calls_errs(bad_output: str) -> None:
    expected = {n for n, _ in _expected()}
    flagged = {int(m.group(1)) for m in re.finditer(r"usage_bad\.py:(\d+): error:", bad_output)}
    assert flagged == expected
