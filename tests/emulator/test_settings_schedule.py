"""Settings and schedule: write vocabulary in, read vocabulary out, errors (§3.7-§3.9)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.conftest import SCHEDULE, Api, ServeFactory


def _settings(api: Api, campaign_id: int, body: dict[str, Any]) -> Any:
    return api.post(f"/campaigns/{campaign_id}/settings", body)


def test_track_settings_write_names_read_back_without_track(api: Api) -> None:
    campaign_id = api.create_campaign()
    body = {"track_settings": ["DONT_TRACK_EMAIL_OPEN", "DONT_TRACK_LINK_CLICK"]}
    assert api.ok(_settings(api, campaign_id, body)) == {"ok": True}
    campaign = api.ok(api.get(f"/campaigns/{campaign_id}"))
    assert campaign["track_settings"] == ["DONT_EMAIL_OPEN", "DONT_LINK_CLICK"]


def test_track_settings_read_names_are_rejected_on_write(api: Api) -> None:
    response = _settings(api, api.create_campaign(), {"track_settings": ["DONT_EMAIL_OPEN"]})
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid track_settings value - DONT_EMAIL_OPEN"}


def test_track_settings_read_names_accepted_by_switch(serve: ServeFactory) -> None:
    api = serve(track_settings_on_write="accept_read_names")
    campaign_id = api.create_campaign()
    api.ok(_settings(api, campaign_id, {"track_settings": ["DONT_EMAIL_OPEN"]}))
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["track_settings"] == ["DONT_EMAIL_OPEN"]


def test_empty_track_settings_turns_all_tracking_on(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.ok(_settings(api, campaign_id, {"track_settings": ["DONT_TRACK_EMAIL_OPEN"]}))
    api.ok(_settings(api, campaign_id, {"track_settings": []}))
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["track_settings"] == []


def test_invalid_stop_lead_settings(api: Api) -> None:
    response = _settings(api, api.create_campaign(), {"stop_lead_settings": "OPENED_EMAIL"})
    assert response.status_code == 400
    assert response.json() == {"error": "Invalid stop_lead_settings value - OPENED_EMAIL"}


def test_settings_are_a_partial_update(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.ok(_settings(api, campaign_id, {"follow_up_percentage": 40, "unsubscribe_text": "Bye"}))
    api.ok(_settings(api, campaign_id, {"stop_lead_settings": "CLICK_ON_A_LINK"}))
    campaign = api.ok(api.get(f"/campaigns/{campaign_id}"))
    assert campaign["follow_up_percentage"] == 40
    assert campaign["unsubscribe_text"] == "Bye"
    assert campaign["stop_lead_settings"] == "CLICK_ON_A_LINK"


def test_settings_rename_and_client(api: Api) -> None:
    campaign_id = api.create_campaign("Old")
    api.ok(_settings(api, campaign_id, {"name": "New", "client_id": 12}))
    campaign = api.ok(api.get(f"/campaigns/{campaign_id}"))
    assert (campaign["name"], campaign["client_id"]) == ("New", 12)


def test_write_only_settings_are_stored_but_never_returned(api: Api) -> None:
    campaign_id = api.create_campaign()
    hidden = {
        "force_plain_text": True,
        "bounce_autopause_threshold": "5",
        "out_of_office_detection_settings": {"ignoreOOOasReply": True},
        "ai_categorisation_options": [1, 2],
    }
    api.ok(_settings(api, campaign_id, hidden))
    campaign = api.ok(api.get(f"/campaigns/{campaign_id}"))
    assert not set(hidden) & set(campaign)
    assert api.emulator.raw_campaign(campaign_id)["write_only_settings"] == hidden


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"sending_limit": 10}, '"sending_limit" is not allowed'),
        ({"min_time_btwn_emails": 5}, '"min_time_btwn_emails" is not allowed'),
        ({"follow_up_percentage": 140}, '"follow_up_percentage" must be less than or equal to 100'),
        ({"follow_up_percentage": "40"}, '"follow_up_percentage" must be a number'),
        ({"send_as_plain_text": "yes"}, '"send_as_plain_text" must be a boolean'),
        (
            {"out_of_office_detection_settings": {"x": 1}},
            '"out_of_office_detection_settings.x" is not allowed',
        ),
    ],
)
def test_settings_joi_errors(api: Api, body: dict[str, Any], message: str) -> None:
    response = _settings(api, api.create_campaign(), body)
    assert response.status_code == 400
    assert response.json()["error"] == "Bad Request"
    assert response.json()["message"] == message


def test_failed_settings_change_nothing(api: Api) -> None:
    campaign_id = api.create_campaign()
    body = {"follow_up_percentage": 10, "stop_lead_settings": "NOPE"}
    assert _settings(api, campaign_id, body).status_code == 400
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["follow_up_percentage"] == 100


def test_schedule_reads_back_as_cron_value_and_renamed_fields(api: Api) -> None:
    campaign_id = api.create_campaign()
    body = {**SCHEDULE, "schedule_start_time": "2030-01-06T09:00:00+01:00"}
    assert api.ok(api.post(f"/campaigns/{campaign_id}/schedule", body)) == {"ok": True}
    campaign = api.ok(api.get(f"/campaigns/{campaign_id}"))
    assert campaign["scheduler_cron_value"] == {
        "tz": "America/New_York",
        "days": [1, 2, 3, 4, 5],
        "startHour": "09:00",
        "endHour": "17:00",
    }
    assert campaign["min_time_btwn_emails"] == 10
    assert campaign["max_leads_per_day"] == 50
    assert campaign["schedule_start_time"] == "2030-01-06T08:00:00.000Z"


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"timezone": "Mars/Olympus"}, "Invalid timezone - Mars/Olympus"),
        ({"start_hour": "9am"}, "Invalid start_hour - 9am"),
        ({"end_hour": "25:00"}, "Invalid end_hour - 25:00"),
        ({"start_hour": "18:00"}, "startHour cannot be greater that endHour"),
    ],
)
def test_schedule_flat_errors(api: Api, change: dict[str, Any], error: str) -> None:
    response = api.post(f"/campaigns/{api.create_campaign()}/schedule", {**SCHEDULE, **change})
    assert response.status_code == 400
    assert response.json() == {"error": error}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {k: v for k, v in SCHEDULE.items() if k != "max_new_leads_per_day"},
            '"max_new_leads_per_day" is required',
        ),
        ({**SCHEDULE, "client_id": 3}, '"client_id" is not allowed'),
        ({**SCHEDULE, "min_time_btwn_emails": 3}, '"min_time_btwn_emails" is not allowed'),
        ({"schedule": SCHEDULE}, '"schedule" is not allowed'),
        (
            {**SCHEDULE, "days_of_the_week": [1, 7]},
            '"days_of_the_week[1]" must be less than or equal to 6',
        ),
        ({**SCHEDULE, "days_of_the_week": []}, '"days_of_the_week" must contain at least 1 items'),
    ],
)
def test_schedule_joi_errors(api: Api, body: dict[str, Any], message: str) -> None:
    response = api.post(f"/campaigns/{api.create_campaign()}/schedule", body)
    assert response.status_code == 400
    assert response.json()["message"] == message


def test_day_seven_accepted_by_switch(serve: ServeFactory) -> None:
    api = serve(accept_day_7=True)
    campaign_id = api.create_campaign()
    api.ok(api.post(f"/campaigns/{campaign_id}/schedule", {**SCHEDULE, "days_of_the_week": [7]}))
    assert api.ok(api.get(f"/campaigns/{campaign_id}"))["scheduler_cron_value"]["days"] == [7]


def test_settings_and_schedule_of_missing_campaign_are_404(api: Api) -> None:
    for path, body in (("settings", {"name": "x"}), ("schedule", SCHEDULE)):
        response = api.post(f"/campaigns/424242/{path}", body)
        assert response.status_code == 404
        assert response.json() == {"error": "Campaign not found - Invalid campaign_id."}
