"""What may be shown of personal data and secrets: masked lead emails, webhook URLs without
credentials or query values. Used by every renderer and by the plan file."""

from __future__ import annotations

import re
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


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """`text` with control characters written as escapes (`\\x1b`), so that a name read from
    Smartlead cannot move the cursor, recolour or clear a reviewer's terminal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None
