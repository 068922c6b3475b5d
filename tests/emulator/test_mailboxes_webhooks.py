"""Email accounts and webhooks (§6, §7, §13.9, §13.10)."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from smartlead_sync.emulator import SEEDED_MAILBOXES
from tests.emulator.conftest import Api, ServeFactory


def test_seeded_mailboxes_listed_with_base64_passwords(api: Api) -> None:
    accounts = api.ok(api.get("/email-accounts/", offset=0, limit=100))
    assert [a["from_email"] for a in accounts] == [m[0] for m in SEEDED_MAILBOXES]
    first = accounts[0]
    plain = api.ok(api.get(f"/email-accounts/{first['id']}/"))["password"]
    assert base64.b64decode(first["password"]).decode() == plain
    assert first["warmup_details"]["warmup_reputation"] == "100%"


def test_account_list_limit_is_100(api: Api) -> None:
    response = api.get("/email-accounts/", limit=101)
    assert response.status_code == 400
    assert response.json()["message"] == '"limit" must be less than or equal to 100'


def test_attach_and_detach(api: Api) -> None:
    campaign_id = api.create_campaign()
    ids = [a["id"] for a in api.ok(api.get("/email-accounts/"))][:2]
    attached = api.ok(
        api.post(f"/campaigns/{campaign_id}/email-accounts", {"email_account_ids": ids})
    )
    assert attached["ok"] is True
    assert [r["email_account_id"] for r in attached["result"]] == ids
    assert all(r["email_campaign_id"] == campaign_id for r in attached["result"])
    listed = api.ok(api.get(f"/campaigns/{campaign_id}/email-accounts"))
    assert [a["id"] for a in listed] == ids
    assert "password" in listed[0]  # the real API returns credentials; clients drop them
    detached = api.delete(
        f"/campaigns/{campaign_id}/email-accounts", {"email_account_ids": ids[:1]}
    )
    assert api.ok(detached) == {"ok": True, "result": 1}
    assert [a["id"] for a in api.ok(api.get(f"/campaigns/{campaign_id}/email-accounts"))] == ids[1:]


def test_attach_is_idempotent(api: Api) -> None:
    campaign_id = api.create_campaign()
    account_id = api.ok(api.get("/email-accounts/"))[0]["id"]
    for _ in range(2):
        api.ok(
            api.post(
                f"/campaigns/{campaign_id}/email-accounts", {"email_account_ids": [account_id]}
            )
        )
    assert len(api.ok(api.get(f"/campaigns/{campaign_id}/email-accounts"))) == 1


def test_foreign_account_is_a_permission_error(api: Api) -> None:
    campaign_id = api.create_campaign()
    response = api.post(f"/campaigns/{campaign_id}/email-accounts", {"email_account_ids": [7]})
    assert response.status_code == 400
    assert response.json() == {"error": "Email account id - 7 not allowed. Permission Error."}


def test_mailbox_routes_of_missing_campaign_are_404(api: Api) -> None:
    response = api.post("/campaigns/77/email-accounts", {"email_account_ids": [1]})
    assert response.status_code == 404
    assert response.json() == {"error": "Campaign not found - Invalid campaign_id."}


def _hook(**changes: Any) -> dict[str, Any]:
    return {
        "id": None,
        "name": "Replies to CRM",
        "webhook_url": "https://hooks.example.com/r",
        "event_types": ["EMAIL_REPLY", "LEAD_CATEGORY_UPDATED"],
        "categories": ["Interested", "Meeting Request"],
        **changes,
    }


def test_upsert_creates_then_updates_and_lists_bare_array(api: Api) -> None:
    campaign_id = api.create_campaign()
    created = api.ok(api.post(f"/campaigns/{campaign_id}/webhooks", _hook()))
    assert created["event_type_map"] == {"EMAIL_REPLY": True, "LEAD_CATEGORY_UPDATED": True}
    assert created["category_id_map"] == {"1": True, "2": True}
    hook_id = created["id"]
    updated = api.post(
        f"/campaigns/{campaign_id}/webhooks", _hook(id=hook_id, event_types=["EMAIL_BOUNCE"])
    )
    assert api.ok(updated)["id"] == hook_id
    listed = api.ok(api.get(f"/campaigns/{campaign_id}/webhooks"))
    assert len(listed) == 1
    assert listed[0]["id"] == hook_id and listed[0]["event_types"] == ["EMAIL_BOUNCE"]
    assert listed[0]["categories"] == ["Interested", "Meeting Request"]
    assert listed[0]["email_campaign_id"] == campaign_id


def test_upsert_answers_arrays_by_switch(serve: ServeFactory) -> None:
    api = serve(webhook_upsert_response="arrays")
    created = api.ok(api.post(f"/campaigns/{api.create_campaign()}/webhooks", _hook()))
    assert created["event_types"] == ["EMAIL_REPLY", "LEAD_CATEGORY_UPDATED"]
    assert created["categories"] == ["Interested", "Meeting Request"]
    assert "event_type_map" not in created


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"webhook_url": "not a url"}, "Invalid webhook_url - not a url"),
        (
            {"webhook_url": "ftp://hooks.example.com"},
            "Invalid webhook_url - ftp://hooks.example.com",
        ),
        ({"event_types": ["EMAIL_REPLIED"]}, "Invalid event_types - EMAIL_REPLIED"),
        ({"categories": ["Hot"]}, "Invalid category - Hot"),
        ({"categories": []}, "Invalid category - []"),
    ],
)
def test_upsert_validation(api: Api, change: dict[str, Any], error: str) -> None:
    campaign_id = api.create_campaign()
    response = api.post(f"/campaigns/{campaign_id}/webhooks", _hook(**change))
    assert response.status_code == 400
    assert response.json() == {"error": error}
    assert api.ok(api.get(f"/campaigns/{campaign_id}/webhooks")) == []


def test_all_eleven_event_names_are_accepted(api: Api) -> None:
    from smartlead_sync.emulator.webhooks import EVENT_TYPES

    campaign_id = api.create_campaign()
    api.ok(api.post(f"/campaigns/{campaign_id}/webhooks", _hook(event_types=list(EVENT_TYPES))))
    assert len(EVENT_TYPES) == 11


def test_delete_by_body_and_by_path(api: Api) -> None:
    campaign_id = api.create_campaign()
    first = api.ok(api.post(f"/campaigns/{campaign_id}/webhooks", _hook()))["id"]
    second = api.ok(api.post(f"/campaigns/{campaign_id}/webhooks", _hook(name="b")))["id"]
    assert api.ok(api.delete(f"/campaigns/{campaign_id}/webhooks", {"id": first})) == {"ok": True}
    assert api.ok(api.delete(f"/campaigns/{campaign_id}/webhooks/{second}")) == {"ok": True}
    assert api.ok(api.get(f"/campaigns/{campaign_id}/webhooks")) == []
    assert api.delete(f"/campaigns/{campaign_id}/webhooks", {"id": first}).status_code == 404


def test_webhooks_of_missing_campaign_are_404(api: Api) -> None:
    response = api.get("/campaigns/99/webhooks")
    assert response.status_code == 404
    assert response.json() == {"error": "Campaign not found - Invalid campaign_id."}
