"""The pinned docs snapshot is the one the lock names, and it parses into its 51 + 51 pages."""

from __future__ import annotations

import hashlib
import json

from generator.docs_snapshot import Snapshot, parse_snapshot

from .conftest import ROOT, SNAPSHOT_PATH


def test_snapshot_matches_its_lock() -> None:
    lock = json.loads((ROOT / "spec" / "sources" / "snapshot.lock.json").read_text())
    data = SNAPSHOT_PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == lock["sha256"]
    assert len(data) == lock["bytes"]


def test_snapshot_has_every_page_in_both_locales(snapshot: Snapshot) -> None:
    english = {p.page for p in snapshot.pages if p.locale == "en"}
    chinese = {p.page for p in snapshot.pages if p.locale == "zh-CN"}
    assert len(english) == 51
    assert english == chinese


def test_folded_and_newline_forms_parse_alike(snapshot: Snapshot) -> None:
    # The live /llms-full.txt has real newlines; rebuild that form from the folded capture.
    text = SNAPSHOT_PATH.read_text(encoding="utf-8")
    unfolded = text.replace(" --- # ", "\n---\n\n# ").replace(" ## ", "\n\n## ").replace(" | | ", " |\n| ")
    again = parse_snapshot(unfolded)
    assert [(p.page, p.locale, p.title) for p in again.pages] == [(p.page, p.locale, p.title) for p in snapshot.pages]
    for before, after in zip(snapshot.pages, again.pages, strict=True):
        assert before.flat == after.flat


def test_heading_lookup_matches_only_whole_heading_prefixes(snapshot: Snapshot) -> None:
    page = snapshot.find("site-docs/models/video/seedance-2-0/create-task.md")
    assert page is not None
    assert page.has_heading("3. Models and Allowed Values")
    assert not page.has_heading("Models and Allowed Values")
    assert not page.has_heading("3. Models and Allowed Valu")
