"""What loading a project yields: the normalized campaigns plus what the checks need to locate
problems (the validated file model, the merged document with positions, lead rows)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from smartlead_sync.desired.lead_sources import LeadSet
from smartlead_sync.desired.models import CampaignFile
from smartlead_sync.desired.positions import Pos, PosDict, locate, locate_key
from smartlead_sync.errors import Problem
from smartlead_sync.state import DesiredCampaign
from smartlead_sync.tool_settings import ToolSettings


@dataclass(frozen=True)
class BodyFile:
    path: str  # as shown to the user
    text: str


@dataclass(frozen=True)
class CampaignSource:
    """One loaded campaign file with everything needed to point at a line in it."""

    model: CampaignFile
    path: str  # as shown to the user
    data: PosDict  # the merged document (defaults < templates < file), with positions
    bodies: Mapping[str, BodyFile]  # by the `body_file` value as written
    leads: LeadSet | None

    def at(self, *loc: int | str) -> Pos:
        return locate(self.data, loc, self.data.pos)

    def key_at(self, *loc: int | str) -> Pos:
        return locate_key(self.data, loc, self.data.pos)


@dataclass(frozen=True)
class DesiredProject:
    """The desired state of a repository. `sources` is keyed by `DesiredCampaign.source`."""

    root: Path
    campaigns: tuple[DesiredCampaign, ...]
    tool: ToolSettings
    warnings: tuple[Problem, ...] = ()
    sources: Mapping[str, CampaignSource] = field(default_factory=dict)
