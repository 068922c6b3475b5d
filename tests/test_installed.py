"""smartlead-sync as a pip user gets it: a wheel built from this checkout, installed (not
editable) into a fresh virtual environment, used in a git repository outside the checkout:
init, validate, plan, apply and plan again, from the repository root and from a subdirectory,
leaving nothing untracked but the starter's own files.

The wheel is built once per test run, offline: no build isolation and no index, with the build
backend (setuptools) the dev extras install. The new environment sees this environment's
packages (the dependencies) through a path entry, never the checkout itself.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

from smartlead_sync import __version__
from smartlead_sync.starter import LOCK_FILE, starter_files
from tests.cli_process import REPO_ROOT
from tests.conftest import UNREACHABLE_INDEX
from tests.fake_pypi import fake_index

Completed = subprocess.CompletedProcess[str]
_SOURCE_DIRS = ("smartlead_sync",)
_IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")


@dataclass(frozen=True)
class Installed:
    venv: Path
    home: Path  # a scratch folder outside the checkout

    def run(self, *args: str, cwd: Path, index: str = UNREACHABLE_INDEX) -> Completed:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SMARTLEAD_", "PYTHON"))}
        env.update(NO_COLOR="1", HOME=str(self.home), SMARTLEAD_SYNC_INDEX_URL=index)
        return subprocess.run(
            [str(self.venv / "bin" / "smartlead-sync"), *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def _build_backend_missing() -> str | None:
    """Why this environment cannot build the wheel offline, or None when it can."""
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    floor = re.search(r'^requires = \["setuptools>=(\d+)"\]', pyproject, re.MULTILINE)
    assert floor, "build-system.requires is no longer one setuptools floor: update this test"
    try:
        installed = version("setuptools")
    except PackageNotFoundError:
        return "setuptools is not installed"
    if int(installed.split(".")[0]) < int(floor.group(1)):
        return f"setuptools {installed} is older than the build backend needs ({floor.group(1)})"
    return None


def _quiet(*command: str | Path) -> None:
    done = subprocess.run(
        [str(part) for part in command], capture_output=True, text=True, check=False, timeout=300
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _build_wheel(scratch: Path) -> Path:
    """A wheel of a copy of the checkout (a stale build/ folder in the checkout cannot leak in)."""
    source = scratch / "source"
    source.mkdir()
    for entry in REPO_ROOT.iterdir():
        if entry.is_file() and entry.suffix in ("", ".toml", ".md", ".txt", ".cfg"):
            shutil.copy2(entry, source / entry.name)
    for name in _SOURCE_DIRS:
        shutil.copytree(REPO_ROOT / name, source / name, ignore=_IGNORED)
    wheels = scratch / "wheels"
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check")
    _quiet(*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", wheels, source)
    (wheel,) = wheels.glob("smartlead_sync-*.whl")
    return wheel


@pytest.fixture(scope="session")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    missing = _build_backend_missing()
    if missing:
        pytest.skip(f"cannot build a wheel offline: {missing} (pip install -e '.[dev]')")
    scratch = tmp_path_factory.mktemp("installed")
    wheel = _build_wheel(scratch)
    venv = scratch / "venv"
    _quiet(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", python)
    _quiet(*pip, "install", "--no-deps", "--no-index", wheel)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    # The dependencies: this environment's site-packages as a plain path entry (its .pth files,
    # among them the editable install of the checkout, are not processed from there).
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    home = scratch / "home"
    home.mkdir()
    yield Installed(venv, home)


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_wheel_is_what_runs(installed: Installed) -> None:
    where = subprocess.run(
        [str(installed.venv / "bin" / "python"), "-c", "import smartlead_sync; "
         "print(smartlead_sync.__file__)"],
        capture_output=True, text=True, check=True, cwd=installed.home,
        env={"PATH": os.environ.get("PATH", "")},
    ).stdout.strip()  # fmt: skip
    assert Path(where).is_relative_to(installed.venv), where
    version_line = installed.run("-V", cwd=installed.home)
    assert version_line.stdout == f"smartlead-sync, version {__version__}\n"


def test_from_pip_install_to_a_converged_project_outside_the_checkout(
    installed: Installed, tmp_path: Path
) -> None:
    assert not tmp_path.is_relative_to(REPO_ROOT)
    empty = installed.run("validate", cwd=tmp_path)
    assert empty.returncode == 1 and "smartlead-sync init" in empty.stdout + empty.stderr

    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    steps = [
        (("init",), repo, 0),
        (("validate",), repo, 0),
        (("plan", "--emulator", "--detailed-exitcode"), repo, 2),
        (("apply", "--emulator", "--auto-approve"), repo, 0),
        (("plan", "--emulator", "--detailed-exitcode"), repo, 0),
        (("plan", "--emulator", "--detailed-exitcode", "."), repo / "campaigns", 0),
        (("plan", "--emulator", "--detailed-exitcode", ".."), repo / "campaigns" / "leads", 0),
        (("validate", "../welcome.yaml"), repo / "campaigns" / "leads", 0),
        # Without PATH, from any directory of the repository: the project is found upwards.
        (("validate",), repo / "campaigns" / "leads", 0),
        (("plan", "--emulator", "--detailed-exitcode"), repo / "campaigns" / "leads", 0),
        (("apply", "--emulator", "--auto-approve"), repo / "campaigns", 0),
        (("plan", "--emulator", "--detailed-exitcode"), repo / ".github", 0),
    ]
    for args, cwd, expected in steps:
        done = installed.run(*args, cwd=cwd)
        assert done.returncode == expected, (args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr

    # Offline, init wrote no lock; with an index, the installed wheel's closure is locked.
    assert not (repo / LOCK_FILE).exists()
    with fake_index() as (index, _handler):
        locked = installed.run("lock-workflows", cwd=repo / "campaigns" / "leads", index=index)
    assert locked.returncode == 0, locked.stderr  # DIR left out: the repository's root
    assert locked.stdout.startswith(f"Wrote ../../{LOCK_FILE}: ")
    pins = (repo / LOCK_FILE).read_text()
    assert f"\nsmartlead-sync=={__version__} \\\n" in pins and "\npackaging==" in pins

    untracked = _git(repo, "status", "--porcelain", "--untracked-files=all").splitlines()
    assert sorted(line.removeprefix("?? ") for line in untracked) == sorted(
        [".gitignore", LOCK_FILE, *(f.path.as_posix() for f in starter_files())]
    )
    assert (repo / "campaigns" / ".smartlead-sync" / "emulator.sqlite3").is_file()
