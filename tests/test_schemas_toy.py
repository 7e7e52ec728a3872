"""The JSON Schemas say what the linter says, on the toy family that uses every rule kind.

Two independent implementations of one spec (compiled Python checks, and JSON Schema run by the
``jsonschema`` library) must agree on every request, except for the rules the index lists as not
expressible in a schema. A disagreement is a bug in one of the two emitters.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from generator import model as m
from generator.emitters import json_schemas

from .support import SchemaSet, import_linter, linter_schema_verdict, load_toy


@pytest.fixture(scope="module")
def toy_spec(tmp_path_factory: pytest.TempPathFactory) -> m.Spec:
    return load_toy(tmp_path_factory.mktemp("toy_spec"))


@pytest.fixture(scope="module")
def toy_lint(toy_spec: m.Spec, tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return import_linter(toy_spec, tmp_path_factory.mktemp("lint"), "toy_lint_for_schemas")


@pytest.fixture(scope="module")
def toy_schemas(toy_spec: m.Spec) -> SchemaSet:
    return SchemaSet(toy_spec)


def test_every_emitted_schema_is_a_valid_draft_2020_12_schema(toy_schemas: SchemaSet) -> None:
    for schema in toy_schemas.all_schemas:
        Draft202012Validator.check_schema(schema)


def test_inexpressible_rules_are_listed_not_dropped(toy_spec: m.Spec) -> None:
    files = json_schemas.emit(toy_spec)
    index = files["schemas/index.json"]
    for rule_id in ("toy.refs-plus-outputs", "toy.pixels", "toy.text-equals-input", "toy.recommend-duration"):
        assert f'"rule": "{rule_id}"' in index


def test_the_endpoint_schema_dispatches_on_model(toy_schemas: SchemaSet) -> None:
    dispatch = toy_schemas.dispatchers["POST /v1/toy/generations"]
    assert dispatch.is_valid({"model": "toy-2", "prompt": "hi"})
    assert not dispatch.is_valid({"model": "toy-2", "prompt": "hi", "seed": 1})
    assert not dispatch.is_valid({"model": "toy-9", "prompt": "hi"})


_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 20),
    st.sampled_from([3.5, 5.0, 1e3]),
    st.sampled_from(["", "hi", "x" * 11, "16:9", "1:1", "https://a/b.png", "ftp://x", "image_url", "last_frame"]),
)
_items = st.fixed_dictionaries(
    {}, optional={"type": st.sampled_from(["text", "image_url", 3]), "role": st.sampled_from(["last_frame", "r"])}
)
_bodies = st.fixed_dictionaries(
    {"model": st.sampled_from(["toy-1", "toy-2"])},
    optional={
        "prompt": _values,
        "text": st.sampled_from(["hi", "x" * 11]),
        "input": st.sampled_from(["hi", "other"]),
        "image": _values,
        "images": st.lists(st.sampled_from(["a", 1]), max_size=4),
        "duration": _values,
        "ratio": _values,
        "watermark": _values,
        "n": st.integers(0, 4),
        "seed": _values,
        "size": st.fixed_dictionaries(
            {}, optional={"width": st.sampled_from([8, 1000, 1001, 2008]), "height": st.sampled_from([8, 1000, 1008])}
        ),
        "content": st.lists(_items, max_size=3),
    },
)


@settings(max_examples=400, deadline=None)
@given(body=_bodies, endpoint=st.sampled_from(["POST /v1/toy/generations", "POST /v1/toy/legacy"]))
def test_linter_and_schema_agree_on_every_request(
    toy_lint: ModuleType, toy_schemas: SchemaSet, body: dict[str, Any], endpoint: str
) -> None:
    if (endpoint, body["model"]) not in toy_schemas.validators:
        return  # toy-2 is not served on the legacy endpoint: the linter's endpoint check covers it
    assert linter_schema_verdict(toy_lint, toy_schemas, endpoint, body) == toy_schemas.valid(
        endpoint, body["model"], body
    )
