"""Hostile campaign files, as a pull-request author could write them, planned by CI with the key
in the environment. Every vector runs validate, plan (text, `--out`, `--log-http`, markdown,
JSON), the pull-request comment and the job summary (and apply for the valid ones) and asserts
that neither the canary API key, nor the canary `${ENV}` secret, nor any byte of a host file
outside the project appears in any of it."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.security.campaigns import campaign
from tests.security.harness import HOST_MARKER, Workspace, workspace

Setup = Callable[[Workspace], None]


@dataclass(frozen=True)
class Vector:
    setup: Setup
    refused: str | None  # words validate prints at the error; None: the files are valid
    apply: bool = False  # also apply (journal, report) when valid


def _write(text: str, name: str = "hostile.yaml") -> Setup:
    def setup(ws: Workspace) -> None:
        ws.write(name, text)

    return setup


def _with(
    *,
    files: dict[str, str] | None = None,
    links: dict[str, str] | None = None,
    fifos: tuple[str, ...] = (),
    sparse: dict[str, int] | None = None,
    env: dict[str, str] | None = None,
    settings: str = "",
) -> Callable[[Setup], Setup]:
    """Decorate a setup with files, symlinks (name -> target; `{host}` is the host file,
    `{hostdir}` its folder), FIFOs, sparse files of a size, environment variables (`{root}` is
    the scratch checkout) and project settings."""

    def decorate(setup: Setup) -> Setup:
        def run(ws: Workspace) -> None:
            for name, text in (files or {}).items():
                ws.write(name, text)
            for name, target in (links or {}).items():
                link = ws.project / name
                link.parent.mkdir(parents=True, exist_ok=True)
                link.symlink_to(target.format(host=ws.host_file, hostdir=ws.host_file.parent))
            for name in fifos:
                os.mkfifo(ws.project / name)
            for name, size in (sparse or {}).items():
                with (ws.project / name).open("wb") as stream:
                    stream.truncate(size)
            for name, value in (env or {}).items():
                ws.monkeypatch.setenv(name, value.format(host=ws.host_file, root=ws.root))
            if settings:
                ws.write("smartlead-sync.yaml", f"settings:\n  rate_limit_profile: pro\n{settings}")
            setup(ws)

        return run

    return decorate


def _body(path: str) -> str:
    return campaign(body=f"body_file: {path}")


def _nothing(ws: Workspace) -> None:
    return None


def _body_absolute_host(ws: Workspace) -> None:
    ws.write("hostile.yaml", _body(str(ws.host_file)))


def _csv_absolute_host(ws: Workspace) -> None:
    ws.write("hostile.yaml", campaign(leads=str(ws.host_file)))


def _project_file_is_host(ws: Workspace) -> None:
    (ws.project / "smartlead-sync.yaml").unlink()
    (ws.project / "smartlead-sync.yaml").symlink_to(ws.host_file)
    ws.write("hostile.yaml", campaign())


def _dir_named_yaml(ws: Workspace) -> None:
    (ws.project / "dir.yaml").mkdir()


def _raw_nul(ws: Workspace) -> None:
    (ws.project / "nul.yaml").write_bytes(b"name: A\nstatus: drafted\x00\n")


def _utf16(ws: Workspace) -> None:
    (ws.project / "u16.yaml").write_bytes("name: A\n".encode("utf-16-le"))


OUTSIDE = "outside the project directory"
VECTORS: dict[str, Vector] = {
    # `${ENV}` in every field that takes it
    "env-webhook-url": Vector(_write(campaign(url="${CRM_WEBHOOK_URL}")), None, apply=True),
    "env-webhook-url-host-part": Vector(
        _with(env={"HOOK_TOKEN": "CanaryEnvSecret77"})(
            _write(campaign(url="https://${HOOK_TOKEN}.hooks.example.com/in"))
        ),
        None,
        apply=True,
    ),
    "env-webhook-url-query": Vector(
        _with(env={"HOOK_TOKEN": "CanaryEnvSecret77"})(
            _write(campaign(url="https://hooks.example.com/in?token=${HOOK_TOKEN}"))
        ),
        None,
    ),
    "env-webhook-url-in-defaults": Vector(
        _with(
            files={
                "smartlead-sync.yaml": "settings: {rate_limit_profile: pro}\ndefaults:\n"
                "  webhooks:\n    - name: crm\n      url: ${CRM_WEBHOOK_URL}\n"
                "      events: [EMAIL_REPLY]\n      categories: [Interested]\n"
            }
        )(_write("name: Hostile\nstatus: drafted\n")),
        None,
    ),
    "env-webhook-url-in-template": Vector(
        _with(
            files={
                "templates/hook.yaml": "webhooks:\n  - name: crm\n    url: ${CRM_WEBHOOK_URL}\n"
                "    events: [EMAIL_REPLY]\n    categories: [Interested]\n"
            }
        )(_write("name: Hostile\nstatus: drafted\nextends: templates/hook.yaml\n")),
        None,
    ),
    "env-lead-csv-inside": Vector(
        _with(
            files={"private/leads.csv": "email,first_name\nann@example.com,Ann\n"},
            env={"LEADS_DIR": "{root}/campaigns/private"},
        )(_write(campaign(leads="${LEADS_DIR}/leads.csv"))),
        None,
        apply=True,
    ),
    "env-api-key-in-url": Vector(
        _write(campaign(url="https://${SMARTLEAD_API_KEY}.example.com/")), "credential"
    ),
    "env-github-token-in-url": Vector(
        _write(campaign(url="https://hooks.example.com/${GITHUB_TOKEN}")), "credential"
    ),
    "env-api-key-under-another-name": Vector(
        _with(env={"ALIAS": "sk-CANARY-1234"})(
            _write(campaign(url="https://hooks.example.com/${ALIAS}"))
        ),
        "credential",
    ),
    "env-api-key-as-lead-path": Vector(
        _write(campaign(leads="${SMARTLEAD_API_KEY}")), "credential"
    ),
    "env-lead-dir-outside": Vector(
        _with(env={"LEADS_DIR": "{host}/.."})(_write(campaign(leads="${LEADS_DIR}/secret.txt"))),
        OUTSIDE,
    ),
    # paths out of the project: absolute, ../, committed symlinks
    "body-proc-environ": Vector(_write(_body("/proc/self/environ")), OUTSIDE),
    "body-dotdot-host": Vector(_write(_body("../host/secret.txt")), OUTSIDE),
    "body-absolute-host": Vector(_body_absolute_host, OUTSIDE),
    "body-symlink-environ": Vector(
        _with(links={"bodies/env.html": "/proc/self/environ"})(_write(_body("bodies/env.html"))),
        OUTSIDE,
    ),
    "body-symlink-host": Vector(
        _with(links={"bodies/b.html": "{host}"})(_write(_body("bodies/b.html"))), OUTSIDE
    ),
    "body-through-symlinked-dir": Vector(
        _with(links={"shared": "{hostdir}"})(_write(_body("shared/secret.txt"))), OUTSIDE
    ),
    "csv-dotdot-host": Vector(_write(campaign(leads="../host/secret.txt")), OUTSIDE),
    "csv-absolute-host": Vector(_csv_absolute_host, OUTSIDE),
    "csv-symlink-host": Vector(
        _with(links={"leads/l.csv": "{host}"})(_write(campaign(leads="leads/l.csv"))), OUTSIDE
    ),
    "csv-proc-environ": Vector(_write(campaign(leads="/proc/self/environ")), OUTSIDE),
    "extends-dotdot-host": Vector(_write(campaign(extends="../host/secret.txt")), OUTSIDE),
    "extends-symlink-environ": Vector(
        _with(links={"templates/t.yaml": "/proc/self/environ"})(
            _write(campaign(extends="templates/t.yaml"))
        ),
        OUTSIDE,
    ),
    "campaign-file-symlink-host": Vector(_with(links={"evil.yaml": "{host}"})(_nothing), OUTSIDE),
    "inline-body-over-the-body-cap": Vector(
        _write(campaign(body="body: " + "x" * (300 * 1024))),
        "the body is 300.0 KiB; the limit is 256.0 KiB, as for a body file",
    ),
    "campaign-folder-symlink-host": Vector(
        _with(links={"clients": "{hostdir}"})(_nothing), "the folder is a symlink"
    ),
    "project-file-symlink-host": Vector(_project_file_is_host, OUTSIDE),
    # devices and FIFOs
    "body-dev-zero": Vector(_write(_body("/dev/zero")), OUTSIDE),
    "body-symlink-dev-zero": Vector(
        _with(links={"bodies/z.html": "/dev/zero"})(_write(_body("bodies/z.html"))), OUTSIDE
    ),
    "csv-dev-zero": Vector(_write(campaign(leads="/dev/zero")), OUTSIDE),
    "body-fifo": Vector(_with(fifos=("b.html",))(_write(_body("b.html"))), "FIFO"),
    "csv-fifo": Vector(_with(fifos=("l.csv",))(_write(campaign(leads="l.csv"))), "FIFO"),
    "extends-fifo": Vector(_with(fifos=("_t.yaml",))(_write(campaign(extends="_t.yaml"))), "FIFO"),
    "campaign-file-fifo": Vector(_with(fifos=("pipe.yaml",))(_nothing), "FIFO"),
    # huge files
    "body-huge": Vector(
        _with(sparse={"big.html": 300 * 1024})(_write(_body("big.html"))), "limit is"
    ),
    "template-huge": Vector(
        _with(sparse={"_big.yaml": 2 * 1024 * 1024})(_write(campaign(extends="_big.yaml"))),
        "limit is",
    ),
    "csv-over-configured-cap": Vector(
        _with(sparse={"big.csv": 2 * 1024 * 1024}, settings="  max_lead_file_mb: 1\n")(
            _write(campaign(leads="big.csv"))
        ),
        "max_lead_file_mb",
    ),
    "campaign-file-huge": Vector(
        _with(sparse={"huge.yaml": 9 * 1024 * 1024})(_nothing), "limit is"
    ),
    # what is not a file
    "campaign-dir-named-yaml": Vector(_dir_named_yaml, "directory"),
    "campaign-dangling-symlink": Vector(
        _with(links={"gone.yaml": "nowhere.yaml"})(_nothing), "dangling"
    ),
    "campaign-symlink-loop": Vector(_with(links={"loop.yaml": "loop.yaml"})(_nothing), "loop"),
    "body-symlink-loop": Vector(_with(links={"l.html": "l.html"})(_write(_body("l.html"))), "loop"),
    # control characters
    "name-nul": Vector(_write(campaign(name='"A\\0B"')), "control character"),
    "name-escape-sequence": Vector(
        _write(campaign(name='"\\e[31mRed\\e[0m"')), "control character"
    ),
    "subject-bell": Vector(_write(campaign(subject='"Hi\\a"')), "control character"),
    "raw-nul-in-file": Vector(_raw_nul, "nul.yaml:2"),
    "utf16-without-bom": Vector(_utf16, "UTF-16"),
}


@pytest.mark.parametrize("name", sorted(VECTORS))
def test_no_secret_and_no_host_byte_reaches_any_output(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    vector = VECTORS[name]
    with workspace(tmp_path, monkeypatch, capsys) as ws:
        vector.setup(ws)
        outputs = ws.everything(apply=vector.apply)
    assert outputs.leaks() == []
    assert HOST_MARKER.lower() not in outputs.all_text().lower()
    assert "Traceback" not in outputs.all_text()
    assert "internal error" not in outputs.all_text()
    if vector.refused is None:
        assert outputs.codes["validate"] == 0, outputs.texts["validate"]
        assert outputs.codes["plan"] == 0, outputs.texts["plan"]
        if vector.apply:
            assert outputs.codes["apply"] == 0, outputs.texts["apply"]
    else:
        assert outputs.codes["validate"] == 1
        assert outputs.codes["plan"] == 1
        assert vector.refused in outputs.texts["validate"], outputs.texts["validate"]


def test_the_suite_has_enough_vectors() -> None:
    assert len(VECTORS) >= 30
