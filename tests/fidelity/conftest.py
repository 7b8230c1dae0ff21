"""The corpus figures line, printed at the end of the test run."""

from __future__ import annotations

import pytest

FIGURES: list[str] = []


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter):  # noqa: ANN001 - pytest's hook signature
    for line in FIGURES:
        terminalreporter.write_line(line)
