"""Where each rule, conflict, model and field is written in the spec YAML (file and line).

The loaded model (``generator/model.py``) keeps no positions; reports that send a maintainer to
the line to edit (the drift report, its suggestions) read them from the raw YAML here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .source_check import spec_documents

ENTRY_KINDS = ("rule", "conflict", "model", "field")
_LISTS = {"rule": "rules", "conflict": "conflicts", "model": "models", "field": "fields"}
_KEYS = {"rule": "id", "conflict": "id", "model": "id", "field": "name"}


@dataclass(frozen=True)
class Location:
    file: str  # relative to the spec directory's parent, e.g. spec/families/wan.yaml
    line: int
    pointer: str  # JSON pointer of the entry in its file, e.g. /rules/12

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def locate(spec_dir: Path) -> dict[tuple[str, str], Location]:
    """(kind, id) -> location; a field's id is ``family.name``."""
    found: dict[tuple[str, str], Location] = {}
    for doc in spec_documents(spec_dir):
        try:
            name = doc.path.relative_to(spec_dir.parent).as_posix()
        except ValueError:
            name = str(doc.path)
        family = str(doc.data.get("family", ""))
        for kind, key in _LISTS.items():
            for index, entry in enumerate(doc.data.get(key, ())):
                if not isinstance(entry, dict) or _KEYS[kind] not in entry:
                    continue
                ident = str(entry[_KEYS[kind]])
                if kind == "field":
                    ident = f"{family}.{ident}"
                pointer = f"/{key}/{index}"
                found.setdefault((kind, ident), Location(name, doc.line_of(pointer) or 1, pointer))
    return found
