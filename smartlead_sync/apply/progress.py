"""Progress while apply runs: a line per campaign, and lead-upload progress with an ETA.

On a terminal the lead progress is one status line redrawn in place (a bar, counts, ETA);
elsewhere (CI logs) it is a plain line every `interval` seconds, so logs stay readable.
Events arrive from the worker threads; one lock keeps lines whole.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from smartlead_sync.apply.report import CampaignOutcome
from smartlead_sync.apply.report_text import format_duration

BAR_WIDTH = 24
_CLEAR_LINE = "\r\x1b[K"

_FINISH_MARK = {
    CampaignOutcome.APPLIED: "done",
    CampaignOutcome.UNCHANGED: "up to date",
    CampaignOutcome.FAILED: "FAILED",
    CampaignOutcome.INTERRUPTED: "interrupted",
    CampaignOutcome.NOT_STARTED: "not started",
}


class Progress:
    """Receives apply events and writes progress through `sink` (redacted stderr in the CLI)."""

    def __init__(
        self,
        sink: Callable[[str], None] | None,
        *,
        live: bool,
        total_campaigns: int,
        total_leads: int,
        interval: float = 15.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sink = sink
        self._live = live
        self._lock = threading.Lock()
        self._clock = clock
        self._interval = interval
        self._started = clock()
        self._last_plain = self._started
        self._total_campaigns = total_campaigns
        self._total_leads = total_leads
        self._finished_campaigns = 0
        self._leads_done = 0
        self._first_lead_at: float | None = None
        self._first_batch = 0
        self._status_shown = False

    @classmethod
    def silent(cls) -> Progress:
        return cls(None, live=False, total_campaigns=0, total_leads=0)

    def campaign_started(self, name: str, changes: int) -> None:
        self._line(f"{name}: applying {changes} change(s)")

    def step_done(self, name: str, summary: str) -> None:
        if not self._live:
            return  # CI logs get the per-step detail from the report, not one line per call
        self._line(f"{name}: {summary}")

    def step_failed(self, name: str, summary: str, error: str) -> None:
        self._line(f"{name}: FAILED at {summary}: {error}")

    def campaign_finished(self, name: str, outcome: CampaignOutcome, note: str = "") -> None:
        with self._lock:
            self._finished_campaigns += 1
        suffix = f" ({note})" if note else ""
        self._line(f"{name}: {_FINISH_MARK[outcome]}{suffix}")

    def leads_sent(self, count: int) -> None:
        """`count` more leads were handled by Smartlead (attached or refused)."""
        with self._lock:
            now = self._clock()
            if self._first_lead_at is None:
                self._first_lead_at, self._first_batch = now, count
            self._leads_done += count
            if self._live:
                self._draw_status()
            elif now - self._last_plain >= self._interval or self._leads_done >= self._total_leads:
                self._last_plain = now
                self._write(f"progress: {self._status_text()}\n")

    def close(self) -> None:
        with self._lock:
            if self._live and self._status_shown:
                self._write(_CLEAR_LINE)
                self._status_shown = False

    def eta_seconds(self) -> float | None:
        """Remaining upload time from the throughput so far; None until there is a rate."""
        remaining = max(self._total_leads - self._leads_done, 0)
        if remaining == 0:
            return 0.0
        # The first batch marks the start: the rate is what came after it.
        after_first = self._leads_done - self._first_batch
        if self._first_lead_at is None or after_first <= 0:
            return None
        elapsed = max(self._clock() - self._first_lead_at, 1e-9)
        return elapsed / after_first * remaining

    def _status_text(self) -> str:
        total = max(self._total_leads, 1)
        share = min(self._leads_done / total, 1.0)
        eta = self.eta_seconds()
        eta_text = f", ETA {format_duration(eta)}" if eta is not None else ""
        return (
            f"leads {self._leads_done:,}/{self._total_leads:,} ({share:.0%}), "
            f"campaigns {self._finished_campaigns}/{self._total_campaigns}{eta_text}"
        )

    def _draw_status(self) -> None:
        total = max(self._total_leads, 1)
        filled = round(BAR_WIDTH * min(self._leads_done / total, 1.0))
        bar = "#" * filled + "." * (BAR_WIDTH - filled)
        self._write(f"{_CLEAR_LINE}[{bar}] {self._status_text()}")
        self._status_shown = True

    def _line(self, text: str) -> None:
        with self._lock:
            if self._live and self._status_shown:
                self._write(_CLEAR_LINE)
            self._write(text + "\n")
            if self._live and self._leads_done:
                self._draw_status()

    def _write(self, text: str) -> None:
        if self._sink is not None:
            self._sink(text)
