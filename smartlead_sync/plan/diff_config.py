"""Field-level diffs of a campaign's configuration: settings, schedule, sequence, webhooks.

Both sides arrive normalized (normalize.py). Each section becomes a small tree of plain values
holding only what the desired side manages, and deepdiff finds the leaves that differ.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from enum import Enum
from typing import Any

from smartlead_sync.campaign_settings_table import READABLE_SETTINGS, WRITE_ONLY_SETTINGS
from smartlead_sync.plan.change_kinds import FieldChange, Value
from smartlead_sync.state import (
    CampaignSettings,
    Distribution,
    OutOfOffice,
    Schedule,
    Step,
    Variant,
    Webhook,
)

Tree = dict[str, Any]
_MISSING = object()
DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")


def _value(value: object) -> Value:
    if isinstance(value, Enum):
        return _value(value.value)
    if isinstance(value, tuple | list):
        return tuple(_value(v) for v in value)  # type: ignore[misc]
    return value  # type: ignore[return-value]


def _lookup(tree: Tree, path: tuple[str, ...]) -> object:
    node: object = tree
    for key in path:
        if not isinstance(node, dict) or key not in node:
            return _MISSING
        node = node[key]
    return node


def _leaves(node: object, path: tuple[str, ...]) -> Iterable[tuple[tuple[str, ...], object]]:
    if isinstance(node, dict):
        for key, child in node.items():
            yield from _leaves(child, (*path, key))
    else:
        yield path, node


def field_changes(before: Tree, after: Tree) -> tuple[FieldChange, ...]:
    """Leaves that differ between two trees of plain values. Lists compare as whole values;
    a subtree that appears or disappears is reported leaf by leaf."""
    if before == after:
        return ()
    from deepdiff import DeepDiff  # slow to import (~1 s); a no-op plan never needs it

    paths: set[tuple[str, ...]] = set()
    for report in DeepDiff(before, after, view="tree").values():
        for level in report:
            keys = level.path(output_format="list")
            cut = next((i for i, k in enumerate(keys) if not isinstance(k, str)), len(keys))
            paths.add(tuple(keys[:cut]))
    leaves: set[tuple[str, ...]] = set()
    for path in paths:
        subtrees = [n for n in (_lookup(before, path), _lookup(after, path)) if isinstance(n, dict)]
        if subtrees:
            leaves.update(leaf for tree in subtrees for leaf, _ in _leaves(tree, path))
        else:
            leaves.add(path)
    # Report in tree order (steps by number, then delay, subject, body), desired side first.
    order: dict[tuple[str, ...], int] = {}
    for path, _ in [*_leaves(after, ()), *_leaves(before, ())]:
        order.setdefault(path, len(order))
    found = (_field(path, before, after) for path in sorted(leaves, key=lambda p: order.get(p, 0)))
    return tuple(change for change in found if change.before != change.after)


def _field(path: tuple[str, ...], before: Tree, after: Tree) -> FieldChange:
    old, new = _lookup(before, path), _lookup(after, path)
    return FieldChange(
        ".".join(path),
        None if old is _MISSING or isinstance(old, dict) else _value(old),
        None if new is _MISSING or isinstance(new, dict) else _value(new),
    )


# ----- settings ----------------------------------------------------------------------------


def _flat_settings(settings: CampaignSettings, names: Iterable[str]) -> Tree:
    tree: Tree = {}
    for name in names:
        value = getattr(settings, name)
        if isinstance(value, OutOfOffice):
            for f in fields(value):
                if getattr(value, f.name) is not None:
                    tree[f"{name}.{f.name}"] = _value(getattr(value, f.name))
        elif value is not None:
            tree[name] = _value(value)
    return tree


def managed_write_only(settings: CampaignSettings) -> tuple[str, ...]:
    """Write-only settings the files set: sent on every settings write, never verifiable."""
    return tuple(n for n in WRITE_ONLY_SETTINGS if getattr(settings, n) is not None)


def settings_changes(
    desired: CampaignSettings, live: CampaignSettings | None
) -> tuple[FieldChange, ...]:
    """Readable settings the files manage that differ; for a new campaign (live None) every
    managed setting, write-only ones included, since they are all being set."""
    if live is None:
        return field_changes({}, _flat_settings(desired, READABLE_SETTINGS + WRITE_ONLY_SETTINGS))
    managed = [n for n in READABLE_SETTINGS if getattr(desired, n) is not None]
    return field_changes(_flat_settings(live, managed), _flat_settings(desired, managed))


# ----- schedule ----------------------------------------------------------------------------


def _schedule_tree(schedule: Schedule | None, with_start_time: bool) -> Tree:
    if schedule is None:
        return {}
    tree: Tree = {
        "timezone": schedule.timezone,
        "days": tuple(DAY_NAMES[d] if 0 <= d < 7 else str(d) for d in schedule.days),
        "start_hour": schedule.start_hour,
        "end_hour": schedule.end_hour,
        "min_time_between_emails": schedule.min_time_between_emails,
        "max_new_leads_per_day": schedule.max_new_leads_per_day,
    }
    if with_start_time:
        tree["start_time"] = schedule.start_time
    return tree


def schedule_changes(desired: Schedule | None, live: Schedule | None) -> tuple[FieldChange, ...]:
    """None desired: the schedule is not managed. A desired start_time of None is not managed."""
    if desired is None:
        return ()
    with_start = desired.start_time is not None
    return field_changes(_schedule_tree(live, with_start), _schedule_tree(desired, with_start))


# ----- sequence ----------------------------------------------------------------------------

PercentFilter = Callable[[int, str], bool]


def _variant_tree(variant: Variant, keep_percentage: bool) -> Tree:
    tree: Tree = {"subject": variant.subject, "body": variant.body}
    if keep_percentage:
        tree["percentage"] = variant.percentage
    return tree


def _sequence_tree(steps: Iterable[Step], keep_percentage: PercentFilter) -> Tree:
    tree: Tree = {}
    for step in steps:
        node: Tree = {"delay_days": step.delay_days}
        if step.variants:
            for v in step.variants:
                node[f"variant {v.label}"] = _variant_tree(v, keep_percentage(step.number, v.label))
        else:
            node.update(subject=step.subject, body=step.body)
        tree[f"step {step.number}"] = node
    return tree


def _percentages(steps: Iterable[Step]) -> dict[tuple[int, str], int]:
    return {
        (s.number, v.label): v.percentage
        for s in steps
        for v in s.variants
        if v.percentage is not None
    }


def sequence_changes(
    desired: tuple[Step, ...] | None, live: tuple[Step, ...] | None
) -> tuple[FieldChange, ...]:
    """Step and variant leaves that differ. Smartlead often reads a variant percentage back
    as null (§4.1), which is an equal split; so a percentage is compared when both sides have
    one, or when the files ask for an unequal split (e.g. an A/B winner at 100 %) and
    Smartlead shows none, since an equal split is then certainly not what the files say."""
    if desired is None:
        return ()
    wanted, shown = _percentages(desired), _percentages(live or ())
    unequal = {
        s.number for s in desired if len({wanted.get((s.number, v.label)) for v in s.variants}) > 1
    }

    def keep(number: int, label: str) -> bool:
        key = (number, label)
        return key in wanted and (key in shown or number in unequal)

    return field_changes(_sequence_tree(live or (), keep), _sequence_tree(desired, keep))


def sequence_with_live_ids(
    desired: tuple[Step, ...], live: tuple[Step, ...] | None
) -> tuple[Step, ...]:
    """The desired steps carrying the live step id of the same number and the live variant id
    of the same label, so that a save keeps ids and stats (§4.2)."""
    live_steps = {s.number: s for s in live or ()}
    mapped: list[Step] = []
    for step in desired:
        old = live_steps.get(step.number)
        variant_ids = {v.label.strip().upper(): v.id for v in old.variants} if old else {}
        variants = tuple(
            replace(v, id=variant_ids.get(v.label.strip().upper())) for v in step.variants
        )
        mapped.append(replace(step, id=old.id if old else None, variants=variants))
    return tuple(mapped)


def managed_step_write_only(steps: tuple[Step, ...] | None) -> tuple[str, ...]:
    """Write-only sequence controls the files set (GET /sequences never returns them).

    An equal or percentage split is what every A/B step implies and shows in the variant
    percentages that are compared; only an AI split is a setting plan cannot see.
    """
    found = {
        "distribution": any(s.distribution is Distribution.AI for s in steps or ()),
        "winning_metric": any(s.winning_metric is not None for s in steps or ()),
        "lead_distribution_percentage": any(
            s.lead_distribution_percentage is not None for s in steps or ()
        ),
    }
    return tuple(f"sequence.{name}" for name in sorted(found) if found[name])


# ----- webhooks ----------------------------------------------------------------------------


def webhook_tree(webhook: Webhook | None, with_categories: bool) -> Tree:
    if webhook is None:
        return {}
    tree: Tree = {"url": webhook.url, "event_types": webhook.event_types}
    if with_categories:
        tree["categories"] = webhook.categories
    return tree


@dataclass(frozen=True, slots=True)
class WebhookDiff:
    create: tuple[tuple[Webhook, tuple[FieldChange, ...]], ...]
    update: tuple[tuple[Webhook, tuple[FieldChange, ...]], ...]
    delete: tuple[Webhook, ...]


def webhook_changes(
    desired: Mapping[str, tuple[Webhook, Webhook]], live: tuple[Webhook, ...] | None
) -> WebhookDiff:
    """`desired` maps a normalized name to (normalized, as written). Webhooks are matched by
    name; a live one no file names is deleted, as are extra live webhooks of the same name.
    Empty desired categories mean "not managed" (Smartlead rejects an empty list, §7.1)."""
    by_name: dict[str, Webhook] = {}
    extra: list[Webhook] = []
    for hook in live or ():
        if hook.name in by_name:
            extra.append(hook)
        else:
            by_name[hook.name] = hook
    create: list[tuple[Webhook, tuple[FieldChange, ...]]] = []
    update: list[tuple[Webhook, tuple[FieldChange, ...]]] = []
    for name, (norm, raw) in desired.items():
        old = by_name.get(name)
        cats = bool(norm.categories)
        changes = field_changes(webhook_tree(old, cats), webhook_tree(norm, cats))
        if old is None:
            create.append((raw, changes))
        elif changes:
            categories = raw.categories or old.categories
            update.append((replace(raw, id=old.id, categories=categories), changes))
    gone = [h for n, h in by_name.items() if n not in desired] + extra
    return WebhookDiff(tuple(create), tuple(update), tuple(gone))
