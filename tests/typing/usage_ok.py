"""Typed usage the client's types must accept (checked by mypy --strict in tests/test_client_typing.py)."""

from __future__ import annotations

import uniall


def submit(client: uniall.Client) -> uniall.Task:
    task = client.videos.create(
        model="seedance2.0-720p", prompt="a lighthouse at dusk", duration=5, aspect_ratio="16:9"
    )
    done = client.videos.wait(task, timeout=600)
    client.videos.download(done, "out/")
    client.images.create(model="gpt-image-2", prompt="a red fox", size="1024x1024")
    client.audio.create(model="minimax-music-2.6", prompt="calm piano", is_instrumental=True)
    client.voices.design(prompt="A warm narrator", preview_text="Hello")
    return client.videos.create_and_wait(model="kling-v3-pro-audio", prompt="a boat", wait_timeout=300)


async def submit_async(client: uniall.AsyncClient) -> uniall.Task:
    task = await client.videos.create(model="seedance2.0-720p", prompt="a city", duration=15)
    return await client.videos.wait(task)


def progress(task: uniall.Task) -> float:
    return task.progress or 0.0
