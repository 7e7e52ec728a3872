"""A fixed request corpus, built deterministically from the spec and the pinned docs snapshot.

Valid requests: the docs' own request examples, the same bodies with the model swapped within its
family (``tests.rule_cases.valid_bases``), and, for models no doc example reaches, a family
example moved to that model and repaired rule by rule until the linter accepts it. Invalid
requests: the smallest mutations of those valid requests that break one error rule each
(``tests.rule_cases.candidates``, the same mutations the rule-case tests use).

Every model gets up to ``VALID_PER_MODEL`` valid and ``INVALID_PER_MODEL`` invalid requests, so a
family's weight grows with its number of models (seedance, wan, nano-banana and sora lead). Only
requests on which the linter and the JSON Schema agree are kept: valid means no linter error and
schema-valid, invalid means a linter error and schema-invalid. Rules a schema cannot state (sums,
pixel areas, equal fields) therefore give no invalid request; the counts are in ``stats``.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from generator import model as m
from generator.doc_examples import examples
from generator.docs_snapshot import load_snapshot
from tests.rule_cases import (
    _in_mode,
    candidates,
    delete_value,
    sample_value,
    satisfy,
    set_value,
    valid_bases,
)

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "spec" / "sources" / "uniall-llms-full.txt"
VALID_PER_MODEL = 6
INVALID_PER_MODEL = 6
BASES_FOR_MUTATION = 3
REPAIR_ROUNDS = 8

Body = dict[str, Any]
SchemaCheck = Callable[[str, str, Body], bool]


@dataclass(frozen=True)
class Request:
    endpoint: str
    model: str
    family: str
    body: Body
    origin: str
    broken: tuple[str, ...] = ()

    @property
    def size(self) -> int:
        return len(json.dumps(self.body))


@dataclass
class Corpus:
    valid: list[Request]
    invalid: list[Request]
    stats: dict[str, Any] = field(default_factory=dict)

    def by_family(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for kind, requests in (("valid", self.valid), ("invalid", self.invalid)):
            for r in requests:
                out.setdefault(r.family, {"models": 0, "valid": 0, "invalid": 0})[kind] += 1
        return dict(sorted(out.items(), key=lambda kv: -(kv[1]["valid"] + kv[1]["invalid"])))


def _path_of(pointer: str) -> str:
    """``/content/0/role`` -> ``content[0].role``: a JSON pointer as a spec path."""
    out = ""
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        out += f"[{part}]" if part.isdigit() else ("." if out else "") + part
    return out


def _spread(items: list[Any], count: int) -> list[Any]:
    """``count`` items spread evenly over ``items`` (all of them when there are few)."""
    if len(items) <= count:
        return list(items)
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


class _Builder:
    def __init__(self, spec: m.Spec, lint: ModuleType, schema_valid: SchemaCheck) -> None:
        self.spec = spec
        self.lint = lint
        self.schema_valid = schema_valid
        self.rules = {r.id: r for r in spec.rules}
        self.models = {md.id: md for md in spec.models}
        self.stats: dict[str, Any] = {"repaired_models": [], "models_without_valid": [], "models_without_invalid": []}

    # -- valid requests -----------------------------------------------------------------------

    def repair(self, model: m.Model, endpoint: str | None, body: Body, pool: list[Body]) -> tuple[str, Body] | None:
        """Fix what the linter reports, one error at a time, until the body is valid (or give up)."""
        family = self.spec.family(model.family)
        body = copy.deepcopy(body)
        for _ in range(REPAIR_ROUNDS):
            result = self.lint.lint_request(body, endpoint)
            if not result.errors:
                return result.endpoint, body
            v = result.errors[0]
            path = _path_of(v.pointer)
            rule = self.rules.get(v.rule)
            if v.rule == "common.endpoint-not-accepted":
                endpoint = None
            elif v.rule == "common.mode-unsupported":
                selectors = [s for s in family.modes if s.mode in model.modes]
                if not selectors or not satisfy(selectors[0].selected_by, body, family, pool):
                    return None
            elif rule is None:
                return None
            else:
                kind = rule.effect.kind if rule.effect is not None else rule.kind
                fields = rule.effect.fields if rule.effect is not None else rule.fields
                values = rule.effect.values if rule.effect is not None else rule.values
                if kind in ("required", "at_least_one_of", "exactly_one_of") and (path or fields):
                    target = path or fields[0]
                    set_value(body, target, sample_value(family, target, pool))
                elif kind in ("forbidden", "deprecated", "mutually_exclusive") and path:
                    delete_value(body, path, family)
                elif kind == "enum" and path and values:
                    set_value(body, path, values[0])
                else:
                    return None
        return None

    def valid_for(self, bases: dict[str, list[tuple[str | None, Body, str]]]) -> dict[str, list[Request]]:
        out: dict[str, list[Request]] = {}
        for family in self.spec.families:
            family_bases = bases.get(family.id, [])
            pool = [b for _, b, _ in family_bases]
            for model in family.models:
                found: list[Request] = []
                for endpoint, body, origin in family_bases:
                    if body["model"] == model.id and endpoint is not None:
                        found.append(Request(endpoint, model.id, family.id, body, origin))
                if not found:
                    seen: set[str] = set()
                    for endpoint, body, origin in family_bases:
                        fixed = self.repair(model, endpoint, {**body, "model": model.id}, pool)
                        if fixed is not None and json.dumps(fixed[1], sort_keys=True) not in seen:
                            seen.add(json.dumps(fixed[1], sort_keys=True))
                            found.append(Request(fixed[0], model.id, family.id, fixed[1], f"{origin} repaired"))
                    if found:
                        self.stats["repaired_models"].append(model.id)
                kept = [r for r in found if self.schema_valid(r.endpoint, r.model, r.body)]
                if not kept:
                    self.stats["models_without_valid"].append(model.id)
                out[model.id] = kept
        return out

    # -- invalid requests ---------------------------------------------------------------------

    def invalid_for(self, valid: dict[str, list[Request]]) -> dict[str, list[Request]]:
        out: dict[str, list[Request]] = {}
        inexpressible: set[str] = set()
        for family in self.spec.families:
            pool = [r.body for md in family.models for r in valid.get(md.id, [])]
            error_rules = [r for r in family.rules if r.severity == "error"]
            for model in family.models:
                by_rule: dict[str, Request] = {}
                bases = _spread(valid.get(model.id, []), BASES_FOR_MUTATION)
                for rule in error_rules:
                    if rule.applies_to.models and model.id not in rule.applies_to.models:
                        continue
                    hit = self._break(rule, family, bases, pool)
                    if hit is None:
                        continue
                    if hit.broken:
                        by_rule[rule.id] = hit
                    else:
                        inexpressible.add(rule.id)
                if not by_rule:
                    self.stats["models_without_invalid"].append(model.id)
                out[model.id] = _spread(list(by_rule.values()), INVALID_PER_MODEL)
        self.stats["rules_only_the_linter_rejects"] = sorted(inexpressible)
        return out

    def _break(self, rule: m.Rule, family: m.Family, bases: list[Request], pool: list[Body]) -> Request | None:
        """The first mutation the linter rejects for ``rule``; ``broken`` is empty when the schema accepts it."""
        linter_only: Request | None = None
        for base in bases:
            for primed in _in_mode(rule, family, base.body, pool):
                for body, _ in candidates(rule, primed, family, pool):
                    result = self.lint.lint_request(body, base.endpoint)
                    errors = tuple(dict.fromkeys(v.rule for v in result.errors))
                    if rule.id not in errors or result.endpoint != base.endpoint:
                        continue
                    request = Request(base.endpoint, base.model, family.id, body, f"{base.origin}, breaks {rule.id}")
                    if not self.schema_valid(base.endpoint, base.model, body):
                        return Request(**{**request.__dict__, "broken": errors})
                    linter_only = linter_only or request
        return linter_only


def build(spec: m.Spec, lint: ModuleType, schema_valid: SchemaCheck) -> Corpus:
    """The corpus: every model, valid and invalid, in spec order (families, then models)."""
    docs = examples(load_snapshot(SNAPSHOT))
    builder = _Builder(spec, lint, schema_valid)
    bases = valid_bases(spec, lint, docs)
    per_model_valid = builder.valid_for(bases)
    per_model_invalid = builder.invalid_for(per_model_valid)
    valid = [r for md in spec.models for r in _spread(per_model_valid.get(md.id, []), VALID_PER_MODEL)]
    invalid = [r for md in spec.models for r in per_model_invalid.get(md.id, [])]
    corpus = Corpus(valid, invalid)
    corpus.stats.update(builder.stats)
    corpus.stats["doc_examples"] = len(docs)
    corpus.stats["models"] = len(spec.models)
    corpus.stats["models_in_corpus"] = len({r.model for r in valid} | {r.model for r in invalid})
    corpus.stats["mean_body_bytes"] = {
        "valid": round(sum(r.size for r in valid) / max(len(valid), 1)),
        "invalid": round(sum(r.size for r in invalid) / max(len(invalid), 1)),
    }
    corpus.stats["invalid_with_several_errors"] = sum(1 for r in invalid if len(r.broken) > 1)
    families = corpus.by_family()
    for family in spec.families:
        if family.id in families:
            families[family.id]["models"] = len(family.models)
    corpus.stats["by_family"] = families
    return corpus
