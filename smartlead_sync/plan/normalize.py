"""One normalization for both sides, so that what apply wrote reads back equal (no perpetual diffs).

Desired and live campaigns pass through the same functions before they are compared. The
normalized copy is for comparison and display only: what apply sends is the desired value as
the files wrote it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import datetime, timezone
from functools import lru_cache
from html.parser import HTMLParser

from smartlead_sync.state import CampaignSettings, CampaignState, Schedule, Step, Variant, Webhook

_WHITESPACE = re.compile(r"[ \t\r\n\f\v]+")
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
# Whitespace next to these tags never renders, so it is dropped on both sides.
_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|br|center|div|dl|dt|dd|footer|h[1-6]|head|header|hr"
    "|html|li|meta|ol|p|section|style|table|tbody|td|tfoot|th|thead|title|tr|ul"
)
_SPACE_AROUND_BLOCK = re.compile(rf"\s*(</?(?:{_BLOCK_TAGS})\b[^>]*>)\s*", re.IGNORECASE)
# Where the display form of a body breaks lines (after these closing/void tags).
_LINE_BREAK_AFTER = re.compile(r"(<br>|<hr>|</(?:p|div|li|tr|h[1-6]|blockquote|ul|ol|table)>)")


def normalize_text(value: str) -> str:
    """A subject or one-line text: NFC, surrounding whitespace dropped, inner runs collapsed."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", value)).strip()


def _escape_text(value: str) -> str:
    text = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("\xa0", "&nbsp;")


def _escape_attribute(value: str) -> str:
    return _escape_text(value).replace('"', "&quot;")


class _CanonicalHtml(HTMLParser):
    """Re-serializes HTML in one form: lower-case tags, double-quoted sorted attributes,
    `<br>` without a slash, character references decoded then re-escaped minimally."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> str:
        rendered = [
            name if value is None else f'{name}="{_escape_attribute(value)}"'
            for name, value in sorted(attrs)
        ]
        return "<" + " ".join([tag, *rendered]) + ">"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(self._tag(tag, attrs))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.append(self._tag(tag, attrs))
        if tag not in _VOID_TAGS:
            self.parts.append(f"</{tag}>")

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID_TAGS:  # `</br>` is read by browsers as `<br>`; keep it simple
            self.parts.append(f"</{tag}>")
        else:
            self.parts.append(f"<{tag}>")

    def handle_data(self, data: str) -> None:
        self.parts.append(_escape_text(_WHITESPACE.sub(" ", unicodedata.normalize("NFC", data))))

    def handle_comment(self, data: str) -> None:
        self.parts.append(f"<!--{data}-->")  # Outlook conditional comments are meaningful

    def handle_decl(self, decl: str) -> None:
        self.parts.append(f"<!{decl}>")

    def unknown_decl(self, data: str) -> None:
        self.parts.append(f"<![{data}]>")

    def handle_pi(self, data: str) -> None:
        self.parts.append(f"<?{data}>")


@lru_cache(maxsize=4096)
def normalize_html(body: str) -> str:
    """An email body in a stable form that renders the same: idempotent, same on both sides."""
    parser = _CanonicalHtml()
    parser.feed(body)
    parser.close()
    html = _WHITESPACE.sub(" ", "".join(parser.parts))
    return _SPACE_AROUND_BLOCK.sub(r"\1", html).strip()


def html_lines(body: str) -> list[str]:
    """A normalized body split into display lines (after `<br>` and closing blocks) for diffs."""
    pieces = _LINE_BREAK_AFTER.split(normalize_html(body))
    lines: list[str] = []
    for index in range(0, len(pieces), 2):
        line = pieces[index] + (pieces[index + 1] if index + 1 < len(pieces) else "")
        if line:
            lines.append(line)
    return lines


_TIMEZONE_ALIASES: dict[str, str] = {
    "utc": "UTC",
    "etc/utc": "UTC",
    "etc/uct": "UTC",
    "uct": "UTC",
    "universal": "UTC",
    "etc/universal": "UTC",
    "zulu": "UTC",
    "etc/zulu": "UTC",
    "gmt": "Etc/GMT",
    "us/eastern": "America/New_York",
    "us/central": "America/Chicago",
    "us/mountain": "America/Denver",
    "us/pacific": "America/Los_Angeles",
    "us/arizona": "America/Phoenix",
    "us/alaska": "America/Anchorage",
    "us/hawaii": "Pacific/Honolulu",
    "canada/eastern": "America/Toronto",
    "canada/pacific": "America/Vancouver",
    "gb": "Europe/London",
    "europe/kiev": "Europe/Kyiv",
    "asia/calcutta": "Asia/Kolkata",
    "asia/saigon": "Asia/Ho_Chi_Minh",
    "asia/katmandu": "Asia/Kathmandu",
    "asia/rangoon": "Asia/Yangon",
    "australia/act": "Australia/Sydney",
    "australia/nsw": "Australia/Sydney",
}


@lru_cache(maxsize=1)
def _known_timezones() -> dict[str, str]:
    try:
        from zoneinfo import available_timezones

        return {name.lower(): name for name in available_timezones()}
    except Exception:  # no tz database on this machine: compare names as written
        return {}


def normalize_timezone(name: str) -> str:
    """IANA name in its canonical spelling; common legacy links map to their target."""
    key = name.strip().lower()
    if key in _TIMEZONE_ALIASES:
        return _TIMEZONE_ALIASES[key]
    return _known_timezones().get(key, name.strip())


_HOUR = re.compile(r"^(\d{1,2})(?::(\d{1,2}))?(?::\d{1,2})?$")


def normalize_hour(value: str) -> str:
    """`9`, `9:00`, `09:00:00` -> `09:00`; anything else is returned stripped, unchanged."""
    match = _HOUR.match(value.strip())
    if match is None:
        return value.strip()
    return f"{int(match.group(1)):02d}:{int(match.group(2) or 0):02d}"


def normalize_instant(value: str) -> str:
    """ISO-8601 instant: zoned values in UTC with `Z`, whole seconds; unparsable ones stripped."""
    text = value.strip()
    try:
        moment = datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except ValueError:
        return text
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
        return moment.isoformat(timespec="seconds") + "Z"
    return moment.isoformat(timespec="seconds")


_INTEGRAL_FLOAT = re.compile(r"^(-?\d+)\.0+$")


def normalize_lead_value(value: str | None) -> str | None:
    """A lead field: blank means absent; `415.0` (a number that went through a float) -> `415`."""
    if value is None:
        return None
    text = normalize_text(value)
    if not text:
        return None
    match = _INTEGRAL_FLOAT.match(text)
    return match.group(1) if match else text


def normalize_settings(settings: CampaignSettings) -> CampaignSettings:
    unsubscribe = settings.unsubscribe_text
    options = settings.ai_categorisation_options
    return replace(
        settings,
        unsubscribe_text=None if unsubscribe is None else normalize_text(unsubscribe),
        ai_categorisation_options=None if options is None else tuple(sorted(set(options))),
    )


def normalize_schedule(schedule: Schedule) -> Schedule:
    return replace(
        schedule,
        timezone=normalize_timezone(schedule.timezone),
        days=tuple(sorted(set(schedule.days))),
        start_hour=normalize_hour(schedule.start_hour),
        end_hour=normalize_hour(schedule.end_hour),
        start_time=None if schedule.start_time is None else normalize_instant(schedule.start_time),
    )


def normalize_variant(variant: Variant) -> Variant:
    return replace(
        variant,
        label=variant.label.strip().upper(),
        subject=normalize_text(variant.subject),
        body=normalize_html(variant.body),
    )


def normalize_step(step: Step) -> Step:
    variants = tuple(sorted((normalize_variant(v) for v in step.variants), key=lambda v: v.label))
    # With variants the step-level subject and body are ignored by Smartlead (§4.2).
    subject = "" if variants else normalize_text(step.subject)
    body = "" if variants else normalize_html(step.body)
    return replace(step, subject=subject, body=body, variants=variants)


def normalize_webhook(webhook: Webhook) -> Webhook:
    return replace(
        webhook,
        name=normalize_text(webhook.name),
        url=webhook.url.strip(),
        event_types=tuple(sorted({e.strip().upper() for e in webhook.event_types})),
        categories=tuple(sorted({normalize_text(c) for c in webhook.categories})),
    )


def normalize_campaign(state: CampaignState) -> CampaignState:
    """The comparable form of a campaign. Leads are left as they are: the lead diff normalizes
    only the fields it compares, which is what keeps large campaigns cheap."""
    sequence = state.sequence
    mailboxes = state.mailboxes
    webhooks = state.webhooks
    return replace(
        state,
        name=state.name.strip(),
        settings=normalize_settings(state.settings),
        schedule=None if state.schedule is None else normalize_schedule(state.schedule),
        sequence=None
        if sequence is None
        else tuple(sorted((normalize_step(s) for s in sequence), key=lambda s: s.number)),
        mailboxes=None
        if mailboxes is None
        else tuple(sorted({m.strip().lower() for m in mailboxes})),
        webhooks=None
        if webhooks is None
        else tuple(
            sorted((normalize_webhook(w) for w in webhooks), key=lambda w: (w.name, w.id or 0))
        ),
    )
