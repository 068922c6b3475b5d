"""The one place that decides what of a secret may be shown. Fails closed.

Every known secret is registered here the moment it is read: the Smartlead API key, the GitHub
token, and every value a campaign file takes from `${ENV}` (shown as its reference,
`${CRM_WEBHOOK_URL}`). `redact` removes each of them from any text in every case form (URL
parsing lower-cases a host), percent-encoded, HTML- or JSON-escaped, and also any `api_key=`
query value, registered or not. Every output (terminal streams, `--out`, report, journal, HTTP
log, GitHub bodies) passes through `redact` last, so text nobody thought about is masked too.

`Secret` is the type for a secret value: formatting it in any way shows its mask, never the
value; constructing one registers the value.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import threading
from typing import Protocol, TypeVar
from urllib.parse import quote, quote_plus

MASK = "***"
V = TypeVar("V")
# Shorter values are too common in ordinary text to be replaced everywhere (a port, a flag);
# they are still shown by reference where a plan renders the value itself (`shown`).
MIN_TEXT_LENGTH = 4
# Environment variables the tool reads credentials from: masked in every output, and never
# interpolated into a campaign file.
CREDENTIAL_VARIABLES = ("SMARTLEAD_API_KEY", "GITHUB_TOKEN")
_API_KEY_QUERY = re.compile(r"(api_key(?:=|%3D))[^&\s'\"<>]+", re.IGNORECASE)


class Registry:
    """Known secrets and what each is shown as. Thread-safe; grows only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._shown: dict[str, str] = {}  # lower-cased value -> its mask or reference
        self._exact: dict[str, str] = {}  # the value as read -> its mask or reference
        self._pattern: re.Pattern[str] | None = None
        self._matchers: list[tuple[re.Pattern[str], str]] | None = None
        self._public: set[str] = set()

    def allow_public(self, value: str) -> None:
        """Let a documented non-secret key (the local emulator's) through the `api_key=` rule."""
        with self._lock:
            self._public.add(value)

    def add(self, value: str, shown_as: str = MASK) -> None:
        if not value:
            return
        with self._lock:
            self._exact.setdefault(value, shown_as)
            self._matchers = None
            if len(value) < MIN_TEXT_LENGTH:
                return
            for form in _forms(value):
                self._shown.setdefault(form.lower(), shown_as)
            self._pattern = None

    def exact(self) -> list[tuple[re.Pattern[str], str]]:
        """A matcher per secret as read, longest first, with what it is shown as."""
        with self._lock:
            if self._matchers is None:
                ordered = sorted(self._exact.items(), key=lambda item: -len(item[0]))
                self._matchers = [(re.compile(re.escape(v), re.I), s) for v, s in ordered]
            return self._matchers

    def redact(self, text: str) -> str:
        text = _API_KEY_QUERY.sub(self._query_value, text)
        pattern, shown = self._compiled()
        if pattern is None:
            return text
        return pattern.sub(lambda m: shown.get(m.group(0).lower(), MASK), text)

    def _query_value(self, match: re.Match[str]) -> str:
        value = match.group(0)[len(match.group(1)) :]
        return match.group(0) if value in self._public else match.group(1) + MASK

    def _compiled(self) -> tuple[re.Pattern[str] | None, dict[str, str]]:
        with self._lock:
            if self._pattern is None and self._shown:
                forms = sorted(self._shown, key=len, reverse=True)  # longest form wins
                self._pattern = re.compile("|".join(map(re.escape, forms)), re.IGNORECASE)
            return self._pattern, self._shown


def _forms(value: str) -> set[str]:
    """The ways a value is written into text: as is, URL-, HTML- and JSON-escaped."""
    forms = {value, quote(value, safe=""), quote(value, safe="/:@"), quote_plus(value)}
    forms |= {html.escape(value), json.dumps(value)[1:-1]}
    forms.add(json.dumps(value, ensure_ascii=False)[1:-1])
    return {f for f in forms if f}


@functools.lru_cache(maxsize=8)
def written_as(value: str) -> re.Pattern[str]:
    """Finds `value` in text in every form `redact` masks, in any case."""
    forms = sorted(_forms(value), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, forms)), re.IGNORECASE)


_REGISTRY = Registry()


def register_secret(value: str | None, shown_as: str = MASK) -> None:
    """Remember a secret so that no output can contain it (shown as `shown_as` instead)."""
    if value:
        _REGISTRY.add(value, shown_as)
        stripped = value.strip()
        if stripped != value:
            _REGISTRY.add(stripped, shown_as)


def allow_public(value: str) -> None:
    """See `Registry.allow_public`; a registered secret stays masked all the same."""
    _REGISTRY.allow_public(value)


def redact(text: str) -> str:
    """`text` without any registered secret and without any `api_key=` query value."""
    return _REGISTRY.redact(text)


class SecretValue(Protocol):
    """What holds a secret: this `Secret`, or pydantic's `SecretStr`."""

    def get_secret_value(self) -> str: ...


class Secret:
    """A secret value. `str()`, `repr()` and f-strings show its mask; `get_secret_value()`
    is the only way to the value. Creating one registers the value for `redact`."""

    __slots__ = ("_shown_as", "_value")

    def __init__(self, value: str, *, shown_as: str = MASK) -> None:
        self._value = value
        self._shown_as = shown_as
        register_secret(value, shown_as)

    def get_secret_value(self) -> str:
        return self._value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a Secret is not pickled")

    def __str__(self) -> str:
        return self._shown_as

    def __repr__(self) -> str:
        return f"Secret({self._shown_as!r})"

    def __format__(self, spec: str) -> str:
        return self._shown_as


# ----- values in a plan ---------------------------------------------------------------------


def digest(value: str) -> str:
    """A short fingerprint of a value, so a reader sees that a secret changed, not what to."""
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()[:12]


def references_in(value: str) -> str | None:
    """`value` with every `${ENV}`-derived secret written as its reference, or None when it
    holds none. Exact and case-insensitive, so it also works on values shorter than
    MIN_TEXT_LENGTH and before any masking changes the text around them."""
    found = False
    for pattern, shown_as in _REGISTRY.exact():
        if pattern.search(value):
            found = True
            value = pattern.sub(shown_as.replace("\\", "\\\\"), value)
    return value if found else None


def shown_value(value: str) -> str:
    """A value as a plan shows it: with `${ENV}`-derived secrets as references plus a digest
    of the real value, so a changed secret reads as changed without being shown."""
    referenced = references_in(value)
    return value if referenced is None else f"{referenced} [{digest(value)}]"


def shown_pair(before: V, after: V) -> tuple[V | str, V | str]:
    """Both sides of a change as a plan shows them. When either side holds a secret, the other
    side is a digest only: the value it replaces was most likely a secret too."""
    secret = any(isinstance(v, str) and references_in(v) is not None for v in (before, after))
    if not secret:
        return before, after

    def one(value: V) -> V | str:
        if not isinstance(value, str):
            return value
        referenced = references_in(value)
        return f"[{digest(value)}]" if referenced is None else f"{referenced} [{digest(value)}]"

    return one(before), one(after)
