"""Every fact in the spec points at a real page and heading, and every quote is on its page.

This is what keeps "every rule carries its doc source" honest: a typo'd section, a page that moved,
or a paraphrase passed off as a quote fails here and in ``uniall-spec check`` (both run
``generator/source_check.py``), with the file, the line and the key to edit.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import model as m
from generator.docs_snapshot import Snapshot, parse_snapshot
from generator.loader import load_spec
from generator.source_check import docs_problems

from .conftest import ROOT, SNAPSHOT_PATH

SEEDANCE_YAML = "families/seedance.yaml"
SECTION = "section: 4.1 Required Parameters"
QUOTE = 'quote: "`duration`| integer | Yes |`4` `15` integer"'
PAGE = "page: site-docs/models/video/wan-2-6/duration-table.md, section: WAN 2.6}"


def test_every_source_names_a_real_page_heading_and_quote(spec: m.Spec, snapshot: Snapshot) -> None:
    problems = docs_problems(ROOT / "spec", spec, snapshot, SNAPSHOT_PATH)
    assert not problems, "\n".join(str(p) for p in problems)


@pytest.fixture(scope="module")
def misspelt_spec(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the spec with one misspelt section, one altered quote and one misspelt page."""
    target = tmp_path_factory.mktemp("misspelt") / "spec"
    shutil.copytree(ROOT / "spec", target)
    seedance = target / SEEDANCE_YAML
    text = seedance.read_text(encoding="utf-8")
    assert text.count(SECTION) >= 1 and text.count(QUOTE) == 1
    text = text.replace(QUOTE, QUOTE.replace("`15`", "`16`"))
    seedance.write_text(text.replace(SECTION, SECTION.replace("Parameters", "Parametres"), 1), encoding="utf-8")
    wan = target / "families" / "wan.yaml"
    text = wan.read_text(encoding="utf-8")
    wan.write_text(text.replace(PAGE, PAGE.replace("duration-table", "duration-tabel"), 1), encoding="utf-8")
    return target


def _quoting_rule() -> str:
    """The JSON pointer of the seedance rule whose source quotes QUOTE (its index moves as rules are added)."""
    quote = QUOTE.removeprefix('quote: "').removesuffix('"')
    rules = load_spec(ROOT / "spec").family("seedance").rules
    return f"/rules/{next(i for i, r in enumerate(rules) if r.source.quote == quote)}"


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_check_reports_a_misspelt_section_quote_or_page_with_file_line_and_key(misspelt_spec: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", "--spec", str(misspelt_spec)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert "spec ok" not in run.stdout and "Traceback" not in run.stderr
    problems = [line.strip() for line in run.stderr.splitlines()[1:]]
    seedance, wan = misspelt_spec / SEEDANCE_YAML, misspelt_spec / "families" / "wan.yaml"
    section_line = _line_of(seedance, "Required Parametres")
    quote_line = _line_of(seedance, "`4` `16` integer")
    page_line = _line_of(wan, "duration-tabel")
    expected = [
        f"{seedance}:{section_line} at /fields/0/source/section: site-docs/models/video/seedance-2-0/create-task.md"
        " [en] has no heading '4.1 Required Parametres' (did you mean '4.1 Required Parameters'?)",
        f"{seedance}:{quote_line} at {_quoting_rule()}/source/quote: quote is not on",
        f"{wan}:{page_line} at /models/0/source/page: no en page 'site-docs/models/video/wan-2-6/duration-tabel.md'"
        " in ",
        f"{wan}:{page_line} at /models/0/source/page: cites site-docs/models/video/wan-2-6/duration-tabel.md,"
        " which is missing from this file's pages:",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), f"not reported: {start}\n" + "\n".join(problems)
    assert "(did you mean 'site-docs/models/video/wan-2-6/duration-table.md'?)" in run.stderr
    assert len(problems) == 4, "\n".join(problems)


def test_check_says_so_when_the_docs_are_missing(tmp_path: Path) -> None:
    target = tmp_path / "spec"
    shutil.copytree(ROOT / "spec", target, ignore=shutil.ignore_patterns("uniall-llms-full.txt"))
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", "--spec", str(target)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 2 and "cannot check doc sources: cannot read" in run.stderr, run.stderr


def test_a_docs_model_the_spec_lacks_and_a_stale_rejection_are_reported(spec: m.Spec, snapshot: Snapshot) -> None:
    """The model-ID coverage half of the check: a docs token with no entry, a not_models token gone."""
    sora = spec.family("sora")
    without = dataclasses.replace(sora, models=tuple(md for md in sora.models if md.id != "sora2-pro-true-1080p"))
    trimmed = dataclasses.replace(spec, families=tuple(without if f.id == "sora" else f for f in spec.families))
    stale = next(n for n in spec.not_models if n.token == "dall-e-2")  # named twice in the docs, in prose
    text = SNAPSHOT_PATH.read_text(encoding="utf-8").replace(stale.token, "dall-e")
    problems = [str(p) for p in docs_problems(ROOT / "spec", trimmed, parse_snapshot(text), "docs.txt")]
    assert any("model-like token 'sora2-pro-true-1080p'" in p and "neither a spec model" in p for p in problems)
    family_file = ROOT / "spec" / "families" / f"{stale.family}.yaml"
    mine = [p for p in problems if p.startswith(str(family_file)) and "/not_models/" in p]
    assert any(f"{stale.token!r} no longer appears in docs.txt: drop the entry" in p for p in mine), problems
