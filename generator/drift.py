"""Docs/spec drift: what moved in the docs since the spec was last read against them.

The facts extracted (``generator/docs_facts.py``) from the pinned snapshot are the baseline, kept
with a sha256 per page in ``spec/sources/facts.lock.json``. ``uniall-spec drift`` extracts the
same facts from another copy of the docs (a file in either form, or a URL), compares them key by
key and names each difference with the spec files, rules and conflicts that cite that page and
section. A page whose text changed while its facts did not is reported as ``review``.

Comparison is by key, never by position, and tolerant of headings and lead-in words that moved:
a fact that disappears from one section and reappears unchanged in another section of the same
page, or under reworded lead-in words with the same values, is not drift. A page that moved to a
new path with the same text (or title) is one ``page moved`` item, not a removal and an addition.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .docs_facts import Fact, page_facts, page_hash, sections
from .docs_snapshot import DocsError as DocsError
from .docs_snapshot import Snapshot, normalise
from .docs_snapshot import read_docs as read_docs

LOCK_NAME = "facts.lock.json"
LOCK_FORMAT = 1


# ---- the lock ---------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class PageRecord:
    page: str
    locale: str
    title: str
    sha256: str


@dataclass(frozen=True)
class Baseline:
    pages: tuple[PageRecord, ...]
    facts: tuple[Fact, ...]
    docs_sha256: str = ""


def baseline_of(snapshot: Snapshot, text: str = "") -> Baseline:
    pages = tuple(sorted(PageRecord(p.page, p.locale, p.title, page_hash(p)) for p in snapshot.pages))
    facts = tuple(sorted(f for p in snapshot.pages for f in page_facts(p)))
    return Baseline(pages, facts, hashlib.sha256(text.encode("utf-8")).hexdigest() if text else "")


def current_against(snapshot: Snapshot, text: str, baseline: Baseline) -> Baseline:
    """Like :func:`baseline_of`, re-extracting only the pages whose hash differs from the baseline.

    Equal hashes mean equal normalised text, so the locked facts stand for those pages (the test
    suite checks that the lock is exactly the extraction of the pinned snapshot).
    """
    known = {(p.page, p.locale): p.sha256 for p in baseline.pages}
    locked: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in baseline.facts:
        locked[(f.page, f.locale)].append(f)
    pages: list[PageRecord] = []
    facts: list[Fact] = []
    for p in snapshot.pages:
        digest = page_hash(p)
        pages.append(PageRecord(p.page, p.locale, p.title, digest))
        facts += locked[(p.page, p.locale)] if known.get((p.page, p.locale)) == digest else page_facts(p)
    return Baseline(tuple(sorted(set(pages))), tuple(sorted(set(facts))), hashlib.sha256(text.encode()).hexdigest())


def dump_lock(baseline: Baseline, docs_name: str) -> str:
    """The lock as JSON text, one page and one fact per line so reviews see small diffs."""
    head = {
        "about": "Facts extracted from the docs the spec was last checked against; `uniall-spec drift` compares "
        "with it and `uniall-spec drift --update-lock` rewrites it. Generated: do not edit by hand.",
        "format": LOCK_FORMAT,
        "docs": docs_name,
        "docs_sha256": baseline.docs_sha256,
    }
    lines = ["{"]
    lines += [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    page_lines = [
        json.dumps({"page": p.page, "locale": p.locale, "title": p.title, "sha256": p.sha256}, ensure_ascii=False)
        for p in baseline.pages
    ]
    fact_lines = [json.dumps(f.to_list(), ensure_ascii=False) for f in baseline.facts]
    lines.append('  "pages": [')
    lines += [f"    {line}," for line in page_lines[:-1]] + [f"    {line}" for line in page_lines[-1:]]
    lines.append("  ],")
    lines.append('  "facts": [')
    lines += [f"    {line}," for line in fact_lines[:-1]] + [f"    {line}" for line in fact_lines[-1:]]
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def load_lock(path: Path) -> Baseline:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != LOCK_FORMAT:
        raise ValueError(f"{path}: unknown lock format {data.get('format')!r}")
    pages = tuple(PageRecord(p["page"], p["locale"], p["title"], p["sha256"]) for p in data["pages"])
    facts = tuple(Fact.from_list(item) for item in data["facts"])
    return Baseline(pages, facts, data.get("docs_sha256", ""))


# ---- comparing --------------------------------------------------------------------------------

# The kind each fact difference is reported as: (whole fact added, whole fact removed, values changed).
_WORDS = {
    "model": ("model added", "model removed", "model changed"),
    "endpoint": ("endpoint added", "endpoint removed", "endpoint changed"),
    "enum": ("enum added", "enum removed", "enum values changed"),
    "set": ("set added", "set removed", "set changed"),
    "range": ("range added", "range removed", "range changed"),
    "size": ("size list added", "size list removed", "size list changed"),
    "limit": ("limit added", "limit removed", "limit changed"),
    "required": ("required flag added", "required flag removed", "required flag changed"),
}
REVIEW_KINDS = ("page changed", "page moved")


@dataclass(frozen=True)
class Impact:
    """A spec entry a drift item touches: a rule, conflict, model or field, where it is, how surely."""

    kind: str  # rule | conflict | model | field
    id: str
    rank: int  # 1 states the changed fact, 2 cites its page and section, 3 related (see drift_impact)
    file: str = ""
    line: int = 0

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.file else ""

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "rank": self.rank, "file": self.file, "line": self.line}


@dataclass
class DriftItem:
    kind: str
    page: str
    locale: str
    section: str = ""
    subject: str = ""
    fact_kind: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    detail: str = ""
    before: tuple[str, ...] = ()  # the fact's values in the baseline (for a changed or removed fact)
    spec_files: list[str] = field(default_factory=list)
    rules: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    impact: list[Impact] = field(default_factory=list)

    @property
    def review(self) -> bool:
        return self.kind in REVIEW_KINDS

    def sort_key(self) -> tuple[str, str, str, str, str]:
        return (self.page, self.locale, self.section, self.subject, self.kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "review": self.review,
            "page": self.page,
            "locale": self.locale,
            "section": self.section,
            "subject": self.subject,
            "fact_kind": self.fact_kind,
            "added": list(self.added),
            "removed": list(self.removed),
            "detail": self.detail,
            "spec_files": self.spec_files,
            "rules": self.rules,
            "conflicts": self.conflicts,
            "impact": [e.to_dict() for e in self.impact],
        }


def _changed_item(old: Fact, new: Fact) -> DriftItem:
    added = tuple(v for v in new.values if v not in old.values)
    removed = tuple(v for v in old.values if v not in new.values)
    if old.kind != new.kind:
        kind = "range/set changed" if {old.kind, new.kind} <= {"range", "set", "limit"} else _WORDS[new.kind][2]
        detail = f"{old.kind} {list(old.values)} -> {new.kind} {list(new.values)}"
        return DriftItem(
            kind, new.page, new.locale, new.section, new.subject, new.kind, added, removed, detail, old.values
        )
    kind = _WORDS[new.kind][2]
    if new.kind == "enum" and added and not removed:
        kind = "enum value added"
    elif new.kind == "enum" and removed and not added:
        kind = "enum value removed"
    detail = f"was under section {old.section!r}" if old.section != new.section else ""
    return DriftItem(kind, new.page, new.locale, new.section, new.subject, new.kind, added, removed, detail, old.values)


def _one_to_one(removed: list[Fact], added: list[Fact], key: Any) -> list[tuple[Fact, Fact]]:
    """Pairs (old, new) whose ``key`` is equal and unique on both sides."""
    olds: dict[Any, list[Fact]] = defaultdict(list)
    news: dict[Any, list[Fact]] = defaultdict(list)
    for f in removed:
        olds[key(f)].append(f)
    for f in added:
        news[key(f)].append(f)
    return [(olds[k][0], news[k][0]) for k in olds if len(olds[k]) == 1 and len(news.get(k, [])) == 1]


def compare_facts(old: Iterable[Fact], new: Iterable[Fact]) -> list[DriftItem]:
    """Drift items between two fact sets of the same pages (page paths already aligned)."""
    old_by = {f.key: f for f in old}
    new_by = {f.key: f for f in new}
    items = [_changed_item(old_by[k], new_by[k]) for k in old_by.keys() & new_by.keys() if old_by[k] != new_by[k]]
    removed = [old_by[k] for k in sorted(old_by.keys() - new_by.keys())]
    added = [new_by[k] for k in sorted(new_by.keys() - old_by.keys())]
    # Facts that moved or whose kind changed: same page, locale and subject (or, for value facts, the
    # same section and values under a reworded lead-in), paired one to one.
    pairings = [
        lambda f: (f.page, f.locale, f.subject, f.kind, f.values),  # moved to another section, unchanged
        lambda f: (f.page, f.locale, f.section, f.kind, f.values) if f.kind not in ("model", "endpoint") else f,
        lambda f: (f.page, f.locale, f.section, f.subject) if f.kind not in ("model", "endpoint") else f,
        lambda f: (f.page, f.locale, f.subject, f.kind) if f.kind not in ("model", "endpoint") else f,
    ]
    for key in pairings:
        for was, now in _one_to_one(removed, added, key):
            removed.remove(was)
            added.remove(now)
            if was.values != now.values or was.kind != now.kind:
                items.append(_changed_item(was, now))
    for f in added:
        items.append(DriftItem(_WORDS[f.kind][0], f.page, f.locale, f.section, f.subject, f.kind, added=f.values))
    for f in removed:
        items.append(
            DriftItem(
                _WORDS[f.kind][1], f.page, f.locale, f.section, f.subject, f.kind, removed=f.values, before=f.values
            )
        )
    return items


def _same_text(p: PageRecord) -> tuple[str, str]:
    return (p.locale, p.sha256)


def _same_title(p: PageRecord) -> tuple[str, str]:
    return (p.locale, p.title)


def compare(baseline: Baseline, current: Baseline) -> list[DriftItem]:
    """Every drift item between the locked baseline and the current docs, in a stable order."""
    old_pages = {(p.page, p.locale): p for p in baseline.pages}
    new_pages = {(p.page, p.locale): p for p in current.pages}
    gone = sorted(old_pages.keys() - new_pages.keys())
    came = sorted(new_pages.keys() - old_pages.keys())
    moved: dict[tuple[str, str], tuple[str, str]] = {}  # old key -> new key
    for match in (_same_text, _same_title):
        olds: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
        for k in gone:
            if k not in moved:
                olds[match(old_pages[k])].append(k)
        for k in came:
            if k in moved.values():
                continue
            candidates = olds.get(match(new_pages[k]), [])
            if len(candidates) == 1 and candidates[0] not in moved:
                moved[candidates[0]] = k
    items: list[DriftItem] = []
    old_facts: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    new_facts: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in baseline.facts:
        key = (f.page, f.locale)
        if key in moved:
            target = moved[key]
            f = Fact(target[0], target[1], f.section, f.subject, f.kind, f.values)
            key = target
        old_facts[key].append(f)
    for f in current.facts:
        new_facts[(f.page, f.locale)].append(f)
    for was, now in sorted(moved.items()):
        items.append(DriftItem("page moved", now[0], now[1], detail=f"was {was[0]}"))
    for key in gone:
        if key not in moved:
            facts = old_facts.pop(key, [])
            detail = f"{len(facts)} fact(s) gone, {sum(f.kind == 'model' for f in facts)} model mention(s)"
            items.append(DriftItem("page removed", key[0], key[1], detail=f"{old_pages[key].title}: {detail}"))
    for key in came:
        if key in moved.values():
            continue
        facts = new_facts.pop(key, [])
        items.append(DriftItem("page added", key[0], key[1], detail=f"{new_pages[key].title}: {len(facts)} fact(s)"))
        # A new page's models and endpoints are named one by one: each may be new to the spec.
        for f in facts:
            if f.kind in ("model", "endpoint"):
                items.append(DriftItem(_WORDS[f.kind][0], f.page, f.locale, f.section, f.subject, f.kind))
    for key in sorted(set(new_pages) - set(came) | set(moved.values())):
        fact_items = compare_facts(old_facts.get(key, []), new_facts.get(key, []))
        items += fact_items
        was_key = next((k for k, v in moved.items() if v == key), key)
        if not fact_items and key not in moved.values() and old_pages[was_key].sha256 != new_pages[key].sha256:
            items.append(DriftItem("page changed", key[0], key[1], detail="text changed; no extracted fact changed"))
    return sorted(items, key=DriftItem.sort_key)


# ---- what in the spec each item touches ---------------------------------------------------------


def _words(text: str) -> str:
    return normalise(text.replace("`", "")).lower()


def sections_match(a: str, b: str) -> bool:
    """One section name is a word-prefix of the other (headings are cut where the body starts)."""
    x, y = _words(a), _words(b)
    if not x or not y:
        return False
    short, long = sorted((x, y), key=len)
    return long == short or long.startswith(short + " ")


def counterparts(snapshot: Snapshot) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(page, locale, section) -> (other locale, its section at the same heading position).

    The Chinese and English pages are translations with the same headings in the same order (when
    their heading counts differ no pairing is made), so a fact found in one locale can be matched to
    spec sources that cite the other.
    """
    found: dict[tuple[str, str, str], tuple[str, str]] = {}
    for page in snapshot.pages:
        if page.locale != "en":
            continue
        for other in snapshot.locales_of(page.page):
            if other.locale == "en":
                continue
            mine, theirs = sections(page), sections(other)
            if len(mine) != len(theirs):
                continue
            for a, b in zip(mine, theirs, strict=True):
                found.setdefault((page.page, "en", a.title), (other.locale, b.title))
                found.setdefault((page.page, other.locale, b.title), ("en", a.title))
    return found


# ---- reports ----------------------------------------------------------------------------------


def _values(values: tuple[str, ...]) -> str:
    return ", ".join(f"`{v}`" for v in values)


def _change(item: DriftItem) -> str:
    parts = []
    if item.added:
        parts.append(f"+ {_values(item.added)}")
    if item.removed:
        parts.append(f"- {_values(item.removed)}")
    if item.detail:
        parts.append(item.detail)
    return "; ".join(parts)


def _where(item: DriftItem) -> str:
    section = f" § {item.section}" if item.section else ""
    return f"{item.page} [{item.locale}]{section}"


def summary_line(items: list[DriftItem]) -> str:
    if not items:
        return "no drift: every extracted fact and page hash matches the lock"
    facts = sum(not i.review for i in items)
    return f"drift: {facts} fact item(s), {len(items) - facts} page(s) to review"


def _entry(e: Impact, with_kind: bool = False) -> str:
    name = f"{e.kind} {e.id}" if with_kind else e.id
    return f"{name} ({e.where})" if e.where else name


def _shown(item: DriftItem) -> tuple[list[Impact], list[Impact], list[Impact]]:
    """(rules, conflicts, related): the best-ranked rules and conflicts, then everything else, best first."""
    if not item.impact:  # annotated without ranks: the plain ID lists
        return [Impact("rule", r, 1) for r in item.rules], [Impact("conflict", c, 1) for c in item.conflicts], []
    rules = [e for e in item.impact if e.kind == "rule" and e.id in item.rules]
    conflicts = [e for e in item.impact if e.kind == "conflict" and e.id in item.conflicts]
    related = [e for e in item.impact if e not in rules and e not in conflicts]
    return rules, conflicts, related


_RELATED_SHOWN = 6


def _related(related: list[Impact]) -> str:
    text = ", ".join(_entry(e, with_kind=True) for e in related[:_RELATED_SHOWN])
    more = len(related) - _RELATED_SHOWN
    return text + (f" and {more} more" if more > 0 else "")


def render_text(items: list[DriftItem]) -> str:
    lines = [summary_line(items)]
    for item in items:
        tag = "REVIEW " if item.review else ""
        subject = f" `{item.subject}`" if item.subject else ""
        lines.append(f"- {tag}{item.kind}{subject} at {_where(item)}")
        if _change(item):
            lines.append(f"    {_change(item)}")
        rules, conflicts, related = _shown(item)
        if item.spec_files:
            lines.append(f"    spec:      {', '.join(item.spec_files)}")
        if rules:
            lines.append(f"    rules:     {', '.join(_entry(e) for e in rules)}")
        if conflicts:
            lines.append(f"    conflicts: {', '.join(_entry(e) for e in conflicts)}")
        if related:
            lines.append(f"    related:   {_related(related)}")
    return "\n".join(lines) + "\n"


def render_markdown(items: list[DriftItem]) -> str:
    lines = ["# Docs drift", "", summary_line(items) + "."]
    if items:
        lines += [
            "",
            "Rules and conflicts: the spec entries that state the changed fact (else those citing its section), "
            "with the line to edit; related: other entries on the page about the same field or model.",
            "",
            "| kind | page | section | subject | change | rules | conflicts | related |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for item in items:
            rules, conflicts, related = _shown(item)
            cells = [
                ("review: " if item.review else "") + item.kind,
                f"`{item.page}` [{item.locale}]",
                item.section,
                f"`{item.subject}`" if item.subject else "",
                _change(item),
                "<br>".join(f"`{e.id}` {e.where}".strip() for e in rules),
                "<br>".join(f"`{e.id}` {e.where}".strip() for e in conflicts),
                _related(related) if related else ", ".join(f"`{f}`" for f in item.spec_files),
            ]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


def render_json(items: list[DriftItem]) -> str:
    data = {
        "drift": bool(items),
        "summary": summary_line(items),
        "counts": {k: sum(i.kind == k for i in items) for k in sorted({i.kind for i in items})},
        "items": [i.to_dict() for i in items],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}


def fact_counts(facts: Iterable[Fact]) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for f in facts:
        counts[f.kind] += 1
    return dict(sorted(counts.items()))
