"""How a failed command ends: a message on stderr for people or, when the command line asks for
`--format json`, one JSON document on stdout for scripts. The exit code is the same either way.

    {"ok": false, "error": {"kind": "input", "message": "...", "hint": null, "exit_code": 1},
     "problems": [{"file": ..., "line": ..., "column": ..., "severity": ..., "code": ...,
                   "message": ..., "hint": ...}]}

`kind` is one of usage, input, config, api, safety, stale, apply, file, aborted, interrupted,
internal.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass

import click

from smartlead_sync.cli.output import Console
from smartlead_sync.errors import ExitCode, InputError, Problem, SyncError
from smartlead_sync.redaction import redact

INTERRUPTED = 130


@dataclass(frozen=True)
class Failure:
    kind: str
    message: str
    exit_code: int
    hint: str | None = None
    problems: Sequence[Problem] = ()


def problem_json(problem: Problem) -> dict[str, object]:
    """One problem as scripts read it (validate's report and failures share the shape)."""
    return {
        "file": problem.file,
        "line": problem.line,
        "column": problem.column,
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
        "hint": problem.hint,
    }


def failure_of(exc: BaseException) -> Failure:
    """What `exc` means to the user: a kind, a message (secrets redacted) and an exit code."""
    match exc:
        case click.exceptions.Abort():
            return Failure("aborted", "aborted", ExitCode.ERROR)
        case click.ClickException():
            # Usage errors exit 1, not click's 2: 2 means "changes present".
            return Failure("usage", exc.format_message(), ExitCode.ERROR)
        case SyncError():
            problems = exc.problems if isinstance(exc, InputError) else ()
            message = redact(exc.message)
            hint = redact(exc.hint) if exc.hint else None
            return Failure(exc.kind, message, exc.exit_code, hint, problems)
        case OSError():  # a file named on the command line could not be written or read
            where = f"{exc.filename}: " if exc.filename else ""
            text = redact(f"cannot use {where}{exc.strerror or exc}")
            return Failure("file", text, ExitCode.ERROR)
        case KeyboardInterrupt():
            return Failure("interrupted", "interrupted", INTERRUPTED)
    # A bug: say so plainly, never a traceback with a URL in it.
    text = f"internal error: {type(exc).__name__}: {redact(str(exc))}"
    hint = "This is a bug in smartlead-sync; nothing after this point was changed."
    return Failure("internal", text, ExitCode.ERROR, hint)


def asks_for_json(argv: Sequence[str]) -> bool:
    """Whether the command line asks for `--format json`. Read from the words themselves, so
    that an error click finds while parsing (before any option is processed) is JSON too."""
    words = list(argv)
    pairs = itertools.pairwise(words)  # also for no words at all (a shell completion call)
    return "--format=json" in words or ("--format", "json") in pairs


def report_failure(exc: BaseException, *, as_json: bool, console: Console) -> int:
    """Tell the user on `console` (or, `as_json`, the script on stdout) what went wrong; return
    the exit code."""
    failure = failure_of(exc)
    if as_json:
        document = {
            "ok": False,
            "error": {
                "kind": failure.kind,
                "message": failure.message,
                "hint": failure.hint,
                "exit_code": failure.exit_code,
            },
            "problems": [problem_json(p) for p in failure.problems],
        }
        click.echo(redact(json.dumps(document, indent=2, ensure_ascii=False)))
        return failure.exit_code
    if isinstance(exc, click.ClickException):
        exc.show(file=console.stream)
        return failure.exit_code
    for problem in failure.problems:  # each line names its own severity: no second prefix
        console.print(problem.render())
    hint = f"\n  {'' if failure.kind == 'internal' else 'hint: '}{failure.hint}"
    console.error(failure.message + (hint if failure.hint else ""))
    return failure.exit_code
