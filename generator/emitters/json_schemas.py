"""``generated/schemas/``: the request-body schemas of :mod:`generator.schema_builder`, and ``index.json``.

``index.json`` lists per schema what it leaves to the linter, so nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import model as m
from ..schema_builder import DIALECT, build_schemas, dumps, model_source, slug


def emit(spec: m.Spec) -> Mapping[str, str]:
    per_model, dispatch = build_schemas(spec)
    files: dict[str, str] = {}
    index: dict[str, Any] = {"dialect": DIALECT, "endpoints": {}}
    for endpoint_id, schema in dispatch.items():
        files[f"schemas/{slug(endpoint_id)}.json"] = dumps(schema)
        index["endpoints"][endpoint_id] = {
            "schema": f"{slug(endpoint_id)}.json",
            "model": model_source(spec, spec.endpoint(endpoint_id)),
            "models": {},
        }
    for built in per_model:
        files[f"schemas/{built.file}"] = dumps(built.schema)
        index["endpoints"][built.endpoint]["models"][built.model] = {
            "schema": built.file,
            "not_in_schema": [{"rule": o.rule, "severity": o.severity, "reason": o.reason} for o in built.omitted],
        }
    index["not_in_schema_anywhere"] = {
        "common.misspelt-field": "schemas allow fields the docs do not describe, close to a documented name or not",
        "common.unknown-field": "a warning: schemas allow fields the docs do not describe",
        "common.legacy-endpoint": "a warning about the endpoint, not the body",
    }
    files["schemas/index.json"] = dumps(index)
    return files
