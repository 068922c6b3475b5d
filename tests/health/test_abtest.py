"""A/B verdicts and the file edits that promote a winner, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartlead_sync.desired import CampaignSource, load_desired
from smartlead_sync.health.ab_write import CannotEdit, promotion_edits
from smartlead_sync.health.abtest import AbOutcome, evaluate_ab
from smartlead_sync.health.analytics_counts import VariantCounts, variant_counts
from smartlead_sync.health.spec import AbMetric, AbTestSpec, OnWinner
from tests.health.projects import AB_STEP, write_project

SPEC = AbTestSpec(metric=AbMetric.REPLY_RATE, min_sends=200, confidence=95)


def test_three_variants_need_the_leader_to_beat_each_at_a_bonferroni_level() -> None:
    counts = {
        "A": VariantCounts(sends=300, replies=9),
        "B": VariantCounts(sends=300, replies=36),
        "C": VariantCounts(sends=300, replies=30),
    }
    verdict = evaluate_ab(SPEC, ("A", "B", "C"), counts)
    assert verdict.outcome is AbOutcome.NOT_SIGNIFICANT  # B is no clear winner over C
    assert verdict.leader == "B" and verdict.winner is None
    clear = {**counts, "C": VariantCounts(sends=300, replies=6)}
    won = evaluate_ab(SPEC, ("A", "B", "C"), clear)
    assert won.winner == "B" and won.losers == ("A", "C")
    assert won.message.startswith("B beats A, C at ")


def test_too_few_sends_names_the_short_variants() -> None:
    counts = {"A": VariantCounts(sends=250, replies=2), "B": VariantCounts(sends=120, replies=30)}
    verdict = evaluate_ab(SPEC, ("A", "B"), counts)
    assert verdict.outcome is AbOutcome.NOT_ENOUGH_SENDS
    assert verdict.message == "not enough sends yet: B has 120 of the 200 needed per variant"


def test_the_metric_picks_the_events_and_rows_count_per_email() -> None:
    rows = [
        {
            "seq_variant_id": "11",
            "reply_time": "t",
            "lead_category": "Interested",
            "open_time": "t",
        },
        {"seq_variant_id": 11, "reply_time": "t", "lead_category": "Not Interested"},
        {"seq_variant_id": 12, "click_time": "t", "lead_category": "Interested"},
    ]
    by_id = variant_counts(rows, frozenset({"Interested"}))
    assert by_id[11] == VariantCounts(sends=2, opens=1, clicks=0, replies=2, positive_replies=1)
    assert by_id[12] == VariantCounts(sends=1, clicks=1)  # a category is not a reply (§8)


def _source(tmp_path: Path, step: str) -> tuple[Path, CampaignSource]:
    root = write_project(tmp_path, {"Opener": step})
    project = load_desired(root, env={})
    return root / "Opener.yaml", project.sources["Opener.yaml"]


def test_existing_percentages_are_replaced_in_place(tmp_path: Path) -> None:
    step = (
        AB_STEP.format(on_winner="winner_to_100")
        .replace(
            "      - label: B   # the challenger\n",
            "      - label: B   # the challenger\n        percentage: 50  # even split\n",
        )
        .replace("      - label: A\n", "      - label: A\n        percentage: 50\n")
    )
    path, source = _source(tmp_path, step)
    lines = promotion_edits(source, 0, "A", OnWinner.WINNER_TO_100)
    assert "\n".join(lines) + "\n" == path.read_text().replace(
        "percentage: 50\n", "percentage: 100\n"
    ).replace("percentage: 50  # even split", "percentage: 0  # even split")


def test_flow_style_variants_are_left_for_a_hand_edit(tmp_path: Path) -> None:
    step = (
        "sequence:\n  - delay_days: 0\n    variants:\n"
        "      - {label: A, subject: Hi, body: x}\n      - {label: B, subject: Hey, body: y}\n"
        "    ab_test: {metric: reply_rate}\n"
    )
    _, source = _source(tmp_path, step)
    with pytest.raises(CannotEdit, match="flow style"):
        promotion_edits(source, 0, "B", OnWinner.WINNER_TO_100)


def test_variants_inherited_from_a_template_are_not_edited(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"Opener": "extends: templates/opener.yaml\n"})
    (root / "templates").mkdir()
    (root / "templates" / "opener.yaml").write_text(AB_STEP.format(on_winner="remove_losers"))
    source = load_desired(root, env={}).sources["Opener.yaml"]
    with pytest.raises(CannotEdit, match=r"opener\.yaml, which other campaigns may share"):
        promotion_edits(source, 0, "B", OnWinner.REMOVE_LOSERS)
