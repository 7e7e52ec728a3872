"""Every response example the docs print is accepted by a response schema of its operation in
``generated/openapi.json``; empty examples are recorded in the spec as undocumented responses."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from generator import model as m
from generator import response_examples as rx
from generator.docs_snapshot import Snapshot

from .support import ROOT

OPENAPI = json.loads((ROOT / "generated" / "openapi.json").read_text(encoding="utf-8"))
REGISTRY: Registry[Any] = Registry().with_resource(
    "urn:openapi", Resource.from_contents(OPENAPI, default_specification=DRAFT202012)
)


def _operation_schemas(endpoint: m.Endpoint) -> list[tuple[str, dict[str, Any]]]:
    responses = OPENAPI["paths"][endpoint.path][endpoint.method.lower()]["responses"]
    out = []
    for status, response in responses.items():
        schema = response.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            continue
        # Each documented alternative on its own; the "any object" stand-in for an undocumented body
        # would accept every example, so it never counts.
        for option in schema.get("anyOf", [schema]):
            if "$ref" in option:
                out.append((status, _resolvable(option)))
    return out


def _resolvable(schema: dict[str, Any]) -> dict[str, Any]:
    """Point ``#/components/...`` refs at the whole document registered as ``urn:openapi``."""
    return json.loads(json.dumps(schema).replace('"#/components/', '"urn:openapi#/components/'))


@pytest.fixture(scope="module")
def examples(snapshot: Snapshot) -> list[rx.ResponseExample]:
    return rx.scan(snapshot)


def test_the_docs_print_responses_in_every_family_and_both_locales(examples: list[rx.ResponseExample]) -> None:
    assert len(examples) >= 140
    assert {e.locale for e in examples} == {"en", "zh-CN"}
    assert sum(1 for e in examples if not e.body) == 10


def test_every_response_example_validates_against_its_operation_in_openapi_json(
    spec: m.Spec, examples: list[rx.ResponseExample]
) -> None:
    failures = []
    for example in examples:
        if not example.body:
            continue
        endpoints = [e for e in spec.endpoints if any(r.source.page == example.page for r in e.responses)]
        assert endpoints, f"{example.label}: no operation of the spec cites this page"
        accepted = [
            f"{e.id} {status}"
            for e in endpoints
            for status, schema in _operation_schemas(e)
            if jsonschema.Draft202012Validator(schema, registry=REGISTRY).is_valid(example.body)
        ]
        if not accepted:
            failures.append(example.label)
    assert not failures, failures


def test_an_empty_example_is_recorded_as_undocumented(spec: m.Spec, examples: list[rx.ResponseExample]) -> None:
    for example in examples:
        if example.body:
            continue
        gaps = [r for e in spec.endpoints for r in e.responses if r.source.page == example.page and r.undocumented]
        assert gaps, example.label


def test_the_report_matches_every_example_and_attributes_error_messages(
    spec: m.Spec, examples: list[rx.ResponseExample]
) -> None:
    verdicts = rx.check(spec, examples)
    assert {v.verdict for v in verdicts} <= {"valid", "empty, recorded as undocumented"}, [
        (v.example.label, v.problems) for v in verdicts if v.verdict not in ("valid", "empty, recorded as undocumented")
    ]
    by_message = {
        v.example.body.get("message"): {(x.endpoint, x.status) for x in v.matches}
        for v in verdicts
        if v.example.page == "site-docs/balance.md" and v.example.body.get("success") is False
    }
    assert by_message["Token not provided"] == {("GET /api/usage/balance", "401")}
    assert by_message["Token invalid"] == {("GET /api/usage/balance", "403")}
    report = (ROOT / "generated" / "docs-examples-report.md").read_text(encoding="utf-8")
    assert rx.render_markdown(verdicts) in report


@pytest.mark.parametrize(
    ("shape", "body"),
    [
        pytest.param(
            "Balance",
            {
                "success": True,
                "message": "",
                "data": {
                    "object": "api_key_balance",
                    "user_id": 1,
                    "balance": {"quota_display_type": "EUR"},
                    "token": {},
                },
            },
            id="balance-display-type-outside-enum",
        ),
        pytest.param("VideoTask", {"id": "task_1"}, id="task-without-status"),
        pytest.param("ChatCompletionChunk", {"object": "chat.completion", "choices": []}, id="not-a-chunk"),
        pytest.param(
            "VoiceList",
            {"object": "audio.voice.list", "data": [{"voice_id": "v", "visibility": "shared"}]},
            id="voice-visibility-outside-enum",
        ),
        pytest.param("error.success-false", {"success": True, "message": "ok"}, id="success-true-is-not-an-error"),
        pytest.param("ImageTaskEnvelope", {"code": "success"}, id="envelope-without-data"),
    ],
)
def test_the_emitted_schemas_reject_what_the_docs_rule_out(shape: str, body: dict[str, Any]) -> None:
    schema = {"$ref": f"urn:openapi#/components/schemas/{shape}"}
    assert not jsonschema.Draft202012Validator(schema, registry=REGISTRY).is_valid(body)
