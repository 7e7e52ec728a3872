"""Wrong calls the client's types must reject; a trailing E-marker comment names the expected error."""

from __future__ import annotations

import uniall
from uniall.params import Seedance20720pVideoGenerationsParams as Seedance
from uniall.params import Wan26R2v720pVideoGenerationsParams as Wan


def wrong(client: uniall.Client) -> None:
    client.videos.create(model="seedance2.0-720p", prompt="x", duration=20)  # E: No overload variant
    client.videos.create(model="seedance2.0-720p", duration=5)  # E: No overload variant
    client.videos.create(model="seedance2.0-720p", prompt="x", duration=5, aspect_ratio="5:1")  # E: No overload variant
    client.videos.create(model="seedance-2.0-720p", prompt="x", duration=5)  # E: No overload variant
    client.images.create(model="gpt-image-2", prompt="a fox", size="999x999")  # E: No overload variant
    client.videos.create(model="seedance2.0-720p", prompt="x", frobnicate=1)  # E: Unexpected keyword argument
    client.voices.design(prompt="A warm narrator", preview_text=3)  # E: Argument "preview_text"
    client.videos.create(model="wan2.6-r2v-720p", prompt="x", duration=7)  # E: No overload variant
    client.videos.create(model="wan2.6-r2v-720p", prompt="x", duration=5.5)  # E: No overload variant
    client.videos.create(model="seedance2.0-720p", prompt="x", duration="99")  # E: No overload variant
    typo = {"type": "image_url", "role": "frist_frame"}
    client.videos.create(model="seedance2.0-720p", prompt="x", duration=5, content=[typo])  # E: No overload variant
    client.videos.create(model="seedance2.0-720p", prompt="x", duration=5, extra_body={"sed": 1})  # E: No overload
    client.with_raw_response.videos.create(model="seedance2.0-720p", prompt="x", duration=20)  # E: No overload variant


def wrong_dicts() -> None:
    a: Wan = {"model": "wan2.6-r2v-720p", "prompt": "x", "duration": 7}  # E: TypedDict item "duration" has type
    b: Seedance = {"model": "seedance2.0-720p", "prompt": "x", "duration": 5, "duraton": 5}  # E: Extra key "duraton"
    c: Seedance = {"model": "seedance2.0-720p", "duration": 5}  # E: Missing key "prompt"
    print(a, b, c)
