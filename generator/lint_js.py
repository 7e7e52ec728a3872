"""The JavaScript backend of the linter: the rules' IR (:mod:`generator.lint_ir`) as plain JavaScript.

The same IR the Python backend (``lint_compiler``) renders, laid out as one ES module with no
dependencies (Node 18+): per family a mode selector and a rule function whose every rule is an
``if`` guarded by its scope, and a runtime (``templates/lint_js/``) that reads input, lints and
reports exactly as the Python linter does. Generating it needs no Node.

Not an emitter: ``emitters/lint_script.py`` writes ``generated/lint/uniall_lint.mjs`` with
:func:`render_js_linter`, and the TypeScript emitter can render the same linter into its package.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from . import lint_ir as ir
from . import model as m
from .media import URI_PATTERN
from .templating import fingerprint, jinja_env


def js_literal(value: Any) -> str:
    """A deterministic JavaScript literal (JSON for scalars; sets as sorted arrays)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, frozenset):
        items = sorted(value, key=lambda v: (type(v).__name__, repr(v)))
        return "[" + ", ".join(js_literal(v) for v in items) + "]"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(js_literal(v) for v in value) + "]"
    raise TypeError(f"no JavaScript literal for {type(value).__name__}")


def _js_regex_escape(text: str) -> str:
    return re.sub(r"[.*+?^${}()|\[\]\\/-]", lambda match: "\\" + match.group(), text)


def endpoint_regex(method: str, pieces: tuple[tuple[bool, str], ...]) -> str:
    """An ECMA 262 regex source matching a whole concrete 'METHOD /path', parameters as named groups."""
    body = "".join(f"(?<{text}>[^/]+?)" if is_param else _js_regex_escape(text) for is_param, text in pieces)
    return "^" + _js_regex_escape(method + " ") + body + "$"


class _JsCompiler:
    """One family's mode selector and reporting path as JavaScript statements.

    A finding is ``out.push([rule index, JSON pointer, detail])``; the runtime turns it into a
    message. Values are walked with the runtime's ``vals`` (pointer and value) and ``pv`` (values).
    """

    def __init__(self, family: ir.Family, consts: ir.Constants) -> None:
        self.family = family
        self.consts = consts
        self.lines: list[str] = []
        self.depth = 0
        self.temp = 0

    # -- layout ---------------------------------------------------------------------------------

    def emit(self, line: str) -> None:
        self.lines.append("  " * self.depth + line)

    def open(self, head: str) -> None:
        self.emit(head + " {")
        self.depth += 1

    def end(self, blocks: int = 1) -> None:
        for _ in range(blocks):
            self.depth -= 1
            self.emit("}")

    def fresh(self, stem: str) -> str:
        self.temp += 1
        return f"{stem}{self.temp}"

    # -- constants ------------------------------------------------------------------------------

    def steps(self, path: ir.Path) -> str:
        return self.consts.add("P", js_literal([[kind, list(arg) if kind == 0 else arg] for kind, arg in path.steps]))

    def set_of(self, values: tuple[m.Scalar, ...] | frozenset[Any]) -> str:
        return self.consts.add("S", f"new Set({js_literal(frozenset(values))})")

    def regex(self, source: str) -> str:
        return self.consts.add("RE", f"new RegExp({json.dumps(source)}, 'u')")

    # -- values ---------------------------------------------------------------------------------

    def open_values(self, path: ir.Path, base: str, var: str) -> str:
        """Open one block run once per value at ``path`` (``var``); returns the pointer expression."""
        key = path.key if base == "b" else None
        if key is not None:
            self.open(f"if (has(b, {json.dumps(key)}))")
            self.emit(f"const {var} = b[{json.dumps(key)}];")
            return json.dumps("/" + key)
        self.open(f"for (const [p, {var}] of vals({base}, {self.steps(path)}))")
        return "p"

    def condition(self, c: ir.Condition, base: str) -> str:
        if isinstance(c, ir.Present):
            key = c.path.key if base == "b" else None
            test = f"has(b, {json.dumps(key)})" if key is not None else f"pv({base}, {self.steps(c.path)}).length > 0"
            return test if c.present else f"!({test})"
        if isinstance(c, ir.Equals):
            return f"pv({base}, {self.steps(c.path)}).some((y) => eq(y, {js_literal(c.value)}))"
        if isinstance(c, ir.In):
            with_bools = js_literal(c.with_bools)
            return f"pv({base}, {self.steps(c.path)}).some((y) => isIn(y, {self.set_of(c.values)}, {with_bools}))"
        if isinstance(c, ir.IsType):
            return f"pv({base}, {self.steps(c.path)}).some(JSON_TYPES[{json.dumps(c.json_type)}])"
        if isinstance(c, ir.MinItems):
            return f"pv({base}, {self.steps(c.path)}).some((y) => Array.isArray(y) && y.length >= {c.count})"
        if isinstance(c, ir.Exists):
            var = self.fresh("it")
            inner = self.condition(c.where, var)
            return f"pv({base}, {self.steps(c.items)}).some(({var}) => {inner})"
        if isinstance(c, ir.All):
            return "(" + " && ".join(self.condition(x, base) for x in c.conditions) + ")"
        if isinstance(c, ir.AnyOf):
            return "(" + " || ".join(self.condition(x, base) for x in c.conditions) + ")"
        return f"!({self.condition(c.condition, base)})"

    # -- checks ---------------------------------------------------------------------------------

    def report(self, index: int, pointer: str, detail: str) -> None:
        self.emit(f"out.push([{index}, {pointer}, {detail}]);")

    def check(self, index: int, c: ir.Check, base: str, prefix: str) -> None:
        """Statements that report every violation of one constraint on the document ``base``."""

        def at(pointer: str) -> str:
            return pointer if prefix == "" else f"{prefix} + {pointer}"

        kind, path = c.kind, c.path
        if kind == "required":
            for p, text in zip(c.paths, c.texts, strict=True):
                key = p.key if base == "b" else None
                if key is not None:
                    empty = f' || b[{json.dumps(key)}] === ""' if text else ""
                    self.open(f"if (!has(b, {json.dumps(key)}){empty})")
                    self.report(index, json.dumps("/" + key), "NO_DETAIL")
                    self.end()
                    continue
                self.open(f"for (const p of absent({base}, {self.steps(p)}))")
                self.report(index, at("p"), "NO_DETAIL")
                self.end()
                if text:
                    self.open(f"for (const [p, x] of vals({base}, {self.steps(p)}))")
                    self.open('if (x === "")')
                    self.report(index, at("p"), "NO_DETAIL")
                    self.end(2)
        elif kind in ("forbidden", "deprecated-field"):
            for p in c.paths:
                pointer = self.open_values(p, base, "_v")
                self.report(index, at(pointer), "NO_DETAIL")
                self.end()
        elif kind in ("mutually_exclusive", "exactly_one_of", "at_least_one_of"):
            found = self.fresh("given")
            texts = kind == "at_least_one_of" and all(c.texts)
            steps = ", ".join(self.steps(p) for p in c.paths)
            given = '(v) => v.length > 0 && v[0][1] !== ""' if texts else "(v) => v.length > 0"
            self.emit(f"const {found} = [{steps}].map((s) => vals({base}, s)).filter({given}).map((v) => v[0][0]);")
            test = {
                "mutually_exclusive": f"{found}.length > 1",
                "exactly_one_of": f"{found}.length !== 1",
                "at_least_one_of": f"{found}.length === 0",
            }[kind]
            self.open(f"if ({test})")
            if kind == "mutually_exclusive":
                pointer = at(f"{found}[1]")
            elif kind == "exactly_one_of":
                pointer = at(f'({found}.length > 1 ? {found}[1] : "")')
            else:
                pointer = '""' if prefix == "" else prefix
            self.report(index, pointer, js_literal([p.text for p in c.paths]))
            self.end()
        elif kind == "enum":
            assert path is not None
            pointer = self.open_values(path, base, "x")
            self.open(f"if (!isIn(x, {self.set_of(c.values)}, {js_literal(c.with_bools)}))")
            self.report(index, at(pointer), f"new Shown(x, {at(pointer)})")
            self.end(2)
        elif kind == "range":
            assert path is not None
            pointer = self.open_values(path, base, "x")
            limits = f"{js_literal(c.minimum)}, {js_literal(c.maximum)}, {js_literal(c.integer)}"
            self.open(f"if (badRange(x, {limits}))")
            self.report(index, at(pointer), f"new Shown(x, {at(pointer)})")
            self.end(2)
        elif kind == "length":
            assert path is not None
            pointer = self.open_values(path, base, "x")
            bounds = [f"length(x) < {c.min_len}"] if c.min_len else []
            bounds += [f"length(x) > {c.max_len}"] if c.max_len is not None else []
            self.open(f'if (typeof x === "string" && ({" || ".join(bounds) or "false"}))')
            self.report(index, at(pointer), "length(x)")
            self.end(2)
        elif kind in ("pattern", "media_url", "media_format"):
            assert path is not None and c.regex is not None
            compiled = self.regex(c.regex)
            pointer = self.open_values(path, base, "x")
            self.open(f'if (typeof x === "string" && !{compiled}.test(x))')
            self.report(index, at(pointer), f"new Shown(x, {at(pointer)})")
            self.end(2)
        elif kind == "items":
            assert path is not None
            self.open(f"for (const [p, x] of vals({base}, {self.steps(path)}))")
            self.open("if (Array.isArray(x))")
            if c.count_where is not None:
                var = self.fresh("it")
                self.emit(f"const n = x.filter(({var}) => {self.condition(c.count_where, var)}).length;")
            else:
                self.emit("const n = x.length;")
            tests = [f"n < {js_literal(c.minimum)}"] if c.minimum is not None else []
            tests += [f"n > {js_literal(c.maximum)}"] if c.maximum is not None else []
            self.open(f"if ({' || '.join(tests) or 'false'})")
            self.report(index, at("p"), "n")
            self.end(3)
        else:
            raise ValueError(f"cannot compile {kind}")

    def cross_field(self, index: int, c: ir.SumMax | ir.PixelBounds | ir.EqualWhenBoth) -> None:
        if isinstance(c, ir.SumMax):
            terms = ", ".join(
                f"[{self.steps(t.path)}, {js_literal(t.counts_items)}, {js_literal(t.default)}]" for t in c.terms
            )
            total = self.fresh("total")
            self.emit(f"const {total} = sumOf(b, [{terms}]);")
            self.open(f"if ({total}.value > {js_literal(c.max)})")
            self.report(index, f"firstPointer(b, {self.steps(c.terms[0].path)})", f"{total}.detail")
            self.end()
        elif isinstance(c, ir.PixelBounds):
            self.open(f"for (const [p, w] of vals(b, {self.steps(c.width)}))")
            self.open(f"for (const [p2, h] of vals(b, {self.steps(c.height)}))")
            self.open(f"if (badPixels(w, h, {js_literal(c.limits)}))")
            self.report(index, "parent(p)", "new Shown([w, h], [p, p2])")
            self.end(3)
        else:
            steps = ", ".join(self.steps(p) for p in c.paths)
            given = self.fresh("given")
            self.emit(f"const {given} = [{steps}].map((s) => vals(b, s)).filter((v) => v.length > 0).map((v) => v[0]);")
            self.open(f"if ({given}.length > 1 && {given}.slice(1).some(([, x]) => !same(x, {given}[0][1])))")
            self.report(index, f"{given}[1][0]", "NO_DETAIL")
            self.end()

    # -- functions ------------------------------------------------------------------------------

    def guard(self, g: ir.Guard) -> str | None:
        return " && ".join(f"{self.set_of(values)}.has({name})" for name, values in g.limits()) or None

    def rule(self, r: ir.Rule) -> None:
        self.emit(f"// {r.id}")
        body = r.body
        if isinstance(body, ir.Check):
            self.check(r.index, body, "b", "")
        elif isinstance(body, ir.DeprecatedBody):
            self.report(r.index, '""', "NO_DETAIL")
        elif isinstance(body, ir.PerItem):
            self.open(f"for (const [q, item] of vals(b, {self.steps(body.items)}))")
            if body.condition is not None:
                self.open(f"if ({self.condition(body.condition, 'item')})")
            self.check(r.index, body.check, "item", "q")
            self.end(2 if body.condition is not None else 1)
        elif isinstance(body, ir.When):
            if body.condition is not None:
                self.open(f"if ({self.condition(body.condition, 'b')})")
            self.check(r.index, body.check, "b", "")
            if body.condition is not None:
                self.end()
        else:
            self.cross_field(r.index, body)

    def rules(self) -> list[str]:
        """The body of ``rules_<family>``: every rule in spec order, consecutive rules of one scope under one guard."""
        self.lines, self.depth = [], 0
        current: str | None = None
        for r in self.family.rules:
            test = self.guard(r.guard)
            if test != current:
                if current is not None:
                    self.end()
                if test is not None:
                    self.open(f"if ({test})")
                current = test
            self.rule(r)
        if current is not None:
            self.end()
        return self.lines

    def modes(self) -> list[str]:
        self.lines, self.depth = [], 0
        for selector in self.family.modes:
            test = self.condition(selector.condition, "b")
            if selector.endpoints is not None:
                test = f"{self.set_of(selector.endpoints)}.has(endpoint) && {test}"
            self.emit(f"if ({test}) return {json.dumps(selector.mode)};")
        self.emit("return null;")
        return self.lines


def _shape_literal(table: dict[str, ir.Shape]) -> str:
    """A ``Map`` of name -> [types, properties, item types, item properties, endpoints, URL value, URL items]
    (a Map: any key is safe)."""
    entries = []
    for name, s in table.items():
        children = _shape_literal(s.properties) if s.properties is not None else "null"
        item_children = _shape_literal(s.item_properties) if s.item_properties is not None else "null"
        endpoints = f"new Set({js_literal(s.endpoints)})" if s.endpoints is not None else "null"
        entry = (
            f"[{js_literal(s.types)}, {children}, {js_literal(s.item_types)}, {item_children}, {endpoints}, "
            f"{js_literal(s.url)}, {js_literal(s.item_url)}]"
        )
        entries.append(f"[{json.dumps(name)}, {entry}]")
    return "new Map([" + ", ".join(entries) + "])"


def render_ir_js(linter: ir.Linter) -> str:
    """The JavaScript linter module's source from the rules' IR."""
    consts = ir.Constants("{prefix}_{n}")
    families = []
    for family in linter.families:
        compiler = _JsCompiler(family, consts)
        families.append(
            {
                "id": json.dumps(family.id),
                "ident": family.ident,
                "mode_lines": compiler.modes(),
                "rule_lines": compiler.rules(),
                "shape": _shape_literal(family.shapes),
            }
        )
    models = [
        {
            "id": json.dumps(md.id),
            "entry": (
                f"[{json.dumps(md.family)}, {json.dumps(md.default_endpoint)}, new Set({js_literal(md.endpoints)}), "
                f"new Set({js_literal(md.legacy)}), new Set({js_literal(md.modes)})]"
            ),
        }
        for md in linter.models
    ]
    endpoints = [
        {
            "id": json.dumps(e.id),
            "entry": (
                f"[new RegExp({json.dumps(endpoint_regex(e.method, e.pieces))}), "
                f"{js_literal(e.model_param)}, {js_literal(e.implied_model)}]"
            ),
        }
        for e in linter.endpoints
    ]
    return (
        jinja_env()
        .get_template("lint_js/uniall_lint.mjs.j2")
        .render(
            fingerprint=linter.fingerprint,
            rules=[js_literal([r.id, r.severity, r.message, r.source]) for r in linter.rules],
            builtins=[(ir.builtin_name(rule_id), index) for rule_id, index in linter.builtins],
            constants=consts.items(),
            models=models,
            endpoints=endpoints,
            families=families,
            uri_pattern=json.dumps(URI_PATTERN),
            docs_url=json.dumps(m.DOCS_BASE_URL + "/"),
        )
    )


def render_js_linter(spec: m.Spec) -> str:
    """``uniall_lint.mjs``: the spec's rules as one dependency-free ES module (Node 18+) with its CLI.

    The stable entry point for any emitter that ships the JavaScript linter (the standalone
    ``generated/lint/uniall_lint.mjs``, the TypeScript package): same spec in, same bytes out.
    """
    return render_ir_js(ir.build(spec, fingerprint(spec)))
