"""The `smartlead-sync` command line. The only place that reads the environment, prints and exits.

Every command lives in its own module, named in `COMMANDS` and imported only when it runs, so
that `--help` stays fast. Errors from any layer are turned into a message and an exit code in
`main`, with the API key redacted from anything printed.
"""

from __future__ import annotations

import os
import sys

import click

from smartlead_sync import __version__
from smartlead_sync.cli.context import NO_COLOR_OPTION, CliContext
from smartlead_sync.cli.failure import asks_for_json, report_failure
from smartlead_sync.cli.lazy import LazyCommand, LazyGroup
from smartlead_sync.cli.output import redacting_streams
from smartlead_sync.errors import ExitCode
from smartlead_sync.redaction import CREDENTIAL_VARIABLES, register_secret

COMMANDS = {
    "validate": LazyCommand(
        "smartlead_sync.cli.validate",
        "Check campaign files and lead sources offline: schema, emails, {{variables}}, "
        "START preconditions.",
    ),
    "schema": LazyCommand(
        "smartlead_sync.cli.validate",
        "Print the JSON Schema of the campaign file (for editor validation).",
    ),
    "plan": LazyCommand(
        "smartlead_sync.cli.plan",
        "Show what apply would change in Smartlead to match the campaign files.",
    ),
    "apply": LazyCommand(
        "smartlead_sync.cli.apply",
        "Apply the changes a plan shows, in a safe order under the rate limits.",
    ),
    "import": LazyCommand(
        "smartlead_sync.cli.import_command",
        "Write live campaigns as campaign files, so that the first `plan` shows no change.",
    ),
    "guard": LazyCommand(
        "smartlead_sync.cli.guard",
        "Check the campaign files' guards against live analytics; pause what tripped.",
    ),
    "ab": LazyCommand(
        "smartlead_sync.cli.ab",
        "Judge the files' A/B tests on live statistics; propose each winner as a file edit.",
    ),
    "doctor": LazyCommand(
        "smartlead_sync.cli.doctor",
        "Check the API key, the account and what the files refer to; exit 1 if anything is wrong.",
    ),
    "emulator": LazyCommand(
        "smartlead_sync.cli.emulator",
        "A local Smartlead API v1 for trying the tool and for tests (no account needed).",
    ),
    "github": LazyCommand(
        "smartlead_sync.cli.github_commands", "Publish plans on GitHub from a GitHub Actions job."
    ),
    "init": LazyCommand(
        "smartlead_sync.cli.init",
        "Create a starter project in DIR (default: the repository's root).",
    ),
    "lock-workflows": LazyCommand(
        "smartlead_sync.cli.lockfile",
        "Write the hashed lock the workflows install smartlead-sync from.",
    ),
    "show": LazyCommand(
        "smartlead_sync.cli.show",
        "Print a saved plan (made by `plan --out PLAN`) again, as text, markdown or JSON.",
    ),
    "help": LazyCommand(
        "smartlead_sync.cli.meta",
        "Show the help of smartlead-sync, or of one command (`help plan`, `help emulator serve`).",
    ),
    "completion": LazyCommand(
        "smartlead_sync.cli.meta",
        "Print the shell completion script for SHELL (commands, options, choices, files).",
    ),
}


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    shared_params=[NO_COLOR_OPTION],
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "-V", "--version", prog_name="smartlead-sync")
def cli() -> None:
    """Campaign-as-code for Smartlead.ai.

    Keep campaigns in git as YAML, `plan` the difference against live Smartlead, review it,
    and `apply` it in a safe order under Smartlead's rate limits.

    \b
    Typical flow:
      smartlead-sync init                a starter project at the repository's root
      smartlead-sync validate            offline checks: schema, emails, {{variables}}
      smartlead-sync plan                what would change (exit 2 with --detailed-exitcode)
      smartlead-sync apply               carry the plan out (asks first on a terminal)

    Try it with no account: add --emulator to plan/apply/import to use the embedded emulator.
    Local state (the emulator's account, the apply journal) is kept in the .smartlead-sync/
    folder beside the project file, which keeps itself out of git.

    \b
    Exit codes: 0 success or no changes, 1 error, 2 changes present (--detailed-exitcode),
                3 blocked by a safety rule, 4 saved plan is stale.
    """


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI and map every failure to a clear message and an exit code.

    Everything written to stdout and stderr passes the redaction of known secrets; the
    credentials the tool reads from the environment are known from the start."""
    for name in CREDENTIAL_VARIABLES:
        register_secret(os.environ.get(name))
    with redacting_streams():
        _run(argv)


def _run(argv: list[str] | None) -> None:
    """One run with its own `CliContext`, which also reports a failure (in colour or not)."""
    run = CliContext()
    try:
        code = cli.main(args=argv, prog_name="smartlead-sync", standalone_mode=False, obj=run)
    except (Exception, KeyboardInterrupt) as exc:
        as_json = asks_for_json(sys.argv[1:] if argv is None else argv)
        sys.exit(report_failure(exc, as_json=as_json, console=run.stderr))
    sys.exit(int(code) if isinstance(code, int) else ExitCode.OK)
