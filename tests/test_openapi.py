"""The generated OpenAPI 3.1 document is valid and describes every documented endpoint."""

from __future__ import annotations

import json

from openapi_spec_validator import validate

from generator import model as m

from .support import ROOT

OPENAPI = json.loads((ROOT / "generated" / "openapi.json").read_text(encoding="utf-8"))


def test_the_document_passes_openapi_spec_validator() -> None:
    validate(OPENAPI)


def test_every_spec_endpoint_is_an_operation(spec: m.Spec) -> None:
    operations = {f"{method.upper()} {path}" for path, item in OPENAPI["paths"].items() for method in item}
    assert operations == {e.id for e in spec.endpoints}


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


def test_task_and_error_responses_are_described() -> None:
    query = OPENAPI["paths"]["/v1/videos/{task_id}"]["get"]["responses"]
    assert query["200"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/TaskResponse"
    assert query["401"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ErrorResponse"
