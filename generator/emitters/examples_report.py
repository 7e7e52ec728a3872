"""``generated/docs-examples-report.md``: every request example in the docs, linted against the spec.

This emitter departs from the rule that emitters read only the loaded model, in two declared ways:

- it reads the pinned docs snapshot, ``spec/sources/uniall-llms-full.txt``, because the examples
  are the docs' own; the snapshot is pinned by sha256 (``spec/sources/snapshot.lock.json``), so
  the output is still a function of the repository's inputs and byte-identical run to run;
- it compiles the linter in memory with :func:`generator.lint_compiler.render` from the same
  loaded spec instead of importing ``generated/lint/uniall_lint.py``, so it never reads another
  emitter's output and the verdicts always match the spec being generated.

The report's second part checks every response example the docs print against the spec's response
schemas (:mod:`generator.response_examples`).

The report layout lives in :func:`generator.example_lint.render_markdown`, shared with the
``uniall-spec examples --format markdown`` command so both print the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .. import model as m
from ..docs_snapshot import load_snapshot
from ..example_lint import compile_linter, lint_examples, render_markdown, scan
from ..response_examples import check as check_responses
from ..response_examples import render_markdown as render_responses
from ..response_examples import scan as scan_responses

SNAPSHOT = Path(__file__).resolve().parent.parent.parent / "spec" / "sources" / "uniall-llms-full.txt"
REPORT = "docs-examples-report.md"


def emit(spec: m.Spec) -> Mapping[str, str]:
    snapshot = load_snapshot(SNAPSHOT)
    found = scan(snapshot)
    verdicts = lint_examples(found, compile_linter(spec))
    requests = render_markdown(verdicts, found, f"spec/sources/{SNAPSHOT.name}")
    responses = render_responses(check_responses(spec, scan_responses(snapshot)))
    return {REPORT: f"{requests}\n{responses}"}
