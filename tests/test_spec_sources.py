"""Every fact in the spec points at a real page and heading, and every quote is on its page.

This is what keeps "every rule carries its doc source" honest: a typo'd section, a page that moved,
or a paraphrase passed off as a quote fails here and in ``uniall-spec check`` (both run
``generator/source_check.py``), with the file, the line and the key to edit.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import model as m
from generator.docs_snapshot import Snapshot
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


def test_a_misspelt_section_quote_or_page_is_reported_with_file_line_and_key(
    misspelt_spec: Path, snapshot: Snapshot
) -> None:
    problems = [str(p) for p in docs_problems(misspelt_spec, load_spec(misspelt_spec), snapshot)]
    seedance, wan = misspelt_spec / SEEDANCE_YAML, misspelt_spec / "families" / "wan.yaml"
    section_line = _line_of(seedance, "Required Parametres")
    quote_line = _line_of(seedance, "`4` `16` integer")
    page_line = _line_of(wan, "duration-tabel")
    expected = [
        f"{seedance}:{section_line} at /fields/0/source/section: site-docs/models/video/seedance-2-0/create-task.md"
        " [en] has no heading '4.1 Required Parametres' (did you mean '4.1 Required Parameters'?)",
        f"{seedance}:{quote_line} at {_quoting_rule()}/source/quote: quote is not on",
        f"{wan}:{page_line} at /models/0/source/page: no en page 'site-docs/models/video/wan-2-6/duration-tabel.md'",
        f"{wan}:{page_line} at /models/0/source/page: cites site-docs/models/video/wan-2-6/duration-tabel.md,"
        " which is missing from this file's pages:",
    ]
    for start in expected:
        assert any(p.startswith(start) for p in problems), f"not reported: {start}\n" + "\n".join(problems)
    assert len(problems) == 4, "\n".join(problems)


def test_check_fails_on_a_misspelt_source_naming_file_line_and_key(misspelt_spec: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "check", "--spec", str(misspelt_spec)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert run.returncode == 2, run.stdout + run.stderr
    assert "spec ok" not in run.stdout and "Traceback" not in run.stderr
    assert f"{misspelt_spec / SEEDANCE_YAML}:" in run.stderr and "/source/section" in run.stderr
    assert f"{_quoting_rule()}/source/quote: quote is not on" in run.stderr
    assert "did you mean 'site-docs/models/video/wan-2-6/duration-table.md'?" in run.stderr


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
