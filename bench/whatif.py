"""What-if: copies of the generated linter with the changes this benchmark suggests for its generator.

Each transform rewrites the text of ``generated/lint/uniall_lint.py`` the way a changed template or
compiler would emit it; the generator itself is not touched. A transform that no longer matches the
generated code is reported as not applicable, and a variant counts only when it returns exactly the
same result (``to_dict()``) as the real linter on every request of the corpus.

* ``fast paths`` (throughput): conditions and ``_has`` walk values without building JSON pointers;
  a top-level path of one key with no alias is compiled inline (``"prompt" in b``, ``b["prompt"]``)
  instead of going through the generic ``_vals``/``_absent`` walkers; ``_shape`` checks the common
  single JSON type by class before falling back to the ``_JSON_TYPES`` lambdas.
* ``lazy families`` (cold start): each family's ``_mode_*``/``_rules_*`` source is kept in a string
  and compiled on first use, so a one-request run compiles one family instead of all of them.
* ``+ config pre-check + data as JSON`` (cold start): also read pyproject.toml as bytes and import
  tomllib only when it mentions ``uniall-lint``; and emit the rule, model, shape and constant tables
  as one JSON string (frozensets tagged) instead of Python literals, which are slow to compile.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class NotApplicable(Exception):
    """The generated code no longer has the shape a transform expects."""


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise NotApplicable(f"expected one {old.strip().splitlines()[0]!r}")
    return text.replace(old, new)


def _single_key_paths(text: str) -> dict[str, str]:
    """``_P4 = ((0, ('prompt',)),)`` -> {'_P4': 'prompt'}: one top-level key, no alias."""
    return dict(re.findall(r"^(_P\d+) = \(\(0, \('([A-Za-z0-9_.-]*)',\)\),\)$", text, re.M))


# ---- throughput ---------------------------------------------------------------------------------------

_VALUES = '''def _values(doc: Any, steps: tuple[tuple[int, Any], ...]) -> list[Any]:
    """Every value at a path, like ``_vals`` without pointers: for conditions, which never report."""
    found: list[Any] = [doc]
    for kind, arg in steps:
        nxt: list[Any] = []
        for val in found:
            if kind == 0:
                if val.__class__ is dict:
                    for name in arg:
                        if name in val:
                            nxt.append(val[name])
            elif val.__class__ is list:
                if kind == 1:
                    nxt.extend(val)
                elif len(val) > arg:
                    nxt.append(val[arg])
        if not nxt:
            return nxt
        found = nxt
    return found


def _absent('''


def fast_paths(text: str) -> str:
    text = _replace_once(text, "def _absent(", _VALUES)
    text = _replace_once(
        text,
        "    return bool(_vals(doc, steps))",
        "    return bool(_values(doc, steps))",
    )
    text, conditions = re.subn(r"for _, (y|it\d+) in _vals\(", r"for \1 in _values(", text)
    if not conditions:
        raise NotApplicable("no condition walks values with _vals")
    text = _replace_once(
        text,
        "        if not any(_JSON_TYPES[t](value) for t in types):",
        "        if not (value.__class__ is _CLASS.get(types[0]) or any(_JSON_TYPES[t](value) for t in types)):",
    )
    text = _replace_once(
        text,
        "def _esc(",
        '_CLASS = {"string": str, "object": dict, "array": list, "boolean": bool}\n\n\ndef _esc(',
    )
    single = _single_key_paths(text)
    if not single:
        raise NotApplicable("no single-key path constants")

    def inline(pattern: str, make: Callable[[str], str]) -> None:
        nonlocal text
        text = re.sub(pattern, lambda m: make(single[m["c"]]) if m["c"] in single else m[0], text)

    inline(r"_has\(b, (?P<c>_P\d+)\)", lambda k: f'("{k}" in b)')
    inline(r"for p in _absent\(b, (?P<c>_P\d+)\):", lambda k: f'for p in (() if "{k}" in b else ("/{k}",)):')
    inline(
        r"for p, x in _vals\(b, (?P<c>_P\d+)\):",
        lambda k: f'for p, x in ((("/{k}", b["{k}"]),) if "{k}" in b else ()):',
    )
    inline(r"for y in _values\(b, (?P<c>_P\d+)\)", lambda k: f'for y in ((b["{k}"],) if "{k}" in b else ())')
    return text


# ---- cold start -------------------------------------------------------------------------------------

_FAMILY_LOADER = '''_FAMILIES: dict[str, Any] = {}


def _family(family: str) -> Any:
    """A family's mode selector, rule function and shape, compiled on first use."""
    found = _FAMILIES.get(family)
    if found is None:
        ident, shape, source = _FAMILY_SOURCE[family]
        exec(compile(source, f"<uniall_lint {family}>", "exec"), globals())
        found = _FAMILIES[family] = (globals()["_mode_" + ident], globals()["_rules_" + ident], globals()[shape])
    return found
'''


def lazy_families(text: str) -> str:
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    sources: dict[str, str] = {}
    spans: list[tuple[int, int]] = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith(("_mode_", "_rules_")):
            ident = node.name.split("_", 2)[2]
            sources[ident] = sources.get(ident, "") + "".join(lines[node.lineno - 1 : node.end_lineno]) + "\n"
            spans.append((node.lineno - 1, node.end_lineno or node.lineno))
    if not sources:
        raise NotApplicable("no _mode_/_rules_ functions")
    for start, end in sorted(spans, reverse=True):
        del lines[start:end]
    out = "".join(lines)
    table = re.search(r"^_FAMILIES = \{\n(.*?)\n\}\n", out, re.S | re.M)
    if table is None:
        raise NotApplicable("no _FAMILIES table")
    entries = re.findall(r"^    ['\"]([^'\"]+)['\"]: \(_mode_(\w+), _rules_\w+, (\w+)\),$", table[1], re.M)
    if not entries:
        raise NotApplicable("unexpected _FAMILIES entries")
    family_source = "_FAMILY_SOURCE: dict[str, tuple[str, str, str]] = {\n"
    family_source += "".join(
        f"    {fid!r}: ({ident!r}, {shape!r}, {sources[ident]!r}),\n" for fid, ident, shape in entries
    )
    out = out.replace(table[0], family_source + "}\n" + _FAMILY_LOADER)
    return _replace_once(out, "select, rules, shape = _FAMILIES[family]", "select, rules, shape = _family(family)")


def config_precheck(text: str) -> str:
    return _replace_once(
        text,
        """            import tomllib

            try:
                with open(candidate, "rb") as handle:
                    document = tomllib.load(handle)
""",
        """            try:
                with open(candidate, "rb") as handle:
                    data = handle.read()
            except OSError as exc:
                raise _InputError(f"{candidate}: cannot read [tool.uniall-lint]: {exc}") from None
            if b"uniall-lint" not in data:
                return []
            import tomllib

            try:
                document = tomllib.loads(data.decode("utf-8"))
""",
    )


def _is_data(name: str) -> bool:
    return (
        name.startswith("_SHAPE_")
        or name in ("_RULES", "_MODELS", "_ENDPOINTS")
        or (name[:2] in ("_P", "_S") and name[2:].isdigit())
    )


def _freeze(value: Any) -> Any:
    if isinstance(value, frozenset):
        return {"\x00f": [_freeze(x) for x in sorted(value, key=repr)]}
    if isinstance(value, (tuple, list)):
        return [_freeze(x) for x in value]
    if isinstance(value, dict):
        return {k: _freeze(v) for k, v in value.items()}
    return value


def data_as_json(text: str) -> str:
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    found: list[tuple[int, int, str]] = []
    for node in tree.body:
        target = (
            node.targets[0]
            if isinstance(node, ast.Assign)
            else node.target
            if isinstance(node, ast.AnnAssign)
            else None
        )
        if isinstance(target, ast.Name) and _is_data(target.id):
            found.append((node.lineno - 1, node.end_lineno or node.lineno, target.id))
    if not found:
        raise NotApplicable("no data tables")
    namespace: dict[str, Any] = {"Any": Any}
    for start, end, _ in found:
        exec("".join(lines[start:end]), namespace)
    blob = json.dumps({name: _freeze(namespace[name]) for _, _, name in found}, separators=(",", ":"))
    for start, end, _ in sorted(found, reverse=True):
        del lines[start:end]
    loader = (
        "def _thaw(d: dict[str, Any]) -> Any:\n"
        '    return frozenset(d["\\x00f"]) if "\\x00f" in d else d\n\n\n'
        f"globals().update(json.loads({blob!r}, object_hook=_thaw))\n"
    )
    lines.insert(found[0][0], loader)
    return "".join(lines)


# ---- variants -----------------------------------------------------------------------------------------


@dataclass
class Variant:
    name: str
    purpose: str
    path: Path | None
    problem: str | None = None


VARIANTS: dict[str, tuple[str, tuple[Callable[[str], str], ...]]] = {
    "fast paths": ("throughput", (fast_paths,)),
    "lazy families": ("cold start", (lazy_families,)),
    "lazy families + config pre-check + data as JSON": (
        "cold start",
        (lazy_families, config_precheck, data_as_json),
    ),
}


def build(source: Path, directory: Path, same: Callable[[Path], str | None]) -> list[Variant]:
    """Write each variant into ``directory``; ``same(path)`` says why a variant's results differ, or None."""
    text = source.read_text(encoding="utf-8")
    out = []
    for number, (name, (purpose, steps)) in enumerate(VARIANTS.items()):
        changed = text
        try:
            for step in steps:
                changed = step(changed)
        except NotApplicable as exc:
            out.append(Variant(name, purpose, None, f"not applicable: {exc}"))
            continue
        path = directory / f"uniall_lint_whatif_{number}.py"
        path.write_text(changed, encoding="utf-8")
        problem = same(path)
        out.append(Variant(name, purpose, None if problem else path, problem))
    return out
