"""The Python backend of the linter: the rules' IR (:mod:`generator.lint_ir`) as plain Python checks.

Like fastjsonschema, the rules are turned into straight-line code at generation time, so linting a
request runs no interpreter over a rules blob: each family gets a mode selector and a rule function
whose every rule is an ``if`` guarded by its scope (model, endpoint, mode). ``lint_ir`` takes every
decision that depends on the spec (paths, aliases, per-item rules, scopes); this module lays the IR
out as Python, the template holds the layout and the runtime (CLI, formats, input handling). The
JavaScript backend (``lint_js``) renders the same IR.

Not an emitter: the standalone script (``emitters/lint_script.py``), the client's ``uniall/_lint.py``
(``emitters/client.py``) and the docs-examples report (``example_lint.py``) all compile through it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from . import lint_ir as ir
from . import model as m
from .endpoint_models import model_path_parameter
from .literals import py_literal
from .media import SIMPLE_URI_PATTERN, URI_PATTERN
from .templating import fingerprint, jinja_env


class _Compiler:
    """Compiles one family's conditions and rules (from the IR) into lines of Python.

    A rule has a reporting form, which appends every finding with its JSON pointer and detail, and,
    when that form walks values with pointers, a pointer-free form (``fast``) in front of it that
    answers only "does the rule find anything?" and raises ``_Found`` at the first finding: a rule
    with nothing to report never builds a pointer or a message (see :meth:`rule`). ``gated=False``
    leaves out the pointer-free forms and the inlined tests: the differential test's reference.
    """

    def __init__(self, family: ir.Family, consts: ir.Constants, *, gated: bool = True) -> None:
        self.family = family
        self.consts = consts
        self.fast = False  # emitting the pointer-free form (see rule())
        self.walks = False  # the reporting form emitted so far walks values with pointers (see rule())
        self.gated = gated
        self.lines: list[str] = []
        self.depth = 0
        self.temp = 0
        self.opened: list[int] = []  # blocks opened per value loop, closed by close()

    # -- paths ----------------------------------------------------------------------------------

    def steps(self, path: ir.Path) -> str:
        """The constant holding ``_vals`` steps for ``path``: each key with the aliases the API accepts."""
        return self.consts.add("P", py_literal(path.steps))

    @staticmethod
    def single_key(path: ir.Path, base: str) -> str | None:
        """The key, when ``path`` is one top-level key without aliases on the request body itself.

        Such paths (most of the spec's) compile to ``"key" in b`` / ``b["key"]`` instead of the
        generic walkers, which build JSON pointers conditions never use: the hot path of linting.
        """
        return path.key if base == "b" else None

    def open_values(self, path: ir.Path, base: str, var: str) -> str:
        """Open a block run once per value at ``path`` (bound to ``var``); returns the pointer expression."""
        key = self.single_key(path, base)
        if key is not None:
            self.emit(f"if {key!r} in b:")
            self.depth += 1
            self.emit(f"{var} = b[{key!r}]")
            self.opened.append(1)
            return repr("/" + key)
        self.for_each(base, path, var)
        return "p"

    def for_each(self, base: str, path: ir.Path, var: str, pointer: str = "p") -> None:
        """Open blocks run once per value at ``path``, bound to ``var``; :meth:`close` closes them.

        The reporting form loops over ``_vals`` and also binds ``pointer``. The pointer-free form walks
        the steps inline, one ``if``/``for`` per step, with no pointer, list or call per step.
        """
        if not self.fast:
            self.walks = True
            self.emit(f"for {pointer}, {var} in _vals({base}, {self.steps(path)}):")
            self.depth += 1
            self.opened.append(1)
            return
        steps = path.steps
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

    def present(self, path: ir.Path, base: str) -> str:
        """An expression true when ``path`` has a value in ``base``."""
        key = self.single_key(path, base)
        return f"{key!r} in b" if key is not None else f"_has({base}, {self.steps(path)})"

    def given_text(self, path: ir.Path, base: str) -> str:
        """An expression true when the first value at ``path`` is present and not the empty string."""
        key = self.single_key(path, base)
        if key is not None:
            return f"{key!r} in b and b[{key!r}] != ''"
        return f"next(iter(_pv({base}, {self.steps(path)})), '') != ''"

    def set_of(self, values: tuple[m.Scalar, ...] | frozenset[Any]) -> str:
        return self.consts.add("S", py_literal(frozenset(values)))

    # -- conditions -----------------------------------------------------------------------------

    def condition(self, c: ir.Condition, base: str) -> str:
        if isinstance(c, ir.Present):
            key = self.single_key(c.path, base)
            if key is not None:
                return f"{key!r} in b" if c.present else f"{key!r} not in b"
            test = f"_has({base}, {self.steps(c.path)})"
            return test if c.present else f"not {test}"
        if isinstance(c, ir.Equals):
            if isinstance(c.value, str):
                text = self.text_test(c.path, base, f"== {py_literal(c.value)}")
                if text is not None:
                    return text
            one = self.one_value(c.path, base)
            if one is not None:  # a missing value reads as None, which equals no scalar
                return f"_eq({one}, {py_literal(c.value)})"
            return f"any(_eq(y, {py_literal(c.value)}) for y in _pv({base}, {self.steps(c.path)}))"
        if isinstance(c, ir.In):
            if all(isinstance(v, str) for v in c.values):
                text = self.text_test(c.path, base, f"in {self.set_of(c.values)}")
                if text is not None:
                    return text
            one = self.one_value(c.path, base)
            if one is not None:  # a missing value reads as None, which is in no set of scalars
                return f"_in({one}, {self.set_of(c.values)}, {c.with_bools})"
            return f"any(_in(y, {self.set_of(c.values)}, {c.with_bools}) for y in _pv({base}, {self.steps(c.path)}))"
        if isinstance(c, ir.IsType):
            return f"any(_JSON_TYPES[{c.json_type!r}](y) for y in _pv({base}, {self.steps(c.path)}))"
        if isinstance(c, ir.MinItems):
            return f"any(y.__class__ is list and len(y) >= {c.count} for y in _pv({base}, {self.steps(c.path)}))"
        if isinstance(c, ir.Exists):
            var = self.fresh("it")
            inner = self.condition(c.where, var)
            one = self.one_value(c.array, base)
            if base == "b" and c.array.chain is not None and len(c.array.chain) == 1:
                # tested for presence first: an absent array (the common case) costs no generator
                key = c.array.chain[0]
                return f"({key!r} in b and any({inner} for {var} in _items(b[{key!r}])))"
            if one is not None:
                return f"any({inner} for {var} in _items({one}))"
            return f"any({inner} for {var} in _pv({base}, {self.steps(c.items)}))"
        if isinstance(c, ir.All):
            return "(" + " and ".join(self.condition(x, base) for x in c.conditions) + ")"
        if isinstance(c, ir.AnyOf):
            return "(" + " or ".join(self.condition(x, base) for x in c.conditions) + ")"
        return f"not ({self.condition(c.condition, base)})"

    def text_test(self, path: ir.Path, base: str, test: str) -> str | None:
        """``test`` (``== 'x'``, ``in _S1``) on the value at one key, for tests whose values are all
        strings: ``_eq``/``_in`` then reduce to a class test and the string test, inline. None for
        other paths (and in the reference, which calls ``_eq``/``_in``).
        """
        keys = path.chain
        if keys is None or len(keys) != 1 or not self.gated:  # the reference keeps _eq and _in
            return None
        key = keys[0]
        if base == "b":
            value, guard = f"b[{key!r}]", f"{key!r} in b"
        else:
            value, guard = f"{base}[{key!r}]", f"{base}.__class__ is dict and {key!r} in {base}"
        return f"({guard} and {value}.__class__ is str and {value} {test})"

    def one_value(self, path: ir.Path, base: str) -> str | None:
        """An expression for the one value at ``path`` (None when absent), when the path is a chain of keys.

        Keys without aliases and no array step hold at most one value: ``b.get("k")`` or
        ``_at(item, ("a", "b"))`` then replaces the generic walk.
        """
        keys = path.chain
        if keys is None:
            return None
        if base == "b" and len(keys) == 1:
            return f"b.get({keys[0]!r})"
        return f"_at({base}, {py_literal(keys)})"

    def fresh(self, stem: str) -> str:
        self.temp += 1
        return f"{stem}{self.temp}"

    # -- emitting -------------------------------------------------------------------------------

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def report(self, index: int, pointer: str, detail: str) -> None:
        if self.fast:
            self.emit("raise _Found")
        else:
            self.emit(f"out.append(({index}, {pointer}, {detail}))")

    def check(self, index: int, c: ir.Check, base: str, prefix: str) -> None:
        """Lines that report every violation of one constraint on the document ``base``."""
        kind, path = c.kind, c.path
        ptr = "p" if prefix == "" else f"{prefix} + p"
        here = '""' if prefix == "" else prefix
        if kind in ("required",):
            for p, text in zip(c.paths, c.texts, strict=True):
                key = self.single_key(p, base)
                # a required text that is empty counts as missing (see spec_paths.required_text)
                if key is not None:
                    empty = f" or b[{key!r}] == ''" if text else ""
                    self.emit(f"if {key!r} not in b{empty}:")
                    self.depth += 1
                    self.report(index, repr("/" + key), "_NO_DETAIL")
                    self.depth -= 1
                    continue
                walk = "if _absent_any" if self.fast else "for p in _absent"
                self.walks = self.walks or not self.fast
                self.emit(f"{walk}({base}, {self.steps(p)}):")
                self.depth += 1
                self.report(index, ptr, "_NO_DETAIL")
                self.depth -= 1
                if text:
                    self.for_each(base, p, "x")
                    self.emit("if x == '':")
                    self.depth += 1
                    self.report(index, ptr, "_NO_DETAIL")
                    self.depth -= 1
                    self.close()
        elif kind in ("forbidden", "deprecated-field"):
            for p in c.paths:
                at = self.open_values(p, base, "_")
                self.report(index, at if prefix == "" else f"{prefix} + {at}", "_NO_DETAIL")
                self.close()
        elif kind in ("mutually_exclusive", "exactly_one_of", "at_least_one_of"):
            found = self.fresh("given")
            # "one of these texts is required": an empty text gives none (see spec_paths.required_text)
            texts = kind == "at_least_one_of" and all(c.texts)
            if self.fast:
                given_tests = [self.given_text(p, base) if texts else self.present(p, base) for p in c.paths]
                count = " + ".join(f"({t})" for t in given_tests)
                test = {"mutually_exclusive": "> 1", "exactly_one_of": "!= 1", "at_least_one_of": "== 0"}[kind]
                self.emit(f"if {count} {test}:")
            else:
                self.walks = True
                step_names = ", ".join(self.steps(p) for p in c.paths)
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
            named = py_literal(tuple(p.text for p in c.paths))
            self.report(index, at if kind != "at_least_one_of" else here, named)
            self.depth -= 1
        elif kind == "enum":
            assert path is not None
            at = self.open_values(path, base, "x")
            if (self.fast or self.gated) and not c.with_bools:  # _in() inlined (the reference calls it)
                self.emit(f"if x.__class__ not in _SCALAR or x not in {self.set_of(c.values)}:")
            else:
                self.emit(f"if not _in(x, {self.set_of(c.values)}, {c.with_bools}):")
            self.depth += 1
            self.report(index, at if prefix == "" else f"{prefix} + {at}", "x")
            self.depth -= 1
            self.close()
        elif kind == "range":
            assert path is not None
            at = self.open_values(path, base, "x")
            if self.fast or self.gated:  # _bad_range() inlined (the reference calls it)
                bad = ["x != x"]
                bad += [f"x < {py_literal(c.minimum)}"] if c.minimum is not None else []
                bad += [f"x > {py_literal(c.maximum)}"] if c.maximum is not None else []
                bad += ["x % 1 != 0"] if c.integer else []
                self.emit(f"if x.__class__ in _NUM and ({' or '.join(bad)}):")
            else:
                self.emit(f"if _bad_range(x, {py_literal(c.minimum)}, {py_literal(c.maximum)}, {c.integer}):")
            self.depth += 1
            self.report(index, at if prefix == "" else f"{prefix} + {at}", "x")
            self.depth -= 1
            self.close()
        elif kind == "length":
            assert path is not None
            bounds = [f"len(x) < {c.min_len}"] if c.min_len else []
            bounds += [f"len(x) > {c.max_len}"] if c.max_len is not None else []
            at = self.open_values(path, base, "x")
            self.emit(f"if x.__class__ is str and ({' or '.join(bounds) or 'False'}):")
            self.depth += 1
            self.report(index, at if prefix == "" else f"{prefix} + {at}", "len(x)")
            self.depth -= 1
            self.close()
        elif kind in ("pattern", "media_url", "media_format"):
            assert path is not None and c.regex is not None
            compiled = self.consts.add("RE", f"_Pattern({c.regex!r})")
            at = self.open_values(path, base, "x")
            self.emit(f"if x.__class__ is str and not {compiled}.search(x):")
            self.depth += 1
            self.report(index, at if prefix == "" else f"{prefix} + {at}", "x")
            self.depth -= 1
            self.close()
        elif kind == "items":
            assert path is not None
            self.for_each(base, path, "x")
            self.emit("if x.__class__ is list:")
            self.depth += 1
            if c.count_where is not None:
                var = self.fresh("it")
                inner = self.condition(c.count_where, var)
                self.emit(f"n = sum(1 for {var} in x if {inner})")
            else:
                self.emit("n = len(x)")
            tests = []
            if c.minimum is not None:
                tests.append(f"n < {py_literal(c.minimum)}")
            if c.maximum is not None:
                tests.append(f"n > {py_literal(c.maximum)}")
            self.emit(f"if {' or '.join(tests) or 'False'}:")
            self.depth += 1
            self.report(index, ptr, "n")
            self.depth -= 2
            self.close()
        else:
            raise ValueError(f"cannot compile {kind}")

    def guard(self, g: ir.Guard) -> str | None:
        """The test of the rule's scope (model, endpoint, mode), or None when it applies to the whole family."""
        return " and ".join(f"{name} in {self.set_of(values)}" for name, values in g.limits()) or None

    def all_rules(self) -> None:
        """Every rule in spec order, consecutive rules with the same scope under one guard."""
        current: str | None = None
        for r in self.family.rules:
            test = self.guard(r.guard)
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

    def rule(self, r: ir.Rule) -> None:
        """The rule's checks, inside its scope guard (opened by :meth:`all_rules`).

        A rule whose reporting form walks values with pointers (through arrays, aliases, nested
        objects) is gated by its own pointer-free form, which raises ``_Found`` at its first finding:
        a rule with nothing to report costs a few dict and type tests, and only a rule that fires
        walks its values again with pointers. A rule on top-level keys only reports at constant
        pointers, so its reporting form is as cheap as a gate would be and runs alone.
        """
        self.emit(f"# {r.id}")
        if not self.gated:
            self.rule_checks(r)
            return
        start, self.walks = len(self.lines), False
        self.rule_checks(r)
        if not self.walks:
            return
        del self.lines[start:]
        self.emit("try:")
        self.depth += 1
        self.fast = True
        self.rule_checks(r)
        self.fast = False
        self.depth -= 1
        self.emit("except _Found:")
        self.depth += 1
        self.rule_checks(r)
        self.depth -= 1

    def rule_checks(self, r: ir.Rule) -> None:
        body = r.body
        if isinstance(body, ir.Check):
            self.check(r.index, body, "b", "")
        elif isinstance(body, ir.DeprecatedBody):
            self.report(r.index, '""', "_NO_DETAIL")
        elif isinstance(body, ir.PerItem):
            self.for_each("b", body.items, "item", "q")
            if body.condition is not None:
                self.emit(f"if {self.condition(body.condition, 'item')}:")
                self.depth += 1
            self.check(r.index, body.check, "item", "q")
            if body.condition is not None:
                self.depth -= 1
            self.close()
        elif isinstance(body, ir.When):
            if body.condition is not None:
                self.emit(f"if {self.condition(body.condition, 'b')}:")
                self.depth += 1
            self.check(r.index, body.check, "b", "")
            if body.condition is not None:
                self.depth -= 1
        else:
            self.cross_field(r.index, body)

    def cross_field(self, index: int, c: ir.SumMax | ir.PixelBounds | ir.EqualWhenBoth) -> None:
        if isinstance(c, ir.SumMax):
            terms = " + ".join(self.sum_term(t) for t in c.terms)
            total = self.fresh("total")
            self.emit(f"{total} = {terms}")
            self.emit(f"if {total} > {py_literal(c.max)}:")
            self.depth += 1
            first = self.steps(c.terms[0].path)
            self.report(index, f"_first_pointer(b, {first})", total)
            self.depth -= 1
        elif isinstance(c, ir.PixelBounds):
            self.for_each("b", c.width, "w")
            self.for_each("b", c.height, "h", "_")
            self.emit(f"if _bad_pixels(w, h, {py_literal(c.limits)}):")
            self.depth += 1
            self.report(index, "_parent(p)", "(w, h)")
            self.depth -= 1
            self.close()
            self.close()
        else:
            steps = ", ".join(self.steps(p) for p in c.paths)
            if self.fast:
                self.emit(f"given = [v[0] for v in (_pv(b, s) for s in ({steps},)) if v]")
                self.emit("if len(given) > 1 and any(x != given[0] for x in given[1:]):")
            else:
                self.walks = True
                self.emit(f"given = [v[0] for v in (_vals(b, s) for s in ({steps},)) if v]")
                self.emit("if len(given) > 1 and any(x != given[0][1] for _, x in given[1:]):")
            self.depth += 1
            self.report(index, "given[1][0]", "_NO_DETAIL")
            self.depth -= 1

    def sum_term(self, t: ir.SumTerm) -> str:
        """One term of a sum: how many things a path gives, or its number (``default`` when absent).

        A term on one top-level key tests the key first: most terms of a sum are absent, and the
        generic walk would build lists to find nothing.
        """
        key = self.single_key(t.path, "b")
        if t.counts_items:
            walk = f"_count(b, {self.steps(t.path)})"
            absent = "0"
        else:
            walk = f"_number(b, {self.steps(t.path)}, {py_literal(t.default)})"
            absent = py_literal(t.default)
        return walk if key is None else f"({walk} if {key!r} in b else {absent})"

    def modes(self) -> list[str]:
        self.lines = []
        self.depth = 0
        for selector in self.family.modes:
            test = self.condition(selector.condition, "b")
            if selector.endpoints is not None:
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


# ---- shapes -------------------------------------------------------------------------------------


def _shape_literal(table: dict[str, ir.Shape]) -> dict[str, Any]:
    """The runtime's shape table: name -> (types, properties, item types, item properties, endpoints,
    the value is a URL, each item is a URL)."""
    return {
        name: (
            s.types,
            _shape_literal(s.properties) if s.properties is not None else None,
            s.item_types,
            _shape_literal(s.item_properties) if s.item_properties is not None else None,
            s.endpoints,
            s.url,
            s.item_url,
        )
        for name, s in table.items()
    }


# ---- endpoints and models -----------------------------------------------------------------------


def _python_pattern(method: str, pieces: tuple[tuple[bool, str], ...]) -> str:
    """A Python regex matching concrete 'METHOD /path' strings, parameters as named groups."""
    body = "".join(f"(?P<{text}>[^/]+?)" if is_param else re.escape(text) for is_param, text in pieces)
    return re.escape(method + " ") + body


def endpoint_pattern(endpoint: m.Endpoint) -> tuple[str, str | None]:
    """A regex matching concrete 'METHOD /path' strings, and the path parameter naming the model."""
    return _python_pattern(endpoint.method, ir.endpoint_pieces(endpoint)), model_path_parameter(endpoint)


@dataclass(frozen=True)
class CompiledFamily:
    id: str
    ident: str
    mode_lines: list[str]
    rule_lines: list[str]
    shape_name: str


def render(spec: m.Spec, *, gated: bool = True) -> str:
    """The linter module's source. ``gated=False`` leaves out the per-rule pointer-free gates of the
    reporting path (the differential test's reference: every rule walked with pointers)."""
    return render_ir(ir.build(spec, fingerprint(spec)), gated=gated)


def render_ir(linter: ir.Linter, *, gated: bool = True) -> str:
    """The linter module's source from the rules' IR."""
    consts = ir.Constants("_{prefix}{n}")
    families = []
    shapes = []
    for family in linter.families:
        compiler = _Compiler(family, consts, gated=gated)
        shape_name = f"_SHAPE_{family.ident.upper()}"
        shapes.append({"name": shape_name, "literal": py_literal(_shape_literal(family.shapes))})
        families.append(
            CompiledFamily(
                id=family.id,
                ident=family.ident,
                mode_lines=compiler.modes(),
                rule_lines=compiler.rules(),
                shape_name=shape_name,
            )
        )
    models = [
        {
            "id": md.id,
            "family": md.family,
            "default_endpoint": md.default_endpoint,
            "endpoints": py_literal(md.endpoints),
            "legacy": py_literal(md.legacy),
            "modes": py_literal(md.modes),
        }
        for md in linter.models
    ]
    endpoints = [
        {
            "id": e.id,
            "pattern": _python_pattern(e.method, e.pieces),
            "model_param": e.model_param,
            "implied_model": e.implied_model,
        }
        for e in linter.endpoints
    ]
    return (
        jinja_env()
        .get_template("uniall_lint.py.j2")
        .render(
            fingerprint=linter.fingerprint,
            rule_table=[
                {"id": r.id, "severity": r.severity, "message": r.message, "source": r.source} for r in linter.rules
            ],
            builtin_indexes=[("_" + ir.builtin_name(rule_id), index) for rule_id, index in linter.builtins],
            constants=consts.items(),
            models=models,
            endpoints=endpoints,
            shapes=shapes,
            families=families,
            uri_pattern=py_literal(URI_PATTERN),
            simple_uri_pattern=py_literal(SIMPLE_URI_PATTERN),
        )
    )


# The line after which the standalone script carries the linter's code, one comment line per line.
SCRIPT_CODE_MARKER = "# ---- the linter's code, read by _source() above: each line below without its first '#' ----\n"


def render_script(spec: m.Spec) -> str:
    """The standalone script: the module source as a comment block, compiled once and cached."""
    source = render(spec)
    if not source.endswith("\n") or "\r" in source:
        # _source() reads the file with universal newlines: a carriage return would come back a newline
        raise ValueError("the linter source must end with a newline and hold no carriage return to be embedded")
    return (
        jinja_env()
        .get_template("uniall_lint_script.py.j2")
        .render(
            fingerprint=fingerprint(spec),
            sha256=hashlib.sha256(source.encode("utf-8")).hexdigest(),
            code_marker=SCRIPT_CODE_MARKER,
            commented_source="".join("#" + line for line in source.splitlines(keepends=True)).rstrip("\n"),
        )
    )
