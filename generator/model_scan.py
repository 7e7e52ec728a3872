"""Find every token in the docs that looks like a model ID, with where it appears.

The spec must account for each one: as a model, or as a rejected token with a reason. A model
that a page adds to a table then fails the build until someone puts it in the spec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .docs_snapshot import Snapshot

# An ID-shaped token: letters and digits in dash-separated parts, dots only inside version numbers
# (seedance2.0-720p, NanoBanana2-1K, seedream-5.0-lite), so field paths like data.balance are not IDs.
_PART = r"[A-Za-z0-9*]+(?:(?<=[0-9])\.[0-9][A-Za-z0-9]*)*"
_ID_SHAPE = re.compile(rf"^(?=[A-Za-z]){_PART}(?:-{_PART})*$")
_CAMEL = re.compile(r"[a-z][A-Z]")
_NOT_AN_ID = re.compile(
    r"(?:\.(?:png|jpe?g|webp|gif|mp4|mov|mp3|wav|m4a|md|json|txt|html?|com|cn|ai|io)$)"  # files and hosts
    r"|^\d|^v\d+(?:\.\d+)*$"  # numbers and bare API versions
)
_BACKTICKED = re.compile(r"`([^`\s]{2,80})`")
_JSON_MODEL = re.compile(r'"model"\s*:\s*"([^"]*)"')
_FORM_MODEL = re.compile(r"-F\s+[\"']?model=([^\"'\s]+)")
_PATH_MODEL = re.compile(r"/v1beta/models/([A-Za-z0-9._-]+):")


@dataclass(frozen=True)
class Sighting:
    token: str
    page: str
    locale: str
    how: str  # "model field" (a request's model value) or "backticks" (named in a table or text)


def looks_like_model_id(token: str) -> bool:
    """ID-shaped and distinctive: a dash, a digit or a CamelCase join (a lone word like ``auto`` is not)."""
    if not _ID_SHAPE.match(token) or _NOT_AN_ID.search(token):
        return False
    return "-" in token or any(c.isdigit() for c in token) or bool(_CAMEL.search(token))


def scan(snapshot: Snapshot) -> list[Sighting]:
    seen: dict[tuple[str, str, str], Sighting] = {}
    for page in snapshot.pages:
        text = page.flat
        found: list[tuple[str, str]] = []
        for pattern in (_JSON_MODEL, _FORM_MODEL, _PATH_MODEL):
            found += [(m.group(1), "model field") for m in pattern.finditer(text)]
        found += [(m.group(1), "backticks") for m in _BACKTICKED.finditer(text) if looks_like_model_id(m.group(1))]
        for token, how in found:
            key = (token, page.page, page.locale)
            if key not in seen or (how == "model field" and seen[key].how != how):
                seen[key] = Sighting(token=token, page=page.page, locale=page.locale, how=how)
    return sorted(seen.values(), key=lambda s: (s.token, s.page, s.locale))
