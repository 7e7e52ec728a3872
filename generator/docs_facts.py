"""Read doc pages into checkable facts: the input of the drift check (``generator/drift.py``).

A fact is what a page states about the API, keyed so that it survives harmless edits:
``(page, locale, section, subject, kind)`` with a set of ``values``. Nothing is keyed by position:
a table row is keyed by its first cell (a model or field name) and its column header, a list by
the words leading into it. Every extraction runs on :attr:`Page.flat` (whitespace collapsed), so
the folded one-line capture and ordinary newline markdown give the same facts, and a
whitespace-only edit gives none.

Kinds:

- ``model``: a model-ID-like token on the page (backticked, a request's ``"model"`` value, a
  ``-F model=`` form field, a ``/v1beta/models/<id>:`` path, or a plain ID in a table cell).
- ``endpoint``: ``METHOD /v1/...`` (prose, code, or a method cell next to a path cell).
- ``enum``: backticked values stated for a subject (a parameter-table cell, a bullet list, a run
  of values in prose).
- ``set``: two or more plain numbers (duration sets such as ``5, 10, 15``).
- ``range``: inclusive numeric bounds (```4` `15` integer``, ```4` 到 `15```, ```1-8```, ``2~15s``).
- ``size``: pixel sizes and resolution tiers (``1280x720``, ``2K``, ``1080p``).
- ``limit``: one number (a table's ``max`` cell) or a count bound in words (``up to 3``, ``最多 9``).
- ``required``: the value of a parameter table's Required column (``yes``, ``no`` or its words).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from .docs_snapshot import Page, Snapshot
from .model_scan import looks_like_model_id

FACT_KINDS = ("model", "endpoint", "enum", "set", "range", "size", "limit", "required")

# ---- page structure ---------------------------------------------------------------------------

_FENCE = re.compile(r"```")
_HEADING = re.compile(r"(?:^|(?<=\s))(#{2,6})\s+")
# Where a heading's text ends in the folded form, which runs it straight on into the body.
_HEADING_END = re.compile(r"\s(?:\||-\s|\*\*|>\s|!\[)|```|\x00|：|:(?!\d)|[。，,；;]|(?<=[^\d\s])\.(?=\s)")
_HEADING_WORDS = 8
_MASK = "\x00"  # stands for a code block in the prose text: a hard boundary for tables and lists


@dataclass(frozen=True)
class Section:
    title: str  # the heading as far as it can be told apart from the body ("" before the first)
    text: str  # the body, code blocks included
    prose: str  # the body with every code block replaced by a boundary mark
    start: int = 0  # where the heading text starts in the page's flat text


def _code_spans(text: str) -> list[tuple[int, int]]:
    marks = [m.start() for m in _FENCE.finditer(text)]
    spans = [(marks[i], marks[i + 1] + 3) for i in range(0, len(marks) - 1, 2)]
    if len(marks) % 2:
        spans.append((marks[-1], len(text)))  # an unclosed fence runs to the end of the page
    return spans


def _mask(text: str, spans: list[tuple[int, int]], offset: int) -> str:
    out: list[str] = []
    at = offset
    for start, end in spans:
        if end <= offset or start >= offset + len(text):
            continue
        start, end = max(start, offset), min(end, offset + len(text))
        out.append(text[at - offset : start - offset])
        out.append(f" {_MASK} ")
        at = end
    out.append(text[at - offset :])
    return "".join(out)


def heading_title(rest: str) -> str:
    """The heading at the start of ``rest``: up to the first table, list, code, colon or 8 words."""
    rest = " " + rest
    cut = _HEADING_END.search(rest)
    title = rest[: cut.start()] if cut else rest
    return _clip(title, _HEADING_WORDS, 48, tail=False).rstrip(" :：,，")


def sections(page: Page) -> list[Section]:
    text = page.flat
    spans = _code_spans(text)
    starts: list[tuple[int, int]] = []  # (heading marker start, heading text start)
    for match in _HEADING.finditer(text):
        if not any(s <= match.start() < e for s, e in spans):
            starts.append((match.start(), match.end()))
    found: list[Section] = []
    bounds = [(0, 0, ""), *((s, e, heading_title(_mask(text[e : e + 300], spans, e))) for s, e in starts)]
    for index, (_, body_start, title) in enumerate(bounds):
        end = bounds[index + 1][0] if index + 1 < len(bounds) else len(text)
        body = text[body_start:end]
        found.append(Section(title=title, text=body, prose=_mask(body, spans, body_start), start=body_start))
    return found


def page_hash(page: Page) -> str:
    """sha256 of the page's title and whitespace-normalised text: spacing edits do not change it."""
    return hashlib.sha256(f"{page.title}\n{page.flat}".encode()).hexdigest()


# ---- tables -----------------------------------------------------------------------------------

_PIPE = re.compile(r"(?<!\\)\|")
_SEP_ROW = re.compile(r"\|(?:\s*:?-{2,}:?\s*\|)+")


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    start: int
    end: int


def _cells_back(text: str, end: int, count: int) -> tuple[list[str], int] | None:
    """The ``count`` cells of the row ending just before ``end`` (a header row), and where it starts."""
    pipes = [m.start() for m in _PIPE.finditer(text, 0, end)]
    if len(pipes) < count + 1 or text[pipes[-1] + 1 : end].strip():
        return None
    start = pipes[-(count + 1)]
    return [c.strip() for c in _PIPE.split(text[start + 1 : pipes[-1]])], start


def tables(prose: str) -> list[Table]:
    """Every pipe table, by its separator row: header cells before it, then rows of as many cells."""
    found: list[Table] = []
    for sep in _SEP_ROW.finditer(prose):
        if found and sep.start() < found[-1].end:
            continue
        width = sep.group(0).count("|") - 1
        header = _cells_back(prose, sep.start(), width)
        headers = header[0] if header and len(header[0]) == width else [""] * width
        start = header[1] if header and len(header[0]) == width else sep.start()
        rows: list[tuple[str, ...]] = []
        at = sep.end()
        while True:
            ahead = len(prose[at:]) - len(prose[at:].lstrip())
            if prose[at + ahead : at + ahead + 1] != "|":
                break
            at += ahead
            cells: list[str] = []
            for _ in range(width):
                nxt = _PIPE.search(prose, at + 1)
                if nxt is None or _MASK in prose[at + 1 : nxt.start()]:
                    break
                cells.append(prose[at + 1 : nxt.start()].strip())
                at = nxt.start()
            if len(cells) < width:
                break
            rows.append(tuple(cells))
            at += 1
        found.append(Table(tuple(headers), tuple(rows), start, at))
    return found


# ---- values -----------------------------------------------------------------------------------

_TICKED = re.compile(r"`([^`]+)`")
_NUM = r"-?\d+(?:\.\d+)?"
_RANGE_TICKED = re.compile(rf"`({_NUM})`\s*(?:to|到|至|~|-|–)?\s*`({_NUM})`(?!\s*[,，、/])")
_RANGE_ONE_TICK = re.compile(rf"`({_NUM})\s*(?:-|~|–|到)\s*({_NUM})\s*[a-zA-Z秒]*`")
_RANGE_TILDE = re.compile(rf"(?<![\d.`])({_NUM})\s*[~～]\s*({_NUM})(?![\d.`])")
_LIMIT_WORDS = re.compile(
    rf"(up to|at most|no more than|more than|maximum(?: of)?|max|最多|至多|不超过|超过|<=|≤)\s*`?({_NUM})`?",
    re.IGNORECASE,
)
_NUMBER = re.compile(rf"^{_NUM}$")
_SIZE = re.compile(r"^(?:\d{2,5}\s*[x×*]\s*\d{2,5}|\d(?:\.\d)?K|\d{3,4}[pP])$")
_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9.*-]*\d[A-Za-z0-9.*-]*")
_YES = {"yes", "是", "required", "必填", "true", "y", "必须"}
_NO = {"no", "否", "false", "optional", "可选", "n", "非必填"}


def _fmt(number: str) -> str:
    value = float(number)
    return str(int(value)) if value.is_integer() else str(value)


def ticked(text: str) -> list[str]:
    """Backticked values; a ticked ``5 / 10 / 15`` counts as three values."""
    values: list[str] = []
    for raw in _TICKED.findall(text):
        raw = raw.strip()
        parts = [p.strip() for p in re.split(r"\s*/\s*", raw)] if " / " in raw else [raw]
        values += [p for p in parts if p]
    return values


def shape_kind(values: list[str]) -> str:
    if all(_NUMBER.match(v) for v in values):
        return "set" if len(values) > 1 else "limit"
    if all(_SIZE.match(v) for v in values):
        return "size"
    return "enum"


def value_facts(text: str, exclude: str = "") -> list[tuple[str, tuple[str, ...]]]:
    """(kind, values) stated by a cell or a phrase: ranges, value lists and count bounds."""
    facts: list[tuple[str, tuple[str, ...]]] = []
    ranges = [f"{_fmt(a)}..{_fmt(b)}" for pattern in (_RANGE_TICKED, _RANGE_ONE_TICK) for a, b in pattern.findall(text)]
    ranges += [f"{_fmt(a)}..{_fmt(b)}" for a, b in _RANGE_TILDE.findall(_TICKED.sub(" ", text))]
    if ranges:
        facts.append(("range", tuple(sorted(set(ranges)))))
        text = _RANGE_ONE_TICK.sub(" ", _RANGE_TICKED.sub(" ", text))
    limits = [f"{cue.lower()} {_fmt(n)}" for cue, n in _LIMIT_WORDS.findall(text)]
    values = [v for v in ticked(text) if v != exclude]
    if values:
        facts.append((shape_kind(values), tuple(sorted(set(values)))))
    if limits:
        facts.append(("limit", tuple(sorted(set(limits)))))
    return facts


def _required_value(cell: str) -> str | None:
    flat = " ".join(cell.replace("`", "").split()).lower()
    if not flat:
        return None
    if flat in _YES:
        return "yes"
    if flat in _NO:
        return "no"
    return flat


def _header_key(header: str, index: int) -> str:
    key = " ".join(header.replace("`", "").split()).lower()
    return key or f"col{index + 1}"


def _row_key(cells: tuple[str, ...]) -> str:
    for cell in cells:
        values = ticked(cell)
        if values:
            return values[0]
        if cell.strip():
            return " ".join(cell.split())
    return ""


def _is_required_header(header: str) -> bool:
    return "required" in header or "必填" in header


# ---- facts ------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Fact:
    page: str
    locale: str
    section: str
    subject: str
    kind: str
    values: tuple[str, ...] = ()

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        return (self.page, self.locale, self.section, self.subject, self.kind)

    def to_list(self) -> list[object]:
        return [self.kind, self.page, self.locale, self.section, self.subject, list(self.values)]

    @classmethod
    def from_list(cls, item: list[object]) -> Fact:
        kind, page, locale, section, subject, values = item
        assert isinstance(values, list)
        return cls(str(page), str(locale), str(section), str(subject), str(kind), tuple(str(v) for v in values))


_METHOD = r"(GET|POST|PUT|PATCH|DELETE)"
_HOST = r"(?:\"|'|`|\s|\|)*(?:\{BASE_URL\}|\$\{?BASE_URL\}?|https?://[^/\s\"'`|]+)?"
_ENDPOINT = re.compile(rf"\b{_METHOD}`?{_HOST}(/v1[A-Za-z0-9_./{{}}:-]*)")
_JSON_MODEL = re.compile(r'"model"\s*:\s*"([^"]*)"')
_FORM_MODEL = re.compile(r"-F\s+[\"']?model=([^\"'\s]+)")
_PATH_MODEL = re.compile(r"/v1beta/models/([A-Za-z0-9._-]+):")
_LIST_SPLIT = re.compile(r"(?:^|\s)-\s+")
_KEYED_ITEM = re.compile(r"^(`[^`]+`|[^`:：|]{1,40}?)\s*[:：]\s*(.+)$")
_PROSE_RUN = re.compile(r"`[^`]+`(?:\s*(?:,|，|、|/|or|或|和|and|,\s*or)\s*`[^`]+`)+")
_LEAD_WORDS = 5


def _clip(text: str, words: int, chars: int, tail: bool) -> str:
    parts = text.split()
    parts = parts[-words:] if tail else parts[:words]
    out = " ".join(parts)
    if len(out) > chars:
        out = out[-chars:].split(" ", 1)[-1] if tail else out[: chars + 1].rsplit(" ", 1)[0]
    return out


def _lead(text: str) -> str:
    """The clause just before a list or value run: what it is about, e.g. ``image `role` allowed values``."""
    text = text.replace(_MASK, " ").rstrip().rstrip(":：,， ")
    cut = max(text.rfind(mark) for mark in ("。", "！", "？", "；", ";", ". ", ": ", "：", "| "))
    if cut >= 0:
        text = text[cut + 1 :]
    return _clip(text, _LEAD_WORDS, 48, tail=True).strip(" :：,，").lower()


class _Collector:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.facts: dict[tuple[str, str, str, str, str], set[str]] = {}

    def add(self, section: str, subject: str, kind: str, values: tuple[str, ...] = ()) -> None:
        key = (self.page.page, self.page.locale, section, subject, kind)
        self.facts.setdefault(key, set()).update(values)

    def result(self) -> list[Fact]:
        return [Fact(*key, values=tuple(sorted(values))) for key, values in sorted(self.facts.items())]


def _models_and_endpoints(out: _Collector, section: Section) -> None:
    text = section.text
    tokens = [m.group(1) for p in (_JSON_MODEL, _FORM_MODEL, _PATH_MODEL) for m in p.finditer(text)]
    tokens += [t for t in ticked(text) if looks_like_model_id(t)]
    for token in tokens:
        out.add(section.title, token, "model")
    for method, path in _ENDPOINT.findall(text):
        out.add(section.title, f"{method} {path.rstrip('/`.')}", "endpoint")


def _table_facts(out: _Collector, section: Section, table: Table) -> None:
    headers = [_header_key(h, i) for i, h in enumerate(table.headers)]
    for cells in table.rows:
        key = _row_key(cells)
        if not key:
            continue
        for index, cell in enumerate(cells):
            for token in _PLAIN_ID.findall(_TICKED.sub(" ", cell)):
                if "-" in token and looks_like_model_id(token):
                    out.add(section.title, token, "model")
            if index == 0 or not cell.strip():
                continue
            subject = f"{key} [{headers[index]}]"
            if _is_required_header(headers[index]):
                value = _required_value(cell)
                if value is not None:
                    out.add(section.title, subject, "required", (value,))
                continue
            for kind, values in value_facts(cell, exclude=key):
                out.add(section.title, subject, kind, values)


def _chunk_facts(out: _Collector, section: Section, chunk: str) -> None:
    """Bullet lists (``lead: - `a` - `b```, ``- key: `values```), value runs in prose, count bounds."""
    parts = _LIST_SPLIT.split(chunk)
    lead = _lead(parts[0]) or "(list)"
    _prose_facts(out, section, parts[0])
    members: list[str] = []
    for item in parts[1:]:
        item = item.strip()
        keyed = _KEYED_ITEM.match(item)
        if keyed and _TICKED.search(keyed.group(2)[:80]):
            name = keyed.group(1).strip().strip("`").strip()
            for kind, values in value_facts(keyed.group(2)[:120], exclude=name):
                out.add(section.title, f"{lead}: {name.lower()}", kind, values)
        elif item.startswith("`"):
            members += ticked(item)[:1]
            _prose_facts(out, section, item, runs=False)
        else:
            _prose_facts(out, section, item)
    members = [m for m in members if not looks_like_model_id(m) and not _ENDPOINT.match(m)]
    if members:
        out.add(section.title, lead, shape_kind(members), tuple(sorted(set(members))))


def _prose_facts(out: _Collector, section: Section, chunk: str, runs: bool = True) -> None:
    for run in _PROSE_RUN.finditer(chunk) if runs else ():
        values = ticked(run.group(0))
        if all(looks_like_model_id(v) for v in values):
            continue
        out.add(
            section.title, _lead(chunk[: run.start()]) or "(values)", shape_kind(values), tuple(sorted(set(values)))
        )
    for match in _LIMIT_WORDS.finditer(chunk):
        before = _lead(chunk[: match.start()]).split()[-3:]
        after = chunk[match.end() :].split()[:1]
        subject = " ".join([*before, match.group(1).lower(), "#", *after]).lower()
        out.add(section.title, subject, "limit", (_fmt(match.group(2)),))


def _chunks_outside(prose: str, spans: list[Table]) -> Iterator[str]:
    at = 0
    for table in spans:
        yield from prose[at : table.start].split(_MASK)
        at = table.end
    yield from prose[at:].split(_MASK)


def page_facts(page: Page) -> list[Fact]:
    out = _Collector(page)
    for section in sections(page):
        _models_and_endpoints(out, section)
        found = tables(section.prose)
        for table in found:
            _table_facts(out, section, table)
            for cells in table.rows:  # method and path in separate cells: | `POST` | `/v1/audio/tasks` |
                flat = [c.strip("` ") for c in cells]
                methods = [c for c in flat if re.fullmatch(_METHOD, c)]
                paths = [c for c in flat if c.startswith("/v1")]
                if len(methods) == 1 and len(paths) == 1:
                    out.add(section.title, f"{methods[0]} {paths[0].rstrip('/')}", "endpoint")
        for chunk in _chunks_outside(section.prose, found):
            _chunk_facts(out, section, chunk)
    return out.result()


def snapshot_facts(snapshot: Snapshot) -> list[Fact]:
    return sorted(fact for page in snapshot.pages for fact in page_facts(page))
