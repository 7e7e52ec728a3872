"""What applies to one (model, endpoint): the rules in its scope and the endpoint a bare body goes to."""

from __future__ import annotations

from . import model as m


def default_endpoint(spec: m.Spec, model: m.Model) -> str:
    """The model's recommended create endpoint: where a bare body goes when no endpoint is given."""
    creates = [e for e in model.endpoints if spec.endpoint(e.endpoint).kind in ("create", "chat")]
    for status in ("recommended", "compatible", "legacy"):
        for e in creates:
            if e.status == status:
                return e.endpoint
    return model.endpoints[0].endpoint


def applies(rule: m.Rule, model: str, endpoint: str) -> bool:
    scope = rule.applies_to
    if scope.models and model not in scope.models:
        return False
    return not (scope.endpoints and endpoint not in scope.endpoints)


def endpoint_of_kind(spec: m.Spec, model: m.Model, kind: str) -> str | None:
    """The model's best-ranked endpoint of ``kind`` (``query``, ``content``): recommended before legacy."""
    ranked = sorted(
        (e for e in model.endpoints if spec.endpoint(e.endpoint).kind == kind),
        key=lambda e: ("recommended", "compatible", "legacy").index(e.status),
    )
    return ranked[0].endpoint if ranked else None


# Modes (IDs of common.yaml's mode catalog) whose results are audio files.
_AUDIO_MODES = frozenset({"speech", "music", "lyrics", "voice-clone", "voice-design"})


def media_kind(model: m.Model) -> str:
    """What a model's result file is (``image``, ``audio`` or ``video``), from the modes it offers."""
    if model.modes and all(mode.endswith("-image") for mode in model.modes):
        return "image"
    if model.modes and all(mode in _AUDIO_MODES for mode in model.modes):
        return "audio"
    return "video"


# Modes (IDs of common.yaml's mode catalog) whose request is a voice operation, and that operation:
# the client method it becomes (``client.voices.clone``); their result is a voice, not a media file.
_VOICE_OPERATIONS = {"voice-clone": "clone", "voice-design": "design"}
_RESOURCE_BY_MEDIA = {"image": "images", "audio": "audio", "video": "videos"}


def voice_operation(model: m.Model) -> str | None:
    """``clone`` or ``design`` for a model whose modes are a voice operation, else None."""
    return next((_VOICE_OPERATIONS[mode] for mode in model.modes if mode in _VOICE_OPERATIONS), None)


def client_resource(model: m.Model) -> str:
    """The client resource (``client.images``, ``.videos``, ``.audio``, ``.voices``) a model's create lives on.

    Both clients (Python and TypeScript) place a model by this one rule: its modes, as for its result
    file's kind (:func:`media_kind`), with voice operations on their own resource.
    """
    if voice_operation(model) is not None:
        return "voices"
    return _RESOURCE_BY_MEDIA[media_kind(model)]
