"""Declared response shapes: the documented quirks are coerced, anything else is unusable."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from smartlead_sync.smartlead.api_errors import NotFound, ResponseError
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.state import Lead, LeadPolicy
from tests.smartlead.fakes import TEST_KEY, Recorder, make_client


def _answer(body: Any, status: int = 200) -> Recorder:
    if isinstance(body, str):
        return Recorder(lambda r: httpx.Response(status, text=body))
    return Recorder(lambda r: httpx.Response(status, json=body))


def test_documented_quirks_are_coerced() -> None:
    campaign = {"id": "2710262", "name": "x", "follow_up_percentage": "40%", "client_id": None}
    client = make_client(_answer(campaign))
    read = client.get_campaign(2710262)
    assert (read["id"], read["follow_up_percentage"]) == (2710262, 40)
    page = {"total_leads": "42", "data": [{"lead": {"id": "2995276770", "email": "a@b.io"}}]}
    assert make_client(_answer(page)).list_campaign_leads(1)["total_leads"] == 42


def test_fields_the_tool_does_not_read_are_kept_untouched() -> None:
    rows = [{"id": 1, "name": "x", "tags": [{"tag_id": 1}], "new_field": {"a": 1}}]
    assert make_client(_answer(rows)).list_campaigns() == rows


@pytest.mark.parametrize("body", [{}, ""])
def test_an_empty_single_resource_is_absent_where_documented(body: Any) -> None:
    with pytest.raises(NotFound):
        make_client(_answer(body)).get_campaign(4)  # §2.3
    assert make_client(_answer(body)).get_lead_by_email("a@b.io") is None  # §5.4


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ("", "an empty body"),  # a list is never "absent"
        ("<html><body>Maintenance</body></html>", "an HTML page"),
        ({"message": "Service unavailable"}, "a bare message object"),
        ('[{"id": 1, "na', "JSON that breaks off (truncated)"),
        (None, "null"),
        ([{"id": {"v": 1}, "name": "x"}], "item 0.id"),
        ([{"name": "x"}], "item 0.id: Field required"),
    ],
)
def test_an_unusable_list_is_an_error_after_retries(body: Any, what: str) -> None:
    rec = (
        _answer(body) if body is not None else Recorder(lambda r: httpx.Response(200, text="null"))
    )
    with pytest.raises(ResponseError) as caught:
        make_client(rec).list_campaigns()
    message = str(caught.value)
    assert "GET /campaigns failed (HTTP 200): Smartlead answered something unusable" in message
    assert what in message
    assert TEST_KEY not in message and "api_key" not in message
    assert len(rec.requests) == 6  # retried like a 5xx


def test_categories_without_ids_are_unusable() -> None:
    with pytest.raises(ResponseError, match=r"item 0\.id"):
        make_client(_answer([{"name": "Interested"}])).list_lead_categories()


def test_plain_text_success_still_acknowledges_a_write() -> None:
    make_client(_answer("success")).delete_lead(1, 2)  # §5.6


def test_an_html_page_after_a_write_is_ambiguous_and_not_retried_blindly() -> None:
    rec = _answer("<html>Maintenance</html>")
    with pytest.raises(ResponseError) as caught:
        make_client(rec).save_sequences(1, [])
    assert caught.value.ambiguous
    assert "may or may not have been made" in str(caught.value)


def test_a_create_answered_with_html_is_looked_up_not_repeated() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.method == "POST":
            return httpx.Response(200, text="<html>Maintenance</html>")
        return httpx.Response(200, json=[{"id": 77, "name": "Q3", "client_id": None}])

    rec = Recorder(handle)
    assert SmartleadProvider(make_client(rec)).create_campaign("Q3", None) == 77
    assert rec.routes() == ["POST /campaigns/create", "GET /campaigns"]


def test_a_lead_id_map_of_the_wrong_type_is_unusable_and_names_no_email() -> None:
    report = {"ok": True, "emailToLeadIdMap": {"newlyAddedLeads": {"pat@acme.io": ["x"]}}}
    provider = SmartleadProvider(make_client(_answer(report)))
    with pytest.raises(ResponseError) as caught:
        provider.add_leads(1, [Lead("pat@acme.io")], LeadPolicy())
    assert "pat@acme.io" not in str(caught.value)
    assert "emailToLeadIdMap.newlyAddedLeads.<email>" in str(caught.value)


@pytest.mark.parametrize(
    "csv_text",
    [
        "id,email\n1,a@b.io\n2",  # cut inside the last row
        "email\na@b.io\n",  # no id column: leads could not be updated
        "id,email\nn/a,a@b.io\n",
        '{"message": "export failed"}',
    ],
)
def test_an_unusable_lead_export_is_an_error_not_fewer_leads(csv_text: str) -> None:
    with pytest.raises(ResponseError, match="leads-export"):
        SmartleadProvider(make_client(_answer(csv_text))).read_leads(1)


def test_an_empty_lead_export_falls_back_to_the_paged_list() -> None:
    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("leads-export"):
            return httpx.Response(200, text="")
        page = {"total_leads": "1", "data": [{"lead": {"id": 5, "email": "A@b.io"}}]}
        return httpx.Response(200, json=page)

    assert list(SmartleadProvider(make_client(Recorder(handle))).read_leads(1)) == ["a@b.io"]
