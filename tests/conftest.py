from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from smartlead_sync import redaction
from tests.cli_process import REPO_ROOT, CliZygote, warm_cli

CANARY_KEY = "sk-CANARY-1234"
# The tests' own project (three campaigns, 59 leads): tests that need a realistic project use
# this one, never the example in campaigns/, which is the user's quick start and may change.
FIXTURE_PROJECT = Path(__file__).parent / "fixtures" / "project"

# A test run started in the background by a shell without job control inherits SIGINT as
# ignored, and so would every process it starts; the Ctrl-C tests need it delivered as a user's
# terminal would. Restore Python's handler: forks keep it, exec'd children get the default.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


UNREACHABLE_INDEX = "http://127.0.0.1:9/pypi"  # the discard port: refused at once


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's real Smartlead settings."""
    for name in ("SMARTLEAD_API_KEY", "SMARTLEAD_BASE_URL", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)
    # `init` asks the package index for the workflows' lock: never the real one from a test.
    monkeypatch.setenv("SMARTLEAD_SYNC_INDEX_URL", UNREACHABLE_INDEX)


@pytest.fixture(autouse=True)
def _fresh_secret_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Secrets registered by one test (keys, `${ENV}` values) are not masked in the next."""
    monkeypatch.setattr(redaction, "_REGISTRY", redaction.Registry())


RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture(scope="session")
def cli_zygote(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliZygote]:
    """One warm process for the whole run that forks every `smartlead-sync` process."""
    with warm_cli(tmp_path_factory.mktemp("cli-zygote")) as zygote:
        yield zygote


@pytest.fixture
def run_cli(cli_zygote: CliZygote) -> RunCli:
    """Run `smartlead-sync` as a user would: a real process, real exit code, real stderr.

    The process is forked from a warm one (tests/cli_process.py) unless `fresh=True`, which
    starts a new interpreter with `python -m smartlead_sync`.
    """

    def run(
        *args: str,
        cwd: Path | None = None,
        env: dict[str, str] | None = None,
        input: str | None = None,
        timeout: float = 120,
        fresh: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        full_env = {
            k: v
            for k, v in os.environ.items()
            if k not in ("SMARTLEAD_API_KEY", "SMARTLEAD_BASE_URL")
        }
        full_env["PYTHONPATH"] = str(REPO_ROOT)
        full_env.update(env or {})
        if not fresh:
            return cli_zygote.run(
                args, cwd=cwd or REPO_ROOT, env=full_env, input=input, timeout=timeout
            )
        return subprocess.run(
            [sys.executable, "-m", "smartlead_sync", *args],
            cwd=cwd or REPO_ROOT,
            env=full_env,
            input=input,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    return run


BENCHMARKS = Path(__file__).parent / "benchmarks"


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The default run leaves out `tests/benchmarks/`: they measure time, and time depends on
    the machine. They run when named: `python -m pytest tests/benchmarks`."""
    if collection_path != BENCHMARKS:
        return None
    here = config.invocation_params.dir
    named = ((here / arg.split("::")[0]).resolve() for arg in config.args)
    return not any(path == BENCHMARKS or BENCHMARKS in path.parents for path in named)
