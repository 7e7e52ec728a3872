"""Turn the measurements into ``results.json`` (everything) and ``results.md`` (tables and verdicts)."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from importlib import metadata
from typing import Any

from . import goals
from .corpus import Corpus

LINTER = "uniall_lint (generated)"
LIBRARIES = (
    "jsonschema",
    "referencing",
    "jsonschema-rs",
    "fastjsonschema",
    "pydantic",
    "pydantic-core",
    "datamodel-code-generator",
    "check-jsonschema",
)


def machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "executable": sys.executable,
    }


def versions() -> dict[str, str]:
    out = {}
    for name in LIBRARIES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def _target(target: str, measured: float, met: bool, text: str) -> dict[str, Any]:
    return {"target": target, "value": measured, "met": met, "measured": text}


def targets(rows: list[dict[str, Any]], cold: dict[str, Any]) -> list[dict[str, Any]]:
    by_name = {r["name"]: r for r in rows}
    lint = by_name[LINTER]

    def times(name: str, kind: str) -> float:
        return float(lint[kind]["median"] / by_name[name][kind]["median"])

    out = []
    for suffix, label in (("", "dispatcher schema"), (", per-model", "per-model schema")):
        x = times(f"jsonschema, first error{suffix}", "valid")
        out.append(_target(f"valid: >= 20x jsonschema ({label})", x, x >= 20, f"{x:.1f}x"))
    for suffix, label in (("", "dispatcher schema"), (", per-model", "per-model schema")):
        target = f"valid: no slower than fastjsonschema ({label})"
        if f"fastjsonschema, first error{suffix}" not in by_name:
            out.append({"target": target, "value": None, "met": None, "measured": "not measured (see Notes)"})
            continue
        x = times(f"fastjsonschema, first error{suffix}", "valid")
        out.append(_target(target, x, x >= 1, f"{x:.2f}x"))
    for suffix, label in (("", "dispatcher schema"), (", per-model", "per-model schema")):
        x = times(f"jsonschema, first error{suffix}", "invalid")
        out.append(_target(f"invalid: >= 10x jsonschema first error ({label})", x, x >= 10, f"{x:.1f}x"))
    commands = cold["commands"]
    lint_cold = commands["python3 generated/lint/uniall_lint.py one.json"]["median"]
    bare = commands["python3 -c pass"]["median"]
    cpu_ratio = (
        commands["python3 generated/lint/uniall_lint.py one.json"]["cpu"]["median"]
        / commands["python3 -c pass"]["cpu"]["median"]
    )
    checker = commands["check-jsonschema --schemafile <per-model schema> one.json"]["median"]
    out.append(
        _target(
            f"cold start within {goals.COLD_START_GOAL}x of bare python",
            lint_cold / bare,
            lint_cold <= goals.COLD_START_GOAL * bare,
            f"{lint_cold * 1e3:.0f} ms vs {bare * 1e3:.0f} ms = {lint_cold / bare:.2f}x (CPU time {cpu_ratio:.2f}x)",
        )
    )
    out.append(
        _target(
            "cold start faster than check-jsonschema",
            checker / lint_cold,
            lint_cold < checker,
            f"{lint_cold * 1e3:.0f} ms vs {checker * 1e3:.0f} ms ({checker / lint_cold:.1f}x faster)",
        )
    )
    return out


def assemble(
    *,
    corpus: Corpus,
    rows: list[dict[str, Any]],
    conversion: dict[str, int],
    unavailable: dict[str, dict[str, str]],
    cold: dict[str, Any],
    generate: dict[str, Any] | None,
    generate_error: str | None,
    profiles: dict[str, Any],
    settings: dict[str, Any],
    fingerprint: str,
    elapsed: float,
) -> dict[str, Any]:
    lint = next(r for r in rows if r["name"] == LINTER)
    for row in rows:
        row["linter_speedup"] = {
            kind: lint[kind]["median"] / row[kind]["median"] for kind in ("valid", "invalid") if row[kind]["median"]
        }
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "versions": versions(),
        "spec_fingerprint": fingerprint,
        "settings": settings,
        "corpus": {"valid": len(corpus.valid), "invalid": len(corpus.invalid), **corpus.stats},
        "throughput": rows,
        "draft07_conversion": conversion,
        "unavailable": unavailable,
        "cold_start": cold,
        "generate": generate,
        "generate_error": generate_error,
        "linter_profile": profiles,
        "targets": targets(rows, cold),
        "bench_seconds": elapsed,
    }


# ---- markdown ---------------------------------------------------------------------------------------


def _rate(cell: dict[str, Any]) -> str:
    return f"{cell['median']:,.0f} ({cell['min']:,.0f}–{cell['max']:,.0f})"


def _ms(cell: dict[str, Any]) -> str:
    return f"{cell['median'] * 1e3:.1f} ({cell['min'] * 1e3:.1f}–{cell['max'] * 1e3:.1f})"


def _table(header: list[str], body: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return lines


def markdown(results: dict[str, Any]) -> str:
    m = results["machine"]
    c = results["corpus"]
    s = results["settings"]
    out = [
        "# Benchmark: the generated linter against JSON Schema validators and pydantic",
        "",
        f"Written by `make bench` ({results['date']}, spec {results['spec_fingerprint']}, "
        f"{results['bench_seconds']:.0f} s); do not edit by hand. Raw numbers: `results.json`.",
        "",
        "## Machine",
        "",
        f"1-minute load average {s['load_average_at_start']:.2f} at the start and {s['load_average_at_end']:.2f} at "
        "the end. Other processes on this machine widen the min–max spreads below: on the 2 vCPUs here a process "
        "loses up to half its speed while the other vCPU is busy, so absolute medians moved by up to 2x between "
        "runs; the ratios, taken from interleaved rounds, are steadier.",
        "",
        *_table(
            ["CPU", "cores", "Python", "platform"],
            [
                [
                    m["cpu"],
                    f"{m['cores']} ({m['usable_cores']} usable)",
                    f"{m['implementation']} {m['python']}",
                    m["platform"],
                ]
            ],
        ),
        "",
        "Libraries: " + ", ".join(f"{k} {v}" for k, v in results["versions"].items()) + ".",
        "",
        "## Corpus",
        "",
        f"{c['valid']} valid and {c['invalid']} invalid request bodies, covering {c['models_in_corpus']} of "
        f"{c['models']} models, built deterministically by `bench/corpus.py` from the {c['doc_examples']} request "
        "examples of the pinned docs snapshot: the examples, the same bodies with the model swapped within its family, "
        "and (for models no example reaches: " + ", ".join(c["repaired_models"]) + ") a family example moved to the "
        "model and repaired rule by rule. Invalid bodies are the smallest mutations that break one error rule "
        f"(the rule-case mutations of `tests/rule_cases.py`); {c['invalid_with_several_errors']} of them break more "
        "than one rule. Each model contributes up to 6 of each, so families weigh by their number of models. Only "
        "bodies on which the linter and the JSON Schema agree are kept; rules a schema cannot state ("
        + ", ".join(c["rules_only_the_linter_rejects"])
        + ") give no invalid body. Mean body size: "
        f"{c['mean_body_bytes']['valid']} bytes valid, {c['mean_body_bytes']['invalid']} bytes invalid.",
        "",
        *_table(
            ["family", "models", "valid", "invalid"],
            [[f, str(n["models"]), str(n["valid"]), str(n["invalid"])] for f, n in c["by_family"].items()],
        ),
        "",
        "## Throughput",
        "",
        f"Requests per second, single thread, in-process, validator built beforehand: median (min–max) of "
        f"{s['repeats']} rounds of at least {s['min_seconds']} s each, after a warm-up pass. `linter ×` is the "
        "linter's median divided by the row's (above 1: the linter is faster). `flagged` counts the requests the "
        "validator rejected. Dispatcher rows hand the validator only the endpoint's schema, which dispatches on "
        "`model` itself as the linter does; `per-model` rows pick the (endpoint, model) schema in Python first. "
        "Each row times its own deep copy of the corpus, so a validator that writes into the bodies it checks "
        "(marked below) cannot change what the other rows time.",
        "",
        "What one timed call is, per row: the linter row calls `len(uniall_lint.lint_request(body, endpoint).errors)` "
        "on the module imported from `generated/lint/uniall_lint.py`: the endpoint string resolved, the model looked "
        "up, the family's checks run, and a `LintResult` with every error and warning (pointer, message, doc "
        f"source) built. {c.get('valid_with_warnings', '?')} of the {c['valid']} valid bodies carry at least one "
        "warning (mostly fields the docs' own examples send that the spec does not list): their warnings are "
        "built with pointers and messages, and everything else about them, like the bodies with no finding, "
        "without building a pointer. No JSON parsing in any row: "
        "every validator gets the same parsed dict.",
        "",
    ]
    body = []
    for r in results["throughput"]:
        speed = r["linter_speedup"]
        body.append(
            [
                r["name"],
                r["reports"],
                _rate(r["valid"]),
                f"{speed['valid']:.2f}",
                _rate(r["invalid"]),
                f"{speed['invalid']:.2f}",
                f"{r['invalid']['flagged']}/{r['invalid']['requests']}",
            ]
        )
    out += _table(
        ["validator", "reports", "valid req/s", "linter ×", "invalid req/s", "linter ×", "flagged invalid"], body
    )
    out += ["", "Notes per validator:", ""]
    seen: set[str] = set()
    for r in results["throughput"]:
        if r["valid"].get("mutates_input") or r["invalid"].get("mutates_input"):
            out.append(
                f"- {r['name']}: changed the bodies it was given (fastjsonschema writes schema `default`s into "
                "them); timed on its own copy."
            )
        for note in r["notes"]:
            if note not in seen:
                seen.add(note)
                out.append(f"- {r['name']}: {note}.")
    for library, failed in results.get("unavailable", {}).items():
        out.append(
            f"- {library}: not measured; its generated code for {len(failed)} schema(s) does not compile ("
            + "; ".join(f"{schema}: {error}" for schema, error in sorted(failed.items()))
            + ")."
        )
    if results["draft07_conversion"] and "fastjsonschema" not in results.get("unavailable", {}):
        out.append(
            "- draft-07 conversion for fastjsonschema, counted over the dispatchers with per-model schemas inlined: "
            + "; ".join(f"{what}: {n}" for what, n in sorted(results["draft07_conversion"].items()))
            + ". Dropping maxContains loses the seedance/jisudance per-role reference limits, so fastjsonschema "
            "accepts bodies that break only those."
        )
    out += _cold_section(results)
    if "end_to_end" in results:
        out += ["", *goals.markdown(results)]
    out += _targets_section(results)
    return "\n".join(out) + "\n"


def _cold_section(results: dict[str, Any]) -> list[str]:
    cold = results["cold_start"]
    req = cold["request"]
    out = [
        "",
        "## Cold start",
        "",
        f"Wall time of one process checking one request ({req['model']} on {req['endpoint']}, {req['bytes']} bytes), "
        f"median (min–max) of {results['settings']['cold_runs']} interleaved runs after one warm-up, in ms. "
        f"`python3` is the base interpreter `{cold['python']}` (no venv: the linter needs only the standard library); "
        f"check-jsonschema gets the per-model schema `{cold['schema_file']}` (the dispatcher's relative `$ref`s would "
        "resolve against its `https://uniall-spec.invalid/` `$id`).",
        "",
        *_table(
            ["command", "wall ms", "CPU ms (user+sys)", "exit"],
            [
                [f"`{name}`", _ms(cell), _ms(cell["cpu"]), str(cell["exit_code"])]
                for name, cell in cold["commands"].items()
            ],
        ),
        "",
    ]
    gen = results["generate"]
    if gen:
        out.append(
            f"`uniall-spec generate --out <tmpdir>` (full render, no cache): {gen['median']:.2f} s median "
            f"({gen['min']:.2f}–{gen['max']:.2f}, {gen['runs']} runs)."
        )
    else:
        out.append(f"`uniall-spec generate --out <tmpdir>` failed, not timed: {results['generate_error']}")
    return out


def _targets_section(results: dict[str, Any]) -> list[str]:
    out = [
        "",
        "## Targets",
        "",
        *_table(
            ["target", "measured", "verdict"],
            [
                [t["target"], t["measured"], "n/a" if t["met"] is None else "met" if t["met"] else "**missed**"]
                for t in results["targets"]
            ],
        ),
        "",
        "## Where the linter's time goes",
        "",
    ]
    split = results["cold_start"]["linter_split"]
    sec = split["seconds"]
    out += [
        "Cold start, one request (median of 7 runs, in-process split): reading the script "
        f"{sec['read'] * 1e3:.1f} ms, compiling it {sec['compile'] * 1e3:.1f} ms (the wrapper, and the linter's "
        "code in its comment block: CPython caches no bytecode for the script it is started with), running it "
        f"{sec['module_body'] * 1e3:.1f} ms (loading the linter's bytecode from the user cache, then its module "
        f"body), `main()` {sec['main'] * 1e3:.1f} ms (under cProfile, which slows it). Imports beyond bare "
        "python (cumulative ms): "
        + ", ".join(f"{name} {t * 1e3:.1f}" for name, t in split["imports_beyond_bare_python"])
        + ". `main()` by cumulative time: "
        + ", ".join(f"{name} {t * 1e3:.1f} ms" for name, t in split["main_cumulative_top"][:6])
        + ".",
        "",
    ]
    for kind in ("valid", "invalid"):
        rows = results["linter_profile"][kind]
        out.append(
            f"Throughput, {kind} corpus (cProfile, own time share): "
            + ", ".join(f"{r['function']} {r['own_share']:.0%} ({r['calls']} calls)" for r in rows[:8])
            + "."
        )
        out.append("")
    return out
