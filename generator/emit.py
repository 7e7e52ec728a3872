"""Run every emitter over the loaded spec and write (or compare) ``generated/``.

An emitter is a function from the loaded :class:`~generator.model.Spec` to a mapping of relative
file paths to text. Emitters never read YAML, each other's output, the clock or the environment,
so the same spec always gives byte-identical files.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
from collections.abc import Callable, Mapping
from pathlib import Path

from . import gen_cache
from . import model as m
from .emitters import capabilities, client, examples_report, json_schemas, lint_script, mock, openapi, typescript

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
        typescript.emit,
    ]


def render_all(spec: m.Spec) -> dict[str, str]:
    files: dict[str, str] = {}
    for emitter in emitters():
        for path, text in emitter(spec).items():
            if path in files:
                raise ValueError(f"two emitters write {path}")
            files[path] = text
    return dict(sorted(files.items()))


def render_cached(spec_dir: Path, load: Callable[[Path], m.Spec]) -> dict[str, str]:
    """``render_all(load(spec_dir))``, reused from the generation cache when nothing it reads changed.

    The key covers the spec directory, the docs snapshot the examples report reads, and (through
    :func:`gen_cache.key`) the generator's code, templates and libraries.
    """
    snapshot = hashlib.sha256(examples_report.SNAPSHOT.read_bytes()).hexdigest()
    name = gen_cache.key("render_all", gen_cache.tree_digest(spec_dir), snapshot)
    hit = gen_cache.load("render", name)
    if hit is not None:
        try:
            files = json.loads(hit)
        except ValueError:
            files = None
        if isinstance(files, dict) and all(isinstance(v, str) for v in files.values()):
            return files
    files = render_all(load(spec_dir))
    gen_cache.store("render", name, json.dumps(files).encode("utf-8"))
    return files


def write_tree(files: Mapping[str, str], out_dir: Path) -> list[str]:
    """Make ``out_dir`` hold exactly ``files``, touching only what differs; returns the paths changed.

    A file whose bytes are already right is left alone, mtime included, so editors, watchers and build
    caches see nothing happen. A changed file is written beside its target and renamed over it, so no
    reader sees half a file. Files no emitter writes any more are removed; build leftovers are not
    generation's (see :func:`files_on_disk`) and stay.
    """
    changed: list[str] = []
    for rel, text in files.items():
        target = out_dir / rel
        data = text.encode("utf-8")
        try:
            same = target.read_bytes() == data
        except OSError:
            same = False
        if not same:
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
            temp.write_bytes(data)
            os.replace(temp, target)
            changed.append(rel)
        if text.startswith("#!") and target.stat().st_mode & 0o777 != 0o755:
            target.chmod(0o755)  # a script users run directly (and pre-commit's `language: script`)
    for rel, path in files_on_disk(out_dir).items():
        if rel not in files:
            path.unlink()
            changed.append(rel)
            for parent in path.parents:
                if parent == out_dir or any(parent.iterdir()):
                    break
                parent.rmdir()
    return sorted(changed)


# What Python and `pip install generated/python` leave beside the generated files (pip builds in
# the source tree): not ours to compare, write or remove.
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
