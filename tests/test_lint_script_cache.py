"""The standalone linter caches its compiled code, and any cache trouble only costs time, never a verdict.

The script embeds the linter source (as comment lines) and keeps the compiled bytecode under ``$XDG_CACHE_HOME``:
Python does not cache scripts it runs directly, and compiling the rules on every CI step would cost
more than linting (measured in ``make bench``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .support import ROOT, script_code

SCRIPT = ROOT / "generated" / "lint" / "uniall_lint.py"
BAD = {"model": "seedance2.0-720p", "prompt": "x", "duration": 99}


def _lint(tmp_path: Path, cache: Path, **env: str) -> subprocess.CompletedProcess[str]:
    request = tmp_path / "request.json"
    request.write_text(json.dumps(BAD), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--format", "json", str(request)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "XDG_CACHE_HOME": str(cache), **env},
        timeout=60,
    )


def _rules(run: subprocess.CompletedProcess[str]) -> list[str]:
    assert run.returncode == 1, run.stderr
    return [e["rule"] for e in json.loads(run.stdout)["results"][0]["errors"]]


def test_the_first_run_writes_the_cache_and_later_runs_agree(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _rules(_lint(tmp_path, cache))
    (entry,) = list((cache / "uniall-lint").iterdir())
    assert entry.suffix == ".bin" and entry.stat().st_size > 0
    assert _rules(_lint(tmp_path, cache)) == first == ["seedance.duration-range"]


def test_a_corrupt_cache_entry_is_recompiled_not_trusted(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _lint(tmp_path, cache)
    (entry,) = list((cache / "uniall-lint").iterdir())
    entry.write_bytes(b"not marshal data")
    assert _rules(_lint(tmp_path, cache)) == ["seedance.duration-range"]


def test_an_unwritable_cache_or_a_disabled_one_still_lints(tmp_path: Path) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache directory would go", encoding="utf-8")
    assert _rules(_lint(tmp_path, blocked)) == ["seedance.duration-range"]
    off = tmp_path / "off"
    assert _rules(_lint(tmp_path, off, UNIALL_LINT_CACHE="0")) == ["seedance.duration-range"]
    assert not off.exists()


def test_the_embedded_code_is_the_packages_readable_linter_and_its_hash_keys_the_cache() -> None:
    """The script carries its code as plain comment lines: byte for byte ``uniall/_lint.py`` of the
    generated client, readable where it is copied, and ``_SHA256`` is its hash."""
    import hashlib

    code = script_code(SCRIPT).encode("utf-8")
    assert code == (ROOT / "generated" / "python" / "uniall" / "_lint.py").read_bytes()
    text = SCRIPT.read_text(encoding="utf-8")
    assert f"_SHA256 = '{hashlib.sha256(code).hexdigest()}'" in text
    assert len(text) - len(code) - code.count(b"\n") < 10_000, "the code is in the file once, not twice"


def test_without_a_cache_the_code_is_read_from_the_file_it_runs_from(tmp_path: Path) -> None:
    """A copy of the script with one message changed in its comment block reports the changed message
    when nothing is cached: the code that runs is the code in the file."""
    copy = tmp_path / "uniall_lint.py"
    text = SCRIPT.read_text(encoding="utf-8")
    marker = "must be a whole number of seconds from 4 to 15."
    assert marker in text
    copy.write_text(text.replace(marker, "CHANGED: from 4 to 15 only."), encoding="utf-8")
    request = tmp_path / "request.json"
    request.write_text(json.dumps(BAD), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(copy), "--format", "json", str(request)],
        capture_output=True,
        text=True,
        env={**os.environ, "UNIALL_LINT_CACHE": "0"},
        timeout=60,
    )
    assert run.returncode == 1, run.stderr
    assert "CHANGED: from 4 to 15 only." in run.stdout


def test_a_copy_that_lost_its_comment_block_says_so_instead_of_a_traceback(tmp_path: Path) -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    copy = tmp_path / "uniall_lint.py"
    copy.write_text(text[: text.rindex("# ---- the linter's code")], encoding="utf-8")
    request = tmp_path / "request.json"
    request.write_text(json.dumps(BAD), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, str(copy), str(request)],
        capture_output=True,
        text=True,
        env={**os.environ, "UNIALL_LINT_CACHE": "0"},
        timeout=60,
    )
    assert run.returncode == 1 and "has lost its code" in run.stderr and "Traceback" not in run.stderr


def test_an_edited_copy_runs_as_edited_but_never_fills_the_cache_of_the_generated_code(tmp_path: Path) -> None:
    """A copy whose comment block was changed by hand keeps the generated code's hash in ``_SHA256``:
    it must not cache its own code under that hash, or the untouched script would run the edit."""
    cache = tmp_path / "cache"
    text = SCRIPT.read_text(encoding="utf-8")
    marker = "must be a whole number of seconds from 4 to 15."
    copy = tmp_path / "edited.py"
    copy.write_text(text.replace(marker, "CHANGED: from 4 to 15 only."), encoding="utf-8")
    request = tmp_path / "request.json"
    request.write_text(json.dumps(BAD), encoding="utf-8")

    def run(script: Path) -> str:
        done = subprocess.run(
            [sys.executable, str(script), "--format", "json", str(request)],
            capture_output=True,
            text=True,
            env={**os.environ, "XDG_CACHE_HOME": str(cache)},
            timeout=60,
        )
        assert done.returncode == 1, done.stderr
        return done.stdout

    assert "CHANGED" in run(copy)
    assert not (cache / "uniall-lint").exists() or not list((cache / "uniall-lint").iterdir())
    assert "CHANGED" not in run(SCRIPT) and marker in run(SCRIPT)
