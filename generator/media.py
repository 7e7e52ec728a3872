"""Media inputs: what a URL the API must fetch may look like, as regular expressions, and limits in words.

A field declared ``media:`` (see ``docs/SPEC_FORMAT.md``) is an image, video or audio input given
as a URL (or, where the docs allow it, a ``data:`` URI). Two rule kinds check such a field from the
request alone: ``media_url`` (where the docs ask for a publicly reachable URL: http(s) and no
loopback, private or link-local host) and ``media_format`` (a file extension, when the URL
path has one, is among the documented formats). Both compile to one regular expression each, built
here, so the linter and the JSON Schemas test the very same thing (the linter runs it with ``re``,
the schemas state it as ``pattern``). The expressions use only syntax Python and ECMA 262 read
alike: no inline flags (letters are matched case-insensitively by ``[xX]`` classes), no ``\\-``.

What counts as a private host and which extensions name media files are technical definitions,
not doc facts, so they live here and not in the spec.
"""

from __future__ import annotations

import re

from . import model as m

# Hosts that never resolve to something a remote service can fetch: loopback, the private IPv4
# ranges (RFC 1918), link-local (RFC 3927 / RFC 4291), IPv6 loopback and unique-local, mDNS `.local`.
_PRIVATE_IPV4 = (
    r"127(?:\.[0-9]{1,3}){3}",
    r"10(?:\.[0-9]{1,3}){3}",
    r"192\.168(?:\.[0-9]{1,3}){2}",
    r"172\.(?:1[6-9]|2[0-9]|3[01])(?:\.[0-9]{1,3}){2}",
    r"169\.254(?:\.[0-9]{1,3}){2}",
    r"0\.0\.0\.0",
)
_PRIVATE_IPV6 = r"\[(?:::1?|[fF][cCdD][0-9a-fA-F]{0,2}:[0-9a-fA-F:.]*|[fF][eE][89aAbB][0-9a-fA-F]?:[0-9a-fA-F:.]*)\]"

# File extensions that name media of each kind; a URL whose last path segment ends in one of these,
# but not in one the docs list for the field, is the wrong format. Other endings (none, `.php`, ...)
# say nothing about the format and pass.
MEDIA_EXTENSIONS: dict[str, tuple[str, ...]] = {
    "image": ("jpg", "jpeg", "png", "webp", "bmp", "gif", "tif", "tiff", "heic", "heif", "avif", "svg", "ico"),
    "video": ("mp4", "mov", "m4v", "avi", "mkv", "webm", "flv", "wmv", "mpg", "mpeg", "3gp", "ts"),
    "audio": ("mp3", "wav", "m4a", "aac", "flac", "ogg", "opus", "wma", "amr", "aiff"),
}

# An absolute URI (RFC 3986, section 3 and 4.3): a scheme, a colon, then an authority (`//host`, an
# IPv6 host in brackets, an optional port) and a path, or a path alone, then an optional query and
# fragment, each made only of the characters RFC 3986 allows there (unreserved, sub-delims,
# percent-escapes). What a field the docs call a URL must look like at the least; `format: uri` in
# the schemas says the same, and this pattern makes every validator check it.
_URI_PLAIN = r"(?:[A-Za-z0-9._~!$&'()*+,;=-]|%[0-9A-Fa-f]{2})"
_URI_PCHAR = rf"(?:{_URI_PLAIN}|[:@])"
_H16 = "[0-9A-Fa-f]{1,4}"
_IPV4 = r"(?:(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_LS32 = f"(?:{_H16}:{_H16}|{_IPV4})"
# RFC 3986's nine IPv6address forms: n groups before "::" (n = 0..7) and the groups after it.
_IPV6 = (
    "(?:"
    + "|".join(
        [
            f"(?:{_H16}:){{6}}{_LS32}",
            f"::(?:{_H16}:){{5}}{_LS32}",
            *(
                f"(?:(?:{_H16}:){{0,{before - 1}}}{_H16})?::" + (f"(?:{_H16}:){{{after}}}" if after else "") + tail
                for before, after, tail in (
                    (1, 4, _LS32),
                    (2, 3, _LS32),
                    (3, 2, _LS32),
                    (4, 1, _LS32),
                    (5, 0, _LS32),
                    (6, 0, _H16),
                    (7, 0, ""),
                )
            ),
        ]
    )
    + ")"
)
_IP_LITERAL = rf"\[(?:{_IPV6}|[vV][0-9A-Fa-f]+\.(?:[A-Za-z0-9._~!$&'()*+,;=:-])+)\]"
_URI_AUTHORITY = rf"(?:(?:{_URI_PLAIN}|:)*@)?(?:{_IP_LITERAL}|{_URI_PLAIN}*)(?::[0-9]*)?"
URI_PATTERN = (
    rf"^[A-Za-z][A-Za-z0-9+.-]*:(?://{_URI_AUTHORITY}(?:/{_URI_PCHAR}*)*|/?(?:{_URI_PCHAR}+(?:/{_URI_PCHAR}*)*)?)"
    rf"(?:\?(?:{_URI_PCHAR}|[/?])*)?(?:#(?:{_URI_PCHAR}|[/?])*)?$"
)
_URI = re.compile(URI_PATTERN)

# The URLs requests actually carry, in a form a regex engine checks in a fraction of the time the
# whole grammar above takes (2 us per URL in Python's `re`): `scheme://host[:port]/path?query#frag`
# with a plain host name and no percent-escapes, or `scheme:` and a path (a `data:` URI). Every
# string it matches, URI_PATTERN matches too (tests/test_media.py draws from it to check), so a
# match decides "is a URI" and only the rest goes through the whole grammar.
_SIMPLE_PCHAR = r"[A-Za-z0-9._~!$&'()*+,;=:@-]"
_SIMPLE_TAIL = r"[A-Za-z0-9._~!$&'()*+,;=:@/?-]"
SIMPLE_URI_PATTERN = (
    rf"[A-Za-z][A-Za-z0-9+.-]*:(?://[A-Za-z0-9._~-]+(?::[0-9]+)?(?:/{_SIMPLE_PCHAR}*)*"
    rf"(?:\?{_SIMPLE_TAIL}*)?(?:#{_SIMPLE_TAIL}*)?|[A-Za-z0-9._~!$&'()*+,;=@-]{_SIMPLE_PCHAR}*(?:/{_SIMPLE_PCHAR}*)*)"
)


def uri_match(text: str) -> bool:
    """Whether ``text`` is an absolute URI (``URI_PATTERN``, whole string)."""
    return _URI.fullmatch(text) is not None


def uri_valued(f: m.Field) -> tuple[bool, bool]:
    """(the field's string value is a URL, each string item of its array is a URL): where the docs call
    the value a URL (a `media:` input, or `format: uri`). The linter and the schemas both read this."""
    return (
        f.format == "uri" or (f.media is not None and f.items is None),
        f.items is not None and f.media is not None,
    )


LIMIT_WORDS: dict[str, str] = {
    "formats": "formats",
    "file_size_mb": "file size (MB)",
    "side_px": "each side (px)",
    "short_side_px": "short side (px)",
    "long_side_px": "long side (px)",
    "aspect_ratio": "aspect ratio (width:height)",
    "duration_seconds": "duration of each clip (s)",
    "total_duration_seconds": "total duration of all clips (s)",
    "fps": "frame rate (fps)",
}


def _any_case(word: str) -> str:
    """``gif`` -> ``[gG][iI][fF]``: case-insensitive without the ``i`` flag ECMA patterns lack."""
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else ("\\." if c == "." else c) for c in word)


def _alternatives(parts: list[str]) -> str:
    return "(?:" + "|".join(parts) + ")"


_SCHEME_HTTP = "^" + _any_case("http") + "[sS]?://"
_USERINFO = r"(?:[^/?#@\s]*@)?"
_HOST = r"(?:\[[0-9a-fA-F:.]+\]|[^/?#@:\s\[\]]+)"
_HOST_END = r"(?::[0-9]*)?(?:[/?#]|$)"
_PRIVATE_HOST = _alternatives(
    [_any_case("localhost"), *_PRIVATE_IPV4, _PRIVATE_IPV6, r"[^/?#@:\s\[\]]*" + _any_case(".local")]
)


def url_pattern(media: m.MediaInput) -> str:
    """The pattern a value of a ``media_url`` rule must match: a public http(s) URL the service can fetch.

    A ``media_url`` rule exists only where the docs ask for a publicly reachable URL, so the pattern
    rejects loopback, private and link-local hosts (also behind ``user@``), a local path, ``file:``,
    ``ftp:`` and any other scheme; a ``data:`` URI passes only where the docs allow one.
    """
    host = rf"(?!{_PRIVATE_HOST}\.?(?::[0-9]*)?(?:[/?#]|$)){_HOST}"
    http = f"{_SCHEME_HTTP}{_USERINFO}{host}{_HOST_END}"
    if media.accepts == "url-or-data-uri":
        return f"(?:^{_any_case('data')}:[^,]*,|{http})"
    return http


def format_pattern(media: m.MediaInput) -> str | None:
    """A pattern rejecting a URL whose path ends in a media extension the docs do not list; None without a list."""
    allowed = {v.lower() for v in media.formats}
    if not allowed:
        return None
    others = [e for e in MEDIA_EXTENSIONS[media.kind] if e not in allowed]
    if not others:
        return None
    ending = r"\." + _alternatives([_any_case(e) for e in others]) + r"(?:[?#]|$)"
    return rf"^(?![a-zA-Z][a-zA-Z0-9+.]*:(?://[^/?#]*)?/(?:[^?#]*/)?[^/?#]*{ending})"


def _number(value: float | str) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def describe_limit(limit: m.MediaLimit) -> str:
    """One limit in words: ``file size (MB) at most 10``, ``formats jpeg, png``."""
    name = LIMIT_WORDS[limit.limit]
    if limit.values:
        return f"{name}: {', '.join(limit.values)}"
    low, high = limit.minimum, limit.maximum
    if low is not None and high is not None and not limit.exclusive_minimum:
        bounds = f"{_number(low)} to {_number(high)}"
    elif low is not None:
        bounds = f"{'above' if limit.exclusive_minimum else 'at least'} {_number(low)}"
    else:
        bounds = f"at most {_number(high)}" if high is not None else ""
    scope = f" ({', '.join(limit.models)})" if limit.models else ""
    return f"{name} {bounds}{scope}"


def describe(media: m.MediaInput) -> str:
    """The media input in one sentence for descriptions and docstrings."""
    what = f"{media.kind} URL" + (" or data: URI" if media.accepts == "url-or-data-uri" else "")
    reach = "publicly reachable http(s)" if media.public else "http(s)"
    text = f"Media input: {reach} {what}"
    limits = [describe_limit(x) for x in media.limits]
    return text + ("; " + "; ".join(limits) if limits else "") + "."


def field_description(f: m.Field) -> str | None:
    """The field's description with its media sentence appended: what schemas and docstrings show."""
    if f.media is None:
        return f.description
    return f"{f.description} {describe(f.media)}" if f.description else describe(f.media)
