"""Sequence save = replace, keeping step and variant ids (§4, §13.6)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.emulator.conftest import Api, ServeFactory


def _step(number: int, delay: int = 1, **extra: Any) -> dict[str, Any]:
    return {
        "seq_number": number,
        "seq_delay_details": {"delay_in_days": delay},
        "subject": f"Subject {number}",
        "email_body": f"Body {number}",
        **extra,
    }


def _variant(label: str, **extra: Any) -> dict[str, Any]:
    return {"variant_label": label, "subject": f"S{label}", "email_body": f"B{label}", **extra}


def _save(api: Api, campaign_id: int, steps: list[dict[str, Any]]) -> Any:
    return api.post(f"/campaigns/{campaign_id}/sequences", {"sequences": steps})


def _read(api: Api, campaign_id: int) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = api.ok(api.get(f"/campaigns/{campaign_id}/sequences"))
    return result


def test_read_shape_uses_read_keys(api: Api) -> None:
    campaign_id = api.create_campaign()
    body = _step(2, delay=3, seq_variants=[_variant("A", variant_distribution_percentage=60)])
    assert api.ok(_save(api, campaign_id, [_step(1, delay=0), body])) == {
        "ok": True,
        "data": "success",
    }
    first, second = _read(api, campaign_id)
    assert first["seq_delay_details"] == {"delayInDays": 0}
    assert (first["subject"], first["sequence_variants"]) == ("Subject 1", [])
    assert second["seq_delay_details"] == {"delayInDays": 3}
    assert (second["subject"], second["email_body"]) == ("", "")  # variants carry the text
    variant = second["sequence_variants"][0]
    assert variant["variant_label"] == "A" and variant["variant_distribution_percentage"] == 60
    assert variant["email_campaign_seq_id"] == second["id"]
    assert "seq_variants" not in second and "delay_in_days" not in str(second)


def test_steps_are_ordered_by_seq_number(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.ok(_save(api, campaign_id, [_step(3), _step(1), _step(2)]))
    assert [s["seq_number"] for s in _read(api, campaign_id)] == [1, 2, 3]


def test_replace_keeps_ids_creates_new_and_deletes_omitted(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.ok(
        _save(
            api,
            campaign_id,
            [_step(1), _step(2, seq_variants=[_variant("A"), _variant("B")]), _step(3)],
        )
    )
    one, two, three = _read(api, campaign_id)
    variant_a, variant_b = two["sequence_variants"]
    resave = [
        {**_step(1, subject="Changed"), "id": one["id"]},
        _step(
            2,
            id=two["id"],
            seq_variants=[_variant("A", id=variant_a["id"], subject="New A"), _variant("C")],
        ),
        _step(4),
    ]
    api.ok(_save(api, campaign_id, resave))
    after = _read(api, campaign_id)
    assert [s["seq_number"] for s in after] == [1, 2, 4]
    assert after[0]["id"] == one["id"] and after[0]["subject"] == "Changed"
    assert after[0]["created_at"] == one["created_at"]
    assert after[1]["id"] == two["id"]
    kept, new = after[1]["sequence_variants"]
    assert kept["id"] == variant_a["id"] and kept["subject"] == "New A"
    assert new["variant_label"] == "C" and new["id"] > variant_b["id"]
    assert after[2]["id"] > three["id"]  # ids are never reused


def test_variant_without_id_always_gets_a_new_id(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.ok(_save(api, campaign_id, [_step(1, seq_variants=[_variant("A")])]))
    step = _read(api, campaign_id)[0]
    old_id = step["sequence_variants"][0]["id"]
    api.ok(_save(api, campaign_id, [_step(1, id=step["id"], seq_variants=[_variant("A")])]))
    assert _read(api, campaign_id)[0]["sequence_variants"][0]["id"] != old_id


def test_stale_variant_id_is_silently_dropped(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.ok(_save(api, campaign_id, [_step(1, seq_variants=[_variant("A"), _variant("B")])]))
    step = _read(api, campaign_id)[0]
    dead = step["sequence_variants"][1]["id"]
    api.ok(_save(api, campaign_id, [_step(1, id=step["id"], seq_variants=[_variant("A")])]))
    revived = [_variant("A"), _variant("B", id=dead)]
    api.ok(_save(api, campaign_id, [_step(1, id=step["id"], seq_variants=revived)]))
    labels = [v["variant_label"] for v in _read(api, campaign_id)[0]["sequence_variants"]]
    assert labels == ["A"]


def test_empty_list_deletes_every_step(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.ok(_save(api, campaign_id, [_step(1), _step(2)]))
    api.ok(_save(api, campaign_id, []))
    assert _read(api, campaign_id) == []


def test_save_while_active_is_rejected(api: Api) -> None:
    campaign_id = api.ready_campaign()
    api.ok(api.post(f"/campaigns/{campaign_id}/status", {"status": "START"}))
    response = _save(api, campaign_id, [_step(1)])
    assert response.status_code == 400
    assert response.json() == {
        "error": "Campaign is active - pause the campaign before updating its sequences."
    }
    api.ok(api.post(f"/campaigns/{campaign_id}/status", {"status": "PAUSED"}))
    assert _save(api, campaign_id, [_step(1)]).status_code == 200


def test_save_while_active_allowed_by_switch(serve: ServeFactory) -> None:
    api = serve(sequence_save_while_active="allow")
    campaign_id = api.ready_campaign()
    api.ok(api.post(f"/campaigns/{campaign_id}/status", {"status": "START"}))
    assert _save(api, campaign_id, [_step(1)]).status_code == 200


def test_ids_response_switch(serve: ServeFactory) -> None:
    api = serve(sequence_save_response="ids")
    campaign_id = api.create_campaign()
    answer = api.ok(_save(api, campaign_id, [_step(2), _step(1)]))
    steps = _read(api, campaign_id)
    assert answer == {
        "ok": True,
        "data": {
            "sequences": [
                {"id": steps[0]["id"], "seqNumber": 1},
                {"id": steps[1]["id"], "seqNumber": 2},
            ]
        },
    }


def test_write_only_step_controls_are_stored(api: Api) -> None:
    campaign_id = api.create_campaign()
    step = _step(
        1,
        seq_variants=[_variant("A"), _variant("B")],
        variant_distribution_type="AI_EQUAL",
        winning_metric_property="REPLY_RATE",
        lead_distribution_percentage=30,
    )
    api.ok(_save(api, campaign_id, [step]))
    assert "variant_distribution_type" not in _read(api, campaign_id)[0]
    stored = api.emulator.raw_campaign(campaign_id)["steps"][0]["write_only"]
    assert stored == {
        "variant_distribution_type": "AI_EQUAL",
        "winning_metric_property": "REPLY_RATE",
        "lead_distribution_percentage": 30,
    }


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        (
            [{"seq_number": 1, "seq_delay_details": {"delayInDays": 1}}],
            '"sequences[0].seq_delay_details.delayInDays" is not allowed',
        ),
        ([_step(1, sequence_variants=[])], '"sequences[0].sequence_variants" is not allowed'),
        ([{"seq_number": 1, "subject": "x"}], '"sequences[0].seq_delay_details" is required'),
        (
            [_step(1, delay=400)],
            '"sequences[0].seq_delay_details.delay_in_days" must be less than or equal to 365',
        ),
        ([_step(1), _step(1)], '"sequences[1]" contains a duplicate value'),
        (
            [_step(1, seq_variants=[{"subject": "s", "email_body": "b"}])],
            '"sequences[0].seq_variants[0].variant_label" is required',
        ),
        (
            [_step(1, seq_variants=[_variant("A", variant_id=3)])],
            '"sequences[0].seq_variants[0].variant_id" is not allowed',
        ),
        (
            [_step(1, variant_distribution_type="EVEN")],
            '"sequences[0].variant_distribution_type" must be one of '
            "[MANUAL_EQUAL, MANUAL_PERCENTAGE, AI_EQUAL]",
        ),
    ],
)
def test_sequence_validation(api: Api, steps: list[dict[str, Any]], message: str) -> None:
    campaign_id = api.create_campaign()
    response = _save(api, campaign_id, steps)
    assert response.status_code == 400
    assert response.json()["message"] == message
    assert _read(api, campaign_id) == []


def test_sequences_of_missing_campaign_are_404(api: Api) -> None:
    assert _save(api, 31337, [_step(1)]).status_code == 404
    response = api.get("/campaigns/31337/sequences")
    assert response.json() == {"error": "Campaign not found - Invalid campaign_id."}


def test_ui_edit_keeps_ids(api: Api) -> None:
    campaign_id = api.create_campaign()
    api.ok(_save(api, campaign_id, [_step(1, seq_variants=[_variant("A")])]))
    before = _read(api, campaign_id)[0]
    api.emulator.edit_step(campaign_id, 1, subject="Edited in the UI", variant_label="A")
    after = _read(api, campaign_id)[0]
    assert after["sequence_variants"][0]["subject"] == "Edited in the UI"
    assert after["sequence_variants"][0]["id"] == before["sequence_variants"][0]["id"]
