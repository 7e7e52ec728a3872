"""What in the spec each drift item touches, ranked, with the file and line to edit.

For a changed value fact (a range, a value list, a limit) the entries are ranked:

1. ``states``: a rule about the fact's field (and model, when the fact names one) whose values
   are the fact's old values, e.g. ``range 4..15`` for a duration row that said `4` `15`; the
   string-form companion of such a rule (a pattern accepting exactly 4..15, an enum of every
   integer) counts too. Conflicts that name such a rule rank here as well.
2. ``cites``: a rule or conflict citing the fact's page and section (or the same section in the
   other locale) and about its field or model.
3. ``related``: on the page and about the same field, the field's declaration, the model's entry.

``DriftItem.rules`` and ``.conflicts`` hold the best rank found (1, else 2); ``.impact`` holds all
of them with file:line, best first.
"""

from __future__ import annotations

import re
from pathlib import Path

from . import model as m
from .docs_snapshot import Snapshot
from .drift import DriftItem, Impact, counterparts, sections_match
from .spec_locations import Location, locate

RANKS = {1: "states", 2: "cites", 3: "related"}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def fmt_number(value: float | int | str) -> str:
    number = float(value)
    return str(int(number)) if number.is_integer() else str(number)


def pattern_int_range(pattern: str, limit: int = 1000) -> tuple[int, int] | None:
    """The integer range a pattern accepts as strings when it is exactly ``lo..hi`` (below ``limit``)."""
    try:
        regex = re.compile(pattern)
    except re.error:
        return None
    ok = [n for n in range(limit) if regex.search(str(n))]
    if not ok or ok != list(range(ok[0], ok[-1] + 1)) or regex.search("x") or regex.search(f"{ok[0]}.5"):
        return None
    return ok[0], ok[-1]


def _value_statements(kind: str, values: tuple[m.Scalar, ...], low: float | None, high: float | None) -> set[str]:
    out: set[str] = set()
    if kind == "range" and low is not None and high is not None:
        out.add(f"{fmt_number(low)}..{fmt_number(high)}")
    if kind == "enum":
        out |= {str(v) for v in values}
        ints = sorted({int(float(v)) for v in values if _NUMBER.fullmatch(str(v)) and float(v).is_integer()})
        if len(ints) > 2 and ints == list(range(ints[0], ints[-1] + 1)):
            out.add(f"{ints[0]}..{ints[-1]}")
    return out


def stated_values(rule: m.Rule) -> set[str]:
    """The fact values a rule states: ``4..15`` for a range, the members of an enum, bound numbers."""
    out = _value_statements(rule.kind, rule.values, rule.minimum, rule.maximum)
    if rule.kind == "pattern" and rule.pattern:
        bounds = pattern_int_range(rule.pattern)
        if bounds is not None:
            out.add(f"{bounds[0]}..{bounds[1]}")
    for bound in (rule.maximum, rule.minimum, rule.max_items, rule.min_items, rule.max_length, rule.min_length):
        if bound is not None:
            out.add(fmt_number(bound))
    effect = rule.effect
    if effect is not None:
        out |= _value_statements(effect.kind, effect.values, effect.minimum, effect.maximum)
        for bound in (effect.maximum, effect.minimum, effect.max_items, effect.min_items):
            if bound is not None:
                out.add(fmt_number(bound))
    return out


def fact_values(item: DriftItem) -> set[str]:
    """The old values of a fact in the form :func:`stated_values` uses (limits reduced to numbers)."""
    values = set(item.before)
    if item.fact_kind == "limit":
        values = {n for v in values for n in _NUMBER.findall(v)}
    return values


def rule_fields(rule: m.Rule) -> set[str]:
    names = {rule.field or "", *rule.fields}
    if rule.effect is not None:
        names |= {rule.effect.field or "", *rule.effect.fields}
    names.discard("")
    leaves = {n.replace("[]", "").rsplit(".", 1)[-1] for n in names}
    return {n.replace("[]", "") for n in names} | leaves


def subject_tokens(item: DriftItem) -> set[str]:
    text = item.subject.replace("`", " ").replace("[", " ").replace("]", " ").replace(":", " ")
    tokens = {t.strip(",.()") for t in text.split()}
    tokens |= {t.rsplit(".", 1)[-1] for t in tokens}
    return {t for t in tokens if t}


def subject_models(item: DriftItem, spec: m.Spec) -> set[str]:
    models = {md.id for md in spec.models}
    return subject_tokens(item) & models


def states(rule: m.Rule, item: DriftItem, spec: m.Spec) -> bool:
    """True when ``rule`` states the fact ``item`` changed: same field, model in scope, same old values."""
    if not item.before:
        return False
    models = subject_models(item, spec)
    if models and rule.applies_to.models and not models & set(rule.applies_to.models):
        return False
    # About the fact's field, or (a per-model table whose column names no field) scoped to its model.
    if not (rule_fields(rule) & subject_tokens(item)) and not (models and rule.applies_to.models):
        return False
    said, old = stated_values(rule), fact_values(item)
    if item.fact_kind == "range":
        return bool(said & old)
    if item.fact_kind in ("enum", "set", "size"):
        return old == said  # a superset or a partial overlap is related, not the statement
    return bool(said & old)


class Annotator:
    """Fills drift items with the spec entries they touch; built once per spec and snapshot."""

    def __init__(self, spec: m.Spec, snapshot: Snapshot | None, spec_dir: Path | None) -> None:
        self.spec = spec
        self.pairs = counterparts(snapshot) if snapshot is not None else {}
        self.locations: dict[tuple[str, str], Location] = locate(spec_dir) if spec_dir is not None else {}
        self.family_of_model = {md.id: f for f in spec.all_families for md in f.models}
        self.not_models = {n.token: f for f in spec.all_families for n in f.not_models}

    def cited(self, source: m.Source, item: DriftItem) -> bool:
        locale = source.locale or "en"
        if source.page != item.page:
            return False
        if locale == item.locale and sections_match(source.section, item.section):
            return True
        other = self.pairs.get((item.page, item.locale, item.section))
        return other is not None and other[0] == locale and sections_match(source.section, other[1])

    def impact(self, kind: str, ident: str, rank: int) -> Impact:
        where = self.locations.get((kind, ident))
        return Impact(kind, ident, rank, where.file if where else "", where.line if where else 0)

    def annotate(self, item: DriftItem) -> None:
        spec = self.spec
        families = [f for f in spec.all_families if item.page in f.pages]
        files = {f.file for f in families}
        on_page = [r for r in spec.rules if r.source.page == item.page]
        page_conflicts = [c for c in spec.conflicts if any(cl.source.page == item.page for cl in c.claims)]
        found: list[Impact] = []
        if item.kind in ("page removed", "page added", "page moved"):
            found += [self.impact("rule", r.id, 2) for r in on_page]
            found += [self.impact("conflict", c.id, 2) for c in page_conflicts]
        elif item.kind == "page changed":
            pass
        elif item.fact_kind == "model":
            owner = self.family_of_model.get(item.subject) or self.not_models.get(item.subject)
            if owner is not None:
                files.add(owner.file)
            if item.subject in self.family_of_model:
                found.append(self.impact("model", item.subject, 1))
                item.detail = item.detail or f"in the spec as a model of {self.family_of_model[item.subject].id}"
            elif item.subject in self.not_models:
                item.detail = item.detail or "in the spec as not a model (not_models)"
            else:
                item.detail = item.detail or "not in the spec"
            found += [self.impact("rule", r.id, 2) for r in spec.rules if item.subject in r.applies_to.models]
            found += [
                self.impact("conflict", c.id, 3)
                for c in spec.conflicts
                if any(item.subject in cl.quote for cl in c.claims)
            ]
        elif item.fact_kind == "endpoint":
            try:
                endpoint = spec.endpoint(item.subject)
                files |= {spec.family(fid).file for fid in endpoint.families}
                item.detail = item.detail or "in the spec"
            except KeyError:
                item.detail = item.detail or "not in the spec"
            found += [self.impact("rule", r.id, 2) for r in on_page if item.subject in r.applies_to.endpoints]
            path = item.subject.split()[-1]
            found += [
                self.impact("conflict", c.id, 2) for c in page_conflicts if any(path in cl.quote for cl in c.claims)
            ]
        else:
            found += self._value_impact(item, on_page, page_conflicts)
        best: dict[tuple[str, str], Impact] = {}
        for entry in found:
            key = (entry.kind, entry.id)
            if key not in best or entry.rank < best[key].rank:
                best[key] = entry
        item.impact = sorted(
            best.values(), key=lambda e: (e.rank, ("rule", "conflict", "model", "field").index(e.kind), e.id)
        )
        files |= {e.file for e in item.impact if e.file and e.rank <= 2}
        item.spec_files = sorted(files)
        for kind, target in (("rule", item.rules), ("conflict", item.conflicts)):
            ranked = [e for e in item.impact if e.kind == kind and e.rank <= 2]
            top = min((e.rank for e in ranked), default=0)
            target[:] = [e.id for e in ranked if e.rank == top]

    def _value_impact(self, item: DriftItem, on_page: list[m.Rule], page_conflicts: list[m.Conflict]) -> list[Impact]:
        spec = self.spec
        tokens = subject_tokens(item)
        models = subject_models(item, spec)
        found: list[Impact] = []
        direct: set[str] = set()
        family_ids = {f.id for f in spec.all_families if item.page in f.pages}
        for rule in spec.rules:
            if rule.family not in family_ids:
                continue
            about = bool(rule_fields(rule) & tokens)
            scoped = bool(models & set(rule.applies_to.models))
            if states(rule, item, spec):
                found.append(self.impact("rule", rule.id, 1))
                direct.add(rule.id)
            elif rule.source.page == item.page and self.cited(rule.source, item) and (about or scoped):
                found.append(self.impact("rule", rule.id, 2))
            elif rule.source.page == item.page and about:
                found.append(self.impact("rule", rule.id, 3))
        old_values = {n for v in item.before for n in re.findall(r"[^\s.`]+(?:\.\d+)?", v.replace("..", " "))}
        for conflict in page_conflicts:
            quoted = any(old_values & set(re.findall(r"[^\s`|,:]+", cl.quote)) for cl in conflict.claims)
            if direct & set(conflict.rules) and quoted:
                found.append(self.impact("conflict", conflict.id, 1))
            elif direct & set(conflict.rules) or any(self.cited(cl.source, item) for cl in conflict.claims):
                found.append(self.impact("conflict", conflict.id, 2))
            elif any(tokens & set(cl.quote.replace("`", " ").split()) for cl in conflict.claims):
                found.append(self.impact("conflict", conflict.id, 3))
        for model_id in sorted(models):
            found.append(self.impact("model", model_id, 3))
        for family in spec.all_families:
            if family.id in family_ids:
                found += [self.impact("field", f"{family.id}.{f.name}", 3) for f in family.fields if f.name in tokens]
        return found


def annotate(
    items: list[DriftItem], spec: m.Spec, snapshot: Snapshot | None = None, spec_dir: Path | None = None
) -> None:
    """Fill each item's spec files, ranked impact (with file:line when ``spec_dir`` is given), rules, conflicts."""
    annotator = Annotator(spec, snapshot, spec_dir)
    for item in items:
        annotator.annotate(item)
