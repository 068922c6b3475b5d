"""The A/B run: find every `ab_test:` in the files, read its step's statistics, judge it.

Reads per campaign with tests: its sequence once (variant ids by label) and, per tested step,
one `/statistics` page per 1,000 emails of that step (§8). Nothing is written here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from smartlead_sync.desired.project import DesiredProject
from smartlead_sync.health.abtest import AbVerdict, evaluate_ab
from smartlead_sync.health.analytics_counts import VariantCounts, variant_counts
from smartlead_sync.health.reader import statistics_rows
from smartlead_sync.health.spec import AbTestSpec
from smartlead_sync.plan.identity import Match
from smartlead_sync.smartlead.client import SmartleadClient
from smartlead_sync.smartlead.coerce import as_int

# Lead categories that make a reply positive (Smartlead's default positive categories).
POSITIVE_CATEGORIES = frozenset({"Interested", "Meeting Request"})


@dataclass(frozen=True)
class AbTestRun:
    """One test: where it is written, and its verdict (None with `skipped` saying why)."""

    campaign: str
    source: str  # the campaign's key in the project (`DesiredCampaign.source`)
    path: str  # the file as shown to the user
    step_index: int  # 0-based in the file's sequence
    spec: AbTestSpec
    labels: tuple[str, ...]
    verdict: AbVerdict | None = None
    skipped: str | None = None
    already_promoted: bool = False

    @property
    def step(self) -> int:
        return self.step_index + 1


@dataclass(frozen=True)
class _Found:
    match: Match
    step_index: int
    spec: AbTestSpec
    labels: tuple[str, ...]
    percentages: tuple[int | None, ...]


def _tests(project: DesiredProject, matches: Sequence[Match]) -> list[_Found]:
    found: list[_Found] = []
    for match in matches:
        source = project.sources.get(match.desired.source)
        if source is None or match.desired.delete:
            continue
        for index, step in enumerate(source.model.sequence or ()):
            if step.ab_test is not None:
                labels = tuple(v.label for v in step.variants)
                shares = tuple(v.percentage for v in step.variants)
                found.append(_Found(match, index, step.ab_test, labels, shares))
    return found


def _variant_ids(sequences: Any, step_number: int) -> dict[int, str]:
    for step in sequences if isinstance(sequences, list) else ():
        if isinstance(step, dict) and as_int(step.get("seq_number")) == step_number:
            variants = step.get("sequence_variants") or ()
            return {
                vid: str(v.get("variant_label"))
                for v in variants
                if isinstance(v, dict) and (vid := as_int(v.get("id"))) is not None
            }
    return {}


def _counts_by_label(
    client: SmartleadClient, campaign_id: int, step_number: int, ids: Mapping[int, str]
) -> dict[str, VariantCounts]:
    by_id = variant_counts(statistics_rows(client, campaign_id, step_number), POSITIVE_CATEGORIES)
    return {ids[vid]: counts for vid, counts in by_id.items() if vid is not None and vid in ids}


def _promoted(found: _Found, verdict: AbVerdict) -> bool:
    winner = verdict.winner
    if winner is None:
        return False
    wanted = tuple(100 if label == winner else 0 for label in found.labels)
    return found.percentages == wanted


def check_ab(
    project: DesiredProject, matches: Sequence[Match], client: SmartleadClient
) -> tuple[AbTestRun, ...]:
    """Every A/B test of the files, judged on live statistics."""
    runs: list[AbTestRun] = []
    sequences: dict[int, Any] = {}
    for found in _tests(project, matches):
        desired, live = found.match.desired, found.match.live
        path = project.sources[desired.source].path
        base = AbTestRun(
            desired.state.name, desired.source, path, found.step_index, found.spec, found.labels
        )
        if live is None:
            runs.append(replace(base, skipped="not in Smartlead yet"))
            continue
        if live.id not in sequences:
            sequences[live.id] = client.list_sequences(live.id)
        step = found.step_index + 1
        ids = _variant_ids(sequences[live.id], step)
        counts = _counts_by_label(client, live.id, step, ids)
        verdict = evaluate_ab(found.spec, found.labels, counts)
        runs.append(replace(base, verdict=verdict, already_promoted=_promoted(found, verdict)))
    return tuple(runs)
