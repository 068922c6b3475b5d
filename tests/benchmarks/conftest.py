"""Benchmarks print figures at the end of the run; they assert targets only where stable."""

from __future__ import annotations

from collections.abc import Callable

import pytest

_FIGURES: list[str] = []

Report = Callable[[str], None]


@pytest.fixture
def report() -> Report:
    """Record a line of figures; all lines are printed in the terminal summary."""
    return _FIGURES.append


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _FIGURES:
        terminalreporter.section("benchmark figures")
        for line in _FIGURES:
            terminalreporter.write_line(line)
