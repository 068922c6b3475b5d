"""One exception hierarchy for the whole tool; the CLI turns each into a message and an exit code.

    SyncError                     exit 1 unless said otherwise
    ├── InputError                invalid files (carries Problems with file:line)
    ├── ConfigError               bad settings, flags or environment
    ├── ApiError                  Smartlead answered with an error (smartlead/api_errors.py)
    ├── GitHubError               GitHub answered with an error (gitops/github_api.py)
    ├── SafetyError               blocked by a safety rule            exit 3
    ├── StalePlanError            saved plan no longer matches live   exit 4
    └── ApplyFailed               apply finished with failures        exit 1

Messages must never contain the API key: they are built from redacted parts only.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, IntEnum

from smartlead_sync.masking import needs_escaping, printable


class ExitCode(IntEnum):
    OK = 0
    ERROR = 1
    CHANGES = 2
    BLOCKED = 3
    STALE = 4


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding about the user's input, located as precisely as we can.

    The location is `file:line:column` for YAML, `file:line` for a CSV row, or just `file`.
    """

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    severity: Severity = Severity.ERROR
    code: str = "invalid"
    hint: str | None = None

    def __post_init__(self) -> None:
        # A committed file name, and whatever a message quotes from the files (a `{{variable}}`
        # name, a CSV header, a value), may hold terminal escapes, a newline (a `::` GitHub
        # Actions command on a line of its own) or a bidirectional override: shown escaped,
        # never raw. A problem is one line.
        for name in ("file", "message", "hint"):
            value = getattr(self, name)
            if value is not None and needs_escaping(value):
                object.__setattr__(self, name, printable(value))

    @property
    def location(self) -> str:
        if self.file is None:
            return ""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    def render(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity.value}: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text


class SyncError(Exception):
    """Base of every error the tool reports to the user."""

    exit_code: ExitCode = ExitCode.ERROR
    kind = "error"  # names the failure for scripts (`--format json`)

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}" if self.hint else self.message


class InputError(SyncError):
    """The campaign files or lead sources are invalid; every problem is listed."""

    kind = "input"

    def __init__(self, problems: list[Problem], message: str = "invalid input") -> None:
        super().__init__(message)
        self.problems = problems


class ConfigError(SyncError):
    """A flag, setting or environment variable is wrong."""

    kind = "config"


class SafetyError(SyncError):
    """A change is blocked by a safety rule until the user opts in explicitly."""

    exit_code = ExitCode.BLOCKED
    kind = "safety"


class StalePlanError(SyncError):
    """The saved plan was computed against live state that has since changed."""

    exit_code = ExitCode.STALE
    kind = "stale"


class ApplyFailed(SyncError):
    """Apply ran, but at least one campaign did not converge."""

    kind = "apply"
