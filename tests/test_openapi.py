"""The generated OpenAPI 3.1 document is valid and describes every documented endpoint."""

from __future__ import annotations

import json

from openapi_spec_validator import validate

from generator import model as m
from generator.endpoint_models import path_parameters

from .support import ROOT

OPENAPI = json.loads((ROOT / "generated" / "openapi.json").read_text(encoding="utf-8"))


def test_the_document_passes_openapi_spec_validator() -> None:
    validate(OPENAPI)


def test_every_spec_endpoint_is_an_operation(spec: m.Spec) -> None:
    operations = {f"{method.upper()} {path}" for path, item in OPENAPI["paths"].items() for method in item}
    assert operations == {e.id for e in spec.endpoints}


def test_every_path_parameter_of_an_endpoint_is_a_required_path_parameter_of_its_operation(spec: m.Spec) -> None:
    with_parameters = [e for e in spec.endpoints if "{" in e.path]
    assert with_parameters, "the spec has endpoints with {parameters} in their paths"
    for endpoint in with_parameters:
        operation = OPENAPI["paths"][endpoint.path][endpoint.method.lower()]
        declared = [p["name"] for p in operation["parameters"] if p["in"] == "path" and p["required"]]
        assert declared == path_parameters(endpoint) != [], endpoint.id


def test_every_create_body_dispatches_to_one_schema_per_model(spec: m.Spec) -> None:
    schemas = OPENAPI["components"]["schemas"]
    body = OPENAPI["paths"]["/v1/video/generations"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    dispatcher = schemas[body["$ref"].rsplit("/", 1)[1]]
    models = {md.id for md in spec.models if "POST /v1/video/generations" in md.endpoint_ids}
    mapping = dispatcher["discriminator"]["mapping"]
    assert dispatcher["discriminator"]["propertyName"] == "model"
    assert set(mapping) == models
    assert [branch["$ref"] for branch in dispatcher["oneOf"]] == list(mapping.values())
    for model_id, ref in mapping.items():
        target = schemas[ref.rsplit("/", 1)[1]]
        assert target["properties"]["model"]["const"] == model_id and "model" in target["required"]


def test_task_and_error_responses_come_from_the_spec(spec: m.Spec) -> None:
    query = OPENAPI["paths"]["/v1/videos/{task_id}"]["get"]["responses"]
    assert query["200"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/VideoTask"
    balance = OPENAPI["paths"]["/api/usage/balance"]["get"]["responses"]
    assert balance["200"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/Balance"
    for status in ("401", "403"):
        ref = balance[status]["content"]["application/json"]["schema"]["$ref"]
        assert ref == "#/components/schemas/error.success-false"
    assert "Token not provided" in balance["401"]["description"]
    schemas = OPENAPI["components"]["schemas"]
    assert {s.name for s in spec.response_shapes} <= set(schemas)
    assert not {"TaskResponse", "ErrorResponse"} & set(schemas), "hand-written shapes are gone"


def test_every_operation_answers_with_the_statuses_the_spec_documents(spec: m.Spec) -> None:
    for endpoint in spec.endpoints:
        responses = OPENAPI["paths"][endpoint.path][endpoint.method.lower()]["responses"]
        documented = {r.status for r in endpoint.responses} or {"default"}
        assert set(responses) == documented, endpoint.id


def test_security_schemes_and_per_operation_security_come_from_the_spec(spec: m.Spec) -> None:
    assert "security" not in OPENAPI, "no document-wide default: each operation states its own"
    schemes = OPENAPI["components"]["securitySchemes"]
    assert set(schemes) == {s.id for s in spec.security_schemes}
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    assert schemes["gemini-key-query"]["in"] == "query" and schemes["gemini-key-query"]["name"] == "key"
    for endpoint in spec.endpoints:
        operation = OPENAPI["paths"][endpoint.path][endpoint.method.lower()]
        assert [next(iter(s)) for s in operation["security"]] == [s.id for s in spec.security_of(endpoint)]
    models = OPENAPI["paths"]["/v1/models"]["get"]
    assert {next(iter(s)) for s in models["security"]} == {
        "bearer",
        "anthropic-api-key",
        "gemini-api-key",
        "gemini-key-query",
    }
    assert [p["name"] for p in models["parameters"]] == ["anthropic-version"]


def test_request_content_follows_the_documented_encodings(spec: m.Spec) -> None:
    edits = OPENAPI["paths"]["/v1/images/edits"]["post"]["requestBody"]["content"]
    assert set(edits) == {"application/json", "multipart/form-data"}
    assert edits["multipart/form-data"]["encoding"] == {"image": {"contentType": "application/octet-stream"}}
    assert "grok-imagine-image" in edits["multipart/form-data"]["x-uniall-source"]
    generations = OPENAPI["paths"]["/v1/images/generations"]["post"]["requestBody"]["content"]
    assert set(generations) == {"application/json"}
