"""The ``uniall-spec`` commands, run the way users run them."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import tomllib
import unicodedata

import pytest

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


def _run_on_terminal(columns: int, *args: str) -> str:
    """Run ``uniall-spec ARGS`` with stdout on a pseudo-terminal ``columns`` wide; what it printed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "generator.cli", *args], stdout=slave, stderr=subprocess.PIPE, cwd=ROOT, env=env
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def _cells(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


@pytest.mark.parametrize("columns", [80, 100])
@pytest.mark.parametrize("args", [["models"], ["rules"], ["models", "grok-imagine"]], ids=" ".join)
def test_tables_fit_the_terminal_width(columns: int, args: list[str]) -> None:
    out = _run_on_terminal(columns, *args)
    widest = max(out.splitlines(), key=_cells)
    assert _cells(widest) <= columns, widest


def test_piped_tables_keep_one_row_per_line_for_grep(spec: m.Spec) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "generator.cli", "models"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": "80"},
        check=False,
    )
    lines = run.stdout.splitlines()
    assert len(lines) == len(spec.models) + 1
    assert sorted(line.split()[0] for line in lines[1:]) == sorted(md.id for md in spec.models)


def test_models_model_shows_the_values_the_docs_allow_it() -> None:
    run = _run("models", "veo3.1-video-720p")
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert "Durations (s)        4, 6, 8 (number or string)" in lines
    assert any(line.startswith("Aspect ratios") and "16:9, 9:16 (only text-to-video)" in line for line in lines)
    assert any(line.startswith("Count limits") and "images 2 to 3" in line for line in lines)
    detail = json.loads(_run("models", "veo3.1-video-720p", "--format", "json").stdout)
    assert detail["id"] == "veo3.1-video-720p" and detail["family"] == "veo"
    assert [(a["rule"], a["values"]) for a in detail["allowed"]["durations"]] == [
        ("veo.duration-values", [4, 6, 8, "4", "6", "8"])
    ]
    assert set(detail["allowed"]) == {"durations", "aspect_ratios", "sizes", "formats", "count_limits"}


def test_models_with_an_unknown_model_suggests_the_close_ones() -> None:
    run = _run("models", "veo3.1")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("error: no model 'veo3.1'; did you mean veo3.1-video-720p")


def test_the_documented_shell_completion_completes_commands_and_options() -> None:
    env = {**os.environ, "_UNIALL_SPEC_COMPLETE": "bash_complete"}

    def complete(words: str) -> list[str]:
        run = subprocess.run(
            [sys.executable, "-m", "generator.cli"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**env, "COMP_WORDS": words, "COMP_CWORD": str(len(words.split()) - 1)},
            check=False,
        )
        return [line.split(",", 1)[1] for line in run.stdout.splitlines()]

    assert "models" in complete("uniall-spec mo")
    assert "--family" in complete("uniall-spec rules --fa")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'eval "$(_UNIALL_SPEC_COMPLETE=bash_source uniall-spec)"' in readme


def test_licence_and_changelog_match_the_package_metadata() -> None:
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License\n")
    for pyproject in (ROOT / "pyproject.toml", ROOT / "generated" / "python" / "pyproject.toml"):
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        assert project["license"] == {"text": "MIT"}, pyproject
        changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
        assert f"\n## {project['version']}\n" in changelog, f"CHANGELOG.md has no section for {project['version']}"
