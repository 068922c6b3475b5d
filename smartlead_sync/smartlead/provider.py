"""Live Smartlead state in the normalized shape of `state.py`, and the writes the applier makes.

Reads cost a fixed number of calls per campaign (sequences, mailboxes, webhooks, and one CSV
export for the leads; the campaign row comes from the list, which carries the same fields as
`GET /campaigns/{id}`, §3.1/§3.3), so a no-op plan does not grow with the number of leads. Creates
are never blindly retried: after an ambiguous failure the provider looks for the object and
only creates it again when it is absent (design.md, "No duplicate campaign, ever").
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from typing import Any

from smartlead_sync.health.analytics import CampaignCounts, Period
from smartlead_sync.health.reader import read_counts
from smartlead_sync.smartlead.blocked import settle_blocked
from smartlead_sync.smartlead.client import (
    ApiError,
    NotFound,
    ResponseError,
    ServerError,
    SmartleadClient,
    TransportError,
    ValidationError,
)
from smartlead_sync.smartlead.coerce import as_int, as_text
from smartlead_sync.smartlead.leads import (
    LeadBatchResult,
    SkipReason,
    lead_from_api,
    lead_settings_to_api,
    lead_to_api,
    leads_from_export,
    read_add_report,
)
from smartlead_sync.smartlead.mapping import (
    STATUS_WRITE,
    mailbox_from_api,
    schedule_from_api,
    schedule_to_api,
    settings_from_api,
    settings_to_api,
    status_from_api,
    steps_from_api,
    steps_to_api,
    summary_from_api,
    webhook_from_api,
    webhook_to_api,
)
from smartlead_sync.smartlead.routes import CREATE_CAMPAIGN, CREATE_WEBHOOK, MAX_PAGE
from smartlead_sync.smartlead.wire import Route
from smartlead_sync.state import (
    CampaignPart,
    CampaignState,
    CampaignSummary,
    Lead,
    LeadPolicy,
    Mailbox,
    Schedule,
    Settings,
    Status,
    Step,
    Webhook,
)

__all__ = ["LeadBatchResult", "SkipReason", "SmartleadProvider"]

CREATE_ATTEMPTS = 3


def _by_name(webhook: Webhook) -> str:
    return webhook.name


_EXPORT_FAILURES = (NotFound, ValidationError, ServerError, TransportError)


class SmartleadProvider:
    """Reads and writes one Smartlead account through a shared, thread-safe client."""

    def __init__(self, client: SmartleadClient) -> None:
        self.client = client
        self._categories: dict[int, str] | None = None
        self._lock = threading.Lock()
        # Settle every campaign and webhook create against concurrent runs (claims.py); off in
        # the benchmark that measures what it costs.
        self.guard_concurrent_runs = True
        self._rows: dict[int, dict[str, Any]] = {}  # rows of the latest list, each used once

    # Reads
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

    # Campaign writes
    def create_campaign(self, name: str, client_id: int | None) -> int:
        """Create, or find the one an unanswered earlier attempt created."""
        return self._create_once(
            CREATE_CAMPAIGN,
            lambda: as_int(self.client.create_campaign(name, client_id).get("id")),
            lambda: self._find_campaign(name, client_id),
        )

    def _find_campaign(self, name: str, client_id: int | None) -> int | None:
        ids = [
            c.id
            for c in self.list_campaigns()
            if c.name == name and (client_id is None or c.client_id == client_id)
        ]
        return max(ids) if ids else None  # the newest: ours, since the plan saw none

    def delete_campaign(self, campaign_id: int) -> None:
        self.client.delete_campaign(campaign_id)

    def rename_campaign(self, campaign_id: int, name: str) -> None:
        self.client.update_campaign_settings(campaign_id, {"name": name})

    def set_status(self, campaign_id: int, status: Status) -> None:
        if status not in STATUS_WRITE:
            raise ValueError(f"status {status.value} cannot be written (smartlead-api.md §3.6)")
        self.client.set_campaign_status(campaign_id, STATUS_WRITE[status])

    def update_settings(
        self, campaign_id: int, settings: Settings, *, current: Settings | None = None
    ) -> None:
        body = settings_to_api(settings, current)
        if body:
            self.client.update_campaign_settings(campaign_id, body)

    def save_schedule(self, campaign_id: int, schedule: Schedule) -> None:
        self.client.save_campaign_schedule(campaign_id, schedule_to_api(schedule))

    def save_sequence(self, campaign_id: int, steps: Sequence[Step]) -> None:
        self.client.save_sequences(campaign_id, steps_to_api(steps))

    def attach_mailboxes(self, campaign_id: int, mailbox_ids: Sequence[int]) -> bool:
        """Attach; True when the answer names every account as attached (§6: `result` rows
        with `email_account_id`), so the attachment needs no read to be confirmed."""
        if not mailbox_ids:
            return True
        response = self.client.attach_email_accounts(campaign_id, mailbox_ids)
        rows = response.get("result")
        named = {
            as_int(r.get("email_account_id"))
            for r in (rows if isinstance(rows, list) else [])
            if isinstance(r, dict)
        }
        return set(mailbox_ids) <= named

    def detach_mailboxes(self, campaign_id: int, mailbox_ids: Sequence[int]) -> None:
        if mailbox_ids:
            self.client.detach_email_accounts(campaign_id, mailbox_ids)

    # Webhooks
    def upsert_webhook(self, campaign_id: int, webhook: Webhook) -> int:
        """Update by id, or create (reconciled by name after an ambiguous failure)."""
        return self.write_webhook(campaign_id, webhook)[0]

    def write_webhook(self, campaign_id: int, webhook: Webhook) -> tuple[int, bool]:
        """`upsert_webhook`, and whether the answer confirms the write: it echoes the id, the
        name and the URL that were sent (the newer shape does, §7.1)."""
        sent = webhook_to_api(webhook)
        echoed: list[bool] = []

        def confirms(response: dict[str, Any], hook_id: int | None) -> bool:
            events = response.get("event_type_map") or response.get("event_types") or ()
            return (
                hook_id is not None
                and as_int(response.get("id")) == hook_id
                and response.get("name") == sent["name"]
                and response.get("webhook_url") == sent["webhook_url"]
                and isinstance(events, dict | list)
                and set(events) == set(sent["event_types"])
            )

        if webhook.id is not None:
            response = self.client.upsert_webhook(campaign_id, sent)
            return webhook.id, confirms(response, webhook.id)

        def create() -> int | None:
            response = self.client.upsert_webhook(campaign_id, sent)
            # The older response shape carries no id (§7.1): look it up by name.
            found = as_int(response.get("id")) or self._find_webhook(campaign_id, webhook.name)
            echoed.append(confirms(response, found))
            return found

        found = self._create_once(
            CREATE_WEBHOOK, create, lambda: self._find_webhook(campaign_id, webhook.name)
        )
        return found, bool(echoed) and echoed[-1]

    def _find_webhook(self, campaign_id: int, name: str) -> int | None:
        found = [
            as_int(h.get("id")) or 0
            for h in self.client.list_webhooks(campaign_id)
            if as_text(h.get("name")) == name
        ]
        return max(found) if found else None

    def delete_webhook(self, campaign_id: int, webhook_id: int) -> None:
        self.client.delete_webhook(campaign_id, webhook_id)

    # Leads
    def add_leads(
        self, campaign_id: int, leads: Sequence[Lead], policy: LeadPolicy
    ) -> LeadBatchResult:
        """One add call (`return_lead_ids`); every lead sent ends attached or with a reason."""
        batch: dict[str, Lead] = {}
        duplicates: dict[str, SkipReason] = {}
        for lead in leads:
            if lead.key in batch:
                duplicates[lead.key] = SkipReason.DUPLICATE_IN_BATCH
            else:
                batch[lead.key] = lead
        if not batch:
            return LeadBatchResult(added={}, skipped=duplicates, limit_exhausted=False)
        rows = [lead_to_api(lead) for lead in batch.values()]
        response = self.client.add_leads(campaign_id, rows, lead_settings_to_api(policy))
        self._check_not_rejected(response)
        result = settle_blocked(
            self.client, read_add_report(list(batch), response, policy), response
        )
        if "emailToLeadIdMap" not in response:
            result = self._resolve_by_listing(campaign_id, result)
        return LeadBatchResult(
            added=result.added,
            skipped={**duplicates, **result.skipped},
            limit_exhausted=result.limit_exhausted,
        )

    @staticmethod
    def _check_not_rejected(response: dict[str, Any]) -> None:
        """`ok:false` is a partial success only with the credit-limit flag (§5.2)."""
        if response.get("ok") is False and not response.get("is_lead_limit_exhausted"):
            message = as_text(response.get("error") or response.get("message") or "rejected")
            raise ValidationError(message, method="POST", route="/campaigns/{id}/leads", status=200)

    def _resolve_by_listing(self, campaign_id: int, result: LeadBatchResult) -> LeadBatchResult:
        """Without the id map, the campaign's lead list says which unexplained leads landed."""
        unknown = [k for k, r in result.skipped.items() if r is SkipReason.UNKNOWN]
        if not unknown:
            return result
        live = self.read_leads(campaign_id)
        added = dict(result.added)
        skipped = dict(result.skipped)
        for key in unknown:
            lead_id = live[key].id if key in live else None
            if lead_id is not None:
                added[key] = lead_id
                del skipped[key]
        return LeadBatchResult(added=added, skipped=skipped, limit_exhausted=result.limit_exhausted)

    def update_lead(self, campaign_id: int, lead: Lead) -> None:
        """Changes the lead account-wide (§5.5); `email` is always sent."""
        if lead.id is None:
            raise ValueError("update_lead needs the live lead id")
        self.client.update_lead(campaign_id, lead.id, lead_to_api(lead))

    def delete_lead(self, campaign_id: int, lead_id: int) -> None:
        self.client.delete_lead(campaign_id, lead_id)

    # Idempotency
    def _create_once(
        self, route: Route, create: Callable[[], int | None], find: Callable[[], int | None]
    ) -> int:
        """Run a non-idempotent create; after an ambiguous failure, look before trying again.

        The pause comes before the look: a server that was merely slow may still be committing
        the create we gave up waiting for.
        """
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            try:
                created = create()
            except ApiError as exc:
                if not exc.ambiguous:
                    raise
                self.client.pause_before_retry(route, attempt)
                found = find()
                if found is not None:
                    return found
                if attempt == CREATE_ATTEMPTS:
                    raise
                continue
            if created is None:
                raise ResponseError(
                    "the response carried no id", method=route.method, route=route.template
                )
            return created
        raise AssertionError("unreachable: the last attempt returns or raises")
