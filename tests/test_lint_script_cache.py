"""The standalone linter caches its compiled code, and any cache trouble only costs time, never a verdict.

The script embeds the linter source and keeps the compiled bytecode under ``$XDG_CACHE_HOME``:
Python does not cache scripts it runs directly, and compiling the rules on every CI step would cost
more than linting (measured in ``make bench``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from .support import ROOT

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
    """The script carries its code as a plain string: byte for byte ``uniall/_lint.py`` of the
    generated client, readable where it is copied, and ``_SHA256`` is its hash."""
    import ast
    import hashlib

    assigned = {
        node.targets[0].id: node.value.value
        for node in ast.parse(SCRIPT.read_text(encoding="utf-8")).body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and isinstance(node.value, ast.Constant)
    }
    code = assigned["_SOURCE"].encode("utf-8")
    assert code == (ROOT / "generated" / "python" / "uniall" / "_lint.py").read_bytes()
    assert assigned["_SHA256"] == hashlib.sha256(code).hexdigest()
