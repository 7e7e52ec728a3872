"""Plain-data views of the loaded spec for the ``models`` and ``rules`` commands.

The JSON forms are stable interfaces (sorted, no timestamps) that other tools may parse.
"""

from __future__ import annotations

from typing import Any

from . import describe
from . import model as m


def source_dict(source: m.Source) -> dict[str, Any]:
    out: dict[str, Any] = {"page": source.page, "section": source.section, "url": source.url}
    if source.locale:
        out["locale"] = source.locale
    return out


def _model_dict(model: m.Model) -> dict[str, Any]:
    return {
        "id": model.id,
        "family": model.family,
        "status": model.status,
        "modes": list(model.modes),
        "endpoints": [{"endpoint": e.endpoint, "status": e.status} for e in model.endpoints],
        "attributes": dict(model.attributes),
        "source": source_dict(model.source),
    }


def models_view(spec: m.Spec) -> list[dict[str, Any]]:
    return [_model_dict(model) for model in sorted(spec.models, key=lambda x: (x.family, x.id))]


def _allowed_dict(allowed: describe.Allowed) -> dict[str, Any]:
    rule = allowed.rule
    out: dict[str, Any] = {"rule": rule.id, "field": rule.field, "severity": rule.severity}
    if rule.kind == "enum":
        out["values"] = list(rule.values)
    elif rule.kind == "range":
        out.update(minimum=rule.minimum, maximum=rule.maximum, integer=rule.integer)
    else:
        out.update(min_items=rule.min_items, max_items=rule.max_items)
    out["text"] = allowed.values
    out["only"] = list(allowed.where)
    return out


def model_detail(spec: m.Spec, model_id: str) -> dict[str, Any]:
    """One model as in ``models_view``, plus the values the docs allow it per kind (durations, sizes, ...).

    Raises ``KeyError`` for an unknown model ID.
    """
    model = spec.model(model_id)
    allowed = describe.allowed_values(spec.family(model.family), model.id)
    return {
        **_model_dict(model),
        "allowed": {column.key: [_allowed_dict(a) for a in entries] for column, entries in allowed.items()},
    }


def allowed_titles() -> dict[str, str]:
    """JSON key of each allowed-values group to its heading (``durations`` -> ``Durations (s)``)."""
    return {c.key: c.title for c in (*describe.COLUMNS, describe.COUNT_LIMITS)}


def rule_target(rule: m.Rule) -> str:
    """The field(s) a rule is about, for people scanning a list."""
    if rule.field:
        return rule.field
    if rule.fields:
        return ", ".join(rule.fields)
    if rule.effect is not None:
        return rule.effect.field or ", ".join(rule.effect.fields)
    if isinstance(rule.check, m.SumMax):
        return " + ".join(t.path for t in rule.check.terms)
    if isinstance(rule.check, m.PixelBounds):
        return f"{rule.check.width} x {rule.check.height}"
    if isinstance(rule.check, m.EqualWhenBoth):
        return " = ".join(rule.check.fields)
    return ""


def rules_view(spec: m.Spec) -> list[dict[str, Any]]:
    family_models = {f.id: [md.id for md in f.models] for f in spec.all_families}
    return [
        {
            "id": rule.id,
            "family": rule.family,
            "kind": rule.kind,
            "severity": rule.severity,
            "target": rule_target(rule),
            "models": list(rule.applies_to.models) or family_models[rule.family],
            "endpoints": list(rule.applies_to.endpoints),
            "modes": list(rule.applies_to.modes),
            "message": rule.message,
            "source": source_dict(rule.source),
        }
        for rule in sorted(spec.rules, key=lambda r: r.id)
    ]


def conflicts_view(spec: m.Spec) -> list[dict[str, Any]]:
    return [
        {
            "id": c.id,
            "family": c.family,
            "topic": c.topic,
            "claims": [{"quote": cl.quote, "says": cl.says, "source": source_dict(cl.source)} for cl in c.claims],
            "reading": c.reading,
            "reason": c.reason,
            "rules": list(c.rules),
        }
        for c in sorted(spec.conflicts, key=lambda c: c.id)
    ]


def summary(spec: m.Spec) -> dict[str, Any]:
    """Counts for notes and the README: models, endpoints, modes, rules by kind and severity, conflicts."""
    by_kind: dict[str, int] = {}
    by_severity: dict[str, int] = {}
    for rule in spec.rules:
        by_kind[rule.kind] = by_kind.get(rule.kind, 0) + 1
        by_severity[rule.severity] = by_severity.get(rule.severity, 0) + 1
    statuses: dict[str, int] = {}
    for model in spec.models:
        statuses[model.status] = statuses.get(model.status, 0) + 1
    used_modes = {mode for model in spec.models for mode in model.modes}
    return {
        "families": len(spec.families),
        "models": len(spec.models),
        "models_by_status": dict(sorted(statuses.items())),
        "endpoints": len(spec.endpoints),
        "modes_in_use": len(used_modes),
        "mode_selectors": sum(len(f.modes) for f in spec.all_families),
        "rules": len(spec.rules),
        "rules_by_kind": dict(sorted(by_kind.items())),
        "rules_by_severity": dict(sorted(by_severity.items())),
        "conflicts": len(spec.conflicts),
        "not_models": len(spec.not_models),
        **_media_counts(spec),
        **contract_summary(spec),
    }


def contract_summary(spec: m.Spec) -> dict[str, Any]:
    """Counts of the contract facts: auth, headers, variants, encodings, responses, error bodies, task payloads."""
    responses = [r for e in spec.endpoints for r in e.responses]
    by_kind = {  # disjoint: every response is exactly one of these
        "shape": sum(1 for r in responses if r.shape is not None),
        "error_body": sum(1 for r in responses if r.error is not None),
        "file": sum(1 for r in responses if r.file),
        "undocumented": sum(1 for r in responses if r.undocumented is not None),
    }
    tasks = [f.task for f in spec.all_families if f.task is not None]
    return {
        "security_schemes": len(spec.security_schemes),
        "headers": sum(len(e.headers) for e in spec.endpoints),
        "header_variants": sum(len(e.variants) for e in spec.endpoints),
        "encodings": sum(len(e.encodings) for e in spec.endpoints),
        "responses": len(responses),
        "responses_by_kind": by_kind,
        "endpoints_with_responses": sum(1 for e in spec.endpoints if e.responses),
        "response_shapes": len(spec.response_shapes),
        "error_bodies": len(spec.error_bodies),
        "error_messages": sum(len(b.messages) for b in spec.error_bodies),
        "task_payload_maps": sum(1 for t in tasks if t.payload is not None),
        "task_chunk_forms": sum(1 for t in tasks if t.chunk is not None),
    }


def _media_counts(spec: m.Spec) -> dict[str, Any]:
    """Media inputs by kind, their documented limits, and the rules that check them (issue #10, part 4)."""
    declared = [f.media for family in spec.families for f in _all_fields(family.fields) if f.media is not None]
    by_kind: dict[str, int] = {}
    for media in declared:
        by_kind[media.kind] = by_kind.get(media.kind, 0) + 1
    return {
        "media_inputs": len(declared),
        "media_inputs_by_kind": dict(sorted(by_kind.items())),
        "media_limits": sum(len(media.limits) for media in declared),
        "media_rules": sum(1 for r in spec.rules if r.kind in ("media_url", "media_format")),
    }


def _all_fields(fields: tuple[m.Field, ...]) -> list[m.Field]:
    out = []
    for f in fields:
        out.append(f)
        out += _all_fields(f.properties)
        if f.items is not None:
            out += _all_fields(f.items.properties)
    return out


def _field_sources(fields: tuple[m.Field, ...], where: str) -> list[tuple[str, m.Source]]:
    out: list[tuple[str, m.Source]] = []
    for f in fields:
        out.append((f"{where}.{f.name}", f.source))
        if f.media is not None:
            out.append((f"{where}.{f.name} media", f.media.source))
            out += [(f"{where}.{f.name} media limit {x.limit}", x.source) for x in f.media.limits]
        out += _field_sources(f.properties, f"{where}.{f.name}")
        if f.items is not None:
            out += _field_sources(f.items.properties, f"{where}.{f.name}[]")
    return out


def all_sources(spec: m.Spec) -> list[tuple[str, m.Source]]:
    """Every doc source the spec cites, labelled with what cites it."""
    out: list[tuple[str, m.Source]] = []
    for e in spec.endpoints:
        out += [(f"endpoint {e.id}", s) for s in e.sources]
    for v in spec.vocabularies:
        out.append((f"vocabulary {v.name}", v.source))
    out += [(f"builtin rule {b.id}", b.source) for b in spec.builtin_rules]
    for f in spec.all_families:
        out += family_sources(f)
    out += contract_sources(spec)
    return out


def _shape_sources(node: m.Shape, where: str) -> list[tuple[str, m.Source]]:
    out = [(where, node.source)] if node.source is not None else []
    for key, child in node.properties:
        out += _shape_sources(child, f"{where}.{key}")
    if node.items is not None:
        out += _shape_sources(node.items, f"{where}[]")
    for i, option in enumerate(node.any_of):
        out += _shape_sources(option, f"{where}|{i}")
    return out


def contract_sources(spec: m.Spec) -> list[tuple[str, m.Source]]:
    """The sources of the contract facts: schemes, headers, variants, encodings, responses, error bodies."""
    out = [(f"security scheme {s.id}", s.source) for s in spec.security_schemes]
    if spec.default_security_source is not None:
        out.append(("default security", spec.default_security_source))
    for b in spec.error_bodies:
        out.append((f"error body {b.id}", b.source))
        out += _shape_sources(b.body, f"error body {b.id} shape")
        out += [(f"error body {b.id} message {x.message!r}", x.source) for x in b.messages]
    for s in spec.response_shapes:
        out.append((f"response shape {s.name}", s.source))
        out += _shape_sources(s.body, f"response shape {s.name}")
    for e in spec.endpoints:
        out += [(f"endpoint {e.id} header {h.name}", h.source) for h in e.headers]
        out += [(f"endpoint {e.id} variant {v.id}", v.source) for v in e.variants]
        out += [(f"endpoint {e.id} encoding {x.media_type}", x.source) for x in e.encodings]
        for i, r in enumerate(e.responses):
            label = f"endpoint {e.id} response {r.status} #{i} ({r.family})"
            out.append((label, r.source))
    for f in spec.all_families:
        if f.task is not None and f.task.payload is not None:
            out.append((f"task {f.id} payload", f.task.payload.source))
        if f.task is not None and f.task.chunk is not None:
            out.append((f"task {f.id} chunk", f.task.chunk.source))
    return out


def family_sources(f: m.Family) -> list[tuple[str, m.Source]]:
    """The sources one family file cites for its models, modes, fields, rules, conflicts and task."""
    out = [(f"model {md.id}", md.source) for md in f.models]
    out += [(f"mode {f.id}/{sel.mode}", sel.source) for sel in f.modes]
    out += _field_sources(f.fields, f"field {f.id}")
    out += [(f"rule {r.id}", r.source) for r in f.rules]
    out += [(f"conflict {c.id} claim {i}", cl.source) for c in f.conflicts for i, cl in enumerate(c.claims)]
    out += [(f"not-model {n.token}", n.source) for n in f.not_models if n.source is not None]
    if f.task is not None:
        out.append((f"task {f.id}", f.task.source))
    return out
