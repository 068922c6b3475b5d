"""Run every command that renders a plan on one project, as CI would, and collect every output.

`everything` runs validate, plan (text with `--out` and `--log-http`, markdown, JSON), the
GitHub pull-request comment and job summary on a fake GitHub, and optionally apply (report,
journal), all in this process through the CLI's `main`. Each command starts with an empty
secret registry, as a fresh process would. `Outputs.leaks` finds any canary in any of it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from smartlead_sync import redaction
from smartlead_sync.cli import main
from tests.conftest import CANARY_KEY
from tests.gitops.fake_github import FakeGitHub, served_over_http

CANARY_ENV_SECRET = "https://hooks.example.com/services/T0/B0/CanaryEnvSecret77"
HOST_MARKER = "HostFile-Marker-5e1f"
# What must never appear, compared case-insensitively (URL parsing lower-cases hosts).
NEEDLES = ("sk-canary-1234", "canaryenvsecret77", "hostfile-marker-5e1f")
assert CANARY_KEY.lower() == NEEDLES[0]

PROJECT_FILE = "settings:\n  rate_limit_profile: pro\n"


@dataclass
class Outputs:
    texts: dict[str, str] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)

    def add(self, label: str, text: str) -> None:
        self.texts[label] = self.texts.get(label, "") + text

    def leaks(self) -> list[str]:
        return [
            f"{needle} in {label}"
            for label, text in self.texts.items()
            for needle in NEEDLES
            if needle in text.lower()
        ]

    def all_text(self) -> str:
        return "\n".join(self.texts.values())


@dataclass
class Workspace:
    """A scratch checkout: `campaigns/` (the project), `host/` (a file outside it)."""

    root: Path
    github: FakeGitHub
    env: dict[str, str]
    monkeypatch: pytest.MonkeyPatch
    capsys: pytest.CaptureFixture[str]

    @property
    def project(self) -> Path:
        return self.root / "campaigns"

    @property
    def host_file(self) -> Path:
        return self.root / "host" / "secret.txt"

    def write(self, rel: str, text: str) -> Path:
        path = self.project / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        return path

    def run(self, *args: str) -> tuple[int, str, str]:
        self.monkeypatch.setattr(redaction, "_REGISTRY", redaction.Registry())
        self.capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = self.capsys.readouterr()
        return code, out, err

    def everything(self, *, apply: bool = False) -> Outputs:
        outputs = Outputs()

        def step(label: str, *args: str) -> str:
            code, out, err = self.run(*args)
            outputs.codes[label] = code
            outputs.add(label, out + err)
            return out

        step("validate", "validate", "campaigns")
        step("validate-json", "validate", "campaigns", "--format", "json")
        connect = ("--emulator",)
        text = step(
            "plan", "plan", "campaigns", *connect, "--out", "plan.json", "--log-http", "http.jsonl"
        )
        (self.root / "plan.txt").write_text(text)
        (self.root / "plan.md").write_text(
            step("plan-markdown", "plan", "campaigns", *connect, "--format", "markdown")
        )
        step("plan-json", "plan", "campaigns", *connect, "--format", "json")
        plan_code = str(outputs.codes["plan"])
        step(
            "pr-comment",
            "github",
            "pr-comment",
            "--body-file",
            "plan.md",
            "--plan-exit-code",
            plan_code,
        )
        step("summary", "github", "summary", "--text-file", "plan.txt")
        if apply:
            step(
                "apply",
                "apply",
                "campaigns",
                *connect,
                "--auto-approve",
                "--report",
                "report.json",
                "--journal",
                "journal.jsonl",
                "--log-http",
                "http.jsonl",
            )
        for number, comment in self.github.comments.items():
            outputs.add(f"github comment {number}", json.dumps(comment))
        for path in sorted(self.root.rglob("*")):
            if path.is_file() and _is_output(self.root, path):
                outputs.add(str(path.relative_to(self.root)), path.read_bytes().decode("latin-1"))
        return outputs


def _is_output(root: Path, path: Path) -> bool:
    """Everything the commands wrote: not the inputs, not the emulator's account database."""
    rel = path.relative_to(root)
    return rel.parts[0] not in ("campaigns", "host") and ".sqlite3" not in path.name


@contextmanager
def workspace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Workspace]:
    fake = FakeGitHub()
    pr = fake.add_pull_request()
    (tmp_path / "host").mkdir()
    (tmp_path / "host" / "secret.txt").write_text(f"root:x:0:0:{HOST_MARKER}\n")
    (tmp_path / "campaigns").mkdir()
    (tmp_path / "campaigns" / "smartlead-sync.yaml").write_text(PROJECT_FILE)
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"number": pr, "pull_request": {"number": pr}}))
    with served_over_http(fake) as url:
        env = {
            "SMARTLEAD_API_KEY": CANARY_KEY,
            "CRM_WEBHOOK_URL": CANARY_ENV_SECRET,
            "GITHUB_API_URL": url,
            "GITHUB_TOKEN": fake.token,
            "GITHUB_REPOSITORY": fake.repository,
            "GITHUB_EVENT_PATH": str(event),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        }
        for name in list(os.environ):
            if name.startswith("GITHUB_"):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.chdir(tmp_path)
        yield Workspace(tmp_path, fake, env, monkeypatch, capsys)
