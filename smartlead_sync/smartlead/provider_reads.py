"""Live Smartlead state in the normalized shape of `state.py`: the provider's reads.

Reads cost a fixed number of calls per campaign (sequences, mailboxes, webhooks, and one CSV
export for the leads; the campaign row comes from the list, which carries the same fields as
`GET /campaigns/{id}`, §3.1/§3.3), so a no-op plan does not grow with the number of leads.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Mapping
from dataclasses import replace
from typing import Any

from smartlead_sync.health.analytics_counts import CampaignCounts, Period
from smartlead_sync.health.reader import read_counts
from smartlead_sync.smartlead.api_errors import (
    NotFound,
    RequestRejected,
    ServerError,
    TransportError,
)
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.smartlead.coerce import as_int, as_text
from smartlead_sync.smartlead.counters import CallStats
from smartlead_sync.smartlead.lead_wire import lead_from_api, leads_from_export
from smartlead_sync.smartlead.routes import MAX_PAGE
from smartlead_sync.smartlead.settings_wire import settings_from_api
from smartlead_sync.smartlead.state_mapping import (
    mailbox_from_api,
    schedule_from_api,
    status_from_api,
    steps_from_api,
    summary_from_api,
    webhook_from_api,
)
from smartlead_sync.state import (
    CampaignPart,
    CampaignState,
    CampaignSummary,
    Lead,
    Mailbox,
    Status,
    Webhook,
)

_EXPORT_FAILURES = (NotFound, RequestRejected, ServerError, TransportError)


def _by_name(webhook: Webhook) -> str:
    return webhook.name


class LiveReads:
    """The reads of one Smartlead account through a shared, thread-safe client."""

    def __init__(self, client: SmartleadClient) -> None:
        self.client = client
        self._categories: dict[int, str] | None = None
        self._lock = threading.Lock()
        self._rows: dict[int, dict[str, Any]] = {}  # rows of the latest list, each used once

    @property
    def stats(self) -> CallStats:
        """The client's counters: every call made through this provider so far."""
        return self.client.stats

    def list_campaigns(self) -> list[CampaignSummary]:
        """Every campaign's list row; `read_campaign` then reuses a row once instead of
        fetching it again (the list and `GET /campaigns/{id}` return the same object)."""
        raws = self.client.list_campaigns()
        with self._lock:
            self._rows = {i: raw for raw in raws if (i := as_int(raw.get("id"))) is not None}
        return [summary_from_api(raw) for raw in raws]

    def campaign_row(self, campaign_id: int) -> dict[str, Any]:
        """The campaign object: the row the latest list returned (once), else one GET."""
        with self._lock:
            row = self._rows.pop(campaign_id, None)
        return row if row is not None else self.client.get_campaign(campaign_id)

    def list_mailboxes(self) -> list[Mailbox]:
        """Every email account of the account, paging by 100 (§6); passwords never kept."""
        mailboxes: list[Mailbox] = []
        offset = 0
        while True:
            page = self.client.list_email_accounts(offset=offset, limit=MAX_PAGE)
            mailboxes += [mailbox_from_api(raw) for raw in page]
            if len(page) < MAX_PAGE:
                return mailboxes
            offset += len(page)

    def read_counts(self, campaign_id: int, period: Period) -> CampaignCounts:
        """A campaign's analytics counts for a period (health/reader.py, §8)."""
        return read_counts(self.client, campaign_id, period)

    def read_campaign(self, campaign_id: int, *, with_leads: bool = True) -> CampaignState:
        parts = set(CampaignPart) if with_leads else set(CampaignPart) - {CampaignPart.LEADS}
        return self.read_parts(campaign_id, parts)

    def read_parts(self, campaign_id: int, parts: Collection[CampaignPart]) -> CampaignState:
        """The campaign row and the `parts` asked for; the others stay None (not read)."""
        raw = self.campaign_row(campaign_id)
        return self.with_row(raw, self.read_only(campaign_id, parts))

    def read_only(self, campaign_id: int, parts: Collection[CampaignPart]) -> CampaignState:
        """The `parts` asked for, without the campaign row (its fields stay empty)."""
        steps = None
        if CampaignPart.SEQUENCE in parts:
            steps = steps_from_api(self.client.list_sequences(campaign_id))
        mailboxes = None
        if CampaignPart.MAILBOXES in parts:
            accounts = self.client.list_campaign_email_accounts(campaign_id)
            mailboxes = tuple(sorted({mailbox_from_api(a).email for a in accounts}))
        webhooks = None
        if CampaignPart.WEBHOOKS in parts:
            hooks = self.client.list_webhooks(campaign_id)
            names = self._category_names() if any("category_id_map" in h for h in hooks) else {}
            webhooks = tuple(sorted((webhook_from_api(h, names) for h in hooks), key=_by_name))
        leads = self.read_leads(campaign_id) if CampaignPart.LEADS in parts else None
        return CampaignState(
            "", sequence=steps, mailboxes=mailboxes, webhooks=webhooks, leads=leads
        )

    @staticmethod
    def with_row(raw: Mapping[str, Any], parts: CampaignState) -> CampaignState:
        """`parts` (from `read_only`) with the campaign row's name, status, settings, schedule."""
        return replace(
            parts,
            name=as_text(raw.get("name")),
            client_id=as_int(raw.get("client_id")),
            id=as_int(raw.get("id")),
            status=status_from_api(raw.get("status")) or Status.DRAFTED,
            settings=settings_from_api(raw),
            schedule=schedule_from_api(raw),
        )

    def read_content(self, campaign_id: int) -> CampaignState:
        """Settings, schedule and sequence only (2 calls): enough to recognise a campaign."""
        raw = self.client.get_campaign(campaign_id)
        return CampaignState(
            name=as_text(raw.get("name")),
            client_id=as_int(raw.get("client_id")),
            id=campaign_id,
            settings=settings_from_api(raw),
            schedule=schedule_from_api(raw),
            sequence=steps_from_api(self.client.list_sequences(campaign_id)),
        )

    def read_leads(self, campaign_id: int) -> dict[str, Lead]:
        """All leads of a campaign by key: the CSV export (1 call), else paging by 100 when the
        export is missing, refused, failing or empty. An unusable export is an error (shapes.py).
        """
        try:
            rows = self.client.export_campaign_leads(campaign_id)
        except _EXPORT_FAILURES:
            return self.page_leads(campaign_id)  # the documented list (§5.3)
        return {lead.key: lead for lead in leads_from_export(rows)}

    def page_leads(self, campaign_id: int) -> dict[str, Lead]:
        """All leads of a campaign through the paged list route alone (§5.3)."""
        leads: dict[str, Lead] = {}
        offset = 0
        while True:
            page = self.client.list_campaign_leads(campaign_id, offset=offset, limit=MAX_PAGE)
            rows = page["data"]
            for row in rows:
                lead = lead_from_api(row["lead"])
                if lead.key:
                    leads[lead.key] = lead
            offset += len(rows)
            total = page.get("total_leads")
            if len(rows) < MAX_PAGE or (total is not None and offset >= total):
                return leads

    def _category_names(self) -> dict[int, str]:
        """Lead category id -> name, read once: webhook maps may key categories by id (§7.1)."""
        with self._lock:
            if self._categories is None:
                rows = self.client.list_lead_categories()
                self._categories = {as_int(r.get("id")) or 0: as_text(r.get("name")) for r in rows}
            return self._categories

    def _find_campaign(self, name: str, client_id: int | None) -> int | None:
        ids = [
            c.id
            for c in self.list_campaigns()
            if c.name == name and (client_id is None or c.client_id == client_id)
        ]
        return max(ids) if ids else None  # the newest: ours, since the plan saw none

    def _find_webhook(self, campaign_id: int, name: str) -> int | None:
        found = [
            as_int(h.get("id")) or 0
            for h in self.client.list_webhooks(campaign_id)
            if as_text(h.get("name")) == name
        ]
        return max(found) if found else None
