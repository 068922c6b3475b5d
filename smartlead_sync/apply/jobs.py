"""What the executor runs: campaign jobs made of steps, the performer that carries a step
out, and the interruptible wait that lets Ctrl-C stop a thread before it sends anything."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from smartlead_sync.apply.journal import JsonValue
from smartlead_sync.apply.report import CampaignReport


class StepRole(str, Enum):
    CREATE = "create"  # yields the new campaign id
    TEMPORARY_PAUSE = "temporary_pause"  # must be undone if a later step fails
    FINAL_STATUS = "final_status"  # undoes a temporary pause
    LEADS = "leads"  # one lead batch; counts towards lead progress
    OTHER = "other"


@dataclass(frozen=True)
class Step:
    """One change to carry out. `payload` is opaque here; the performer knows it."""

    kind: str
    summary: str
    role: StepRole = StepRole.OTHER
    payload: object = None
    leads: int = 0  # leads in this batch, for progress


@dataclass
class CampaignJob:
    name: str
    steps: Sequence[Step]
    source: str | None = None
    campaign_id: int | None = None  # None until a CREATE step yields it
    position: int = 0  # index of the next step to run
    adopted: bool = False  # another run created the campaign and may still be configuring it
    stale: bool = False  # the steps after `position` must be planned again before they run
    replans_left: int = 0  # failed steps that may still re-plan the rest (adopted only)


@dataclass
class StepResult:
    detail: str | None = None  # e.g. "id 1000123", shown in the report
    created_id: int | None = None
    adopted: bool = False  # the create found another run's object: the steps are planned again
    journal: dict[str, JsonValue] = field(default_factory=dict)  # extra PII-free fields


@dataclass(frozen=True)
class CreatedCheck:
    """What the read-back after the creates found: per job name, why nothing more may be
    written to the new campaign, or the campaign adopted instead (another run created the same
    one at the same moment; its `StepResult` is that of a create that adopted)."""

    problems: dict[str, str] = field(default_factory=dict)
    adopted: dict[str, StepResult] = field(default_factory=dict)


class Interrupted(Exception):
    """Raised from inside a wait (rate limiter, backoff) when the user asked to stop."""


class InterruptibleSleep:
    """A `sleep` for the client: raises Interrupted once `stop` is set, so a thread waiting for
    a rate-limit slot or a retry gives up without sending. `shielded()` lets one thread finish
    a wait anyway (restarting a campaign it paused)."""

    def __init__(self, stop: threading.Event) -> None:
        self._stop = stop
        self._local = threading.local()

    def __call__(self, seconds: float) -> None:
        if getattr(self._local, "shielded", False):
            time.sleep(max(seconds, 0.0))
        elif self._stop.wait(max(seconds, 0.0)):
            raise Interrupted

    @contextmanager
    def shielded(self) -> Iterator[None]:
        self._local.shielded = True
        try:
            yield
        finally:
            self._local.shielded = False


class Performer(Protocol):
    def perform(self, job: CampaignJob, step: Step, report: CampaignReport) -> StepResult:
        """Carry out `step`; raise SyncError on failure, Interrupted if stopped before sending."""
        ...

    def restore_status(self, job: CampaignJob, report: CampaignReport) -> str:
        """Undo a temporary pause (START the campaign again); returns a summary."""
        ...

    def verify_created(self, jobs: Sequence[CampaignJob]) -> CreatedCheck:
        """Settle the new campaigns against concurrent runs and read them back."""
        ...
