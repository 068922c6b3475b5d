"""guard, ab and doctor keep an accepted key out of every output and every file they write."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smartlead_sync.emulator import Emulator, EmulatorConfig
from smartlead_sync.settings import RATE_LIMIT_PROFILES
from tests.conftest import CANARY_KEY
from tests.emulated import provider_on
from tests.health.projects import AB_STEP, SIMPLE_STEP, write_project
from tests.smartlead.test_canary_cli import _leaks, _main


@pytest.fixture
def canary_account() -> Iterator[tuple[Emulator, str]]:
    config = EmulatorConfig(
        api_keys=(CANARY_KEY,), rate_limits=RATE_LIMIT_PROFILES["pro"], time_scale=50
    )
    emulator = Emulator(config)
    server = emulator.serve()
    try:
        yield emulator, server.base_url
    finally:
        emulator.close()


@pytest.mark.slow
def test_health_commands_never_show_or_write_the_key(
    canary_account: tuple[Emulator, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    emulator, base_url = canary_account
    project = write_project(
        tmp_path, {"Spiking": SIMPLE_STEP, "Opener": AB_STEP.format(on_winner="winner_to_100")}
    )
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SMARTLEAD_API_KEY", CANARY_KEY)
    monkeypatch.setenv("SMARTLEAD_BASE_URL", base_url)
    out = tmp_path / "out"
    log = ["--log-http", str(out / "http.jsonl")]
    shown: list[str] = []

    def run(expected: int, *args: str) -> None:
        code, text = _main(capsys, *args)
        assert code == expected, text
        shown.append(text)

    run(0, "apply", str(project), "--auto-approve", *log)
    with provider_on(emulator, key=CANARY_KEY) as provider:
        ids = {s.name: s.id for s in provider.list_campaigns()}
    emulator.simulate_sends(ids["Spiking"], 300, bounces=60)
    emulator.simulate_sends(ids["Opener"], 300, variant_label="A", replies=9)
    emulator.simulate_sends(ids["Opener"], 300, variant_label="B", replies=36)
    for fmt in ("text", "markdown", "json"):
        run(0, "guard", str(project), "--format", fmt, "--out", str(out / "guard.json"), *log)
        run(0, "ab", str(project), "--format", fmt, *log)
    run(0, "guard", str(project), "--auto-approve", *log)
    run(0, "ab", str(project), "--write", *log)
    run(0, "doctor", str(project), *log)
    run(0, "doctor", str(project), "--format", "json", *log)

    assert CANARY_KEY not in "".join(shown)
    assert _leaks(tmp_path) == []
    assert (out / "guard.json").is_file() and (out / "http.jsonl").is_file()
