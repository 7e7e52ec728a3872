"""``python -m bench.mock_load``: a bounded load test of ``uniall mock`` on 127.0.0.1.

50 concurrent clients create and poll 1,000 tasks in total against a mock started in its own process
(so the clients and the server do not share a GIL). Every task must reach a final state; none may be
lost or answered twice under one ID. Latency percentiles of creates and polls are written to
``mock_load.md`` / ``mock_load.json`` in ``--out``. Bounded in count (``--tasks``) and time
(``--deadline``): it stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
KEY = {"Authorization": "Bearer sk-bench"}
BODY = {"model": "seedance2.0-720p", "prompt": "a lighthouse at dusk", "duration": 5}
FINAL = {"completed", "failed"}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def start_mock(speed: float) -> tuple[subprocess.Popen[str], str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "generated" / "python")}
    process = subprocess.Popen(
        [sys.executable, "-m", "uniall._cli", "mock", "--port", "0", "--speed", str(speed), "--max-tasks", "5000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def run(clients: int, tasks: int, speed: float, deadline: float) -> dict[str, Any]:
    process, base_url = start_mock(speed)
    creates: list[float] = []
    polls: list[float] = []
    finals: dict[str, str] = {}
    duplicates: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + deadline
    per_client = [tasks // clients + (1 if i < tasks % clients else 0) for i in range(clients)]

    def worker(count: int) -> None:
        with httpx.Client(base_url=base_url, headers=KEY, timeout=30) as http:
            for _ in range(count):
                if time.monotonic() > stop_at:
                    return
                t = time.perf_counter()
                answer = http.post("/v1/video/generations", json=BODY)
                elapsed = time.perf_counter() - t
                if answer.status_code != 200:
                    with lock:
                        errors.append(f"create {answer.status_code}")
                    continue
                task_id = answer.json()["id"]
                with lock:
                    creates.append(elapsed)
                    if task_id in finals:
                        duplicates.append(task_id)
                    finals[task_id] = "submitted"
                while time.monotonic() < stop_at:
                    t = time.perf_counter()
                    status = http.get(f"/v1/videos/{task_id}").json()["status"]
                    with lock:
                        polls.append(time.perf_counter() - t)
                    if status in FINAL:
                        with lock:
                            finals[task_id] = status
                        break
                    time.sleep(0.05)

    started = time.perf_counter()
    try:
        with ThreadPoolExecutor(max_workers=clients) as pool:
            list(pool.map(worker, per_client))
    finally:
        process.terminate()
        process.wait(timeout=10)
    wall = time.perf_counter() - started
    final_count = sum(1 for status in finals.values() if status in FINAL)
    return {
        "clients": clients,
        "tasks": tasks,
        "speed": speed,
        "wall_seconds": round(wall, 2),
        "created": len(finals),
        "final": final_count,
        "lost": tasks - final_count,
        "duplicate_ids": len(duplicates),
        "errors": errors[:10],
        "create_ms": {q: round(percentile(creates, q) * 1000, 2) for q in (50, 99)},
        "poll_ms": {q: round(percentile(polls, q) * 1000, 2) for q in (50, 99)},
        "polls": len(polls),
        "requests_per_second": round((len(creates) + len(polls)) / wall, 1),
        "mean_create_ms": round(statistics.fmean(creates) * 1000, 2) if creates else None,
    }


def render(result: dict[str, Any]) -> str:
    return "\n".join(
        [
            "# `uniall mock` under load",
            "",
            f"{result['clients']} concurrent clients, {result['tasks']} tasks in total, `--speed {result['speed']}`, "
            "mock in its own process on 127.0.0.1, 2-core machine.",
            "",
            "| figure | value |",
            "|---|---|",
            f"| tasks created / final / lost | {result['created']} / {result['final']} / {result['lost']} |",
            f"| duplicate task IDs | {result['duplicate_ids']} |",
            f"| create latency p50 / p99 | {result['create_ms'][50]} ms / {result['create_ms'][99]} ms |",
            f"| poll latency p50 / p99 | {result['poll_ms'][50]} ms / {result['poll_ms'][99]} ms |",
            f"| requests served | {result['polls'] + result['created']} in {result['wall_seconds']} s "
            f"({result['requests_per_second']}/s) |",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.mock_load", description=__doc__)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--speed", type=float, default=20.0, help="mock speed (20: a task takes about 0.2 s)")
    parser.add_argument("--deadline", type=float, default=120.0, help="stop after this many seconds")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    args = parser.parse_args(argv)
    result = run(args.clients, args.tasks, args.speed, args.deadline)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "mock_load.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.out / "mock_load.md").write_text(render(result), encoding="utf-8")
    print(render(result))
    return 0 if result["lost"] == 0 and result["duplicate_ids"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
