"""Shared fixtures: the loaded spec and the pinned docs snapshot, each built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import model as m
from generator.docs_snapshot import Snapshot, load_snapshot
from generator.loader import load_spec

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT_PATH = ROOT / "spec" / "sources" / "uniall-llms-full.txt"


@pytest.fixture(scope="session")
def spec() -> m.Spec:
    return load_spec(ROOT / "spec")


@pytest.fixture(scope="session")
def snapshot() -> Snapshot:
    return load_snapshot(SNAPSHOT_PATH)


# ---- Hypothesis profiles (issue #5): `ci` for `make test`, `thorough` for `make test-thorough` ------

import os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

_SLOW_OK = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
settings.register_profile(
    "ci", derandomize=True, database=None, max_examples=8, deadline=None, suppress_health_check=_SLOW_OK
)
settings.register_profile("thorough", max_examples=100, deadline=None, suppress_health_check=_SLOW_OK)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
