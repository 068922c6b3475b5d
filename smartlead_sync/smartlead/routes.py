"""One typed method per Smartlead route the reconciler needs (smartlead-api.md §3-§7).

Each route is declared once, with the shape its answer must have (`shapes.py`); the client
checks every 2xx body against it, so methods here receive values that have that shape (lists,
dicts, numbers coerced, plain-text `success` as `{ok: true, message}`). Mapping those values to
the normalized state is the provider's job. Mailbox passwords are dropped here, at the boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from smartlead_sync.redaction import redact
from smartlead_sync.smartlead.api_errors import NotFound, RequestRejected
from smartlead_sync.smartlead.response_bodies import Acknowledgement, LeadExport, ListOf, ObjectOf
from smartlead_sync.smartlead.retry import CallKind
from smartlead_sync.smartlead.shapes import (
    BlockListEntry,
    Campaign,
    CampaignCreated,
    CampaignRow,
    Category,
    EmailAccount,
    LeadFields,
    LeadsAdded,
    LeadsPage,
    StepRow,
    WebhookRow,
    WebhookSaved,
)
from smartlead_sync.smartlead.wire import Request, Route

JsonObject = dict[str, Any]

R, CW, LW, WW = CallKind.READ, CallKind.CAMPAIGN_WRITE, CallKind.LEAD_WRITE, CallKind.WEBHOOK_WRITE
ACK = Acknowledgement()

# Every route with the one shape its 2xx body must have (shapes.py); the client enforces it.
LIST_CAMPAIGNS = Route("GET", "/campaigns", R, ListOf(CampaignRow, "a JSON array of campaigns"))
GET_CAMPAIGN = Route(
    "GET", "/campaigns/{id}", R, ObjectOf(Campaign, "a campaign object", absent_when_empty=True)
)
CREATE_CAMPAIGN = Route(
    "POST",
    "/campaigns/create",
    CW,
    ObjectOf(CampaignCreated, "the new campaign's id", write=True),
    safe=False,
)
DELETE_CAMPAIGN = Route("DELETE", "/campaigns/{id}", CW, ACK)
SET_STATUS = Route("POST", "/campaigns/{id}/status", CW, ACK)
UPDATE_SETTINGS = Route("POST", "/campaigns/{id}/settings", CW, ACK)
SAVE_SCHEDULE = Route("POST", "/campaigns/{id}/schedule", CW, ACK)
LIST_SEQUENCES = Route(
    "GET", "/campaigns/{id}/sequences", R, ListOf(StepRow, "a JSON array of sequence steps")
)
SAVE_SEQUENCES = Route("POST", "/campaigns/{id}/sequences", CW, ACK)
LIST_LEADS = Route(
    "GET", "/campaigns/{id}/leads", R, ObjectOf(LeadsPage, "a page of leads {total_leads, data}")
)
EXPORT_LEADS = Route("GET", "/campaigns/{id}/leads-export", R, LeadExport())
ADD_LEADS = Route(
    "POST",
    "/campaigns/{id}/leads",
    LW,
    ObjectOf(LeadsAdded, "an import report with counts", write=True),
)
UPDATE_LEAD = Route("POST", "/campaigns/{id}/leads/{lead_id}", LW, ACK)
DELETE_LEAD = Route("DELETE", "/campaigns/{id}/leads/{lead_id}", LW, ACK)
LEAD_BY_EMAIL = Route(
    "GET", "/leads", R, ObjectOf(LeadFields, "a lead object or {}", absent_when_empty=True)
)
LEAD_CATEGORIES = Route(
    "GET", "/leads/fetch-categories", R, ListOf(Category, "a JSON array of lead categories")
)
BLOCK_LIST = Route(
    "GET",
    "/leads/get-domain-block-list",
    R,
    ListOf(BlockListEntry, "a JSON array of block-list entries"),
)
LIST_EMAIL_ACCOUNTS = Route(
    "GET", "/email-accounts", R, ListOf(EmailAccount, "a JSON array of email accounts")
)
CAMPAIGN_EMAIL_ACCOUNTS = Route(
    "GET",
    "/campaigns/{id}/email-accounts",
    R,
    ListOf(EmailAccount, "a JSON array of email accounts"),
)
ATTACH_EMAIL_ACCOUNTS = Route("POST", "/campaigns/{id}/email-accounts", CW, ACK)
DETACH_EMAIL_ACCOUNTS = Route("DELETE", "/campaigns/{id}/email-accounts", CW, ACK)
LIST_WEBHOOKS = Route(
    "GET", "/campaigns/{id}/webhooks", R, ListOf(WebhookRow, "a JSON array of webhooks")
)
_WEBHOOK_SAVED = ObjectOf(WebhookSaved, "the saved webhook", write=True)
CREATE_WEBHOOK = Route("POST", "/campaigns/{id}/webhooks", WW, _WEBHOOK_SAVED, safe=False)
UPDATE_WEBHOOK = Route("POST", "/campaigns/{id}/webhooks", WW, _WEBHOOK_SAVED)
DELETE_WEBHOOK = Route("DELETE", "/campaigns/{id}/webhooks", WW, ACK)

MAX_PAGE = 100  # leads and email accounts page at most 100 (§5.3, §6)
BLOCK_LIST_PAGE = 1000  # the block list pages up to 1000 (§5.7)


def _without_secrets(account: Any) -> Any:
    """Drop every password-like field of an email account (§6: they come back in clear)."""
    if not isinstance(account, dict):
        return account
    return {k: v for k, v in account.items() if "password" not in k.lower()}


class RouteMethods:
    """The typed route methods; `SmartleadClient` supplies `_send`."""

    def _call(
        self,
        route: Route,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        items: int | None = None,
        gone_ok: bool = False,
    ) -> Any:
        return self._send(Request(route, path, params, body, items, gone_ok))

    def _send(self, request: Request) -> Any:
        """The 2xx body of `request`, checked against `request.route.shape`."""
        raise NotImplementedError

    def _list(self, route: Route, path: str, params: dict[str, Any] | None = None) -> list[Any]:
        value: list[Any] = self._call(route, path, params=params)  # checked by `route.shape`
        return value

    # Campaigns (§3)
    def list_campaigns(self, client_id: int | None = None) -> list[JsonObject]:
        params = {"client_id": client_id} if client_id is not None else None
        return self._list(LIST_CAMPAIGNS, LIST_CAMPAIGNS.path(), params)

    def get_campaign(self, campaign_id: int) -> JsonObject:
        """One campaign; NotFound for 404 and for the 200 `{}` / empty-body quirk (§2.3)."""
        value: JsonObject = self._call(GET_CAMPAIGN, GET_CAMPAIGN.path(id=campaign_id))
        return value

    def create_campaign(self, name: str, client_id: int | None) -> JsonObject:
        """`{ok, id, name, created_at}`; never retried after an ambiguous failure (§3.4)."""
        body = {"name": name, "client_id": client_id}
        return self._write(CREATE_CAMPAIGN, CREATE_CAMPAIGN.path(), body)

    def delete_campaign(self, campaign_id: int) -> None:
        self._call(DELETE_CAMPAIGN, DELETE_CAMPAIGN.path(id=campaign_id), gone_ok=True)

    def set_campaign_status(self, campaign_id: int, status: str) -> None:
        """`status` is the write vocabulary: START, PAUSED or STOPPED (§3.6)."""
        self._write(SET_STATUS, SET_STATUS.path(id=campaign_id), {"status": status})

    def update_campaign_settings(self, campaign_id: int, settings: JsonObject) -> None:
        self._write(UPDATE_SETTINGS, UPDATE_SETTINGS.path(id=campaign_id), settings)

    def save_campaign_schedule(self, campaign_id: int, schedule: JsonObject) -> None:
        self._write(SAVE_SCHEDULE, SAVE_SCHEDULE.path(id=campaign_id), schedule)

    # Sequences (§4)
    def list_sequences(self, campaign_id: int) -> list[JsonObject]:
        return self._list(LIST_SEQUENCES, LIST_SEQUENCES.path(id=campaign_id))

    def save_sequences(self, campaign_id: int, steps: Sequence[JsonObject]) -> JsonObject:
        return self._write(
            SAVE_SEQUENCES, SAVE_SEQUENCES.path(id=campaign_id), {"sequences": list(steps)}
        )

    # Leads (§5)
    def list_campaign_leads(
        self, campaign_id: int, *, offset: int = 0, limit: int = MAX_PAGE
    ) -> JsonObject:
        """One page: `{total_leads, offset, limit, data:[{campaign_lead_map_id, status, lead}]}`."""
        params = {"offset": offset, "limit": min(limit, MAX_PAGE)}
        page: JsonObject = self._call(LIST_LEADS, LIST_LEADS.path(id=campaign_id), params=params)
        return page

    def export_campaign_leads(self, campaign_id: int) -> list[dict[str, str]]:
        """The campaign's leads as CSV rows (§5.7); NotFound for an empty body."""
        rows: list[dict[str, str]] = self._call(EXPORT_LEADS, EXPORT_LEADS.path(id=campaign_id))
        return rows

    def add_leads(
        self, campaign_id: int, lead_list: Sequence[JsonObject], settings: JsonObject
    ) -> JsonObject:
        """The import report; HTTP 200 even on partial success (§5.2)."""
        body = {"lead_list": list(lead_list), "settings": settings}
        path = ADD_LEADS.path(id=campaign_id)
        report: JsonObject = self._call(ADD_LEADS, path, body=body, items=len(lead_list))
        return report

    def update_lead(self, campaign_id: int, lead_id: int, fields: JsonObject) -> None:
        """`fields` must include `email`, even unchanged (§5.5)."""
        path = UPDATE_LEAD.path(id=campaign_id, lead_id=lead_id)
        self._call(UPDATE_LEAD, path, body=fields, items=1)

    def delete_lead(self, campaign_id: int, lead_id: int) -> None:
        path = DELETE_LEAD.path(id=campaign_id, lead_id=lead_id)
        self._call(DELETE_LEAD, path, gone_ok=True, items=1)

    def get_lead_by_email(self, email: str) -> JsonObject | None:
        """The account-wide lead, or None (Smartlead answers 200 `{}`, §5.4)."""
        try:
            lead: JsonObject = self._call(
                LEAD_BY_EMAIL, LEAD_BY_EMAIL.path(), params={"email": email}, items=1
            )
        except NotFound:
            return None
        return lead

    def list_lead_categories(self) -> list[JsonObject]:
        return self._list(LEAD_CATEGORIES, LEAD_CATEGORIES.path())

    def list_block_list(self, filter_email_or_domain: str) -> list[JsonObject]:
        """Block-list entries `{id, email_or_domain, client_id, ...}` matching a filter
        (§5.7); one page of the largest size."""
        params = {
            "offset": 0,
            "limit": BLOCK_LIST_PAGE,
            "filter_email_or_domain": filter_email_or_domain,
        }
        return [r for r in self._list(BLOCK_LIST, BLOCK_LIST.path(), params) if isinstance(r, dict)]

    # Email accounts (§6)
    def list_email_accounts(self, *, offset: int = 0, limit: int = MAX_PAGE) -> list[JsonObject]:
        params = {"offset": offset, "limit": min(limit, MAX_PAGE)}
        rows = self._list(LIST_EMAIL_ACCOUNTS, LIST_EMAIL_ACCOUNTS.path(), params)
        return [_without_secrets(row) for row in rows]

    def list_campaign_email_accounts(self, campaign_id: int) -> list[JsonObject]:
        rows = self._list(CAMPAIGN_EMAIL_ACCOUNTS, CAMPAIGN_EMAIL_ACCOUNTS.path(id=campaign_id))
        return [_without_secrets(row) for row in rows]

    def attach_email_accounts(self, campaign_id: int, account_ids: Sequence[int]) -> JsonObject:
        path = ATTACH_EMAIL_ACCOUNTS.path(id=campaign_id)
        return self._write(ATTACH_EMAIL_ACCOUNTS, path, {"email_account_ids": list(account_ids)})

    def detach_email_accounts(self, campaign_id: int, account_ids: Sequence[int]) -> None:
        path = DETACH_EMAIL_ACCOUNTS.path(id=campaign_id)
        self._write(DETACH_EMAIL_ACCOUNTS, path, {"email_account_ids": list(account_ids)})

    # Webhooks (§7.1)
    def list_webhooks(self, campaign_id: int) -> list[JsonObject]:
        return self._list(LIST_WEBHOOKS, LIST_WEBHOOKS.path(id=campaign_id))

    def upsert_webhook(self, campaign_id: int, webhook: JsonObject) -> JsonObject:
        """`webhook["id"]` None creates (never blindly retried); an id updates."""
        route = CREATE_WEBHOOK if webhook.get("id") is None else UPDATE_WEBHOOK
        return self._write(route, route.path(id=campaign_id), webhook)

    def delete_webhook(self, campaign_id: int, webhook_id: int) -> None:
        # Body form: the one every working client uses (§7.1).
        path = DELETE_WEBHOOK.path(id=campaign_id)
        self._call(DELETE_WEBHOOK, path, body={"id": webhook_id}, gone_ok=True)

    def _write(self, route: Route, path: str, body: JsonObject) -> JsonObject:
        """A write; `{ok:false, error}` on a 2xx is a rejection like a 400."""
        value: JsonObject = self._call(route, path, body=body)
        if value.get("ok") is False:
            message = redact(str(value.get("error") or value.get("message") or "rejected"))
            raise RequestRejected(message, method=route.method, route=route.template, status=200)
        return value
