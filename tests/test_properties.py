"""Property tests (issue #5): three emitted artifacts, one verdict.

Requests come from ``tests/strategies.py`` (built from the loaded spec and judged by its own rule
interpreter, the oracle). The artifacts under test are the committed ones: the compiled linter
``generated/lint/uniall_lint.py``, the JSON Schemas ``generated/schemas/**`` with ``index.json``
(validated by ``jsonschema`` and, as a second opinion, ``jsonschema-rs``), and the pydantic request
models of ``generated/python`` (issue #4) when that package exists.

1. valid requests: the linter reports no error and the right mode, both validators accept, the
   pydantic model builds;
2. mutated requests: the linter reports the tagged rule (and exactly the oracle's error rules), the
   schema rejects whenever ``index.json`` does not list the rule as left out of it, the pydantic
   model rejects whenever its own schema states the broken constraint;
3. the linter never raises on arbitrary JSON and always returns a well-formed result;
4. valid requests survive a round trip through the pydantic model unchanged;
5. generating twice (under two hash seeds) gives byte-identical files, equal to the committed tree.

Profiles (``tests/conftest.py``): ``ci`` (derandomised, ``make test``) and ``thorough``
(``make test-thorough``); ``make test-property`` runs this file alone.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import re
import subprocess
import sys
import types
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from referencing import Registry, Resource

from generator.emit import files_on_disk
from generator.endpoint_models import model_path_parameter

from . import strategies as S
from .support import NOT_SCHEMA_RULES, URI_FORMAT, script_code

ROOT = Path(__file__).resolve().parent.parent
LINT_PATH = ROOT / "generated" / "lint" / "uniall_lint.py"
SCHEMA_DIR = ROOT / "generated" / "schemas"
PYTHON_PACKAGE = ROOT / "generated" / "python"

W = S.world()
TRIPLES = sorted(W.contexts, key=lambda t: t.id)
ERROR_RULES = [r.id for r in W.spec.rules if r.severity == "error"]
TARGETS = [*ERROR_RULES, *S.BUILTIN_MUTATIONS]
# Built-in checks a body schema states: the body's type, `model` (required, const) and its modes.
SCHEMA_BUILTINS = {S.WRONG_TYPE, S.NOT_A_URL, S.UNKNOWN_MODEL, S.MODEL_MISSING, S.BODY_NOT_OBJECT, S.MODE_UNSUPPORTED}


def scaled(factor: float) -> settings:
    """The active profile's example count times ``factor``: fewer per triple (there are hundreds), many
    more for property 3, whose inputs are cheap and whose search space is the widest."""
    return settings(max_examples=max(1, int(settings.default.max_examples * factor)))


# ---- the artifacts ---------------------------------------------------------------------------------


def load_module(name: str, source: str, filename: str) -> types.ModuleType:
    module = types.ModuleType(name)
    module.__file__ = filename
    sys.modules[name] = module
    exec(compile(source, filename, "exec"), module.__dict__)
    return module


def linter_source() -> str:
    """The linter's code: the file itself, or the code a launcher file carries and execs through a
    bytecode cache keyed by its sha256, which a patched copy must not go through."""
    text = LINT_PATH.read_text(encoding="utf-8")
    return script_code(LINT_PATH) if "def _source()" in text else text


@cache
def linter() -> types.ModuleType:
    return load_module("uniall_lint_properties", linter_source(), str(LINT_PATH))


class Schemas:
    """The committed schemas: a jsonschema and a jsonschema-rs validator per (endpoint, model)."""

    def __init__(self) -> None:
        index = json.loads((SCHEMA_DIR / "index.json").read_text(encoding="utf-8"))
        documents = {}
        for path in sorted(SCHEMA_DIR.rglob("*.json")):
            if path.name != "index.json":
                schema = json.loads(path.read_text(encoding="utf-8"))
                documents[path.relative_to(SCHEMA_DIR).as_posix()] = schema
        registry: Registry[Any] = Registry().with_resources(
            (s["$id"], Resource.from_contents(s)) for s in documents.values()
        )
        rust_registry = jsonschema_rs.Registry([(s["$id"], s) for s in documents.values()])
        self.python: dict[tuple[str, str], Draft202012Validator] = {}
        self.rust: dict[tuple[str, str], Any] = {}
        self.omitted: dict[tuple[str, str], set[str]] = {}
        for endpoint, entry in index["endpoints"].items():
            for model, item in entry["models"].items():
                schema = documents[item["schema"]]
                self.python[(endpoint, model)] = Draft202012Validator(
                    schema, registry=registry, format_checker=URI_FORMAT
                )
                # jsonschema-rs asserts `uri` with its own RFC 3986 parser: an independent check of the linter's.
                self.rust[(endpoint, model)] = jsonschema_rs.validator_for(
                    schema, registry=rust_registry, validate_formats=True
                )
                self.omitted[(endpoint, model)] = {o["rule"] for o in item["not_in_schema"]}
        self.not_anywhere = set(index.get("not_in_schema_anywhere", {}))

    def verdicts(self, endpoint: str, model: str, body: Any) -> tuple[bool, bool]:
        key = (endpoint, model)
        return self.python[key].is_valid(body), self.rust[key].is_valid(body)


@cache
def schemas() -> Schemas:
    return Schemas()


# Disagreements the properties found and that were fixed in the generator; each stays as a regression
# test. The spec's patterns end in `$`, which Python's `re` let match before a trailing newline while
# ECMA-262 (JSON Schema) does not: the linter now compiles `$` as `\Z`. A required nested field whose
# parent object is absent was missing to the linter but not to the schemas: the schemas now require
# the parent too.
TRAILING_NEWLINE = ("POST /v1/video/generations", {"model": "viduq3p-720p", "prompt": "a", "duration": "5\n"})
NESTED_REQUIRED = (
    "POST /v1/video/generations",
    {"model": "seedance2.0-720p", "prompt": "a", "duration": 5, "video": "https://e.x/a.mp4"},
)


def test_a_required_field_under_an_absent_parent_is_missing_to_every_artifact() -> None:
    endpoint, body = NESTED_REQUIRED
    assert [v.rule for v in linter().lint_request(body, endpoint).errors] == ["seedance.legacy-video-needs-operation"]
    assert schemas().verdicts(endpoint, body["model"], body) == (False, False)


def test_a_trailing_newline_does_not_satisfy_a_pattern_anchored_at_the_end() -> None:
    endpoint, body = TRAILING_NEWLINE
    assert [v.rule for v in linter().lint_request(body, endpoint).errors] == ["vidu.duration-string-numeric"]
    assert schemas().verdicts(endpoint, body["model"], body) == (False, False)


class PydanticLayer:
    """The request models of ``generated/python`` (issue #4), one class per (create endpoint, model).

    A class is found by its docstring, which starts ``MODEL on ENDPOINT.`` (the schema description
    the client emitter gives datamodel-code-generator). A rule is *stated* by a class when the
    class's own JSON schema (``model_json_schema()``) rejects the mutated body; then pydantic must
    reject it too.
    """

    def __init__(self) -> None:
        from pydantic import BaseModel

        if str(PYTHON_PACKAGE) not in sys.path:
            sys.path.insert(0, str(PYTHON_PACKAGE))
        module = importlib.import_module("uniall.types")
        self.classes: dict[tuple[str, str], type[BaseModel]] = {}
        for name in dir(module):
            obj = getattr(module, name)
            if isinstance(obj, type) and issubclass(obj, BaseModel):
                found = re.match(r"\s*(\S+) on ([A-Z]+ \S+?)\.(\s|$)", obj.__doc__ or "")
                if found:
                    self.classes[(found.group(2), found.group(1))] = obj
        assert self.classes, "generated/python exists but no request model says `MODEL on ENDPOINT.` in its docstring"
        self._schemas: dict[type[BaseModel], Draft202012Validator] = {}

    def model_class(self, endpoint: str, model: str) -> Any:
        return self.classes.get((endpoint, model))

    def states(self, cls: Any, body: Any) -> bool:
        if cls not in self._schemas:
            self._schemas[cls] = Draft202012Validator(cls.model_json_schema())
        return not self._schemas[cls].is_valid(body)


@cache
def pydantic_layer() -> PydanticLayer | None:
    return PydanticLayer() if PYTHON_PACKAGE.exists() else None


# Disagreements the properties found in the pydantic models, fixed in the client emitter and kept as
# regression tests: the typing schemas kept one JSON type of a field declared with several (a string
# `image` failed where the spec takes string or object), and lax validation took `true` as an integer.
# Each entry: (endpoint, minimal body, whether pydantic must accept it).
PYDANTIC_REGRESSIONS = {
    "string-or-object": (
        "POST /v1/images/tasks",
        {"model": "grok-imagine-image", "prompt": "a", "image": "https://e.x/a.png"},
        True,
    ),
    "string-or-array": (
        "POST /v1/images/generations",
        {"model": "seedream-4.0", "prompt": "a", "image": "https://e.x/a.png"},
        True,
    ),
    "integer-or-string": (
        "POST /v1/video/generations",
        {"model": "seedance2.0-720p", "prompt": "a", "duration": "5"},
        True,
    ),
    "bool-as-integer": (
        "POST /v1/images/generations",
        {"model": "gpt-image-2", "prompt": "a", "size": "1024x768", "n": True},
        False,
    ),
}


def pydantic_builds(endpoint: str, body: dict[str, Any]) -> bool:
    layer = needs_pydantic()
    cls = layer.model_class(endpoint, body["model"])
    assert cls is not None, f"no request model for {body['model']} on {endpoint}"
    try:
        cls.model_validate(body)
    except Exception:
        return False
    return True


def build_model(cls: Any, body: dict[str, Any]) -> Any:
    return cls.model_validate(body)


def needs_pydantic() -> PydanticLayer:
    layer = pydantic_layer()
    if layer is None:
        pytest.skip("generated/python (the pydantic request models of issue #4) does not exist yet")
    return layer


# ---- the checks (plain functions: the mutation test runs them against a broken linter) ---------------


def check_valid(lint: types.ModuleType, triple: S.Triple, body: dict[str, Any]) -> None:
    result = lint.lint_request(body, triple.endpoint)
    found = [(v.rule, v.pointer) for v in result.errors]
    assert not found, f"linter rejects a valid {triple.id} request: {found}\n{body}"
    assert (result.model, result.mode) == (triple.model, triple.mode), f"linter sees {result.mode}: {body}"
    python_ok, rust_ok = schemas().verdicts(triple.endpoint, triple.model, body)
    assert python_ok, f"jsonschema rejects a valid {triple.id} request: {body}"
    assert rust_ok, f"jsonschema-rs rejects a valid {triple.id} request: {body}"
    layer = pydantic_layer()
    cls = layer.model_class(triple.endpoint, triple.model) if layer is not None else None
    if cls is not None:
        build_model(cls, body)


def check_mutant(lint: types.ModuleType, mutant: S.Mutant) -> None:
    triple = mutant.triple
    where = f"{mutant.rule} via {mutant.how} ({triple.id} sent to {mutant.endpoint}):\n{mutant.body!r:.2000}"
    result = lint.lint_request(mutant.body, mutant.endpoint)
    found = {v.rule for v in result.errors}
    assert mutant.rule in found, f"linter misses {where}\nlinter errors: {sorted(found)}"
    expected = W.oracle.check(mutant.body, mutant.endpoint).rules
    assert found == expected, f"linter and spec disagree on {where}\nlinter {sorted(found)} spec {sorted(expected)}"
    if mutant.endpoint != triple.endpoint:
        return  # about the request line: no body schema or model applies
    key = (triple.endpoint, triple.model)
    left_out = schemas().omitted[key] | schemas().not_anywhere | NOT_SCHEMA_RULES | S.ENDPOINT_RULES
    if model_path_parameter(W.spec.endpoint(triple.endpoint)) is not None:
        # The path names the model ({modeName}; index.json says so): OpenAPI's path parameter states
        # an unknown or missing model, the body schema does not (a body `model` stands in for the
        # path only when the linter is given no concrete path).
        left_out = left_out | {S.UNKNOWN_MODEL, S.MODEL_MISSING}
    stated = {r for r in expected if r not in left_out and (r in SCHEMA_BUILTINS or r in W.oracle.rules)}
    python_ok, rust_ok = schemas().verdicts(*key, mutant.body)
    if mutant.rule not in left_out:
        assert not python_ok, f"jsonschema accepts {where}"
    assert python_ok == (not stated), f"jsonschema says valid={python_ok}, spec errors it states {stated}: {where}"
    assert rust_ok == python_ok, f"jsonschema-rs says valid={rust_ok}, jsonschema {python_ok}: {where}"
    layer = pydantic_layer()
    cls = layer.model_class(*key) if layer is not None else None
    if cls is not None and layer is not None and layer.states(cls, mutant.body):
        try:
            cls.model_validate(mutant.body)
        except Exception as error:
            assert type(error).__name__ == "ValidationError", error
        else:
            raise AssertionError(f"the pydantic model accepts what its own schema rejects: {where}")


# ---- 1 and 2 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("triple", TRIPLES, ids=[t.id for t in TRIPLES])
@scaled(0.75)
@given(data=st.data())
def test_valid_requests_pass_the_linter_the_schemas_and_the_models(triple: S.Triple, data: st.DataObject) -> None:
    body = data.draw(S.valid_requests(triple.endpoint, triple.model, triple.mode), label="body")
    check_valid(linter(), triple, body)


@pytest.mark.parametrize("rule", TARGETS)
@given(data=st.data())
def test_each_mutation_is_caught_by_every_artifact_that_states_the_rule(rule: str, data: st.DataObject) -> None:
    mutant = data.draw(S.mutations_of(rule), label="mutant")
    check_mutant(linter(), mutant)


def test_every_error_rule_is_broken_by_some_mutation() -> None:
    never = [rule for rule in TARGETS if not S.triples_breaking(rule)]
    assert not never, f"no mutation of a valid request breaks these rules: {never}"


def test_every_mode_of_every_model_has_valid_requests_unless_the_rules_forbid_it() -> None:
    """Triples with no valid request must be contradictions: the mode excludes every field a rule needs."""
    unexplained = []
    for triple in W.skipped:
        md = W.spec.model(triple.model)
        family = W.spec.family(md.family)
        selectors = [
            s for s in family.modes if s.mode == triple.mode and (not s.endpoints or triple.endpoint in s.endpoints)
        ]
        absent = {
            c.field
            for s in selectors
            for c in (s.selected_by.conditions if isinstance(s.selected_by, S.m.All) else (s.selected_by,))
            if isinstance(c, S.m.Present) and not c.present
        }
        contradicted = any(
            r.kind == "at_least_one_of" and set(r.fields) <= absent and S.in_scope(r, md.id, triple.endpoint, None)
            for r in family.rules
            if r.severity == "error" and not r.applies_to.modes
        )
        if not contradicted:
            unexplained.append(triple.id)
    assert not unexplained, f"no valid request could be built for: {unexplained}"
    assert len(TRIPLES) > 300


# ---- 3 ----------------------------------------------------------------------------------------------


# Crashes property 3 found, fixed in the linter runtime, kept as regression tests: an integer past a
# double in a sum term, an integer past Python's digit limit or a value nested past the recursion
# limit shown in a message.
def _deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


CRASH_REGRESSIONS: dict[str, Any] = {
    "float-overflow": lambda: {"model": "seedream-4.0", "prompt": "a", "n": 10**400},
    "int-digits": lambda: {"model": "gpt-image-2", "prompt": "a", "size": "1024x1024", "quality": 10**5000},
    "deep-nesting": lambda: {
        "model": "gpt-image-2",
        "prompt": "a",
        "size": "1024x1024",
        "quality": _deep(2 * sys.getrecursionlimit() + 1000),
    },
}


def arbitrary_bodies() -> st.SearchStrategy[Any]:
    # Integers stay under Python's 4300-digit printing limit so Hypothesis can show a failing
    # example; the larger ones are the "int-digits" regression above.
    return st.one_of(S.json_values(10**4000, 5000), S.fuzz_bodies(10**4000, 5000))


ENDPOINTS = st.one_of(
    st.none(),
    st.sampled_from(sorted(W.oracle.endpoints)),
    st.sampled_from(
        [
            "POST /v1beta/models/gemini-3-pro-image-preview-2k:generateContent",
            "post  /v1/video/generations/",
            "GET /v1/videos/123",
            "POST /v1/audio/voices/clone",
        ]
    ),
    S.ODD_TEXT,
)


def check_well_formed(lint: types.ModuleType, body: Any, endpoint: str | None) -> None:
    result = lint.lint_request(body, endpoint)
    known = {row[0]: row[1] for row in lint._RULES}
    assert isinstance(result.errors, list) and isinstance(result.warnings, list)
    for violations, severity in ((result.errors, "error"), (result.warnings, "warning")):
        for v in violations:
            assert known.get(v.rule) == severity, v
            assert v.severity == severity, v
            assert isinstance(v.pointer, str) and (v.pointer == "" or v.pointer.startswith("/")), v
            assert isinstance(v.message, str) and v.message and isinstance(v.source, str), v
    assert result.valid == (not result.errors)
    assert result.model is None or isinstance(result.model, str)
    assert result.endpoint is None or isinstance(result.endpoint, str)
    assert result.mode is None or result.mode in {k.id for k in W.spec.mode_catalog}
    if body.__class__ is not dict:
        assert [v.rule for v in result.errors][-1:] == [S.BODY_NOT_OBJECT]
    json.dumps(result.to_dict())
    assert lint.lint_request(body, endpoint).to_dict() == result.to_dict(), "linting twice differs"


@scaled(40)
@given(body=arbitrary_bodies(), endpoint=ENDPOINTS)
def test_the_linter_never_raises_and_always_returns_a_well_formed_result(body: Any, endpoint: str | None) -> None:
    check_well_formed(linter(), body, endpoint)


@pytest.mark.parametrize("name", sorted(CRASH_REGRESSIONS))
def test_values_that_once_crashed_the_linter_get_a_well_formed_result(name: str) -> None:
    check_well_formed(linter(), CRASH_REGRESSIONS[name](), None)


# ---- 4 ----------------------------------------------------------------------------------------------


def json_same(a: Any, b: Any) -> bool:
    """Equal as JSON: numbers by value (1 == 1.0), booleans apart from numbers, keys unordered."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


PYDANTIC_TRIPLES = [t for t in TRIPLES if t.endpoint == W.default_endpoint(t.model)]


@pytest.mark.parametrize("triple", PYDANTIC_TRIPLES, ids=[t.id for t in PYDANTIC_TRIPLES])
@scaled(0.5)
@given(data=st.data())
def test_valid_requests_survive_a_round_trip_through_the_request_model(triple: S.Triple, data: st.DataObject) -> None:
    layer = needs_pydantic()
    cls = layer.model_class(triple.endpoint, triple.model)
    assert cls is not None, f"no request model for {triple.model} on {triple.endpoint}"
    body = data.draw(S.valid_requests(triple.endpoint, triple.model, triple.mode), label="body")
    built = build_model(cls, body)
    dumped = built.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert json_same(dumped, body), f"round trip changed the request:\nsent {body}\ngot  {dumped}"
    again = cls.model_validate_json(json.dumps(body)).model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert json_same(again, body), f"round trip through JSON text changed the request:\nsent {body}\ngot  {again}"


@pytest.mark.parametrize("name", sorted(PYDANTIC_REGRESSIONS))
def test_request_models_take_every_declared_type_and_no_bool_for_a_number(name: str) -> None:
    endpoint, body, accept = PYDANTIC_REGRESSIONS[name]
    assert pydantic_builds(endpoint, body) == accept


# ---- 5 ----------------------------------------------------------------------------------------------

_DIGEST = """
import hashlib, json, sys
from generator.emit import render_all
from generator.loader import load_spec
files = render_all(load_spec())
print(json.dumps({p: hashlib.sha256(t.encode()).hexdigest() for p, t in files.items()}))
"""


# No shrinking: a render that differs from the committed tree differs for every pair of seeds, and
# shrinking that deterministic failure would spend minutes re-rendering for nothing.
@settings(max_examples=1, suppress_health_check=list(HealthCheck), phases=(Phase.explicit, Phase.generate))
@given(seeds=st.tuples(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1)).filter(lambda s: s[0] != s[1]))
def test_generating_twice_gives_byte_identical_files(seeds: tuple[int, int]) -> None:
    """Two fresh interpreters with different hash seeds render the spec to the same bytes, the committed ones."""
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _DIGEST],
            cwd=ROOT,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in seeds
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    first, second = (json.loads(out) for out, _ in outputs)
    assert first == second, f"hash seeds {seeds} differ in {sorted(k for k in first if first[k] != second.get(k))}"
    committed = {
        rel: hashlib.sha256(p.read_bytes()).hexdigest() for rel, p in files_on_disk(ROOT / "generated").items()
    }
    assert first == committed, "generated/ differs from a fresh render; run `make generate`"


# ---- the test suite, tested -----------------------------------------------------------------------


def patched_linter(rule_id: str) -> types.ModuleType:
    """The committed linter with every report of ``rule_id`` replaced by ``pass``: it accepts everything."""
    source = linter_source()
    index = [row[0] for row in linter()._RULES].index(rule_id)
    lines = source.splitlines()
    # The first copy of the rule is the reporting path's (rules share scope guards, hence any indent).
    start = next(i for i, line in enumerate(lines) if line.strip() == f"# {rule_id}")
    patched = 0
    for i in range(start + 1, len(lines)):
        if re.match(r"\s*# \S", lines[i]) or lines[i].startswith("def "):
            break
        if f"out.append(({index}, " in lines[i]:
            lines[i] = lines[i][: len(lines[i]) - len(lines[i].lstrip())] + "pass"
            patched += 1
    assert patched, f"no report of {rule_id} found in the linter"
    return load_module(f"uniall_lint_without_{index}", "\n".join(lines) + "\n", f"<{LINT_PATH.name} without {rule_id}>")


def test_property_2_catches_a_linter_check_that_accepts_everything() -> None:
    rule = next(r for r in W.spec.rules if r.kind == "enum" and r.severity == "error" and not r.applies_to.modes)
    broken = patched_linter(rule.id)
    assert broken.lint_request({"model": "x"}).errors  # still a working linter otherwise

    @settings(database=None, report_multiple_bugs=False, max_examples=20, phases=[Phase.generate])
    @given(data=st.data())
    def property_2(data: st.DataObject) -> None:
        check_mutant(broken, data.draw(S.mutations_of(rule.id)))

    with pytest.raises(AssertionError, match=f"linter misses {re.escape(rule.id)}"):
        property_2()
    property_2_on_the_real_linter = given(data=st.data())(
        lambda data: check_mutant(linter(), data.draw(S.mutations_of(rule.id)))
    )
    settings(database=None, max_examples=20)(property_2_on_the_real_linter)()
