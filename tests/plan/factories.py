"""Hand-built desired and live campaigns for planning tests (real state objects, no mocks)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import replace
from itertools import count
from typing import Any

from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.state import (
    CampaignPart,
    CampaignSettings,
    CampaignState,
    CampaignSummary,
    DesiredCampaign,
    Lead,
    Mailbox,
    Schedule,
    Status,
    Step,
    StopOn,
    Variant,
    Webhook,
)
from smartlead_sync.tool_settings import ToolSettings

MAILBOXES = (
    Mailbox(501, "alex@sender.example", "Alex"),
    Mailbox(502, "sam@sender.example", "Sam"),
    Mailbox(503, "kim@sender.example", "Kim"),
)


def leads(n: int, *, domain: str = "acme.example", start: int = 0) -> dict[str, Lead]:
    made = (
        Lead(
            email=f"person{i}@{domain}",
            first_name=f"First{i}",
            last_name=f"Last{i}",
            company_name="Acme",
            custom_fields=(("Role", f"role-secret-{i}"),),
        )
        for i in range(start, start + n)
    )
    return {lead.key: lead for lead in made}


def sequence() -> tuple[Step, ...]:
    return (
        Step(
            number=1,
            delay_days=0,
            variants=(
                Variant(
                    "A",
                    "Quick question, {{first_name}}",
                    "<p>Hi {{first_name}},</p><p>One line.</p>",
                ),
                Variant(
                    "B", "Idea for {{company_name}}", "<p>Hello {{first_name}},</p><p>Another.</p>"
                ),
            ),
        ),
        Step(number=2, delay_days=3, subject="", body="<p>Following up.</p><p>%signature%</p>"),
    )


def state(name: str = "Q3 outbound", *, n_leads: int = 5, **overrides: Any) -> CampaignState:
    base = CampaignState(
        name=name,
        client_id=None,
        status=Status.ACTIVE,
        settings=CampaignSettings(
            track_opens=False,
            track_clicks=True,
            stop_on=StopOn.REPLY,
            send_as_plain_text=False,
            follow_up_percentage=40,
            unsubscribe_text="Reply STOP to opt out",
        ),
        schedule=Schedule("America/New_York", (1, 2, 3, 4, 5), "09:00", "17:00", 10, 50),
        sequence=sequence(),
        mailboxes=("alex@sender.example", "sam@sender.example"),
        webhooks=(
            Webhook(
                "crm", "https://hooks.example/crm?token=s3cret", ("EMAIL_REPLY",), ("Interested",)
            ),
        ),
        leads=leads(n_leads),
    )
    return replace(base, **overrides)


def desired(
    name: str = "Q3 outbound", *, source: str | None = None, **overrides: Any
) -> DesiredCampaign:
    options = {
        k: overrides.pop(k)
        for k in ("previous_names", "lead_policy", "allow_stop", "delete")
        if k in overrides
    }
    slug = name.lower().replace(" ", "-")
    return DesiredCampaign(
        state=state(name, **overrides), source=source or f"campaigns/{slug}.yaml", **options
    )


def as_live(desired_state: CampaignState, campaign_id: int) -> CampaignState:
    """What Smartlead would show after an apply of `desired_state`: ids everywhere, derived
    from `campaign_id` so that outputs are stable."""
    ids = count(campaign_id * 100 + 1)
    steps = tuple(
        replace(s, id=next(ids), variants=tuple(replace(v, id=next(ids)) for v in s.variants))
        for s in desired_state.sequence or ()
    )
    hooks = tuple(replace(w, id=next(ids)) for w in desired_state.webhooks or ())
    first_lead = 2**31 + campaign_id * 10_000
    live_leads = {
        k: replace(v, id=first_lead + i)
        for i, (k, v) in enumerate((desired_state.leads or {}).items())
    }
    return replace(
        desired_state,
        id=campaign_id,
        sequence=steps,
        webhooks=hooks,
        leads=live_leads,
        status=desired_state.status or Status.DRAFTED,
    )


def summary(live: CampaignState) -> CampaignSummary:
    assert live.id is not None
    return CampaignSummary(live.id, live.name, live.client_id, live.status or Status.DRAFTED)


class FakeReader:
    """A live account made of real state objects; counts the reads it serves."""

    def __init__(
        self, campaigns: Iterable[CampaignState], mailboxes: Sequence[Mailbox] = MAILBOXES
    ):
        self.campaigns = {c.id: c for c in campaigns}
        self.mailboxes = list(mailboxes)
        self.reads: list[str] = []

    def list_campaigns(self) -> list[CampaignSummary]:
        self.reads.append("list_campaigns")
        return [summary(c) for c in self.campaigns.values()]

    def list_mailboxes(self) -> list[Mailbox]:
        self.reads.append("list_mailboxes")
        return list(self.mailboxes)

    def read_parts(self, campaign_id: int, parts: Collection[CampaignPart]) -> CampaignState:
        with_leads = CampaignPart.LEADS in parts
        self.reads.append(f"read_campaign:{campaign_id}:{'leads' if with_leads else 'no-leads'}")
        live = self.campaigns[campaign_id]
        unread = {p.value: None for p in CampaignPart if p not in parts}
        return replace(live, **unread)  # type: ignore[arg-type]


def edit(campaign: DesiredCampaign, **changes: Any) -> DesiredCampaign:
    """The same desired campaign with some state fields replaced."""
    return replace(campaign, state=replace(campaign.state, **changes))


def plan_for(
    desired_campaigns: Sequence[DesiredCampaign],
    live_campaigns: Sequence[CampaignState],
    *,
    batch_size: int = 100,
) -> Plan:
    tool = ToolSettings(lead_batch_size=batch_size)
    return make_plan(FakeReader(live_campaigns), desired_campaigns, tool)
