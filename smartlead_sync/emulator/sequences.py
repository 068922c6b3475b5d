"""Sequences: GET in the read vocabulary, POST replaces the whole list keeping ids (§4, §13.6)."""

from __future__ import annotations

from typing import Any

from smartlead_sync.emulator.exchange import flat_error, joi_error
from smartlead_sync.emulator.records import require_campaign
from smartlead_sync.emulator.routing import Ctx, RouteTable
from smartlead_sync.emulator.store import Store, dump, load
from smartlead_sync.emulator.validation import (
    as_object,
    check_int,
    check_list,
    check_one_of,
    check_str,
    reject_unknown,
    require,
)
from smartlead_sync.tool_settings import Bucket

routes = RouteTable()

STEP_KEYS = (
    "id",
    "seq_number",
    "seq_delay_details",
    "subject",
    "email_body",
    "seq_variants",
    "variant_distribution_type",
    "winning_metric_property",
    "lead_distribution_percentage",
    "seq_type",
)
VARIANT_KEYS = ("id", "subject", "email_body", "variant_label", "variant_distribution_percentage")
DISTRIBUTION_TYPES = ("MANUAL_EQUAL", "MANUAL_PERCENTAGE", "AI_EQUAL")
WINNING_METRICS = ("OPEN_RATE", "CLICK_RATE", "REPLY_RATE", "POSITIVE_REPLY_RATE")


@routes.add("GET", "/campaigns/{campaign_id}/sequences")
def get_sequences(ctx: Ctx) -> Any:
    campaign = require_campaign(ctx)
    return read_sequences(ctx.db, campaign["id"])


def read_sequences(db: Store, campaign_id: int) -> list[dict[str, Any]]:
    """Steps by seq_number with `sequence_variants` and `seq_delay_details.delayInDays` (§4.1)."""
    steps = db.all(
        "SELECT data FROM steps WHERE campaign_id = ? ORDER BY seq_number, id", (campaign_id,)
    )
    result = []
    for row in steps:
        step = load(row)
        variants = db.all(
            "SELECT data FROM variants WHERE step_id = ? ORDER BY position, id", (step["id"],)
        )
        result.append(
            {
                "id": step["id"],
                "created_at": step["created_at"],
                "updated_at": step["updated_at"],
                "email_campaign_id": campaign_id,
                "seq_number": step["seq_number"],
                "seq_delay_details": {"delayInDays": step["delay_in_days"]},
                "subject": step["subject"],
                "email_body": step["email_body"],
                "sequence_variants": [load(v) for v in variants],
            }
        )
    return result


@routes.add("POST", "/campaigns/{campaign_id}/sequences", Bucket.CAMPAIGN_WRITE)
def save_sequences(ctx: Ctx) -> Any:
    campaign = require_campaign(ctx)
    if campaign["status"] == "ACTIVE" and ctx.config.sequence_save_while_active == "reject":
        # [M1][BCH]: sequences cannot be edited while ACTIVE; pause first (§4.2, §13.5).
        raise flat_error("Campaign is active - pause the campaign before updating its sequences.")
    body = ctx.body_object()
    reject_unknown(body, ("sequences",))
    steps = [
        _valid_step(s, i) for i, s in enumerate(check_list(require(body, "sequences"), "sequences"))
    ]
    _reject_duplicate_numbers(steps)
    saved = _replace_steps(ctx.db, campaign["id"], steps)
    if ctx.config.sequence_save_response == "ids":
        return {"ok": True, "data": {"sequences": saved}}
    return {"ok": True, "data": "success"}


def _valid_step(raw: Any, index: int) -> dict[str, Any]:
    path = f"sequences[{index}]"
    step = as_object(raw, path)
    reject_unknown(step, STEP_KEYS, path)
    check_int(require(step, "seq_number", path), f"{path}.seq_number", minimum=1)
    delay = as_object(require(step, "seq_delay_details", path), f"{path}.seq_delay_details")
    reject_unknown(delay, ("delay_in_days",), f"{path}.seq_delay_details")
    delay_path = f"{path}.seq_delay_details.delay_in_days"
    check_int(
        require(delay, "delay_in_days", f"{path}.seq_delay_details"),
        delay_path,
        minimum=0,
        maximum=365,
    )
    for key in ("subject", "email_body"):
        if step.get(key) is not None:
            check_str(step[key], f"{path}.{key}")
    if step.get("id") is not None:
        check_int(step["id"], f"{path}.id")
    _check_distribution(step, path)
    variants = check_list(step.get("seq_variants") or [], f"{path}.seq_variants")
    for v_index, variant in enumerate(variants):
        _check_variant(variant, f"{path}.seq_variants[{v_index}]")
    return step


def _check_distribution(step: dict[str, Any], path: str) -> None:
    """The write-only A/B controls of a step (§4.2)."""
    choices = (
        ("variant_distribution_type", DISTRIBUTION_TYPES),
        ("winning_metric_property", WINNING_METRICS),
        ("seq_type", ("EMAIL",)),
    )
    for key, allowed in choices:
        if step.get(key) is not None:
            check_one_of(step[key], f"{path}.{key}", allowed)
    if step.get("lead_distribution_percentage") is not None:
        key = "lead_distribution_percentage"
        check_int(step[key], f"{path}.{key}", minimum=0, maximum=100)


def _check_variant(raw: Any, path: str) -> None:
    variant = as_object(raw, path)
    reject_unknown(variant, VARIANT_KEYS, path)
    check_str(require(variant, "variant_label", path), f"{path}.variant_label", allow_empty=False)
    for key in ("subject", "email_body"):
        check_str(variant.get(key, ""), f"{path}.{key}")
    if variant.get("variant_distribution_percentage") is not None:
        check_int(
            variant["variant_distribution_percentage"],
            f"{path}.variant_distribution_percentage",
            minimum=0,
            maximum=100,
        )
    if variant.get("id") is not None:
        check_int(variant["id"], f"{path}.id")


def _reject_duplicate_numbers(steps: list[dict[str, Any]]) -> None:
    seen: set[int] = set()
    for index, step in enumerate(steps):
        number = int(step["seq_number"])
        if number in seen:
            path = f"sequences[{index}]"
            raise joi_error(f'"{path}" contains a duplicate value', path)
        seen.add(number)


def _replace_steps(
    db: Store, campaign_id: int, steps: list[dict[str, Any]]
) -> list[dict[str, int]]:
    """Known ids update in place, no id creates, unknown ids are dropped, omitted ones go (§4.2)."""
    existing = {
        row["id"]: load(row)
        for row in db.all("SELECT id, data FROM steps WHERE campaign_id = ?", (campaign_id,))
    }
    now = db.now()
    kept: dict[int, dict[str, Any]] = {}
    for step in steps:
        step_id = step.get("id")
        if step_id is not None and (step_id not in existing or step_id in kept):
            continue  # a stale id is silently dropped, as Smartlead does with variants (§13.6)
        doc = existing.get(step_id) if step_id is not None else None
        if doc is None:
            doc = {"id": db.next_id("step"), "created_at": now, "email_campaign_id": campaign_id}
        has_variants = bool(step.get("seq_variants"))
        doc.update(
            seq_number=int(step["seq_number"]),
            delay_in_days=int(step["seq_delay_details"]["delay_in_days"]),
            subject="" if has_variants else step.get("subject") or "",
            email_body="" if has_variants else step.get("email_body") or "",
            updated_at=now,
            write_only={k: step[k] for k in STEP_KEYS[6:] if step.get(k) is not None},
        )
        kept[doc["id"]] = doc
        db.execute(
            "INSERT OR REPLACE INTO steps VALUES (?, ?, ?, ?)",
            (doc["id"], campaign_id, doc["seq_number"], dump(doc)),
        )
        _replace_variants(db, doc["id"], step.get("seq_variants") or [], now)
    for gone in set(existing) - set(kept):
        db.execute("DELETE FROM variants WHERE step_id = ?", (gone,))
        db.execute("DELETE FROM steps WHERE id = ?", (gone,))
    ordered = sorted(kept.values(), key=lambda d: int(d["seq_number"]))
    return [{"id": d["id"], "seqNumber": d["seq_number"]} for d in ordered]


def _replace_variants(db: Store, step_id: int, variants: list[dict[str, Any]], now: str) -> None:
    existing = {
        row["id"]: load(row)
        for row in db.all("SELECT id, data FROM variants WHERE step_id = ?", (step_id,))
    }
    kept: set[int] = set()
    for position, variant in enumerate(variants):
        variant_id = variant.get("id")
        if variant_id is not None and (variant_id not in existing or variant_id in kept):
            continue  # [FN-VAR]: re-sending a dead variant id silently drops it (§4.2)
        doc = existing.get(variant_id) if variant_id is not None else None
        if doc is None:
            doc = {
                "id": db.next_id("variant"),
                "created_at": now,
                "is_deleted": False,
                "email_campaign_seq_id": step_id,
                "optional_email_body_1": None,
            }
        doc.update(
            updated_at=now,
            subject=variant.get("subject", ""),
            email_body=variant.get("email_body", ""),
            variant_label=variant["variant_label"],
            variant_distribution_percentage=variant.get("variant_distribution_percentage"),
        )
        kept.add(doc["id"])
        db.execute(
            "INSERT OR REPLACE INTO variants VALUES (?, ?, ?, ?)",
            (doc["id"], step_id, position, dump(doc)),
        )
    for gone in set(existing) - kept:
        db.execute("DELETE FROM variants WHERE id = ?", (gone,))
