"""GitOps glue: the sticky pull-request comment, the drift issue and the job summary.

`github_texts` and `decisions` are pure; `github_api` is the only module here that talks HTTP (to
the GitHub REST API), `github_calls` names the repository's calls, and `publish` ties them together.
The CLI (`cli/github_commands.py`) reads the GitHub Actions environment and passes everything down
by argument.
"""

from __future__ import annotations
