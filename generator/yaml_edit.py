"""Round-trip editing of spec YAML that leaves every line it does not change byte-for-byte alone.

ruamel.yaml's round-trip mode keeps comments, anchors, quoting and flow style, but re-flows a flow
sequence that the author wrapped over several lines. So an edited file is dumped twice (as loaded,
and as edited) and only the lines that differ between those two dumps replace the matching lines
of the original text; everything else is the author's text. The result is re-read and compared
with the edited data, so a merge that went wrong is never written.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap: wrapping is the author's
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _dump(data: Any) -> str:
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def merge_lines(original: list[str], base: list[str], edited: list[str]) -> list[str]:
    """``original`` with the changes ``base`` -> ``edited`` applied where ``base`` matches it."""
    to_original: dict[int, int] = {}
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, base, original, autojunk=False).get_opcodes():
        if tag == "equal":
            to_original.update({i1 + k: j1 + k for k in range(i2 - i1)})

    def span(i1: int, i2: int) -> tuple[int, int] | None:
        """Where base[i1:i2] sits in the original, when its ends can be told."""
        if i1 < i2 and all(i in to_original for i in range(i1, i2)):
            first, last = to_original[i1], to_original[i2 - 1]
            return (first, last + 1) if last - first == i2 - i1 - 1 else None
        before = 0 if i1 == 0 else (to_original[i1 - 1] + 1 if (i1 - 1) in to_original else None)
        after = to_original[i2] if i2 in to_original else (len(original) if i2 == len(base) else None)
        if i1 == i2:  # an insertion needs one anchor
            anchor = before if before is not None else after
            return None if anchor is None else (anchor, anchor)
        if before is None or after is None or before > after:
            return None
        return before, after

    out: list[str] = []
    at = 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base, edited, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        found = span(i1, i2)
        # A hunk next to lines the author wrapped differently: widen it over them (outside the
        # hunk base and edited are equal, so both widen by the same lines).
        while found is None and (i1 > 0 or i2 < len(base)):
            i1, j1 = (i1 - 1, j1 - 1) if i1 > 0 else (i1, j1)
            i2, j2 = (i2 + 1, j2 + 1) if i2 < len(base) else (i2, j2)
            found = span(i1, i2)
        start, end = found if found is not None else (0, len(original))
        if start < at:
            raise ValueError("overlapping edits")
        out += original[at:start] + edited[j1:j2]
        at = end
    return out + original[at:]


@dataclass
class YamlFile:
    """One spec file loaded for editing; :meth:`text` renders it with the author's formatting kept."""

    path: Path
    original: str
    data: Any
    base: str = ""
    changed: bool = False
    notes: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> YamlFile:
        text = path.read_text(encoding="utf-8")
        data = _yaml().load(text)
        return cls(path, text, data, _dump(data))

    def text(self) -> str:
        if not self.changed:
            return self.original
        edited = _dump(self.data)
        try:
            merged_lines = merge_lines(
                self.original.splitlines(keepends=True),
                self.base.splitlines(keepends=True),
                edited.splitlines(keepends=True),
            )
        except ValueError:
            return edited
        merged = "".join(merged_lines)
        if _plain(_yaml().load(merged)) != _plain(self.data):
            return edited  # the line merge lost something: fall back to ruamel's own rendering
        return merged


def clone(node: Any) -> Any:
    """A copy of ``node`` for a new entry: anchored parts stay shared (dumped as ``*alias``)."""
    anchor = getattr(node, "anchor", None)
    if anchor is not None and getattr(anchor, "value", None):
        return node
    if isinstance(node, CommentedMap):
        copy = CommentedMap()
        for key, value in node.items():
            copy[key] = clone(value)
        if node.fa.flow_style():
            copy.fa.set_flow_style()
        return copy
    if isinstance(node, CommentedSeq):
        seq = CommentedSeq([clone(v) for v in node])
        if node.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    return node


def flow_seq(values: list[Any]) -> CommentedSeq:
    seq = CommentedSeq(values)
    seq.fa.set_flow_style()
    return seq


def flow_map(**values: Any) -> CommentedMap:
    out = CommentedMap(values)
    out.fa.set_flow_style()
    return out


def comment_before(container: Any, key: Any, text: str, indent: int) -> None:
    """A ``# text`` line above ``container[key]`` (a map key or a sequence index)."""
    container.yaml_set_comment_before_after_key(key, before=text, indent=indent)
