"""The final re-read after every write is done: stopped by Ctrl-C or SIGTERM, or failing, it
still ends with a report and a closed journal that say "writes done, convergence not verified",
and exit 1 (the writes stand; only the check is missing)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from smartlead_sync.apply.journal import Journal, find_unfinished_run, read_journal
from smartlead_sync.apply.report import ApplyReport, CampaignOutcome
from smartlead_sync.apply.report_text import render_report_text
from smartlead_sync.apply.run import ApplyContext, apply_plan
from smartlead_sync.desired import load_desired
from smartlead_sync.emulator import TRANSPORT_BASE_URL, Emulator, EmulatorConfig, Faults
from smartlead_sync.plan.planning import make_plan
from smartlead_sync.smartlead.provider import SmartleadProvider
from tests.apply.projects import write_project
from tests.emulated import UNLIMITED, client_for, converge, provider_on

SCALE = 1e6


class InterruptOnNthList(httpx.BaseTransport):
    """The emulator's transport, with a Ctrl-C landing while the `n`th GET /campaigns waits."""

    def __init__(self, inner: httpx.BaseTransport, n: int) -> None:
        self.inner, self.n, self.seen = inner, n, 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET" and request.url.path.rstrip("/").endswith("/campaigns"):
            self.seen += 1
            if self.seen == self.n:
                raise KeyboardInterrupt
        return self.inner.handle_request(request)


@contextmanager
def edited_account(tmp_path: Path) -> Iterator[tuple[Emulator, Path]]:
    """A converged ACTIVE campaign whose subject the files have since changed."""
    root = write_project(tmp_path / "campaigns", campaigns=1, leads=3)
    emulator = Emulator(EmulatorConfig(time_scale=SCALE))
    project = load_desired(root, env={})
    with provider_on(emulator, UNLIMITED) as provider:
        converge(provider, project.campaigns, project.tool)
    campaign = root / "campaign-00.yaml"
    campaign.write_text(campaign.read_text().replace("Quick question", "One question"))
    try:
        yield emulator, root
    finally:
        emulator.close()


def _apply(
    provider: SmartleadProvider, root: Path, journal_path: Path, *, before_apply: object = None
) -> ApplyReport:
    project = load_desired(root, env={})
    plan = make_plan(provider, project.campaigns, project.tool)
    assert plan.has_changes
    if callable(before_apply):
        before_apply()
    journal = Journal.open(journal_path)
    try:
        ctx = ApplyContext(provider, project.tool, journal=journal, time_scale=SCALE)
        return apply_plan(plan, project.campaigns, ctx)
    finally:
        journal.close()


def _assert_writes_done_but_unverified(report: ApplyReport, journal_path: Path) -> None:
    assert [c.outcome for c in report.campaigns] == [CampaignOutcome.APPLIED]
    assert report.converged is None and report.unverified is not None
    assert int(report.exit_code) == 1
    assert report.to_json()["unverified"] == report.unverified
    text = render_report_text(report)
    assert "Writes done, convergence not verified" in text
    assert find_unfinished_run(journal_path) is None  # the next run will not call it unfinished
    finished = [e for e in read_journal(journal_path) if e.event.value == "run_finished"]
    assert finished[-1].get("unverified") == report.unverified


def test_ctrl_c_during_the_final_reread_still_reports_and_closes_the_journal(
    tmp_path: Path,
) -> None:
    with edited_account(tmp_path) as (emulator, root):
        transport = InterruptOnNthList(emulator.transport(), n=2)  # 1: plan, 2: re-read
        client = client_for(
            TRANSPORT_BASE_URL, limits=UNLIMITED, time_scale=SCALE, transport=transport
        )
        with client:
            report = _apply(SmartleadProvider(client), root, tmp_path / "journal.jsonl")
        assert transport.seen == 2
        _assert_writes_done_but_unverified(report, tmp_path / "journal.jsonl")
        assert report.unverified == "the final re-read was interrupted"
        assert not report.interrupted  # every write was made


def test_an_unusable_answer_during_the_final_reread_is_reported_not_raised(
    tmp_path: Path,
) -> None:
    with edited_account(tmp_path) as (emulator, root), provider_on(emulator, UNLIMITED) as p:
        bad = Faults(bad_bodies=(("GET /campaigns", "html"),))
        report = _apply(
            p, root, tmp_path / "journal.jsonl", before_apply=lambda: emulator.set_faults(bad)
        )
        _assert_writes_done_but_unverified(report, tmp_path / "journal.jsonl")
        assert report.unverified is not None
        assert "Smartlead answered something unusable" in report.unverified
        assert "GET /campaigns" in report.unverified
