"""The JavaScript linter and the TypeScript client load where Node's modules do not exist.

Only the linter's command line needs ``node:fs``/``node:path``/``node:url``; the rules and the client
must also run in browsers, Deno and edge runtimes, which is where many TypeScript users call an API.
``js_portable/load_without_node.mjs`` imports a module with no ``process`` global and with every
``node:`` import refused (a module resolve hook), then lints one body.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOADER = Path(__file__).resolve().parent / "js_portable" / "load_without_node.mjs"
NODE = shutil.which("node")
pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed (the JS linter needs Node 18+)")


def _load_without_node(module: Path) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run([NODE, LOADER, module], capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize(
    "module",
    [
        ROOT / "generated" / "lint" / "uniall_lint.mjs",
        ROOT / "generated" / "typescript" / "uniall_lint.mjs",
        ROOT / "generated" / "typescript" / "index.mjs",
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_the_module_loads_and_lints_without_node_builtins(module: Path) -> None:
    loaded = _load_without_node(module)
    assert loaded.returncode == 0, loaded.stderr[-2000:]
    assert loaded.stdout.split() == ["seedance.duration-range"]


def test_the_check_fails_for_a_module_that_imports_a_node_builtin(tmp_path: Path) -> None:
    """The hook does refuse ``node:`` imports: a module importing one statically fails to load."""
    module = tmp_path / "static.mjs"
    module.write_text('import * as fs from "node:fs";\nexport const lintRequest = () => fs;\n', encoding="utf-8")
    loaded = _load_without_node(module)
    assert loaded.returncode != 0
    assert "no node:fs here" in loaded.stderr
