"""The docs' own request examples: each one's verdict is the reviewed one in tests/fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from ruamel.yaml import YAML

from generator import example_lint as x
from generator import model as m
from generator.cli import main
from generator.doc_examples import examples
from generator.docs_snapshot import Snapshot, parse_snapshot
from generator.emitters import examples_report

from .conftest import ROOT, SNAPSHOT_PATH

REVIEWED: list[dict[str, Any]] = YAML(typ="safe").load(
    (ROOT / "tests" / "fixtures" / "examples_verdicts.yaml").read_text(encoding="utf-8")
)["examples"]


def _key(page: str, locale: str, number: int) -> str:
    return f"{page} [{locale}] #{number}"


@pytest.fixture(scope="module")
def found(snapshot: Snapshot) -> x.Scan:
    return x.scan(snapshot)


@pytest.fixture(scope="module")
def verdicts(found: x.Scan, spec: m.Spec) -> dict[str, x.Verdict]:
    return {v.example.label: v for v in x.lint_examples(found, x.compile_linter(spec))}


def test_every_example_in_the_docs_has_a_reviewed_verdict(verdicts: dict[str, x.Verdict]) -> None:
    assert sorted(verdicts) == sorted(_key(e["page"], e["locale"], e["n"]) for e in REVIEWED)


@pytest.mark.parametrize("entry", REVIEWED, ids=[_key(e["page"], e["locale"], e["n"]) for e in REVIEWED])
def test_the_verdict_is_the_reviewed_one(entry: dict[str, Any], verdicts: dict[str, x.Verdict]) -> None:
    verdict = verdicts[_key(entry["page"], entry["locale"], entry["n"])]
    assert (verdict.example.form, verdict.example.model) == (entry["form"], entry["model"])
    assert verdict.verdict == entry["verdict"]
    assert sorted({v.rule for v in verdict.errors}) == entry.get("errors", [])
    if entry["verdict"] != "valid":
        assert entry.get("note"), "every example that is not valid says why (docs bug or a deliberate wrong example)"


def test_parsed_examples_are_exactly_those_of_doc_examples(found: x.Scan, snapshot: Snapshot) -> None:
    parsed = [(e.page, e.locale, e.endpoint, e.body) for e in found.examples if e.body is not None]
    assert parsed == [(e.page, e.locale, e.endpoint, e.body) for e in examples(snapshot)]


def test_json_with_comments_is_reported_not_json_in_both_forms() -> None:
    text = (
        "--- # Demo Locale: en URL: https://docs.uniall.ai/demo Source: site-docs/demo.md\n"
        "## Create\n```http\nPOST /v1/video/generations\n```\n"
        '```json\n{\n  "model": "sora-2",\n  "prompt": "x" // optional\n}\n```\n'
        '```json\n{"type": "text"}\n```\n'
        '```json\n{"id": "task_1", "status": "queued", "model": "sora-2"}\n```\n'
    )
    scan = x.scan(parse_snapshot(text))
    assert [(e.section, e.endpoint, e.model, e.body) for e in scan.examples] == [
        ("Create", "POST /v1/video/generations", "sora-2", None)
    ]
    assert (scan.fragments, scan.responses) == (1, 1)
    folded = x.scan(parse_snapshot(" ".join(text.split())))
    assert [e.problem for e in folded.examples] == [e.problem for e in scan.examples]


def test_the_report_counts_and_lists_each_verdict(spec: m.Spec, verdicts: dict[str, x.Verdict]) -> None:
    report = examples_report.emit(spec)[examples_report.REPORT]
    counts = {v: sum(e["verdict"] == v for e in REVIEWED) for v in x.VERDICTS}
    assert f"- examples: {len(REVIEWED)}\n" in report
    assert f"- invalid: {counts['invalid']}\n" in report and f"- not valid JSON: {counts['not JSON']}\n" in report
    for label, verdict in verdicts.items():
        if verdict.verdict != "valid":
            assert f"### {label}" in report
    assert report == examples_report.emit(spec)[examples_report.REPORT]


def test_cli_examples(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["examples", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"] == {v: sum(e["verdict"] == v for e in REVIEWED) for v in x.VERDICTS}
    missing = runner.invoke(main, ["examples", "--docs", str(tmp_path / "none.txt")])
    assert missing.exit_code == 2 and "cannot read" in missing.output
    text = runner.invoke(main, ["examples", "--docs", str(SNAPSHOT_PATH)])
    assert text.exit_code == 0 and text.output.startswith(f"{len(REVIEWED)} example(s)")
