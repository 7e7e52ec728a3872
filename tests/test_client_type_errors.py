"""What mypy says about a wrong call, read line by line (tests/typing/wrong_call_messages.py).

A misspelt keyword of the overloaded ``create`` is named on the first line, with the field it resembles.
A value outside a model's fixed set is not: mypy then reports "No overload variant" and lists every
overload, because a ``Literal`` parameter (``model`` first) defeats its fallback of matching overloads
by erased types. The same body built with the model's ``uniall.params`` TypedDict names the key in one
error line per problem and nothing else; the README and every overload's docstring point there.
"""

from __future__ import annotations

import re
from collections import defaultdict

import pytest

from .support import ROOT
from .test_client_typing import _mypy

WRONG = ROOT / "tests" / "typing" / "wrong_call_messages.py"


@pytest.fixture(scope="module")
def said() -> dict[int, list[str]]:
    """Source line -> mypy's output lines for it (errors and notes), in order."""
    out, code = _mypy(WRONG)
    assert code == 1, out
    lines: dict[int, list[str]] = defaultdict(list)
    for line in out.splitlines():
        found = re.match(r".*wrong_call_messages\.py:(\d+): (error|note): (.*)$", line)
        assert found, line
        lines[int(found.group(1))].append(f"{found.group(2)}: {found.group(3)}")
    return lines


def _line_of(text: str) -> int:
    source = WRONG.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(source, start=1) if text in line)


def test_a_misspelt_keyword_is_named_on_the_first_line(said: dict[int, list[str]]) -> None:
    first = said[_line_of('prompt="x", duraton=5)  # misspelt keyword')][0]
    assert first.startswith('error: Unexpected keyword argument "duraton"') and 'did you mean "duration"' in first


@pytest.mark.parametrize(
    ("call", "names"),
    [
        (
            'Seedance(model="seedance2.0-720p", prompt="x", duraton=5)',
            ('Missing key "duration"', 'Extra key "duraton"'),
        ),
        ('Seedance(model="seedance2.0-720p", prompt="x", duration=20)', ('TypedDict item "duration"',)),
        ('aspect_ratio="5:1"))', ('TypedDict item "aspect_ratio"',)),
    ],
)
def test_a_typed_body_names_each_wrong_key_in_one_error_line(
    said: dict[int, list[str]], call: str, names: tuple[str, ...]
) -> None:
    lines = said[_line_of(call)]
    assert len(lines) == len(names), lines
    for line, name in zip(lines, names, strict=True):
        assert line.startswith("error: ") and name in line, lines


def test_the_keyword_forms_of_those_calls_are_errors_too(said: dict[int, list[str]]) -> None:
    for call in ("duration=20)  # value", 'aspect_ratio="5:1")  # the same'):
        lines = said[_line_of(call)]
        assert lines and lines[0].startswith("error: No overload variant"), lines
    assert set(said) == {
        _line_of(t)
        for t in ("duraton=5)  #", "duration=20)  #", '"5:1")  #', "duraton=5))", "duration=20))", '"5:1"))')
    }
