"""Fixtures for tests that cross packages and run against real databases.

Choose databases with ``--db`` (repeatable; default: sqlite only). A test that
takes the ``db`` fixture runs once per chosen database. On CI (CI=true) an
unreachable database fails the test; elsewhere it is skipped with a message
saying how to enable it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from dbtesting import DEFAULT_URLS, LiveDatabase, on_ci, open_database


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        action="append",
        choices=sorted(DEFAULT_URLS),
        help="database to run integration tests against (repeatable; default sqlite)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "backends(*names): run only on these databases")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db" not in metafunc.fixturenames:
        return
    chosen = metafunc.config.getoption("--db") or ["sqlite"]
    marker = metafunc.definition.get_closest_marker("backends")
    if marker is not None:
        chosen = [name for name in chosen if name in marker.args]
    metafunc.parametrize("db", chosen, indirect=True)


@pytest.fixture
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[LiveDatabase]:
    """A clean, reachable database of the parametrized kind."""
    name = request.param
    try:
        opened = open_database(name, tmp_path)
        database = next(opened)
    except ConnectionError as error:
        if on_ci():
            pytest.fail(str(error), pytrace=False)
        pytest.skip(str(error))
    try:
        yield database
    finally:
        opened.close()
