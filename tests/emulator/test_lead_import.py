"""Lead import: per-row order and counters of §13.7, caps, credits and lead ids above 2^31."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.conftest import Api, ServeFactory

BIG = 2**31


def _account_with_history(api: Api) -> tuple[int, int]:
    """(target campaign, other campaign) with one lead already in each, plus the lists."""
    target, other = api.create_campaign("target"), api.create_campaign("other")
    api.add_leads(target, [{"email": "already@acme-example.com"}])
    api.add_leads(other, [{"email": "other@acme-example.com", "first_name": "Oli"}])
    api.emulator.block_email("blocked@acme-example.com")
    api.emulator.block_email("blocked-domain-example.com")
    api.emulator.bounce_email("bounced@acme-example.com")
    api.emulator.unsubscribe_email("gone@acme-example.com")
    return target, other


MIXED_BATCH: list[dict[str, Any]] = [
    {"email": "new1@acme-example.com", "first_name": "Ann"},
    {"email": "not-an-email"},
    {"email": "NEW1@acme-example.com"},
    {"email": "Already@acme-example.com"},
    {"email": "blocked@acme-example.com"},
    {"email": "x@blocked-domain-example.com"},
    {"email": "bounced@acme-example.com"},
    {"email": "gone@acme-example.com"},
    {"email": "other@acme-example.com"},
    {"email": "new2@acme-example.com", "custom_fields": {"Job Title": "CTO", "seats": 12}},
]


def test_mixed_batch_counters_when_the_flag_skips_other_campaigns(api: Api) -> None:
    target, other = _account_with_history(api)
    result = api.add_leads(target, MIXED_BATCH, ignore_duplicate_leads_in_other_campaign=True)
    ids = result.pop("emailToLeadIdMap")
    assert result == {
        "ok": True,
        "upload_count": 3,
        "total_leads": 3,
        "already_added_to_campaign": 1,
        "duplicate_count": 1,
        "invalid_email_count": 1,
        "invalid_emails": ["not-an-email"],
        "block_count": 2,
        "bounce_count": 1,
        "unsubscribed_leads": ["gone@acme-example.com"],
        "is_lead_limit_exhausted": False,
        "lead_import_stopped_count": 0,
    }
    assert set(ids["newlyAddedLeads"]) == {"new1@acme-example.com", "new2@acme-example.com"}
    assert set(ids["existingLeads"]) == {"Already@acme-example.com"}
    assert set(ids["existingLeadsInOtherCampaigns"]) == {"other@acme-example.com"}
    every_id = [v for group in ids.values() for v in group.values()]
    assert all(isinstance(v, str) and int(v) > BIG for v in every_id)
    listed = api.ok(api.get(f"/campaigns/{target}/leads"))
    assert [row["lead"]["email"] for row in listed["data"]] == [
        "already@acme-example.com",
        "new1@acme-example.com",
        "new2@acme-example.com",
    ]
    assert api.ok(api.get(f"/campaigns/{other}/leads"))["total_leads"] == "1"


def test_mixed_batch_adds_other_campaign_leads_when_the_flag_is_false(api: Api) -> None:
    target, other = _account_with_history(api)
    result = api.add_leads(target, MIXED_BATCH, ignore_duplicate_leads_in_other_campaign=False)
    assert result["upload_count"] == 3 and result["total_leads"] == 4
    ids = result["emailToLeadIdMap"]
    assert ids["existingLeadsInOtherCampaigns"] == {}
    other_row = api.ok(api.get(f"/campaigns/{other}/leads"))["data"][0]
    # One lead account-wide: the same lead id, a new campaign_lead_map_id (§13.2).
    assert ids["newlyAddedLeads"]["other@acme-example.com"] == str(other_row["lead"]["id"])
    rows = api.ok(api.get(f"/campaigns/{target}/leads"))["data"]
    mine = next(r for r in rows if r["lead"]["email"] == "other@acme-example.com")
    assert mine["campaign_lead_map_id"] != other_row["campaign_lead_map_id"]
    assert mine["lead"]["first_name"] == "Oli"  # the existing lead keeps its fields


def test_flag_meaning_can_be_flipped_by_switch(serve: ServeFactory) -> None:
    api = serve(other_campaign_flag="true_allows")
    target, _ = _account_with_history(api)
    lead = [{"email": "other@acme-example.com"}]
    skipped = api.add_leads(target, lead, ignore_duplicate_leads_in_other_campaign=False)
    assert skipped["emailToLeadIdMap"]["existingLeadsInOtherCampaigns"] != {}
    added = api.add_leads(target, lead, ignore_duplicate_leads_in_other_campaign=True)
    assert added["emailToLeadIdMap"]["newlyAddedLeads"] != {}


@pytest.mark.parametrize(
    ("ignore", "counter"),
    [
        ({}, "block_count"),
        ({"ignore_global_block_list": True}, "bounce_count"),
        (
            {"ignore_global_block_list": True, "ignore_community_bounce_list": True},
            "unsubscribed_leads",
        ),
    ],
)
def test_checks_apply_in_order_and_each_can_be_ignored(
    api: Api, ignore: dict[str, bool], counter: str
) -> None:
    email = "everything@acme-example.com"
    api.emulator.block_email(email)
    api.emulator.bounce_email(email)
    api.emulator.unsubscribe_email(email)
    result = api.add_leads(api.create_campaign(), [{"email": email}], **ignore)
    assert result[counter] in (1, [email])
    assert result["emailToLeadIdMap"]["newlyAddedLeads"] == {}


def test_ignoring_every_list_adds_the_lead(api: Api) -> None:
    email = "everything@acme-example.com"
    api.emulator.block_email(email)
    api.emulator.bounce_email(email)
    api.emulator.unsubscribe_email(email)
    flags = {
        "ignore_global_block_list": True,
        "ignore_community_bounce_list": True,
        "ignore_unsubscribe_list": True,
    }
    result = api.add_leads(api.create_campaign(), [{"email": email}], **flags)
    assert list(result["emailToLeadIdMap"]["newlyAddedLeads"]) == [email]


def test_already_in_campaign_wins_over_block_list(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.add_leads(campaign_id, [{"email": "kim@acme-example.com"}])
    api.emulator.block_email("acme-example.com")
    result = api.add_leads(campaign_id, [{"email": "kim@acme-example.com"}])
    assert (result["already_added_to_campaign"], result["block_count"]) == (1, 0)


def test_lead_ids_are_not_returned_unless_asked(api: Api) -> None:
    body = {"lead_list": [{"email": "a@acme-example.com"}]}
    result = api.ok(api.post(f"/campaigns/{api.create_campaign()}/leads", body))
    assert "emailToLeadIdMap" not in result


def test_unsubscribed_leads_as_count_by_switch(serve: ServeFactory) -> None:
    api = serve(unsubscribed_leads_format="count")
    api.emulator.unsubscribe_email("gone@acme-example.com")
    result = api.add_leads(api.create_campaign(), [{"email": "gone@acme-example.com"}])
    assert result["unsubscribed_leads"] == 1


def test_batch_over_the_cap_is_400_and_adds_nothing(serve: ServeFactory) -> None:
    api = serve(lead_batch_cap=3)
    campaign_id = api.create_campaign()
    rows = [{"email": f"p{i}@acme-example.com"} for i in range(4)]
    response = api.post(f"/campaigns/{campaign_id}/leads", {"lead_list": rows})
    assert response.status_code == 400
    assert response.json() == {
        "error": "Lead list exceeds maximum size - at most 3 leads per request"
    }
    assert api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["total_leads"] == "0"


def test_default_cap_is_400_the_current_documented_figure(api: Api) -> None:
    campaign_id = api.create_campaign()
    rows = [{"email": f"p{i}@acme-example.com"} for i in range(401)]
    assert api.post(f"/campaigns/{campaign_id}/leads", {"lead_list": rows}).status_code == 400
    response = api.post(f"/campaigns/{campaign_id}/leads", {"lead_list": rows[:400]})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"lead_list": []}, {"error": "lead_list must contain at least 1 lead"}),
        ({}, '"lead_list" is required'),
        ({"lead_list": [{"first_name": "x"}]}, '"lead_list[0].email" is required'),
        ({"lead_list": [{"email": "a@b.co", "title": "x"}]}, '"lead_list[0].title" is not allowed'),
        (
            {"lead_list": [{"email": "a@b.co"}], "settings": {"dedupe": True}},
            '"settings.dedupe" is not allowed',
        ),
    ],
)
def test_invalid_requests_are_400(api: Api, body: dict[str, Any], expected: Any) -> None:
    response = api.post(f"/campaigns/{api.create_campaign()}/leads", body)
    assert response.status_code == 400
    if isinstance(expected, dict):
        assert response.json() == expected
    else:
        assert response.json()["message"] == expected


def test_custom_field_cap(serve: ServeFactory) -> None:
    api = serve(custom_field_cap=2)
    fields = {"a": "1", "b": "2", "c": "3"}
    body = {"lead_list": [{"email": "a@acme-example.com", "custom_fields": fields}]}
    response = api.post(f"/campaigns/{api.create_campaign()}/leads", body)
    assert response.status_code == 400
    assert response.json()["error"].startswith("Custom fields limit exceeded")


def test_lead_credits_run_out_part_way(serve: ServeFactory) -> None:
    api = serve(lead_credits=3)
    campaign_id = api.create_campaign()
    rows = [{"email": f"p{i}@acme-example.com"} for i in range(5)]
    result = api.add_leads(campaign_id, [rows[0], {"email": "bad"}, *rows[1:]])
    assert result["ok"] is False
    assert result["is_lead_limit_exhausted"] is True
    assert result["lead_import_stopped_count"] == 2
    assert result["error"].startswith("The lead credit limit has been reached")
    assert len(result["emailToLeadIdMap"]["newlyAddedLeads"]) == 3
    assert api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["total_leads"] == "3"
    again = api.add_leads(campaign_id, [{"email": "late@acme-example.com"}])
    assert again["lead_import_stopped_count"] == 1


def test_email_matching_is_case_insensitive_across_campaigns(api: Api) -> None:
    first, second = api.create_campaign("a"), api.create_campaign("b")
    one = api.add_leads(first, [{"email": "Mixed.Case@Acme-Example.com"}])
    two = api.add_leads(second, [{"email": "mixed.case@acme-example.com"}])
    assert list(one["emailToLeadIdMap"]["newlyAddedLeads"].values()) == list(
        two["emailToLeadIdMap"]["newlyAddedLeads"].values()
    )
