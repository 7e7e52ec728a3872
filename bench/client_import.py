"""``python -m bench.client_import``: how long ``import uniall`` (the generated client) takes.

Issue #15's goal: under 50 ms. Each run is a fresh ``python -X importtime -c "import uniall"`` with
``generated/python`` on the path (bytecode cached by a warm-up run that is not counted, as pip's install
compiles it); the figure is
the cumulative time Python reports for the ``uniall`` import, best of ``--runs`` (the least disturbed
run on a shared machine), with the median and the load average beside it. Also what each module it
imports directly costs, so a regression names its cause. Writes ``client_import.md`` / ``client_import.json`` to
``--out``. Not a test: speed is measured here only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE_DIR = ROOT / "generated" / "python"
GOAL_MS = 50.0


def import_times(python: str, statement: str) -> tuple[float, list[tuple[str, float]]]:
    """One fresh ``python -X importtime -c statement``: milliseconds of the ``uniall`` import (cumulative)
    and of each module it imports directly (cumulative: with what that module imports in turn)."""
    # Bytecode caches are read and written whatever the caller's environment says: an installed package
    # has them (pip compiles on install), and compiling the sources on every run would be timed otherwise.
    env = {**os.environ, "PYTHONPATH": str(PACKAGE_DIR)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    done = subprocess.run(
        [python, "-X", "importtime", "-c", statement], capture_output=True, text=True, check=True, env=env
    )
    rows: list[tuple[int, str, float]] = []  # (indent, module, cumulative ms), children before parents
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.removeprefix("import time:").split("|")
        if cumulative.strip().isdigit():
            module = name.lstrip()
            indent = (len(name) - len(module) - 1) // 2  # one space after the "|", then two per level
            rows.append((indent, module, int(cumulative) / 1000))
    end = next(i for i, (indent, module, _) in enumerate(rows) if indent == 0 and module == "uniall")
    start = max((i for i, (indent, _, _) in enumerate(rows[:end]) if indent == 0), default=-1) + 1
    children = [(module, ms) for indent, module, ms in rows[start:end] if indent == 1]
    return rows[end][2], children


def run(python: str, runs: int) -> dict[str, Any]:
    import_times(python, "import uniall")  # warm-up: writes the bytecode caches
    samples = [import_times(python, "import uniall") for _ in range(runs)]
    totals = [total for total, _ in samples]
    _, children = min(samples, key=lambda sample: sample[0])
    return {
        "python": sys.version.split()[0],
        "runs": runs,
        "best_ms": round(min(totals), 2),
        "median_ms": round(statistics.median(totals), 2),
        "all_ms": [round(t, 2) for t in totals],
        "goal_ms": GOAL_MS,
        "met": min(totals) < GOAL_MS,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "direct_imports_ms": sorted(((name, round(ms, 2)) for name, ms in children), key=lambda kv: -kv[1]),
    }


def render(result: dict[str, Any]) -> str:
    verdict = "met" if result["met"] else "MISSED"
    lines = [
        "# `import uniall`",
        "",
        f"`python -X importtime -c 'import uniall'` (Python {result['python']}), cumulative time of the `uniall` "
        f"import, {result['runs']} fresh processes after one warm-up.",
        "",
        "| best | median | goal | |",
        "|---|---|---|---|",
        f"| {result['best_ms']:.1f} ms | {result['median_ms']:.1f} ms | < {result['goal_ms']:.0f} ms | {verdict} |",
        "",
        f"All runs (ms): {', '.join(f'{t:.1f}' for t in result['all_ms'])}. Load average "
        f"{' / '.join(str(x) for x in result['load_average'])} on {result['cpus']} CPUs (a shared machine: "
        "read the best run as the cost, the median as what the load added).",
        "",
        "What `uniall` imports directly (cumulative, best run):",
        "",
        *(f"- `{name}`: {ms:.1f} ms" for name, ms in result["direct_imports_ms"]),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.client_import", description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args(argv)
    result = run(sys.executable, args.runs)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "client_import.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "client_import.md").write_text(render(result), encoding="utf-8")
    print(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
