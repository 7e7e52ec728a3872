"""A cache for the pure, slow steps of generation, kept out of the repository (in the virtualenv).

Generation is a pure function of its inputs, so a step's output can be reused whenever everything
it reads is unchanged. Each entry is named by a sha256 over all of that (the step's own input, the
generator's code and templates, the installed libraries' versions and the Python version), so a hit
is byte-identical to a fresh run; a clean clone has no cache and computes everything. The cache lives
in ``<sys.prefix>/uniall-spec-cache`` (the project's ``.venv``), or in ``$UNIALL_SPEC_CACHE``;
``UNIALL_SPEC_CACHE=off`` turns it off. Unreadable or half-written entries count as misses.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import cache
from importlib import metadata
from pathlib import Path

GENERATOR_DIR = Path(__file__).resolve().parent


def cache_dir() -> Path | None:
    setting = os.environ.get("UNIALL_SPEC_CACHE", "")
    if setting.lower() in ("off", "0", "no"):
        return None
    return Path(setting) if setting else Path(sys.prefix) / "uniall-spec-cache"


def tree_digest(root: Path) -> str:
    """A sha256 over every file under ``root`` (relative names and bytes), bytecode caches excepted."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@cache
def environment_digest() -> str:
    """The generator's code and templates, every installed distribution's version, and Python's."""
    versions = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    parts = [tree_digest(GENERATOR_DIR), sys.version, *versions]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def key(*parts: str) -> str:
    """An entry name for a step whose output depends only on ``parts`` and the environment."""
    return hashlib.sha256("\0".join((environment_digest(), *parts)).encode()).hexdigest()


def load(kind: str, name: str) -> bytes | None:
    root = cache_dir()
    if root is None:
        return None
    try:
        return (root / f"{kind}-{name}").read_bytes()
    except OSError:
        return None


def store(kind: str, name: str, data: bytes) -> None:
    """Keep ``data`` as the one entry of ``kind`` (older entries of that kind are removed)."""
    root = cache_dir()
    if root is None:
        return
    try:
        root.mkdir(parents=True, exist_ok=True)
        temp = root / f".{kind}-{name}.{os.getpid()}.tmp"
        temp.write_bytes(data)
        os.replace(temp, root / f"{kind}-{name}")
        for old in root.glob(f"{kind}-*"):
            if old.name != f"{kind}-{name}":
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only environment: generation still works, only slower
