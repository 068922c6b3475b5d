"""Plan <-> JSON (the `plan.json` format, documented in the README's plan section).

The file holds everything but lead data and webhook URL secrets: lead changes appear as
counts, masked samples and the names of changed fields, with no payload. A plan read back is
a `SavedPlan`, for rendering and for comparing fingerprints; apply executes the plan it
rebuilds, which the fingerprints prove equal.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from smartlead_sync.errors import ConfigError
from smartlead_sync.masking import mask_url, printable_json
from smartlead_sync.plan.canonical import JSON, jsonable
from smartlead_sync.plan.change_kinds import (
    ChangeKind,
    FieldChange,
    LeadSummary,
    ShownChange,
    Value,
)
from smartlead_sync.plan.changes import SavedChange
from smartlead_sync.plan.payloads import (
    LeadBatch,
    LeadRemovals,
    LeadUpdates,
    Payload,
    WebhookChange,
)
from smartlead_sync.plan.plan_model import (
    FORMAT_VERSION,
    CallEstimate,
    SavedCampaignPlan,
    SavedPlan,
    ShownCampaignPlan,
    ShownPlan,
)
from smartlead_sync.plan.thresholds import (
    campaign_safety_from_json,
    thresholds_from_json,
    thresholds_json,
)
from smartlead_sync.redaction import redact, shown_pair, shown_value
from smartlead_sync.state import Status
from smartlead_sync.tool_settings import Bucket


def _payload_json(payload: Payload | None) -> JSON:
    match payload:
        case None | LeadBatch() | LeadUpdates() | LeadRemovals():
            return None  # lead data stays out of plan files
        case WebhookChange(webhook=hook):
            payload = WebhookChange(replace(hook, url=mask_url(shown_value(hook.url))))
    return {"type": type(payload).__name__, **_as_object(jsonable(payload))}


def _field_json(change: FieldChange) -> JSON:
    before, after = shown_pair(change.before, change.after)
    change = replace(change, before=before, after=after)
    if change.path == "url":
        change = replace(
            change,
            before=mask_url(change.before) if isinstance(change.before, str) else change.before,
            after=mask_url(change.after) if isinstance(change.after, str) else change.after,
        )
    return jsonable(change)


def _change_json(change: ShownChange) -> dict[str, JSON]:
    return {
        "kind": change.kind.value,
        "irreversible": change.irreversible,
        "note": change.note,
        "fields": [_field_json(f) for f in change.fields],
        "leads": jsonable(change.leads),
        "target": change.target,
        "payload": _payload_json(change.payload),
    }


def _as_object(value: JSON) -> dict[str, JSON]:
    return value if isinstance(value, dict) else {"value": value}


def _campaign_json(campaign: ShownCampaignPlan) -> dict[str, JSON]:
    document: dict[str, JSON] = {
        "name": campaign.name,
        "client_id": campaign.client_id,
        "live_id": campaign.live_id,
        "source": campaign.source,
        "action": campaign.action.value,
        "live_status": None if campaign.live_status is None else campaign.live_status.value,
        "live_lead_count": campaign.live_lead_count,
        "allow_stop": campaign.allow_stop,
        "safety": thresholds_json(campaign.safety),
        "notes": list(campaign.notes),
        "changes": [_change_json(c) for c in campaign.changes],
    }
    if campaign.resembles:
        document["resembles"] = list(campaign.resembles)
    return document


def plan_to_json(plan: ShownPlan) -> str:
    counts = plan.counts
    document: dict[str, JSON] = {
        "format_version": plan.format_version,
        "fingerprint": plan.fingerprint,
        "live_fingerprint": plan.live_fingerprint,
        "desired_fingerprint": plan.desired_fingerprint,
        "has_changes": plan.has_changes,
        "summary": jsonable(counts),
        "estimate": {
            "calls": {b.value: n for b, n in plan.estimate.calls.items()},
            "floor_seconds": plan.estimate.floor_seconds,
            "rate_limit_profile": plan.estimate.rate_limit_profile,
        },
        "live_campaign_count": plan.live_campaign_count,
        "safety": thresholds_json(plan.safety),
        "unverifiable": list(plan.unverifiable),
        "warnings": list(plan.warnings),
        "campaigns": [_campaign_json(c) for c in plan.campaigns],
    }
    if plan.refused:
        document["refused"] = list(plan.refused)
    # Readable non-ASCII text, but nothing that draws no glyph: a terminal shows this file too.
    return redact(printable_json(json.dumps(document, indent=2, ensure_ascii=False))) + "\n"


def _value(raw: Any) -> Value:
    return tuple(raw) if isinstance(raw, list) else raw


def _change(raw: Mapping[str, Any]) -> SavedChange:
    leads = raw.get("leads")
    return SavedChange(
        kind=ChangeKind(raw["kind"]),
        fields=tuple(
            FieldChange(f["path"], _value(f["before"]), _value(f["after"])) for f in raw["fields"]
        ),
        leads=None
        if leads is None
        else LeadSummary(leads["count"], tuple(leads["samples"]), tuple(leads["fields"])),
        target=raw.get("target"),
        note=raw.get("note"),
    )


def _campaign(raw: Mapping[str, Any]) -> SavedCampaignPlan:
    status = raw.get("live_status")
    return SavedCampaignPlan(
        name=raw["name"],
        client_id=raw["client_id"],
        live_id=raw["live_id"],
        source=raw["source"],
        changes=tuple(_change(c) for c in raw["changes"]),
        live_status=None if status is None else Status(status),
        live_lead_count=raw.get("live_lead_count"),
        allow_stop=bool(raw.get("allow_stop", False)),
        notes=tuple(raw.get("notes", ())),
        resembles=tuple(raw.get("resembles", ())),
        safety=campaign_safety_from_json(raw.get("safety")),
    )


_PLAN_HINT = "pass the file written by `smartlead-sync plan --out`"


def plan_from_json(text: str) -> SavedPlan:
    """Read a plan file. Payloads are not restored (see the module docstring)."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ConfigError(f"not a plan file: invalid JSON ({exc})", hint=_PLAN_HINT) from None
    except RecursionError:
        raise ConfigError("not a plan file: JSON nested too deeply", hint=_PLAN_HINT) from None
    if not isinstance(raw, dict) or "format_version" not in raw:
        raise ConfigError(
            "not a smartlead-sync plan file (it has no format version)", hint=_PLAN_HINT
        )
    try:
        if raw.get("format_version") != FORMAT_VERSION:
            raise ConfigError(
                f"the plan file has format version {raw.get('format_version')!r}; this "
                f"smartlead-sync reads version {FORMAT_VERSION}",
                hint="make the plan again with this version of smartlead-sync",
            )
        estimate = raw["estimate"]
        return SavedPlan(
            campaigns=tuple(_campaign(c) for c in raw["campaigns"]),
            estimate=CallEstimate(
                {Bucket(b): int(n) for b, n in estimate["calls"].items()},
                float(estimate["floor_seconds"]),
                estimate["rate_limit_profile"],
            ),
            live_fingerprint=raw["live_fingerprint"],
            desired_fingerprint=raw["desired_fingerprint"],
            fingerprint=raw["fingerprint"],
            unverifiable=tuple(raw.get("unverifiable", ())),
            warnings=tuple(raw.get("warnings", ())),
            refused=tuple(raw.get("refused", ())),
            live_campaign_count=int(raw.get("live_campaign_count", 0)),
            safety=thresholds_from_json(raw.get("safety")),
        )
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ConfigError(
            f"not a smartlead-sync plan file ({type(exc).__name__}: {exc})", hint=_PLAN_HINT
        ) from exc
