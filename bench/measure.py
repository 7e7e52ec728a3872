"""Timing: throughput over the corpus, cold start of one-file runs, and ``uniall-spec generate``."""

from __future__ import annotations

import copy
import cProfile
import gc
import io
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .validators import Body, Check

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Spread:
    """Median, min and max of repeated measurements."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, values: Sequence[float]) -> Spread:
        return cls(statistics.median(values), min(values), max(values), len(values))

    def as_dict(self) -> dict[str, float | int]:
        return {"median": self.median, "min": self.low, "max": self.high, "runs": self.runs}


# ---- throughput -----------------------------------------------------------------------------------


def _round(check: Check, requests: Sequence[tuple[str, Body]], min_seconds: float) -> float:
    """One timed round: whole passes over ``requests`` until ``min_seconds`` have passed; requests per second.

    The benchmark's own heap (every validator, the corpus, pydantic models) is frozen out of the
    garbage collector first, so collections during the round do not walk a heap no real caller has.
    """
    gc.collect()
    gc.freeze()
    done = 0
    start = time.perf_counter()
    while True:
        for endpoint, body in requests:
            check(endpoint, body)
        done += len(requests)
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds:
            return done / elapsed


def throughput(
    checks: dict[str, Check], requests: Sequence[tuple[str, Body]], repeats: int, min_seconds: float
) -> dict[str, tuple[Spread, int, bool]]:
    """Requests per second of every check, over ``repeats`` rounds taken round-robin across the checks.

    Interleaving spreads any load from other processes over all validators alike rather than
    skewing whichever ran at a bad moment. A warm-up pass first, which also counts how many
    requests each check flagged (errors > 0).

    Each check gets its own deep copy of ``requests``: fastjsonschema writes schema ``default``s into
    the body it validates, and on a shared corpus every later check (and the end-to-end JSONL built
    from it) timed bodies with fields the docs never sent (issue #16: the linter's row fell from about
    130,000 to 6,000 valid requests per second that way). The third value says whether the check
    changed its copy.
    """
    private = {name: copy.deepcopy(list(requests)) for name in checks}
    flagged = {
        name: sum(1 for endpoint, body in private[name] if check(endpoint, body)) for name, check in checks.items()
    }
    rates: dict[str, list[float]] = {name: [] for name in checks}
    for _ in range(repeats):
        for name, check in checks.items():
            rates[name].append(_round(check, private[name], min_seconds))
    return {name: (Spread.of(rates[name]), flagged[name], private[name] != list(requests)) for name in checks}


def profile_calls(check: Check, requests: Sequence[tuple[str, Body]], passes: int, top: int) -> list[dict[str, Any]]:
    """cProfile of ``passes`` passes: the ``top`` functions by own time, with their share of the total."""
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(passes):
        for endpoint, body in requests:
            check(endpoint, body)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1.0
    rows = sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]
    return [
        {
            "function": f"{Path(file).name}:{line}({name})" if file != "~" else name,
            "calls": entry[1],
            "own_share": entry[2] / total,
            "cumulative_share": entry[3] / total,
        }
        for (file, line, name), entry in rows
    ]


# ---- cold start ---------------------------------------------------------------------------------------


def base_python() -> str:
    """The interpreter behind the venv (``python3``), not the venv's: the linter needs only the stdlib."""
    return os.path.realpath(sys.executable)


@dataclass(frozen=True)
class ColdStart:
    wall: Spread
    cpu: Spread
    exit_code: int

    def as_dict(self) -> dict[str, Any]:
        return {**self.wall.as_dict(), "cpu": self.cpu.as_dict(), "exit_code": self.exit_code}


def cold_start(commands: dict[str, list[str]], runs: int) -> dict[str, ColdStart]:
    """Wall time (and the child's user+system CPU time) of each command, interleaved round-robin.

    Interleaving makes drift hit all commands alike; CPU time is much less disturbed than wall
    time when other processes compete for the cores, so it is reported beside it.
    """
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    codes: dict[str, int] = {}
    for argv in commands.values():  # warm the page cache once
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT)
    for _ in range(runs):
        for name, argv in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            done = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, cwd=ROOT)
            wall[name].append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            codes[name] = done.returncode
    return {name: ColdStart(Spread.of(wall[name]), Spread.of(cpu[name]), codes[name]) for name in commands}


_SPLIT_SCRIPT = r"""
import cProfile, io, json, pstats, sys, time
path, request = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
source = open(path, encoding="utf-8").read()
t1 = time.perf_counter()
code = compile(source, path, "exec")
t2 = time.perf_counter()
namespace = {"__name__": "uniall_lint_split", "__file__": path}
sys.modules["uniall_lint_split"] = type(sys)("uniall_lint_split")
exec(code, namespace)
t3 = time.perf_counter()
profiler = cProfile.Profile()
sys.stdout = io.StringIO()
profiler.enable()
namespace["main"]([request])
profiler.disable()
sys.stdout = sys.__stdout__
t4 = time.perf_counter()
stats = pstats.Stats(profiler, stream=io.StringIO()).stats
top = sorted(stats.items(), key=lambda kv: -kv[1][3])
# The linter's functions carry the file name of the run that compiled and cached its code, not `path`.
own = namespace["main"].__code__.co_filename
mine = [kv for kv in top if kv[0][0] == own]
rows = [[f"{k[0].rsplit('/', 1)[-1]}:{k[1]}({k[2]})", v[3]] for k, v in mine[:12]]
print(json.dumps({"read": t1 - t0, "compile": t2 - t1, "module_body": t3 - t2, "main": t4 - t3, "main_top": rows}))
"""


def cold_start_split(python: str, linter: Path, request: Path, runs: int) -> dict[str, Any]:
    """Where a CLI run's time goes: compiling the script (no .pyc for ``__main__``), the module body, main()."""
    import json

    samples: list[dict[str, Any]] = []
    for _ in range(runs):
        out = subprocess.run(
            [python, "-c", _SPLIT_SCRIPT, str(linter), str(request)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        samples.append(json.loads(out.stdout.strip().splitlines()[-1]))
    split = {k: statistics.median(s[k] for s in samples) for k in ("read", "compile", "module_body", "main")}
    imports = subprocess.run(
        [python, "-X", "importtime", str(linter), str(request)], capture_output=True, text=True, check=False, cwd=ROOT
    ).stderr
    bare_imports = subprocess.run(
        [python, "-X", "importtime", "-c", "pass"], capture_output=True, text=True, check=False, cwd=ROOT
    ).stderr
    return {
        "seconds": split,
        "main_cumulative_top": samples[-1]["main_top"],
        "imports_beyond_bare_python": _extra_imports(imports, bare_imports),
    }


def _extra_imports(run: str, bare: str) -> list[tuple[str, float]]:
    """Top-level imports (cumulative seconds) the linter run adds over ``python3 -c pass``."""

    def parse(text: str) -> dict[str, float]:
        found: dict[str, float] = {}
        for line in text.splitlines():
            if not line.startswith("import time:") or "|" not in line:
                continue
            _, cumulative, name = line.removeprefix("import time:").split("|")
            if cumulative.strip().isdigit() and not name.startswith("  "):
                found[name.strip()] = int(cumulative) / 1e6
        return found

    bare_names = parse(bare)
    extra = {k: v for k, v in parse(run).items() if k not in bare_names}
    return sorted(extra.items(), key=lambda kv: -kv[1])[:8]


# ---- generate -----------------------------------------------------------------------------------------


def generate_time(runs: int) -> tuple[Spread | None, str | None]:
    """Wall time of ``uniall-spec generate --out <tmpdir>`` (a fresh directory, no cache); or why it failed."""
    exe = str(Path(sys.executable).with_name("uniall-spec"))
    values = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(prefix="bench-generate-") as out:
            start = time.perf_counter()
            done = subprocess.run(
                [exe, "generate", "--out", out],
                capture_output=True,
                text=True,
                check=False,
                cwd=ROOT,
                env={**os.environ, "UNIALL_SPEC_CACHE": "off"},  # a full render, not a cache hit
            )
            values.append(time.perf_counter() - start)
            if done.returncode != 0:
                tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
                return None, f"exit {done.returncode}: {tail[0]}"
    return Spread.of(values), None
