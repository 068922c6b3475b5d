"""What may be shown of personal data and secrets: masked lead emails, webhook URLs without
credentials or query values. Used by every renderer and by the plan file."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit, urlunsplit


def mask_email(email: str) -> str:
    """`john@acme.com` -> `j***@acme.com`: enough to recognise a lead, not to contact one."""
    local, at, domain = email.strip().partition("@")
    if not at or not domain:
        return "***"
    return f"{local[:1]}***@{domain.lower()}"


def mask_url(url: str) -> str:
    """A webhook URL without what may be a secret: user info, query values and fragment."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "***"
    if not parts.scheme or not parts.netloc:
        return "***" if "?" in url or "@" in url else url
    # The host as written (urlsplit's `hostname` is lower-cased): a `${NAME}` reference or a
    # redacted secret in it must reach the reader unchanged.
    host = parts.netloc.rpartition("@")[2]
    netloc = f"***@{host}" if "@" in parts.netloc else host
    del port  # parsed only to refuse a malformed URL
    query = "&".join(f"{item.split('=', 1)[0]}=***" for item in parts.query.split("&") if item)
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


# What `printable` escapes, by Unicode category: controls (C0, DEL, C1), format characters
# (bidirectional overrides and isolates, zero-width spaces, the byte-order mark, tag
# characters; not the `TYPOGRAPHIC` ones), line and paragraph separators, lone surrogates. None of
# them draws a glyph of its own; each can hide or reorder what a reviewer reads.
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
# Format characters that ordinary writing needs, kept as they are: the soft hyphen (German,
# Dutch), the zero-width non-joiner and joiner (Persian, Hindi; emoji sequences such as
# 👩‍💻) and the left-to-right and right-to-left marks that Hebrew and Arabic text carries.
# Escaping them would garble the text a reviewer reads; none reorders text like an override.
TYPOGRAPHIC = frozenset("\u00ad\u200c\u200d\u200e\u200f")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _escape(char: str) -> str:
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def is_hidden(char: str) -> bool:
    """Whether `char` is one that `printable` escapes (it shows no glyph of its own)."""
    return unicodedata.category(char) in _ESCAPED_CATEGORIES and char not in TYPOGRAPHIC


def printable(text: str) -> str:
    """`text` with every character that draws no glyph written as an escape: `\\x1b` for a
    control character, `\\u202e` for a bidirectional override or an invisible character. So a
    name or a body from a campaign file or from Smartlead cannot move the cursor, recolour or
    clear a reviewer's terminal, write to the clipboard, or read in another order than it is
    stored. The one escaping of every rendered value; applying it twice changes nothing."""
    if text.isprintable():  # the common case, decided in C
        return text
    return "".join(_escape(c) if is_hidden(c) else c for c in text)


def printable_json(text: str) -> str:
    """JSON text with every character `printable` escapes written as a JSON `\\u` escape: the
    same document, safe to print. Valid for any JSON text: such characters can only stand
    inside strings, except the tab, newline and carriage return JSON allows between tokens,
    which are kept (inside strings JSON escapes them already)."""
    lines = text.split("\n")
    return "\n".join(line if line.isprintable() else _json_line(line) for line in lines)


def _json_line(line: str) -> str:
    return "".join(_json_escape(c) if is_hidden(c) and c not in "\t\r" else c for c in line)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    high, low = divmod(code - 0x10000, 0x400)  # a UTF-16 surrogate pair, as JSON writes it
    return f"\\u{0xD800 + high:04x}\\u{0xDC00 + low:04x}"


def needs_escaping(text: str) -> bool:
    """Whether `printable` would change `text`."""
    return not text.isprintable() and any(map(is_hidden, text))


def has_control_characters(text: str) -> bool:
    """Whether `text` holds a C0 or C1 control character or DEL (narrower than `needs_escaping`)."""
    return _CONTROL.search(text) is not None
