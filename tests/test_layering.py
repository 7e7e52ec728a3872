"""Emitters are leaves: no emitter imports another, nor ``generator.emit``; only ``emit.py`` imports emitters.

Shared logic lives in non-emitter modules under ``generator/`` (``spec_paths``, ``scope``,
``templating``, ``lint_compiler``, ``schema_builder``), so an emitter can be changed or removed
without touching the others, and ``emit.py`` sits in no import cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

GENERATOR = Path(__file__).resolve().parent.parent / "generator"


def _module_name(path: Path) -> str:
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, as an absolute dotted name."""
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            found.add(module)
            # `from . import linter` names a module, not an attribute
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _emitter_modules() -> set[str]:
    return {_module_name(p) for p in (GENERATOR / "emitters").glob("*.py") if p.name != "__init__.py"}


def test_imported_modules_resolves_relative_imports() -> None:
    sample = GENERATOR / "emitters" / "openapi.py"
    assert "generator.model" in imported_modules(sample)
    assert "generator.schema_builder" in imported_modules(sample)


def test_no_emitter_imports_another_emitter_or_emit() -> None:
    emitters = _emitter_modules()
    assert len(emitters) >= 5
    offences = []
    for path in sorted((GENERATOR / "emitters").glob("*.py")):
        me = _module_name(path)
        bad = {name for name in imported_modules(path) if (name in emitters and name != me) or name == "generator.emit"}
        offences += [f"{me} imports {name}" for name in sorted(bad)]
    assert offences == []


def test_only_emit_py_imports_the_emitters() -> None:
    emitters = _emitter_modules() | {"generator.emitters"}
    offences = []
    for path in sorted(GENERATOR.glob("*.py")):
        if path.name == "emit.py":
            continue
        bad = {name for name in imported_modules(path) if name in emitters}
        offences += [f"{_module_name(path)} imports {name}" for name in sorted(bad)]
    assert offences == []
