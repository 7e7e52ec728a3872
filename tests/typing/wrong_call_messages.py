"""Three wrong calls written two ways: keywords of the overloaded ``create``, and the body built with the
model's ``uniall.params`` TypedDict. tests/test_client_type_errors.py reads what mypy says about each."""

from __future__ import annotations

import uniall
from uniall.params import Seedance20720pVideoGenerationsParams as Seedance


def keywords(client: uniall.Client) -> None:
    client.videos.create(model="seedance2.0-720p", prompt="x", duraton=5)  # misspelt keyword
    client.videos.create(model="seedance2.0-720p", prompt="x", duration=20)  # value outside the model's set
    client.videos.create(model="seedance2.0-720p", prompt="x", duration=5, aspect_ratio="5:1")  # the same


def typed_body(client: uniall.Client) -> None:
    client.videos.create(**Seedance(model="seedance2.0-720p", prompt="x", duraton=5))
    client.videos.create(**Seedance(model="seedance2.0-720p", prompt="x", duration=20))
    client.videos.create(**Seedance(model="seedance2.0-720p", prompt="x", duration=5, aspect_ratio="5:1"))
