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
