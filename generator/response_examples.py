"""Every response example the docs print, checked against the spec's response shapes.

A response example is a ```` ```json ```` block that is not a request (a request names a ``model``
and none of the task keys) and either has a key only responses have (``id``, ``task_id``,
``status``, ``object``, ``error``, ``success``, ``code``, ``created``, ``candidates``,
``choices``) or is empty (``{}``: the docs left the response out). Each is matched to the responses
the spec cites on the same page: it must validate against one of their body schemas (response shape
or error body); an empty one must be answered by a response the spec records as ``undocumented``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import jsonschema

from . import contract
from . import model as m
from .doc_examples import _RESPONSE_KEYS
from .docs_facts import sections
from .docs_snapshot import Page, Snapshot

_JSON_BLOCK = "```json"
_RESPONSE_ONLY_KEYS = frozenset({"success", "code", "created", "candidates", "choices"})
VERDICTS = ("valid", "invalid", "empty, recorded as undocumented", "no response in the spec")


@dataclass(frozen=True)
class ResponseExample:
    page: str
    locale: str
    number: int  # 1-based, per page and locale
    section: str
    body: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.page} [{self.locale}] response #{self.number}"


@dataclass(frozen=True)
class Match:
    endpoint: str
    status: str
    schema: str  # response shape name or error.<id>


@dataclass(frozen=True)
class ResponseVerdict:
    example: ResponseExample
    verdict: str
    matches: tuple[Match, ...] = ()
    problems: tuple[str, ...] = ()


def is_response(body: Any) -> bool:
    if not isinstance(body, dict):
        return False
    if not body:
        return True
    keys = set(body)
    if isinstance(body.get("model"), str) and not (_RESPONSE_KEYS & keys):
        return False
    return bool((_RESPONSE_KEYS | _RESPONSE_ONLY_KEYS) & keys)


def page_responses(page: Page) -> list[ResponseExample]:
    decoder = json.JSONDecoder()
    text = page.flat
    starts = [(s.start, s.title) for s in sections(page)]
    found: list[ResponseExample] = []
    position = text.find(_JSON_BLOCK)
    while position >= 0:
        body_start = text.find("{", position)
        fence_end = text.find("```", position + len(_JSON_BLOCK))
        if (
            0 <= body_start < (fence_end if fence_end >= 0 else len(text))
            and not text[position + 7 : body_start].strip()
        ):
            try:
                body, _ = decoder.raw_decode(text[body_start:])
            except ValueError:
                body = None
            if is_response(body):
                section = next((title for start, title in reversed(starts) if start <= position), "")
                found.append(ResponseExample(page.page, page.locale, len(found) + 1, section, body))
        position = text.find(_JSON_BLOCK, position + len(_JSON_BLOCK))
    return found


def scan(snapshot: Snapshot) -> list[ResponseExample]:
    return [example for page in snapshot.pages for example in page_responses(page)]


def _candidates(spec: m.Spec, page: str) -> list[tuple[m.Endpoint, m.Response]]:
    return [(e, r) for e in spec.endpoints for r in e.responses if r.source.page == page]


def check(spec: m.Spec, examples: list[ResponseExample]) -> list[ResponseVerdict]:
    """Each example against the responses the spec cites on its page."""
    named = contract.named_schemas(spec)
    validators = {name: jsonschema.Draft202012Validator(schema) for name, schema in named.items()}
    verdicts = []
    for example in examples:
        candidates = _candidates(spec, example.page)
        if not example.body:
            gaps = tuple(Match(e.id, r.status, "undocumented") for e, r in candidates if r.undocumented)
            verdicts.append(
                ResponseVerdict(example, VERDICTS[2], gaps)
                if gaps
                else ResponseVerdict(example, VERDICTS[3], problems=("an empty example and no undocumented response",))
            )
            continue
        matches: list[Match] = []
        problems: list[str] = []
        for endpoint, response in candidates:
            name = response.shape or (contract.error_component(response.error) if response.error else None)
            if name is None:
                continue
            errors = sorted(validators[name].iter_errors(example.body), key=lambda e: list(e.absolute_path))
            if errors:
                first = errors[0]
                where = "/" + "/".join(str(p) for p in first.absolute_path)
                problems.append(f"{endpoint.id} {response.status} {name}: {where}: {first.message}")
            elif response.messages and _message(spec, response, example.body) not in response.messages:
                problems.append(f"{endpoint.id} {response.status}: message not among {list(response.messages)}")
            elif (match := Match(endpoint.id, response.status, name)) not in matches:
                matches.append(match)
        if matches:
            verdicts.append(ResponseVerdict(example, VERDICTS[0], tuple(matches)))
        elif candidates:
            verdicts.append(ResponseVerdict(example, VERDICTS[1], problems=tuple(dict.fromkeys(problems))))
        else:
            verdicts.append(
                ResponseVerdict(example, VERDICTS[3], problems=("the spec cites no response on this page",))
            )
    return verdicts


def _message(spec: m.Spec, response: m.Response, body: dict[str, Any]) -> object:
    """The text at the error body's message path (responses that list messages are error responses)."""
    node: object = body
    for part in spec.error_body(response.error or "").message_path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def render_markdown(verdicts: list[ResponseVerdict]) -> str:
    counts = {v: sum(1 for x in verdicts if x.verdict == v) for v in VERDICTS}
    lines = [
        "## Response examples",
        "",
        "Every response and error body the docs print (```` ```json ```` blocks that are not requests),",
        "validated against the response schemas the spec cites on the same page (the schemas of",
        "`generated/openapi.json`). An empty example (`{}`) must be recorded in the spec as an",
        "undocumented response.",
        "",
        f"- response examples: {len(verdicts)}",
        *(f"- {name}: {counts[name]}" for name in VERDICTS),
        "",
        "| example | section | verdict | operation and schema |",
        "| --- | --- | --- | --- |",
    ]
    for v in verdicts:
        cell = "; ".join(f"`{x.endpoint}` {x.status} `{x.schema}`" for x in v.matches) or "; ".join(v.problems)
        section = v.example.section.replace("|", "\\|")
        cell = cell.replace("|", "\\|")
        lines.append(f"| {v.example.label} | {section} | {v.verdict} | {cell} |")
    return "\n".join(lines) + "\n"
