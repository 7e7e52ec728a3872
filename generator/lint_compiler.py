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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import model as m
from .endpoint_models import implied_model, model_path_parameter
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
    """Compiles one family's conditions, effects and rules into lines of Python.

    Two outputs share this code. The reporting path (``fast=False``) appends every finding with its
    JSON pointer and detail. The quiet check (``fast=True``) answers only "would the reporting path
    find anything?": it walks values without pointers (``_pv``) and returns False at the first
    finding, so a body with nothing to report never builds a pointer or a message.
    """

    def __init__(
        self,
        family: m.Family,
        rule_index: Mapping[str, int],
        consts: _Constants,
        *,
        fast: bool = False,
        gated: bool = True,
    ) -> None:
        self.family = family
        self.rule_index = rule_index
        self.consts = consts
        self.fast = fast
        self.gated = gated  # reporting path: each rule behind its pointer-free check (see rule())
        self.on_finding = "return False"  # what the pointer-free form does at a finding
        self.lines: list[str] = []
        self.depth = 0
        self.temp = 0
        self.opened: list[int] = []  # blocks opened per value loop, closed by close()

    # -- paths ----------------------------------------------------------------------------------

    def steps(self, path: str, fields: tuple[m.Field, ...] | None = None) -> str:
        """The constant holding ``_vals`` steps for ``path``: each key with the aliases the API accepts."""
        return self.consts.add("P", py_literal(self.path_steps(path, fields)))

    def path_steps(self, path: str, fields: tuple[m.Field, ...] | None = None) -> tuple[tuple[int, Any], ...]:
        """``_vals`` steps for ``path``: (0, names) a key by any of its names, (1, None) every item, (2, n) item n."""
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
        return tuple(steps)

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
            self.opened.append(1)
            return repr("/" + key)
        self.for_each(base, path, fields, var)
        return "p"

    def for_each(self, base: str, path: str, fields: tuple[m.Field, ...] | None, var: str, pointer: str = "p") -> None:
        """Open blocks run once per value at ``path``, bound to ``var``; :meth:`close` closes them.

        The reporting path loops over ``_vals`` and also binds ``pointer``. The quiet check walks the
        steps inline, one ``if``/``for`` per step, with no pointer, list or call per step.
        """
        if not self.fast:
            self.emit(f"for {pointer}, {var} in _vals({base}, {self.steps(path, fields)}):")
            self.depth += 1
            self.opened.append(1)
            return
        steps = self.path_steps(path, fields)
        start = self.depth
        current = base
        for i, (kind, arg) in enumerate(steps):
            value = var if i == len(steps) - 1 else self.fresh("v")
            if kind == 0:
                is_dict = "" if current == "b" else f"{current}.__class__ is dict and "  # the body is a dict
                if len(arg) == 1:
                    self.emit(f"if {is_dict}{arg[0]!r} in {current}:")
                    self.emit(f"    {value} = {current}[{arg[0]!r}]")
                    self.depth += 1
                else:
                    if current != "b":
                        self.emit(f"if {current}.__class__ is dict:")
                        self.depth += 1
                    self.emit(f"for {value} in [{current}[n] for n in {py_literal(arg)} if n in {current}]:")
                    self.depth += 1
            elif kind == 1:
                self.emit(f"if {current}.__class__ is list:")
                self.emit(f"    for {value} in {current}:")
                self.depth += 2
            else:
                self.emit(f"if {current}.__class__ is list and len({current}) > {arg}:")
                self.emit(f"    {value} = {current}[{arg}]")
                self.depth += 1
            current = value
        self.opened.append(self.depth - start)

    def close(self) -> None:
        """Close the blocks of the innermost value loop opened by :meth:`open_values` or :meth:`for_each`."""
        self.depth -= self.opened.pop()

    def present(self, path: str, base: str, fields: tuple[m.Field, ...] | None) -> str:
        """An expression true when ``path`` has a value in ``base``."""
        key = self.single_key(path, base, fields)
        return f"{key!r} in b" if key is not None else f"_has({base}, {self.steps(path, fields)})"

    def given_text(self, path: str, base: str, fields: tuple[m.Field, ...] | None) -> str:
        """An expression true when the first value at ``path`` is present and not the empty string."""
        key = self.single_key(path, base, fields)
        if key is not None:
            return f"{key!r} in b and b[{key!r}] != ''"
        return f"next(iter(_pv({base}, {self.steps(path, fields)})), '') != ''"

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
            one = self.one_value(c.field, base, fields)
            if one is not None:  # a missing value reads as None, which equals no scalar
                return f"_eq({one}, {py_literal(c.value)})"
            return f"any(_eq(y, {py_literal(c.value)}) for y in _pv({base}, {self.steps(c.field, fields)}))"
        if isinstance(c, m.In):
            with_bools = any(isinstance(v, bool) for v in c.values)
            one = self.one_value(c.field, base, fields)
            if one is not None:  # a missing value reads as None, which is in no set of scalars
                return f"_in({one}, {self.set_of(c.values)}, {with_bools})"
            return (
                f"any(_in(y, {self.set_of(c.values)}, {with_bools}) "
                f"for y in _pv({base}, {self.steps(c.field, fields)}))"
            )
        if isinstance(c, m.IsType):
            return f"any(_JSON_TYPES[{c.json_type!r}](y) for y in _pv({base}, {self.steps(c.field, fields)}))"
        if isinstance(c, m.MinItems):
            return (
                f"any(y.__class__ is list and len(y) >= {c.count} for y in _pv({base}, {self.steps(c.field, fields)}))"
            )
        if isinstance(c, m.Exists):
            array = c.array if c.array.endswith("[]") else f"{c.array}[]"
            var = self.fresh("it")
            inner = self.condition(c.where, var, self.item_fields(array))
            one = self.one_value(array.removesuffix("[]"), base, fields)
            if one is not None:
                return f"any({inner} for {var} in _items({one}))"
            return f"any({inner} for {var} in _pv({base}, {self.steps(array, fields)}))"
        if isinstance(c, m.All):
            return "(" + " and ".join(self.condition(x, base, fields) for x in c.conditions) + ")"
        if isinstance(c, m.AnyOf):
            return "(" + " or ".join(self.condition(x, base, fields) for x in c.conditions) + ")"
        return f"not ({self.condition(c.condition, base, fields)})"

    def one_value(self, path: str, base: str, fields: tuple[m.Field, ...] | None) -> str | None:
        """An expression for the one value at ``path`` (None when absent), when the path is a chain of keys.

        Keys without aliases and no array step hold at most one value: ``b.get("k")`` or
        ``_at(item, ("a", "b"))`` then replaces the generic walk.
        """
        steps = self.path_steps(path, fields)
        if not all(kind == 0 and len(names) == 1 for kind, names in steps):
            return None
        keys = tuple(names[0] for _, names in steps)
        if base == "b" and len(keys) == 1:
            return f"b.get({keys[0]!r})"
        return f"_at({base}, {py_literal(keys)})"

    def fresh(self, stem: str) -> str:
        self.temp += 1
        return f"{stem}{self.temp}"

    # -- emitting -------------------------------------------------------------------------------

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def report(self, rule_id: str, pointer: str, detail: str) -> None:
        if self.fast:
            self.emit(self.on_finding)
        else:
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
                # a required text that is empty counts as missing (see spec_paths.required_text)
                text = required_text(self.family.fields if fields is None else fields, p)
                if key is not None:
                    empty = f" or b[{key!r}] == ''" if text else ""
                    self.emit(f"if {key!r} not in b{empty}:")
                    self.depth += 1
                    self.report(rule_id, repr("/" + key), "_NO_DETAIL")
                    self.depth -= 1
                    continue
                walk = "if _absent_any" if self.fast else "for p in _absent"
                self.emit(f"{walk}({base}, {self.steps(p, fields)}):")
                self.depth += 1
                self.report(rule_id, ptr, "_NO_DETAIL")
                self.depth -= 1
                if text:
                    self.for_each(base, p, fields, "x")
                    self.emit("if x == '':")
                    self.depth += 1
                    self.report(rule_id, ptr, "_NO_DETAIL")
                    self.depth -= 1
                    self.close()
        elif kind in ("forbidden", "deprecated-field"):
            for p in paths:
                at = self.open_values(p, base, fields, "_")
                self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "_NO_DETAIL")
                self.close()
        elif kind in ("mutually_exclusive", "exactly_one_of", "at_least_one_of"):
            found = self.fresh("given")
            scope = self.family.fields if fields is None else fields
            # "one of these texts is required": an empty text gives none (see spec_paths.required_text)
            texts = kind == "at_least_one_of" and all(required_text(scope, p) for p in paths)
            if self.fast:
                given_tests = [
                    self.given_text(p, base, fields) if texts else self.present(p, base, fields) for p in paths
                ]
                count = " + ".join(f"({t})" for t in given_tests)
                test = {"mutually_exclusive": "> 1", "exactly_one_of": "!= 1", "at_least_one_of": "== 0"}[kind]
                self.emit(f"if {count} {test}:")
            else:
                step_names = ", ".join(self.steps(p, fields) for p in paths)
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
            if self.fast and not with_bools:  # _in() inlined
                self.emit(f"if x.__class__ not in _SCALAR or x not in {self.set_of(values)}:")
            else:
                self.emit(f"if not _in(x, {self.set_of(values)}, {with_bools}):")
            self.depth += 1
            self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "x")
            self.depth -= 1
            self.close()
        elif kind == "range":
            assert path is not None
            at = self.open_values(path, base, fields, "x")
            if self.fast:  # _bad_range() inlined
                bad = ["x != x"]
                bad += [f"x < {py_literal(minimum)}"] if minimum is not None else []
                bad += [f"x > {py_literal(maximum)}"] if maximum is not None else []
                bad += ["x % 1 != 0"] if integer else []
                self.emit(f"if x.__class__ in _NUM and ({' or '.join(bad)}):")
            else:
                self.emit(f"if _bad_range(x, {py_literal(minimum)}, {py_literal(maximum)}, {integer}):")
            self.depth += 1
            self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "x")
            self.depth -= 1
            self.close()
        elif kind == "length":
            assert path is not None
            bounds = [f"len(x) < {min_len}"] if min_len else []
            bounds += [f"len(x) > {max_len}"] if max_len is not None else []
            at = self.open_values(path, base, fields, "x")
            self.emit(f"if x.__class__ is str and ({' or '.join(bounds) or 'False'}):")
            self.depth += 1
            self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "len(x)")
            self.depth -= 1
            self.close()
        elif kind in ("pattern", "media_url", "media_format"):
            assert path is not None and regex is not None
            compiled = self.consts.add("RE", f"_Pattern({ecma_pattern(regex)!r})")
            at = self.open_values(path, base, fields, "x")
            self.emit(f"if x.__class__ is str and not {compiled}.search(x):")
            self.depth += 1
            self.report(rule_id, at if prefix == "" else f"{prefix} + {at}", "x")
            self.depth -= 1
            self.close()
        elif kind == "items":
            assert path is not None
            array = path.removesuffix("[]")
            self.for_each(base, array, fields, "x")
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
            self.depth -= 2
            self.close()
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

    def guard(self, rule: m.Rule) -> str | None:
        """The test of the rule's scope (model, endpoint, mode), or None when it applies to the whole family."""
        tests = []
        scope = rule.applies_to
        family_models = {md.id for md in self.family.models}
        if scope.models and set(scope.models) != family_models:
            tests.append(f"model in {self.set_of(scope.models)}")
        if scope.endpoints:
            tests.append(f"endpoint in {self.set_of(scope.endpoints)}")
        if scope.modes:
            tests.append(f"mode in {self.set_of(scope.modes)}")
        return " and ".join(tests) or None

    def all_rules(self) -> None:
        """Every rule in spec order, consecutive rules with the same scope under one guard."""
        current: str | None = None
        for r in self.family.rules:
            test = self.guard(r)
            if test != current:
                if current is not None:
                    self.depth -= 1
                if test is not None:
                    self.emit(f"if {test}:")
                    self.depth += 1
                current = test
            self.rule(r)
        if current is not None:
            self.depth -= 1

    def rule(self, r: m.Rule) -> None:
        """The rule's checks, inside its scope guard (opened by :meth:`all_rules`).

        In the reporting path each rule is gated by its own pointer-free check, which raises
        ``_Found`` at its first finding: a rule with nothing to report costs what it costs in the
        quiet check, and only a rule that fires walks its values again with pointers.
        """
        self.emit(f"# {r.id}")
        if self.fast or not self.gated:
            self.rule_checks(r)
            return
        self.emit("try:")
        self.depth += 1
        self.fast, self.on_finding = True, "raise _Found"
        self.rule_checks(r)
        self.fast, self.on_finding = False, "return False"
        self.depth -= 1
        self.emit("except _Found:")
        self.depth += 1
        self.rule_checks(r)
        self.depth -= 1

    def rule_checks(self, r: m.Rule) -> None:
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
            self.for_each("b", per_item, None, "item", "q")
            relative = strip_item_prefix(r, per_item)
            if relative.condition is not None:
                self.emit(f"if {self.condition(relative.condition, 'item', fields)}:")
                self.depth += 1
            assert relative.effect is not None
            self.constraint(r.id, relative.effect, "item", "q", fields)
            if relative.condition is not None:
                self.depth -= 1
            self.close()
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
            self.for_each("b", c.width, None, "w")
            self.for_each("b", c.height, None, "h", "_")
            self.emit(f"if _bad_pixels(w, h, {py_literal(limits)}):")
            self.depth += 1
            self.report(r.id, "_parent(p)", "(w, h)")
            self.depth -= 1
            self.close()
            self.close()
        elif isinstance(c, m.EqualWhenBoth):
            steps = ", ".join(self.steps(p) for p in c.fields)
            if self.fast:
                self.emit(f"given = [v[0] for v in (_pv(b, s) for s in ({steps},)) if v]")
                self.emit("if len(given) > 1 and any(x != given[0] for x in given[1:]):")
            else:
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
        self.all_rules()
        if not self.lines:
            self.emit("return")
        return self.lines

    def quiet(self, shape_name: str) -> list[str]:
        """The body of ``_quiet_<family>``: True when neither ``_shape`` nor the rules would report anything."""
        assert self.fast
        self.lines = []
        self.depth = 0
        self.emit(f"if not _shape_ok(b, {shape_name}, endpoint, True):")
        self.emit("    return False")
        self.all_rules()
        self.emit("return True")
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
    for match in _PARAM.finditer(endpoint.path):
        pieces.append(re.escape(endpoint.path[position : match.start()]))
        name = match.group(1)
        pieces.append(f"(?P<{name}>[^/]+?)")
        position = match.end()
    pieces.append(re.escape(endpoint.path[position:]))
    return re.escape(endpoint.method + " ") + "".join(pieces), model_path_parameter(endpoint)


@dataclass(frozen=True)
class CompiledFamily:
    id: str
    ident: str
    mode_lines: list[str]
    rule_lines: list[str]
    quiet_lines: list[str]
    shape_name: str


def rule_table(spec: m.Spec) -> list[tuple[str, str, str, str]]:
    """(id, severity, message, source) for built-in rules then every family rule: the runtime's index."""
    rows: list[tuple[str, str, str, str]] = [(b.id, b.severity, b.message, b.source.cite()) for b in spec.builtin_rules]
    rows += [(r.id, r.severity, r.message, r.source.cite()) for r in spec.rules]
    return rows


def render(spec: m.Spec, *, gated: bool = True) -> str:
    """The linter module's source. ``gated=False`` leaves out the per-rule pointer-free gates of the
    reporting path (the differential test's reference: every rule walked with pointers)."""
    table = rule_table(spec)
    index = {row[0]: i for i, row in enumerate(table)}
    consts = _Constants()
    families = []
    shapes = []
    for family in spec.families:
        ident = family.id.replace("-", "_").replace(".", "_")
        compiler = _Compiler(family, index, consts, gated=gated)
        shape_name = f"_SHAPE_{ident.upper()}"
        shapes.append({"name": shape_name, "literal": py_literal(_shape_table(family.fields))})
        families.append(
            CompiledFamily(
                id=family.id,
                ident=ident,
                mode_lines=compiler.modes(),
                rule_lines=compiler.rules(),
                quiet_lines=_Compiler(family, index, consts, fast=True).quiet(shape_name),
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
        endpoints.append(
            {"id": e.id, "pattern": pattern, "model_param": model_param, "implied_model": implied_model(spec, e)}
        )
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
    """The standalone script: the module source embedded as a plain string, compiled once and cached."""
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
