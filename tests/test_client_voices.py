"""The voice calls answer their documented model, over real HTTP against the mock: ``voices.list`` a
``VoiceList``, ``voices.clone`` and ``voices.design`` a ``VoiceCreated`` (the response shapes the spec gives
those endpoints), and under ``with_raw_response`` an ``APIResponse`` of each; the async client the same.
mypy sees the same types (``assert_type`` in tests/typing/usage_ok.py)."""

from __future__ import annotations

import asyncio
import sys

import pytest

from .support import ROOT

sys.path.insert(0, str(ROOT / "generated" / "python"))

import uniall
from uniall._mock import MockServer
from uniall.types.responses import VoiceCreated, VoiceList


def test_clone_and_design_return_the_documented_voice_model() -> None:
    with MockServer(speed=100) as mock, uniall.Client(api_key="sk-test", base_url=mock.base_url) as client:
        designed = client.voices.design(prompt="A warm narrator", preview_text="Hello there")
        cloned = client.voices.clone(audio_url="https://example.com/voice.mp3", text="Hello there")
        raw = client.with_raw_response.voices.design(prompt="A calm narrator", preview_text="Hi")
    assert isinstance(designed, VoiceCreated) and designed.object == "audio.voice" and designed.voice_id
    assert isinstance(cloned, VoiceCreated) and cloned.voice_id not in ("", designed.voice_id)
    assert designed.preview_audio_url and designed.preview_audio_url.startswith(mock.base_url)
    assert raw.status_code == 200 and isinstance(raw.parse(), VoiceCreated)
    assert raw.parse().voice_id not in (designed.voice_id, cloned.voice_id)


def test_a_voice_request_is_still_linted_before_anything_is_sent() -> None:
    with MockServer(speed=100) as mock, uniall.Client(api_key="sk-test", base_url=mock.base_url) as client:
        with pytest.raises(uniall.RequestInvalid, match="preview_text"):
            client.voices.design(prompt="A warm narrator", preview_text=3)  # type: ignore[arg-type]
        assert mock.requests == []


def test_the_async_voice_calls_return_the_same_model() -> None:
    async def calls(base_url: str) -> tuple[VoiceCreated, VoiceCreated]:
        async with uniall.AsyncClient(api_key="sk-test", base_url=base_url) as client:
            designed = await client.voices.design(prompt="A warm narrator", preview_text="Hello there")
            raw = await client.with_raw_response.voices.clone(audio_url="https://example.com/v.mp3", text="Hi")
            return designed, raw.parse()

    with MockServer(speed=100) as mock:
        designed, cloned = asyncio.run(calls(mock.base_url))
    assert isinstance(designed, VoiceCreated) and isinstance(cloned, VoiceCreated)
    assert designed.voice_id != cloned.voice_id


def test_the_voice_list_is_a_typed_model_sync_async_and_raw() -> None:
    async def listed_async(base_url: str) -> tuple[VoiceList, VoiceList]:
        async with uniall.AsyncClient(api_key="sk-test", base_url=base_url) as client:
            return await client.voices.list(), (await client.with_raw_response.voices.list()).parse()

    with MockServer(speed=100) as mock, uniall.Client(api_key="sk-test", base_url=mock.base_url) as client:
        listed = client.voices.list(model="minimax-speech-2.8-hd")
        raw = client.with_raw_response.voices.list()
        from_async = asyncio.run(listed_async(mock.base_url))
        sent = [entry["query"] for entry in mock.requests if entry["path"] == "/v1/audio/voices"]
    assert isinstance(listed, VoiceList) and listed.object == "audio.voice.list"
    assert all(voice.voice_id is not None for voice in listed.data)
    assert raw.status_code == 200 and isinstance(raw.parse(), VoiceList)
    assert all(isinstance(result, VoiceList) for result in from_async)
    assert sent[0] == {"model": ["minimax-speech-2.8-hd"]} and len(sent) == 4, sent
