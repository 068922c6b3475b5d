"""The redaction module: every case form of a known secret, `api_key=` values, the secret type,
and the output paths that must go through it (streams, files, the route methods)."""

from __future__ import annotations

import io
import json
import sys
from urllib.parse import quote

import httpx
import pytest

from smartlead_sync.cli.files import write_output
from smartlead_sync.cli.output import RedactingStream, redacting_streams
from smartlead_sync.redaction import (
    Secret,
    digest,
    redact,
    register_secret,
    shown_pair,
    shown_value,
)
from smartlead_sync.smartlead.api_errors import RequestRejected
from tests.smartlead.fakes import TEST_KEY, make_client

KEY = "Sk-MiXeD-Case-Key-42"


@pytest.mark.parametrize(
    "form",
    [
        KEY,
        KEY.lower(),  # URL parsing lower-cases a host: https://<key>.example.com
        KEY.upper(),
        quote(KEY.lower(), safe=""),
        json.dumps(KEY)[1:-1],
        f" {KEY} ",
    ],
)
def test_a_registered_key_is_removed_in_every_case_form(form: str) -> None:
    register_secret(KEY)
    shown = redact(f"GET https://{form}.example.com/x said {form}!")
    assert KEY.lower() not in shown.lower()
    assert "***" in shown


def test_api_key_query_values_are_masked_even_when_unknown() -> None:
    text = "GET /api/v1/campaigns?api_key=unknown-key&offset=0 and API_KEY%3Dother"
    assert redact(text) == "GET /api/v1/campaigns?api_key=***&offset=0 and API_KEY%3D***"


def test_a_secret_value_never_formats_as_its_value() -> None:
    secret = Secret("tok-very-secret-9")
    for text in (str(secret), repr(secret), f"{secret}", f"{secret:>30}", format(secret, "<40")):
        assert "very-secret" not in text
    assert secret.get_secret_value() == "tok-very-secret-9"
    assert redact("the token tok-very-secret-9 leaked") == "the token *** leaked"


def test_an_env_value_is_shown_by_its_reference_with_a_digest() -> None:
    url = "https://hooks.slack.com/services/T0/B0/XYZ"
    Secret(url, shown_as="${CRM_WEBHOOK_URL}")
    assert shown_value(url) == f"${{CRM_WEBHOOK_URL}} [{digest(url)}]"
    assert redact(f"url: {url}") == "url: ${CRM_WEBHOOK_URL}"
    before, after = shown_pair("https://hooks.slack.com/services/OLD", url)
    assert before == f"[{digest('https://hooks.slack.com/services/OLD')}]"
    assert after == f"${{CRM_WEBHOOK_URL}} [{digest(url)}]"
    assert shown_pair("a", "b") == ("a", "b")


def test_short_env_values_are_still_shown_by_reference_in_plans() -> None:
    Secret("ab1", shown_as="${SHORT}")
    assert (
        shown_value("https://x.io/ab1") == f"https://x.io/${{SHORT}} [{digest('https://x.io/ab1')}]"
    )


def test_stdout_and_stderr_are_redacted_for_every_writer() -> None:
    register_secret(KEY)
    inner = io.StringIO()
    stream = RedactingStream(inner)
    stream.write(f"traceback with {KEY.lower()}\n")
    assert KEY.lower() not in inner.getvalue()
    saved = sys.stdout
    captured = io.StringIO()
    sys.stdout = captured
    try:
        with redacting_streams():
            print(f"printed {KEY}")
    finally:
        sys.stdout = saved
    assert captured.getvalue() == "printed ***\n"


def test_output_files_are_redacted(tmp_path: object) -> None:
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    register_secret(KEY)
    write_output(tmp_path / "out" / "plan.json", f'{{"url": "{KEY.upper()}"}}')
    assert KEY.upper() not in (tmp_path / "out" / "plan.json").read_text()


def test_a_write_rejected_with_the_key_in_its_message_is_redacted() -> None:
    client = make_client(
        lambda r: httpx.Response(200, json={"ok": False, "error": f"bad key {TEST_KEY.lower()}"})
    )
    with pytest.raises(RequestRejected) as info:
        client.set_campaign_status(1, "START")
    assert TEST_KEY.lower() not in str(info.value).lower()
