"""Load ``spec/`` into a :class:`~generator.model.Spec`, or fail with every problem found.

Two passes: each file is checked against ``spec/spec.schema.json`` (shape), then the whole spec is
cross-checked (references, uniqueness, ID prefixes), which a JSON Schema cannot do. Every problem
names the file, the line and the JSON pointer of the offending key.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from . import contract_loader as contract
from . import model as m
from .media import format_pattern, url_pattern
from .schema_check import schema_errors, spec_validator_builtin_ids
from .yaml_source import SourceDocument, SpecFileError, read_yaml

SPEC_DIR = Path(__file__).resolve().parent.parent / "spec"
_PATH_PART = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?P<index>\[[0-9]*\])?$")


class SpecError(Exception):
    """The spec does not load; ``problems`` lists each one (file, line, pointer, message)."""

    def __init__(self, problems: list[SpecFileError]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{len(problems)} problem(s) in the spec:\n{lines}")


# ---- building typed objects from plain data ---------------------------------------------------


def _source(data: dict[str, Any]) -> m.Source:
    return m.Source(page=data["page"], section=data["section"], locale=data.get("locale"), quote=data.get("quote"))


def _types(value: str | list[str]) -> tuple[m.JsonType, ...]:
    return cast(tuple[m.JsonType, ...], (value,) if isinstance(value, str) else tuple(value))


def _condition(data: dict[str, Any]) -> m.Condition:
    if "all" in data:
        return m.All(tuple(_condition(c) for c in data["all"]))
    if "any" in data:
        return m.AnyOf(tuple(_condition(c) for c in data["any"]))
    if "not" in data:
        return m.Not(_condition(data["not"]))
    if "exists" in data:
        return m.Exists(data["exists"], _condition(data["where"]))
    path = data["field"]
    if "present" in data:
        return m.Present(path, bool(data["present"]))
    if "equals" in data:
        return m.Equals(path, data["equals"])
    if "in" in data:
        return m.In(path, tuple(data["in"]))
    if "is_type" in data:
        return m.IsType(path, data["is_type"])
    return m.MinItems(path, int(data["min_items"]))


# ---- media inputs (issue #10, part 4) ----------------------------------------------------------


def _media(data: dict[str, Any] | None) -> m.MediaInput | None:
    if data is None:
        return None
    return m.MediaInput(
        kind=data["kind"],
        accepts=data["accepts"],
        public=bool(data.get("public", False)),
        source=_source(data["source"]),
        limits=tuple(
            m.MediaLimit(
                limit=x["limit"],
                source=_source(x["source"]),
                values=tuple(str(v) for v in x.get("values", ())),
                minimum=x.get("minimum", x.get("exclusive_minimum")),
                maximum=x.get("maximum"),
                exclusive_minimum="exclusive_minimum" in x,
                models=tuple(x.get("models", ())),
            )
            for x in data.get("limits", ())
        ),
    )


def _media_at(fields: tuple[m.Field, ...], path: str) -> m.MediaInput | None:
    """The media declaration of the field at ``path`` (``images[]`` and ``image_url[].url`` alike)."""
    found = _field_index(fields).get(_normalise_path(path).removesuffix("[]"))
    return found.media if isinstance(found, m.Field) else None


def _with_media_pattern(rule: m.Rule, fields: tuple[m.Field, ...]) -> m.Rule:
    """A media rule with its field's declaration and the pattern derived from it (see generator/media.py)."""
    if rule.kind not in ("media_url", "media_format") or rule.field is None:
        return rule
    media = _media_at(fields, rule.field)
    if media is None:
        return rule
    pattern = url_pattern(media) if rule.kind == "media_url" else format_pattern(media)
    return replace(rule, media=media, pattern=pattern)


def _media_limits(fields: tuple[m.Field, ...], pointer: str) -> Iterator[tuple[str, m.MediaLimit]]:
    """(JSON pointer, limit) for every media limit declared in ``fields``, nested ones too."""
    for i, f in enumerate(fields):
        here = f"{pointer}/{i}"
        if f.media is not None:
            yield from ((f"{here}/media/limits/{j}/models", x) for j, x in enumerate(f.media.limits))
        yield from _media_limits(f.properties, f"{here}/properties")
        if f.items is not None:
            yield from _media_limits(f.items.properties, f"{here}/items/properties")


def _field(data: dict[str, Any]) -> m.Field:
    items = data.get("items")
    return m.Field(
        name=data["name"],
        types=_types(data["type"]),
        source=_source(data["source"]),
        description=data.get("description"),
        has_default="default" in data,
        default=data.get("default"),
        aliases=tuple(data.get("aliases", ())),
        endpoints=tuple(data.get("endpoints", ())),
        format=data.get("format"),
        properties=tuple(_field(p) for p in data.get("properties", ())),
        items=None
        if items is None
        else m.ItemShape(
            types=_types(items["type"]),
            description=items.get("description"),
            format=items.get("format"),
            properties=tuple(_field(p) for p in items.get("properties", ())),
        ),
        media=_media(data.get("media")),
    )


@dataclass
class _Context:
    """Lookups the builders need: vocabularies for ``values_from``."""

    vocabularies: dict[str, m.Vocabulary] = field(default_factory=dict)


def _values(data: dict[str, Any], ctx: _Context) -> tuple[m.Scalar, ...]:
    if "values_from" in data:
        vocab = ctx.vocabularies.get(data["values_from"])
        return vocab.values if vocab else ()
    return tuple(data.get("values", ()))


def _effect(data: dict[str, Any], ctx: _Context) -> m.Effect:
    ((kind, body),) = data.items()
    if kind in ("required", "forbidden", "at_least_one_of", "exactly_one_of"):
        return m.Effect(kind=cast(m.EffectKind, kind), fields=tuple(body))
    if kind == "enum":
        return m.Effect(kind="enum", field=body["field"], values=_values(body, ctx))
    if kind == "range":
        return m.Effect(
            kind="range",
            field=body["field"],
            minimum=body.get("minimum"),
            maximum=body.get("maximum"),
            integer=bool(body.get("integer", False)),
        )
    return m.Effect(
        kind="items",
        field=body["field"],
        min_items=body.get("min_items"),
        max_items=body.get("max_items"),
        count_where=_condition(body["count_where"]) if "count_where" in body else None,
    )


def _check(data: dict[str, Any]) -> m.CrossCheck:
    if data["check"] == "sum_max":
        terms = tuple(
            m.SumTerm(path=t.get("count", t.get("value")), counts_items="count" in t, default=t.get("default", 0))
            for t in data["terms"]
        )
        return m.SumMax(terms=terms, max=data["max"])
    if data["check"] == "pixel_bounds":
        return m.PixelBounds(
            width=data["width"],
            height=data["height"],
            min_pixels=data.get("min_pixels"),
            max_pixels=data.get("max_pixels"),
            min_side=data.get("min_side"),
            max_side=data.get("max_side"),
            multiple_of=data.get("multiple_of"),
        )
    return m.EqualWhenBoth(fields=tuple(data["fields"]))


def _rule(data: dict[str, Any], family: str, ctx: _Context) -> m.Rule:
    kind = data["kind"]
    default_severity = "warning" if kind in ("deprecated", "recommended") else "error"
    scope = data.get("applies_to", {})
    return m.Rule(
        id=data["id"],
        family=family,
        kind=kind,
        severity=data.get("severity", default_severity),
        message=data["message"],
        source=_source(data["source"]),
        applies_to=m.Scope(
            models=tuple(scope.get("models", ())),
            endpoints=tuple(scope.get("endpoints", ())),
            modes=tuple(scope.get("modes", ())),
        ),
        notes=data.get("notes"),
        fields=tuple(data.get("fields", ())),
        field=data.get("field"),
        values=_values(data, ctx),
        minimum=data.get("minimum"),
        maximum=data.get("maximum"),
        integer=bool(data.get("integer", False)),
        min_length=data.get("min_length"),
        max_length=data.get("max_length"),
        pattern=data.get("pattern"),
        min_items=data.get("min_items"),
        max_items=data.get("max_items"),
        count_where=_condition(data["count_where"]) if "count_where" in data else None,
        condition=_condition(data["if"]) if "if" in data else None,
        effect=_effect(data["then"], ctx) if "then" in data else None,
        check=_check(data["check"]) if "check" in data else None,
    )


def _family(doc: SourceDocument, ctx: _Context, root: Path) -> m.Family:
    data = doc.data
    fid = data["family"]
    task = data.get("task")
    fields = tuple(_field(f) for f in data.get("fields", ()))
    return m.Family(
        id=fid,
        title=data["title"],
        category=data.get("category"),
        file=doc.path.relative_to(root.parent).as_posix() if doc.path.is_relative_to(root.parent) else str(doc.path),
        pages=tuple(data.get("pages", ())),
        description=data.get("description"),
        models=tuple(
            m.Model(
                id=md["id"],
                family=fid,
                status=md["status"],
                title=md.get("title"),
                modes=tuple(md.get("modes", ())),
                endpoints=tuple(m.ModelEndpoint(e["endpoint"], e["status"]) for e in md["endpoints"]),
                attributes=tuple(sorted(md.get("attributes", {}).items())),
                source=_source(md["source"]),
                notes=md.get("notes"),
            )
            for md in data.get("models", ())
        ),
        modes=tuple(
            m.ModeSelector(
                family=fid,
                mode=md["mode"],
                selected_by=_condition(md["selected_by"]),
                endpoints=tuple(md.get("endpoints", ())),
                source=_source(md["source"]),
                notes=md.get("notes"),
            )
            for md in data.get("modes", ())
        ),
        fields=fields,
        rules=tuple(_with_media_pattern(_rule(r, fid, ctx), fields) for r in data.get("rules", ())),
        conflicts=tuple(
            m.Conflict(
                id=c["id"],
                family=fid,
                topic=c["topic"],
                claims=tuple(m.Claim(_source(cl["source"]), cl["quote"], cl.get("says")) for cl in c["claims"]),
                reading=c["reading"],
                reason=c["reason"],
                rules=tuple(c.get("rules", ())),
            )
            for c in data.get("conflicts", ())
        ),
        task=None
        if task is None
        else m.TaskLifecycle(
            source=_source(task["source"]),
            statuses=tuple((k, tuple(v)) for k, v in task.get("statuses", {}).items()),
            poll_min_seconds=task.get("poll_interval_seconds", {}).get("min"),
            poll_max_seconds=task.get("poll_interval_seconds", {}).get("max"),
            result_url_paths=tuple(task.get("result_url_paths", ())),
            **contract.task_payload(task),
        ),
        not_models=tuple(
            m.NotModel(
                token=n["token"],
                reason=n["reason"],
                family=fid,
                source=_source(n["source"]) if "source" in n else None,
            )
            for n in data.get("not_models", ())
        ),
    )


# ---- cross-file checks ------------------------------------------------------------------------


def _field_index(fields: Iterable[m.Field], prefix: str = "") -> dict[str, m.Field | m.ItemShape]:
    """Every addressable path of a family: ``a``, ``a.b``, ``a[]``, ``a[].b``; aliases too."""
    index: dict[str, m.Field | m.ItemShape] = {}
    for f in fields:
        for name in (f.name, *f.aliases):
            path = f"{prefix}{name}"
            index[path] = f
            index.update(_field_index(f.properties, f"{path}."))
            if f.items is not None:
                index[f"{path}[]"] = f.items
                index.update(_field_index(f.items.properties, f"{path}[]."))
    return index


def _normalise_path(path: str) -> str:
    """``content[0].text`` addresses the same declaration as ``content[].text``."""
    return re.sub(r"\[[0-9]+\]", "[]", path)


def _condition_paths(condition: m.Condition, prefix: str = "") -> Iterator[str]:
    if isinstance(condition, (m.All, m.AnyOf)):
        for c in condition.conditions:
            yield from _condition_paths(c, prefix)
    elif isinstance(condition, m.Not):
        yield from _condition_paths(condition.condition, prefix)
    elif isinstance(condition, m.Exists):
        yield prefix + condition.array
        array = prefix + condition.array
        item_prefix = array if array.endswith("[]") else f"{array}[]"
        yield from _condition_paths(condition.where, f"{item_prefix}.")
    else:
        yield prefix + condition.field


def _rule_paths(rule: m.Rule) -> Iterator[tuple[str, str]]:
    """(pointer suffix, path) for every field path a rule names."""
    for i, p in enumerate(rule.fields):
        yield f"/fields/{i}", p
    if rule.field:
        yield "/field", rule.field
    if rule.condition is not None:
        yield from (("/if", p) for p in _condition_paths(rule.condition))
    if rule.count_where is not None and rule.field:
        base = rule.field if rule.field.endswith("[]") else f"{rule.field}[]"
        yield from (("/count_where", p) for p in _condition_paths(rule.count_where, f"{base}."))
    if rule.effect is not None:
        effect = rule.effect
        for p in effect.fields:
            yield "/then", p
        if effect.field:
            yield "/then", effect.field
        if effect.count_where is not None and effect.field:
            base = effect.field if effect.field.endswith("[]") else f"{effect.field}[]"
            yield from (("/then", p) for p in _condition_paths(effect.count_where, f"{base}."))
    check = rule.check
    if isinstance(check, m.SumMax):
        yield from (("/check/terms", t.path) for t in check.terms)
    elif isinstance(check, m.PixelBounds):
        yield "/check/width", check.width
        yield "/check/height", check.height
    elif isinstance(check, m.EqualWhenBoth):
        yield from (("/check/fields", p) for p in check.fields)


@dataclass
class _Problems:
    items: list[SpecFileError] = field(default_factory=list)

    def add(self, doc: SourceDocument, pointer: str, message: str) -> None:
        self.items.append(doc.error(pointer, message))


@dataclass
class _PathChecker:
    """Reports a field path that names no declared field of the family."""

    paths: set[str]
    doc: SourceDocument
    family_id: str
    problems: _Problems

    def __call__(self, pointer: str, path: str) -> None:
        if _normalise_path(path) not in self.paths:
            self.problems.add(
                self.doc, pointer, f"field path {path!r} is not a declared field of family {self.family_id!r}"
            )


def _merge_endpoints(docs: list[tuple[SourceDocument, m.Family]], problems: _Problems) -> tuple[m.Endpoint, ...]:
    merged: dict[str, m.Endpoint] = {}
    for doc, family in docs:
        for i, data in enumerate(doc.data.get("endpoints", ())):
            key = f"{data['method']} {data['path']}"
            source = _source(data["source"])
            known = merged.get(key)
            parts = contract.endpoint_parts(data, family.id)
            if known is None:
                merged[key] = m.Endpoint(
                    method=data["method"],
                    path=data["path"],
                    kind=data["kind"],
                    title=data.get("title"),
                    synchronous=data.get("synchronous"),
                    body=data.get("body"),
                    query_endpoint=data.get("query_endpoint"),
                    content_endpoint=data.get("content_endpoint"),
                    sources=(source,),
                    families=(family.id,),
                    **parts,
                )
                continue
            values: dict[str, Any] = {}
            for attr in ("kind", "synchronous", "body", "query_endpoint", "content_endpoint", "title"):
                mine, theirs = data.get(attr), getattr(known, attr)
                if mine is not None and theirs is not None and mine != theirs and attr != "title":
                    problems.add(
                        doc,
                        f"/endpoints/{i}/{attr}",
                        f"endpoint {key!r} has {attr}={mine!r} here but {theirs!r} in {known.families[0]}",
                    )
                values[attr] = theirs if theirs is not None else mine
            merged[key] = m.Endpoint(
                method=known.method,
                path=known.path,
                kind=values["kind"],
                title=values["title"],
                synchronous=values["synchronous"],
                body=values["body"],
                query_endpoint=values["query_endpoint"],
                content_endpoint=values["content_endpoint"],
                sources=(*known.sources, source),
                families=known.families if family.id in known.families else (*known.families, family.id),
                **contract.merge_endpoint_parts(known, parts),
            )
    return tuple(merged[k] for k in sorted(merged))


def _cross_check(spec: m.Spec, docs: dict[str, SourceDocument], problems: _Problems) -> None:
    catalog = {k.id for k in spec.mode_catalog}
    endpoint_ids = {e.id for e in spec.endpoints}
    vocab_names = {v.name for v in spec.vocabularies}
    seen_models: dict[str, str] = {}
    seen_ids: dict[str, str] = {}

    for endpoint in spec.endpoints:
        for attr in ("query_endpoint", "content_endpoint"):
            target = getattr(endpoint, attr)
            if target and target not in endpoint_ids:
                doc = docs[endpoint.families[0]]
                problems.add(
                    doc, "/endpoints", f"endpoint {endpoint.id!r}: {attr} {target!r} is not a declared endpoint"
                )

    for family in spec.all_families:
        doc = docs[family.id]
        if family.id != "common":
            if doc.path.stem != family.id:
                problems.add(doc, "/family", f"family {family.id!r} must live in families/{family.id}.yaml")
            common_only: tuple[str, ...] = ("vocabularies", "mode_catalog", "builtin_rules")
            common_only += ("security_schemes", "default_security", "error_bodies", "response_shapes")  # contract
            for key in common_only:
                if key in doc.data:
                    problems.add(doc, f"/{key}", f"{key} belongs in common.yaml only")
        family_models = {md.id for md in family.models}
        paths = {_normalise_path(p) for p in _field_index(family.fields)}
        check_path = _PathChecker(paths, doc, family.id, problems)

        for i, md in enumerate(family.models):
            if md.id in seen_models:
                problems.add(doc, f"/models/{i}/id", f"duplicate model ID {md.id!r} (also in {seen_models[md.id]})")
            seen_models[md.id] = family.id
            for j, mode in enumerate(md.modes):
                if mode not in catalog:
                    problems.add(
                        doc, f"/models/{i}/modes/{j}", f"unknown mode {mode!r} (not in common.yaml mode_catalog)"
                    )
            for j, me in enumerate(md.endpoints):
                if me.endpoint not in endpoint_ids:
                    problems.add(doc, f"/models/{i}/endpoints/{j}/endpoint", f"undeclared endpoint {me.endpoint!r}")
        for i, sel in enumerate(family.modes):
            if sel.mode not in catalog:
                problems.add(doc, f"/modes/{i}/mode", f"unknown mode {sel.mode!r} (not in common.yaml mode_catalog)")
            for p in _condition_paths(sel.selected_by):
                check_path(f"/modes/{i}/selected_by", p)
            for ep in sel.endpoints:
                if ep not in endpoint_ids:
                    problems.add(doc, f"/modes/{i}/endpoints", f"undeclared endpoint {ep!r}")
        for i, f in enumerate(family.fields):
            for ep in f.endpoints:
                if ep not in endpoint_ids:
                    problems.add(doc, f"/fields/{i}/endpoints", f"undeclared endpoint {ep!r}")
        for pointer, limit in _media_limits(family.fields, "/fields"):
            for model_id in limit.models:
                if model_id not in family_models:
                    problems.add(doc, pointer, f"model {model_id!r} is not a model of family {family.id!r}")
        names: dict[str, int] = {}
        for i, f in enumerate(family.fields):
            for name in (f.name, *f.aliases):
                if name in names:
                    problems.add(doc, f"/fields/{i}/name", f"field name or alias {name!r} is declared twice")
                names[name] = i
        # Rules and conflicts are separate namespaces: a conflict may share the ID of the rule it settles.
        owned = [(f"/rules/{i}/id", "rule", r.id) for i, r in enumerate(family.rules)]
        owned += [(f"/conflicts/{i}/id", "conflict", c.id) for i, c in enumerate(family.conflicts)]
        for pointer, namespace, item_id in owned:
            if not item_id.startswith(f"{family.id}."):
                problems.add(doc, pointer, f"ID {item_id!r} must start with {family.id + '.'!r}")
            key = f"{namespace}:{item_id}"
            if key in seen_ids:
                problems.add(doc, pointer, f"duplicate {namespace} ID {item_id!r} (also in {seen_ids[key]})")
            seen_ids[key] = family.id
        for i, rule in enumerate(family.rules):
            base = f"/rules/{i}"
            for j, model_id in enumerate(rule.applies_to.models):
                if model_id not in family_models:
                    problems.add(
                        doc,
                        f"{base}/applies_to/models/{j}",
                        f"model {model_id!r} is not a model of family {family.id!r}",
                    )
            for j, ep in enumerate(rule.applies_to.endpoints):
                if ep not in endpoint_ids:
                    problems.add(doc, f"{base}/applies_to/endpoints/{j}", f"undeclared endpoint {ep!r}")
            for j, mode in enumerate(rule.applies_to.modes):
                if mode not in catalog:
                    problems.add(doc, f"{base}/applies_to/modes/{j}", f"unknown mode {mode!r}")
            for suffix, p in _rule_paths(rule):
                check_path(base + suffix, p)
            raw = doc.data["rules"][i]
            name = raw.get("values_from") or raw.get("then", {}).get("enum", {}).get("values_from")
            if name and name not in vocab_names:
                problems.add(doc, f"{base}/values_from", f"unknown vocabulary {name!r}")
            lows = [(rule.minimum, rule.maximum), (rule.min_items, rule.max_items), (rule.min_length, rule.max_length)]
            if rule.effect is not None:
                lows += [(rule.effect.minimum, rule.effect.maximum), (rule.effect.min_items, rule.effect.max_items)]
            for low, high in lows:
                if low is not None and high is not None and low > high:
                    problems.add(doc, base, f"lower bound {low} is above upper bound {high}")
            if rule.kind in ("media_url", "media_format") and rule.media is None:
                problems.add(doc, f"{base}/field", f"{rule.kind} rule names {rule.field!r}, which declares no `media:`")
            elif rule.kind == "media_format" and rule.pattern is None:
                problems.add(
                    doc, f"{base}/field", f"media_format rule: {rule.field!r} has no `formats` limit that excludes any"
                )
            if rule.pattern is not None:
                try:
                    re.compile(rule.pattern)
                except re.error as exc:
                    problems.add(doc, f"{base}/pattern", f"invalid regular expression: {exc}")
        rule_ids = {r.id for r in spec.rules}
        for i, conflict in enumerate(family.conflicts):
            for j, rid in enumerate(conflict.rules):
                if rid not in rule_ids:
                    problems.add(doc, f"/conflicts/{i}/rules/{j}", f"conflict names unknown rule {rid!r}")


def _reporter(problems: _Problems, doc: SourceDocument) -> contract.Report:
    return lambda pointer, message: problems.add(doc, pointer, message)


def load_spec(spec_dir: Path = SPEC_DIR) -> m.Spec:
    """Load and cross-check the spec in ``spec_dir``; raise :class:`SpecError` listing every problem."""
    problems = _Problems()
    common_path = spec_dir / "common.yaml"
    family_paths = sorted((spec_dir / "families").glob("*.yaml"))
    documents: list[SourceDocument] = []
    for path in (common_path, *family_paths):
        try:
            doc = read_yaml(path)
        except SpecFileError as exc:
            problems.items.append(exc)
            continue
        found = schema_errors(doc)
        if found:
            problems.items.extend(found)
            continue
        documents.append(doc)
    if problems.items:
        raise SpecError(problems.items)

    common_doc = next((d for d in documents if d.path == common_path), None)
    if common_doc is None or common_doc.data["family"] != "common":
        raise SpecError(
            [SpecFileError(common_path, 1, "/family", "spec/common.yaml must exist and say 'family: common'")]
        )
    vocabularies = tuple(
        m.Vocabulary(name=k, values=tuple(v["values"]), source=_source(v["source"]), description=v.get("description"))
        for k, v in common_doc.data.get("vocabularies", {}).items()
    )
    ctx = _Context(vocabularies={v.name: v for v in vocabularies})
    by_family: dict[str, SourceDocument] = {}
    built: list[tuple[SourceDocument, m.Family]] = []
    for doc in documents:
        family = _family(doc, ctx, spec_dir)
        if family.id in by_family:
            problems.add(doc, "/family", f"family {family.id!r} is already defined in {by_family[family.id].path}")
            continue
        if family.id == "common" and doc is not common_doc:
            problems.add(doc, "/family", "only spec/common.yaml may be family 'common'")
            continue
        by_family[family.id] = doc
        built.append((doc, family))
    endpoints = _merge_endpoints(built, problems)
    common = next(f for d, f in built if d is common_doc)
    spec = m.Spec(
        common=common,
        families=tuple(sorted((f for d, f in built if d is not common_doc), key=lambda f: f.id)),
        endpoints=endpoints,
        mode_catalog=tuple(
            m.ModeKind(id=k["id"], title=k["title"], description=k.get("description"))
            for k in common_doc.data.get("mode_catalog", ())
        ),
        vocabularies=vocabularies,
        builtin_rules=tuple(
            m.BuiltinRule(
                id=b["id"],
                severity=b["severity"],
                message=b["message"],
                source=_source(b["source"]),
                notes=b.get("notes"),
            )
            for b in common_doc.data.get("builtin_rules", ())
        ),
        **contract.spec_parts(common_doc.data),
    )
    _cross_check(spec, by_family, problems)
    contract.check_common(spec, _reporter(problems, common_doc))
    for family_doc, family in built:
        contract.check_endpoints(spec, family_doc.data, family, _reporter(problems, family_doc))
    defined = [b.id for b in spec.builtin_rules]
    known = set(spec_validator_builtin_ids())
    for missing in sorted(known - set(defined)):
        problems.add(common_doc, "/builtin_rules", f"built-in rule {missing!r} must be defined (the linter reports it)")
    for twice in sorted({d for d in defined if defined.count(d) > 1}):
        problems.add(common_doc, "/builtin_rules", f"built-in rule {twice!r} is defined more than once")
    if problems.items:
        raise SpecError(problems.items)
    return spec
