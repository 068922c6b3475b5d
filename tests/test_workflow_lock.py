"""The hashed lock the workflows install from: the dependency closure on the workflows' Python,
digests from a package index (a fake one here, never the network), and the files init and
`lock-workflows` write."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path

import httpx
import pytest

from smartlead_sync.starter import LOCK_FILE
from smartlead_sync.starter.lock import (
    LockError,
    Pin,
    dependency_closure,
    hashed_lock,
    lock_text,
)
from tests.conftest import RunCli
from tests.fake_pypi import FakePyPI, fake_index


class _Dist(metadata.Distribution):
    """An installed distribution made of its METADATA text only."""

    def __init__(self, name: str, version: str, *requires: str) -> None:
        lines = [f"Name: {name}", f"Version: {version}", *(f"Requires-Dist: {r}" for r in requires)]
        self._text = "\n".join(["Metadata-Version: 2.1", *lines]) + "\n"

    def read_text(self, filename: str) -> str | None:
        return self._text if filename == "METADATA" else None

    def locate_file(self, path: str | object) -> Path:
        raise NotImplementedError


def _environment(*dists: _Dist) -> dict[str, _Dist]:
    return {d.metadata["Name"].lower().replace("_", "-"): d for d in dists}


def _installed(env: dict[str, _Dist]):  # type: ignore[no-untyped-def]
    def find(name: str) -> metadata.Distribution:
        try:
            return env[name.lower().replace("_", "-")]
        except KeyError:
            raise metadata.PackageNotFoundError(name) from None

    return find


def test_the_closure_follows_markers_for_the_workflows_python_and_requested_extras() -> None:
    env = _environment(
        _Dist("smartlead-sync", "1.2.0", "pydantic[email]>=2", "tomli; python_version < '3.11'",
              "pywin32; sys_platform == 'win32'", "pytest; extra == 'dev'"),
        _Dist("pydantic", "2.11.0", "typing_extensions>=4", "email-validator>=2; extra == 'email'",
              "typing-inspection; python_version >= '3.12'"),
        _Dist("email-validator", "2.2.0", "dnspython>=2"),
        _Dist("dnspython", "2.7.0"),
        _Dist("typing_extensions", "4.12.2"),
        _Dist("typing-inspection", "0.4.0", "typing-extensions>=4"),
    )  # fmt: skip
    pins = dependency_closure("smartlead-sync", _installed(env))
    assert [(p.name, p.version) for p in pins] == [
        ("dnspython", "2.7.0"),
        ("email-validator", "2.2.0"),
        ("pydantic", "2.11.0"),
        ("smartlead-sync", "1.2.0"),
        ("typing_extensions", "4.12.2"),
        ("typing-inspection", "0.4.0"),
    ]  # no tomli (Python < 3.11), no pywin32 (Windows), no dev extra


def test_a_requirement_missing_here_or_not_admitted_fails_the_lock() -> None:
    env = _environment(_Dist("smartlead-sync", "1.0", "httpx>=0.27", "click>=8.1"),
                       _Dist("httpx", "0.27.0"))  # fmt: skip
    with pytest.raises(LockError, match=r"click is not installed here, and smartlead-sync needs"):
        dependency_closure("smartlead-sync", _installed(env))
    env = _environment(_Dist("smartlead-sync", "1.0", "httpx>=0.28"), _Dist("httpx", "0.27.0"))
    with pytest.raises(LockError, match=r"needs httpx>=0.28, but httpx 0.27.0 is installed"):
        dependency_closure("smartlead-sync", _installed(env))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _index(files: dict[str, list[str]]) -> httpx.Client:
    """A JSON API that lists, for `name/version`, files with these digests; 404 otherwise."""

    def answer(request: httpx.Request) -> httpx.Response:
        name, version = request.url.path.split("/")[2:4]
        key = f"{name}/{version}"
        if key not in files:
            return httpx.Response(404, json={"message": "Not Found"})
        urls = [{"filename": f"f{i}", "digests": {"sha256": d}} for i, d in enumerate(files[key])]
        return httpx.Response(200, json={"info": {"version": version}, "urls": urls})

    return httpx.Client(transport=httpx.MockTransport(answer))


def test_hashes_are_every_file_the_index_lists_and_an_unpublished_version_fails() -> None:
    a, b, c = _digest("a"), _digest("b"), _digest("c")
    client = _index({"smartlead-sync/1.0": [b, a], "pyyaml/6.0.2": [c]})
    pins = [Pin("smartlead-sync", "1.0"), Pin("PyYAML", "6.0.2")]
    locked = hashed_lock(pins, client, "https://index.test/pypi")
    assert [p.hashes for p in locked] == [tuple(sorted((a, b))), (c,)]
    text = lock_text(locked, "smartlead-sync lock-workflows")
    body = [line for line in text.splitlines() if not line.startswith("#")]
    assert body == [
        "smartlead-sync==1.0 \\",
        f"    --hash=sha256:{min(a, b)} \\",
        f"    --hash=sha256:{max(a, b)}",
        "PyYAML==6.0.2 \\",
        f"    --hash=sha256:{c}",
    ]
    with pytest.raises(LockError, match=r"smartlead-sync 2\.0 is not published on"):
        hashed_lock([Pin("smartlead-sync", "2.0")], client, "https://index.test/pypi")


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (httpx.Response(200, text="<html>proxy login</html>"), "not a JSON API answer"),
        (httpx.Response(200, json={"urls": []}), "lists no files with a sha256 digest"),
        (httpx.Response(200, json={"urls": [{"digests": {"sha256": "md5ish"}}]}), "no files"),
        (httpx.Response(503, text="busy"), "answered HTTP 503"),
    ],
)
def test_an_index_answer_without_usable_digests_fails_the_lock(
    answer: httpx.Response, said: str
) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda _request: answer))
    with pytest.raises(LockError, match=said):
        hashed_lock([Pin("x", "1")], client, "https://index.test/pypi")


def test_an_unreachable_index_fails_the_lock() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    client = httpx.Client(transport=httpx.MockTransport(refuse))
    with pytest.raises(LockError, match=r"could not be reached \(ConnectError\)"):
        hashed_lock([Pin("x", "1")], client, "https://index.test/pypi")


@pytest.mark.parametrize("status", [404, 500])
def test_a_mirror_token_in_the_index_url_is_never_shown(status: int) -> None:
    client = httpx.Client(transport=httpx.MockTransport(lambda _r: httpx.Response(status)))
    with pytest.raises(LockError) as caught:
        hashed_lock([Pin("x", "1")], client, "https://ci:TokenCanary42@mirror.test/pypi")
    assert "TokenCanary42" not in str(caught.value)
    assert "https://***@mirror.test/pypi/x/1/json" in str(caught.value)


@pytest.fixture
def fake_pypi() -> Iterator[tuple[str, type[FakePyPI]]]:
    with fake_index() as served:
        yield served


def _requirements(lock: Path) -> dict[str, int]:
    """name==version -> number of hashes, read as pip reads continuation lines."""
    joined = lock.read_text().replace("\\\n", " ")
    found = {}
    for line in joined.splitlines():
        if line and not line.startswith("#"):
            words = line.split()
            found[words[0]] = sum(w.startswith("--hash=sha256:") for w in words[1:])
    return found


def test_init_writes_the_lock_from_the_index(
    run_cli: RunCli, tmp_path: Path, fake_pypi: tuple[str, type[FakePyPI]]
) -> None:
    url, handler = fake_pypi
    made = run_cli("init", cwd=tmp_path, env={"SMARTLEAD_SYNC_INDEX_URL": url})
    assert made.returncode == 0, made.stderr
    pins = _requirements(tmp_path / LOCK_FILE)
    version = metadata.version("smartlead-sync")
    assert pins[f"smartlead-sync=={version}"] == 2
    assert all(count == 2 for count in pins.values())
    for name in ("pydantic", "httpx", "click", "deepdiff", "packaging"):
        assert any(req.lower().startswith(f"{name}==") for req in pins), name
    assert len(handler.asked) == len(pins)
    assert f"  + {LOCK_FILE}: {len(pins)} distributions for Python 3.12" in made.stdout


def test_init_without_the_index_writes_the_project_and_says_how_to_lock_later(
    run_cli: RunCli, tmp_path: Path, fake_pypi: tuple[str, type[FakePyPI]]
) -> None:
    made = run_cli("init", cwd=tmp_path)  # the index is unreachable (conftest)
    assert made.returncode == 0, made.stderr
    assert not (tmp_path / LOCK_FILE).exists()
    assert f"  ! {LOCK_FILE} not written: http://127.0.0.1:9/pypi/" in made.stdout
    assert "could not be reached (ConnectError)" in made.stdout
    assert "run `smartlead-sync lock-workflows` and commit the file" in made.stdout
    assert run_cli("validate", cwd=tmp_path).returncode == 0

    url, _handler = fake_pypi
    locked = run_cli("lock-workflows", cwd=tmp_path, env={"SMARTLEAD_SYNC_INDEX_URL": url})
    assert locked.returncode == 0, locked.stderr
    assert locked.stdout.startswith(f"Wrote {LOCK_FILE}: ")
    assert _requirements(tmp_path / LOCK_FILE)
    again = run_cli("init", "--index-url", url, "elsewhere", cwd=tmp_path)
    assert f"  + {LOCK_FILE}: " in again.stdout
    assert _requirements(tmp_path / "elsewhere" / LOCK_FILE) == _requirements(tmp_path / LOCK_FILE)


def test_lock_workflows_for_an_unpublished_version_keeps_the_earlier_lock(
    run_cli: RunCli, tmp_path: Path, fake_pypi: tuple[str, type[FakePyPI]]
) -> None:
    url, handler = fake_pypi
    assert run_cli("lock-workflows", "--index-url", url, cwd=tmp_path).returncode == 0
    before = (tmp_path / LOCK_FILE).read_text()
    handler.missing.add("smartlead-sync")
    refused = run_cli("lock-workflows", "--index-url", url, cwd=tmp_path)
    assert refused.returncode == 1
    version = metadata.version("smartlead-sync")
    assert f"smartlead-sync {version} is not published on {url}" in refused.stderr
    assert "an earlier lock is left as it was" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert (tmp_path / LOCK_FILE).read_text() == before
    assert sorted(p.name for p in (tmp_path / ".github").iterdir()) == ["smartlead-sync.lock.txt"]
    kept = run_cli("init", "--index-url", url, cwd=tmp_path)
    assert f"  = {LOCK_FILE} exists, left as it is" in kept.stdout
    assert (tmp_path / LOCK_FILE).read_text() == before
