"""The maintainer's loop behind ``uniall-spec drift`` and ``uniall-spec snapshot update``.

docs changed -> ``drift`` (report) -> ``drift --suggest`` / ``--apply`` (spec edit) -> ``check --docs``
-> ``snapshot update`` (pin the new docs, their sha256 and provenance, and the facts lock).

Each function returns the exit code; output goes through ``click.echo`` (reports on stdout,
progress and warnings on stderr). Coverage, the question ``snapshot update`` and
``drift --update-lock`` ask, is :func:`uncovered`.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import click

from . import drift as d
from . import model as m
from .docs_snapshot import DocsError, Snapshot, read_docs
from .drift_impact import annotate, states, subject_models
from .loader import SpecError, load_spec
from .source_check import PINNED_DOCS_NAME, docs_problems, pinned_docs
from .suggest import VALUE_KINDS, suggest

SNAPSHOT_LOCK_NAME = "snapshot.lock.json"


def _err(text: str) -> None:
    click.echo(text, err=True)


def _load(spec_dir: Path) -> m.Spec | None:
    try:
        return load_spec(spec_dir)
    except SpecError as exc:
        _err(f"error: the spec in {spec_dir} does not load ({len(exc.problems)} problem(s)):")
        for problem in exc.problems:
            _err(f"  {problem}")
        return None


@dataclass
class _Drift:
    text: str
    snapshot: Snapshot
    baseline: d.Baseline | None
    items: list[d.DriftItem]
    spec: m.Spec | None = None


def _drift(docs: str, lock_file: Path, spec_dir: Path, need_lock: bool) -> _Drift | int:
    """Read the docs and compare them with the lock; the spec is loaded only when there is drift."""
    try:
        text, snapshot = read_docs(docs)
    except DocsError as exc:
        _err(f"error: {exc}")
        return 2
    baseline: d.Baseline | None = None
    items: list[d.DriftItem] = []
    if lock_file.is_file():
        try:
            baseline = d.load_lock(lock_file)
        except (ValueError, KeyError, TypeError) as exc:
            _err(f"error: the lock {lock_file} is unreadable ({exc}); rebuild it with --update-lock")
            return 2
        items = d.compare(baseline, d.current_against(snapshot, text, baseline))
    elif need_lock:
        _err(f"error: no lock at {lock_file}; create it with `uniall-spec drift --update-lock`")
        return 2
    spec: m.Spec | None = None
    if items:
        spec = _load(spec_dir)
        if spec is None:
            return 2
        annotate(items, spec, snapshot, spec_dir)
    return _Drift(text, snapshot, baseline, items, spec)


def uncovered(spec_dir: Path, spec: m.Spec, found: _Drift, location: str) -> list[str]:
    """What in the new docs the spec does not state; empty when the spec covers them.

    Every source, quote, cited page and model ID must check against the new docs (as
    ``uniall-spec check --docs`` does), and every changed range or value list must be stated by a
    rule with the new values while no rule still states the old ones for the same model.
    """
    problems = [str(p) for p in docs_problems(spec_dir, spec, found.snapshot, location)]
    for item in found.items:
        if item.fact_kind not in VALUE_KINDS or not item.added or not item.removed:
            continue
        family_ids = {f.id for f in spec.all_families if item.page in f.pages}
        rules = [r for r in spec.rules if r.family in family_ids]
        still_old = [r.id for r in rules if states(r, item, spec)]
        if not still_old:
            continue
        after = d.DriftItem(item.kind, item.page, item.locale, item.section, item.subject, item.fact_kind)
        after.before = item.added
        if any(states(r, after, spec) for r in rules):
            continue  # the old values are kept for other models, the new ones stated too
        models = ", ".join(sorted(subject_models(item, spec))) or "its scope"
        problems.append(
            f"{item.page} [{item.locale}] § {item.section}: `{item.subject}` is now {', '.join(item.added)} "
            f"but {', '.join(still_old)} still state(s) {', '.join(item.removed)} for {models}"
        )
    return problems


def run_drift(
    docs: str,
    fmt: str,
    update_lock: bool,
    lock_path: Path | None,
    spec_dir: Path,
    suggest_patch: bool,
    apply: bool,
) -> int:
    """``uniall-spec drift``: exit 0 no drift, 1 drift, 2 docs, lock or spec unreadable.

    With ``--suggest`` the patch goes to stdout (the report's summary and the edits to stderr);
    with ``--apply`` the spec files are edited in place (each backed up to ``*.bak``), then checked
    against the docs: exit 0 when the check passes, 1 when it names what is left.
    """
    lock_file = lock_path or spec_dir / "sources" / d.LOCK_NAME
    found = _drift(docs, lock_file, spec_dir, need_lock=not update_lock)
    if isinstance(found, int):
        return found
    if not (update_lock or suggest_patch or apply):
        click.echo(d.RENDERERS[fmt](found.items), nl=False)
        return 1 if found.items else 0
    spec = found.spec or _load(spec_dir)
    if spec is None:
        return 2
    if suggest_patch or apply:
        return _suggest(found, spec, spec_dir, docs, apply)
    click.echo(d.RENDERERS[fmt](found.items), nl=False)
    if update_lock:
        # Coverage is against what the spec was written for: its own lock, whichever lock is written.
        spec_lock = spec_dir / "sources" / d.LOCK_NAME
        if lock_file != spec_lock and spec_lock.is_file():
            pinned_base = d.load_lock(spec_lock)
            items = d.compare(pinned_base, d.current_against(found.snapshot, found.text, pinned_base))
            found = _Drift(found.text, found.snapshot, pinned_base, items, spec)
        for problem in uncovered(spec_dir, spec, found, docs):
            _err(f"warning: the spec does not cover the new docs: {problem}")
        _write_lock(found, lock_file, docs)
        return 0
    return 1 if found.items else 0


def _suggest(found: _Drift, spec: m.Spec, spec_dir: Path, docs: str, apply: bool) -> int:
    _err(d.summary_line(found.items))
    proposal = suggest(found.items, spec, spec_dir, found.snapshot)
    for line in proposal.done:
        _err(f"edit: {line}")
    for line in proposal.todo:
        _err(f"todo: {line}")
    if not proposal.changed:
        _err("no spec edit to suggest")
        return 1 if found.items else 0
    if not apply:
        click.echo(proposal.diff(), nl=False)
        return 1
    for path, backup in proposal.apply():
        _err(f"wrote {path} (backup: {backup.name})")
    after = _load(spec_dir)
    if after is None:
        return 1
    problems = docs_problems(spec_dir, after, found.snapshot, docs)
    if problems:
        _err(f"check against {docs}: {len(problems)} problem(s) left:")
        for problem in problems:
            _err(f"  {problem}")
        return 1
    _err(f"check against {docs}: ok (then run `uniall-spec snapshot update --docs {docs}` and `make generate`)")
    return 0


def _write_lock(found: _Drift, lock_file: Path, docs: str) -> None:
    current = d.baseline_of(found.snapshot, found.text)
    name = docs if docs.startswith(("http://", "https://")) else Path(docs).name
    _atomic_write(lock_file, d.dump_lock(current, name).encode("utf-8"))
    counts = ", ".join(f"{k} {v}" for k, v in d.fact_counts(current.facts).items())
    _err(f"lock updated: {lock_file} ({len(current.pages)} pages; facts: {counts})")


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def snapshot_update(docs: str, spec_dir: Path, force: bool) -> int:
    """``uniall-spec snapshot update``: pin new docs, their sha256 and provenance, and the facts lock.

    Refuses (exit 1, nothing written) when the spec does not cover the new docs, unless ``force``.
    """
    sources = spec_dir / "sources"
    found = _drift(docs, sources / d.LOCK_NAME, spec_dir, need_lock=False)
    if isinstance(found, int):
        return found
    spec = found.spec or _load(spec_dir)
    if spec is None:
        return 2
    pinned = pinned_docs(spec_dir)
    data = found.text.encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    old_digest = hashlib.sha256(pinned.read_bytes()).hexdigest() if pinned.is_file() else ""
    click.echo(d.render_text(found.items), nl=False)
    problems = uncovered(spec_dir, spec, found, docs)
    if problems:
        verb = "warning" if force else "error"
        _err(f"{verb}: the spec does not cover the new docs ({len(problems)} problem(s)):")
        for problem in problems:
            _err(f"  {problem}")
        if not force:
            _err("nothing written: follow the spec (`uniall-spec drift --suggest`), or pass --force")
            return 1
    if digest == old_digest:
        _err(f"{pinned} already holds these docs (sha256 {digest[:12]}); lock refreshed")
    lock_path = sources / SNAPSHOT_LOCK_NAME
    try:
        provenance = json.loads(lock_path.read_text(encoding="utf-8")) if lock_path.is_file() else {}
    except ValueError:
        provenance = {}
    remote = docs.startswith(("http://", "https://"))
    provenance.update(
        {
            "file": PINNED_DOCS_NAME,
            "sha256": digest,
            "bytes": len(data),
            "captured": datetime.datetime.now(datetime.UTC).date().isoformat(),
        }
    )
    if remote:
        provenance["origin"] = docs
        provenance.pop("copied_from", None)
    else:
        provenance["copied_from"] = str(Path(docs))
    _atomic_write(pinned, data)
    _atomic_write(lock_path, (json.dumps(provenance, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))
    _write_lock(found, sources / d.LOCK_NAME, PINNED_DOCS_NAME)
    _err(
        f"snapshot updated: {pinned} sha256 {old_digest[:12] or 'none'} -> {digest[:12]} "
        f"({len(found.snapshot.pages)} pages, {len(found.items)} drift item(s)); run `make generate` and commit"
    )
    return 0
