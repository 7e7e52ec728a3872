"""From drift items to the spec edit: ``uniall-spec drift --suggest`` (a patch) and ``--apply``.

Mechanical edits (each carries the new doc source: page, section, locale and a quote verified on
the new page):

- a range bound moved: the range rule's bounds, its string-form companion (a pattern or an enum of
  every integer) and the numbers in its message;
- a value added to or removed from a value list (enum, duration set, size list): the enum rule's
  values (number and string spellings kept alike) and its message where it lists them;
- when the fact changed for some of a rule's models only, the rule is split: a copy for those
  models with the new values, the original keeping the others (one rule per distinct value set);
- a model ID added (an entry copied from its nearest sibling on the same page), removed (the entry
  and every ``applies_to`` mention, a rule left with no model removed with it) or renamed;
- a page added (to the ``pages:`` of the file covering its folder), removed or moved;
- a quote that is no longer on its page but is once the changed values are substituted.

What a human must decide is left as a ``# TODO(drift): ...`` comment at the entry and listed in the
output: a new model's modes, endpoints and rules, a conflict whose evidence changed, a message that
still names old values, a fact no rule states. Everything else (required flags, limits in prose,
endpoints) is reported, not edited.
"""

from __future__ import annotations

import difflib
import re
import shutil
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import ScalarString

from . import model as m
from .docs_facts import Fact, page_facts, sections, tables
from .docs_snapshot import Page, Snapshot
from .drift import DriftItem
from .drift_impact import fmt_number, pattern_int_range, states, subject_models
from .yaml_edit import YamlFile, clone, comment_before, flow_map, flow_seq

TODO = "TODO(drift)"
VALUE_KINDS = ("range", "set", "enum", "size")


def int_range_pattern(low: int, high: int) -> str:
    """A pattern accepting exactly the integers ``low..high`` written as strings."""
    return "^(?:" + "|".join(str(n) for n in range(low, high + 1)) + ")$"


def _bounds(value: str) -> tuple[float, float] | None:
    match = re.fullmatch(r"(-?\d+(?:\.\d+)?)\.\.(-?\d+(?:\.\d+)?)", value)
    return (float(match.group(1)), float(match.group(2))) if match else None


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_numeric_string(value: Any) -> bool:
    return isinstance(value, str) and re.fullmatch(r"-?\d+(?:\.\d+)?", value) is not None


@dataclass(frozen=True)
class Change:
    """One fact's old and new values, as the edits use them."""

    kind: str
    removed: tuple[str, ...]
    added: tuple[str, ...]

    @property
    def range(self) -> tuple[tuple[float, float], tuple[float, float]] | None:
        if self.kind != "range" or len(self.removed) != 1 or len(self.added) != 1:
            return None
        old, new = _bounds(self.removed[0]), _bounds(self.added[0])
        return (old, new) if old and new else None

    def substitutions(self) -> list[tuple[str, str]]:
        """(old text, new text) pairs to rewrite quotes and messages: bounds, then single values."""
        pairs: list[tuple[str, str]] = []
        bounds = self.range
        if bounds is not None:
            (a, b), (c, d) = bounds
            pairs += [(fmt_number(a), fmt_number(c)), (fmt_number(b), fmt_number(d))]
        elif len(self.removed) == len(self.added):
            pairs += list(zip(self.removed, self.added, strict=True))
        return [(x, y) for x, y in pairs if x != y]


def substitute(text: str, pairs: list[tuple[str, str]]) -> str:
    """Replace each old value where it stands alone (not inside a longer number or word)."""
    for old, new in pairs:
        text = re.sub(rf"(?<![\w.]){re.escape(old)}(?![\w]|\.\d)", new, text)
    return text


@dataclass
class Suggestion:
    root: Path  # paths in the patch are relative to this (the spec directory's parent)
    files: list[YamlFile]
    done: list[str] = field(default_factory=list)
    todo: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[YamlFile]:
        return [f for f in self.files if f.changed and f.text() != f.original]

    def _name(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def diff(self) -> str:
        out: list[str] = []
        for f in self.changed:
            name = self._name(f.path)
            out += difflib.unified_diff(
                f.original.splitlines(keepends=True),
                f.text().splitlines(keepends=True),
                fromfile=f"a/{name}",
                tofile=f"b/{name}",
            )
        return "".join(out)

    def apply(self) -> list[tuple[Path, Path]]:
        """Write every changed file after copying it to a backup; (file, backup) pairs."""
        written: list[tuple[Path, Path]] = []
        for f in self.changed:
            backup = f.path.with_name(f.path.name + ".bak")
            number = 1
            while backup.exists():
                backup = f.path.with_name(f"{f.path.name}.bak.{number}")
                number += 1
            shutil.copy2(f.path, backup)
            f.path.write_text(f.text(), encoding="utf-8")
            written.append((f.path, backup))
        return written


class _Editor:
    def __init__(self, spec_dir: Path, spec: m.Spec, snapshot: Snapshot) -> None:
        self.spec_dir = spec_dir
        self.spec = spec
        self.snapshot = snapshot
        self._files: dict[str, YamlFile] = {}
        self._page_facts: dict[Page, list[Fact]] = {}
        self.done: list[str] = []
        self.todo: list[str] = []

    # ---- files and entries ----------------------------------------------------------------------

    def path_of(self, family_id: str) -> Path:
        if family_id == "common":
            return self.spec_dir / "common.yaml"
        return self.spec_dir / "families" / f"{family_id}.yaml"

    def file(self, family_id: str) -> YamlFile:
        if family_id not in self._files:
            self._files[family_id] = YamlFile.load(self.path_of(family_id))
        return self._files[family_id]

    def entry(self, family_id: str, key: str, ident: str) -> tuple[YamlFile, CommentedSeq, int] | None:
        doc = self.file(family_id)
        seq = doc.data.get(key)
        if not isinstance(seq, CommentedSeq):
            return None
        for index, node in enumerate(seq):
            if isinstance(node, CommentedMap) and node.get("id", node.get("name")) == ident:
                return doc, seq, index
        return None

    def note(self, doc: YamlFile, seq: CommentedSeq, index: int, text: str) -> None:
        """A TODO(drift) comment above entry ``index`` and a line in the output."""
        _, col = seq.lc.item(index) if index < len(seq.lc.data) else (0, 4)
        comment_before(seq, index, f"{TODO}: {text}", max(col - 2, 0))
        doc.changed = True
        ident = seq[index].get("id", seq[index].get("name", "")) if isinstance(seq[index], CommentedMap) else ""
        self.todo.append(f"{self._rel(doc.path)} {ident}: {text}")

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.spec_dir.parent).as_posix()
        except ValueError:
            return str(path)

    # ---- sources and quotes -----------------------------------------------------------------------

    def quote_for(self, item: DriftItem, old_quote: str | None, change: Change) -> str | None:
        """A quote on the new page stating the new values: the old quote rewritten, else the table cell."""
        page = self.snapshot.find(item.page, item.locale)
        if page is None:
            return None
        if old_quote:
            rewritten = substitute(old_quote, change.substitutions())
            if rewritten != old_quote and page.contains(rewritten):
                return rewritten
        match = re.fullmatch(r"(.+?) \[(.+)\]", item.subject)
        if match is None:
            return None
        key, header = match.group(1), match.group(2)
        for section in sections(page):
            if section.title != item.section:
                continue
            for table in tables(section.prose):
                headers = [" ".join(h.replace("`", "").split()).lower() for h in table.headers]
                for row in table.rows:
                    first = row[0].replace("`", "").strip()
                    if first == key and header in headers:
                        cell = " ".join(row[headers.index(header)].split())
                        quote = f"{row[0].strip()} | {cell}" if page.contains(f"{row[0].strip()} | {cell}") else cell
                        if quote and page.contains(quote):
                            return quote
        return None

    def set_source(self, node: CommentedMap, item: DriftItem, change: Change) -> None:
        old = node.get("source")
        old_quote = old.get("quote") if isinstance(old, dict) else None
        source = CommentedMap()
        source["page"] = item.page
        source["section"] = item.section
        if item.locale != "en":
            source["locale"] = item.locale
        quote = self.quote_for(item, old_quote, change)
        if quote:
            source["quote"] = _like(old_quote, quote)
        node["source"] = source

    # ---- value edits ------------------------------------------------------------------------------

    def edit_values(self, node: CommentedMap, change: Change) -> bool:
        """Apply ``change`` to a rule (or its ``then`` effect); False when nothing fits."""
        target: CommentedMap = node
        then = node.get("then")
        if isinstance(then, CommentedMap) and len(then) == 1:
            ((effect_kind, body),) = then.items()
            if effect_kind in ("range", "enum") and isinstance(body, CommentedMap):
                target = body
        kind = node.get("kind") if target is node else next(iter(then))
        bounds = change.range
        if bounds is not None:
            (a, b), (c, d) = bounds
            if kind == "range" and (target.get("minimum"), target.get("maximum")) == (_number(str(a)), _number(str(b))):
                target["minimum"], target["maximum"] = _number(str(c)), _number(str(d))
                return True
            if kind == "pattern" and pattern_int_range(str(target.get("pattern", ""))) == (int(a), int(b)):
                target["pattern"] = int_range_pattern(int(c), int(d))
                return True
            if kind == "enum" and isinstance(target.get("values"), CommentedSeq):
                values = target["values"]
                ints = sorted({int(float(v)) for v in values if _is_number(v) or _is_numeric_string(v)})
                if ints == list(range(int(a), int(b) + 1)):
                    numbers = list(range(int(c), int(d) + 1))
                    new: list[int | str] = [n for n in numbers if any(_is_number(v) for v in values)]
                    new += [str(n) for n in numbers if any(_is_numeric_string(v) for v in values)]
                    target["values"] = flow_seq(new)
                    return True
            return False
        values = target.get("values")
        if kind != "enum" or not isinstance(values, CommentedSeq):
            return False
        kept = [v for v in values if str(v) not in change.removed]
        has_numbers = any(_is_number(v) for v in values)
        has_strings = any(isinstance(v, str) for v in values)
        for text in change.added:
            numeric = re.fullmatch(r"-?\d+(?:\.\d+)?", text) is not None
            forms: list[Any] = []
            if numeric and has_numbers:
                forms.append(_number(text))
            if has_strings or not numeric or not has_numbers:
                forms.append(text)
            kept += [f for f in forms if f not in kept]
        numbers = sorted(v for v in kept if _is_number(v))
        sample = next((v for v in values if isinstance(v, ScalarString)), None)
        strings = [
            _like(sample, v) if isinstance(v, str) and sample is not None else v for v in kept if not _is_number(v)
        ]
        if all(_is_numeric_string(v) for v in strings):
            strings = sorted(strings, key=float)
        target["values"] = flow_seq([*numbers, *strings])
        return True

    def edit_message(self, doc: YamlFile, seq: CommentedSeq, index: int, change: Change, old_values: list[Any]) -> None:
        node = seq[index]
        message = str(node.get("message", ""))
        pairs = change.substitutions()
        rewritten = substitute(message, pairs) if pairs else message
        if change.range is None and len(change.added) != len(change.removed):
            rewritten = _relist(message, old_values, node)
            if rewritten == message:
                self.note(doc, seq, index, f"the message may still list the old values ({', '.join(change.removed)})")
                return
        if rewritten != message:
            node["message"] = type(node["message"])(rewritten) if type(node["message"]) is not str else rewritten
        elif any(re.search(rf"(?<![\w.]){re.escape(v)}(?![\w])", message) for v, _ in pairs):
            self.note(doc, seq, index, "the message still names the old values: reword it")

    def value_change(self, rule: m.Rule, items: list[DriftItem]) -> None:
        family = rule.family
        found = self.entry(family, "rules", rule.id)
        if found is None:
            return
        doc, seq, index = found
        by_change: dict[Change, list[DriftItem]] = defaultdict(list)
        for item in items:
            by_change[Change(item.fact_kind, item.removed, item.added)].append(item)
        for change, group in by_change.items():
            models = set().union(*(subject_models(i, self.spec) for i in group))
            rule_models = list(rule.applies_to.models)
            item = next((i for i in group if i.locale == (rule.source.locale or "en")), group[0])
            old_values = list(_values_of(seq[index]))
            what = f"{item.kind} `{item.subject}` ({', '.join(change.removed)} -> {', '.join(change.added)})"
            if models and rule_models and not set(rule_models) <= models:
                node = clone(seq[index])
                keep = [x for x in rule_models if x not in models]
                moved = [x for x in rule_models if x in models]
                ids = {r.id for r in self.spec.rules}
                new_id = base_id = f"{rule.id}-{_split_suffix(change, moved)}"
                suffix = 2
                while new_id in ids:
                    new_id, suffix = f"{base_id}-{suffix}", suffix + 1
                node["id"] = new_id
                node["applies_to"] = flow_map(models=flow_seq(moved))
                original = seq[index]
                scope = CommentedMap()
                for k, v in (original.get("applies_to") or {}).items():
                    scope[k] = v
                scope["models"] = flow_seq(keep)
                scope.fa.set_flow_style()
                original["applies_to"] = scope
                if not self.edit_values(node, change):
                    self.todo.append(f"{self._rel(doc.path)} {rule.id}: {what}: no mechanical edit fits this rule")
                    continue
                self.set_source(node, item, change)
                seq.insert(index + 1, node)
                doc.changed = True
                self.edit_message(doc, seq, index + 1, change, old_values)
                for at, others in ((index, moved), (index + 1, keep)):
                    named = [x for x in others if x in str(seq[at].get("message", ""))]
                    if named:
                        self.note(doc, seq, at, f"the message names {', '.join(named)}, no longer in this rule's scope")
                self.done.append(f"{self._rel(doc.path)}: split {new_id} from {rule.id} for {', '.join(moved)}: {what}")
                self.note_still_stated(doc, seq, index + 1, rule, item, models)
                self._conflicts_of(
                    rule.id, change, f"{rule.id} was split: {new_id} holds the new values for {', '.join(moved)}"
                )
                continue
            if not self.edit_values(seq[index], change):
                self.todo.append(f"{self._rel(doc.path)} {rule.id}: {what}: no mechanical edit fits this rule")
                continue
            self.set_source(seq[index], item, change)
            doc.changed = True
            self.edit_message(doc, seq, index, change, old_values)
            self.done.append(f"{self._rel(doc.path)}: {rule.id}: {what}")
            self.note_still_stated(doc, seq, index, rule, item, models)
            if models and not rule_models:
                self.note(
                    doc,
                    seq,
                    index,
                    f"applies to every model of the family; the docs changed it for {', '.join(sorted(models))}",
                )
            self._conflicts_of(rule.id, change, f"the docs changed a value this conflict settles: {what}")

    def note_still_stated(
        self, doc: YamlFile, seq: CommentedSeq, index: int, rule: m.Rule, item: DriftItem, models: set[str]
    ) -> None:
        """A TODO when other places in the new docs still state the old values: the docs now disagree."""
        places: set[str] = set()
        for page_name in self.spec.family(rule.family).pages:
            for page in self.snapshot.locales_of(page_name):
                if page not in self._page_facts:
                    self._page_facts[page] = page_facts(page)
                for fact in self._page_facts[page]:
                    if fact.kind != item.fact_kind or set(fact.values) != set(item.before):
                        continue
                    probe = DriftItem("", fact.page, fact.locale, fact.section, fact.subject, fact.kind)
                    probe.before = fact.values
                    named = subject_models(probe, self.spec)
                    if models and named and not named & models:
                        continue
                    if states(rule, probe, self.spec):
                        places.add(f"{fact.page} [{fact.locale}] § {fact.section}")
        if places:
            shown = "; ".join(sorted(places)[:3]) + (f" and {len(places) - 3} more" if len(places) > 3 else "")
            self.note(
                doc,
                seq,
                index,
                f"the docs still state {', '.join(item.before)} at {shown}: they now disagree, record a conflict",
            )

    def _conflicts_of(self, rule_id: str, change: Change, text: str) -> None:
        """A TODO on each conflict that settles ``rule_id`` and quotes one of the old values."""
        olds = [old for old, _ in change.substitutions()] or list(change.removed)
        for conflict in self.spec.conflicts:
            quoted = any(substitute(cl.quote, [(v, "\x00") for v in olds]) != cl.quote for cl in conflict.claims)
            if rule_id in conflict.rules and quoted:
                found = self.entry(conflict.family, "conflicts", conflict.id)
                if found is not None:
                    self.note(*found, f"{text}; re-read the claims and the reading")

    # ---- quotes that the change moved ---------------------------------------------------------------

    def requote(self, changes: dict[tuple[str, str], list[Change]]) -> None:
        """Rewrite quotes no longer on their changed page when substituting the new values puts them back."""
        for family in self.spec.all_families:
            if not any(page in family.pages for page, _ in changes):
                continue
            doc = self.file(family.id)
            for parent, key, data in _quote_holders(doc.data):
                source = data if key == "quote" and "page" in data else parent.get("source", {})
                page_name, locale = source.get("page"), source.get("locale") or "en"
                quote = data.get("quote") if isinstance(data, dict) else None
                if not page_name or quote is None or (page_name, locale) not in changes:
                    continue
                page = self.snapshot.find(page_name, locale)
                if page is None or page.contains(str(quote)):
                    continue
                for change in changes[(page_name, locale)]:
                    rewritten = substitute(str(quote), change.substitutions())
                    if rewritten != quote and page.contains(rewritten):
                        data["quote"] = _like(quote, rewritten)
                        doc.changed = True
                        self.done.append(f"{self._rel(doc.path)}: quote rewritten for the new values: {rewritten!r}")
                        break

    # ---- models and pages -------------------------------------------------------------------------

    def in_docs(self, token: str) -> bool:
        return any(token in p.flat for p in self.snapshot.pages)

    def family_of_page(self, page: str) -> m.Family | None:
        owners = [f for f in self.spec.all_families if page in f.pages]
        if owners:
            return owners[0]

        def shared(f: m.Family) -> int:
            return max((len(_common_prefix(page, p)) for p in f.pages), default=0)

        return max(self.spec.all_families, key=shared, default=None)

    def add_model(self, item: DriftItem) -> None:
        family = self.family_of_page(item.page)
        if family is None or family.id == "common" or not family.models:
            self.todo.append(f"new model {item.subject} on {item.page}: no family file to add it to")
            return
        same_page = [md for md in family.models if md.source.page == item.page] or list(family.models)
        template = max(same_page, key=lambda md: difflib.SequenceMatcher(None, md.id, item.subject).ratio())
        found = self.entry(family.id, "models", template.id)
        if found is None:
            return
        doc, seq, index = found
        node = CommentedMap()
        for key, value in seq[index].items():
            if key in ("title", "notes"):
                continue
            node[key] = clone(value)
        node["id"] = item.subject
        source = CommentedMap()
        source["page"], source["section"] = item.page, item.section
        if item.locale != "en":
            source["locale"] = item.locale
        page = self.snapshot.find(item.page, item.locale)
        if page is not None and page.contains(f"`{item.subject}`"):
            source["quote"] = f"`{item.subject}`"
        source.fa.set_flow_style()
        node["source"] = source
        seq.insert(index + 1, node)
        doc.changed = True
        self.done.append(f"{self._rel(doc.path)}: model {item.subject} added after {template.id}")
        self.note(
            doc,
            seq,
            index + 1,
            f"new model {item.subject}: status, modes, endpoints and attributes are copied from {template.id}; "
            f"confirm them and add it to the rules that apply to it",
        )

    def remove_model(self, item: DriftItem) -> bool:
        model_id = item.subject
        owner = next((f for f in self.spec.families if model_id in {md.id for md in f.models}), None)
        if owner is None:
            return False
        if self.in_docs(model_id):
            pages = sorted({f"{p.page} [{p.locale}]" for p in self.snapshot.pages if model_id in p.flat})
            self.todo.append(f"model {model_id} left {item.page} but is still on {', '.join(pages[:3])}: kept")
            return False
        doc = self.file(owner.id)
        models = doc.data["models"]
        index = next(i for i, md in enumerate(models) if md.get("id") == model_id)
        del models[index]
        doc.changed = True
        self.done.append(f"{self._rel(doc.path)}: model {model_id} removed")
        rules = doc.data.get("rules") or []
        gone: list[str] = []
        for rule in list(rules):
            scope = rule.get("applies_to")
            listed = scope.get("models") if isinstance(scope, CommentedMap) else None
            if isinstance(listed, CommentedSeq) and model_id in listed:
                listed.remove(model_id)  # a shared (anchored) list drops it for every rule that aliases it
                if not listed:
                    gone.append(str(rule["id"]))
        for rule_id in gone:
            rules.remove(next(r for r in rules if r.get("id") == rule_id))
            self.done.append(f"{self._rel(doc.path)}: rule {rule_id} removed (it applied to {model_id} only)")
        conflicts = doc.data.get("conflicts")
        if not isinstance(conflicts, CommentedSeq):
            return True
        for conflict in conflicts:
            listed = conflict.get("rules")
            for rule_id in gone:
                if isinstance(listed, CommentedSeq) and rule_id in listed:
                    listed.remove(rule_id)
        for index, conflict in enumerate(conflicts):
            claims = conflict.get("claims") or []
            if any(model_id in str(c.get("quote", "")) + str(c.get("says", "")) for c in claims):
                self.note(doc, conflicts, index, f"{model_id} left the docs: re-read this conflict's claims")
        return True

    def rename_model(self, old: str, new: str) -> None:
        owner = next((f for f in self.spec.families if old in {md.id for md in f.models}), None)
        if owner is None:
            return
        doc = self.file(owner.id)
        _rename(doc.data, old, new, self.snapshot)
        doc.changed = True
        self.done.append(f"{self._rel(doc.path)}: model {old} renamed {new}")

    def add_page(self, page: str) -> None:
        family = self.family_of_page(page)
        if family is None:
            self.todo.append(f"new page {page}: no spec file to list it in")
            return
        doc = self.file(family.id)
        pages = doc.data.get("pages")
        if not isinstance(pages, CommentedSeq):
            return
        pages.append(page)
        doc.changed = True
        self.note(doc, pages, len(pages) - 1, "new doc page: read it in both locales and cite what it states")
        self.done.append(f"{self._rel(doc.path)}: page {page} added to pages:")

    def remove_page(self, page: str) -> None:
        if self.snapshot.locales_of(page):
            return  # the other locale still has it: the page stays listed
        for family in self.spec.all_families:
            if page not in family.pages:
                continue
            doc = self.file(family.id)
            pages = doc.data["pages"]
            pages.remove(page)
            doc.changed = True
            self.done.append(f"{self._rel(doc.path)}: page {page} removed from pages:")
            citing = sorted(
                {
                    str(parent.get("id", parent.get("name", "")))
                    for parent, _, d in _quote_holders(doc.data)
                    if d.get("page") == page
                }
            )
            if citing:
                self.todo.append(
                    f"{self._rel(doc.path)}: {len(citing)} entr(ies) cite the removed page {page}: "
                    f"{', '.join(c for c in citing if c)}; find where the docs state them now"
                )

    def move_page(self, old: str, new: str) -> None:
        for family in self.spec.all_families:
            if old not in family.pages:
                continue
            doc = self.file(family.id)
            _replace_scalar(doc.data, old, new)
            doc.changed = True
            self.done.append(f"{self._rel(doc.path)}: page {old} is now {new}")


def _like(sample: Any, text: str) -> Any:
    """``text`` quoted the way ``sample`` was (ruamel keeps the style on the scalar's type)."""
    return type(sample)(text) if isinstance(sample, ScalarString) else text


def _values_of(node: CommentedMap) -> list[Any]:
    then = node.get("then")
    body = then.get("enum") if isinstance(then, CommentedMap) else None
    values = (body if isinstance(body, CommentedMap) else node).get("values")
    return list(values) if isinstance(values, CommentedSeq) else []


def _spoken(values: list[Any]) -> list[str]:
    """How messages list values: numbers as numbers, each string once."""
    out: list[str] = []
    for value in values:
        text = fmt_number(value) if _is_number(value) else str(value)
        if text not in out:
            out.append(text)
    return out


def _relist(message: str, old: list[Any], node: CommentedMap) -> str:
    """The message with its list of the old values (``a, b, c`` or ``a, b or c``) replaced by the new list."""
    before, after = _spoken(old), _spoken(_values_of(node))
    if not before or not after:
        return message
    for join in (lambda v: ", ".join(v), lambda v: ", ".join(v[:-1]) + " or " + v[-1] if len(v) > 1 else v[0]):
        if join(before) in message:
            return message.replace(join(before), join(after))
    return message


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _split_suffix(change: Change, models: list[str]) -> str:
    """How a split rule's ID tells it apart: its new range, else its model(s)."""
    bounds = change.range
    if bounds is not None:
        return f"{fmt_number(bounds[1][0])}-to-{fmt_number(bounds[1][1])}"
    more = f"-and-{len(models) - 1}-more" if len(models) > 1 else ""
    return _slug(models[0]) + more


def _common_prefix(a: str, b: str) -> str:
    size = 0
    while size < min(len(a), len(b)) and a[size] == b[size]:
        size += 1
    return a[:size]


def _quote_holders(node: Any, parent: Any = None) -> list[tuple[Any, str, Any]]:
    """(owning entry, key, mapping) for every ``source`` mapping and conflict claim in a file."""
    found: list[tuple[Any, str, Any]] = []
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if key == "source" and isinstance(value, CommentedMap):
                found.append((node, "source", value))
            elif key == "claims" and isinstance(value, CommentedSeq):
                for claim in value:
                    if isinstance(claim, CommentedMap) and "quote" in claim:
                        found.append((claim, "quote", claim))
                    found += _quote_holders(claim, node)
            else:
                found += _quote_holders(value, node)
    elif isinstance(node, CommentedSeq):
        for value in node:
            found += _quote_holders(value, parent)
    return found


def _replace_scalar(node: Any, old: str, new: str) -> None:
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if value == old:
                node[key] = new
            else:
                _replace_scalar(value, old, new)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            if value == old:
                node[index] = new
            else:
                _replace_scalar(value, old, new)


_PROSE_KEYS = ("message", "notes", "description", "title", "topic", "reading", "reason", "says")


def _rename(node: Any, old: str, new: str, snapshot: Snapshot, source: Any = None) -> None:
    """Replace a model ID: exact values everywhere, inside prose, and in quotes the new page holds."""
    pattern = re.compile(rf"(?<![\w.-]){re.escape(old)}(?![\w-]|\.\d)")
    if isinstance(node, CommentedMap):
        for key, value in node.items():
            if value == old:
                node[key] = new
            elif isinstance(value, str) and key in _PROSE_KEYS and pattern.search(value):
                node[key] = type(value)(pattern.sub(new, value)) if type(value) is not str else pattern.sub(new, value)
            elif isinstance(value, str) and key == "quote" and pattern.search(value):
                where = node if "page" in node else (node.get("source") or {})
                page = snapshot.find(str(where.get("page")), str(where.get("locale") or "en"))
                rewritten = pattern.sub(new, value)
                if page is not None and page.contains(rewritten):
                    node[key] = rewritten
            else:
                _rename(value, old, new, snapshot)
    elif isinstance(node, CommentedSeq):
        for index, value in enumerate(node):
            if value == old:
                node[index] = new
            else:
                _rename(value, old, new, snapshot)


def _renames(items: list[DriftItem], snapshot: Snapshot, models: set[str]) -> list[tuple[DriftItem, DriftItem]]:
    """(removed, added) model items on one page whose IDs are near: one model renamed."""
    removed = [i for i in items if i.kind == "model removed" and i.subject in models]
    added = [i for i in items if i.kind == "model added" and i.subject not in models]
    pairs: list[tuple[DriftItem, DriftItem]] = []
    for old in removed:
        if any(old.subject in p.flat for p in snapshot.pages):
            continue
        near = [
            (difflib.SequenceMatcher(None, old.subject, new.subject).ratio(), new)
            for new in added
            if new.page == old.page and new.locale == old.locale and new not in [p[1] for p in pairs]
        ]
        near = [x for x in near if x[0] >= 0.75]
        if near:
            pairs.append((old, max(near, key=lambda x: x[0])[1]))
    return pairs


def suggest(items: list[DriftItem], spec: m.Spec, spec_dir: Path, snapshot: Snapshot) -> Suggestion:
    """The spec edit for the mechanical drift items; the rest is listed as work for a human."""
    editor = _Editor(spec_dir, spec, snapshot)
    models = {md.id for md in spec.models}
    rules_by_id = {r.id: r for r in spec.rules}
    by_rule: dict[str, list[DriftItem]] = defaultdict(list)
    changes: dict[tuple[str, str], list[Change]] = defaultdict(list)
    handled: set[int] = set()

    renamed = _renames(items, snapshot, models)
    renamed_ids = {id(i) for pair in renamed for i in pair}
    for old, new in dict.fromkeys((o.subject, n.subject) for o, n in renamed):
        editor.rename_model(old, new)
    seen_models: set[str] = set()
    for item in items:
        if id(item) in renamed_ids:
            continue
        if (
            item.kind
            in (
                "set changed",
                "range changed",
                "enum values changed",
                "enum value added",
                "enum value removed",
                "size list changed",
            )
            and item.fact_kind in VALUE_KINDS
        ):
            changes[(item.page, item.locale)].append(Change(item.fact_kind, item.removed, item.added))
            targets = [r for r in spec.rules if states(r, item, spec)]
            for rule in targets:
                by_rule[rule.id].append(item)
            if targets:
                handled.add(id(item))
        elif item.kind == "model added" and item.subject not in models and item.subject not in seen_models:
            if not any(item.subject == n.token for n in spec.not_models):
                editor.add_model(item)
                seen_models.add(item.subject)
            handled.add(id(item))
        elif item.kind == "model removed" and item.subject not in seen_models:
            seen_models.add(item.subject)
            if editor.remove_model(item):
                handled.add(id(item))
        elif item.kind == "page added":
            if item.locale == "en" or not any(
                i.kind == "page added" and i.page == item.page and i.locale == "en" for i in items
            ):
                editor.add_page(item.page)
            handled.add(id(item))
        elif item.kind == "page removed":
            if not any(i.kind == "page removed" and i.page == item.page for i in items[: items.index(item)]):
                editor.remove_page(item.page)
            handled.add(id(item))
        elif item.kind == "page moved":
            was = item.detail.removeprefix("was ")
            if item.locale == "en":
                editor.move_page(was, item.page)
            handled.add(id(item))
    for rule_id, group in by_rule.items():
        editor.value_change(rules_by_id[rule_id], group)
    editor.requote(changes)
    for item in items:
        if (
            id(item) in handled
            or id(item) in renamed_ids
            or item.review
            or item.kind in ("model added", "model removed")
        ):
            continue
        editor.todo.append(
            f"{item.kind} `{item.subject}` at {item.page} [{item.locale}] § {item.section}: "
            "no mechanical edit; decide by hand"
        )
    return Suggestion(spec_dir.parent, list(editor._files.values()), editor.done, editor.todo)
