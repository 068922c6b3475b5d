"""`smartlead-sync` as real processes, forked from a process that has imported the tool already.

    python -m tests.cli_process     reads one JSON request per line on stdin, answers on stdout

Starting Python and importing the tool takes about a second; a fork takes milliseconds. Each
child is an ordinary process with its own pid, working directory, environment, stdin, stdout,
stderr and exit status. It runs the `main` that `python -m smartlead_sync` runs and ends through
the interpreter's normal exit (atexit handlers, threads joined, a traceback if something
escaped). The zygote runs no threads, so the fork is safe: it imports the modules the tool
otherwise imports on first use, with OPENBLAS_NUM_THREADS=1 so that numpy (pulled in by
deepdiff) starts no thread pool.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

REPO_ROOT = Path(__file__).resolve().parent.parent
FIRST_USE_MODULES = ("deepdiff", "httpcore", "h11")


class JsonLinesProcess:
    """A helper process spoken to in JSON lines over its stdin and stdout."""

    def __init__(self, module: str, *args: str, workdir: Path, stderr: Path) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SMARTLEAD_")}
        env.update(PYTHONPATH=str(REPO_ROOT), OPENBLAS_NUM_THREADS="1")
        with stderr.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                cwd=workdir,
                env=env,
            )
        self._stderr = stderr
        self._buffer = b""

    def send(self, message: dict[str, Any]) -> None:
        stdin: IO[bytes] | None = self.proc.stdin
        assert stdin is not None
        stdin.write(json.dumps(message).encode() + b"\n")
        stdin.flush()

    def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        """The next answer, or None when `timeout` passes first."""
        stdout = self.proc.stdout
        assert stdout is not None
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(deadline - time.monotonic(), 0)
            ready, _, _ = select.select([stdout], [], [], left)
            if not ready:
                return None
            chunk = os.read(stdout.fileno(), 65536)
            if not chunk:
                self.proc.wait()
                raise AssertionError(f"helper process ended: {self._stderr.read_text()[-2000:]}")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self.proc.stdin is not None:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


class CliZygote(JsonLinesProcess):
    """Starts `smartlead-sync` children: `start` (then `finished`) or `run` to completion."""

    def __init__(self, workdir: Path) -> None:
        super().__init__("tests.cli_process", workdir=workdir, stderr=workdir / "zygote.err")
        self._workdir = workdir
        self._runs = 0
        self._running: int | None = None  # the child whose exit status is still to come

    def start(
        self,
        argv: Sequence[str],
        *,
        out: Path,
        err: Path,
        cwd: Path = REPO_ROOT,
        env: dict[str, str] | None = None,
        stdin: Path | None = None,
    ) -> int:
        """Fork a child running `smartlead-sync ARGV`; returns its pid. `env` is all it sees."""
        if self._running is not None:  # left behind by a failed test: it must not answer here
            os.kill(self._running, signal.SIGKILL)
            self.finished()
        self.send(
            {
                "argv": list(argv),
                "cwd": str(cwd),
                "env": dict(os.environ if env is None else env),
                "stdin": str(stdin) if stdin else None,
                "out": str(out),
                "err": str(err),
            }
        )
        started = self.receive()
        assert started is not None
        self._running = int(started["pid"])
        return self._running

    def finished(self, timeout: float | None = None) -> int | None:
        """The exit status of the child started last (negative: killed by that signal), or
        None while it still runs after `timeout`."""
        answer = self.receive(timeout)
        if answer is None:
            return None
        self._running = None
        return int(answer["exit"])

    def run(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: dict[str, str],
        input: str | None,
        timeout: float,
    ) -> subprocess.CompletedProcess[str]:
        """Like `subprocess.run(..., capture_output=True, text=True, timeout=...)`."""
        self._runs += 1
        base = self._workdir / f"run-{self._runs}"
        out, err, stdin = (base.with_suffix(s) for s in (".out", ".err", ".in"))
        if input is not None:
            stdin.write_text(input, encoding="utf-8")
        pid = self.start(
            argv, out=out, err=err, cwd=cwd, env=env, stdin=stdin if input is not None else None
        )
        code = self.finished(timeout)
        if code is None:
            os.kill(pid, signal.SIGKILL)
            self.finished()
            raise subprocess.TimeoutExpired(
                ["smartlead-sync", *argv], timeout, out.read_text(), err.read_text()
            )
        result = subprocess.CompletedProcess(
            ["smartlead-sync", *argv], code, out.read_text(), err.read_text()
        )
        for path in (out, err, stdin):
            path.unlink(missing_ok=True)
        return result


def read_terminal(fd: int, marker: str, timeout: float = 60) -> str:
    """What a child writes to the terminal whose primary end is `fd`, up to `marker` (or until
    the terminal closes)."""
    seen = ""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        ready, _, _ = select.select([fd], [], [], max(deadline - time.monotonic(), 0))
        assert ready, f"no {marker!r} in: {seen[-2000:]}"
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        seen += chunk.decode(errors="replace")
    return seen


@contextmanager
def warm_cli(workdir: Path) -> Iterator[CliZygote]:
    """A zygote whose files (its own stderr, each run's output) live in `workdir`."""
    zygote = CliZygote(workdir)
    try:
        yield zygote
    finally:
        zygote.close()


# ----- the zygote's side --------------------------------------------------------------------


def _answer(message: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _redirect(fd: int, path: str, flags: int) -> None:
    opened = os.open(path, flags, 0o644)
    os.dup2(opened, fd)
    os.close(opened)


def _reopen_stdio() -> None:
    """Text streams on the new fds 0-2, set up as the interpreter sets them up at start (a
    terminal gets a line-buffered stdout). The old streams were flushed before the fork."""
    old = (sys.stdin, sys.stdout, sys.stderr)
    sys.stdin, sys.stdout, sys.stderr = (
        open(  # noqa: SIM115
            fd,
            "w" if fd else "r",
            encoding=stream.encoding,
            errors=stream.errors,
            buffering=1 if fd == 2 or (fd == 1 and os.isatty(1)) else -1,  # 1: by line
            closefd=False,
        )
        for fd, stream in enumerate(old)
    )


def _become(job: dict[str, Any]) -> list[str]:
    """In the child: take the requested cwd, environment and files; returns the argv."""
    os.chdir(job["cwd"])
    os.environ.clear()
    os.environ.update(job["env"])
    _redirect(0, job["stdin"] or os.devnull, os.O_RDONLY)
    _redirect(1, job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    _redirect(2, job["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    _reopen_stdio()
    main_file = Path(importlib.import_module("smartlead_sync").__file__ or "").parent
    sys.argv = [str(main_file / "__main__.py"), *job["argv"]]
    return list(job["argv"])


def _serve() -> list[str] | None:
    """Fork a child per request. Returns the child's argv in the child, None at end of input."""
    for line in sys.stdin:
        job = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            return _become(job)
        _answer({"pid": pid})
        _, status = os.waitpid(pid, 0)
        _answer({"exit": os.waitstatus_to_exitcode(status)})
    return None


if __name__ == "__main__":
    from smartlead_sync.cli import main

    for module in FIRST_USE_MODULES:
        importlib.import_module(module)
    argv = _serve()
    if argv is not None:
        main(argv)  # exits through SystemExit, as `python -m smartlead_sync` does
