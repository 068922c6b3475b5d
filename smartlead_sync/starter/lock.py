"""The hashed lock the workflow templates install from: `.github/smartlead-sync.lock.txt`.

It names smartlead-sync and every distribution it needs on the workflows' Python, each pinned
`==` to the version installed here, with the sha256 of every file PyPI lists for that version.
The workflows run `pip install --require-hashes -r` on it, so a job that holds the API key only
ever installs files whose digests were written down when the lock was made, and pip refuses a
dependency the lock lacks. The digests come from PyPI's JSON API
(`<index>/<name>/<version>/json`, field `urls[].digests.sha256`).

`dependency_closure` reads only installed metadata; `hashed_lock` asks the index; `lock_text`
is pure. Any distribution that cannot be pinned or hashed fails the whole lock (`LockError`):
a partial lock would only fail later, in CI.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata

import httpx
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name

from smartlead_sync.masking import mask_url, printable

DEFAULT_INDEX = "https://pypi.org/pypi"
LOCKED_DISTRIBUTION = "smartlead-sync"

# The Python the workflow templates set up (`python-version` of actions/setup-python, on
# ubuntu-latest): environment markers of the requirements are judged for it, not for the
# Python that runs this code. A test keeps the templates and this table in agreement.
WORKFLOW_PYTHON = "3.12"
WORKFLOW_ENVIRONMENT = {
    "implementation_name": "cpython",
    "implementation_version": f"{WORKFLOW_PYTHON}.0",
    "os_name": "posix",
    "platform_machine": "x86_64",
    "platform_python_implementation": "CPython",
    "platform_release": "",
    "platform_system": "Linux",
    "platform_version": "",
    "python_full_version": f"{WORKFLOW_PYTHON}.0",
    "python_version": WORKFLOW_PYTHON,
    "sys_platform": "linux",
}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_TIMEOUT_SECONDS = 15.0


class LockError(Exception):
    """The lock cannot be made; the message says which distribution and why."""


@dataclass(frozen=True)
class Pin:
    name: str  # as the distribution spells itself
    version: str
    hashes: tuple[str, ...] = ()  # sha256 hex digests, sorted


Installed = Callable[[str], "metadata.Distribution"]


def dependency_closure(
    root: str = LOCKED_DISTRIBUTION, installed: Installed = metadata.distribution
) -> list[Pin]:
    """`root` and everything it requires on the workflows' Python, at the installed versions,
    sorted by name. Raises LockError for a requirement that is not installed here or whose
    installed version it does not admit."""
    pins: dict[str, Pin] = {}
    visited: set[tuple[str, frozenset[str]]] = set()
    todo: list[tuple[str, frozenset[str], str]] = [(root, frozenset(), "")]
    while todo:
        name, extras, needed_by = todo.pop()
        dist = _installed(installed, name, needed_by)
        key = canonicalize_name(dist.metadata["Name"])
        pins[key] = Pin(dist.metadata["Name"], dist.version)
        if (key, extras) in visited:
            continue
        visited.add((key, extras))
        for requirement in _requirements(dist, extras):
            todo.append((requirement.name, frozenset(requirement.extras), key))
            _check_admits(requirement, installed, key)
    return sorted(pins.values(), key=lambda pin: canonicalize_name(pin.name))


def _installed(installed: Installed, name: str, needed_by: str) -> metadata.Distribution:
    try:
        return installed(name)
    except metadata.PackageNotFoundError:
        if not needed_by:
            raise LockError(f"{name} is not installed here: install it first") from None
        raise LockError(
            f"{name} is not installed here, and {needed_by} needs it on Python "
            f"{WORKFLOW_PYTHON}, the workflows' Python: install it, or run this from Python "
            f"{WORKFLOW_PYTHON}"
        ) from None


def _requirements(dist: metadata.Distribution, extras: frozenset[str]) -> list[Requirement]:
    found = []
    for line in dist.requires or []:
        try:
            requirement = Requirement(line)
        except InvalidRequirement as exc:
            raise LockError(f"{dist.metadata['Name']}: unreadable requirement {line!r}") from exc
        marker = requirement.marker
        environments = [{**WORKFLOW_ENVIRONMENT, "extra": extra} for extra in ("", *extras)]
        if marker is None or any(marker.evaluate(env) for env in environments):
            found.append(requirement)
    return found


def _check_admits(requirement: Requirement, installed: Installed, needed_by: str) -> None:
    version = _installed(installed, requirement.name, needed_by).version
    if not requirement.specifier.contains(version, prereleases=True):
        raise LockError(
            f"{needed_by} needs {requirement}, but {requirement.name} {version} is installed"
        )


def hashed_lock(pins: list[Pin], client: httpx.Client, index: str = DEFAULT_INDEX) -> list[Pin]:
    """`pins` with the sha256 of every file the index lists for each version.

    Raises LockError naming the first distribution the index does not have, cannot be reached
    for, or answers about in an unexpected shape."""
    return [Pin(pin.name, pin.version, _file_hashes(pin, client, index)) for pin in pins]


def _file_hashes(pin: Pin, client: httpx.Client, index: str) -> tuple[str, ...]:
    url = f"{index.rstrip('/')}/{canonicalize_name(pin.name)}/{pin.version}/json"
    shown = mask_url(url)  # a mirror's URL may carry a token
    try:
        answer = client.get(url, timeout=_TIMEOUT_SECONDS)
    except httpx.HTTPError as exc:
        raise LockError(f"{shown} could not be reached ({type(exc).__name__})") from None
    if answer.status_code == 404:
        where = mask_url(index)
        raise LockError(f"{pin.name} {pin.version} is not published on {where} ({shown}: 404)")
    if answer.status_code != 200:
        raise LockError(f"{shown} answered HTTP {answer.status_code}")
    try:
        files = answer.json()["urls"]
        digests = {str(f["digests"]["sha256"]) for f in files}
    except (ValueError, KeyError, TypeError):
        raise LockError(f"{shown}: not a JSON API answer with urls[].digests.sha256") from None
    if not digests or not all(_SHA256.match(d) for d in digests):
        raise LockError(f"{shown} lists no files with a sha256 digest for {pin.version}")
    return tuple(sorted(digests))


def lock_text(pins: list[Pin], command: str) -> str:
    """The requirements file pip reads in hash-checking mode; `command` remakes it."""
    root = next(p for p in pins if canonicalize_name(p.name) == LOCKED_DISTRIBUTION)
    lines = [
        f"# smartlead-sync {root.version} and every distribution it needs on Python "
        f"{WORKFLOW_PYTHON}, the workflows' Python,",
        "# each pinned to one version with the sha256 of every file the index lists for it.",
        "# The workflows install exactly this, and pip refuses any other file or dependency:",
        "#   pip install --require-hashes -r .github/smartlead-sync.lock.txt",
        f"# After upgrading smartlead-sync, write it again with `{command}`.",
    ]
    for pin in pins:
        if not pin.hashes:
            raise ValueError(f"{pin.name} has no hashes: a lock without them is never written")
        hashes = [f"    --hash=sha256:{digest}" for digest in pin.hashes]
        lines.append(f"{pin.name}=={pin.version} \\")
        lines += [line + " \\" for line in hashes[:-1]] + hashes[-1:]
    return "\n".join(lines) + "\n"


def describe(error: LockError) -> str:
    """The error as one printable line (index answers and names may hold anything)."""
    return printable(str(error))
