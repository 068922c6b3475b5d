"""Analytics and statistics routes (smartlead-api.md §8) over HTTP, fed by simulated sends."""

from __future__ import annotations

from typing import Any

import httpx

from tests.emulator.conftest import Api


def _ab_campaign(api: Api) -> tuple[int, dict[str, int]]:
    campaign_id = api.create_campaign("AB")
    api.ok(
        api.post(
            f"/campaigns/{campaign_id}/sequences",
            {
                "sequences": [
                    {
                        "seq_number": 1,
                        "seq_delay_details": {"delay_in_days": 0},
                        "seq_variants": [
                            {"subject": "A", "email_body": "a", "variant_label": "A"},
                            {"subject": "B", "email_body": "b", "variant_label": "B"},
                        ],
                    }
                ]
            },
        )
    )
    steps = api.ok(api.get(f"/campaigns/{campaign_id}/sequences"))
    variants = {v["variant_label"]: v["id"] for v in steps[0]["sequence_variants"]}
    return campaign_id, variants


def test_analytics_counts_are_strings_and_replies_count_leads(api: Api) -> None:
    campaign_id, _ = _ab_campaign(api)
    api.emulator.simulate_sends(campaign_id, 10, variant_label="A", replies=3, bounces=2)
    api.emulator.simulate_sends(campaign_id, 5, variant_label="B", opens=4, unsubscribes=1)
    body = api.ok(api.get(f"/campaigns/{campaign_id}/analytics"))
    counts = {k: body[k] for k in ("sent_count", "reply_count", "bounce_count", "open_count")}
    assert counts == {
        "sent_count": "15",
        "reply_count": "3",
        "bounce_count": "2",
        "open_count": "4",
    }
    assert body["unsubscribed_count"] == "1" and body["sequence_count"] == "1"
    assert body["campaign_lead_stats"]["total"] == 0


def test_statistics_rows_carry_the_variant_and_event_times_and_page_by_1000(api: Api) -> None:
    campaign_id, variants = _ab_campaign(api)
    api.emulator.simulate_sends(campaign_id, 4, variant_label="B", replies=1, positive_replies=1)
    body = api.ok(api.get(f"/campaigns/{campaign_id}/statistics", email_sequence_number=1))
    assert body["total_stats"] == "4"
    first: dict[str, Any] = body["data"][0]
    assert first["seq_variant_id"] == variants["B"] and first["sequence_number"] == 1
    assert first["reply_time"] and first["lead_category"] == "Interested"
    assert first["is_bounced"] is False and first["open_time"] is None
    replied = api.ok(
        api.get(f"/campaigns/{campaign_id}/statistics", email_status="replied", limit=2)
    )
    assert (replied["total_stats"], len(replied["data"])) == ("1", 1)
    too_many = api.get(f"/campaigns/{campaign_id}/statistics", limit=1001)
    assert too_many.status_code == 400
    assert "less than or equal to 1000" in too_many.json()["message"]


def test_analytics_by_date_counts_a_window_of_at_most_30_days(api: Api) -> None:
    campaign_id, _ = _ab_campaign(api)
    api.emulator.simulate_sends(
        campaign_id, 3, variant_label="A", bounces=1, sent_time="2026-11-01T10:00:00.000Z"
    )
    api.emulator.simulate_sends(
        campaign_id, 5, variant_label="A", sent_time="2026-11-20T10:00:00.000Z"
    )
    path = f"/campaigns/{campaign_id}/analytics-by-date"
    window = api.ok(api.get(path, start_date="2026-11-15", end_date="2026-11-29"))
    assert (window["sent_count"], window["bounce_count"]) == ("5", "0")
    wide = api.get(path, start_date="2026-10-01", end_date="2026-11-29")
    assert wide.status_code == 400
    assert wide.json() == {
        "error": "Invalid start_date & end_date range. Date difference should be max of 30days."
    }


def test_sends_can_be_simulated_from_another_process_over_introspection(api: Api) -> None:
    campaign_id, _ = _ab_campaign(api)
    root = api.server.root_url
    action = f"{root}/_emulator/actions/simulate_sends"
    done = httpx.post(action, json={"campaign_id": campaign_id, "sends": 5, "variant_label": "B"})
    assert done.status_code == 200 and done.json()["ok"] is True
    body = api.ok(api.get(f"/campaigns/{campaign_id}/analytics"))
    assert body["sent_count"] == "5"
    missing = httpx.post(action, json={"campaign_id": campaign_id, "sends": 1, "seq_number": 9})
    assert missing.status_code == 404 and "has no step 9" in missing.json()["error"]
    bad = httpx.post(action, json={"campaign_id": campaign_id, "sends": 2, "bounces": 3})
    assert bad.status_code == 400 and "sends must be at least bounces" in bad.json()["error"]
