"""Typed usage the client's types must accept (checked by mypy --strict in tests/test_client_typing.py)."""

from __future__ import annotations

from typing import assert_type

import uniall
from uniall.params import MinimaxVoiceCloneAudioVoicesCloneParams, Seedance20720pVideoGenerationsParams
from uniall.types.responses import VoiceCreated, VoiceList


def submit(client: uniall.Client) -> uniall.Task:
    task = client.videos.create(
        model="seedance2.0-720p", prompt="a lighthouse at dusk", duration=5, aspect_ratio="16:9"
    )
    done = client.videos.wait(task, timeout=600)
    client.videos.download(done, "out/")
    client.images.create(model="gpt-image-2", prompt="a red fox", size="1024x1024")
    client.audio.create(model="minimax-music-2.6", prompt="calm piano", is_instrumental=True)
    client.voices.design(prompt="A warm narrator", preview_text="Hello")
    client.videos.create(model="wan2.6-r2v-720p", prompt="x", duration="10")
    client.videos.create(model="seedance2.0-720p", prompt="x", duration="15", extra_body={"seed": 7})
    client.videos.create(
        model="seedance2.0-fast-720p",
        prompt="a boat",
        duration=5,
        content=[
            {"type": "text", "text": "a boat"},
            {"type": "image_url", "url": "https://example.com/a.png", "role": "first_frame"},
        ],
        extra_headers={"X-Trace": "1"},
        extra_query={"debug": "1"},
    )
    return client.videos.create_and_wait(model="kling-v3-pro-audio", prompt="a boat", wait_timeout=300)


def raw(client: uniall.Client) -> int:
    response: uniall.APIResponse[uniall.Task] = client.with_raw_response.videos.create(
        model="seedance2.0-720p", prompt="x", duration=5
    )
    task: uniall.Task = response.parse()
    return response.status_code if task.id else 0


def from_dict(client: uniall.Client) -> uniall.Task:
    params: Seedance20720pVideoGenerationsParams = {"model": "seedance2.0-720p", "prompt": "x", "duration": 5}
    return client.videos.create(**params)


async def submit_async(client: uniall.AsyncClient) -> uniall.Task:
    task = await client.videos.create(model="seedance2.0-720p", prompt="a city", duration=15)
    return await client.videos.wait(task)


def progress(task: uniall.Task) -> float:
    return task.progress or 0.0


def errors(error: uniall.APIStatusError) -> str | None:
    return error.request_id or error.headers.get("retry-after")


def voices(client: uniall.Client) -> str:
    created = client.voices.clone(audio_url="https://example.com/voice.mp3", text="Hello")
    assert_type(created, VoiceCreated)
    raw = client.with_raw_response.voices.design(prompt="A warm narrator", preview_text="Hello")
    assert_type(raw, uniall.APIResponse[VoiceCreated])
    assert_type(client.voices.list(), VoiceList)
    assert_type(client.with_raw_response.voices.list(), uniall.APIResponse[VoiceList])
    body = MinimaxVoiceCloneAudioVoicesCloneParams(audio_url="https://example.com/voice.mp3", text="Hello")
    assert_type(client.voices.clone(**body), VoiceCreated)
    return created.voice_id + raw.parse().voice_id


async def voices_async(client: uniall.AsyncClient) -> VoiceCreated:
    return await client.voices.design(prompt="A warm narrator", preview_text="Hello")
