"""A campaign's leads and the account-wide lead routes (§5.3-§5.7, §13.8)."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.emulator.conftest import Api


def _campaign_with_leads(api: Api, count: int) -> int:
    campaign_id = api.create_campaign()
    rows = [{"email": f"lead{i:03d}@acme-example.com", "first_name": f"L{i}"} for i in range(count)]
    for start in range(0, count, 100):
        api.add_leads(campaign_id, rows[start : start + 100])
    return campaign_id


def test_list_pages_in_insertion_order_with_string_total(api: Api) -> None:
    campaign_id = _campaign_with_leads(api, 130)
    first = api.ok(api.get(f"/campaigns/{campaign_id}/leads", offset=0, limit=100))
    second = api.ok(api.get(f"/campaigns/{campaign_id}/leads", offset=100, limit=100))
    assert first["total_leads"] == "130" and second["total_leads"] == "130"
    assert (first["offset"], first["limit"], len(first["data"])) == (0, 100, 100)
    assert (second["offset"], len(second["data"])) == (100, 30)
    emails = [row["lead"]["email"] for row in first["data"] + second["data"]]
    assert emails == [f"lead{i:03d}@acme-example.com" for i in range(130)]
    row = first["data"][0]
    assert set(row) == {"campaign_lead_map_id", "lead_category_id", "status", "created_at", "lead"}
    assert row["status"] == "STARTED" and row["campaign_lead_map_id"] > 2**31
    assert row["lead"]["id"] > 2**31 and row["lead"]["is_unsubscribed"] is False


def test_default_limit_is_100(api: Api) -> None:
    campaign_id = _campaign_with_leads(api, 101)
    assert len(api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["data"]) == 100


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": 101}, '"limit" must be less than or equal to 100'),
        ({"limit": 0}, '"limit" must be greater than or equal to 1'),
        ({"offset": -1}, '"offset" must be greater than or equal to 0'),
        ({"limit": "many"}, '"limit" must be a number'),
        (
            {"status": "NOT_CONTACTED"},
            '"status" must be one of [STARTED, INPROGRESS, COMPLETED, PAUSED, STOPPED, BLOCKED]',
        ),
    ],
)
def test_list_query_validation(api: Api, params: dict[str, object], message: str) -> None:
    response = api.get(f"/campaigns/{api.create_campaign()}/leads", **params)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_list_filters_by_status(api: Api) -> None:
    campaign_id = _campaign_with_leads(api, 3)
    lead_id = api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["data"][1]["lead"]["id"]
    pause = api.post(f"/campaigns/{campaign_id}/leads/{lead_id}/pause")
    assert api.ok(pause) == {"ok": True, "data": "success"}
    paused = api.ok(api.get(f"/campaigns/{campaign_id}/leads", status="PAUSED"))
    assert paused["total_leads"] == "1" and paused["data"][0]["lead"]["id"] == lead_id


def test_export_is_csv_with_custom_fields_as_json(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.add_leads(
        campaign_id,
        [
            {
                "email": "ann@acme-example.com",
                "first_name": "Ann",
                "custom_fields": {"Job Title": "CTO"},
            },
            {"email": "bo@acme-example.com", "company_name": "Acme, Inc."},
        ],
    )
    response = api.get(f"/campaigns/{campaign_id}/leads-export")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["email"] for r in rows] == ["ann@acme-example.com", "bo@acme-example.com"]
    assert json.loads(rows[0]["custom_fields"]) == {"Job Title": "CTO"}
    assert rows[1]["company_name"] == "Acme, Inc."
    assert int(rows[0]["id"]) > 2**31 and rows[0]["status"] == "STARTED"


def _only_lead(api: Api, campaign_id: int) -> dict[str, object]:
    lead: dict[str, object] = api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["data"][0]["lead"]
    return lead


def test_update_merges_custom_fields_account_wide(api: Api) -> None:
    first, second = api.create_campaign("a"), api.create_campaign("b")
    lead = {
        "email": "ann@acme-example.com",
        "first_name": "Ann",
        "custom_fields": {"Job Title": "CTO", "City": "Oslo"},
    }
    api.add_leads(first, [lead])
    api.add_leads(second, [lead])
    lead_id = _only_lead(api, first)["id"]
    body = {"email": "ann@acme-example.com", "last_name": "Lee", "custom_fields": {"City": "Rome"}}
    assert api.ok(api.post(f"/campaigns/{first}/leads/{lead_id}", body)) == {"ok": True}
    seen_elsewhere = _only_lead(api, second)
    assert seen_elsewhere["last_name"] == "Lee" and seen_elsewhere["first_name"] == "Ann"
    assert seen_elsewhere["custom_fields"] == {"Job Title": "CTO", "City": "Rome"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"first_name": "x"}, '"email" is required'),
        ({"email": "ann@acme-example.com", "lead_id": 1}, '"lead_id" is not allowed'),
    ],
)
def test_update_validation(api: Api, body: dict[str, object], message: str) -> None:
    campaign_id = api.create_campaign()
    api.add_leads(campaign_id, [{"email": "ann@acme-example.com"}])
    lead_id = _only_lead(api, campaign_id)["id"]
    response = api.post(f"/campaigns/{campaign_id}/leads/{lead_id}/", body)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_delete_answers_plain_text_success_and_keeps_the_lead(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.add_leads(campaign_id, [{"email": "ann@acme-example.com"}])
    lead_id = _only_lead(api, campaign_id)["id"]
    response = api.delete(f"/campaigns/{campaign_id}/leads/{lead_id}")
    assert response.status_code == 200 and response.text == "success"
    assert not response.headers["content-type"].startswith("application/json")
    assert api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["total_leads"] == "0"
    assert api.ok(api.get("/leads/", email="ann@acme-example.com"))["id"] == lead_id
    again = api.delete(f"/campaigns/{campaign_id}/leads/{lead_id}")
    assert again.status_code == 404
    assert again.json() == {"error": "Lead not found - Invalid lead_id."}


def test_resume_goes_back_to_started_or_inprogress(api: Api) -> None:
    campaign_id = _campaign_with_leads(api, 2)
    rows = api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["data"]
    api.emulator.record_send(campaign_id, rows[1]["lead"]["email"])
    for row in rows:
        lead_id = row["lead"]["id"]
        api.ok(api.post(f"/campaigns/{campaign_id}/leads/{lead_id}/pause"))
        resumed = api.post(
            f"/campaigns/{campaign_id}/leads/{lead_id}/resume",
            {"resume_lead_with_delay_days": None},
        )
        assert api.ok(resumed) == {"ok": True, "data": "success"}
    statuses = [r["status"] for r in api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["data"]]
    assert statuses == ["STARTED", "INPROGRESS"]


def test_lead_by_email_answers_empty_object_when_absent(api: Api) -> None:
    response = api.get("/leads/", email="nobody@acme-example.com")
    assert response.status_code == 200 and response.json() == {}


def test_lead_by_email_lists_its_campaigns(api: Api) -> None:
    campaign_id = api.create_campaign("Found")
    api.add_leads(campaign_id, [{"email": "Ann@Acme-Example.com"}])
    lead = api.ok(api.get("/leads/", email="ann@acme-example.com"))
    assert lead["email"] == "Ann@Acme-Example.com"
    data = lead["lead_campaign_data"]
    assert [(d["campaign_id"], d["campaign_name"]) for d in data] == [(campaign_id, "Found")]


def test_global_unsubscribe_stops_everywhere_and_blocks_imports(api: Api) -> None:
    first, second = api.create_campaign("a"), api.create_campaign("b")
    for campaign_id in (first, second):
        api.add_leads(campaign_id, [{"email": "ann@acme-example.com"}])
    lead_id = _only_lead(api, first)["id"]
    assert api.ok(api.post(f"/leads/{lead_id}/unsubscribe")) == {"ok": True}
    for campaign_id in (first, second):
        row = api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["data"][0]
        assert row["status"] == "STOPPED" and row["lead"]["is_unsubscribed"] is True
    later = api.add_leads(api.create_campaign("c"), [{"email": "ann@acme-example.com"}])
    assert later["unsubscribed_leads"] == ["ann@acme-example.com"]
    missing = api.post("/leads/99/unsubscribe")
    assert missing.status_code == 404
    assert missing.json() == {"error": "Lead not found - Invalid lead_id."}


def test_categories_are_the_defaults(api: Api) -> None:
    names = [c["name"] for c in api.ok(api.get("/leads/fetch-categories"))]
    assert names == [
        "Interested",
        "Meeting Request",
        "Not Interested",
        "Do Not Contact",
        "Information Request",
        "Out Of Office",
        "Wrong Person",
    ]


def test_block_list_routes_feed_the_import_check(api: Api) -> None:
    added = api.post(
        "/leads/add-domain-block-list",
        {"domain_block_list": ["spam-example.com", "x@acme-example.com"]},
    )
    assert api.ok(added) == {"uploadCount": 2, "totalDomainAdded": 2}
    listed = api.ok(api.get("/leads/get-domain-block-list"))
    assert [b["email_or_domain"] for b in listed] == ["spam-example.com", "x@acme-example.com"]
    result = api.add_leads(api.create_campaign(), [{"email": "y@spam-example.com"}])
    assert result["block_count"] == 1
    api.ok(api.delete("/leads/delete-domain-block-list", id=listed[0]["id"]))
    assert len(api.ok(api.get("/leads/get-domain-block-list"))) == 1


def test_lead_routes_of_missing_campaign_are_404(api: Api) -> None:
    for response in (
        api.get("/campaigns/5/leads"),
        api.get("/campaigns/5/leads-export"),
        api.post("/campaigns/5/leads", {"lead_list": [{"email": "a@b.co"}]}),
    ):
        assert response.status_code == 404
        assert response.json() == {"error": "Campaign not found - Invalid campaign_id."}
