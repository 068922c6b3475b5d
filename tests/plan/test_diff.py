"""Each kind of edit produces exactly its change, and nothing unmanaged ever shows."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smartlead_sync.errors import InputError
from smartlead_sync.plan.change_kinds import ChangeKind, FieldChange
from smartlead_sync.plan.changes import Change
from smartlead_sync.plan.payloads import (
    LeadBatch,
    LeadRemovals,
    LeadUpdates,
    MailboxChange,
    SaveSequence,
    SetStatus,
    UpdateSettings,
    WebhookChange,
)
from smartlead_sync.state import (
    CampaignSettings,
    CampaignState,
    DesiredCampaign,
    Distribution,
    LeadPolicy,
    Status,
    Step,
    Variant,
    Webhook,
)
from tests.narrowing import managed, of_type
from tests.plan.factories import as_live, desired, edit, leads, plan_for


def only_changes(desired_campaign: DesiredCampaign, live: CampaignState) -> tuple[Change, ...]:
    plan = plan_for([desired_campaign], [live])
    (campaign,) = plan.campaigns
    return campaign.changes


Base = tuple[DesiredCampaign, CampaignState]


def kinds(changes: tuple[Change, ...]) -> list[ChangeKind]:
    return [c.kind for c in changes]


@pytest.fixture
def base() -> Base:
    wanted = desired()
    return wanted, as_live(wanted.state, 1_000_001)


def test_a_campaign_that_matches_has_no_changes(base: Base) -> None:
    wanted, live = base
    assert only_changes(wanted, live) == ()


def test_one_setting_changed_is_one_settings_change(base: Base) -> None:
    wanted, live = base
    wanted = edit(wanted, settings=replace(wanted.state.settings, follow_up_percentage=60))
    (change,) = only_changes(wanted, live)
    assert change.kind is ChangeKind.UPDATE_SETTINGS
    assert change.fields == (FieldChange("follow_up_percentage", 40, 60),)
    assert isinstance(change.payload, UpdateSettings)
    assert change.payload.settings.follow_up_percentage == 60


def test_one_variant_subject_is_one_sequence_save_inside_a_pause(base: Base) -> None:
    wanted, live = base
    steps = list(managed(wanted.state.sequence))
    variant_a = replace(steps[0].variants[0], subject="New subject")
    steps[0] = replace(steps[0], variants=(variant_a, steps[0].variants[1]))
    changes = only_changes(edit(wanted, sequence=tuple(steps)), live)
    assert kinds(changes) == [ChangeKind.PAUSE, ChangeKind.SAVE_SEQUENCE, ChangeKind.SET_STATUS]
    save = changes[1]
    assert save.fields == (
        FieldChange("step 1.variant A.subject", "Quick question, {{first_name}}", "New subject"),
    )
    pause, restore = changes[0].payload, changes[2].payload
    assert pause == SetStatus(Status.PAUSED, temporary=True)
    assert restore == SetStatus(Status.ACTIVE, restore=True)


def test_a_sequence_save_keeps_live_step_and_variant_ids(base: Base) -> None:
    wanted, live = base
    new_step = Step(number=3, delay_days=5, subject="", body="<p>Last try.</p>")
    changes = only_changes(edit(wanted, sequence=(*managed(wanted.state.sequence), new_step)), live)
    (save,) = [c for c in changes if c.kind is ChangeKind.SAVE_SEQUENCE]
    assert [f.path for f in save.fields] == ["step 3.delay_days", "step 3.subject", "step 3.body"]
    assert all(f.before is None for f in save.fields)
    assert isinstance(save.payload, SaveSequence)
    steps = save.payload.steps
    assert [s.id for s in steps] == [
        managed(live.sequence)[0].id,
        managed(live.sequence)[1].id,
        None,
    ]
    assert [v.id for v in steps[0].variants] == [v.id for v in managed(live.sequence)[0].variants]


def test_a_variant_saved_without_live_match_gets_no_id(base: Base) -> None:
    wanted, live = base
    first = managed(wanted.state.sequence)[0]
    variant_c = Variant("C", "Third idea", "<p>Third.</p>")
    steps = (
        replace(first, variants=(*first.variants, variant_c)),
        managed(wanted.state.sequence)[1],
    )
    changes = only_changes(edit(wanted, sequence=steps), live)
    (save,) = [c for c in changes if c.kind is ChangeKind.SAVE_SEQUENCE]
    assert isinstance(save.payload, SaveSequence)
    assert [v.id for v in save.payload.steps[0].variants][2] is None
    assert {f.path for f in save.fields} == {"step 1.variant C.subject", "step 1.variant C.body"}


def test_a_mailbox_swap_attaches_before_it_detaches(base: Base) -> None:
    wanted, live = base
    swapped = edit(wanted, mailboxes=("alex@sender.example", "kim@sender.example"))
    attach, detach = only_changes(swapped, live)
    assert (attach.kind, detach.kind) == (ChangeKind.ATTACH_MAILBOXES, ChangeKind.DETACH_MAILBOXES)
    assert isinstance(attach.payload, MailboxChange) and isinstance(detach.payload, MailboxChange)
    assert [m.id for m in attach.payload.mailboxes] == [503]
    assert [m.id for m in detach.payload.mailboxes] == [502]
    assert detach.fields == (FieldChange("mailbox", "sam@sender.example", None),)


def test_a_webhook_event_added_updates_that_webhook_by_its_live_id(base: Base) -> None:
    wanted, live = base
    hook = managed(wanted.state.webhooks)[0]
    more = replace(hook, event_types=("EMAIL_REPLY", "EMAIL_BOUNCE"))
    (change,) = only_changes(edit(wanted, webhooks=(more,)), live)
    assert change.kind is ChangeKind.UPDATE_WEBHOOK
    assert change.target == "crm"
    assert change.fields == (
        FieldChange("event_types", ("EMAIL_REPLY",), ("EMAIL_BOUNCE", "EMAIL_REPLY")),
    )
    assert isinstance(change.payload, WebhookChange)
    assert change.payload.webhook.id == managed(live.webhooks)[0].id


def test_a_webhook_no_file_names_is_deleted_and_a_new_one_created(base: Base) -> None:
    wanted, live = base
    other = Webhook("slack", "https://hooks.example/slack", ("EMAIL_REPLY",), ("Interested",))
    delete, create = only_changes(edit(wanted, webhooks=(other,)), live)
    assert (delete.kind, create.kind) == (ChangeKind.DELETE_WEBHOOK, ChangeKind.CREATE_WEBHOOK)
    assert delete.payload == WebhookChange(managed(live.webhooks)[0])


def test_three_leads_added_are_one_batch_of_three(base: Base) -> None:
    wanted, live = base
    more = {**managed(wanted.state.leads), **leads(3, domain="new.example")}
    (change,) = only_changes(edit(wanted, leads=more), live)
    assert change.kind is ChangeKind.ADD_LEADS
    assert change.leads is not None and change.leads.count == 3
    assert change.leads.samples == ("p***@new.example",) * 3
    assert isinstance(change.payload, LeadBatch)
    assert [lead.email for lead in change.payload.leads] == [
        "person0@new.example",
        "person1@new.example",
        "person2@new.example",
    ]


def test_leads_are_added_in_batches_of_the_configured_size() -> None:
    wanted = desired(n_leads=250)
    plan = plan_for([wanted], [], batch_size=100)
    batches = [
        of_type(c.payload, LeadBatch)
        for c in plan.campaigns[0].changes
        if c.kind is ChangeKind.ADD_LEADS
    ]
    assert [(b.number, b.of, len(b.leads)) for b in batches] == [
        (1, 3, 100),
        (2, 3, 100),
        (3, 3, 50),
    ]


def test_one_custom_field_changed_is_one_account_wide_lead_update(base: Base) -> None:
    wanted, live = base
    key = "person2@acme.example"
    changed = replace(managed(wanted.state.leads)[key], custom_fields=(("Role", "CTO"),))
    (change,) = only_changes(
        edit(wanted, leads={**managed(wanted.state.leads), key: changed}), live
    )
    assert change.kind is ChangeKind.UPDATE_LEADS
    assert change.leads is not None
    assert (change.leads.count, change.leads.fields) == (1, ("custom_fields.Role",))
    assert "account-wide" in (change.note or "")
    assert isinstance(change.payload, LeadUpdates)
    (update,) = change.payload.updates
    assert update.lead_id == managed(live.leads)[key].id
    assert update.custom_fields == (("Role", "CTO"),)
    assert update.fields == ()


def test_only_custom_keys_the_files_set_are_compared_and_others_are_kept(base: Base) -> None:
    wanted, live = base
    key = "person1@acme.example"
    live_lead = replace(
        managed(live.leads)[key], custom_fields=(("Role", "role-secret-1"), ("Seen", "UI"))
    )
    live = replace(live, leads={**managed(live.leads), key: live_lead})
    assert only_changes(wanted, live) == ()
    new = replace(managed(wanted.state.leads)[key], custom_fields=(("Role", "VP"),))
    (change,) = only_changes(edit(wanted, leads={**managed(wanted.state.leads), key: new}), live)
    assert of_type(change.payload, LeadUpdates).updates[0].custom_fields == (
        ("Role", "VP"),
        ("Seen", "UI"),
    )


def test_status_paused_is_one_status_change(base: Base) -> None:
    wanted, live = base
    (change,) = only_changes(edit(wanted, status=Status.PAUSED), live)
    assert change.kind is ChangeKind.SET_STATUS
    assert change.fields == (FieldChange("status", "active", "paused"),)
    assert change.payload == SetStatus(Status.PAUSED)


def test_pausing_and_saving_the_sequence_pauses_first_and_does_not_restore(base: Base) -> None:
    wanted, live = base
    steps = (
        replace(managed(wanted.state.sequence)[0], delay_days=1),
        managed(wanted.state.sequence)[1],
    )
    changes = only_changes(edit(wanted, status=Status.PAUSED, sequence=steps), live)
    assert kinds(changes) == [ChangeKind.PAUSE, ChangeKind.SAVE_SEQUENCE]
    assert changes[0].payload == SetStatus(Status.PAUSED)


def test_leads_missing_from_the_files_are_kept_without_prune(base: Base) -> None:
    wanted, live = base
    fewer = dict(list(managed(wanted.state.leads).items())[:3])
    plan = plan_for([edit(wanted, leads=fewer)], [live])
    assert plan.campaigns[0].changes == ()
    assert any("2 lead(s) in Smartlead are not in the files" in n for n in plan.campaigns[0].notes)


def test_leads_missing_from_the_files_are_removed_with_prune(base: Base) -> None:
    wanted, live = base
    fewer = dict(list(managed(wanted.state.leads).items())[:3])
    pruning = replace(edit(wanted, leads=fewer), lead_policy=LeadPolicy(prune=True))
    (change,) = only_changes(pruning, live)
    assert change.kind is ChangeKind.REMOVE_LEADS and change.irreversible
    assert isinstance(change.payload, LeadRemovals)
    assert [lead.id for lead in change.payload.leads] == [
        managed(live.leads)["person3@acme.example"].id,
        managed(live.leads)["person4@acme.example"].id,
    ]


def test_unmanaged_fields_never_show_as_changes(base: Base) -> None:
    wanted, live = base
    unmanaged = edit(
        wanted,
        status=None,
        settings=CampaignSettings(),
        schedule=None,
        sequence=None,
        mailboxes=None,
        webhooks=None,
        leads=None,
    )
    moved = replace(
        live, status=Status.PAUSED, settings=CampaignSettings(track_opens=True), mailboxes=()
    )
    assert only_changes(unmanaged, moved) == ()


def test_write_only_settings_never_show_but_travel_with_a_settings_write(base: Base) -> None:
    wanted, live = base
    write_only = edit(wanted, settings=replace(wanted.state.settings, force_plain_text=True))
    plan = plan_for([write_only], [live])
    assert plan.campaigns[0].changes == ()
    assert plan.unverifiable == ("settings.force_plain_text",)
    both = edit(write_only, settings=replace(write_only.state.settings, track_opens=True))
    (change,) = only_changes(both, live)
    assert change.fields == (FieldChange("track_opens", False, True),)
    assert of_type(change.payload, UpdateSettings).settings.force_plain_text is True
    assert "force_plain_text" in (change.note or "")


def test_a_rename_by_previous_name_is_one_rename(base: Base) -> None:
    wanted, live = base
    renamed = replace(edit(wanted, name="Q4 outbound"), previous_names=("Q3 outbound",))
    plan = plan_for([renamed], [live])
    (change,) = plan.campaigns[0].changes
    assert change.kind is ChangeKind.RENAME
    assert change.fields == (FieldChange("name", "Q3 outbound", "Q4 outbound"),)
    assert plan.campaigns[0].live_id == live.id


def test_a_new_campaign_is_created_then_configured_then_started() -> None:
    plan = plan_for([desired(n_leads=3)], [])
    assert kinds(plan.campaigns[0].changes) == [
        ChangeKind.CREATE_CAMPAIGN,
        ChangeKind.UPDATE_SETTINGS,
        ChangeKind.UPDATE_SCHEDULE,
        ChangeKind.SAVE_SEQUENCE,
        ChangeKind.ATTACH_MAILBOXES,
        ChangeKind.CREATE_WEBHOOK,
        ChangeKind.ADD_LEADS,
        ChangeKind.SET_STATUS,
    ]
    assert plan.campaigns[0].changes[-1].fields == (FieldChange("status", "drafted", "active"),)


def test_delete_marks_only_a_delete(base: Base) -> None:
    wanted, live = base
    (change,) = only_changes(replace(wanted, delete=True), live)
    assert change.kind is ChangeKind.DELETE_CAMPAIGN and change.irreversible


@pytest.mark.parametrize(
    ("live_status", "wanted_status", "says"),
    [
        (Status.ACTIVE, Status.DRAFTED, "cannot return to drafted"),
        (Status.STOPPED, Status.ACTIVE, "stopped in Smartlead, which is permanent"),
        (Status.STOPPED, Status.PAUSED, "stopped in Smartlead, which is permanent"),
        (Status.ARCHIVED, Status.ACTIVE, "archived"),
    ],
)
def test_impossible_status_transitions_are_errors_not_changes(
    base: Base, live_status: Status, wanted_status: Status, says: str
) -> None:
    wanted, live = base
    with pytest.raises(InputError) as caught:
        plan_for([edit(wanted, status=wanted_status)], [replace(live, status=live_status)])
    (problem,) = caught.value.problems
    assert says in problem.message
    assert problem.file == wanted.source


def test_an_unknown_mailbox_is_an_error_naming_the_file(base: Base) -> None:
    wanted, live = base
    with pytest.raises(InputError) as caught:
        plan_for([edit(wanted, mailboxes=("nobody@sender.example",))], [live])
    (problem,) = caught.value.problems
    assert "nobody@sender.example" in problem.message and problem.file == wanted.source


@pytest.mark.parametrize(
    ("distribution", "unverifiable"),
    [
        (Distribution.PERCENTAGE, ()),  # what variant percentages imply: nothing to warn about
        (Distribution.EQUAL, ()),
        (Distribution.AI, ("sequence.distribution",)),
    ],
)
def test_only_an_ai_split_is_noted_as_a_setting_plan_cannot_see(
    base: Base, distribution: Distribution, unverifiable: tuple[str, ...]
) -> None:
    wanted, live = base
    assert wanted.state.sequence is not None
    first, *rest = wanted.state.sequence
    split = edit(wanted, sequence=(replace(first, distribution=distribution), *rest))
    assert plan_for([split], [live]).unverifiable == unverifiable
