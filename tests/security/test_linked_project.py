"""A project directory reached through a committed symlink that leaves the git repository is
not read: a pull request could otherwise point `plan` at any folder of the machine running it
and have its keys and names printed in the plan comment. Links above the repository (a home
directory on another volume) and links that stay inside it keep working."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import RunCli

CAMPAIGN = (
    "name: Inside\nstatus: drafted\nsequence:\n  - {delay_days: 0, subject: Hi, body: Hello}\n"
)


def _repository(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / ".git").mkdir()
    return path


def test_a_project_linked_out_of_the_repository_is_not_read(
    tmp_path: Path, run_cli: RunCli
) -> None:
    outside = tmp_path / "runner-files"
    outside.mkdir()
    (outside / "config.yaml").write_text("db_password: hunter2\nname: secret-name-value\n")
    repo = _repository(tmp_path / "repo")
    (repo / "campaigns").symlink_to(outside)
    for args in (("validate",), ("validate", "campaigns"), ("validate", "campaigns/config.yaml")):
        result = run_cli(*args, cwd=repo)
        shown = result.stdout + result.stderr
        assert result.returncode == 1, shown
        assert "campaigns is a symlink to" in shown and "outside the git repository" in shown
        assert "db_password" not in shown and "secret-name-value" not in shown
    result = run_cli("plan", "--emulator", cwd=repo)
    assert result.returncode == 1
    assert sorted(p.name for p in outside.iterdir()) == ["config.yaml"]  # nothing written there


def test_links_above_the_repository_or_inside_it_are_followed(
    tmp_path: Path, run_cli: RunCli
) -> None:
    volume = _repository(tmp_path / "volume" / "repo")
    (volume / "shared").mkdir()
    (volume / "shared" / "welcome.yaml").write_text(CAMPAIGN)
    (volume / "campaigns").symlink_to(volume / "shared")  # stays inside the repository
    (tmp_path / "home").symlink_to(tmp_path / "volume")  # the machine's own link, above it
    result = run_cli("validate", "campaigns", cwd=tmp_path / "home" / "repo")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 campaign(s)" in result.stdout
