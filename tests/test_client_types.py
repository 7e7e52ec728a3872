"""How the client's parameter types are derived from the spec: exact ``Literal`` sets where the docs fix
the values (string forms included), ``TypedDict``s for nested objects and per item type, and one
overload per distinct signature."""

from __future__ import annotations

import pytest

from generator.emitters import client as emitter
from generator.model import Spec


@pytest.mark.parametrize(
    ("pattern", "strings"),
    [
        ("^(?:[4-9]|1[0-5])$", tuple(str(n) for n in range(4, 16))),
        ("^(?:5|10)$", ("5", "10")),
        ("^[0-9]+$", None),  # unbounded: no finite set
        ("^-?[1-9]$", None),  # a sign outside a class: not digits only
        ("^[a-z]{2}$", None),
    ],
)
def test_digit_patterns_give_their_exact_string_forms(pattern: str, strings: tuple[str, ...] | None) -> None:
    assert emitter._digit_strings(pattern) == strings


def _signature(spec: Spec, model_id: str) -> emitter.Signature:
    family, model = next((f, md) for f in spec.families for md in f.models if md.id == model_id)
    return emitter._signature(emitter.ParamTypes(), family, model, "POST /v1/video/generations")


def _annotation(signature: emitter.Signature, name: str) -> str:
    return next(p.annotation for p, _ in signature.params if p.name == name)


def test_fixed_durations_are_exact_for_numbers_and_strings(spec: Spec) -> None:
    # Wan r2v: 5 or 10 (the docs' table); no float, no other string.
    assert _annotation(_signature(spec, "wan2.6-r2v-720p"), "duration") == "Literal[5, 10, '5', '10']"
    seedance = _annotation(_signature(spec, "seedance2.0-720p"), "duration")
    assert seedance.startswith("Literal[4, 5,") and "'15'" in seedance and "| str" not in seedance


def test_content_items_get_one_typed_dict_per_item_type(spec: Spec) -> None:
    types = emitter.ParamTypes()
    family, model = next((f, md) for f in spec.families for md in f.models if md.id == "seedance2.0-720p")
    signature = emitter._signature(types, family, model, "POST /v1/video/generations")
    content = _annotation(signature, "content")
    assert content == (
        "Sequence[SeedanceContentTextItem | SeedanceContentImageUrlItem | SeedanceContentVideoUrlItem"
        " | SeedanceContentAudioUrlItem]"
    )
    image = dict((k, a) for k, a, _ in types.shapes["SeedanceContentImageUrlItem"].keys)
    assert image["type"] == "Literal['image_url']"
    assert image["role"] == "Literal['image', 'reference_image', 'first_frame', 'last_frame']"
    assert _annotation(signature, "extra_body") == "SeedanceExtraBody"
