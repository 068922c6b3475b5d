"""Campaigns made by hand on an emulated account, as a team would have clicked them in the UI.

They are written with the raw wire payloads of smartlead-api.md (not through our client), so an
import has to cope with whatever the read side returns, quirks included.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from smartlead_sync.emulator import EMULATOR_API_KEY, TRANSPORT_BASE_URL, Emulator, EmulatorConfig

LONG_INTRO = (
    "<p>Hi {{first_name}},</p>\n"
    "<p>I noticed {{company_name}} is hiring SDRs again. Most teams we talk to lose a week per "
    "rep to list building and copy reviews before the first email goes out.</p>\n"
    "<p>We built a way to keep every campaign in git, reviewed like code, so new reps start "
    "sending on day one. Worth a 15-minute look next week?</p>\n"
    "<p>%signature%</p>"
)
LEADS: list[dict[str, Any]] = [
    {
        "email": "jane.doe@northwind.example",
        "first_name": "Jane",
        "last_name": "Doe",
        "company_name": "Northwind",
        "custom_fields": {"Role": "VP Sales", "Team size": "40"},
    },
    {
        "email": "li.wei@contoso.example",
        "first_name": "Li",
        "company_name": "Contoso",
        "website": "https://contoso.example",
        "custom_fields": {"Role": "Head of Growth"},
    },
    {"email": "sam.o@fabrikam.example", "first_name": "Sam", "company_name": "Fabrikam"},
]
LEAD_EMAILS = tuple(lead["email"] for lead in LEADS)


class Ui:
    """Calls made as the Smartlead UI would make them: raw wire payloads, checked status."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.http.request(method, path, json=body)
        response.raise_for_status()
        return response.json() if response.content else None

    def create(self, name: str, client_id: int | None = None) -> int:
        created = self.call("POST", "/campaigns/create", {"name": name, "client_id": client_id})
        return int(created["id"])

    def mailbox_ids(self, *emails: str) -> list[int]:
        accounts = self.call("GET", "/email-accounts/?offset=0&limit=100")
        return [int(a["id"]) for a in accounts if a["from_email"] in emails]


def _founders(ui: Ui) -> int:
    """An active A/B campaign with a long HTML intro, a reply step, a webhook and leads."""
    cid = ui.create("Q3 Founders Outreach")
    ui.call("POST", f"/campaigns/{cid}/settings", {
        "track_settings": ["DONT_TRACK_LINK_CLICK"],
        "stop_lead_settings": "REPLY_TO_AN_EMAIL",
        "send_as_plain_text": False,
        "follow_up_percentage": 40,
        "enable_ai_esp_matching": False,
        "unsubscribe_text": "",
    })  # fmt: skip
    ui.call("POST", f"/campaigns/{cid}/schedule", {
        "timezone": "America/New_York",
        "days_of_the_week": [1, 2, 3, 4, 5],
        "start_hour": "09:00",
        "end_hour": "17:00",
        "min_time_btw_emails": 12,
        "max_new_leads_per_day": 40,
    })  # fmt: skip
    ui.call("POST", f"/campaigns/{cid}/sequences", {"sequences": [
        {
            "seq_number": 1,
            "seq_delay_details": {"delay_in_days": 0},
            "subject": "",
            "email_body": "",
            "variant_distribution_type": "MANUAL_EQUAL",
            "seq_variants": [
                {"variant_label": "A", "subject": "Hiring SDRs at {{company_name}}?",
                 "email_body": LONG_INTRO},
                {"variant_label": "B", "subject": "{{first_name}}, a week back per rep",
                 "email_body": LONG_INTRO.replace("Worth a", "Open to a")},
            ],
        },
        {
            "seq_number": 2,
            "seq_delay_details": {"delay_in_days": 3},
            "subject": "",
            "email_body": "<p>Bumping this up, {{first_name}}.</p>",
        },
    ]})  # fmt: skip
    ids = ui.mailbox_ids("alex@outreach-example.com", "sam@outreach-example.com")
    ui.call("POST", f"/campaigns/{cid}/email-accounts", {"email_account_ids": ids})
    ui.call("POST", f"/campaigns/{cid}/webhooks", {
        "id": None,
        "name": "crm-sync",
        "webhook_url": "https://hooks.example.com/smartlead",
        "event_types": ["EMAIL_REPLY", "LEAD_CATEGORY_UPDATED"],
        "categories": ["Interested"],
    })  # fmt: skip
    ui.call("POST", f"/campaigns/{cid}/leads", {"lead_list": LEADS, "settings": {}})
    ui.call("POST", f"/campaigns/{cid}/status", {"status": "START"})
    return cid


def _agency(ui: Ui) -> int:
    """A client's drafted campaign: one short step, no leads, no webhook."""
    cid = ui.create("SaaS CFOs (Acme Agency)", client_id=4013)
    ui.call("POST", f"/campaigns/{cid}/schedule", {
        "timezone": "Europe/London",
        "days_of_the_week": [2, 4],
        "start_hour": "08:30",
        "end_hour": "12:00",
        "min_time_btw_emails": 20,
        "max_new_leads_per_day": 25,
    })  # fmt: skip
    ui.call("POST", f"/campaigns/{cid}/sequences", {"sequences": [
        {"seq_number": 1, "seq_delay_details": {"delay_in_days": 0},
         "subject": "Month-end close at {{company_name}}",
         "email_body": "<p>Hi {{first_name}}, quick question about your close.</p>"},
    ]})  # fmt: skip
    ui.call("POST", f"/campaigns/{cid}/email-accounts", {
        "email_account_ids": ui.mailbox_ids("morgan@getreply-example.io")
    })  # fmt: skip
    return cid


def _paused(ui: Ui) -> int:
    """A campaign started and then paused by hand."""
    cid = ui.create("Re-engage cold 2024")
    ui.call("POST", f"/campaigns/{cid}/schedule", {
        "timezone": "UTC",
        "days_of_the_week": [1, 3, 5],
        "start_hour": "10:00",
        "end_hour": "16:00",
        "min_time_btw_emails": 15,
        "max_new_leads_per_day": 60,
    })  # fmt: skip
    ui.call("POST", f"/campaigns/{cid}/sequences", {"sequences": [
        {"seq_number": 1, "seq_delay_details": {"delay_in_days": 0},
         "subject": "Still looking at outbound tooling?",
         "email_body": "<p>Hi {{first_name}},<br>it has been a while.</p>"},
    ]})  # fmt: skip
    ui.call("POST", f"/campaigns/{cid}/email-accounts", {
        "email_account_ids": ui.mailbox_ids("jordan@outreach-example.net")
    })  # fmt: skip
    ui.call("POST", f"/campaigns/{cid}/status", {"status": "START"})
    ui.call("POST", f"/campaigns/{cid}/status", {"status": "PAUSED"})
    return cid


@contextmanager
def ui_account(state_path: Path) -> Iterator[Emulator]:
    """An emulated account persisted at `state_path` (what `--emulator` reads from its cwd)."""
    state_path.parent.mkdir(parents=True, exist_ok=True)
    emulator = Emulator(EmulatorConfig(time_scale=1000.0), state_path=state_path)
    try:
        yield emulator
    finally:
        emulator.close()


@contextmanager
def ui_session(emulator: Emulator) -> Iterator[Ui]:
    """The UI's calls on `emulator`'s account, in process."""
    http = httpx.Client(
        transport=emulator.transport(),
        base_url=TRANSPORT_BASE_URL,
        params={"api_key": EMULATOR_API_KEY},
    )
    with http:
        yield Ui(http)


def click_campaigns(emulator: Emulator) -> dict[str, int]:
    """Make the three campaigns; returns name -> campaign id."""
    with ui_session(emulator) as ui:
        made = (_founders(ui), _agency(ui), _paused(ui))
    names = ("Q3 Founders Outreach", "SaaS CFOs (Acme Agency)", "Re-engage cold 2024")
    return dict(zip(names, made, strict=True))
