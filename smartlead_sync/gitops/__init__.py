"""GitOps glue: the sticky pull-request comment, the drift issue and the job summary.

`bodies` and `decisions` are pure; `github` is the only module here that talks HTTP (to the
GitHub REST API), and `publish` ties the two together. The CLI (`cli/github.py`) reads the
GitHub Actions environment and passes everything down by argument.
"""

from __future__ import annotations
