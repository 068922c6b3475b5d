"""The writes the applier makes to one Smartlead account; the reads are in provider_reads.py.

Creates are never blindly retried: after an ambiguous failure the provider looks for the object and
only creates it again when it is absent (design.md, "No duplicate campaign, ever").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from smartlead_sync.smartlead.api_errors import (
    ApiError,
    RequestRejected,
    ResponseError,
)
from smartlead_sync.smartlead.blocked import settle_blocked
from smartlead_sync.smartlead.claims import (
    Claim,
    Created,
    claim_campaign,
    claim_webhook,
    settle_wave,
    settle_webhook,
)
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.smartlead.coerce import as_int, as_text
from smartlead_sync.smartlead.lead_wire import (
    LeadBatchResult,
    SkipReason,
    lead_settings_to_api,
    lead_to_api,
    read_add_report,
)
from smartlead_sync.smartlead.provider_reads import LiveReads
from smartlead_sync.smartlead.routes import CREATE_CAMPAIGN, CREATE_WEBHOOK
from smartlead_sync.smartlead.settings_wire import settings_to_api
from smartlead_sync.smartlead.state_mapping import (
    STATUS_WRITE,
    schedule_to_api,
    steps_to_api,
    webhook_to_api,
)
from smartlead_sync.smartlead.wire import Route
from smartlead_sync.state import (
    CampaignSettings,
    CampaignSummary,
    Lead,
    LeadPolicy,
    Schedule,
    Status,
    Step,
    Webhook,
)

__all__ = ["LeadBatchResult", "SkipReason", "SmartleadProvider"]

CREATE_ATTEMPTS = 3


class SmartleadProvider(LiveReads):
    """Reads (provider_reads.py) and writes one Smartlead account through a shared,
    thread-safe client."""

    def __init__(self, client: SmartleadClient) -> None:
        super().__init__(client)
        # Settle every campaign and webhook create against concurrent runs (claims.py); off in
        # the benchmark that measures what it costs.
        self.guard_concurrent_runs = True

    # Campaign writes
    def create_campaign(self, name: str, client_id: int | None) -> int:
        """Create, or find the one an unanswered earlier attempt created."""
        return self._create_once(
            CREATE_CAMPAIGN,
            lambda: as_int(self.client.create_campaign(name, client_id).get("id")),
            lambda: self._find_campaign(name, client_id),
        )

    def claim_campaign(self, name: str, client_id: int | None) -> Claim:
        """The campaign `(client_id, name)`, created unless another run made it (claims.py)."""
        return claim_campaign(self, name, client_id)

    def settle_wave(self, wave: Sequence[Created]) -> tuple[list[CampaignSummary], list[Claim]]:
        """One list after a wave of creates settles each of them (claims.py)."""
        return settle_wave(self, wave)

    def delete_campaign(self, campaign_id: int) -> None:
        self.client.delete_campaign(campaign_id)

    def rename_campaign(self, campaign_id: int, name: str) -> None:
        self.client.update_campaign_settings(campaign_id, {"name": name})

    def set_status(self, campaign_id: int, status: Status) -> None:
        if status not in STATUS_WRITE:
            raise ValueError(f"status {status.value} cannot be written (smartlead-api.md §3.6)")
        self.client.set_campaign_status(campaign_id, STATUS_WRITE[status])

    def update_settings(
        self,
        campaign_id: int,
        settings: CampaignSettings,
        *,
        current: CampaignSettings | None = None,
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

    def claim_webhook(self, campaign_id: int, webhook: Webhook) -> Claim:
        """The campaign's webhook named `webhook.name`, with `webhook`'s content (claims.py)."""
        return claim_webhook(self, campaign_id, webhook)

    def settle_webhook(self, campaign_id: int, webhook: Webhook, created: int) -> Claim:
        """After creating `webhook` (id `created`): lowest id of that name wins (claims.py)."""
        return settle_webhook(self, campaign_id, webhook, created)

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
            raise RequestRejected(message, method="POST", route="/campaigns/{id}/leads", status=200)

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
