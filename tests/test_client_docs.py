"""What the client shows a reader besides the ``create`` overloads: the response models' docstrings and
field descriptions (as ``help()``, an IDE hover and pydantic's JSON Schema show them), and the package's
public names.

Every response model and field carries the spec's words where the spec has them and, always, the doc page
and section; nested models are named after their place in the response. Every public error is exported
from ``uniall`` itself.
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import BaseModel

from generator import model as m
from generator.emitters import client as client_emitter
from generator.loader import load_spec

from .support import ROOT, create_resource_classes, toy_spec_dir

sys.path.insert(0, str(ROOT / "generated" / "python"))

import uniall
import uniall.params
from uniall import _errors
from uniall.types import responses

RESPONSES_SOURCE = ROOT / "generated" / "python" / "uniall" / "types" / "responses.py"
DOCS = "https://docs.uniall.ai/"


def _models() -> list[type[BaseModel]]:
    """Every model of ``uniall.types.responses`` but the empty root datamodel-code-generator adds."""
    found = [
        cls
        for cls in vars(responses).values()
        if inspect.isclass(cls) and issubclass(cls, BaseModel) and cls.__module__ == responses.__name__
    ]
    return [cls for cls in found if cls is not responses.UniAllResponses]


@pytest.mark.parametrize("cls", _models(), ids=lambda cls: cls.__name__)
def test_every_response_model_and_field_names_its_doc_section(cls: type[BaseModel]) -> None:
    doc = inspect.getdoc(cls)
    assert doc and DOCS in doc and " § " in doc, f"{cls.__name__}: {doc!r}"
    assert cls.model_fields, cls.__name__
    for name, field in cls.model_fields.items():
        assert field.description and DOCS in field.description and " § " in field.description, (cls.__name__, name)


def _attribute_docstrings() -> dict[str, dict[str, str]]:
    """Class -> field -> the string literal right after its annotation: what IDEs show on hover."""
    tree = ast.parse(RESPONSES_SOURCE.read_text(encoding="utf-8"))
    out: dict[str, dict[str, str]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        docs = out.setdefault(node.name, {})
        for here, after in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(here, ast.AnnAssign)
                and isinstance(here.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                docs[here.target.id] = after.value.value
    return out


def test_attribute_docstrings_match_the_field_descriptions() -> None:
    docstrings = _attribute_docstrings()
    models = _models()
    assert len(models) > 20
    for cls in models:
        for name, field in cls.model_fields.items():
            assert docstrings[cls.__name__].get(name) == field.description, (cls.__name__, name)


def _walk(shape: m.Shape, cls: type[BaseModel], path: str) -> Iterator[tuple[str, m.Shape, type[BaseModel], str]]:
    """(path, property shape, model class that holds it, field name) for every property, nested ones too."""
    for name, child in shape.properties:
        where = f"{path}.{name}" if path else name
        yield where, child, cls, name
        nested = child.items if child.items is not None else child
        if nested.properties:
            inner = f"{where}[]" if child.items is not None else where
            target = _nested_model(cls.model_fields[name].annotation)
            assert target is not None, f"{cls.__name__}.{name} is not a model"
            yield from _walk(nested, target, inner)


def _nested_model(annotation: object) -> type[BaseModel] | None:
    if inspect.isclass(annotation) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _nested_model(arg)
        if found is not None:
            return found
    return None


def test_fields_carry_the_spec_words_and_nested_models_are_named_by_path(spec: m.Spec) -> None:
    checked = described = 0
    for shape in spec.response_shapes:
        model = getattr(responses, shape.name)
        assert inspect.getdoc(model).startswith(shape.description), shape.name
        for path, child, holder, name in _walk(shape.body, model, ""):
            description = holder.model_fields[name].description
            assert description is not None
            if child.description:
                assert description.startswith(child.description), (shape.name, path)
                described += 1
            else:
                assert description.startswith(f"`{path}` of the {shape.name} response"), (shape.name, path)
            if child.source is not None:
                assert child.source.cite() in description, (shape.name, path)
            checked += 1
    assert checked > 100 and described > 40, (checked, described)
    # Nested classes are named after their place, not numbered (``Balance1``, ``Data1``, ``Datum2``).
    assert responses.Balance.model_fields["data"].annotation is responses.BalanceData
    assert responses.BalanceData.model_fields["token"].annotation is responses.BalanceDataToken
    assert not [cls.__name__ for cls in _models() if cls.__name__[-1].isdigit()]


def test_the_balance_hover_text_reads_as_the_docs_say() -> None:
    field = responses.BalanceDataBalance.model_fields["quota_display_type"]
    assert field.description == (
        "How the balance is displayed. "
        "(source: https://docs.uniall.ai/zh-CN/balance § 5.3 `data.balance` 参数 (zh-CN only))"
    )
    token_id = responses.BalanceDataToken.model_fields["id"].description
    assert token_id == (
        "`data.token.id` of the Balance response "
        "(source: https://docs.uniall.ai/zh-CN/balance § 5.4 `data.token` 参数 (zh-CN only))"
    )
    schema = responses.Balance.model_json_schema()
    assert schema["properties"]["message"]["description"].startswith("Response message; usually empty on success.")


# ---- public names --------------------------------------------------------------------------------


def _public_errors() -> set[str]:
    """Every exception or warning class ``_errors`` defines (not imports)."""
    return {
        name
        for name, value in vars(_errors).items()
        if inspect.isclass(value)
        and issubclass(value, (Exception, Warning))
        and value.__module__ == _errors.__name__
        and not name.startswith("_")
    }


def test_every_public_error_is_exported_from_uniall() -> None:
    assert set(_errors.__all__) == _public_errors()
    missing = set(_errors.__all__) - set(uniall.__all__)
    assert not missing, f"uniall.__all__ lacks {sorted(missing)}"
    for name in _errors.__all__:
        assert getattr(uniall, name) is getattr(_errors, name), name
    assert uniall.DownloadExists is _errors.DownloadExists


def test_uniall_all_is_sorted_unique_and_every_name_resolves() -> None:
    assert uniall.__all__ == sorted(set(uniall.__all__))
    for name in uniall.__all__:
        assert getattr(uniall, name) is not None, name
    namespace: dict[str, object] = {}
    exec("from uniall import *", namespace)
    assert set(uniall.__all__) <= set(namespace)


# ---- the typed-body hint of every overload -------------------------------------------------------


def test_every_create_overload_names_the_typed_body_of_each_of_its_models() -> None:
    from uniall import _resources, _spec

    checked = 0
    classes = create_resource_classes(_resources, _spec.MODELS)
    assert len(classes) >= 6, classes  # images, videos, audio: sync and async
    for resource in classes:
        for variant in typing.get_overloads(resource.create):
            models = typing.get_args(typing.get_type_hints(variant)["model"])
            doc = " ".join((inspect.getdoc(variant) or "").split())
            named = re.findall(r"``uniall\.params\.(\w+)``", doc.split("Typed body: ", 1)[1])
            assert len(named) == len(models), (resource.__name__, models, named)
            for model, name in zip(models, named, strict=True):
                body = getattr(uniall.params, name)
                assert (
                    typing.get_type_hints(body, include_extras=True)["model"] == typing.Required[typing.Literal[model]]
                ), name
                checked += 1
    assert checked > 100


def test_a_request_typeddict_unpacks_into_its_call(tmp_path: Path) -> None:
    """Keys are keyword names: a field named like a client keyword is ``timeout_`` (sent as ``timeout``),
    and a voice call's body has no ``model`` key (``voices.clone`` takes none). mypy checks the real
    voice body in tests/typing/usage_ok.py."""
    toy = toy_spec_dir(tmp_path / "spec") / "families" / "toy.yaml"
    anchor = "  - {name: ratio, type: string, source: *src}\n"
    text = toy.read_text(encoding="utf-8")
    toy.write_text(text.replace(anchor, anchor + "  - {name: timeout, type: number, source: *src}\n"), encoding="utf-8")
    spec = load_spec(tmp_path / "spec")
    family = next(f for f in spec.families if f.id == "toy")
    model = next(md for md in family.models if md.id == "toy-1")
    types = client_emitter.ParamTypes()
    signature = client_emitter._signature(types, family, model, "POST /v1/toy/generations")
    client_emitter._request_params(types, signature)
    keys = [key for key, _, _ in types.shapes[signature.params_class].keys]
    assert keys[0] == "model" and "timeout_" in keys and "timeout" not in keys
    clone = typing.get_type_hints(uniall.params.MinimaxVoiceCloneAudioVoicesCloneParams, include_extras=True)
    assert clone["audio_url"] == typing.Required[str] and "model" not in clone
    assert "model" not in typing.get_type_hints(uniall.params.MinimaxVoiceDesignAudioVoicesDesignParams)
