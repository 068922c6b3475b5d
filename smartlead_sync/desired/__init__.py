"""The desired side: campaign files and lead sources -> validated, normalized campaigns.

load_project(root, env=..., campaigns=...) -> (DesiredProject, list[Problem])
    what is valid, and every problem found (what the commands use)
load_desired(root, env=..., campaigns=...) -> DesiredProject
    the same, raising InputError when any problem is an error
check_project(project) -> list[Problem]     (offline checks)
campaign_file_from_state(state) -> CampaignFile     (for `import`)
"""

from __future__ import annotations

from smartlead_sync.desired.checks import check_project
from smartlead_sync.desired.layout import PROJECT_FILE
from smartlead_sync.desired.loader import load_desired, load_project
from smartlead_sync.desired.models import CampaignFile
from smartlead_sync.desired.project import CampaignSource, DesiredProject
from smartlead_sync.desired.project_file import ProjectFile
from smartlead_sync.desired.reverse import campaign_file_from_state
from smartlead_sync.tool_settings import ToolSettings

__all__ = [
    "PROJECT_FILE",
    "CampaignFile",
    "CampaignSource",
    "DesiredProject",
    "ProjectFile",
    "ToolSettings",
    "campaign_file_from_state",
    "check_project",
    "load_desired",
    "load_project",
]
