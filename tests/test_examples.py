"""The example project in campaigns/ (the README's quick start) works, whatever it contains:
the smartlead-sync commands of the README's first command line validate it, apply it to an
empty emulated account and then plan to nothing."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

from tests.cli_process import REPO_ROOT
from tests.conftest import RunCli


def _quick_start_commands() -> list[list[str]]:
    """The smartlead-sync commands of the README's first shell block, in order."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    first = re.findall(r"```sh\n(.*?)\n```", readme, re.S)[0]
    words = [shlex.split(part) for part in first.split("&&")]
    return [w[1:] for w in words if w and w[0] == "smartlead-sync"]


def test_the_quick_start_validates_applies_and_converges_on_the_examples(
    run_cli: RunCli, tmp_path: Path
) -> None:
    commands = _quick_start_commands()
    assert [c[0] for c in commands] == ["validate", "apply", "plan"]
    assert "--detailed-exitcode" in commands[-1]  # so exit 0 below means "No changes"
    # A copy, so the emulator's account lands in the copy's state folder, not the checkout.
    shutil.copytree(REPO_ROOT / "campaigns", tmp_path / "campaigns")
    for args in commands:
        done = run_cli(*args, cwd=tmp_path)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
