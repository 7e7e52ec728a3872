"""The ``uniall-spec`` commands, run the way users run them."""

from __future__ import annotations

import json
import subprocess
import sys

from generator import model as m

from .conftest import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator.cli", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_models_json_lists_every_model_with_family_status_endpoints_and_modes(spec: m.Spec) -> None:
    run = _run("models", "--format", "json")
    assert run.returncode == 0, run.stderr
    listed = json.loads(run.stdout)
    assert sorted(x["id"] for x in listed) == sorted(md.id for md in spec.models)
    for item in listed:
        assert set(item) >= {"id", "family", "status", "endpoints", "modes", "source"}
        assert item["endpoints"], item["id"]
        assert item["source"]["url"].startswith("https://docs.uniall.ai/")


def test_rules_json_lists_every_rule_with_kind_severity_models_and_source(spec: m.Spec) -> None:
    run = _run("rules", "--format", "json")
    assert run.returncode == 0, run.stderr
    listed = json.loads(run.stdout)
    assert [x["id"] for x in listed] == sorted(r.id for r in spec.rules)
    for item in listed:
        assert item["severity"] in ("error", "warning")
        assert item["models"], item["id"]
        assert item["source"]["page"].startswith("site-docs/") and item["source"]["section"]


def test_recommendations_and_deprecations_are_never_errors(spec: m.Spec) -> None:
    assert all(r.severity == "warning" for r in spec.rules if r.kind in ("recommended", "deprecated"))


def test_text_forms_are_tables_with_a_header_row() -> None:
    models = _run("models")
    assert models.returncode == 0 and models.stdout.startswith("MODEL")
    rules = _run("rules", "--family", "seedance")
    assert rules.returncode == 0 and rules.stdout.startswith("RULE")
    assert all(line.startswith("seedance.") for line in rules.stdout.splitlines()[1:])


def test_stats_counts_match_the_loaded_spec(spec: m.Spec) -> None:
    run = _run("stats", "--format", "json")
    counts = json.loads(run.stdout)
    assert counts["models"] == len(spec.models)
    assert counts["rules"] == sum(counts["rules_by_kind"].values()) == len(spec.rules)
    assert counts["conflicts"] == len(spec.conflicts)


def test_conflicts_command_quotes_both_sides(spec: m.Spec) -> None:
    run = _run("conflicts")
    assert run.returncode == 0
    for conflict in spec.conflicts:
        assert f"{conflict.id}: {conflict.topic}" in run.stdout


def test_rules_for_an_unknown_family_is_an_error_naming_the_known_ones(spec: m.Spec) -> None:
    run = _run("rules", "--family", "seedanse")
    assert run.returncode == 2
    assert run.stdout == ""
    assert "no family 'seedanse'; known families: " in run.stderr
    assert all(f.id in run.stderr for f in spec.families)


def test_version_option_prints_the_package_version() -> None:
    run = _run("--version")
    assert run.returncode == 0
    assert run.stdout.startswith("uniall-spec, version ")
