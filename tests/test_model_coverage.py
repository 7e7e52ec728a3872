"""Every model-ID-like token in the docs is a spec model or a rejected token with a reason."""

from __future__ import annotations

from fnmatch import fnmatchcase

from generator import model as m
from generator.docs_snapshot import Snapshot
from generator.model_scan import looks_like_model_id, scan


def test_every_model_id_in_the_docs_is_accounted_for(spec: m.Spec, snapshot: Snapshot) -> None:
    models = {md.id for md in spec.models}
    rejected = {n.token for n in spec.not_models}
    missing = []
    for sighting in scan(snapshot):
        token = sighting.token
        if token in models or token in rejected:
            continue
        if "*" in token and any(fnmatchcase(md, token) for md in models):
            continue  # a wildcard such as NanoBanana2-* stands for models the spec lists one by one
        missing.append(f"{token!r} ({sighting.how}) on {sighting.page} [{sighting.locale}]")
    assert not missing, "model-like tokens neither in the spec nor in not_models:\n" + "\n".join(missing)


def test_rejected_tokens_are_not_also_models(spec: m.Spec) -> None:
    models = {md.id for md in spec.models}
    assert not [n.token for n in spec.not_models if n.token in models]


def _in_docs(token: str, snapshot: Snapshot) -> bool:
    """Seen by the scanner, or written verbatim on some page (a model ID in a prose table cell)."""
    return any(token in page.flat for page in snapshot.pages)


def test_rejected_tokens_still_appear_in_the_docs(spec: m.Spec, snapshot: Snapshot) -> None:
    """A stale rejection hides nothing but clutters the list; drop it when the docs drop the token."""
    assert not [n.token for n in spec.not_models if not _in_docs(n.token, snapshot)]


def test_every_spec_model_appears_in_the_docs(spec: m.Spec, snapshot: Snapshot) -> None:
    seen = {s.token for s in scan(snapshot)}
    assert not [md.id for md in spec.models if md.id not in seen and not _in_docs(md.id, snapshot)]


def test_the_shape_test_tells_ids_from_other_tokens() -> None:
    for token in (
        "seedance2.0-720p",
        "NanoBanana2-0.5K",
        "seedream-5.0-lite",
        "sora2",
        "NanoBanana",
        "kling-v3-pro-audio",
    ):
        assert looks_like_model_id(token), token
    for token in ("auto", "16:9", "1024x1024", "data.balance.amount", "image_url", "1080p", "a.png", "v1", "720p"):
        assert not looks_like_model_id(token), token
