"""Issue #16's table, the compiler's rows: per-model throughput against jsonschema-rs, end-to-end JSONL
against ``json.loads``, cold start, and ``uniall-spec generate`` with nothing changed.

Called by ``python -m bench``: :func:`end_to_end` and :func:`generate_unchanged` measure,
:func:`table` turns those figures and the throughput and cold-start results of the same run into the
goal table (adding the large-input rows of ``bench/runtime.py`` when the run has them). Ratios come
from one run; read them with the load average the report prints.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .validators import LINTER, Body

# Issue #16's cold-start goal: the linter's start within this factor of bare `python3 -c pass`.
COLD_START_GOAL = 1.2

ROOT = Path(__file__).resolve().parent.parent
LINTER_ROW = "uniall_lint (generated)"
RUST_ALL_PER_MODEL = "jsonschema-rs, all errors, per-model"
JSON_LOADS = "import json, sys\nfor line in open(sys.argv[1], 'rb'):\n    json.loads(line)\n"


def _timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, int, str]:
    """Wall seconds, exit code and last output line of one run, stdout discarded unless it is short."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False, cwd=ROOT, env=env)
    wall = time.perf_counter() - start
    lines = (done.stdout[-2000:] or done.stderr[-2000:]).decode("utf-8", "replace").strip().splitlines()
    return wall, done.returncode, lines[-1] if lines else ""


def end_to_end(
    say: Callable[[str], None], python: str, requests: Sequence[tuple[str, Body]], lines: int = 50_000, runs: int = 3
) -> dict[str, Any]:
    """``python3 uniall_lint.py log.jsonl`` (text, ``--format json`` and ``jsonl``) vs ``json.loads`` of each line.

    The JSONL repeats the corpus's valid bare bodies (requests to their model's default endpoint) up
    to ``lines`` lines. Each command runs ``runs`` times, interleaved; medians of wall time, each a
    fresh process (start-up included, for ``json.loads`` too).
    """
    encoded = [json.dumps(body, ensure_ascii=False) + "\n" for _, body in requests]
    with tempfile.TemporaryDirectory(prefix="bench-e2e-") as tmp:
        log = Path(tmp) / "log.jsonl"
        log.write_text("".join(encoded[i % len(encoded)] for i in range(lines)), encoding="utf-8")
        commands = {
            "linter, text": [python, str(LINTER), str(log)],
            "linter, --format json": [python, str(LINTER), "--format", "json", str(log)],
            "linter, --format jsonl": [python, str(LINTER), "--format", "jsonl", str(log)],
            "json.loads per line": [python, "-c", JSON_LOADS, str(log)],
        }
        say(f"end to end: {lines:,} lines, {log.stat().st_size / 1e6:.1f} MB, {runs} runs per command")
        walls: dict[str, list[float]] = {name: [] for name in commands}
        exits: dict[str, int] = {}
        for _ in range(runs):
            for name, command in commands.items():
                wall, code, _ = _timed(command)
                walls[name].append(wall)
                exits[name] = code
        size = log.stat().st_size
    medians = {name: statistics.median(values) for name, values in walls.items()}
    base = medians["json.loads per line"]
    return {
        "lines": lines,
        "bytes": size,
        "runs": runs,
        "seconds": medians,
        "exit_codes": exits,
        "ratio_text": medians["linter, text"] / base,
        "ratio_json": medians["linter, --format json"] / base,
        "ratio_jsonl": medians["linter, --format jsonl"] / base,
    }


def end_to_end_split(lint: Any, requests: Sequence[tuple[str, Body]], lines: int = 10_000) -> dict[str, float]:
    """Where an end-to-end run's time per line goes, in process (microseconds per line, best of 3).

    The same JSONL lines as :func:`end_to_end`: ``json.loads`` alone; the linter's own parse
    (``_loads``: duplicate keys, out-of-range numbers); ``lint_request`` on the parsed bodies; and
    ``_Job.lines``, the whole per-block path of the command line (parse, lint, render) for the text,
    json and jsonl formats. Start-up, reading and writing are what the process times add to these.
    """
    encoded = [json.dumps(body, ensure_ascii=False) for _, body in requests]
    texts = [encoded[i % len(encoded)] for i in range(lines)]
    raw = [text.encode("utf-8") for text in texts]
    block = b"\n".join(raw) + b"\n"
    bodies = [json.loads(text) for text in texts]

    def best(run: Callable[[], object]) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        return min(times) / lines * 1e6

    def job(output_format: str) -> Callable[[], object]:
        options = {
            "format": output_format,
            "endpoint": None,
            "limit": 1 << 24,
            "colour": False,
            "ascii_only": False,
            "indent": "\n    ",
        }
        return lambda: lint._Job(options, None).lines("log.jsonl", 1, block, frozenset())

    return {
        "json.loads": best(lambda: [json.loads(line) for line in raw]),
        "linter parse (_loads)": best(lambda: [lint._loads(text) for text in texts]),
        "lint_request": best(lambda: [lint.lint_request(body) for body in bodies]),
        "parse + lint + render, text": best(job("text")),
        "parse + lint + render, json": best(job("json")),
        "parse + lint + render, jsonl": best(job("jsonl")),
    }


def generate_unchanged(say: Callable[[str], None], runs: int = 3) -> dict[str, Any]:
    """``uniall-spec generate --out COPY`` where COPY already equals the output: time and files touched.

    The first run warms the generation cache (``generator/gen_cache.py``); the timed runs follow.
    For comparison, one run with ``UNIALL_SPEC_CACHE=off`` renders everything.
    """
    exe = str(Path(sys.executable).with_name("uniall-spec"))
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
        out = Path(tmp) / "generated"
        shutil.copytree(ROOT / "generated", out, ignore=shutil.ignore_patterns("__pycache__", "build", "*.egg-info"))
        say("uniall-spec generate with nothing changed")
        _timed([exe, "generate", "--out", str(out)])
        before = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
        walls, last = [], ""
        for _ in range(runs):
            wall, code, last = _timed([exe, "generate", "--out", str(out)])
            if code != 0:
                return {"error": f"exit {code}: {last}"}
            walls.append(wall)
        after = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
        touched = sum(1 for p in set(before) | set(after) if before.get(p) != after.get(p))
        uncached, code, _ = _timed([exe, "generate", "--out", str(out)], {**os.environ, "UNIALL_SPEC_CACHE": "off"})
    return {
        "seconds": statistics.median(walls),
        "runs": runs,
        "files": len(after),
        "touched": touched,
        "output": last,
        "uncached_seconds": uncached,
    }


def _ratio(rows: dict[str, Any], kind: str) -> float | None:
    if LINTER_ROW not in rows or RUST_ALL_PER_MODEL not in rows:
        return None
    return float(rows[LINTER_ROW][kind]["median"] / rows[RUST_ALL_PER_MODEL][kind]["median"])


def table(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The goal rows with this run's figures: (figure, measured, goal, met)."""
    rows = {r["name"]: r for r in results["throughput"]}
    out: list[dict[str, Any]] = []

    def row(figure: str, measured: str, goal: str, met: bool | None) -> None:
        out.append({"figure": figure, "measured": measured, "goal": goal, "met": met})

    for kind, goal in (("valid", 1.0), ("invalid", 0.5)):
        x = _ratio(rows, kind)
        if x is not None:
            row(
                f"per-model, {kind}, in process: linter vs jsonschema-rs (all errors)",
                f"{x:.2f}x",
                f">= {goal}x",
                x >= goal,
            )
    e2e = results.get("end_to_end")
    if e2e:
        for key, label in (("ratio_text", "text"), ("ratio_json", "json"), ("ratio_jsonl", "jsonl")):
            if key not in e2e:  # results of a run from before the jsonl row
                continue
            row(
                f"end to end, JSONL of {e2e['lines']:,} valid requests ({e2e['bytes'] / 1e6:.0f} MB): "
                f"linter time / json.loads time ({label})",
                f"{e2e[key]:.2f}x",
                "<= 2x",
                e2e[key] <= 2,
            )
    runtime = results.get("runtime")
    if runtime and "peak_rss_mb" in runtime:
        size = runtime.get("input", {}).get("bytes", 0) / 1e9
        row(
            f"peak RSS, {size:.1f} GB JSONL",
            f"{runtime['peak_rss_mb']:.0f} MB",
            "< 100 MB",
            runtime["peak_rss_mb"] < 100,
        )
    commands = results["cold_start"]["commands"]
    lint_cold = commands["python3 generated/lint/uniall_lint.py one.json"]
    bare = commands["python3 -c pass"]
    # Wall time under load swings both ways (a busy other vCPU can slow bare python's runs more);
    # CPU time is steadier. The verdict takes the worse of the two.
    wall, cpu = lint_cold["median"] / bare["median"], lint_cold["cpu"]["median"] / bare["cpu"]["median"]
    row(
        "cold start vs bare `python3 -c pass`",
        f"{wall:.2f}x wall, {cpu:.2f}x CPU",
        f"<= {COLD_START_GOAL}x",
        max(wall, cpu) <= COLD_START_GOAL,
    )
    if runtime and "jobs_2_speedup" in runtime:
        lines = runtime.get("input", {}).get("lines", 0)
        x = runtime["jobs_2_speedup"]
        row(f"`--jobs 2` vs `--jobs 1` on {lines:,} lines", f"{x:.2f}x", ">= 1.7x", x >= 1.7)
    gen = results.get("generate_unchanged")
    if gen and "seconds" in gen:
        row(
            "`make generate` with nothing changed",
            f"{gen['seconds']:.2f} s, {gen['touched']} of {gen['files']} files touched "
            f"(without the cache: {gen['uncached_seconds']:.1f} s)",
            "<= 2 s, writes only files whose content changed",
            gen["seconds"] <= 2 and gen["touched"] == 0,
        )
    return out


def markdown(results: dict[str, Any]) -> list[str]:
    rows = table(results)
    load = results["settings"]
    out = [
        "## Issue #16 goals",
        "",
        f"From this run (1-minute load average {load['load_average_at_start']:.2f} at the start, "
        f"{load['load_average_at_end']:.2f} at the end): in-process ratios are medians of interleaved "
        "rounds; end-to-end and generation figures are medians of separate processes (`bench/goals.py`).",
        "",
        "| figure | measured | goal | verdict |",
        "| --- | --- | --- | --- |",
    ]
    for r in rows:
        verdict = "met" if r["met"] else "**missed**"
        out.append(f"| {r['figure']} | {r['measured']} | {r['goal']} | {verdict} |")
    e2e = results.get("end_to_end")
    if e2e:
        seconds = ", ".join(f"{name} {value:.2f} s" for name, value in e2e["seconds"].items())
        out += ["", f"End to end, median wall time of {e2e['runs']} runs each: {seconds}."]
        if "split" in e2e:
            split = ", ".join(f"{name} {value:.1f}" for name, value in e2e["split"].items())
            out += [
                "",
                "Where the time per line goes (in process, microseconds per line, best of 3 passes over 10,000 of "
                f"the same lines; `bench/goals.py` `end_to_end_split`): {split}. The process times add start-up, "
                "reading and writing to these.",
            ]
    out += _missed(results, rows)
    out.append("")
    return out


def valid_split(lint: Any, requests: Sequence[tuple[str, Body]], rounds: int = 200) -> dict[str, float]:
    """Where ``lint_request`` spends its time on valid requests (microseconds per call, best of 3).

    Requests without any finding apart, and for them the steps of ``lint_request`` one by one:
    endpoint resolution, the pointer-free field walk, mode selection, the family's rules and the
    result with no finding; what is left of the whole call is the glue between them. Requests with a warning
    apart: their pointers and messages are built.
    """
    clean = [(e, b) for e, b in requests if not lint.lint_request(b, e).to_dict()["warnings"]]
    warned = [(e, b) for e, b in requests if lint.lint_request(b, e).to_dict()["warnings"]]
    steps = []
    for endpoint, body in clean:
        declared = lint._resolve_endpoint(endpoint)[0]
        model = body["model"]
        select, rules, shape = lint._FAMILIES[lint._MODELS[model][0]][:3]
        steps.append((endpoint, body, declared, model, select, rules, lint._quick_table(shape, declared)))

    def best(run: Callable[[], object], count: int) -> float:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            for _ in range(rounds):
                run()
            times.append(time.perf_counter() - start)
        return min(times) / rounds / max(count, 1) * 1e6

    lint_request, resolved, resolve, quick_shape = (
        lint.lint_request,
        lint._RESOLVED,
        lint._resolve_endpoint,
        lint._quick_shape,
    )
    split = {
        "clean, whole call": best(lambda: [lint_request(b, e) for e, b in clean], len(clean)),
        "with warnings, whole call": best(lambda: [lint_request(b, e) for e, b in warned], len(warned)),
        "endpoint": best(lambda: [resolved.get(s[0]) or resolve(s[0]) for s in steps], len(steps)),
        "field walk": best(lambda: [quick_shape(s[1], s[6], []) for s in steps], len(steps)),
        "mode": best(lambda: [s[4](s[1], s[2]) for s in steps], len(steps)),
        "rules": best(lambda: [s[5](s[1], s[3], s[2], s[4](s[1], s[2]), []) for s in steps], len(steps)),
        "result": best(lambda: [lint.LintResult(s[3], s[2], None, [], []) for s in steps], len(steps)),
    }
    split["rules"] -= split["mode"]  # the rules' call above selects the mode first
    split["glue"] = split["clean, whole call"] - sum(
        split[k] for k in ("endpoint", "field walk", "mode", "rules", "result")
    )
    split["clean requests"] = len(clean)
    split["requests with warnings"] = len(warned)
    return split


def _missed(results: dict[str, Any], rows: list[dict[str, Any]]) -> list[str]:
    """For each missed goal, where this run's figures put the time."""
    missed = [r["figure"] for r in rows if r["met"] is False]
    if not missed:
        return []
    out = ["", "Missed goals, where the time goes (figures of this run):", ""]
    if any(f.startswith("per-model, valid") for f in missed):
        corpus = results["corpus"]
        top = ", ".join(f"{r['function']} {r['own_share']:.0%}" for r in results["linter_profile"]["valid"][:5])
        split = results.get("valid_split")
        parts = ""
        if split:
            named = ("endpoint", "field walk", "mode", "rules", "result", "glue")
            steps = ", ".join(f"{k} {split[k]:.2f}" for k in named)
            parts = (
                f" Per call (`bench/goals.py` `valid_split`, in us): the {split['clean requests']:.0f} valid bodies "
                f"with no finding take {split['clean, whole call']:.2f} ({steps}); the "
                f"{split['requests with warnings']:.0f} with a warning take {split['with warnings, whole call']:.2f}, "
                "their warnings' pointers and messages included."
            )
        out.append(
            f"- per-model, valid: {corpus.get('valid_with_warnings', '?')} of {corpus['valid']} valid bodies carry "
            f"a warning (mostly fields the docs' own examples send that the spec does not list).{parts} Each step "
            "is Python bytecode over dicts, where jsonschema-rs runs compiled Rust after one conversion of the "
            f"body. cProfile own time on the valid corpus: {top}."
        )
    e2e = results.get("end_to_end", {})
    if any(f.startswith("end to end") for f in missed) and "split" in e2e:
        split = e2e["split"]
        rendered = ", ".join(
            f"{split[key]:.1f} us ({label})"
            for key, label in (
                ("parse + lint + render, text", "text"),
                ("parse + lint + render, json", "json"),
                ("parse + lint + render, jsonl", "jsonl"),
            )
            if key in split
        )
        parse, lint = split["linter parse (_loads)"], split["lint_request"]
        out.append(
            f"- end to end: per line, `json.loads` takes {split['json.loads']:.1f} us, the linter's own parse "
            f"{parse:.1f} us (json's C scanner, then a count of keys, strings and numbers proving no key repeated "
            f"and no number out of range), `lint_request` {lint:.1f} us; the whole path (parse, lint, render) "
            f"{rendered}: the parse alone is {parse / split['json.loads']:.1f}x `json.loads` (in process, without "
            f"reading the file), and `lint_request` is {lint / (parse + lint):.0%} of parse plus lint."
        )
    runtime = results.get("runtime")
    if runtime and any(f.startswith("`--jobs 2`") for f in missed):
        serial, parallel = runtime["runs"]["text, --jobs 1"], runtime["runs"]["text, --jobs 2"]
        out.append(
            f"- `--jobs 2`: the CPU time was {serial['cpu_seconds']:.1f} s with one process and "
            f"{parallel['cpu_seconds']:.1f} s with two workers (main process included), so parallel work costs "
            f"little extra CPU; the wall time needs a second idle vCPU, and the load average was "
            f"{parallel['load_average']:.1f} on {runtime['cpu_count']} vCPUs."
        )
    return out
