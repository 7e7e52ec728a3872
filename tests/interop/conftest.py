"""The interop suite's tools and corpus (``make test-interop``).

The Node tools come from ``package-lock.json`` (``npm ci`` into ``node_modules``), the Python tools
from ``requirements-interop.lock`` (``.venv-interop``: schemathesis pins a jsonschema-rs older than
the one our own tests use, so the two cannot share a virtualenv). ``make test-interop`` installs both.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import model as m
from generator.doc_examples import examples
from generator.docs_snapshot import Snapshot
from generator.endpoint_models import body_names_model, model_path_parameter, serving_models
from generator.schema_builder import slug

from .. import strategies
from ..rule_cases import find_case, manual_cases, valid_bases
from ..support import NOT_SCHEMA_RULES, ROOT, import_linter

NODE_BIN = ROOT / "node_modules" / ".bin"
INTEROP_PYTHON = ROOT / ".venv-interop" / "bin" / "python"
GENERATED = ROOT / "generated"


def node_tool(name: str) -> Path:
    path = NODE_BIN / name
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make test-interop` (it runs `npm ci`)")
    return path


def interop_python() -> Path:
    if not INTEROP_PYTHON.exists():
        pytest.fail(f"{INTEROP_PYTHON} is missing: run `make test-interop` (it installs requirements-interop.lock)")
    return INTEROP_PYTHON


def run(args: list[str | Path], timeout: float = 600, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args], capture_output=True, text=True, timeout=timeout, cwd=ROOT, check=False, **kwargs
    )


@dataclass(frozen=True)
class Request:
    """One corpus request: where it goes, its body, and the linter's verdict on what schemas state."""

    origin: str
    endpoint: str
    model: str
    body: dict[str, Any]
    valid: bool  # no linter error other than the rules index.json lists as linter-only

    @property
    def model_schema(self) -> str:
        return f"{slug(self.endpoint)}/{self.model}.json"

    @property
    def dispatcher(self) -> str:
        return f"{slug(self.endpoint)}.json"


@pytest.fixture(scope="session")
def index() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GENERATED / "schemas" / "index.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def committed_lint(spec: m.Spec, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return import_linter(spec, tmp_path_factory.mktemp("interop_lint"), "uniall_lint_interop")


@pytest.fixture(scope="session")
def corpus(spec: m.Spec, snapshot: Snapshot, committed_lint: ModuleType, index: dict[str, Any]) -> list[Request]:
    """The docs' request examples, the same bodies with every other model of the family, one request
    per error rule that breaks that rule alone (mutations of the docs' bodies), and property-generated
    requests (see :func:`_property_generated`)."""
    docs = examples(snapshot)
    bases = valid_bases(spec, committed_lint, docs)
    candidates: list[tuple[str, str | None, dict[str, Any]]] = [(d.label, d.endpoint, d.body) for d in docs]
    for family_bases in bases.values():
        candidates += [(origin, endpoint, body) for endpoint, body, origin in family_bases]
    manual = manual_cases()
    for rule in spec.rules:
        if rule.severity != "error":
            continue
        case = manual.get(rule.id) or find_case(rule, spec, committed_lint, bases.get(rule.family, []))
        if case is not None:
            candidates.append((f"breaks {rule.id}", case.endpoint, case.body))
    # The docs' requests to generateContent and voice clone/design carry no `model`: the path or the
    # endpoint gives it. Each goes in once per model the path can name.
    for example in examples(snapshot, with_model=False):
        declared = next((e for e in spec.endpoints if e.id == example.endpoint), None)
        if declared is None or declared.id not in index["endpoints"] or body_names_model(spec, declared):
            continue
        parameter = model_path_parameter(declared)
        for model_id in serving_models(spec, declared):
            concrete = declared.id.replace("{" + parameter + "}", model_id) if parameter else declared.id
            candidates.append((f"{example.label} (model from the path or endpoint)", concrete, example.body))
    candidates += _property_generated(spec)
    out: list[Request] = []
    seen: set[str] = set()
    for origin, endpoint, body in candidates:
        result = committed_lint.lint_request(body, endpoint)
        entry = index["endpoints"].get(result.endpoint, {}).get("models", {}).get(result.model)
        key = json.dumps([result.endpoint, result.model, body], sort_keys=True)
        if entry is None or key in seen:
            continue  # no schema for it (unknown model, an endpoint without a body) or already in
        seen.add(key)
        linter_only = NOT_SCHEMA_RULES | {o["rule"] for o in entry["not_in_schema"]}
        valid = not [v for v in result.errors if v.rule not in linter_only]
        out.append(Request(origin, result.endpoint, result.model, body, valid))
    return out


def _property_generated(spec: m.Spec) -> list[tuple[str, str | None, dict[str, Any]]]:
    """One valid request per (endpoint, model, mode) and one mutant per error rule, drawn from the
    property tests' strategies (``tests/strategies.py``) with a fixed derandomised seed, so the corpus
    is the same on every run."""
    world = strategies.world()
    triples = sorted(world.contexts, key=lambda t: t.id)
    rules = [r.id for r in spec.rules if r.severity == "error"] + list(strategies.BUILTIN_MUTATIONS)
    drawn: list[tuple[str, str | None, dict[str, Any]]] = []

    @settings(max_examples=1, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def draw(data: st.DataObject) -> None:
        drawn.clear()
        for triple in triples:
            body = data.draw(strategies.valid_requests(triple.endpoint, triple.model, triple.mode))
            drawn.append((f"generated valid {triple.id}", triple.endpoint, body))
        for rule in rules:
            if strategies.triples_breaking(rule):
                mutant = data.draw(strategies.mutations_of(rule))
                drawn.append((f"generated mutant breaking {rule}", mutant.endpoint, mutant.body))

    draw()
    return drawn
