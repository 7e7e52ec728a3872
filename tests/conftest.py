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
