"""The Makefile's set-up step, run by `make` in a scratch folder with stand-in Python commands.

Specified here (issue #13 item 4): a Python older than 3.11 (or none) stops `make` with one line
naming the version found, before any venv or pip work; a `.venv` made by an old Python is rebuilt.
The stand-ins are shell scripts that print a version, so no real old Python is needed.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from .support import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make on PATH")

OLD_PYTHON = "#!/bin/sh\necho 3.10.12\n"
# Stands in for Python 3.11: `-m venv DIR` makes DIR/bin/python (a copy of itself); a version
# query prints 3.11.7; anything else (pip) is logged beside it and succeeds.
NEW_PYTHON = """#!/bin/sh
if [ "$1" = "-m" ] && [ "$2" = "venv" ]; then mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; exit 0; fi
case "$*" in *version_info*) echo 3.11.7 ;; *) echo "ran: $*" >> "$(dirname "$0")/log" ;; esac
"""


def _script(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    path.chmod(0o755)
    return path


def _make(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    (folder / "requirements.lock").touch()
    (folder / "pyproject.toml").touch()
    return subprocess.run(
        ["make", "--no-print-directory", "-f", str(ROOT / "Makefile"), *args],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("python", "found"), [("old", "3.10.12"), ("missing", "no working '/nonexistent/python3'")], ids=["old", "missing"]
)
def test_a_python_older_than_3_11_stops_make_with_one_line_and_no_venv(tmp_path: Path, python: str, found: str) -> None:
    command = str(_script(tmp_path / "python3.10", OLD_PYTHON)) if python == "old" else "/nonexistent/python3"
    run = _make(tmp_path, f"PYTHON={command}", "generate")
    assert run.returncode != 0
    first = run.stderr.splitlines()[0]
    assert first == (
        f"error: uniall-spec needs Python 3.11+ (found {found}); "
        "run with a newer one, e.g. make PYTHON=python3.11 generate"
    )
    assert len(run.stdout + run.stderr) < 400  # one line and make's own, not pip's errors
    assert not (tmp_path / ".venv").exists()


def test_a_venv_made_by_an_old_python_is_rebuilt_with_the_given_one(tmp_path: Path) -> None:
    _script(tmp_path / ".venv" / "bin" / "python", OLD_PYTHON)
    (tmp_path / ".venv" / "left-by-the-old-venv").touch()
    new = _script(tmp_path / "python3.11", NEW_PYTHON)
    run = _make(tmp_path, f"PYTHON={new}", ".venv/.installed")
    assert run.returncode == 0, run.stderr
    assert "rebuilding .venv: it was made by Python 3.10.12" in run.stdout
    assert not (tmp_path / ".venv" / "left-by-the-old-venv").exists()
    assert (tmp_path / ".venv" / "bin" / "python").read_text() == NEW_PYTHON
    assert "-r requirements.lock" in (tmp_path / ".venv" / "bin" / "log").read_text()
    assert (tmp_path / ".venv" / ".installed").exists()


def test_a_venv_made_by_a_new_enough_python_is_kept(tmp_path: Path) -> None:
    new = _script(tmp_path / "python3.11", NEW_PYTHON)
    _script(tmp_path / ".venv" / "bin" / "python", NEW_PYTHON)
    (tmp_path / ".venv" / "kept").touch()
    run = _make(tmp_path, f"PYTHON={new}", ".venv/.installed")
    assert run.returncode == 0, run.stderr
    assert "rebuilding" not in run.stdout
    assert (tmp_path / ".venv" / "kept").exists()
