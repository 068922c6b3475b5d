"""Identity: (client_id, name), id pins, previous names; every ambiguity is an error."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smartlead_sync.errors import InputError
from smartlead_sync.plan.identity import MatchedBy, resolve_identities
from smartlead_sync.state import CampaignSummary, Status
from tests.plan.factories import FakeReader, as_live, desired, edit, plan_for


def row(campaign_id: int, name: str, client_id: int | None = None) -> CampaignSummary:
    return CampaignSummary(campaign_id, name, client_id, Status.ACTIVE)


def test_matches_by_client_and_name_and_leaves_others_alone() -> None:
    wanted = [desired("Alpha"), edit(desired("Beta"), client_id=7)]
    live = [row(1, "Alpha"), row(2, "Beta"), row(3, "Beta", 7), row(4, "Not declared")]
    resolution = resolve_identities(wanted, live)
    assert [(m.live.id if m.live else None, m.matched_by) for m in resolution.matches] == [
        (1, MatchedBy.NAME),
        (3, MatchedBy.NAME),
    ]
    assert resolution.problems == ()
    assert {c.id for c in resolution.considered} == {1, 3}


def test_no_match_means_create() -> None:
    (match,) = resolve_identities([desired("New")], [row(1, "Other")]).matches
    assert match.live is None and match.matched_by is MatchedBy.NOTHING


def test_two_live_campaigns_with_one_name_ask_for_an_id_pin() -> None:
    resolution = resolve_identities([desired("Alpha")], [row(1, "Alpha"), row(2, "Alpha")])
    (problem,) = resolution.problems
    assert "2 live campaigns match by name (ids 1, 2)" in problem.message
    assert problem.hint is not None and "id:" in problem.hint
    assert problem.file == "campaigns/alpha.yaml"


def test_an_id_pin_wins_over_the_name() -> None:
    pinned = edit(desired("Alpha"), id=2)
    (match,) = resolve_identities([pinned], [row(1, "Alpha"), row(2, "Alpha")]).matches
    assert match.live is not None and match.live.id == 2
    assert match.matched_by is MatchedBy.ID_PIN


def test_a_pin_to_a_missing_campaign_is_an_error() -> None:
    resolution = resolve_identities([edit(desired("Alpha"), id=99)], [row(1, "Alpha")])
    (problem,) = resolution.problems
    assert "pinned id 99 is not a campaign" in problem.message


def test_a_pin_to_another_clients_campaign_is_an_error() -> None:
    pinned = edit(desired("Alpha"), id=1, client_id=8)
    (problem,) = resolve_identities([pinned], [row(1, "Alpha", 7)]).problems
    assert "belongs to client 7" in problem.message


def test_previous_names_match_a_campaign_to_rename() -> None:
    renamed = replace(desired("Alpha v2"), previous_names=("Alpha",))
    (match,) = resolve_identities([renamed], [row(1, "Alpha")]).matches
    assert match.live is not None and match.matched_by is MatchedBy.PREVIOUS_NAME
    assert match.note == "matched by its previous name 'Alpha'"


def test_the_current_name_wins_over_a_previous_name() -> None:
    renamed = replace(desired("Alpha v2"), previous_names=("Alpha",))
    (match,) = resolve_identities([renamed], [row(1, "Alpha"), row(2, "Alpha v2")]).matches
    assert match.live is not None and match.live.id == 2


def test_two_files_claiming_one_campaign_is_an_error() -> None:
    first = desired("Alpha")
    second = replace(desired("Alpha v2"), previous_names=("Alpha",))
    (problem,) = resolve_identities([first, second], [row(1, "Alpha")]).problems
    assert "also claimed by campaigns/alpha.yaml" in problem.message


def test_identity_errors_stop_before_any_campaign_is_read_in_depth() -> None:
    live = [as_live(desired("Alpha").state, 1), as_live(desired("Alpha").state, 2)]
    reader = FakeReader(live)
    with pytest.raises(InputError):
        from smartlead_sync.plan.planning import read_live

        read_live(reader, [desired("Alpha")])
    assert reader.reads == ["list_campaigns"]


def test_deleting_a_campaign_that_is_gone_is_no_change() -> None:
    plan = plan_for([replace(desired("Gone"), delete=True)], [])
    assert plan.campaigns[0].changes == ()
    assert not plan.has_changes


def test_a_create_whose_name_exists_under_another_client_warns() -> None:
    other = as_live(edit(desired("Alpha"), client_id=7).state, 5)
    unscoped = as_live(desired("Beta").state, 6)  # the key sees more than one client's
    plan = plan_for([desired("Alpha")], [other, unscoped])
    assert plan.campaigns[0].live_id is None
    (warning,) = plan.warnings
    assert "exist under another client: 5 (client 7)" in warning
