"""A realistic plan touching every kind of change, with stable ids: the golden-file input."""

from __future__ import annotations

from dataclasses import replace

from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.state import (
    CampaignState,
    DesiredCampaign,
    LeadPolicy,
    OutOfOffice,
    Status,
    Step,
    Webhook,
)
from tests.narrowing import managed
from tests.plan.factories import as_live, desired, edit, leads, plan_for


def _outbound() -> tuple[DesiredCampaign, CampaignState]:
    """Active campaign: a subject and a body edited (pause, save, restore), a setting, leads."""
    wanted = desired("Q3 outbound", n_leads=6)
    live = as_live(wanted.state, 1_000_001)
    first, second = managed(wanted.state.sequence)
    steps = (
        replace(
            first,
            variants=(
                replace(first.variants[0], subject="Quick idea for {{company_name}}"),
                first.variants[1],
            ),
        ),
        replace(
            second, body="<p>Following up on my note.</p><p>Worth a chat?</p><p>%signature%</p>"
        ),
    )
    settings = replace(
        wanted.state.settings, track_opens=True, out_of_office=OutOfOffice(ignore_ooo_as_reply=True)
    )
    key = "person2@acme.example"
    more = {
        **managed(wanted.state.leads),
        key: replace(managed(wanted.state.leads)[key], custom_fields=(("Role", "Head of Sales"),)),
        **leads(3, domain="globex.example"),
    }
    return edit(wanted, sequence=steps, settings=settings, leads=more), live


def _reengagement() -> tuple[DesiredCampaign, CampaignState]:
    """Paused campaign to restart: a mailbox swapped, a webhook event added."""
    wanted = desired("Re-engagement", n_leads=2)
    live = as_live(replace(wanted.state, status=Status.PAUSED), 1_000_002)
    hook = replace(
        managed(wanted.state.webhooks)[0], event_types=("EMAIL_REPLY", "LEAD_UNSUBSCRIBED")
    )
    return edit(
        wanted, mailboxes=("alex@sender.example", "kim@sender.example"), webhooks=(hook,)
    ), live


def _renamed() -> tuple[DesiredCampaign, CampaignState]:
    """Renamed through previous_names; pruning removes two leads; a step added."""
    old = desired("Partners Q2", n_leads=4)
    live = as_live(old.state, 1_000_003)
    wanted = edit(old, name="Partners", leads=dict(list(managed(old.state.leads).items())[:2]))
    step = Step(number=3, delay_days=7, subject="", body="<p>Last note from me.</p>")
    wanted = edit(wanted, sequence=(*managed(wanted.state.sequence), step), status=Status.PAUSED)
    live = replace(live, status=Status.PAUSED)
    return replace(
        wanted, previous_names=("Partners Q2",), lead_policy=LeadPolicy(prune=True)
    ), live


def scenario() -> tuple[list[DesiredCampaign], list[CampaignState]]:
    outbound, outbound_live = _outbound()
    reengage, reengage_live = _reengagement()
    renamed, renamed_live = _renamed()
    agency = edit(desired("Agency - Client 7", n_leads=150), client_id=7)
    agency = edit(
        agency,
        webhooks=(
            Webhook(
                "crm",
                "https://user:pw@hooks.example/c7?key=abc&x=1",
                ("EMAIL_REPLY",),
                ("Interested",),
            ),
        ),
    )
    old = desired("Old promo", n_leads=1)
    old_live = as_live(old.state, 1_000_004)
    stopping = replace(edit(old, status=Status.STOPPED), allow_stop=True)
    legacy = desired("Legacy", n_leads=0)
    legacy_live = as_live(legacy.state, 1_000_005)
    same = desired("Evergreen", n_leads=3)
    same_live = as_live(same.state, 1_000_006)
    wanted = [outbound, reengage, renamed, agency, stopping, replace(legacy, delete=True), same]
    live = [outbound_live, reengage_live, renamed_live, old_live, legacy_live, same_live]
    return wanted, live


def scenario_plan() -> Plan:
    wanted, live = scenario()
    return plan_for(wanted, live)
