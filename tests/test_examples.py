"""The example project in campaigns/ (the README's quick start) works, whatever it contains:
it validates, applies to an empty emulated account, and plans to nothing afterwards."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import REPO_ROOT, RunCli


def test_the_examples_validate_apply_and_converge_on_the_emulator(
    run_cli: RunCli, tmp_path: Path
) -> None:
    # A copy, so the emulator's account lands in the copy's state folder, not the checkout.
    shutil.copytree(REPO_ROOT / "campaigns", tmp_path / "campaigns")
    validated = run_cli("validate", cwd=tmp_path)
    assert validated.returncode == 0, validated.stdout
    applied = run_cli("apply", "--emulator", "--auto-approve", cwd=tmp_path)
    assert applied.returncode == 0, applied.stdout + applied.stderr
    planned = run_cli("plan", "--emulator", "--detailed-exitcode", cwd=tmp_path)
    assert planned.returncode == 0, planned.stdout + planned.stderr
