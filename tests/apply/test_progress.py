from __future__ import annotations

from smartlead_sync.apply.progress import Progress
from smartlead_sync.apply.report import CampaignOutcome


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _progress(live: bool, clock: FakeClock, out: list[str]) -> Progress:
    return Progress(
        out.append, live=live, total_campaigns=2, total_leads=1000, interval=10, clock=clock
    )


def test_plain_mode_prints_periodic_lines_with_eta() -> None:
    clock, out = FakeClock(), list[str]()
    progress = _progress(False, clock, out)
    progress.campaign_started("Q3", 5)
    progress.leads_sent(100)  # the first batch starts the clock; too early for a line
    clock.now += 5
    progress.leads_sent(100)
    clock.now += 6
    progress.leads_sent(100)
    text = "".join(out)
    assert text.splitlines() == [
        "Q3: applying 5 change(s)",
        "progress: leads 300/1,000 (30%), campaigns 0/2, ETA 38s",
    ]
    assert "\r" not in text


def test_plain_mode_always_prints_the_last_batch_and_hides_steps() -> None:
    clock, out = FakeClock(), list[str]()
    progress = _progress(False, clock, out)
    progress.step_done("Q3", "update settings")
    progress.leads_sent(1000)
    progress.campaign_finished("Q3", CampaignOutcome.APPLIED, "1000 leads attached")
    assert "".join(out).splitlines() == [
        "progress: leads 1,000/1,000 (100%), campaigns 0/2, ETA 0.0s",
        "Q3: done (1000 leads attached)",
    ]


def test_live_mode_redraws_the_status_line_below_campaign_lines() -> None:
    clock, out = FakeClock(), list[str]()
    progress = _progress(True, clock, out)
    progress.leads_sent(500)
    clock.now += 10
    progress.step_done("Q3", "attach mailboxes")
    progress.close()
    text = "".join(out)
    assert "[############............] leads 500/1,000 (50%)" in text
    # the step line clears the bar, prints, and the bar comes back below it
    after_step = text.split("Q3: attach mailboxes\n", 1)[1]
    assert after_step.startswith("\r\x1b[K[############")
    assert text.endswith("\r\x1b[K")


def test_failure_is_always_printed() -> None:
    clock, out = FakeClock(), list[str]()
    progress = _progress(False, clock, out)
    progress.step_failed("Q3", "save sequence", "server error (500)")
    progress.campaign_finished("Q3", CampaignOutcome.FAILED)
    assert "".join(out).splitlines() == [
        "Q3: FAILED at save sequence: server error (500)",
        "Q3: FAILED",
    ]


def test_eta_is_unknown_before_any_lead() -> None:
    assert _progress(False, FakeClock(), []).eta_seconds() is None
