"""Generation is deterministic and the committed generated/ matches the spec."""

from __future__ import annotations

from pathlib import Path

from generator import model as m
from generator.emit import render_all, stale_files, write_tree
from generator.loader import load_spec

from .conftest import ROOT


def test_generating_twice_gives_byte_identical_files(spec: m.Spec) -> None:
    assert render_all(spec) == render_all(load_spec(ROOT / "spec"))


def test_committed_generated_tree_is_up_to_date(spec: m.Spec) -> None:
    diffs = stale_files(render_all(spec), ROOT / "generated")
    assert not diffs, "generated/ is stale; run `make generate`:\n" + "\n".join(diffs)


def test_staleness_is_detected_and_shown_as_a_diff(spec: m.Spec, tmp_path: Path) -> None:
    files = render_all(spec)
    out = tmp_path / "generated"
    write_tree(files, out)
    assert stale_files(files, out) == []
    target = out / "CAPABILITIES.md"
    target.write_text(target.read_text() + "hand edit\n")
    (out / "stray.txt").write_text("left behind\n")
    diffs = stale_files(files, out)
    assert len(diffs) == 2
    assert any("-hand edit" in d for d in diffs)
    assert any("stray.txt" in d for d in diffs)


def test_every_model_and_rule_reaches_the_capability_matrix(spec: m.Spec) -> None:
    text = render_all(spec)["CAPABILITIES.md"]
    assert all(f"`{md.id}`" in text for md in spec.models)
    assert all(f"`{r.id}`" in text for r in spec.rules)
