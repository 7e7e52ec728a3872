"""Read a spec YAML file into plain Python data while remembering the line of every node.

Errors must name the file, the line and the key; ruamel.yaml's round-trip loader keeps the
positions that a plain ``yaml.safe_load`` throws away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError


class SpecFileError(Exception):
    """A spec file is unreadable or invalid; the message names file, line and key."""

    def __init__(self, file: Path | str, line: int | None, pointer: str, message: str) -> None:
        self.file = str(file)
        self.line = line
        self.pointer = pointer
        self.message = message
        where = f"{self.file}:{line}" if line else self.file
        key = f" at {pointer}" if pointer else ""
        super().__init__(f"{where}{key}: {message}")


@dataclass
class SourceDocument:
    """The plain data of one YAML file and the line of each JSON pointer in it."""

    path: Path
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, pointer: str) -> int | None:
        """The line of ``pointer`` or of its nearest ancestor that has one."""
        probe = pointer
        while True:
            if probe in self.lines:
                return self.lines[probe]
            if not probe:
                return None
            probe = probe.rsplit("/", 1)[0]

    def error(self, pointer: str, message: str) -> SpecFileError:
        return SpecFileError(self.path, self.line_of(pointer), pointer, message)


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _plain(node: Any, pointer: str, lines: dict[str, int]) -> Any:
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            child = f"{pointer}/{_escape(str(key))}"
            line, _col = node.lc.key(key)
            lines[child] = line + 1
            out[str(key)] = _plain(value, child, lines)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = f"{pointer}/{index}"
            line, _col = node.lc.item(index)
            lines[child] = line + 1
            items.append(_plain(value, child, lines))
        return items
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def read_yaml(path: Path) -> SourceDocument:
    """Parse ``path``; a syntax error or duplicate key becomes a :class:`SpecFileError`."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecFileError(path, None, "", f"cannot read: {exc}") from None
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        raise SpecFileError(path, line, "", f"YAML syntax: {problem}") from None
    except Exception as exc:  # ruamel raises a few non-marked errors (e.g. duplicate keys)
        raise SpecFileError(path, None, "", f"YAML: {exc}") from None
    lines: dict[str, int] = {"": 1}
    return SourceDocument(path=path, data=_plain(node, "", lines), lines=lines)
