"""Split a UniAll ``llms-full.txt`` capture into pages, in either of its two forms.

The pinned capture has every newline folded into a space (one line); the live file has real
newlines. Both start each page with ``# <Title>`` followed by ``Locale:``, ``URL:`` and ``Source:``
markers, which is what this module keys on, so it reads both without caring about spacing.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

EN_PREFIX = "site-docs/"
ZH_PREFIX = "i18n/zh-CN/docusaurus-plugin-content-docs/current/"

_PAGE_HEADER = re.compile(
    r"(?:^|\s)---\s+#\s+(?P<title>.+?)\s+Locale:\s*(?P<locale>\S+)\s+URL:\s*(?P<url>\S+)\s+Source:\s*(?P<source>\S+)"
)
_WS = re.compile(r"\s+")
# A heading marker preceded by start or whitespace: "## Title" or "### 4.1 Required Parameters".
_HEADING = re.compile(r"(?:^|\s)(#{2,6})\s+")


def normalise(text: str) -> str:
    """Collapse all runs of whitespace: the folded and newline forms compare equal."""
    return _WS.sub(" ", text).strip()


def english_page_path(source: str) -> str:
    """The English source path of a page given either locale's source path."""
    if source.startswith(ZH_PREFIX):
        return EN_PREFIX + source[len(ZH_PREFIX) :]
    return source


@dataclass(frozen=True)
class Page:
    title: str
    locale: str
    url: str
    source: str
    text: str

    @property
    def page(self) -> str:
        """The English source path, which the spec uses to name a page in both locales."""
        return english_page_path(self.source)

    @cached_property
    def flat(self) -> str:
        return normalise(self.text)

    def contains(self, quote: str) -> bool:
        return normalise(quote) in self.flat

    def has_heading(self, section: str) -> bool:
        """True when some heading of the page starts with ``section`` (then a space or the end).

        In the folded form a heading runs straight on into its body, so only the start of the
        heading can be matched; a section name that is a whole word-prefix of a heading counts.
        """
        wanted = normalise(section)
        for match in _HEADING.finditer(self.flat):
            rest = self.flat[match.end() :]
            if rest.startswith(wanted) and (len(rest) == len(wanted) or rest[len(wanted)] in " |`"):
                return True
        return False


@dataclass(frozen=True)
class Snapshot:
    pages: tuple[Page, ...]

    def find(self, page: str, locale: str = "en") -> Page | None:
        for candidate in self.pages:
            if candidate.page == page and candidate.locale == locale:
                return candidate
        return None

    def locales_of(self, page: str) -> list[Page]:
        return [p for p in self.pages if p.page == page]


def parse_snapshot(text: str) -> Snapshot:
    matches = list(_PAGE_HEADER.finditer(text))
    pages = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(text)
        pages.append(
            Page(
                title=match.group("title").strip(),
                locale=match.group("locale"),
                url=match.group("url"),
                source=match.group("source"),
                text=text[match.end() : end],
            )
        )
    return Snapshot(pages=tuple(pages))


def load_snapshot(path: Path) -> Snapshot:
    return parse_snapshot(path.read_text(encoding="utf-8"))


class DocsError(Exception):
    """The docs could not be read or hold no pages."""


def read_docs(location: str, timeout: float = 30.0) -> tuple[str, Snapshot]:
    """(text, snapshot) from a path or an http(s) URL; :class:`DocsError` with a clear reason otherwise."""
    if location.startswith(("http://", "https://")):
        try:
            with urllib.request.urlopen(location, timeout=timeout) as response:
                raw: bytes = response.read()
        except urllib.error.HTTPError as exc:
            raise DocsError(f"cannot fetch {location}: HTTP {exc.code} {exc.reason}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DocsError(f"cannot fetch {location}: {reason}") from None
    else:
        try:
            raw = Path(location).read_bytes()
        except OSError as exc:
            raise DocsError(f"cannot read {location}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DocsError(f"{location} is not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    snapshot = parse_snapshot(text)
    if not snapshot.pages:
        start = " ".join(text[:60].split())
        raise DocsError(
            f"{location} is not an llms-full.txt: it holds no doc pages (expected `# Title` then `Locale:`, "
            f"`URL:` and `Source:` per page; it starts {start!r})"
        )
    return text, snapshot
