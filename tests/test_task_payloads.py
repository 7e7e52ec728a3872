"""``Task.from_payload`` normalises every task payload the docs print, for every family and status,
with the family's form from the spec (status words, id/progress/error/result-URL locations, the
chat-completion chunk form). Expected values are computed from the spec and the payload, not the client."""

from __future__ import annotations

import re
import sys
from typing import Any

import pytest

from generator import model as m
from generator import response_examples as rx
from generator.docs_snapshot import Snapshot

from .support import ROOT

sys.path.insert(0, str(ROOT / "generated" / "python"))

import uniall  # the generated package, from generated/python

TASK_SHAPES = {
    "VideoTask",
    "AudioTask",
    "ImageTask",
    "ImageTaskEnvelope",
    "ChatCompletionChunk",
    "ImageResult",
    "VoiceCreated",
}
_URL = re.compile(r"https?://[^\s*)\]]+")


def _family_of(spec: m.Spec, page: str) -> m.Family:
    families = {r.family for e in spec.endpoints for r in e.responses if r.source.page == page and r.shape}
    assert len(families) >= 1, page
    return spec.family(sorted(families)[0])


def _statuses(spec: m.Spec, family: m.Family) -> dict[str, str]:
    words: dict[str, str] = {}
    for task in (family.task, spec.common.task):
        for state, names in task.statuses if task else ():
            for name in names:
                words.setdefault(name.lower(), state)
    return words


def _urls_in(node: Any) -> set[str]:
    if isinstance(node, dict):
        return {u for v in node.values() for u in _urls_in(v)}
    if isinstance(node, list):
        return {u for v in node for u in _urls_in(v)}
    if isinstance(node, str):
        return set(_URL.findall(node))
    return set()


def _task_examples(spec: m.Spec, snapshot: Snapshot) -> list[tuple[rx.ResponseExample, str]]:
    verdicts = rx.check(spec, rx.scan(snapshot))
    out = []
    for v in verdicts:
        shapes = {x.schema for x in v.matches}
        if shapes & TASK_SHAPES:
            out.append((v.example, sorted(shapes & TASK_SHAPES)[0]))
    return out


def test_every_family_with_a_task_endpoint_has_documented_payloads(spec: m.Spec, snapshot: Snapshot) -> None:
    families = {_family_of(spec, e.page).id for e, _ in _task_examples(spec, snapshot)}
    expected = {f.id for f in spec.families if f.task is not None or f.id == "seedream"}
    assert expected <= families | {"nano-banana", "gpt-image-2"}, expected - families
    assert len(_task_examples(spec, snapshot)) >= 100


def test_every_documented_task_payload_normalises(spec: m.Spec, snapshot: Snapshot) -> None:
    seen_states: set[tuple[str, str]] = set()
    for example, shape in _task_examples(spec, snapshot):
        family = _family_of(spec, example.page)
        model = next(md.id for md in family.models)
        payload = example.body
        task = uniall.Task.from_payload(payload, model)
        where = f"{example.label} ({shape})"
        if shape == "ChatCompletionChunk":
            text = " ".join(c["delta"].get("content", "") for c in payload["choices"])
            urls = set(_URL.findall(text))
            assert set(task.urls) >= urls, where
            progress = re.findall(r"\((\d+)%\)", text)
            if progress:
                assert task.progress == float(progress[-1]) and task.status == "in_progress", where
            else:
                assert task.status == "completed" and task.urls, where
            assert task.id == payload["id"], where
            seen_states.add((family.id, task.status))
            continue
        inner = payload.get("data") if isinstance(payload.get("data"), dict) else payload
        words = _statuses(spec, family)
        if "status" in inner:
            assert task.status == words[inner["status"].lower()], where
        else:
            assert shape in ("ImageResult", "VoiceCreated") and task.status == "completed", where
        assert task.id == str(inner.get("task_id") or inner.get("id") or ""), where
        if task.status == "completed":
            assert task.urls, where
            assert _urls_in(payload) <= set(task.urls), (where, _urls_in(payload) - set(task.urls))
        if task.status == "failed":
            assert task.error, where
        raw = inner.get("progress")
        if isinstance(raw, (int, float)) or (isinstance(raw, str) and raw):
            assert task.progress == float(str(raw).rstrip("%")), where
        seen_states.add((family.id, task.status))
    # every state the docs print, in the families that print it
    assert {s for _, s in seen_states} == {"queued", "in_progress", "completed", "failed"}


@pytest.mark.parametrize(
    ("payload", "status", "progress", "urls"),
    [
        pytest.param(
            {
                "id": "c1",
                "object": "chat.completion.chunk",
                "choices": [{"delta": {"content": "\n🖼️ 正在处理输入内容... (37%)"}}],
            },
            "in_progress",
            37.0,
            (),
            id="sora-chunk-progress-zh",
        ),
        pytest.param(
            {
                "id": "c2",
                "object": "chat.completion.chunk",
                "choices": [{"delta": {"content": "✅ **视频生成完成!**\n\n**视频链接**: https://x.example/v.mp4\n"}}],
            },
            "completed",
            100.0,
            ("https://x.example/v.mp4",),
            id="sora-chunk-done-zh",
        ),
    ],
)
def test_the_sora_chunk_form_reads_progress_and_url_from_the_text(
    payload: dict[str, Any], status: str, progress: float, urls: tuple[str, ...]
) -> None:
    task = uniall.Task.from_payload(payload, "sora2-landscape-4s")
    assert (task.status, task.progress, task.urls) == (status, progress, urls)


def test_a_failed_task_reports_the_documented_error_message() -> None:
    payload = {"id": "t", "status": "failed", "error": {"code": "task_failed", "message": "request rejected"}}
    assert uniall.Task.from_payload(payload, "grok-imagine").error == "request rejected"


def test_error_bodies_are_read_from_the_spec_tables() -> None:
    from uniall._errors import error_message

    assert error_message({"success": False, "message": "Token not provided"}, "x") == ("Token not provided", None)
    body = {"error": {"message": "API key required.", "type": "invalid_request_error", "code": "api_key_required"}}
    assert error_message(body, "x") == ("API key required.", "api_key_required")
    assert error_message({"msg": "undocumented"}, "HTTP 500") == ("HTTP 500", None)
