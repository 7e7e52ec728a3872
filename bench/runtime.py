"""The linter's command line on large input: peak memory on a 1 GB JSONL and ``--jobs 2`` vs ``--jobs 1``.

Called by ``python -m bench`` (``measure(say)`` for the figures, ``markdown(figures)`` for the
report section), or alone: ``python -m bench.runtime [--lines N] [--line-bytes B]``. The input is a
JSONL of documented valid requests written to a temporary directory and deleted afterwards; each
request's prompt is padded so that N lines of about B bytes make the size asked for (1M lines of
about 1 KB: 1 GB). Each run is one subprocess whose peak RSS comes from ``wait4``; the wall times
are from one run each, so read them with the load average printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LINTER = ROOT / "generated" / "lint" / "uniall_lint.py"
MB = 1024 * 1024

# Documented valid requests (each `ok` under the generated linter, checked before timing).
BODIES: tuple[dict[str, Any], ...] = (
    {"model": "seedance2.0-720p", "prompt": "", "duration": 5},
    {"model": "seedance2.0-720p", "prompt": "", "duration": 10, "aspect_ratio": "16:9"},
    {"model": "seedream-4.0", "prompt": ""},
)


def write_jsonl(path: Path, lines: int, line_bytes: int) -> int:
    """``lines`` valid requests of about ``line_bytes`` each; returns the file size."""
    encoded = []
    for body in BODIES:
        shell = json.dumps({**body, "prompt": ""})
        padded = {**body, "prompt": "a lighthouse at dusk " * max(1, (line_bytes - len(shell)) // 21)}
        encoded.append((json.dumps(padded) + "\n").encode())
    block = b"".join(encoded[i % len(encoded)] for i in range(1000))
    with path.open("wb") as handle:
        for _ in range(lines // 1000):
            handle.write(block)
        handle.write(b"".join(encoded[i % len(encoded)] for i in range(lines % 1000)))
    return path.stat().st_size


# Runs the linter and reports its rusage. A child's peak RSS counts what it inherited at fork: had
# the bench process (validators, pydantic models: hundreds of MB) forked the linter itself, that
# would be the figure; this small process forks it instead.
_LAUNCHER = """
import json, os, subprocess, sys, time
started = time.perf_counter()
with open(os.devnull, "wb") as sink:
    proc = subprocess.Popen(sys.argv[1:], stdout=sink, stderr=subprocess.PIPE)
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
print(json.dumps({
    "wall_seconds": time.perf_counter() - started,
    "cpu_seconds": usage.ru_utime + usage.ru_stime,
    "peak_rss_mb": usage.ru_maxrss / 1024,
    "exit_code": os.waitstatus_to_exitcode(status),
    "stderr": stderr.decode("utf-8", "replace")[-500:],
}))
"""


def run_linter(args: list[str]) -> dict[str, Any]:
    """One run of the standalone linter with stdout discarded: wall seconds, CPU seconds (the main
    process and the workers it waited for), peak RSS of the main process, exit code."""
    done = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, sys.executable, str(LINTER), *args],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, Any] = json.loads(done.stdout)
    return figures


def measure(say: Callable[[str], None], lines: int = 1_000_000, line_bytes: int = 1024) -> dict[str, Any]:
    """Peak RSS of ``--format json`` and text runs on the big JSONL, and --jobs 2 vs --jobs 1 (text)."""
    with tempfile.TemporaryDirectory(prefix="bench-runtime-") as tmp:
        path = Path(tmp) / "requests.jsonl"
        say(f"runtime: writing {lines:,} lines of about {line_bytes} bytes")
        size = write_jsonl(path, lines, line_bytes)
        sample = Path(tmp) / "sample.jsonl"
        with path.open("rb") as handle:
            sample.write_bytes(b"".join(handle.readline() for _ in BODIES))
        check = subprocess.run(
            [sys.executable, str(LINTER), "--strict", str(sample)], capture_output=True, text=True, check=False
        )
        if check.returncode != 0:
            raise RuntimeError(f"the bench requests are not all valid:\n{check.stdout}{check.stderr}")
        runs: dict[str, dict[str, Any]] = {}
        for name, args in (
            ("text, --jobs 1", ["--jobs", "1", str(path)]),
            ("text, --jobs 2", ["--jobs", "2", str(path)]),
            ("json, --jobs 1", ["--format", "json", str(path)]),
        ):
            say(f"runtime: {name} over {size / MB:,.0f} MB")
            runs[name] = run_linter(args)
            runs[name]["load_average"] = os.getloadavg()[0]
    serial, parallel = runs["text, --jobs 1"], runs["text, --jobs 2"]
    return {
        "input": {"lines": lines, "bytes": size, "line_bytes": line_bytes},
        "runs": runs,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs.values()),
        "jobs_2_speedup": serial["wall_seconds"] / parallel["wall_seconds"],
        "cpu_count": os.cpu_count(),
    }


def markdown(figures: dict[str, Any]) -> str:
    size = figures["input"]["bytes"] / MB
    gb = figures["input"]["bytes"] / 1e9
    rows = "\n".join(
        f"| {name} | {r['wall_seconds']:.1f} | {r['cpu_seconds']:.1f} | {r['peak_rss_mb']:.0f} | {r['exit_code']} "
        f"| {r['load_average']:.1f} |"
        for name, r in figures["runs"].items()
    )
    return f"""
## Large input: streaming and `--jobs` (`bench/runtime.py`)

{figures["input"]["lines"]:,} valid requests, {gb:.2f} GB ({size:,.0f} MiB) of JSONL (lines of about
{figures["input"]["line_bytes"]} bytes), stdout to /dev/null, one run each on {figures["cpu_count"]} CPU(s).

| run | wall s | CPU s (with workers) | peak RSS MB | exit | load average after |
|---|---|---|---|---|---|
{rows}

- peak RSS, {gb:.2f} GB JSONL: **{figures["peak_rss_mb"]:.0f} MB** (goal < 100 MB)
- `--jobs 2` vs `--jobs 1` (text, wall time): **{figures["jobs_2_speedup"]:.2f}x** (goal >= 1.7x; needs 2 idle cores)
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.runtime", description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--line-bytes", type=int, default=1024)
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def say(text: str) -> None:
        print(f"[bench {time.perf_counter() - started:6.1f}s] {text}", file=sys.stderr, flush=True)

    figures = measure(say, args.lines, args.line_bytes)
    print(markdown(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
