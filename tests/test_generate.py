"""Generation is deterministic and the committed generated/ matches the spec."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import emit
from generator import model as m
from generator.emit import files_on_disk, render_all, stale_files, write_tree
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


# ---- writing only what changed, and the generation cache (#16) ------------------------------------


def test_writing_the_same_tree_again_touches_no_file(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    files = {"a.txt": "one\n", "sub/b.txt": "two\n", "run.py": "#!/usr/bin/env python3\n"}
    assert write_tree(files, out) == ["a.txt", "run.py", "sub/b.txt"]
    before = {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()}
    assert write_tree(files, out) == []
    assert {p: (p.stat().st_mtime_ns, p.stat().st_ino) for p in out.rglob("*") if p.is_file()} == before
    assert (out / "run.py").stat().st_mode & 0o777 == 0o755


def test_only_changed_files_are_written_and_stray_ones_removed_but_build_leftovers_kept(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    write_tree({"a.txt": "one\n", "old/gone.txt": "x\n", "b.txt": "two\n"}, out)
    untouched = (out / "b.txt").stat().st_mtime_ns
    (out / "pkg.egg-info").mkdir()
    (out / "pkg.egg-info" / "PKG-INFO").write_text("left by pip install\n")
    (out / "build").mkdir()
    (out / "build" / "lib.py").write_text("left by pip install\n")
    changed = write_tree({"a.txt": "ONE\n", "b.txt": "two\n"}, out)
    assert changed == ["a.txt", "old/gone.txt"]
    assert (out / "a.txt").read_text() == "ONE\n"
    assert (out / "b.txt").stat().st_mtime_ns == untouched
    assert not (out / "old").exists()
    assert (out / "pkg.egg-info" / "PKG-INFO").exists() and (out / "build" / "lib.py").exists()
    assert not list(out.glob(".*.tmp"))


def test_render_cached_reuses_a_render_only_while_its_inputs_are_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNIALL_SPEC_CACHE", str(tmp_path / "cache"))
    spec_dir = tmp_path / "spec"
    spec_dir.mkdir()
    (spec_dir / "common.yaml").write_text("family: common\n")
    renders: list[str] = []

    def fake_render(spec: Any) -> dict[str, str]:
        renders.append(spec)
        return {"out.txt": f"render {len(renders)}\n"}

    monkeypatch.setattr(emit, "render_all", fake_render)
    load = lambda d: (d / "common.yaml").read_text()  # noqa: E731
    first = emit.render_cached(spec_dir, load)
    assert emit.render_cached(spec_dir, load) == first == {"out.txt": "render 1\n"}
    (spec_dir / "common.yaml").write_text("family: common\n# edited\n")
    assert emit.render_cached(spec_dir, load) == {"out.txt": "render 2\n"}
    # a damaged entry is a miss, never an error
    for entry in (tmp_path / "cache").glob("render-*"):
        entry.write_bytes(b"{not json")
    assert emit.render_cached(spec_dir, load) == {"out.txt": "render 3\n"}
    assert len(list((tmp_path / "cache").glob("render-*"))) == 1
    monkeypatch.setenv("UNIALL_SPEC_CACHE", "off")
    assert emit.render_cached(spec_dir, load) == {"out.txt": "render 4\n"}
    assert emit.render_cached(spec_dir, load) == {"out.txt": "render 5\n"}


# What `pip install generated/python` (the README's own step) leaves in the source tree, as pip
# 24 with setuptools names it; a checkout that itself sits under a folder named `build` must still
# be compared in full.
_PIP_LEFTOVERS = (
    "python/build/lib/uniall/__init__.py",
    "python/build/bdist.linux-x86_64/wheel/uniall/_cli.py",
    "python/uniall.egg-info/PKG-INFO",
    "python/uniall.egg-info/SOURCES.txt",
    "python/uniall/__pycache__/_cli.cpython-311.pyc",
)


def test_build_leftovers_of_pip_install_are_not_part_of_the_generated_tree(spec: m.Spec, tmp_path: Path) -> None:
    files = render_all(spec)
    out = tmp_path / "build" / "generated"
    write_tree(files, out)
    for rel in _PIP_LEFTOVERS:
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text("left by pip\n")
    assert sorted(files_on_disk(out)) == sorted(files)
    assert stale_files(files, out) == []
    (out / "CAPABILITIES.md").write_text("hand edit\n")
    assert len(stale_files(files, out)) == 1  # under a `build` folder, real files are still compared


def test_no_generated_file_looks_like_a_build_leftover(spec: m.Spec, tmp_path: Path) -> None:
    files = render_all(spec)
    write_tree(files, tmp_path / "generated")
    assert sorted(files_on_disk(tmp_path / "generated")) == sorted(files)
