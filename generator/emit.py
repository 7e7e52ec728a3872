"""Run every emitter over the loaded spec and write (or compare) ``generated/``.

An emitter is a function from the loaded :class:`~generator.model.Spec` to a mapping of relative
file paths to text. Emitters never read YAML, each other's output, the clock or the environment,
so the same spec always gives byte-identical files.
"""

from __future__ import annotations

import difflib
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

from . import model as m
from .emitters import capabilities, client, examples_report, json_schemas, lint_script, mock, openapi

Emitter = Callable[[m.Spec], Mapping[str, str]]
GENERATED_DIR = Path(__file__).resolve().parent.parent / "generated"


def emitters() -> list[Emitter]:
    return [
        capabilities.emit,
        client.emit,
        examples_report.emit,
        lint_script.emit,
        mock.emit,
        openapi.emit,
        json_schemas.emit,
    ]


def render_all(spec: m.Spec) -> dict[str, str]:
    files: dict[str, str] = {}
    for emitter in emitters():
        for path, text in emitter(spec).items():
            if path in files:
                raise ValueError(f"two emitters write {path}")
            files[path] = text
    return dict(sorted(files.items()))


def write_tree(files: Mapping[str, str], out_dir: Path) -> None:
    """Replace ``out_dir`` with exactly ``files`` (built aside, then swapped in)."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".generated-", dir=out_dir.parent))
    try:
        for rel, text in files.items():
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")
            if text.startswith("#!"):
                target.chmod(0o755)  # a script users run directly (and pre-commit's `language: script`)
        if out_dir.exists():
            shutil.rmtree(out_dir)
        staging.rename(out_dir)
    finally:
        if staging.exists():
            shutil.rmtree(staging)


# What Python and `pip install generated/python` leave beside the generated files (pip builds in
# the source tree): not ours to compare, and `make generate` removes them with the old tree.
_BUILD_LEFTOVER_DIRS = frozenset({"__pycache__", "build", "dist"})


def _is_build_leftover(rel_parts: tuple[str, ...]) -> bool:
    folders = rel_parts[:-1]
    return bool(_BUILD_LEFTOVER_DIRS.intersection(folders)) or any(f.endswith(".egg-info") for f in folders)


def files_on_disk(out_dir: Path) -> dict[str, Path]:
    """The files of a generated tree by relative POSIX path, without build leftovers (empty if absent).

    The one definition of "what is in generated/" for every comparison with a fresh render.
    """
    if not out_dir.exists():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(out_dir.rglob("*")):
        rel = path.relative_to(out_dir)
        if path.is_file() and not _is_build_leftover(rel.parts):
            found[rel.as_posix()] = path
    return found


def stale_files(files: Mapping[str, str], out_dir: Path) -> list[str]:
    """A unified diff per file that differs between ``files`` and ``out_dir`` (empty: up to date)."""
    diffs: list[str] = []
    on_disk = files_on_disk(out_dir)
    for rel in sorted(set(files) | set(on_disk)):
        want = files.get(rel)
        have = on_disk[rel].read_text(encoding="utf-8") if rel in on_disk else None
        if want == have:
            continue
        diff = difflib.unified_diff(
            (have or "").splitlines(keepends=True),
            (want or "").splitlines(keepends=True),
            fromfile=f"generated/{rel} (committed)" if have is not None else "/dev/null",
            tofile=f"generated/{rel} (from spec)" if want is not None else "/dev/null",
            n=1,
        )
        text = "".join(diff)
        diffs.append(text if len(text) < 4000 else text[:4000] + "\n... (diff cut)\n")
    return diffs
