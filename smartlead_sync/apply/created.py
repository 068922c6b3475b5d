"""The read-back after a wave of campaign creates: one campaign list settles every create
against a concurrent run (smartlead/claims.py) and confirms each new id before anything else is
written to it (a wrong id would send writes to another campaign)."""

from __future__ import annotations

from collections.abc import Sequence

from smartlead_sync.apply.jobs import CampaignJob, CreatedCheck, StepResult
from smartlead_sync.apply.writer import CampaignWriter
from smartlead_sync.plan.changes import CreateCampaignChange
from smartlead_sync.smartlead.claims import Claim, Created
from smartlead_sync.state import CampaignSummary


def check_created(provider: CampaignWriter, jobs: Sequence[CampaignJob]) -> CreatedCheck:
    """One list after the wave of creates: settles each against a concurrent run (the
    lowest id wins, claims.py) and reads every new campaign back under the desired name."""
    wave = [Created(*_create_of(job), job.campaign_id or -1) for job in jobs]
    if provider.guard_concurrent_runs:
        listing, claims = provider.settle_wave(wave)
    else:
        listing, claims = provider.list_campaigns(), [Claim(c.id) for c in wave]
    listed = {c.id: c for c in listing}
    problems: dict[str, str] = {}
    adopted: dict[str, StepResult] = {}
    for job, created, claim in zip(jobs, wave, claims, strict=True):
        if claim.adopted:
            adopted[job.name] = StepResult(claim.describe(), created_id=claim.id, adopted=True)
            continue
        problem = _read_back_problem(job, created, listed.get(created.id))
        if problem is not None:
            problems[job.name] = problem
    return CreatedCheck(problems, adopted)


def _create_of(job: CampaignJob) -> tuple[str, int | None]:
    first = job.steps[0].payload
    assert isinstance(first, CreateCampaignChange)
    create = first.payload
    return create.name, create.client_id


def _read_back_problem(
    job: CampaignJob, create: Created, found: CampaignSummary | None
) -> str | None:
    """Why nothing more may be written to the campaign the create answered with, if anything."""
    if found is None:
        return (
            f"Smartlead answered the create with id {create.id}, but no campaign "
            "has that id; nothing else was written to it"
        )
    if found.name == create.name and found.client_id != create.client_id is None:
        return (
            f"Smartlead filed campaign {found.id} under client {found.client_id}, but "
            "the file names no client: this API key is scoped to that client "
            "(smartlead-api.md §9); nothing else was written to it. Add "
            f"`client_id: {found.client_id}` to {job.source} and run apply again"
        )
    if found.name != create.name or (
        create.client_id is not None and found.client_id != create.client_id
    ):
        return (
            f"campaign {create.id} reads back as '{found.name}', not the campaign "
            "that was created; nothing else was written to it"
        )
    return None
