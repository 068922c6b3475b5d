"""The campaign files as they were at a git commit, for attributing drift (see `drift`).

Tracked files come from the commit. Files git ignores, such as lead CSVs kept out of the
repository on purpose, are taken as they are now, so that the old files still load. Files that
are merely not committed yet are new in the working tree, so they are not part of the base.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from tempfile import TemporaryDirectory

from smartlead_sync.errors import ConfigError

_HISTORY_HINT = (
    "fetch the history that holds it; in GitHub Actions give actions/checkout "
    "`fetch-depth: 2` for HEAD^1, or `fetch-depth: 0` for any older commit"
)


@contextmanager
def project_at_ref(project: Path, ref: str) -> Iterator[tuple[Path, str]]:
    """Yield the project directory as of `ref` (in a temporary copy) and the commit's sha."""
    if not ref or ref.startswith("-"):
        raise ConfigError(f"not a git commit: {ref!r}")
    if not project.is_dir():
        raise ConfigError(f"no such directory: {project}")
    top = Path(_git(project, "rev-parse", "--show-toplevel").decode().strip())
    sha = _commit(project, ref)
    rel = PurePosixPath(project.resolve().relative_to(top.resolve()).as_posix())
    listing = _git(
        top, "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--", str(rel)
    )
    ignored = [name for name in listing.decode().split("\0") if name]
    with TemporaryDirectory(prefix="smartlead-sync-base-") as tmp:
        base = Path(tmp)
        if _exists_at(top, sha, rel):
            _extract(_git(top, "archive", "--format=tar", sha, "--", str(rel)), base)
        for name in ignored:  # lead files kept out of git: the same now as at the base
            target = base / name
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(top / name, target)
        (base / rel).mkdir(parents=True, exist_ok=True)
        yield base / rel, sha


def _commit(project: Path, ref: str) -> str:
    try:
        return (
            _git(project, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
        )
    except ConfigError:
        raise ConfigError(f"unknown git commit {ref!r}", hint=_HISTORY_HINT) from None


def _exists_at(top: Path, sha: str, rel: PurePosixPath) -> bool:
    """Whether `rel` is in the commit (a project added since has no files at the base)."""
    if str(rel) == ".":
        return True
    listing = _git(top, "ls-tree", "--name-only", sha, "--", str(rel)).decode()
    return bool(listing.strip())


def _git(cwd: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *args], capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ConfigError(
            f"cannot run git: {exc}", hint="install git, or drop --drift-base"
        ) from None
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace").strip().splitlines()
        raise ConfigError(f"git {args[0]} failed: {reason[0] if reason else 'no message'}")
    return done.stdout


def _extract(archive: bytes, into: Path) -> None:
    """Unpack regular files and folders only, each strictly inside `into`."""
    root = into.resolve()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            target = (into / member.name).resolve()
            if not target.is_relative_to(root):
                raise ConfigError(f"unsafe path in the git archive: {member.name!r}")
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                if source is not None:
                    target.write_bytes(source.read())
