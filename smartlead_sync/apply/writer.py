"""What apply needs from the Smartlead provider, as planning needs a `LiveReader`.

`CampaignWriter` carries the steps out, `ReadBack` confirms them, and `LiveWriter` is all of
it: the planning reads (an adopted campaign is planned again), the writes, the read-back and
the call counters for the report. `smartlead/provider.py`'s `SmartleadProvider` is the one
implementation; apply never reaches past these methods into the HTTP client.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any, Protocol

from smartlead_sync.plan.planning import LiveReader
from smartlead_sync.smartlead.claims import Claim, Created
from smartlead_sync.smartlead.counters import CallStats
from smartlead_sync.smartlead.lead_wire import LeadBatchResult
from smartlead_sync.state import (
    CampaignPart,
    CampaignSettings,
    CampaignState,
    CampaignSummary,
    Lead,
    LeadPolicy,
    Schedule,
    Status,
    Step,
    Webhook,
)


class CampaignWriter(Protocol):
    """The writes a plan's steps make. Creates are reconciled, never blindly retried."""

    # Creates are settled against overlapping runs so that they make one object
    # (smartlead/claims.py); off only where a benchmark measures what that costs.
    guard_concurrent_runs: bool

    def list_campaigns(self) -> list[CampaignSummary]: ...

    def create_campaign(self, name: str, client_id: int | None) -> int: ...

    def claim_campaign(self, name: str, client_id: int | None) -> Claim: ...

    def settle_wave(self, wave: Sequence[Created]) -> tuple[list[CampaignSummary], list[Claim]]: ...

    def delete_campaign(self, campaign_id: int) -> None: ...

    def rename_campaign(self, campaign_id: int, name: str) -> None: ...

    def set_status(self, campaign_id: int, status: Status) -> None: ...

    def update_settings(
        self,
        campaign_id: int,
        settings: CampaignSettings,
        *,
        current: CampaignSettings | None = None,
    ) -> None: ...

    def save_schedule(self, campaign_id: int, schedule: Schedule) -> None: ...

    def save_sequence(self, campaign_id: int, steps: Sequence[Step]) -> None: ...

    def attach_mailboxes(self, campaign_id: int, mailbox_ids: Sequence[int]) -> bool:
        """True when the answer confirms every attachment."""
        ...

    def detach_mailboxes(self, campaign_id: int, mailbox_ids: Sequence[int]) -> None: ...

    def write_webhook(self, campaign_id: int, webhook: Webhook) -> tuple[int, bool]:
        """The webhook's id, and whether the answer confirms the write."""
        ...

    def claim_webhook(self, campaign_id: int, webhook: Webhook) -> Claim: ...

    def settle_webhook(self, campaign_id: int, webhook: Webhook, created: int) -> Claim: ...

    def delete_webhook(self, campaign_id: int, webhook_id: int) -> None: ...

    def add_leads(
        self, campaign_id: int, leads: Sequence[Lead], policy: LeadPolicy
    ) -> LeadBatchResult: ...

    def update_lead(self, campaign_id: int, lead: Lead) -> None: ...

    def delete_lead(self, campaign_id: int, lead_id: int) -> None: ...


class ReadBack(Protocol):
    """The reads that confirm an apply: the campaign list, then only the unconfirmed parts."""

    def list_campaigns(self) -> list[CampaignSummary]: ...

    def campaign_row(self, campaign_id: int) -> dict[str, Any]: ...

    def read_only(self, campaign_id: int, parts: Collection[CampaignPart]) -> CampaignState: ...

    def with_row(self, raw: Mapping[str, Any], parts: CampaignState) -> CampaignState: ...


class LiveWriter(LiveReader, CampaignWriter, ReadBack, Protocol):
    """Everything an apply run uses of one Smartlead account."""

    @property
    def stats(self) -> CallStats:
        """Every call made through this account so far (the report counts them)."""
        ...
