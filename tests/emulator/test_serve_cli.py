"""`smartlead-sync emulator serve` as a user runs it: a real process answering real HTTP."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from smartlead_sync.emulator import EMULATOR_API_KEY
from tests.cli_process import REPO_ROOT
from tests.conftest import RunCli


def _spawn_serve(*args: str) -> subprocess.Popen[str]:
    """`emulator serve` on a free port, its output piped."""
    return subprocess.Popen(
        [sys.executable, "-m", "smartlead_sync", "emulator", "serve", "--port", "0", *args],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_serve(*args: str) -> tuple[subprocess.Popen[str], str, float, str]:
    """Start `emulator serve` and read its banner: (process, base url, seconds, banner)."""
    started = time.perf_counter()
    process = _spawn_serve(*args)
    assert process.stdout is not None
    line = process.stdout.readline()
    ready_after = time.perf_counter() - started
    found = re.search(r"(http://127\.0\.0\.1:\d+/api/v1)", line)
    assert found, line + (process.stderr.read() if process.stderr else "")
    banner = [line]
    while not banner[-1].startswith("Try:"):
        banner.append(process.stdout.readline())
    return process, found.group(1), ready_after, "".join(banner)


def stop_serve(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    return process.returncode, out, err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
def test_ctrl_c_while_the_banner_prints_is_a_clean_stop() -> None:
    """Ctrl-C as soon as the first banner line shows (the rest still printing) stops with 0."""
    for _ in range(5):
        process = _spawn_serve()
        assert process.stdout is not None
        assert "listening on" in process.stdout.readline()
        code, _, err = stop_serve(process)
        assert code == 0, err
        assert "emulator stopped" in err and "Traceback" not in err


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT delivery differs on Windows")
def test_serve_starts_fast_answers_curl_and_stops_cleanly(tmp_path: Path) -> None:
    state = tmp_path / "account.sqlite3"
    process, base_url, _, banner = start_serve("--state", str(state), "--time-scale", "60")
    try:
        response = httpx.get(f"{base_url}/campaigns", params={"api_key": EMULATOR_API_KEY})
        assert response.status_code == 200 and response.json() == []
        created = httpx.post(
            f"{base_url}/campaigns/create",
            params={"api_key": EMULATOR_API_KEY},
            json={"name": "From curl"},
        )
        assert created.json()["ok"] is True
        assert httpx.get(f"{base_url}/campaigns").status_code == 401
    finally:
        code, _, err = stop_serve(process)
    assert code == 0
    assert f"API key: {EMULATOR_API_KEY}" in banner
    assert f"curl '{base_url}/campaigns?api_key={EMULATOR_API_KEY}'" in banner
    assert "Traceback" not in err
    assert state.exists()


def test_serve_reads_a_yaml_config(tmp_path: Path) -> None:
    config = tmp_path / "emulator.yaml"
    config.write_text(
        "api_keys: [sk-team-demo]\nlead_batch_cap: 2\nrate_limits:\n  global: [[1000, 1]]\n"
    )
    process, base_url, _, banner = start_serve("--config", str(config))
    try:
        key = {"api_key": "sk-team-demo"}
        assert httpx.get(f"{base_url}/campaigns", params=key).headers["x-ratelimit-limit"] == "1000"
        campaign_id = httpx.post(f"{base_url}/campaigns/create", params=key, json={}).json()["id"]
        rows = [{"email": f"p{i}@acme-example.com"} for i in range(3)]
        response = httpx.post(
            f"{base_url}/campaigns/{campaign_id}/leads", params=key, json={"lead_list": rows}
        )
        assert response.status_code == 400
    finally:
        code, _, _ = stop_serve(process)
    assert code == 0 and "API key: sk-team-demo" in banner


def test_bad_config_is_a_clear_error(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "emulator.yaml"
    config.write_text("lead_batch_kap: 5\n")
    result = run_cli("emulator", "serve", "--port", "0", "--config", str(config))
    assert result.returncode == 1
    assert "unknown emulator settings: lead_batch_kap" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_config_that_is_a_fifo_or_a_device_is_refused_unread(
    run_cli: RunCli, tmp_path: Path
) -> None:
    fifo = tmp_path / "emulator.yaml"
    os.mkfifo(fifo)  # read as the config, it would wait for a writer forever
    for config in (fifo, Path("/dev/null")):
        result = run_cli("emulator", "serve", "--port", "0", "--config", str(config), timeout=60)
        assert result.returncode == 1
        assert f"{config}: cannot read emulator config: not a regular file" in result.stderr
        assert "Traceback" not in result.stderr


def test_bad_switch_value_is_a_clear_error(run_cli: RunCli, tmp_path: Path) -> None:
    config = tmp_path / "emulator.json"
    config.write_text('{"sequence_save_while_active": "sometimes"}')
    result = run_cli("emulator", "serve", "--port", "0", "--config", str(config))
    assert result.returncode == 1
    assert "sequence_save_while_active must be one of reject, allow" in result.stderr
