"""The examples/ folder: every request lints clean, and every script runs (against the local mock)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import ROOT

sys.path.insert(0, str(ROOT / "generated" / "python"))

from uniall._mock import MockServer
from uniall._spec import MODELS

EXAMPLES = ROOT / "examples"
REQUESTS = sorted((EXAMPLES / "requests").glob("*.json"))
LINTER = ROOT / "generated" / "lint" / "uniall_lint.py"


@pytest.fixture(scope="module")
def mock() -> Iterator[MockServer]:
    with MockServer(speed=2000.0, seed=7) as server:  # a task finishes a few ms after it is created
        yield server


def _env(base_url: str | None = None) -> dict[str, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated" / "python")}
    if base_url is not None:
        env.update(UNIALL_BASE_URL=base_url, UNIALL_API_KEY="sk-test")
    return env


def _against(mock: MockServer, *args: str) -> subprocess.CompletedProcess[str]:
    """Python with ``args``, its client pointed at the mock."""
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=_env(mock.base_url), timeout=120, check=False
    )


def test_every_example_request_lints_without_errors_or_warnings() -> None:
    assert len(REQUESTS) >= 3 and (EXAMPLES / "requests" / "batch.jsonl").is_file()
    run = subprocess.run(
        [sys.executable, str(LINTER), "--strict", "--format", "json", str(EXAMPLES / "requests")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    summary = json.loads(run.stdout)["summary"]
    assert (summary["errors"], summary["warnings"], summary["unreadable"]) == (0, 0, 0)
    assert summary["requests"] == len(REQUESTS) + 2  # the JSONL file holds two


def test_the_lint_script_runs_without_network_and_shows_each_verdict() -> None:
    run = subprocess.run(
        [sys.executable, str(EXAMPLES / "lint_requests.py")], capture_output=True, text=True, env=_env(), check=False
    )
    assert run.returncode == 0, run.stderr
    assert "documented: valid (seedance2.0-720p -> POST /v1/video/generations)" in run.stdout
    assert "duration out of range: invalid" in run.stdout
    assert "[seedance.duration-range] at /duration" in run.stdout


def _model_of(request: Path) -> str:
    document = json.loads(request.read_text(encoding="utf-8"))
    return str(document.get("body", document)["model"])


@pytest.mark.parametrize("request_file", REQUESTS, ids=lambda p: p.name)
def test_the_create_script_submits_waits_and_downloads_each_request(
    mock: MockServer, tmp_path: Path, request_file: Path
) -> None:
    resource = MODELS[_model_of(request_file)].resource
    run = _against(mock, str(EXAMPLES / "create_wait_download.py"), resource, str(request_file), str(tmp_path))
    assert run.returncode == 0, run.stderr
    saved = [Path(line.removeprefix("saved ")) for line in run.stdout.splitlines() if line.startswith("saved ")]
    assert saved and all(p.parent == tmp_path and p.stat().st_size > 0 for p in saved)


def test_uniall_run_takes_an_example_request(mock: MockServer, tmp_path: Path) -> None:
    run = _against(mock, "-m", "uniall._cli", "run", str(REQUESTS[0]), "--out", str(tmp_path))
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout.splitlines()[0])["status"] == "completed"
    assert len(list(tmp_path.iterdir())) >= 1
