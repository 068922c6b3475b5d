"""A campaign renamed in the Smartlead UI is recognised by its content: apply renames it back
instead of creating a copy; a create that looks like several live campaigns is refused."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from tests.apply.projects import campaign_name, write_project
from tests.apply.support import Served, apply_cli, served_emulator
from tests.conftest import RunCli

pytestmark = pytest.mark.slow

TIME_SCALE = 200.0


def _names(served: Served) -> Counter[str]:
    with served.checks() as provider:
        return Counter(c.name for c in provider.list_campaigns())


def _id_of(served: Served, name: str) -> int:
    with served.checks() as provider:
        return next(c.id for c in provider.list_campaigns() if c.name == name)


def test_a_campaign_renamed_in_the_ui_is_renamed_back_not_created_again(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "repo" / "campaigns", campaigns=2, leads=3)
    with served_emulator(tmp_path / "account.sqlite3", time_scale=TIME_SCALE) as served:
        assert apply_cli(run_cli, project, served, "--auto-approve").returncode == 0
        renamed = _id_of(served, campaign_name(1))
        served.emulator.edit_campaign(renamed, name="Q4 push (edited in the UI)")

        result = apply_cli(run_cli, project, served, "--auto-approve", "--format", "json")
        names = _names(served)
        again = apply_cli(run_cli, project, served, "--auto-approve")

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    applied = [c for c in report["campaigns"] if c["outcome"] == "applied"]
    assert [(c["name"], c["id"]) for c in applied] == [(campaign_name(1), renamed)]
    assert [s["kind"] for s in applied[0]["done"]] == ["rename"]
    assert names == Counter({campaign_name(0): 1, campaign_name(1): 1})  # 0 duplicates
    assert "No changes" in again.stdout


def test_a_create_that_looks_like_several_live_campaigns_is_refused_naming_them(
    run_cli: RunCli, tmp_path: Path
) -> None:
    project = write_project(tmp_path / "repo" / "campaigns", campaigns=1, leads=2)
    with served_emulator(tmp_path / "account.sqlite3", time_scale=TIME_SCALE) as served:
        assert apply_cli(run_cli, project, served, "--auto-approve").returncode == 0
        first = _id_of(served, campaign_name(0))
        served.emulator.edit_campaign(first, name="Renamed in the UI")
        with served.checks() as provider:  # a person duplicates it in the UI
            steps = provider.read_content(first).sequence or ()
            second = provider.create_campaign("A UI duplicate", None)
            plain = [replace(s, id=None, variants=()) for s in steps]
            provider.save_sequence(second, plain)
        served.emulator.reset_stats()

        refused = apply_cli(run_cli, project, served, "--auto-approve")
        writes = [e for e in served.emulator.stats().log if e.method != "GET"]

    assert refused.returncode == 3, refused.stdout + refused.stderr
    assert f"'Renamed in the UI' (id {first})" in refused.stderr
    assert f"'A UI duplicate' (id {second})" in refused.stderr
    assert "pin `id:` (or add its name to `previous_names:`)" in refused.stderr
    assert writes == []
