from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from smartlead_sync.cli.account import open_provider
from smartlead_sync.cli.connection import ConnectionOptions, connection_options
from smartlead_sync.errors import ConfigError
from smartlead_sync.localstate import EMULATOR_ACCOUNT, state_dir
from smartlead_sync.redaction import Secret
from smartlead_sync.redaction import redact as redact_secrets
from smartlead_sync.smartlead.provider import SmartleadProvider
from smartlead_sync.tool_settings import ToolSettings
from tests.conftest import CANARY_KEY

SEEN: list[ConnectionOptions] = []


@click.command()
@connection_options
@click.option("--name", default="x")
def probe(connection: ConnectionOptions, name: str) -> None:
    SEEN.append(connection)
    click.echo(f"{name} {connection!r}")


def _invoke(
    *args: str, env: dict[str, str] | None = None
) -> tuple[click.testing.Result, ConnectionOptions | None]:
    SEEN.clear()
    result = CliRunner().invoke(probe, list(args), env=env)
    return result, (SEEN[0] if SEEN else None)


def test_key_from_environment_is_secret_and_registered() -> None:
    result, options = _invoke(env={"SMARTLEAD_API_KEY": CANARY_KEY})
    assert result.exit_code == 0
    assert options is not None and options.api_key is not None
    assert options.api_key.get_secret_value() == CANARY_KEY
    assert CANARY_KEY not in result.output
    assert CANARY_KEY not in redact_secrets(f"GET /x?key={CANARY_KEY}")


def test_flags_reach_the_command(tmp_path: Path) -> None:
    log = tmp_path / "http.jsonl"
    args = ("--base-url", "http://localhost:9/api/v1/", "--log-http", str(log), "--name", "y")
    result, options = _invoke(*args)
    assert result.exit_code == 0, result.output
    assert options == ConnectionOptions(None, "http://localhost:9/api/v1", False, log)
    result, options = _invoke("--emulator", "--log-http", str(log))
    assert result.exit_code == 0, result.output
    assert options == ConnectionOptions(None, "https://server.smartlead.ai/api/v1", True, log)


def test_base_url_without_scheme_is_a_usage_error() -> None:
    result, options = _invoke("--base-url", "server.smartlead.ai")
    assert result.exit_code == 2
    assert "must start with https://" in result.output
    assert options is None


@pytest.mark.parametrize("url", ["x", "https://host/?api_key=1", "http://"])
@pytest.mark.parametrize("emulator_first", [True, False])
def test_emulator_beside_a_malformed_base_url_names_the_conflict_first(
    url: str, emulator_first: bool
) -> None:
    flags = (
        ["--emulator", "--base-url", url] if emulator_first else ["--base-url", url, "--emulator"]
    )
    result, options = _invoke(*flags)
    assert result.exit_code == 2 and options is None
    assert "--emulator cannot be combined with --base-url" in result.output, result.output
    assert "Invalid value" not in result.output


def test_a_malformed_base_url_variable_is_not_checked_with_the_emulator() -> None:
    result, options = _invoke("--emulator", env={"SMARTLEAD_BASE_URL": "server.smartlead.ai"})
    assert result.exit_code == 0, result.output
    assert options is not None and options.emulator
    result, options = _invoke(env={"SMARTLEAD_BASE_URL": "server.smartlead.ai"})
    assert result.exit_code == 2 and options is None
    assert "Invalid value for '--base-url': must start with https://" in result.output


def test_missing_key_without_emulator_says_what_to_do() -> None:
    with (
        pytest.raises(ConfigError) as info,
        open_provider(ConnectionOptions(), ToolSettings(), project_root=Path("campaigns")),
    ):
        pass
    assert "SMARTLEAD_API_KEY" in str(info.value)
    assert "--emulator" in str(info.value)


def test_open_provider_with_a_key_gives_a_provider() -> None:
    options = ConnectionOptions(api_key=Secret(CANARY_KEY))
    with open_provider(options, ToolSettings(), project_root=Path("campaigns")) as provider:
        assert isinstance(provider, SmartleadProvider)
        assert CANARY_KEY not in repr(provider.client)


def test_emulator_option_keeps_its_account_in_the_project_state_folder_whatever_the_cwd(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "campaigns"
    project.mkdir()
    monkeypatch.chdir(tmp_path)
    tool = ToolSettings()
    emulated = ConnectionOptions(emulator=True)
    with open_provider(emulated, tool, project_root=Path("campaigns")) as provider:
        assert provider.list_mailboxes()  # pre-seeded senders
        cid = provider.create_campaign("Persisted", None)
    assert (state_dir(project) / EMULATOR_ACCOUNT).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["campaigns"]  # nothing in the cwd
    monkeypatch.chdir(project)
    with open_provider(emulated, tool, project_root=Path(".")) as provider:
        assert [c.id for c in provider.list_campaigns() if c.name == "Persisted"] == [cid]


def test_a_key_pasted_with_surrounding_whitespace_is_sent_and_hidden_without_it() -> None:
    padded_key = "sk-PADDED-5678"
    result, options = _invoke(env={"SMARTLEAD_API_KEY": f"  {padded_key}\n"})
    assert result.exit_code == 0
    assert options is not None and options.api_key is not None
    assert options.api_key.get_secret_value() == padded_key
    assert padded_key not in redact_secrets(f"the server said: bad key {padded_key}")


def test_base_url_with_a_query_string_is_refused_without_echoing_it() -> None:
    result, options = _invoke(
        "--base-url", f"https://server.smartlead.ai/api/v1?api_key={CANARY_KEY}"
    )
    assert result.exit_code == 2  # click's own code here; `main` turns usage errors into 1
    assert "must not carry a query string" in result.output
    assert CANARY_KEY not in result.output
    assert options is None
