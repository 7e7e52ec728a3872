"""Every validator under test behind one call: ``check(endpoint, body) -> number of errors found``.

Each is built once, before timing. Schema validators run in one of two ways:

* ``dispatch``: the endpoint's dispatcher schema (``generated/schemas/<endpoint>.json``), which
  picks the per-model schema by ``model`` itself, like the linter does. This is the headline.
* ``per-model``: the (endpoint, model) schema looked up in a dict by the caller first.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
import types
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "generated" / "schemas"
LINTER = ROOT / "generated" / "lint" / "uniall_lint.py"
DRAFT7 = "http://json-schema.org/draft-07/schema#"

Body = dict[str, Any]
Check = Callable[[str, Body], int]


@dataclass
class Validator:
    name: str
    library: str
    reports: str
    check: Check
    notes: list[str] = field(default_factory=list)
    build_seconds: float = 0.0


@dataclass
class SchemaSet:
    """The committed schemas: dispatchers by endpoint, per-model schemas by (endpoint, model)."""

    dispatchers: dict[str, dict[str, Any]]
    per_model: dict[tuple[str, str], dict[str, Any]]
    files: dict[tuple[str, str], Path]

    @classmethod
    def load(cls) -> SchemaSet:
        index = json.loads((SCHEMAS / "index.json").read_text(encoding="utf-8"))
        dispatchers: dict[str, dict[str, Any]] = {}
        per_model: dict[tuple[str, str], dict[str, Any]] = {}
        files: dict[tuple[str, str], Path] = {}
        for endpoint, entry in index["endpoints"].items():
            dispatchers[endpoint] = json.loads((SCHEMAS / entry["schema"]).read_text(encoding="utf-8"))
            for model, model_entry in entry["models"].items():
                path = SCHEMAS / model_entry["schema"]
                files[(endpoint, model)] = path
                per_model[(endpoint, model)] = json.loads(path.read_text(encoding="utf-8"))
        return cls(dispatchers, per_model, files)

    def every_schema(self) -> list[dict[str, Any]]:
        return [*self.dispatchers.values(), *self.per_model.values()]


def load_module(path: Path, name: str) -> types.ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def load_linter() -> types.ModuleType:
    return load_module(LINTER, "uniall_lint")


# ---- the generated linter ------------------------------------------------------------------------


def linter(lint: types.ModuleType) -> Validator:
    def check(endpoint: str, body: Body) -> int:
        return len(lint.lint_request(body, endpoint).errors)

    return Validator(
        "uniall_lint (generated)",
        "uniall_lint",
        "all violations (errors and warnings, with messages)",
        check,
        ["endpoint resolution, model dispatch, unknown-field and type checks, cross-field rules included"],
    )


# ---- jsonschema (Python) --------------------------------------------------------------------------


def jsonschema_validators(schemas: SchemaSet) -> list[Validator]:
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    resources = [(s["$id"], Resource.from_contents(s)) for s in schemas.every_schema()]
    registry: Registry[Any] = Registry().with_resources(resources).crawl()
    dispatch = {ep: Draft202012Validator(s, registry=registry) for ep, s in schemas.dispatchers.items()}
    per_model = {key: Draft202012Validator(s, registry=registry) for key, s in schemas.per_model.items()}

    def first(endpoint: str, body: Body) -> int:
        return 0 if next(dispatch[endpoint].iter_errors(body), None) is None else 1

    def every(endpoint: str, body: Body) -> int:
        return len(list(dispatch[endpoint].iter_errors(body)))

    def first_per_model(endpoint: str, body: Body) -> int:
        return 0 if next(per_model[(endpoint, body["model"])].iter_errors(body), None) is None else 1

    note = "Draft202012Validator per dispatcher, one referencing.Registry of all schemas; formats not asserted"
    return [
        Validator("jsonschema, first error", "jsonschema", "first error (next(iter_errors))", first, [note]),
        Validator("jsonschema, all errors", "jsonschema", "all errors (list(iter_errors))", every, [note]),
        Validator(
            "jsonschema, first error, per-model",
            "jsonschema",
            "first error (next(iter_errors))",
            first_per_model,
            ["per-model Draft202012Validator picked by (endpoint, model) in a dict"],
        ),
    ]


# ---- jsonschema-rs --------------------------------------------------------------------------------


def jsonschema_rs_validators(schemas: SchemaSet) -> list[Validator]:
    import jsonschema_rs

    registry = jsonschema_rs.Registry([(s["$id"], s) for s in schemas.every_schema()])
    dispatch = {ep: jsonschema_rs.validator_for(s, registry=registry) for ep, s in schemas.dispatchers.items()}
    per_model = {key: jsonschema_rs.validator_for(s, registry=registry) for key, s in schemas.per_model.items()}

    def first(endpoint: str, body: Body) -> int:
        try:
            dispatch[endpoint].validate(body)
        except jsonschema_rs.ValidationError:
            return 1
        return 0

    def every(endpoint: str, body: Body) -> int:
        return len(list(dispatch[endpoint].iter_errors(body)))

    def first_per_model(endpoint: str, body: Body) -> int:
        try:
            per_model[(endpoint, body["model"])].validate(body)
        except jsonschema_rs.ValidationError:
            return 1
        return 0

    def every_per_model(endpoint: str, body: Body) -> int:
        return len(list(per_model[(endpoint, body["model"])].iter_errors(body)))

    note = "validator_for(dispatcher, registry=jsonschema_rs.Registry(all schemas)); formats not asserted (2020-12)"
    return [
        Validator("jsonschema-rs, first error", "jsonschema-rs", "first error (validate raises)", first, [note]),
        Validator("jsonschema-rs, all errors", "jsonschema-rs", "all errors (list(iter_errors))", every, [note]),
        Validator(
            "jsonschema-rs, first error, per-model",
            "jsonschema-rs",
            "first error (validate raises)",
            first_per_model,
            ["per-model validator picked by (endpoint, model) in a dict"],
        ),
        Validator(
            "jsonschema-rs, all errors, per-model",
            "jsonschema-rs",
            "all errors (list(iter_errors))",
            every_per_model,
            ["per-model validator picked by (endpoint, model) in a dict; issue #16's reference"],
        ),
    ]


# ---- fastjsonschema (draft 4/6/7 only) ---------------------------------------------------------------


@dataclass
class Draft7Conversion:
    """What turning the 2020-12 schemas into draft-07 changed, for the report; and the schemas
    fastjsonschema could not compile (``failed``: schema -> error), which leave its rows out."""

    counts: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)

    def note(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1


def to_draft7(node: Any, log: Draft7Conversion) -> Any:
    """A 2020-12 schema fragment as draft-07: what draft-07 cannot say is dropped and counted."""
    if isinstance(node, list):
        return [to_draft7(x, log) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in ("$schema", "$id", "minContains", "maxContains"):
            continue
        if key == "prefixItems":
            out["items"] = to_draft7(value, log)
            if "items" in node:
                out["additionalItems"] = to_draft7(node["items"], log)
            log.note("prefixItems -> items (array form)")
        elif key == "items" and "prefixItems" in node:
            continue
        elif key == "contains":
            low, high = node.get("minContains", 1), node.get("maxContains")
            if high is not None:
                log.note("contains with maxContains dropped (at most N matching items not expressible in draft-07)")
            elif low == 0:
                log.note("contains with minContains 0 dropped (always true)")
            else:
                if low != 1:
                    log.note("minContains > 1 relaxed to contains")
                out["contains"] = to_draft7(value, log)
        elif key == "$defs":
            out["definitions"] = {k: to_draft7(v, log) for k, v in value.items()}
        elif key == "dependentRequired":
            out["dependencies"] = value
        elif key in ("properties", "patternProperties"):
            out[key] = {k: to_draft7(v, log) for k, v in value.items()}
        else:
            out[key] = to_draft7(value, log)
    return out


def inline_dispatcher(dispatcher: dict[str, Any], schemas: SchemaSet, endpoint: str) -> dict[str, Any]:
    """The dispatcher with each per-model ``$ref`` replaced by that schema itself.

    Branches under ``allOf``/``oneOf``/``anyOf`` are either a bare ``{"$ref": per-model file}`` (the per-model
    schema pins ``model`` itself) or ``if model const / then $ref``.
    """
    inlined = copy.deepcopy(dispatcher)
    by_file = {path.relative_to(SCHEMAS).as_posix(): key for key, path in schemas.files.items()}
    for keyword in ("allOf", "oneOf", "anyOf"):
        branches = inlined.get(keyword, [])
        for i, branch in enumerate(branches):
            if set(branch) == {"$ref"}:
                branches[i] = copy.deepcopy(schemas.per_model[by_file[branch["$ref"]]])
            elif "if" in branch:
                model = branch["if"]["properties"]["model"]["const"]
                branch["then"] = schemas.per_model[(endpoint, model)]
    return inlined


def fastjsonschema_validators(
    schemas: SchemaSet, needed: set[tuple[str, str]]
) -> tuple[list[Validator], Draft7Conversion]:
    import fastjsonschema

    log = Draft7Conversion()
    first_fns: dict[str, Callable[[Any], Any]] = {}
    all_fns: dict[str, Callable[[Any], Any]] = {}
    per_model: dict[tuple[str, str], Callable[[Any], Any]] = {}
    # fastjsonschema writes one nested Python block per schema level; deep schemas exceed CPython's
    # limit of 20 nested blocks and its generated code does not compile.
    for endpoint, dispatcher in schemas.dispatchers.items():
        draft7 = {"$schema": DRAFT7, **to_draft7(inline_dispatcher(dispatcher, schemas, endpoint), log)}
        try:
            first_fns[endpoint] = fastjsonschema.compile(draft7, use_formats=False)
            all_fns[endpoint] = fastjsonschema.compile(copy.deepcopy(draft7), use_formats=False, fast_fail=False)
        except SyntaxError as exc:
            log.failed[f"dispatcher {endpoint}"] = str(exc.msg)
    for key in sorted(needed):
        try:
            per_model[key] = fastjsonschema.compile(
                {"$schema": DRAFT7, **to_draft7(schemas.per_model[key], Draft7Conversion())}, use_formats=False
            )
        except SyntaxError as exc:
            log.failed[f"{key[0]} {key[1]}"] = str(exc.msg)
    if log.failed:
        return [], log
    error = fastjsonschema.JsonSchemaException

    def first(endpoint: str, body: Body) -> int:
        try:
            first_fns[endpoint](body)
        except error:
            return 1
        return 0

    def every(endpoint: str, body: Body) -> int:
        try:
            all_fns[endpoint](body)
        except fastjsonschema.JsonSchemaValuesException as exc:
            return len(exc.errors)
        except error:
            return 1
        return 0

    def first_per_model(endpoint: str, body: Body) -> int:
        try:
            per_model[(endpoint, body["model"])](body)
        except error:
            return 1
        return 0

    note = (
        "schemas converted to draft-07 in the benchmark: $schema draft-07, $id dropped, per-model schemas inlined "
        "into the dispatcher (no $ref), prefixItems -> items, minContains/maxContains handled as listed; "
        "use_formats=False like the other validators"
    )
    return [
        Validator("fastjsonschema, first error", "fastjsonschema", "first error (default fast_fail)", first, [note]),
        Validator("fastjsonschema, all errors", "fastjsonschema", "all errors (fast_fail=False)", every, [note]),
        Validator(
            "fastjsonschema, first error, per-model",
            "fastjsonschema",
            "first error (default fast_fail)",
            first_per_model,
            ["per-model compiled function picked by (endpoint, model) in a dict"],
        ),
    ], log


# ---- pydantic -----------------------------------------------------------------------------------------


def pydantic_validator(schemas: SchemaSet, needed: set[tuple[str, str]]) -> Validator:
    """pydantic v2 models generated by datamodel-code-generator from each per-model schema."""
    import datamodel_code_generator as dcg
    from datamodel_code_generator.enums import DataModelType, InputFileType
    from pydantic import BaseModel, ValidationError

    models: dict[tuple[str, str], type[BaseModel]] = {}
    for number, key in enumerate(sorted(needed)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = dcg.generate(
                json.dumps(schemas.per_model[key]),
                input_file_type=InputFileType.JsonSchema,
                output_model_type=DataModelType.PydanticV2BaseModel,
                class_name="Request",
                field_constraints=True,
                disable_timestamp=True,
                formatters=[],
            )
        assert isinstance(code, str)
        name = f"bench_pydantic_model_{number}"
        module = types.ModuleType(name)
        sys.modules[name] = module
        exec(compile(code, name, "exec"), module.__dict__)
        request: type[BaseModel] = module.__dict__["Request"]
        request.model_rebuild()
        models[key] = request

    def check(endpoint: str, body: Body) -> int:
        try:
            models[(endpoint, body["model"])].model_validate(body)
        except ValidationError as exc:
            return exc.error_count()
        return 0

    return Validator(
        "pydantic (datamodel-code-generator models)",
        "pydantic",
        "all errors (ValidationError collects every field error)",
        check,
        [
            "models generated from the per-model schemas with datamodel-code-generator, picked by (endpoint, model); "
            "pydantic has no if/then/allOf conditionals, so only field types, enums, consts and ranges are checked; "
            "lax mode (coercion), URLs validated by AnyUrl",
        ],
    )
