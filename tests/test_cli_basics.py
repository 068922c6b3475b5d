from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from smartlead_sync.cli import cli


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "Campaign-as-code" in result.output


def test_unknown_flag_is_a_usage_error_with_exit_1_and_no_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "smartlead_sync", "--no-such-flag"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1
    assert "No such option" in proc.stderr
    assert "Traceback" not in proc.stderr
