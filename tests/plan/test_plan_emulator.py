"""End to end against the emulator: the fixture project from an empty account, convergence, and each
kind of edit producing exactly its change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from smartlead_sync.desired import DesiredProject, load_desired
from smartlead_sync.emulator import Emulator
from smartlead_sync.plan.change_kinds import ChangeKind
from smartlead_sync.plan.plan_model import Action
from smartlead_sync.plan.plan_types import Plan
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.state import DesiredCampaign, Lead, Status, Step
from tests.conftest import FIXTURE_PROJECT
from tests.emulated import converge, new_emulator, provider_on

EXAMPLES = FIXTURE_PROJECT  # the tests' own copy of a realistic project
OUTREACH = "Q3 cold outreach - RevOps leaders"


def load_examples(root: Path = EXAMPLES) -> DesiredProject:
    return load_desired(root, env={})


def plan_on(
    emulator: Emulator, project: DesiredProject, campaigns: list[DesiredCampaign] | None = None
) -> Plan:
    with provider_on(emulator, project.tool.rate_limits) as provider:
        return make_plan(provider, campaigns or list(project.campaigns), project.tool)


@dataclass
class Converged:
    emulator: Emulator
    project: DesiredProject

    def plan_with(self, edit: Callable[[DesiredCampaign], DesiredCampaign]) -> Plan:
        campaigns = [edit(c) if c.state.name == OUTREACH else c for c in self.project.campaigns]
        return plan_on(self.emulator, self.project, campaigns)


@pytest.fixture(scope="module")
def converged() -> Iterator[Converged]:
    emulator = new_emulator()
    project = load_examples()
    with provider_on(emulator, project.tool.rate_limits) as provider:
        converge(provider, project.campaigns, project.tool)
    yield Converged(emulator, project)
    emulator.close()


def test_an_empty_account_plans_every_campaign_as_a_create() -> None:
    project = load_examples()
    plan = plan_on(new_emulator(), project)
    assert [c.action for c in plan.campaigns] == [Action.CREATE] * len(project.campaigns)
    assert len(plan.campaigns) == 3
    leads = sum(len(c.state.leads or {}) for c in project.campaigns)
    assert plan.counts.leads_add == leads


def test_after_converging_the_plan_is_empty(converged: Converged) -> None:
    plan = plan_on(converged.emulator, converged.project)
    assert not plan.has_changes, [c.changes for c in plan.campaigns if c.changes]
    assert [c.action for c in plan.campaigns] == [Action.NONE] * 3


def _state(campaign: DesiredCampaign, **changes: object) -> DesiredCampaign:
    return replace(campaign, state=replace(campaign.state, **changes))  # type: ignore[arg-type]


def setting(c: DesiredCampaign) -> DesiredCampaign:
    return _state(c, settings=replace(c.state.settings, follow_up_percentage=55))


def variant_subject(c: DesiredCampaign) -> DesiredCampaign:
    first, *rest = c.state.sequence or ()
    variant_a = replace(first.variants[0], subject="A new subject for {{first_name}}")
    return _state(c, sequence=(replace(first, variants=(variant_a, *first.variants[1:])), *rest))


def step_added(c: DesiredCampaign) -> DesiredCampaign:
    steps = c.state.sequence or ()
    step = Step(number=len(steps) + 1, delay_days=9, subject="", body="<p>Closing the loop.</p>")
    return _state(c, sequence=(*steps, step))


def mailbox_swapped(c: DesiredCampaign) -> DesiredCampaign:
    return _state(c, mailboxes=("alex@outreach-example.com", "casey@getreply-example.io"))


def webhook_event_added(c: DesiredCampaign) -> DesiredCampaign:
    hook = (c.state.webhooks or ())[0]
    return _state(c, webhooks=(replace(hook, event_types=(*hook.event_types, "EMAIL_BOUNCE")),))


def leads_added(c: DesiredCampaign) -> DesiredCampaign:
    template = next(iter((c.state.leads or {}).values()))
    new = [replace(template, email=f"new{i}@fresh.example.com", source=None) for i in range(3)]
    return _state(c, leads={**(c.state.leads or {}), **{lead.key: lead for lead in new}})


def custom_field_changed(c: DesiredCampaign) -> DesiredCampaign:
    leads = dict(c.state.leads or {})
    key, lead = next(iter(leads.items()))
    fields = tuple((k, "VP Revenue" if k == "Job Title" else v) for k, v in lead.custom_fields)
    leads[key] = replace(lead, custom_fields=fields)
    return _state(c, leads=leads)


def paused(c: DesiredCampaign) -> DesiredCampaign:
    return _state(c, status=Status.PAUSED)


K = ChangeKind
EDITS: list[tuple[Callable[[DesiredCampaign], DesiredCampaign], list[K], list[str]]] = [
    (setting, [K.UPDATE_SETTINGS], ["follow_up_percentage"]),
    (
        variant_subject,
        [K.PAUSE, K.SAVE_SEQUENCE, K.SET_STATUS],
        ["status", "step 1.variant A.subject", "status"],
    ),
    (
        step_added,
        [K.PAUSE, K.SAVE_SEQUENCE, K.SET_STATUS],
        ["status", "step 4.delay_days", "step 4.subject", "step 4.body", "status"],
    ),
    (mailbox_swapped, [K.ATTACH_MAILBOXES, K.DETACH_MAILBOXES], ["mailbox", "mailbox"]),
    (webhook_event_added, [K.UPDATE_WEBHOOK], ["event_types"]),
    (leads_added, [K.ADD_LEADS], []),
    (custom_field_changed, [K.UPDATE_LEADS], []),
    (paused, [K.SET_STATUS], ["status"]),
]


@pytest.mark.parametrize(("edit", "kinds", "paths"), EDITS, ids=[e[0].__name__ for e in EDITS])
def test_each_kind_of_edit_is_exactly_its_change(
    converged: Converged,
    edit: Callable[[DesiredCampaign], DesiredCampaign],
    kinds: list[ChangeKind],
    paths: list[str],
) -> None:
    plan = converged.plan_with(edit)
    changed = [c for c in plan.campaigns if c.changes]
    assert [c.name for c in changed] == [OUTREACH]
    changes = changed[0].changes
    assert [c.kind for c in changes] == kinds
    assert [f.path for c in changes for f in c.fields] == paths


def test_lead_edits_count_exactly_the_leads_touched(converged: Converged) -> None:
    added = converged.plan_with(leads_added)
    assert added.counts.leads_add == 3 and added.counts.leads_update == 0
    updated = converged.plan_with(custom_field_changed)
    (change,) = next(c for c in updated.campaigns if c.changes).changes
    assert change.leads is not None
    assert (change.leads.count, change.leads.fields) == (1, ("custom_fields.Job Title",))


def test_a_change_made_in_the_ui_shows_as_drift_back_to_the_files(converged: Converged) -> None:
    emulator = new_emulator()
    project = load_examples()
    with provider_on(emulator, project.tool.rate_limits) as provider:
        converge(provider, project.campaigns, project.tool)
    live = next(c for c in plan_on(emulator, project).campaigns if c.name == OUTREACH)
    assert live.live_id is not None
    emulator.set_campaign_status(live.live_id, "PAUSED")
    plan = plan_on(emulator, project)
    (campaign,) = [c for c in plan.campaigns if c.changes]
    (change,) = campaign.changes
    assert (change.kind, change.fields[0].before, change.fields[0].after) == (
        ChangeKind.SET_STATUS,
        "paused",
        "active",
    )


def test_unknown_live_leads_are_kept_and_counted(converged: Converged) -> None:
    def fewer(c: DesiredCampaign) -> DesiredCampaign:
        return _state(c, leads=dict(list((c.state.leads or {}).items())[:-2]))

    plan = converged.plan_with(fewer)
    campaign = next(c for c in plan.campaigns if c.name == OUTREACH)
    assert campaign.changes == ()
    assert any(
        note.startswith("2 lead(s) in Smartlead are not in the files") for note in campaign.notes
    )


def test_an_emulated_lead_keeps_its_id_above_2_31(converged: Converged) -> None:
    with provider_on(converged.emulator) as provider:
        campaign_id = next(c.id for c in provider.list_campaigns() if c.name == OUTREACH)
        leads: dict[str, Lead] = provider.read_leads(campaign_id)
    assert all(lead.id is not None and lead.id > 2**31 for lead in leads.values())
