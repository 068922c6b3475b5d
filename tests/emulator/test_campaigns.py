"""Campaign list, get, create, delete and the status state machine (§3.1-§3.6, §13.5)."""

from __future__ import annotations

import pytest

from tests.emulator.conftest import Api, ServeFactory


def test_create_answers_ok_id_name_created_at_and_starts_drafted(api: Api) -> None:
    created = api.ok(api.post("/campaigns/create", {"name": "Q3", "client_id": None}))
    assert set(created) == {"ok", "id", "name", "created_at"}
    assert created["ok"] is True and created["name"] == "Q3"
    assert created["id"] > 1_000_000
    campaign = api.ok(api.get(f"/campaigns/{created['id']}"))
    assert campaign["status"] == "DRAFTED"
    assert campaign["scheduler_cron_value"] is None
    assert api.ok(api.get(f"/campaigns/{created['id']}/sequences")) == []
    assert api.ok(api.get(f"/campaigns/{created['id']}/email-accounts")) == []


def test_create_without_name_is_untitled(api: Api) -> None:
    assert api.ok(api.post("/campaigns/create", {}))["name"] == "Untitled Campaign"


def test_create_rejects_unknown_key_joi_style(api: Api) -> None:
    response = api.post("/campaigns/create", {"name": "x", "status": "ACTIVE"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "Bad Request"
    assert body["message"] == '"status" is not allowed'
    assert "validation" in body


def test_list_is_a_bare_array_newest_first(api: Api) -> None:
    ids = [api.create_campaign(name) for name in ("one", "two", "three")]
    listed = api.ok(api.get("/campaigns"))
    assert [c["id"] for c in listed] == sorted(ids, reverse=True)
    assert "tags" not in listed[0]
    assert api.ok(api.get("/campaigns", include_tags="true"))[0]["tags"] == []


def test_get_returns_the_documented_read_fields_only(api: Api) -> None:
    campaign = api.ok(api.get(f"/campaigns/{api.create_campaign()}"))
    assert "min_time_btwn_emails" in campaign and "max_leads_per_day" in campaign
    assert "min_time_btw_emails" not in campaign and "write_only_settings" not in campaign
    assert len(campaign) == 18  # [M1]: 18 attributes


def test_missing_campaign_is_404_flat_error(api: Api) -> None:
    response = api.get("/campaigns/999")
    assert response.status_code == 404
    assert response.json() == {"error": "Campaign not found - Invalid campaign_id."}


def test_missing_campaign_can_answer_empty_200(serve: ServeFactory) -> None:
    api = serve(missing_campaign_get="empty_200")
    response = api.get("/campaigns/999")
    assert response.status_code == 200 and response.json() == {}
    assert api.get("/campaigns/999/sequences").status_code == 404


def test_client_id_filters_the_list(api: Api) -> None:
    api.create_campaign("house")
    mine = api.create_campaign("agency", client_id=77)
    assert [c["id"] for c in api.ok(api.get("/campaigns", client_id="77"))] == [mine]


def test_client_scoped_key_sees_only_its_client(serve: ServeFactory) -> None:
    api = serve(client_api_keys=(("sk-client-77", 77),))
    house = api.create_campaign("house")
    scoped = Api(api.server, api.emulator, key="sk-client-77")
    own = scoped.create_campaign("theirs", client_id=None)
    assert scoped.ok(scoped.get(f"/campaigns/{own}"))["client_id"] == 77
    assert [c["id"] for c in scoped.ok(scoped.get("/campaigns"))] == [own]
    assert scoped.get(f"/campaigns/{house}").status_code == 404


def test_delete_is_permanent_and_cascades(api: Api) -> None:
    campaign_id = api.ready_campaign()
    api.add_leads(campaign_id, [{"email": "lee@acme-example.com"}])
    hook = {
        "id": None,
        "name": "h",
        "webhook_url": "https://hooks.example.com/x",
        "event_types": ["EMAIL_REPLY"],
        "categories": ["Interested"],
    }
    api.ok(api.post(f"/campaigns/{campaign_id}/webhooks", hook))
    assert api.ok(api.delete(f"/campaigns/{campaign_id}")) == {"ok": True}
    assert api.get(f"/campaigns/{campaign_id}").status_code == 404
    assert api.get(f"/campaigns/{campaign_id}/sequences").status_code == 404
    lead = api.ok(api.get("/leads/", email="lee@acme-example.com"))
    assert lead["lead_campaign_data"] == []


def _status(api: Api, campaign_id: int, status: str) -> tuple[int, dict[str, object]]:
    response = api.post(f"/campaigns/{campaign_id}/status", {"status": status})
    return response.status_code, response.json()


@pytest.mark.parametrize(
    ("missing", "expected"),
    [
        ("schedule", "no schedule set"),
        ("sequence", "no sequence steps"),
        ("mailbox", "no email accounts attached"),
    ],
)
def test_start_needs_schedule_step_and_mailbox(api: Api, missing: str, expected: str) -> None:
    campaign_id = api.ready_campaign()
    if missing == "schedule":
        api.emulator.edit_campaign(campaign_id, scheduler_cron_value=None)
    elif missing == "sequence":
        api.ok(api.post(f"/campaigns/{campaign_id}/sequences", {"sequences": []}))
    else:
        account_id = api.ok(api.get(f"/campaigns/{campaign_id}/email-accounts"))[0]["id"]
        api.ok(
            api.delete(
                f"/campaigns/{campaign_id}/email-accounts", {"email_account_ids": [account_id]}
            )
        )
    code, body = _status(api, campaign_id, "START")
    assert code == 400
    assert body == {"error": f"Campaign cannot be started - {expected}."}
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["status"] == "DRAFTED"


def test_start_reads_back_active_pause_and_resume(api: Api) -> None:
    campaign_id = api.ready_campaign()
    assert _status(api, campaign_id, "START") == (200, {"ok": True})
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["status"] == "ACTIVE"
    assert _status(api, campaign_id, "PAUSED") == (200, {"ok": True})
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["status"] == "PAUSED"
    assert _status(api, campaign_id, "START")[0] == 200
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["status"] == "ACTIVE"


def test_stopped_is_terminal(api: Api) -> None:
    campaign_id = api.ready_campaign()
    assert _status(api, campaign_id, "STOPPED")[0] == 200
    for status in ("START", "PAUSED"):
        code, body = _status(api, campaign_id, status)
        assert code == 400
        assert body["error"] == "Campaign is stopped - a stopped campaign cannot be restarted."
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["status"] == "STOPPED"


@pytest.mark.parametrize("value", ["ACTIVE", "DRAFTED", "COMPLETED", "PAUSE", "start"])
def test_only_write_vocabulary_is_accepted(api: Api, value: str) -> None:
    code, body = _status(api, api.ready_campaign(), value)
    assert code == 400
    assert body["message"] == '"status" must be one of [START, PAUSED, STOPPED]'


def test_status_accepts_patch(api: Api) -> None:
    campaign_id = api.ready_campaign()
    response = api.http.patch(f"/campaigns/{campaign_id}/status", json={"status": "START"})
    assert response.status_code == 200
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["status"] == "ACTIVE"


def test_completed_comes_only_from_the_all_leads_done_hook(api: Api) -> None:
    campaign_id = api.ready_campaign()
    api.add_leads(campaign_id, [{"email": "a@acme-example.com"}])
    api.emulator.complete_campaign(campaign_id)
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["status"] == "COMPLETED"
    leads = api.ok(api.get(f"/campaigns/{campaign_id}/leads"))["data"]
    assert [lead["status"] for lead in leads] == ["COMPLETED"]
