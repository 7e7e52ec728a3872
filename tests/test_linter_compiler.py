"""The linter compiler, specified on a toy family that uses every rule kind once.

The toy spec (``tests/fixtures/toy_spec``) is independent of the real docs, so these tests pin down
what each rule kind means at run time: which requests it rejects, at which JSON pointer, and which
it lets through.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from .support import import_linter, load_toy


@pytest.fixture(scope="module")
def toy(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    spec = load_toy(tmp_path_factory.mktemp("toy_spec"))
    return import_linter(spec, tmp_path_factory.mktemp("lint"), "toy_lint")


def violations(toy: ModuleType, body: Any, endpoint: str | None = None) -> set[tuple[str, str]]:
    result = toy.lint_request(body, endpoint)
    return {(v.rule, v.pointer) for v in result.errors + result.warnings}


def rules(toy: ModuleType, body: Any, endpoint: str | None = None) -> set[str]:
    return {rule for rule, _ in violations(toy, body, endpoint)}


GOOD = {"model": "toy-1", "prompt": "hi", "duration": 5}


def test_a_request_that_follows_every_rule_is_valid_with_no_warnings(toy: ModuleType) -> None:
    result = toy.lint_request(dict(GOOD))
    assert result.valid and not result.errors and not result.warnings
    assert result.endpoint == "POST /v1/toy/generations"
    assert result.mode == "text-to-video"


@pytest.mark.parametrize(
    ("change", "rule", "pointer"),
    [
        ({"prompt": None}, "toy.prompt-required", "/prompt"),
        ({"ratio": "1:1"}, "toy.ratio", "/ratio"),
        ({"watermark": True}, "toy.watermark-bool", "/watermark"),
        ({"duration": 13}, "toy.duration", "/duration"),
        ({"duration": 3}, "toy.duration", "/duration"),
        ({"prompt": "x" * 11}, "toy.prompt-length", "/prompt"),
        ({"images": ["a", "b", "c"], "n": 0}, "toy.images-count", "/images"),
        ({"content": [{"type": "image_url", "role": "r"}] * 2}, "toy.content-images", "/content"),
        ({"content": [{"type": "text"}, {"type": "image_url"}]}, "toy.conditional-role", "/content/1/role"),
        ({"n": 2, "images": ["a", "b"]}, "toy.refs-plus-outputs", "/images"),
        ({"size": {"width": 2008, "height": 8}}, "toy.pixels", "/size"),
        ({"size": {"width": 1001, "height": 8}}, "toy.pixels", "/size"),
        ({"size": {"width": 1000, "height": 1008}}, "toy.pixels", "/size"),
        ({"input": "other"}, "toy.text-equals-input", "/input"),
    ],
)
def test_each_rule_kind_rejects_its_violation_at_the_right_pointer(
    toy: ModuleType, change: dict[str, Any], rule: str, pointer: str
) -> None:
    body = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    assert (rule, pointer) in violations(toy, body)


@pytest.mark.parametrize(
    "change",
    [
        {"ratio": "9:16"},
        {"watermark": False},
        {"duration": 12},
        {"duration": 4},
        {"prompt": "x" * 10},
        {"images": ["a", "b"]},
        {"content": [{"type": "image_url", "role": "r"}, {"type": "text"}]},
        {"size": {"width": 1000, "height": 1000}},
        {"input": "hi"},
        {"text": "hi", "prompt": None},
    ],
)
def test_values_on_the_boundary_are_accepted(toy: ModuleType, change: dict[str, Any]) -> None:
    body = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    assert toy.lint_request(body).valid, toy.lint_request(body).errors


def test_booleans_are_not_numbers_and_numbers_are_not_booleans(toy: ModuleType) -> None:
    assert "toy.watermark-bool" in rules(toy, {**GOOD, "watermark": 0})
    assert "common.wrong-type" in rules(toy, {**GOOD, "duration": True})


def test_mutually_exclusive_fields_point_at_the_second_one(toy: ModuleType) -> None:
    body = {**GOOD, "image": "https://x/a.png", "images": ["a"], "duration": 5}
    assert ("toy.image-or-images", "/images") in violations(toy, body)


def test_a_conditional_applies_only_when_its_condition_holds(toy: ModuleType) -> None:
    assert "toy.i2v-duration" not in rules(toy, {**GOOD, "duration": 6})
    assert "toy.i2v-duration" in rules(toy, {**GOOD, "duration": 6, "image": "https://x/a.png"})


def test_model_scoped_rules_apply_only_to_their_models(toy: ModuleType) -> None:
    assert "toy.no-seed-for-2" not in rules(toy, {**GOOD, "seed": 1})
    assert "toy.no-seed-for-2" in rules(toy, {**GOOD, "model": "toy-2", "seed": 1})


def test_mode_scoped_rules_follow_the_mode_the_inputs_select(toy: ModuleType) -> None:
    flf = {**GOOD, "seed": 1, "content": [{"type": "image_url", "role": "last_frame"}]}
    result = toy.lint_request(flf)
    assert result.mode == "first-last-frame"
    assert "toy.flf-only-1" in rules(toy, flf)
    assert "toy.flf-only-1" not in rules(toy, {**GOOD, "seed": 1})


def test_a_mode_the_model_does_not_offer_is_an_error_that_lists_the_models_modes(toy: ModuleType) -> None:
    body = {**GOOD, "model": "toy-2", "image": "https://x/a.png"}
    assert ("common.mode-unsupported", "") in violations(toy, body)
    [error] = [v for v in toy.lint_request(body).errors if v.rule == "common.mode-unsupported"]
    assert error.message.endswith('(got "image-to-video"; `toy-2` modes: text-to-video)')


def test_endpoint_scoped_deprecations_and_legacy_endpoints_are_warnings(toy: ModuleType) -> None:
    result = toy.lint_request({**GOOD, "ratio": "16:9"}, "POST /v1/toy/legacy")
    assert result.valid
    assert {v.rule for v in result.warnings} == {"common.legacy-endpoint", "toy.legacy-ratio"}


def test_recommended_rules_warn_and_never_fail(toy: ModuleType) -> None:
    result = toy.lint_request({"model": "toy-1", "prompt": "hi"})
    assert result.valid
    assert [v.rule for v in result.warnings] == ["toy.recommend-duration"]


def test_field_aliases_satisfy_requirements_and_are_checked_like_the_field(toy: ModuleType) -> None:
    assert toy.lint_request({"model": "toy-1", "text": "hi", "duration": 5}).valid
    assert ("toy.prompt-length", "/text") in violations(toy, {"model": "toy-1", "text": "x" * 11, "duration": 5})


def test_a_field_documented_only_for_another_endpoint_warns(toy: ModuleType) -> None:
    found = violations(toy, {**GOOD, "seed": 1}, "POST /v1/toy/legacy")
    assert ("common.unknown-field", "/seed") in found
    assert ("common.unknown-field", "/seed") not in violations(toy, {**GOOD, "seed": 1})


def test_unknown_models_and_fields_get_a_did_you_mean(toy: ModuleType) -> None:
    model = toy.lint_request({"model": "TOY-1", "prompt": "hi"})
    assert "did you mean `toy-1`" in model.errors[0].message
    field = toy.lint_request({**GOOD, "durration": 5})
    assert [v.rule for v in field.errors] == ["common.misspelt-field"] and not field.warnings
    assert field.errors[0].message.endswith("Unknown field `durration`; did you mean `duration`?")


@pytest.mark.parametrize(
    ("key", "meant"),
    [
        ("Duration", "duration"),  # case
        ("dura-tion", "duration"),  # punctuation
        ("duraton", "duration"),  # one deletion
        ("durtaion", "duration"),  # two neighbours swapped
        ("promtp", "prompt"),
        ("durratiion", "duration"),  # 8+ characters: two edits
    ],
)
def test_a_name_close_to_a_documented_field_is_a_misspelt_field_error(toy: ModuleType, key: str, meant: str) -> None:
    result = toy.lint_request({**GOOD, key: 5})
    assert [(v.rule, v.pointer) for v in result.errors] == [("common.misspelt-field", f"/{key}")], result.to_dict()
    assert result.errors[0].message.endswith(f"did you mean `{meant}`?")


@pytest.mark.parametrize("key", ["webhook", "dur", "callback_url", "durationsxyz"])
def test_a_name_not_close_to_any_documented_field_stays_an_unknown_field_warning(toy: ModuleType, key: str) -> None:
    result = toy.lint_request({**GOOD, key: 5})
    assert result.valid, result.to_dict()
    assert [(v.rule, v.pointer) for v in result.warnings] == [("common.unknown-field", f"/{key}")]


def test_the_model_can_come_from_the_path(toy: ModuleType) -> None:
    result = toy.lint_request({"prompt": "hi", "duration": 5}, "POST /v1beta/models/toy-1:toy")
    assert result.valid and result.model == "toy-1"


def test_a_model_sent_to_an_endpoint_it_does_not_accept_is_an_error(toy: ModuleType) -> None:
    found = violations(toy, {**GOOD, "model": "toy-2"}, "POST /v1/toy/legacy")
    assert found == {("common.endpoint-not-accepted", "/model")}
    [error] = toy.lint_request({**GOOD, "model": "toy-2"}, "POST /v1/toy/legacy").errors
    assert error.message.endswith('(got "POST /v1/toy/legacy"; `toy-2` endpoints: POST /v1/toy/generations)')


@pytest.mark.parametrize("body", [[], "text", 3, None, True])
def test_a_body_that_is_not_an_object_is_one_clear_error(toy: ModuleType, body: Any) -> None:
    assert violations(toy, body) == {("common.body-not-object", "")}


def test_every_violation_is_reported_not_just_the_first(toy: ModuleType) -> None:
    body = {"model": "toy-1", "prompt": "x" * 11, "duration": 99, "ratio": "1:1", "images": [1, 2, 3]}
    assert {"toy.prompt-length", "toy.duration", "toy.ratio", "toy.images-count"} <= rules(toy, body)


def test_the_compiled_output_is_plain_code_per_rule(toy: ModuleType) -> None:
    """Compiled, not interpreted: every family rule appears as its own commented block of code."""
    source = Path(toy.__file__).read_text(encoding="utf-8")
    for rule_id in ("toy.ratio", "toy.conditional-role", "toy.pixels"):
        assert f"    # {rule_id}\n" in source
