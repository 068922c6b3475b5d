from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from smartlead_sync.smartlead.provider import SkipReason, SmartleadProvider
from smartlead_sync.state import (
    CampaignSettings,
    Distribution,
    Lead,
    LeadPolicy,
    OtherCampaignDuplicates,
    Schedule,
    Status,
    Step,
    StopOn,
    Variant,
    Webhook,
)
from tests.smartlead.fakes import Recorder, make_client

BIG = 2**31 + 17

CAMPAIGN = {
    "id": 2710262,
    "name": "Q3 founders",
    "client_id": 12,
    "status": "ACTIVE",
    "track_settings": ["DONT_LINK_CLICK"],
    "stop_lead_settings": "REPLY_TO_AN_EMAIL",
    "scheduler_cron_value": {
        "tz": "America/New_York",
        "days": [1, 2, 7],
        "startHour": "9:00",
        "endHour": "17:30",
    },
    "min_time_btwn_emails": 10,
    "max_leads_per_day": "40",
    "send_as_plain_text": False,
    "follow_up_percentage": "40%",
    "unsubscribe_text": "bye",
    "enable_ai_esp_matching": True,
}
SEQUENCES = [
    {
        "id": 22,
        "seq_number": 2,
        "seq_delay_details": {"delayInDays": "3"},
        "subject": "",
        "email_body": "bump",
        "sequence_variants": [],
    },
    {
        "id": 21,
        "seq_number": 1,
        "seq_delay_details": {"delayInDays": 0},
        "subject": "",
        "email_body": "",
        "sequence_variants": [
            {
                "id": 302,
                "variant_label": "B",
                "subject": "s2",
                "email_body": "b2",
                "variant_distribution_percentage": None,
            },
            {
                "id": 301,
                "variant_label": "A",
                "subject": "s1",
                "email_body": "b1",
                "variant_distribution_percentage": 60,
            },
            {
                "id": 300,
                "variant_label": "C",
                "subject": "x",
                "email_body": "x",
                "is_deleted": True,
            },
        ],
    },
]
ACCOUNTS = [
    {"id": 5, "from_email": "Bob@Acme.com", "password": "secret"},
    {"id": 4, "from_email": "al@acme.com"},
]
HOOKS = [
    {
        "id": 9,
        "name": "crm",
        "webhook_url": "https://h.io/x",
        "event_type_map": {"EMAIL_REPLY": True, "EMAIL_SENT": False},
        "category_id_map": {"1": True},
    }
]
EXPORT = (
    "id,campaign_lead_map_id,email,first_name,last_name,company_name,custom_fields\n"
    f'{BIG},77,Jane@Acme.com,Jane,,Acme,"{{""Job Title"": ""CTO""}}"\n'
)


def _route(request: httpx.Request) -> str:
    return f"{request.method} {request.url.path.removeprefix('/api/v1')}"


def _read_handler(export_status: int = 200) -> Recorder:
    def handle(request: httpx.Request) -> httpx.Response:
        route = _route(request)
        if route == "GET /campaigns/2710262/leads-export":
            return httpx.Response(export_status, text=EXPORT if export_status == 200 else "no")
        if route == "GET /campaigns/2710262/leads":
            row = {
                "campaign_lead_map_id": 77,
                "lead": {
                    "id": BIG,
                    "email": "Jane@Acme.com",
                    "first_name": "Jane",
                    "company_name": "Acme",
                    "custom_fields": {"Job Title": "CTO"},
                },
            }
            return httpx.Response(200, json={"total_leads": "1", "data": [row]})
        body: Any = {
            "GET /campaigns/2710262": CAMPAIGN,
            "GET /campaigns/2710262/sequences": SEQUENCES,
            "GET /campaigns/2710262/email-accounts": ACCOUNTS,
            "GET /campaigns/2710262/webhooks": HOOKS,
            "GET /leads/fetch-categories": [{"id": 1, "name": "Interested"}],
        }[route]
        return httpx.Response(200, json=body)

    return Recorder(handle)


def test_read_campaign_maps_every_read_name_into_state() -> None:
    rec = _read_handler()
    state = SmartleadProvider(make_client(rec)).read_campaign(2710262)
    assert (state.id, state.name, state.client_id, state.status) == (
        2710262,
        "Q3 founders",
        12,
        Status.ACTIVE,
    )
    assert state.settings == CampaignSettings(
        track_opens=True,
        track_clicks=False,
        track_replies=True,
        stop_on=StopOn.REPLY,
        send_as_plain_text=False,
        follow_up_percentage=40,
        unsubscribe_text="bye",
        ai_esp_matching=True,
    )
    assert state.schedule == Schedule("America/New_York", (0, 1, 2), "09:00", "17:30", 10, 40)
    assert state.sequence is not None
    first, second = state.sequence
    assert (first.number, first.id, second.delay_days) == (1, 21, 3)
    assert first.variants == (
        Variant("A", "s1", "b1", 60, 301),
        Variant("B", "s2", "b2", None, 302),
    )
    assert state.mailboxes == ("al@acme.com", "bob@acme.com")
    assert state.webhooks == (
        Webhook("crm", "https://h.io/x", ("EMAIL_REPLY",), ("Interested",), 9),
    )
    assert state.leads is not None
    jane = state.leads["jane@acme.com"]
    assert (jane.id, jane.first_name, jane.last_name, jane.custom_fields) == (
        BIG,
        "Jane",
        None,
        (("Job Title", "CTO"),),
    )
    reads = [r for r in rec.routes() if r != "GET /leads/fetch-categories"]
    assert len(reads) == 5


def test_leads_fall_back_to_paging_when_the_export_fails() -> None:
    rec = _read_handler(export_status=404)
    leads = SmartleadProvider(make_client(rec)).read_leads(2710262)
    assert list(leads) == ["jane@acme.com"]
    assert leads["jane@acme.com"].custom_fields == (("Job Title", "CTO"),)
    assert rec.routes()[-1] == "GET /campaigns/2710262/leads"


class LossyCampaigns:
    """A campaign store whose create commits, then loses the first `lose` responses."""

    def __init__(self, lose: int, commit_before_failure: bool = True) -> None:
        self.campaigns: list[dict[str, Any]] = [{"id": 100, "name": "other", "client_id": None}]
        self.lose = lose
        self.commit = commit_before_failure

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json=self.campaigns[::-1])
        body = json.loads(request.content)
        if self.lose == 0 or self.commit:
            self.campaigns.append({"id": 100 + len(self.campaigns), **body})
        if self.lose > 0:
            self.lose -= 1
            raise httpx.ReadTimeout("timed out", request=request)
        return httpx.Response(200, json={"ok": True, "id": self.campaigns[-1]["id"]})


@pytest.mark.parametrize("commit", [True, False])
def test_create_campaign_after_a_lost_response_is_never_duplicated(commit: bool) -> None:
    store = LossyCampaigns(lose=1, commit_before_failure=commit)
    provider = SmartleadProvider(make_client(Recorder(store)))
    new_id = provider.create_campaign("Q3", 12)
    same_name = [c for c in store.campaigns if c["name"] == "Q3"]
    assert len(same_name) == 1
    assert same_name[0]["id"] == new_id


def test_upsert_webhook_create_without_id_in_response_finds_it_by_name() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(
                200,
                json=[
                    {"id": 55, "name": "crm", "webhook_url": "https://h.io/x"},
                    {"id": 3, "name": "x", "webhook_url": "https://h.io/y"},
                ],
            )
        return httpx.Response(200, json={"ok": True, "name": "crm"})

    rec = Recorder(handle)
    hook = Webhook("crm", "https://h.io/x", ("EMAIL_REPLY",), ("Interested",))
    assert SmartleadProvider(make_client(rec)).upsert_webhook(1, hook) == 55
    assert rec.body(0) == {
        "id": None,
        "name": "crm",
        "webhook_url": "https://h.io/x",
        "event_types": ["EMAIL_REPLY"],
        "categories": ["Interested"],
    }


def _writes(action: Any) -> Recorder:
    rec = Recorder(lambda r: httpx.Response(200, json={"ok": True}))
    action(SmartleadProvider(make_client(rec)))
    return rec


def test_settings_send_only_what_is_set_with_tracking_merged_over_current() -> None:
    rec = _writes(
        lambda p: p.update_settings(
            1,
            CampaignSettings(track_opens=False, stop_on=StopOn.CLICK, follow_up_percentage=20),
            current=CampaignSettings(track_clicks=False, track_replies=True),
        )
    )
    assert rec.body() == {
        "track_settings": ["DONT_TRACK_EMAIL_OPEN", "DONT_TRACK_LINK_CLICK"],
        "stop_lead_settings": "CLICK_ON_A_LINK",
        "follow_up_percentage": 20,
    }
    assert _writes(lambda p: p.update_settings(1, CampaignSettings())).requests == []


def test_schedule_status_and_sequence_use_write_names() -> None:
    schedule = Schedule("UTC", (1, 2), "08:00", "16:00", 12, 30)
    steps = [
        Step(
            1,
            0,
            variants=(Variant("A", "s", "b", 50, 301), Variant("B", "t", "c", 50)),
            distribution=Distribution.PERCENTAGE,
            id=21,
        ),
        Step(2, 3, "", "bump"),
    ]
    rec = _writes(
        lambda p: (
            p.save_schedule(1, schedule),
            p.set_status(1, Status.ACTIVE),
            p.save_sequence(1, steps),
        )
    )
    assert rec.body(0) == {
        "timezone": "UTC",
        "days_of_the_week": [1, 2],
        "start_hour": "08:00",
        "end_hour": "16:00",
        "min_time_btw_emails": 12,
        "max_new_leads_per_day": 30,
    }
    assert rec.body(1) == {"status": "START"}
    first, second = rec.body(2)["sequences"]
    assert first["seq_delay_details"] == {"delay_in_days": 0}
    assert first["variant_distribution_type"] == "MANUAL_PERCENTAGE"
    assert first["seq_variants"][0]["id"] == 301
    assert "id" not in first["seq_variants"][1]
    assert second["id"] is None and "seq_variants" not in second


def test_status_that_cannot_be_written_is_refused() -> None:
    with pytest.raises(ValueError, match="drafted"):
        _writes(lambda p: p.set_status(1, Status.DRAFTED))


def test_update_lead_always_sends_email() -> None:
    lead = Lead("jane@acme.com", first_name="Jane", custom_fields=(("k", "v"),), id=BIG)
    rec = _writes(lambda p: p.update_lead(1, lead))
    assert rec.routes() == [f"POST /campaigns/1/leads/{BIG}"]
    assert rec.body() == {
        "email": "jane@acme.com",
        "first_name": "Jane",
        "custom_fields": {"k": "v"},
    }


def _add(response: dict[str, Any], leads: list[Lead], policy: LeadPolicy | None = None) -> Any:
    rec = Recorder(lambda r: httpx.Response(200, json=response))
    result = SmartleadProvider(make_client(rec)).add_leads(1, leads, policy or LeadPolicy())
    return result, rec


def test_add_leads_gives_every_lead_an_outcome() -> None:
    emails = [
        "new@a.io",
        "NEW@a.io",
        "bad@",
        "unsub@a.io",
        "other@a.io",
        "here@a.io",
        "blocked@a.io",
    ]
    response = {
        "ok": True,
        "upload_count": 1,
        "total_leads": "1",
        "already_added_to_campaign": 1,
        "invalid_email_count": 1,
        "invalid_emails": ["bad@"],
        "unsubscribed_leads": ["unsub@a.io"],
        "block_count": 1,
        "bounce_count": 0,
        "emailToLeadIdMap": {
            "newlyAddedLeads": {"new@a.io": str(BIG)},
            "existingLeads": {"here@a.io": "5"},
            "existingLeadsInOtherCampaigns": {"other@a.io": "6"},
        },
    }
    result, rec = _add(response, [Lead(e) for e in emails])
    assert result.added == {"new@a.io": BIG}
    assert result.skipped == {
        "bad@": SkipReason.INVALID_EMAIL,
        "unsub@a.io": SkipReason.UNSUBSCRIBED,
        "other@a.io": SkipReason.IN_OTHER_CAMPAIGN,
        "here@a.io": SkipReason.ALREADY_IN_CAMPAIGN,
        "blocked@a.io": SkipReason.BLOCKED,
        "new@a.io": SkipReason.DUPLICATE_IN_BATCH,
    }
    sent = rec.body()
    assert len(sent["lead_list"]) == 6  # the in-batch duplicate was never sent
    assert sent["settings"]["return_lead_ids"] is True
    assert sent["settings"]["ignore_duplicate_leads_in_other_campaign"] is True


def test_add_leads_with_other_campaigns_allowed_counts_them_as_added() -> None:
    response = {"ok": True, "emailToLeadIdMap": {"existingLeadsInOtherCampaigns": {"o@a.io": 6}}}
    policy = LeadPolicy(other_campaign_duplicates=OtherCampaignDuplicates.ALLOW)
    result, rec = _add(response, [Lead("o@a.io")], policy)
    assert result.added == {"o@a.io": 6}
    assert rec.body()["settings"]["ignore_duplicate_leads_in_other_campaign"] is False


def test_add_leads_credit_limit_stops_the_tail_of_the_batch() -> None:
    response = {
        "ok": False,
        "is_lead_limit_exhausted": True,
        "lead_import_stopped_count": 2,
        "error": "The lead credit limit has been reached",
        "emailToLeadIdMap": {"newlyAddedLeads": {"a@a.io": 1}},
    }
    result, _ = _add(response, [Lead("a@a.io"), Lead("b@a.io"), Lead("c@a.io")])
    assert result.limit_exhausted
    assert result.added == {"a@a.io": 1}
    assert result.skipped == {"b@a.io": SkipReason.CREDIT_LIMIT, "c@a.io": SkipReason.CREDIT_LIMIT}


def _add_with_block_list(
    response: dict[str, Any], blocked: list[str], leads: list[Lead]
) -> tuple[Any, Recorder]:
    """The add answer for the POST, the block list (§5.7) for the GET."""

    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(200, json=response)
        rows = [{"id": i + 1, "email_or_domain": v} for i, v in enumerate(blocked)]
        return httpx.Response(200, json=rows)

    rec = Recorder(handle)
    return SmartleadProvider(make_client(rec)).add_leads(1, leads, LeadPolicy()), rec


BLOCKED_AND_BOUNCED = {
    "ok": True,
    "block_count": 1,
    "bounce_count": 1,
    "emailToLeadIdMap": {"newlyAddedLeads": {}},
}


def test_add_leads_unexplained_rows_are_unknown_not_dropped() -> None:
    result, rec = _add_with_block_list(BLOCKED_AND_BOUNCED, [], [Lead("a@a.io"), Lead("b@a.io")])
    assert result.skipped == {"a@a.io": SkipReason.UNKNOWN, "b@a.io": SkipReason.UNKNOWN}
    assert rec.routes() == ["POST /campaigns/1/leads", "GET /leads/get-domain-block-list"]


def test_blocked_and_bounced_counts_are_told_apart_by_the_block_list() -> None:
    leads = [Lead("a@a.io"), Lead("b@a.io"), Lead("c@c.io")]
    response = {**BLOCKED_AND_BOUNCED, "block_count": 2}
    result, rec = _add_with_block_list(response, ["a@a.io", "c.io"], leads)
    assert result.skipped == {
        "a@a.io": SkipReason.BLOCKED,
        "b@a.io": SkipReason.BOUNCED,
        "c@c.io": SkipReason.BLOCKED,  # its whole domain is blocked
    }
    reads = [r.url.params["filter_email_or_domain"] for r in rec.requests if r.method == "GET"]
    assert reads == ["a.io", "c.io"]  # one read per domain of the unexplained leads


def test_add_leads_without_id_map_learns_ids_from_the_lead_list() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(200, json={"ok": True, "upload_count": 1})
        return httpx.Response(200, text=f"id,email\n{BIG},a@a.io\n")

    rec = Recorder(handle)
    result = SmartleadProvider(make_client(rec)).add_leads(
        1, [Lead("a@a.io"), Lead("b@a.io")], LeadPolicy()
    )
    assert result.added == {"a@a.io": BIG}
    assert result.skipped == {"b@a.io": SkipReason.UNKNOWN}


def test_mailboxes_are_paged_by_100_and_carry_no_password() -> None:
    accounts = [{"id": i, "from_email": f"S{i}@x.io", "password": "p"} for i in range(150)]

    def handle(request: httpx.Request) -> httpx.Response:
        offset, limit = int(request.url.params["offset"]), int(request.url.params["limit"])
        return httpx.Response(200, json=accounts[offset : offset + limit])

    rec = Recorder(handle)
    mailboxes = SmartleadProvider(make_client(rec)).list_mailboxes()
    assert len(mailboxes) == 150
    assert mailboxes[149].email == "s149@x.io"
    assert len(rec.requests) == 2
    assert "password" not in repr(mailboxes)


def test_list_campaigns_reads_summaries() -> None:
    rec = Recorder(
        lambda r: httpx.Response(
            200,
            json=[
                {"id": 3640877, "name": "b", "client_id": None, "status": "DRAFTED"},
                {"id": 2710262, "name": "a", "client_id": "12", "status": "PAUSED"},
            ],
        )
    )
    summaries = SmartleadProvider(make_client(rec)).list_campaigns()
    assert [(s.id, s.client_id, s.status) for s in summaries] == [
        (3640877, None, Status.DRAFTED),
        (2710262, 12, Status.PAUSED),
    ]
