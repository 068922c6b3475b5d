"""A client-scoped API key files every create under its client (smartlead-api.md §9): a file
without `client_id` must never make a second copy on the next apply."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.errors import InputError
from tests.apply.projects import campaign_name, write_project
from tests.apply.support import apply_now, plan_now
from tests.emulated import UNLIMITED, provider_on

CLIENT_KEY = "client-scoped-key"
CLIENT = 7


def test_a_second_apply_with_a_client_scoped_key_refuses_instead_of_duplicating(
    tmp_path: Path,
) -> None:
    project = write_project(tmp_path / "campaigns", campaigns=1, leads=2, status="drafted")
    path = project / "campaign-00.yaml"  # the seeded mailboxes belong to no client
    path.write_text(
        "".join(
            line
            for line in path.read_text().splitlines(keepends=True)
            if not line.startswith("mailboxes:")
        )
    )
    config = EmulatorConfig(time_scale=1e6, client_api_keys=((CLIENT_KEY, CLIENT),))
    emulator = Emulator(config)
    with provider_on(emulator, UNLIMITED, key=CLIENT_KEY) as provider:
        first = apply_now(project, provider)
        (created,) = provider.list_campaigns()

        with pytest.raises(InputError) as refused:
            apply_now(project, provider)

        assert first.exit_code == 1  # created, then found under the key's client
        (report,) = first.campaigns
        assert f"under client {CLIENT}, but the file names no client" in (report.error or "")
        assert f"Add `client_id: {CLIENT}`" in (report.error or "")
        assert created.client_id == CLIENT and created.name == campaign_name(0)
        (problem,) = refused.value.problems
        assert f"'{campaign_name(0)}' (id {created.id})" in problem.message
        assert f"add `client_id: {CLIENT}` (or `id: {created.id}`)" in (problem.hint or "")
        assert len(provider.list_campaigns()) == 1

        path.write_text(f"client_id: {CLIENT}\n" + path.read_text())
        fixed = plan_now(project, provider)
        assert [c.live_id for c in fixed.campaigns] == [created.id]  # no create
        assert apply_now(project, provider).exit_code == 0
        assert not plan_now(project, provider).has_changes
        assert len(provider.list_campaigns()) == 1
    emulator.close()
