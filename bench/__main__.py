"""``python -m bench``: build the corpus and validators, time everything, write bench/results.{md,json}."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.loader import load_spec

from . import corpus as corpus_mod
from . import goals, measure, report, runtime
from . import validators as v

HERE = Path(__file__).resolve().parent
# Where a plain `make bench` writes, so it never rewrites tracked files (#13 item 10); ignored by git.
UNTRACKED = HERE / "latest"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--repeats", type=int, default=7, help="timed rounds per validator and corpus")
    parser.add_argument("--min-seconds", type=float, default=0.3, help="minimum length of one timed round")
    parser.add_argument("--cold-runs", type=int, default=25, help="runs per command for cold start (>= 20)")
    parser.add_argument("--generate-runs", type=int, default=3)
    parser.add_argument(
        "--out", type=Path, default=UNTRACKED, help="directory for results.md and results.json (default: untracked)"
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="write the committed bench/results.md and results.json (make bench BENCH_WRITE=1)",
    )
    parser.add_argument(
        "--runtime-lines", type=int, default=1_000_000, help="JSONL lines for bench/runtime.py (0: skip)"
    )
    args = parser.parse_args(argv)
    if args.write:
        args.out = HERE
    started = time.perf_counter()
    load_at_start = os.getloadavg()[0]

    def say(text: str) -> None:
        print(f"[bench {time.perf_counter() - started:6.1f}s] {text}", file=sys.stderr, flush=True)

    spec = load_spec()
    lint = v.load_linter()
    schemas = v.SchemaSet.load()
    say("building validators")
    built: list[v.Validator] = []

    def add(factory: Any, *factory_args: Any) -> Any:
        t = time.perf_counter()
        made = factory(*factory_args)
        elapsed = time.perf_counter() - t
        items = made[0] if isinstance(made, tuple) else made
        for item in items if isinstance(items, list) else [items]:
            item.build_seconds = elapsed
            built.append(item)
        return made

    add(v.linter, lint)
    add(v.jsonschema_validators, schemas)
    from jsonschema import Draft202012Validator

    reference = {key: Draft202012Validator(s) for key, s in schemas.per_model.items()}

    def schema_valid(endpoint: str, model: str, body: dict[str, Any]) -> bool:
        validator = reference.get((endpoint, model))
        return validator is not None and bool(validator.is_valid(body))

    say("building the corpus")
    corpus = corpus_mod.build(spec, lint, schema_valid)
    needed = {(r.endpoint, r.model) for r in (*corpus.valid, *corpus.invalid)}
    say(f"corpus: {len(corpus.valid)} valid, {len(corpus.invalid)} invalid requests")
    add(v.jsonschema_rs_validators, schemas)
    say("compiling fastjsonschema (draft-07 conversion)")
    _, conversion = add(v.fastjsonschema_validators, schemas, needed)
    say("generating pydantic models with datamodel-code-generator")
    add(v.pydantic_validator, schemas, needed)

    valid = [(r.endpoint, r.body) for r in corpus.valid]
    invalid = [(r.endpoint, r.body) for r in corpus.invalid]

    checks = {validator.name: validator.check for validator in built}

    pristine = json.dumps([valid, invalid], sort_keys=True)
    measured: dict[str, dict[str, tuple[measure.Spread, int, bool]]] = {}
    for kind, requests in (("valid", valid), ("invalid", invalid)):
        say(f"throughput on the {kind} corpus: {len(checks)} checks x {args.repeats} interleaved rounds")
        measured[kind] = measure.throughput(checks, requests, args.repeats, args.min_seconds)
    rows: list[dict[str, Any]] = []
    for validator in built:
        row: dict[str, Any] = {
            "name": validator.name,
            "library": validator.library,
            "reports": validator.reports,
            "notes": validator.notes,
            "build_seconds": validator.build_seconds,
        }
        for kind, requests in (("valid", valid), ("invalid", invalid)):
            spread, flagged, mutated = measured[kind][validator.name]
            row[kind] = {**spread.as_dict(), "flagged": flagged, "requests": len(requests), "mutates_input": mutated}
        rows.append(row)
    if json.dumps([valid, invalid], sort_keys=True) != pristine:
        raise RuntimeError("a validator changed the shared corpus; every later figure would time other bodies")
    say("profiling the linter")
    linter_check = built[0].check
    profiles = {
        "valid": measure.profile_calls(linter_check, valid, 3, 12),
        "invalid": measure.profile_calls(linter_check, invalid, 3, 12),
    }

    say("cold start")
    one = next(r for r in corpus.valid if r.family == "seedance" and lint.lint_request(r.body).endpoint == r.endpoint)
    python = measure.base_python()
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        request_file = Path(tmp) / "one.json"
        request_file.write_text(json.dumps(one.body, indent=2), encoding="utf-8")
        schema_file = schemas.files[(one.endpoint, one.model)]
        check_jsonschema = str(Path(sys.executable).with_name("check-jsonschema"))
        commands = {
            "python3 generated/lint/uniall_lint.py one.json": [python, str(v.LINTER), str(request_file)],
            "check-jsonschema --schemafile <per-model schema> one.json": [
                check_jsonschema,
                "--schemafile",
                str(schema_file),
                str(request_file),
            ],
            "python3 -c pass": [python, "-c", "pass"],
        }
        cold = measure.cold_start(commands, args.cold_runs)
        split = measure.cold_start_split(python, v.LINTER, request_file, 7)
    cold_info = {
        "python": python,
        "request": {"model": one.model, "endpoint": one.endpoint, "bytes": one.size},
        "schema_file": str(schema_file.relative_to(v.ROOT)),
        "commands": {name: result.as_dict() for name, result in cold.items()},
        "linter_split": split,
    }

    if json.dumps([valid, invalid], sort_keys=True) != pristine:
        raise RuntimeError("the corpus changed before the end-to-end run")
    say("end to end: JSONL of valid requests")
    bare = [(r.endpoint, r.body) for r in corpus.valid if lint.lint_request(r.body).endpoint == r.endpoint]
    end_to_end = goals.end_to_end(say, python, bare)

    say("uniall-spec generate")
    generate, generate_error = measure.generate_time(args.generate_runs)
    generate_unchanged = goals.generate_unchanged(say, args.generate_runs)

    results = report.assemble(
        corpus=corpus,
        rows=rows,
        conversion=conversion.counts,
        unavailable={"fastjsonschema": conversion.failed} if conversion.failed else {},
        cold=cold_info,
        generate=generate.as_dict() if generate else None,
        generate_error=generate_error,
        profiles=profiles,
        settings={
            "repeats": args.repeats,
            "min_seconds": args.min_seconds,
            "cold_runs": args.cold_runs,
            "load_average_at_start": load_at_start,
            "load_average_at_end": os.getloadavg()[0],
        },
        fingerprint=str(getattr(lint, "SPEC_FINGERPRINT", "")),
        elapsed=time.perf_counter() - started,
    )
    results["end_to_end"] = end_to_end
    results["end_to_end"]["split"] = goals.end_to_end_split(lint, bare)
    results["valid_split"] = goals.valid_split(lint, valid)
    results["corpus"]["valid_with_warnings"] = sum(
        1 for endpoint, body in valid if lint.lint_request(body, endpoint).warnings
    )
    results["generate_unchanged"] = generate_unchanged
    if args.runtime_lines:  # streaming and --jobs figures: bench/runtime.py
        results["runtime"] = runtime.measure(say, args.runtime_lines)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    runtime_md = runtime.markdown(results["runtime"]) if "runtime" in results else ""
    (args.out / "results.md").write_text(report.markdown(results) + runtime_md, encoding="utf-8")
    say(f"wrote {args.out / 'results.md'} and results.json")
    for target in results["targets"]:
        verdict = "n/a   " if target["met"] is None else "met   " if target["met"] else "MISSED"
        print(f"{verdict} {target['target']}: {target['measured']}")
    for row in goals.table(results):
        print(f"{'met   ' if row['met'] else 'MISSED'} #16 {row['figure']}: {row['measured']} (goal {row['goal']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
