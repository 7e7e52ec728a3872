"""The capability matrix and `uniall-spec models MODEL` say each value once and spell out conditions."""

from __future__ import annotations

import re

from generator import describe
from generator import model as m
from generator.emit import render_all


def test_a_value_accepted_as_number_and_string_is_listed_once() -> None:
    assert describe.value_list((4, 6, 8, "4", "6", "8")) == "`4`, `6`, `8` (number or string)"
    assert describe.value_list((5, 10, "5"), code=False) == "5, 10 (5 also as a string)"
    assert describe.value_list(("16:9", "9:16")) == "`16:9`, `9:16`"


def test_every_enum_constraint_names_each_allowed_value_once(spec: m.Spec) -> None:
    for rule in (r for r in spec.rules if r.kind == "enum"):
        text = describe.constraint_text(rule)
        for shown in {describe.fmt(v) for v in rule.values}:
            assert text.count(f"`{shown}`") == 1, (rule.id, text)


def test_conditions_are_spelled_out_with_the_fields_they_test(spec: m.Spec) -> None:
    conditional = [r for r in spec.rules if r.condition is not None and r.effect is not None]
    assert conditional
    for rule in conditional:
        text = describe.constraint_text(rule)
        assert text.startswith("when "), (rule.id, text)
        for path in re.findall(r"'field': '([^']+)'|field='([^']+)'", repr(rule.condition)):
            assert f"`{next(p for p in path if p)}`" in text, (rule.id, text)
    nested = m.All((m.Equals("task_type", "image2image"), m.AnyOf((m.Present("image", True), m.MinItems("images", 1)))))
    assert describe.condition_text(nested) == (
        "`task_type` is `image2image` and (`image` is given or `images` has at least 1 item(s))"
    )


def test_the_matrix_never_repeats_a_value_or_says_if_condition_holds(spec: m.Spec) -> None:
    text = render_all(spec)["CAPABILITIES.md"]
    assert "condition holds" not in text
    for line in text.splitlines():
        for cell in line.split(" | "):
            parts = cell.split("<br>")
            assert len(parts) == len(set(parts)), line
            for part in parts:
                values = part.split(" (")[0].split(", ")
                assert len(values) == len(set(values)), line
