"""Check the spec against the docs it cites: the one place ``uniall-spec check`` and the tests share.

The loader (``generator/loader.py``) checks the spec on its own; this module checks it against a
docs snapshot (by default the pinned one, ``spec/sources/uniall-llms-full.txt``):

- every ``source`` names a page of the snapshot in its locale, a heading of that page and, when it
  has a ``quote``, text that is on that page (whitespace may differ);
- every conflict claim's ``quote`` is on its page, a conflict has two different claims, and the
  rules a conflict settles cite a page of the conflict's family;
- every cited page is listed in its file's ``pages:`` (the drift check's map from pages to files),
  and every doc page is listed by some spec file;
- every model-ID-like token in the docs is a spec model or a ``not_models`` entry, every
  ``not_models`` token still appears in the docs, and every spec model appears in the docs.

It reads the raw YAML (with line numbers) next to the loaded spec, so each problem names the file,
the line and the JSON pointer of the key to edit, with the closest page or heading when one is near.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any

from . import model as m
from .docs_facts import sections
from .docs_snapshot import DocsError, Page, Snapshot, read_docs
from .model_scan import scan
from .yaml_source import SourceDocument, SpecFileError, read_yaml

PINNED_DOCS_NAME = "uniall-llms-full.txt"


def pinned_docs(spec_dir: Path) -> Path:
    """Where a spec directory keeps the docs snapshot it was written against."""
    return spec_dir / "sources" / PINNED_DOCS_NAME


_DOCUMENTS: dict[tuple[tuple[str, int, int], ...], list[SourceDocument]] = {}


def spec_documents(spec_dir: Path) -> list[SourceDocument]:
    """The raw YAML of every spec file (common first), with the line of every key.

    Read once per content: ``check``, the drift report and its suggestions all need the lines, and
    ruamel's round-trip parser is the slow part; a file's (path, mtime, size) keys the cache.
    """
    paths = (spec_dir / "common.yaml", *sorted((spec_dir / "families").glob("*.yaml")))
    stats = [p.stat() if p.exists() else None for p in paths]
    key = tuple((str(p), s.st_mtime_ns, s.st_size) if s else (str(p), 0, -1) for p, s in zip(paths, stats, strict=True))
    if key not in _DOCUMENTS:
        _DOCUMENTS.clear()  # one spec at a time is enough; copies in tests would only pile up
        _DOCUMENTS[key] = [read_yaml(p) for p in paths]
    return _DOCUMENTS[key]


def _owner(doc: SourceDocument, pointer: str) -> str:
    """What a pointer belongs to, for people: ``rule wan.duration-video``, ``model sora2``, ``task``."""
    parts = pointer.split("/")
    if len(parts) < 2:
        return ""
    top = parts[1]
    value = doc.data.get(top)
    if isinstance(value, list) and len(parts) > 2 and parts[2].isdigit():
        entry = value[int(parts[2])]
        if isinstance(entry, dict):
            name = next((entry[k] for k in ("id", "name", "token", "mode") if k in entry), None)
            if name is None and "method" in entry:
                name = f"{entry['method']} {entry.get('path', '')}"
            label = top[:-1] if top.endswith("s") else top
            return f"{label} {name}" if name is not None else label
    if isinstance(value, dict) and len(parts) > 2:
        return f"{top} {parts[2]}"
    return top


def _sources(node: Any, pointer: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, mapping) for every ``source:`` mapping in a file, nested fields included."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = f"{pointer}/{key}"
            if key == "source" and isinstance(value, dict) and "page" in value:
                yield child, value
            else:
                yield from _sources(value, child)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _sources(value, f"{pointer}/{index}")


def _near(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class _Checker:
    def __init__(self, snapshot: Snapshot, docs_label: str) -> None:
        self.snapshot = snapshot
        self.docs_label = docs_label
        self.problems: list[SpecFileError] = []
        self._pages = sorted({p.page for p in snapshot.pages})

    def add(self, doc: SourceDocument, pointer: str, message: str) -> None:
        owner = _owner(doc, pointer)
        self.problems.append(doc.error(pointer, f"{message} [{owner}]" if owner else message))

    def page(self, doc: SourceDocument, pointer: str, page: str, locale: str) -> Page | None:
        found = self.snapshot.find(page, locale)
        if found is None:
            other = [p.locale for p in self.snapshot.locales_of(page)]
            why = f"only in {', '.join(other)}" if other else "not in the docs" + _near(page, self._pages)
            self.add(doc, pointer, f"no {locale} page {page!r} in {self.docs_label}: {why}")
        return found

    def quote(self, doc: SourceDocument, pointer: str, page: Page, quote: str) -> None:
        if not page.contains(quote):
            self.add(doc, pointer, f"quote is not on {page.page} [{page.locale}]: {quote!r}")

    def source(self, doc: SourceDocument, pointer: str, data: dict[str, Any]) -> None:
        locale = data.get("locale") or "en"
        page = self.page(doc, f"{pointer}/page", data["page"], locale)
        if page is None:
            return
        section = data["section"]
        if not page.has_heading(section):
            headings = [s.title for s in sections(page) if s.title]
            self.add(
                doc,
                f"{pointer}/section",
                f"{page.page} [{locale}] has no heading {section!r}{_near(section, headings)}",
            )
        if data.get("quote"):
            self.quote(doc, f"{pointer}/quote", page, data["quote"])


def _source_problems(check: _Checker, doc: SourceDocument) -> None:
    for pointer, data in _sources(doc.data):
        check.source(doc, pointer, data)
    listed = set(doc.data.get("pages", ()))
    cited: dict[str, str] = {}
    for pointer, data in _sources(doc.data):
        cited.setdefault(data["page"], pointer)
    for page, pointer in cited.items():
        if page not in listed:
            check.add(doc, f"{pointer}/page", f"cites {page}, which is missing from this file's pages:")


def _conflict_problems(check: _Checker, doc: SourceDocument, spec: m.Spec) -> None:
    family_pages = set(doc.data.get("pages", ()))
    rules = {r.id: r for r in spec.rules}
    for i, conflict in enumerate(doc.data.get("conflicts", ())):
        base = f"/conflicts/{i}"
        sides = set()
        for j, claim in enumerate(conflict.get("claims", ())):
            source = claim["source"]
            locale = source.get("locale") or "en"
            sides.add((source["page"], locale, " ".join(str(claim["quote"]).split())))
            page = check.snapshot.find(source["page"], locale)
            if page is not None:  # a missing page is reported once, at the claim's source
                check.quote(doc, f"{base}/claims/{j}/quote", page, str(claim["quote"]))
        if len(sides) < 2:
            check.add(doc, f"{base}/claims", "a conflict needs two different claims (page, locale or quote)")
        for j, rule_id in enumerate(conflict.get("rules", ())):
            rule = rules.get(rule_id)
            if rule is not None and family_pages and rule.source.page not in family_pages:
                check.add(
                    doc,
                    f"{base}/rules/{j}",
                    f"{rule_id} cites {rule.source.page}, not a page of this file's pages:",
                )


def _model_problems(check: _Checker, docs: list[SourceDocument], spec: m.Spec, snapshot_path: Path | str) -> None:
    sightings = scan(check.snapshot)
    seen = {s.token for s in sightings}
    flats = [p.flat for p in check.snapshot.pages]

    def in_docs(token: str) -> bool:
        return token in seen or any(token in flat for flat in flats)

    models = {md.id for md in spec.models}
    rejected = {n.token for n in spec.not_models}
    for doc in docs:
        for i, md in enumerate(doc.data.get("models", ())):
            if not in_docs(md["id"]):
                check.add(doc, f"/models/{i}/id", f"model {md['id']!r} appears nowhere in {check.docs_label}")
        for i, nm in enumerate(doc.data.get("not_models", ())):
            if nm["token"] in models:
                check.add(doc, f"/not_models/{i}/token", f"{nm['token']!r} is a model of the spec too")
            elif not in_docs(nm["token"]):
                check.add(
                    doc,
                    f"/not_models/{i}/token",
                    f"{nm['token']!r} no longer appears in {check.docs_label}: drop the entry",
                )
    missing: dict[str, list[str]] = {}
    for sighting in sightings:
        token = sighting.token
        if token in models or token in rejected:
            continue
        if "*" in token and any(fnmatchcase(md, token) for md in models):
            continue  # a wildcard such as NanoBanana2-* stands for models the spec lists one by one
        missing.setdefault(token, []).append(f"{sighting.page} [{sighting.locale}] ({sighting.how})")
    for token, where in sorted(missing.items()):
        check.problems.append(
            SpecFileError(
                snapshot_path,
                None,
                "",
                f"model-like token {token!r} on {'; '.join(where)} is neither a spec model nor in a not_models: list",
            )
        )


def docs_problems(
    spec_dir: Path, spec: m.Spec, snapshot: Snapshot, snapshot_path: Path | str | None = None
) -> list[SpecFileError]:
    """Every disagreement between the spec in ``spec_dir`` and ``snapshot``, each with file:line and key."""
    label = str(snapshot_path) if snapshot_path is not None else "the docs"
    check = _Checker(snapshot, label)
    docs = spec_documents(spec_dir)
    for doc in docs:
        _source_problems(check, doc)
        _conflict_problems(check, doc, spec)
    covered = {page for doc in docs for page in doc.data.get("pages", ())}
    for page in sorted({p.page for p in snapshot.pages} - covered):
        check.problems.append(
            SpecFileError(
                snapshot_path or label,
                None,
                "",
                f"doc page {page} is read by no spec file: add it to the pages: of the file that covers it",
            )
        )
    _model_problems(check, docs, spec, snapshot_path or label)
    return check.problems


def check_against_docs(spec_dir: Path, spec: m.Spec, docs: str | None = None) -> list[SpecFileError]:
    """:func:`docs_problems` against ``docs`` (a path or URL), by default the spec's pinned snapshot.

    Unreadable docs are one problem naming the location, never a traceback.
    """
    location = docs if docs is not None else str(pinned_docs(spec_dir))
    try:
        _, snapshot = read_docs(location)
    except DocsError as exc:
        return [SpecFileError(location, None, "", f"cannot check doc sources: {exc}")]
    return docs_problems(spec_dir, spec, snapshot, location)
