"""End-to-end tests: the example project with real db_worker processes (``-m e2e``)."""

from collections.abc import Iterator

import pytest

from examples.loopback_ntfy import LoopbackNtfy


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: runs the example project end to end (real worker processes, servers)"
    )


@pytest.fixture
def ntfy() -> Iterator[LoopbackNtfy]:
    with LoopbackNtfy() as server:
        yield server
