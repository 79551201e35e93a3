"""Shared by the reliability tests: bounded hypothesis settings and a tally of the hostile cases run,
printed at the end of the session (docs/reliability.md quotes it)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import HealthCheck, settings

CASES = pytest.StashKey[Counter]()

# Fixed example counts (set per test), deterministic (the same cases in CI as on a laptop), a deadline
# per case. Tests use it as @settings(settings.get_profile("reliability"), max_examples=N).
settings.register_profile(
    "reliability", deadline=3000, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.large_base_example])


@pytest.fixture
def cases(request) -> Counter:
    """The session's tally of hostile cases: cases["assessment: truncated"] += 1."""
    return request.config.stash.setdefault(CASES, Counter())


def pytest_terminal_summary(terminalreporter, config):
    tally = config.stash.get(CASES, Counter())
    if tally:
        terminalreporter.section("hostile input cases run")
        for name, count in sorted(tally.items()):
            terminalreporter.write_line(f"{count:6d}  {name}")
        terminalreporter.write_line(f"{sum(tally.values()):6d}  total")
