"""Helpers shared by tests: build a spec directory, compile a linter from it, check bodies against schemas."""

from __future__ import annotations

import ast
import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource

from generator import lint_compiler, media, schema_builder
from generator import model as m
from generator.loader import load_spec

ROOT = Path(__file__).resolve().parent.parent
TOY_FAMILIES = ROOT / "tests" / "fixtures" / "toy_spec" / "families"


def create_resource_classes(resources: ModuleType, models: dict[str, Any]) -> list[type]:
    """The typed client's ``Sync*``/``Async*`` classes with a ``create``, for every resource a model is on.

    ``resources``: ``uniall._resources``; ``models``: ``uniall._spec.MODELS`` (so a resource the spec
    adds is covered without naming it here).
    """
    names = sorted({route.resource for route in models.values()})
    classes = [getattr(resources, f"{side}{name.capitalize()}") for name in names for side in ("Sync", "Async")]
    return [c for c in classes if hasattr(c, "create")]


def toy_spec_dir(target: Path) -> Path:
    """A spec directory holding the real common.yaml and schema plus the toy family."""
    shutil.copytree(TOY_FAMILIES, target / "families")
    shutil.copy(ROOT / "spec" / "common.yaml", target / "common.yaml")
    shutil.copy(ROOT / "spec" / "spec.schema.json", target / "spec.schema.json")
    return target


def load_toy(target: Path) -> m.Spec:
    return load_spec(toy_spec_dir(target))


def script_code(script: Path) -> str:
    """The linter code a standalone script carries, as the script's own ``_source()`` reads it: the
    wrapper is run without its last statement, the ``exec`` of that code."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    last = tree.body.pop()
    assert isinstance(last, ast.Expr) and isinstance(last.value, ast.Call), "the script should end with exec(...)"
    assert isinstance(last.value.func, ast.Name) and last.value.func.id == "exec"
    namespace: dict[str, Any] = {"__file__": str(script), "__name__": "uniall_lint_wrapper"}
    exec(compile(tree, str(script), "exec"), namespace)
    source: str = namespace["_source"]()
    return source


def import_linter(spec: m.Spec, directory: Path, name: str) -> ModuleType:
    """Compile the spec's linter into ``directory`` and import it as module ``name``."""
    path = directory / f"{name}.py"
    path.write_text(lint_compiler.render(spec), encoding="utf-8")
    module_spec = importlib.util.spec_from_file_location(name, path)
    assert module_spec is not None and module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules[name] = module
    module_spec.loader.exec_module(module)
    return module


# The one format request schemas use, `uri`, asserted as the linter checks it (jsonschema only asserts
# `uri` with the optional rfc3987 package; the schemas state `format: uri` for every field the docs
# call a URL, and the linter reports common.not-a-url for the same values).
URI_FORMAT = FormatChecker(formats=())


@URI_FORMAT.checks("uri")
def _is_uri(value: object) -> bool:
    return not isinstance(value, str) or media.uri_match(value)


class SchemaSet:
    """The per-(endpoint, model) schemas of a spec, ready to validate bodies, plus what each leaves out."""

    def __init__(self, spec: m.Spec) -> None:
        per_model, dispatch = schema_builder.build_schemas(spec)
        resources = [(s.schema["$id"], Resource.from_contents(s.schema)) for s in per_model]
        resources += [(d["$id"], Resource.from_contents(d)) for d in dispatch.values()]
        registry: Registry[Any] = Registry().with_resources(resources)
        self.validators = {
            (s.endpoint, s.model): Draft202012Validator(s.schema, registry=registry, format_checker=URI_FORMAT)
            for s in per_model
        }
        self.dispatchers = {
            ep: Draft202012Validator(d, registry=registry, format_checker=URI_FORMAT) for ep, d in dispatch.items()
        }
        self.omitted = {(s.endpoint, s.model): {o.rule for o in s.omitted} for s in per_model}
        self.all_schemas = [s.schema for s in per_model] + list(dispatch.values())

    def valid(self, endpoint: str, model: str, body: Any) -> bool:
        return self.validators[(endpoint, model)].is_valid(body)


# Linter findings a schema does not state: warnings, names close to documented fields (schemas allow
# undocumented fields), and request-level checks about the endpoint.
NOT_SCHEMA_RULES = {
    "common.misspelt-field",
    "common.unknown-field",
    "common.legacy-endpoint",
    "common.endpoint-not-accepted",
}


def linter_schema_verdict(lint: ModuleType, schema_set: SchemaSet, endpoint: str, body: dict[str, Any]) -> bool:
    """The linter's verdict restricted to what the schema for (endpoint, model) claims to check."""
    result = lint.lint_request(body, endpoint)
    ignored = NOT_SCHEMA_RULES | schema_set.omitted[(endpoint, body["model"])]
    return not [v for v in result.errors if v.rule not in ignored]
