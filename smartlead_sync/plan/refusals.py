"""Leads Smartlead refused for a lasting reason, remembered so they are not sent again.

A lead on the block list, unsubscribed, bounced or (with `skip`) in another campaign is refused
again every time it is sent (smartlead-api.md §5.2), so planning it as "+ add" forever would
make every drift check fail and every apply spend a lead write. Apply records each refusal by
live campaign id in the project's local state folder, one file per account; plan shows the
recorded ones under "refused by Smartlead" instead of as changes; `--retry-refused` sends them
again. Leads are kept as digests of their lower-cased email, never in clear.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from smartlead_sync.localstate import open_state, read_state

REFUSED_PREFIX = "refused-"

# campaign id -> lead digest -> reason (a SkipReason value)
Refusals = Mapping[int, Mapping[str, str]]


MAX_SHOWN = 5


def refused_line(campaign: str, leads: Sequence[tuple[str, str]]) -> str:
    """One plan line: the campaign, how many, and the first few masked emails with reasons."""
    shown = ", ".join(f"{email} ({reason})" for email, reason in leads[:MAX_SHOWN])
    more = f" and {len(leads) - MAX_SHOWN} more" if len(leads) > MAX_SHOWN else ""
    return f"'{campaign}': {len(leads)} lead(s): {shown}{more}"


def lead_digest(key: str) -> str:
    """What the file keeps of a lead: a digest of its key (the lower-cased email)."""
    return hashlib.sha256(key.encode()).hexdigest()[:24]


class RefusalRecord:
    """The refusals of one account, in `<state folder>/refused-<account digest>.json`."""

    def __init__(self, project_root: Path, account: str) -> None:
        self._root = project_root
        self._name = f"{REFUSED_PREFIX}{account}.json"

    def load(self) -> dict[int, dict[str, str]]:
        """Every recorded refusal; an unreadable file counts as empty (it is only a cache)."""
        text = read_state(self._root, self._name)
        return {} if text is None else _parse(text)

    def update(
        self, refused: Mapping[int, Mapping[str, str]], attached: Mapping[int, set[str]]
    ) -> None:
        """Add `refused` (campaign id -> lead key -> reason); forget the `attached` keys."""
        if not refused and not any(attached.values()):
            return
        with self._locked() as record:
            for campaign_id, keys in attached.items():
                entry = record.get(campaign_id, {})
                for key in keys:
                    entry.pop(lead_digest(key), None)
            for campaign_id, reasons in refused.items():
                entry = record.setdefault(campaign_id, {})
                entry.update({lead_digest(k): reason for k, reason in reasons.items()})

    @contextmanager
    def _locked(self) -> Iterator[dict[int, dict[str, str]]]:
        with open_state(self._root, self._name) as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            handle.seek(0)
            record = _parse(handle.read())
            yield record
            handle.seek(0)
            handle.truncate()
            kept = {str(cid): leads for cid, leads in sorted(record.items()) if leads}
            handle.write(json.dumps(kept, sort_keys=True))


def _parse(text: str) -> dict[int, dict[str, str]]:
    try:
        raw: Any = json.loads(text or "{}")
    except ValueError:
        return {}
    if not isinstance(raw, dict):
        return {}
    record: dict[int, dict[str, str]] = {}
    for campaign_id, leads in raw.items():
        if str(campaign_id).isdigit() and isinstance(leads, dict):
            record[int(campaign_id)] = {str(k): str(v) for k, v in leads.items()}
    return record
