"""The spec compiled into plain Python checks, one function per family: the linter's source.

Like fastjsonschema, the rules are turned into straight-line code at generation time, so linting a
request runs no interpreter over a rules blob: each family gets a mode selector and a rule function
whose every rule is an ``if`` guarded by its scope (model, endpoint, mode). The template holds the
layout and the runtime (CLI, formats, input handling); this module makes every decision.

Not an emitter: the standalone script (``emitters/lint_script.py``), the client's ``uniall/_lint.py``
(``emitters/client.py``) and the docs-examples report (``example_lint.py``) all compile through it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from .literals import ecma_pattern, py_literal
from .scope import default_endpoint
from .spec_paths import (
    field_names,
    item_fields,
    required_text,
    shared_item_prefix,
    split_path,
    strip_item_prefix,
)
from .templating import fingerprint, jinja_env


def builtin_constant(rule_id: str) -> str:
    """``common.unknown-field`` -> ``_B_UNKNOWN_FIELD``: the runtime's name for a built-in rule's index."""
    return "_B_" + rule_id.removeprefix("common.").replace("-", "_").upper()


@dataclass
class _Constants:
    """Module-level constants, deduplicated: one frozenset per distinct value set."""

    by_literal: dict[str, str] = field(default_factory=dict)

    def add(self, prefix: str, literal: str) -> str:
        name = self.by_literal.get(literal)
        if name is None:
            name = f"_{prefix}{len(self.by_literal)}"
            self.by_literal[literal] = name
        return name

    def items(self) -> list[tuple[str, str]]:
        return [(name, literal) for literal, name in self.by_literal.items()]


_CONSTRAINT_KINDS = frozenset(
    {"required", "forbidden", "mutually_exclusive", "exactly_one_of", "at_least_one_of", "enum", "range"}
    | {"length", "pattern", "items"}
    | {"media_url", "media_format"}  # patterns derived from the field's media declaration (generator/media.py)
)


class _Compiler:
    """Compiles one family's conditions, effects and rules into lines of Python."""

    def __init__(self, family: m.Family, rule_index: Mapping[str, int], consts: _Constants) -> None:
        self.family = family
        self.rule_index = rule_index
        self.consts = consts
        self.lines: list[str] = []
        self.depth = 0
        self.temp = 0

    # -- paths ----------------------------------------------------------------------------------

    def steps(self, path: str, fields: tuple[m.Field, ...] | None = None) -> str:
        """The constant holding ``_vals`` steps for ``path``: each key with the aliases the API accepts."""
        scope = field_names(self.family.fields if fields is None else fields)
        steps: list[tuple[int, Any]] = []
        for part in split_path(path):
            if part is None:
                steps.append((1, None))
                continue
            if isinstance(part, int):
                steps.append((2, part))
                continue
            declared = scope.get(part)
            if declared is None:
                steps.append((0, (part,)))
                scope = {}
                continue
            names = (part, *(n for n in (declared.name, *declared.aliases) if n != part))
            steps.append((0, names))
            if declared.items is not None:
                scope = field_names(declared.items.properties) | field_names(declared.properties)
            else:
                scope = field_names(declared.properties)
        return self.consts.add("P", py_literal(tuple(steps)))

    def single_key(self, path: str, base: str, fields: tuple[m.Field, ...] | None) -> str | None:
        """The key, when ``path`` is one top-level key without aliases on the request body itself.

        Such paths (most of the spec's) compile to ``"key" in b`` / ``b["key"]`` instead of the
        generic walkers, which build JSON pointers conditions never use: the hot path of linting.
        """
        if base != "b" or fields is not None or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", path):
            return None
        declared = field_names(self.family.fields).get(path)
        return path if declared is None or (declared.name == path and not declared.aliases) else None

    def open_values(self, path: str, base: str, fields: tuple[m.Field, ...] | None, var: str) -> str:
        """Open a block run once per value at ``path`` (bound to ``var``); returns the pointer expression."""
        key = self.single_key(path, base, fields)
        if key is not None:
            self.emit(f"if {key!r} in b:")
            self.depth += 1
            self.emit(f"{var} = b[{key!r}]")
            return repr("/" + key)
        self.emit(f"for p, {var} in _vals({base}, {self.steps(path, fields)}):")
        self.depth += 1
        return "p"

    def item_fields(self, array_path: str) -> tuple[m.Field, ...]:
        return item_fields(self.family, array_path)

    def set_of(self, values: tuple[m.Scalar, ...] | frozenset[Any]) -> str:
        return self.consts.add("S", py_literal(frozenset(values)))

    # -- conditions -----------------------------------------------------------------------------

    def condition(self, c: m.Condition, base: str, fields: tuple[m.Field, ...] | None = None) -> str:
        key = self.single_key(getattr(c, "field", ""), base, fields)
        if isinstance(c, m.Present):
            if key is not None:
                return f"{key!r} in b" if c.present else f"{key!r} not in b"
            test = f"_has({base}, {self.steps(c.field, fields)})"
            return test if c.present else f"not {test}"
        if isinstance(c, m.Equals):
            if key is not None:
                return f"_eq(b.get({key!r}), {py_literal(c.value)})"
            return f"any(_eq(y, {py_literal(c.value)}) for _, y in _vals({base}, {self.steps(c.field, fields)}))"
        if isinstance(c, m.In):
            with_bools = any(isinstance(v, bool) for v in c.values)
            if key is not None:
                return f"_in(b.get({key!r}), {self.set_of(c.values)}, {with_bools})"
            return (
                f"any(_in(y, {self.set_of(c.values)}, {with_bools}) "
                f"for _, y in _vals({base}, {self.steps(c.field, fields)}))"
            )
        if isinstance(c, m.IsType):
            return f"any(_JSON_TYPES[{c.json_type!r}](y) for _, y in _vals({base}, {self.steps(c.field, fields)}))"
        if isinstance(c, m.MinItems):
            return (
                f"any(y.__class__ is list and len(y) >= {c.count} "
                f"for _, y in _vals({base}, {self.steps(c.field, fields)}))"
            )
        if isinstance(c, m.Exists):
            array = c.array if c.array.endswith("[]") else f"{c.array}[]"
            var = self.fresh("it")
            inner = self.condition(c.where, var, self.item_fields(array))
            return f"any({inner} for _, {var} in _vals({base}, {self.steps(array, fields)}))"
        if isinstance(c, m.All):
            return "(" + " and ".join(self.condition(x, base, fields) for x in c.conditions) + ")"
        if isinstance(c, m.AnyOf):
            return "(" + " or ".join(self.condition(x, base, fields) for x in c.conditions) + ")"
        return f"not ({self.condition(c.condition, base, fields)})"

    def fresh(self, stem: str) -> str:
        self.temp += 1
        return f"{stem}{self.temp}"

    # -- emitting -------------------------------------------------------------------------------

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def report(self, rule_id: str, pointer: str, detail: str) -> None:
        self.emit(f"out.append(({self.rule_index[rule_id]}, {pointer}, {detail}))")

    def check(
        self,
        rule_id: str,
        kind: str,
        base: str,
        prefix: str,
        fields: tuple[m.Field, ...] | None,
        *,
        paths: tuple[str, ...] = (),
        path: str | None = None,
        values: tuple[m.Scalar, ...] = (),
        minimum: float | None = None,
        maximum: float | None = None,
        integer: bool = False,
        min_len: int | None = None,
        max_len: int | None = None,
        regex: str | None = None,
        count_where: m.Condition | None = None,
    ) -> None:
        """Lines that report every violation of one constraint on the document ``base``."""
        ptr = "p" if prefix == "" else f"{prefix} + p"
        here = '""' if prefix == "" else prefix
        if kind in ("required",):
            for p in paths:
                key = self.single_key(p, base, fields)
                text = required_text(self.family.fields if fields is None else fields, p)
                if key is not None:
                    empty = f" or b[{key!r}] == ''" if text else ""
                    self.emit(f"if {key!r} not in b{empty}:")
                    self.depth += 1
                    self.report(rule_id, repr("/" + key), "_NO_DETAIL")
                else:
                    self.emit(f"for p in _absent({base}, {self.steps(p, fields)}):")
                    self.depth += 1
                    self.report(rule_id, ptr, "_NO_DETAIL")
                    if text:  # present but empty counts as missing
                        self.depth -= 1
                        self.emit(f"for p, x in _vals({base}, {self.steps(p, fields)}):")
                        self.emit("    if x == '':")
                        self.depth += 2
                        self.report(rule_id, ptr, "_NO_DETAIL")
                        self.depth -= 1
                self.depth -= 1
        elif kind in ("forbidden", "deprecated-field"):
            for p in paths:
                at = self.open_values(p, base, fields, "_")
                self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "_NO_DETAIL")
                self.depth -= 1
        elif kind in ("mutually_exclusive", "exactly_one_of", "at_least_one_of"):
            found = self.fresh("given")
            step_names = ", ".join(self.steps(p, fields) for p in paths)
            scope = self.family.fields if fields is None else fields
            # "one of these texts is required": an empty text gives none (see spec_paths.required_text)
            texts = kind == "at_least_one_of" and all(required_text(scope, p) for p in paths)
            given = "v and v[0][1] != ''" if texts else "v"
            self.emit(f"{found} = [v[0][0] for v in (_vals({base}, s) for s in ({step_names},)) if {given}]")
            if kind == "mutually_exclusive":
                self.emit(f"if len({found}) > 1:")
            elif kind == "exactly_one_of":
                self.emit(f"if len({found}) != 1:")
            else:
                self.emit(f"if not {found}:")
            self.depth += 1
            at = f"{found}[1]" if kind == "mutually_exclusive" else f"({found}[1] if len({found}) > 1 else '')"
            at = at if prefix == "" else f"{prefix} + {at}"
            self.report(rule_id, at if kind != "at_least_one_of" else here, f"{py_literal(paths)}")
            self.depth -= 1
        elif kind == "enum":
            assert path is not None
            with_bools = any(isinstance(v, bool) for v in values)
            at = self.open_values(path, base, fields, "x")
            self.emit(f"if not _in(x, {self.set_of(values)}, {with_bools}):")
            self.depth += 1
            self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "x")
            self.depth -= 2
        elif kind == "range":
            assert path is not None
            at = self.open_values(path, base, fields, "x")
            self.emit(f"if _bad_range(x, {py_literal(minimum)}, {py_literal(maximum)}, {integer}):")
            self.depth += 1
            self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "x")
            self.depth -= 2
        elif kind == "length":
            assert path is not None
            bounds = [f"len(x) < {min_len}"] if min_len else []
            bounds += [f"len(x) > {max_len}"] if max_len is not None else []
            at = self.open_values(path, base, fields, "x")
            self.emit(f"if x.__class__ is str and ({' or '.join(bounds) or 'False'}):")
            self.depth += 1
            self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "len(x)")
            self.depth -= 2
        elif kind in ("pattern", "media_url", "media_format"):
            assert path is not None and regex is not None
            compiled = self.consts.add("RE", f"re.compile({ecma_pattern(regex)!r})")
            at = self.open_values(path, base, fields, "x")
            self.emit(f"if x.__class__ is str and not {compiled}.search(x):")
            self.depth += 1
            self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "x")
            self.depth -= 2
        elif kind == "items":
            assert path is not None
            array = path.removesuffix("[]")
            self.emit(f"for p, x in _vals({base}, {self.steps(array, fields)}):")
            self.depth += 1
            self.emit("if x.__class__ is list:")
            self.depth += 1
            if count_where is not None:
                var = self.fresh("it")
                inner = self.condition(count_where, var, self.item_fields(array + "[]"))
                self.emit(f"n = sum(1 for {var} in x if {inner})")
            else:
                self.emit("n = len(x)")
            tests = []
            if minimum is not None:
                tests.append(f"n < {py_literal(minimum)}")
            if maximum is not None:
                tests.append(f"n > {py_literal(maximum)}")
            self.emit(f"if {' or '.join(tests) or 'False'}:")
            self.depth += 1
            self.report(rule_id, ptr, "n")
            self.depth -= 3
        else:
            raise ValueError(f"cannot compile {kind}")

    def constraint(
        self, rule_id: str, c: m.Rule | m.Effect, base: str, prefix: str, fields: tuple[m.Field, ...] | None
    ) -> None:
        """One constraint, stated by a rule or by a conditional's effect (they share these attributes)."""
        self.check(
            rule_id, c.kind, base, prefix, fields, paths=c.fields, path=c.field, values=c.values,
            minimum=c.min_items if c.kind == "items" else c.minimum,
            maximum=c.max_items if c.kind == "items" else c.maximum,
            integer=c.integer, min_len=getattr(c, "min_length", None), max_len=getattr(c, "max_length", None),
            regex=getattr(c, "pattern", None), count_where=c.count_where,
        )  # fmt: skip

    @contextmanager
    def guarded(self, rule: m.Rule) -> Iterator[None]:
        """Open the rule's scope guard (model, endpoint, mode); the caller emits the body inside."""
        tests = []
        scope = rule.applies_to
        family_models = {md.id for md in self.family.models}
        if scope.models and set(scope.models) != family_models:
            tests.append(f"model in {self.set_of(scope.models)}")
        if scope.endpoints:
            tests.append(f"endpoint in {self.set_of(scope.endpoints)}")
        if scope.modes:
            tests.append(f"mode in {self.set_of(scope.modes)}")
        if tests:
            self.emit(f"if {' and '.join(tests)}:")
            self.depth += 1
        yield
        if tests:
            self.depth -= 1

    def rule(self, r: m.Rule) -> None:
        self.emit(f"# {r.id}")
        with self.guarded(r):
            if r.kind in _CONSTRAINT_KINDS:
                self.constraint(r.id, r, "b", "", None)
            elif r.kind == "deprecated":
                if r.field:
                    self.check(r.id, "deprecated-field", "b", "", None, paths=(r.field,))
                else:
                    self.report(r.id, '""', "_NO_DETAIL")
            elif r.kind in ("conditional", "recommended"):
                self.conditional(r)
            elif r.kind == "cross_field":
                self.cross_field(r)

    def conditional(self, r: m.Rule) -> None:
        assert r.effect is not None
        per_item = shared_item_prefix(r)
        if per_item is not None:
            fields = self.item_fields(per_item)
            self.emit(f"for q, item in _vals(b, {self.steps(per_item)}):")
            self.depth += 1
            relative = strip_item_prefix(r, per_item)
            if relative.condition is not None:
                self.emit(f"if {self.condition(relative.condition, 'item', fields)}:")
                self.depth += 1
            assert relative.effect is not None
            self.constraint(r.id, relative.effect, "item", "q", fields)
            self.depth -= 2 if relative.condition is not None else 1
            return
        if r.condition is not None:
            self.emit(f"if {self.condition(r.condition, 'b')}:")
            self.depth += 1
        self.constraint(r.id, r.effect, "b", "", None)
        if r.condition is not None:
            self.depth -= 1

    def cross_field(self, r: m.Rule) -> None:
        c = r.check
        if isinstance(c, m.SumMax):
            terms = " + ".join(
                f"_count(b, {self.steps(t.path)})"
                if t.counts_items
                else f"_number(b, {self.steps(t.path)}, {py_literal(t.default)})"
                for t in c.terms
            )
            total = self.fresh("total")
            self.emit(f"{total} = {terms}")
            self.emit(f"if {total} > {py_literal(c.max)}:")
            self.depth += 1
            first = self.steps(c.terms[0].path)
            self.report(r.id, f"_first_pointer(b, {first})", total)
            self.depth -= 1
        elif isinstance(c, m.PixelBounds):
            limits = (c.min_pixels, c.max_pixels, c.min_side, c.max_side, c.multiple_of)
            self.emit(f"for p, w in _vals(b, {self.steps(c.width)}):")
            self.emit(f"    for _, h in _vals(b, {self.steps(c.height)}):")
            self.emit(f"        if _bad_pixels(w, h, {py_literal(limits)}):")
            self.depth += 3
            self.report(r.id, "_parent(p)", "(w, h)")
            self.depth -= 3
        elif isinstance(c, m.EqualWhenBoth):
            steps = ", ".join(self.steps(p) for p in c.fields)
            self.emit(f"given = [v[0] for v in (_vals(b, s) for s in ({steps},)) if v]")
            self.emit("if len(given) > 1 and any(x != given[0][1] for _, x in given[1:]):")
            self.depth += 1
            self.report(r.id, "given[1][0]", "_NO_DETAIL")
            self.depth -= 1

    def modes(self) -> list[str]:
        self.lines = []
        self.depth = 0
        for selector in self.family.modes:
            test = self.condition(selector.selected_by, "b")
            if selector.endpoints:
                test = f"endpoint in {self.set_of(selector.endpoints)} and {test}"
            self.emit(f"if {test}:")
            self.emit(f"    return {selector.mode!r}")
        self.emit("return None")
        return self.lines

    def rules(self) -> list[str]:
        self.lines = []
        self.depth = 0
        for r in self.family.rules:
            self.rule(r)
        if not self.lines:
            self.emit("return")
        return self.lines


# ---- shapes -------------------------------------------------------------------------------------


def _shape_table(fields: tuple[m.Field, ...]) -> dict[str, Any]:
    table: dict[str, Any] = {}
    for f in sorted(fields, key=lambda f: f.name):
        children = _shape_table(f.properties) if f.properties else None
        item_types = tuple(f.items.types) if f.items else None
        item_children = _shape_table(f.items.properties) if f.items and f.items.properties else None
        endpoints = frozenset(f.endpoints) if f.endpoints else None
        entry = (tuple(f.types), children, item_types, item_children, endpoints)
        for name in (f.name, *f.aliases):
            table[name] = entry
    return dict(sorted(table.items()))


# ---- endpoints and models -----------------------------------------------------------------------

_PARAM = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def endpoint_pattern(endpoint: m.Endpoint) -> tuple[str, str | None]:
    """A regex matching concrete 'METHOD /path' strings, and the path parameter naming the model."""
    pieces = []
    position = 0
    model_param = None
    for match in _PARAM.finditer(endpoint.path):
        pieces.append(re.escape(endpoint.path[position : match.start()]))
        name = match.group(1)
        pieces.append(f"(?P<{name}>[^/]+?)")
        if endpoint.path[: match.start()].endswith("/models/"):
            model_param = name
        position = match.end()
    pieces.append(re.escape(endpoint.path[position:]))
    return re.escape(endpoint.method + " ") + "".join(pieces), model_param


@dataclass(frozen=True)
class CompiledFamily:
    id: str
    ident: str
    mode_lines: list[str]
    rule_lines: list[str]
    shape_name: str


def rule_table(spec: m.Spec) -> list[tuple[str, str, str, str]]:
    """(id, severity, message, source) for built-in rules then every family rule: the runtime's index."""
    rows: list[tuple[str, str, str, str]] = [(b.id, b.severity, b.message, b.source.cite()) for b in spec.builtin_rules]
    rows += [(r.id, r.severity, r.message, r.source.cite()) for r in spec.rules]
    return rows


def render(spec: m.Spec) -> str:
    table = rule_table(spec)
    index = {row[0]: i for i, row in enumerate(table)}
    consts = _Constants()
    families = []
    shapes = []
    for family in spec.families:
        ident = family.id.replace("-", "_").replace(".", "_")
        compiler = _Compiler(family, index, consts)
        shape_name = f"_SHAPE_{ident.upper()}"
        shapes.append({"name": shape_name, "literal": py_literal(_shape_table(family.fields))})
        families.append(
            CompiledFamily(
                id=family.id,
                ident=ident,
                mode_lines=compiler.modes(),
                rule_lines=compiler.rules(),
                shape_name=shape_name,
            )
        )
    models = [
        {
            "id": md.id,
            "family": md.family,
            "default_endpoint": default_endpoint(spec, md),
            "endpoints": py_literal(frozenset(md.endpoint_ids)),
            "legacy": py_literal(frozenset(e.endpoint for e in md.endpoints if e.status == "legacy")),
            "modes": py_literal(frozenset(md.modes)),
        }
        for md in sorted((md for f in spec.families for md in f.models), key=lambda md: md.id)
    ]
    endpoints = []
    for e in spec.endpoints:
        pattern, model_param = endpoint_pattern(e)
        accepting = [md.id for md in spec.models if e.id in md.endpoint_ids]
        # An endpoint only one model serves (voice clone, voice design) needs no `model` in the body.
        implied = accepting[0] if len(accepting) == 1 and e.kind in ("create", "chat") else None
        endpoints.append({"id": e.id, "pattern": pattern, "model_param": model_param, "implied_model": implied})
    return (
        jinja_env()
        .get_template("uniall_lint.py.j2")
        .render(
            fingerprint=fingerprint(spec),
            rule_table=[{"id": r[0], "severity": r[1], "message": r[2], "source": r[3]} for r in table],
            builtin_indexes=[(builtin_constant(b.id), index[b.id]) for b in spec.builtin_rules],
            constants=consts.items(),
            models=models,
            endpoints=endpoints,
            shapes=shapes,
            families=families,
        )
    )


def render_script(spec: m.Spec) -> str:
    """The standalone script: the module source embedded as a string, compiled once and cached."""
    source = render(spec)
    if "'''" in source or source.endswith("\\"):
        raise ValueError("the linter source cannot be embedded in a raw triple-quoted string")
    return (
        jinja_env()
        .get_template("uniall_lint_script.py.j2")
        .render(
            fingerprint=fingerprint(spec),
            sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
            source=source,
        )
    )
