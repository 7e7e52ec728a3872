"""Wrong calls the client's types must reject; a trailing E-marker comment names the expected error."""

from __future__ import annotations

import uniall


def wrong(client: uniall.Client) -> None:
    client.videos.create(model="seedance2.0-720p", prompt="x", duration=20)  # E: No overload variant
    client.videos.create(model="seedance2.0-720p", duration=5)  # E: No overload variant
    client.videos.create(model="seedance2.0-720p", prompt="x", duration=5, aspect_ratio="5:1")  # E: No overload variant
    client.videos.create(model="seedance-2.0-720p", prompt="x", duration=5)  # E: No overload variant
    client.images.create(model="gpt-image-2", prompt="a fox", size="999x999")  # E: No overload variant
    client.videos.create(model="seedance2.0-720p", prompt="x", frobnicate=1)  # E: Unexpected keyword argument
    client.voices.design(prompt="A warm narrator", preview_text=3)  # E: Argument "preview_text"
