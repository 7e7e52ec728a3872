"""Validate a spec file against ``spec/spec.schema.json`` and report every violation."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any, cast

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from .yaml_source import SourceDocument, SpecFileError

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "spec" / "spec.schema.json"


@cache
def spec_validator(schema_path: Path = SCHEMA_PATH) -> Draft202012Validator:
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _pointer(path: Any) -> str:
    return "".join(f"/{str(p).replace('~', '~0').replace('/', '~1')}" for p in path)


def _deepest(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf failures, the branch error that got furthest is the useful one."""
    best = error
    while best.context:
        best = max(best.context, key=lambda e: (len(e.absolute_path), -len(e.schema_path)))
    return best


def schema_errors(document: SourceDocument) -> list[SpecFileError]:
    errors: list[SpecFileError] = []
    for error in sorted(spec_validator().iter_errors(document.data), key=lambda e: list(map(str, e.absolute_path))):
        detail = _deepest(error)
        pointer = _pointer(detail.absolute_path)
        if "propertyNames" in detail.schema_path:
            # Point at the offending key itself, and say which keys this object takes.
            allowed = (
                ", ".join(str(v) for v in cast(list[Any], detail.validator_value)) if detail.validator == "enum" else ""
            )
            pointer = f"{pointer}/{detail.instance}"
            message = f"unknown key {detail.instance!r}" + (f" (allowed here: {allowed})" if allowed else "")
        elif detail.validator == "additionalProperties":
            message = detail.message.replace("Additional properties are not allowed", "unknown key")
        else:
            message = detail.message
        errors.append(document.error(pointer, f"schema: {message}"))
    return errors


def spec_validator_builtin_ids() -> list[str]:
    """The built-in rule IDs the schema allows, which are exactly the ones the linter implements."""
    schema = cast(dict[str, Any], spec_validator().schema)
    return list(schema["$defs"]["builtin_rule"]["properties"]["id"]["enum"])
