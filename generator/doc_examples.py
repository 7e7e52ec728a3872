"""Request examples printed in the docs: JSON bodies with a ``model``, and the endpoint each goes to.

The docs show requests two ways: ``curl ... -d '{...}'`` after a ``curl -X POST "{BASE_URL}/v1/..."``
line, and fenced ```` ```json ```` blocks under a page's endpoint heading. Both are read from the
normalised page text, so the folded capture and the newline form give the same examples. Responses
(objects with ``id``/``status``/``object``) and error bodies are skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from .docs_snapshot import Page, Snapshot

_BODY_START = re.compile(r"(?:```json|-d ')\s*(?=\{)")
_CURL_URL = re.compile(r"curl -X (POST|PUT|PATCH) \"[^\"]*?(/v1[^\"?]*)\"")
_ENDPOINT_LINE = re.compile(r"\b(POST|PUT|PATCH) (?:\"?\{?BASE_URL\}?|https?://[^/\s]+)?(/v1[A-Za-z0-9_./{}:-]*)")
_RESPONSE_KEYS = {"id", "status", "object", "error", "task_id"}


@dataclass(frozen=True)
class DocExample:
    page: str
    locale: str
    index: int
    endpoint: str | None
    body: dict[str, Any]

    @property
    def label(self) -> str:
        return f"{self.page} [{self.locale}] example {self.index}"


def _endpoint_before(text: str, position: int, is_curl: bool) -> str | None:
    before = text[:position]
    if is_curl:
        urls = _CURL_URL.findall(before[-600:])
        if urls:
            method, path = urls[-1]
            return f"{method} {path.rstrip('/')}"
    lines = _ENDPOINT_LINE.findall(before)
    if lines:
        method, path = lines[-1]
        return f"{method} {path.rstrip('/`')}"
    return None


def page_examples(page: Page, with_model: bool = True) -> list[DocExample]:
    """The page's request examples; ``with_model=False``: the bodies without a ``model`` instead (the
    requests to endpoints whose path or single model gives it)."""
    decoder = json.JSONDecoder()
    text = page.flat
    found: list[DocExample] = []
    for match in _BODY_START.finditer(text):
        try:
            body, _ = decoder.raw_decode(text[match.end() :])
        except ValueError:
            continue
        if not isinstance(body, dict) or _RESPONSE_KEYS & set(body):
            continue
        if isinstance(body.get("model"), str) != with_model or (not with_model and "model" in body):
            continue
        endpoint = _endpoint_before(text, match.start(), match.group(0).startswith("-d"))
        found.append(DocExample(page.page, page.locale, len(found) + 1, endpoint, body))
    return found


def examples(snapshot: Snapshot, with_model: bool = True) -> list[DocExample]:
    """Every request example of every page, in page order (see :func:`page_examples`)."""
    return [example for page in snapshot.pages for example in page_examples(page, with_model)]
