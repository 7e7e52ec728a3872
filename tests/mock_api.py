"""The mock (``uniall mock``, ``uniall._mock.MockServer``) in-process, for the client tests.

The client tests talk to the mock over real sockets: it checks the key, lints every create with
the spec's rules, answers with each family's documented shapes, moves tasks through their status
words and serves their result files. Failures come from its scenarios (the ``X-Mock-Scenario``
header: ``rate-limit``, ``server-error``, ``drop``, ``slow``, ``fail``, ``timeout``; ``NAME:N``
for the first N requests per route). What the mock cannot answer stays in ``tests/fake_api.py``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .support import ROOT

sys.path.insert(0, str(ROOT / "generated" / "python"))

from uniall._mock import SCENARIO_HEADER, MockServer, _loggable

KEY = "sk-test-secret-key-0123456789"
# A task is complete by the client's first poll (4 mock seconds in 0.4 ms), so no test waits out the
# docs' 2-5 s poll interval; a test that must see a task in progress passes a lower speed.
SPEED = 10_000.0


@contextmanager
def mock_api(speed: float = SPEED, **options: Any) -> Iterator[MockServer]:
    """The mock on a free loopback port, accepting only ``KEY``."""
    with MockServer(keys=(KEY,), speed=speed, **options) as mock:
        yield mock


def scenario(name: str) -> dict[str, str]:
    """The per-request header that asks the mock for a failure scenario."""
    return {SCENARIO_HEADER: name}


def calls(mock: MockServer, method: str | None = None, path: str | None = None) -> list[dict[str, Any]]:
    """What the mock received (oldest first), optionally only one method and path."""
    return [
        r for r in mock.requests if (method is None or r["method"] == method) and (path is None or r["path"] == path)
    ]


def logged_authorization(key: str = KEY) -> str:
    """How the mock's request log shows ``Authorization: Bearer <key>`` (a fingerprint, never the key)."""
    return _loggable({"Authorization": f"Bearer {key}"})["Authorization"]
