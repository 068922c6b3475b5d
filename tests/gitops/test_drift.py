"""Drift attribution: a change made in the (emulated) Smartlead UI is told apart from a change made
in the repository, by comparing the files with the files at a base commit."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from smartlead_sync.desired import DesiredProject, load_desired
from smartlead_sync.desired.import_campaigns import import_files, write_files
from smartlead_sync.emulator import EMULATOR_API_KEY, TRANSPORT_BASE_URL, Emulator
from smartlead_sync.gitops.drift import (
    Attributed,
    DriftReport,
    Origin,
    attribute_changes,
    drift_markdown,
    drift_text,
)
from smartlead_sync.plan.planning import make_plan
from tests.emulated import new_emulator, provider_on
from tests.gitops.ui_campaigns import click_campaigns

FOUNDERS, CFOS, REENGAGE = "Q3 Founders Outreach", "SaaS CFOs (Acme Agency)", "Re-engage cold 2024"


@dataclass
class Account:
    """An emulated account made in the UI, imported into `base` (the files as last applied)."""

    emulator: Emulator
    ids: dict[str, int]
    files: Path

    def edit(self, name: str, old: str, new: str) -> None:
        path = next(p for p in self.files.rglob("*.yaml") if f"name: {name}" in p.read_text())
        text = path.read_text()
        assert old in text
        path.write_text(text.replace(old, new))

    def api(self, method: str, path: str, body: object = None) -> None:
        with httpx.Client(
            transport=self.emulator.transport(),
            base_url=TRANSPORT_BASE_URL,
            params={"api_key": EMULATOR_API_KEY},
        ) as http:
            http.request(method, path, json=body).raise_for_status()

    def attribute(self, base: DesiredProject) -> DriftReport:
        current = load_desired(self.files, env={})
        with provider_on(self.emulator, current.tool.rate_limits) as provider:
            plan = make_plan(provider, current.campaigns, current.tool)
        return attribute_changes(plan, current.campaigns, base.campaigns, "base")


@pytest.fixture
def account(tmp_path: Path) -> Iterator[tuple[Account, DesiredProject]]:
    emulator = new_emulator()
    ids = click_campaigns(emulator)
    with provider_on(emulator) as provider:
        states = [provider.read_campaign(i) for i in ids.values()]
    write_files(import_files(states), tmp_path, force=False)
    base = load_desired(tmp_path, env={})
    yield Account(emulator, ids, tmp_path), base
    emulator.close()


def _items(report: DriftReport) -> set[tuple[str, Origin]]:
    return {(item.campaign, item.origin) for item in report.items}


def _only(report: DriftReport, campaign: str) -> Attributed:
    (item,) = [i for i in report.items if i.campaign == campaign]
    return item


def test_nothing_to_attribute_when_nothing_changed(
    account: tuple[Account, DesiredProject],
) -> None:
    acc, base = account
    assert acc.attribute(base).items == ()


UI_CHANGES: dict[str, Callable[[Account], None]] = {
    "paused": lambda a: a.emulator.set_campaign_status(a.ids[FOUNDERS], "PAUSED"),
    "schedule": lambda a: a.emulator.edit_campaign(a.ids[REENGAGE], max_leads_per_day=99),
    "subject": lambda a: a.emulator.edit_step(a.ids[CFOS], 1, subject="Edited in the UI"),
    "tracking": lambda a: a.emulator.edit_campaign(a.ids[CFOS], track_settings=["DONT_EMAIL_OPEN"]),
}


@pytest.mark.parametrize("change", sorted(UI_CHANGES))
def test_a_change_made_in_the_ui_is_attributed_to_smartlead(
    account: tuple[Account, DesiredProject], change: str
) -> None:
    acc, base = account
    UI_CHANGES[change](acc)
    report = acc.attribute(base)
    assert report.items
    assert {item.origin for item in report.items} == {Origin.SMARTLEAD}


def test_repository_and_ui_changes_are_told_apart(
    account: tuple[Account, DesiredProject],
) -> None:
    acc, base = account
    acc.emulator.set_campaign_status(acc.ids[FOUNDERS], "PAUSED")
    acc.edit(CFOS, "subject: Month-end close at", "subject: Quarter-end close at")
    report = acc.attribute(base)
    assert _items(report) == {(FOUNDERS, Origin.SMARTLEAD), (CFOS, Origin.REPOSITORY)}
    assert _only(report, FOUNDERS).what == 'status: "paused" -> "active"'
    assert _only(report, CFOS).what.startswith("sequence step 1.subject: ")


def test_the_repository_wins_where_both_changed_the_same_field(
    account: tuple[Account, DesiredProject],
) -> None:
    acc, base = account
    acc.emulator.edit_step(acc.ids[CFOS], 1, subject="Edited in the UI")
    acc.edit(CFOS, "subject: Month-end close at", "subject: Quarter-end close at")
    assert _only(acc.attribute(base), CFOS).origin is Origin.REPOSITORY


def test_a_campaign_deleted_in_the_ui_is_missing_in_smartlead(
    account: tuple[Account, DesiredProject],
) -> None:
    acc, base = account
    acc.api("DELETE", f"/campaigns/{acc.ids[REENGAGE]}")
    acc.edit(REENGAGE, f"id: {acc.ids[REENGAGE]}\n", "")  # an id pin to a deleted campaign
    item = _only(acc.attribute(base), REENGAGE)
    assert item == Attributed(
        REENGAGE, "campaign to create: it is missing in Smartlead", Origin.SMARTLEAD
    )


def test_a_new_campaign_file_is_a_repository_change(
    account: tuple[Account, DesiredProject],
) -> None:
    acc, base = account
    (acc.files / "brand-new.yaml").write_text("name: Brand new\nstatus: drafted\n")
    assert _only(acc.attribute(base), "Brand new") == Attributed(
        "Brand new", "new campaign", Origin.REPOSITORY
    )


def test_a_detached_mailbox_is_attributed_per_mailbox(
    account: tuple[Account, DesiredProject],
) -> None:
    acc, base = account
    with provider_on(acc.emulator) as provider:
        (alex,) = [m.id for m in provider.list_mailboxes() if m.email.startswith("alex@")]
    acc.api(
        "DELETE", f"/campaigns/{acc.ids[FOUNDERS]}/email-accounts", {"email_account_ids": [alex]}
    )
    assert _only(acc.attribute(base), FOUNDERS) == Attributed(
        FOUNDERS, "attach mailbox alex@outreach-example.com", Origin.SMARTLEAD
    )


def test_reports_render_both_groups_with_names_kept_inert() -> None:
    report = DriftReport(
        "HEAD^1 (abc1234)",
        (
            Attributed("<b>Q3</b> *launch*", 'status: "paused" -> "active"', Origin.SMARTLEAD),
            Attributed("CFOs @octo-org/admins", "sequence step 1.subject", Origin.REPOSITORY),
        ),
    )
    text = drift_text(report)
    assert "Changed in Smartlead, outside the repository (applying this plan undoes it):" in text
    assert '    <b>Q3</b> *launch*: status: "paused" -> "active"' in text
    assert "Changed in the repository (since HEAD^1 (abc1234)):" in text
    markdown = drift_markdown(report)
    assert '- &lt;b&gt;Q3&lt;/b&gt; \\*launch\\*: `status: "paused" -> "active"`' in markdown
    assert "<b>Q3" not in markdown
    assert "- CFOs `@octo-org/admins`: `sequence step 1.subject`" in markdown
    assert drift_text(DriftReport("x", ())) == drift_markdown(DriftReport("x", ())) == ""


def test_leads_are_attributed_one_by_one(account: tuple[Account, DesiredProject]) -> None:
    acc, base = account
    with provider_on(acc.emulator) as provider:
        jane = provider.read_leads(acc.ids[FOUNDERS])["jane.doe@northwind.example"]
    acc.api("DELETE", f"/campaigns/{acc.ids[FOUNDERS]}/leads/{jane.id}")
    csv_file = acc.files / "leads" / "q3-founders-outreach.csv"
    csv_file.write_text(csv_file.read_text() + "new.lead@initech.example,New,,Initech,,,\n")
    report = acc.attribute(base)
    assert set(report.items) == {
        Attributed(FOUNDERS, "1 lead(s) to add", Origin.SMARTLEAD),
        Attributed(FOUNDERS, "1 lead(s) to add", Origin.REPOSITORY),
    }
