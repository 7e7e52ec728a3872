"""Every error rule of the spec, broken alone: the linter names exactly it, and both schema validators agree.

For each error rule there is a request (derived from a valid doc example by the smallest change, or
hand-written in ``tests/fixtures/rule_cases.yaml``) that breaks that rule and nothing else. The
compiled linter must report exactly that rule at the expected JSON pointer; where the rule is
expressible in JSON Schema, the generated schema must reject the request too, under both
``jsonschema`` (Python) and ``jsonschema-rs`` (Rust), and accept the valid examples it came from.
"""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import jsonschema_rs
import pytest

from generator import model as m
from generator.doc_examples import DocExample, examples
from generator.docs_snapshot import Snapshot
from generator.loader import load_spec
from generator.schema_builder import SCHEMA_BASE_URI, slug
from generator.spec_paths import required_text

from .rule_cases import RuleCase, find_case, manual_cases, valid_bases
from .support import ROOT, SchemaSet, import_linter

ERROR_RULES = [r for r in load_spec(ROOT / "spec").rules if r.severity == "error"]


@pytest.fixture(scope="module")
def lint(spec: m.Spec, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return import_linter(spec, tmp_path_factory.mktemp("lint"), "uniall_lint_rule_cases")


@pytest.fixture(scope="module")
def doc_examples(snapshot: Snapshot) -> list[DocExample]:
    return examples(snapshot)


@pytest.fixture(scope="module")
def cases(spec: m.Spec, lint: ModuleType, doc_examples: list[DocExample]) -> dict[str, RuleCase | None]:
    manual = manual_cases()
    bases = valid_bases(spec, lint, doc_examples)
    return {
        r.id: manual.get(r.id) or find_case(r, spec, lint, bases.get(r.family, []))
        for r in spec.rules
        if r.severity == "error"
    }


@pytest.fixture(scope="module")
def schema_set(spec: m.Spec) -> SchemaSet:
    return SchemaSet(spec)


@pytest.fixture(scope="module")
def rust_validators() -> dict[str, Any]:
    """Every committed schema compiled by jsonschema-rs, keyed by ``$id``."""
    schemas = {}
    for path in sorted((ROOT / "generated" / "schemas").rglob("*.json")):
        if path.name != "index.json":
            schema = json.loads(path.read_text(encoding="utf-8"))
            schemas[schema["$id"]] = schema
    registry = jsonschema_rs.Registry(list(schemas.items()))
    return {key: jsonschema_rs.validator_for(schema, registry=registry) for key, schema in schemas.items()}


@pytest.mark.parametrize("rule", ERROR_RULES, ids=[r.id for r in ERROR_RULES])
def test_a_request_breaking_only_this_rule_is_reported_with_exactly_it(
    rule: m.Rule, cases: dict[str, RuleCase | None], lint: ModuleType
) -> None:
    case = cases[rule.id]
    assert case is not None, f"no request breaks {rule.id} alone; add one to tests/fixtures/rule_cases.yaml"
    result = lint.lint_request(case.body, case.endpoint)
    found = sorted((v.rule, v.pointer) for v in result.errors)
    assert found == sorted([(rule.id, case.pointer), *case.also]), f"{case.origin}: {case.body}"


@pytest.mark.parametrize("rule", ERROR_RULES, ids=[r.id for r in ERROR_RULES])
def test_the_schema_rejects_the_case_whenever_it_can_express_the_rule(
    rule: m.Rule, cases: dict[str, RuleCase | None], lint: ModuleType, schema_set: SchemaSet, rust_validators: Any
) -> None:
    case = cases[rule.id]
    assert case is not None
    result = lint.lint_request(case.body, case.endpoint)
    key = (result.endpoint, result.model)
    assert key in schema_set.validators, f"{key} has no body schema"
    if rule.id in schema_set.omitted[key]:
        assert rule.kind == "cross_field", f"{rule.id} is an error rule a schema should express"
        return
    assert not schema_set.valid(key[0], key[1], case.body)
    schema_id = f"{SCHEMA_BASE_URI}{slug(key[0])}/{key[1]}.json"
    assert not rust_validators[schema_id].is_valid(case.body)


def test_both_validators_accept_every_doc_example_the_linter_accepts(
    doc_examples: list[DocExample], lint: ModuleType, schema_set: SchemaSet, rust_validators: Any
) -> None:
    checked = 0
    for example in doc_examples:
        result = lint.lint_request(example.body, example.endpoint)
        key = (result.endpoint, result.model)
        if result.errors or key not in schema_set.validators:
            continue
        assert schema_set.valid(key[0], key[1], example.body), example.label
        dispatcher = rust_validators[f"https://uniall-spec.invalid/schemas/{slug(key[0])}.json"]
        assert dispatcher.is_valid(example.body), example.label
        checked += 1
    assert checked > 200  # the docs hold over 300 request examples; most are valid


def test_manual_cases_name_error_rules_of_the_spec(spec: m.Spec) -> None:
    errors = {r.id for r in spec.rules if r.severity == "error"}
    assert not [rule for rule in manual_cases() if rule not in errors]


def test_every_committed_schema_compiles_in_the_second_validator(rust_validators: Any) -> None:
    assert len(rust_validators) >= 100


def test_the_case_finder_fails_when_no_mutation_isolates_a_rule(
    spec: m.Spec, lint: ModuleType, doc_examples: list[DocExample]
) -> None:
    """A guard on the guard: with no valid base requests, no case can be found."""
    rule = next(r for r in spec.rules if r.severity == "error" and r.kind == "enum")
    assert find_case(rule, spec, lint, []) is None


TEXT_REQUIRED = [
    r
    for r in ERROR_RULES
    if r.kind == "required"
    and any(
        required_text(load_spec(ROOT / "spec").family(r.family).fields, p) and "[" not in p and "." not in p
        for p in r.fields
    )
]


@pytest.mark.parametrize("rule", TEXT_REQUIRED, ids=[r.id for r in TEXT_REQUIRED])
def test_an_empty_required_text_is_reported_like_a_missing_one(
    rule: m.Rule,
    cases: dict[str, RuleCase | None],
    lint: ModuleType,
    schema_set: SchemaSet,
    rust_validators: Any,
) -> None:
    """``{"prompt": ""}`` gives no prompt: the rule that reports it missing reports it empty (issue #10)."""
    case = cases[rule.id]
    assert case is not None
    key = case.pointer.lstrip("/")
    body = {**case.body, key: ""}
    result = lint.lint_request(body, case.endpoint)
    assert (rule.id, case.pointer) in [(v.rule, v.pointer) for v in result.errors]
    assert not schema_set.valid(result.endpoint, result.model, body)
    schema_id = f"{SCHEMA_BASE_URI}{slug(result.endpoint)}/{result.model}.json"
    assert not rust_validators[schema_id].is_valid(body)
    assert not [v for v in lint.lint_request({**case.body, key: "x"}, case.endpoint).errors if v.rule == rule.id]
