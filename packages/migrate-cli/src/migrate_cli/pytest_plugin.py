"""The pytest plugin: fixtures to test a project's migrations, and ready-made tests on request.

Installed with migrate-cli (entry point ``pytest11``), so it loads in every pytest run of
every project that has migrate-cli: importing it costs only pytest's own import, and it
adds nothing but options and fixtures until asked. The ready-made tests run with
``--migrate-tests``, or ``migrate_tests = true`` in the pytest ini section.

Configuration: ``--migrate-url`` (else ``$MIGRATE_TEST_URL``, else a SQLite file per
test) names the server for the disposable databases; ``--migrate-config`` (else
``migrate_config`` in the ini section, else the CLI's discovery from the rootdir) the
project's config file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:  # the fixtures import these when used, keeping every pytest start fast
    import sqlalchemy as sa

    from migrate_cli.config import Config
    from migrate_cli.migration_runner import MigrationRunner

URL_ENV_VAR = "MIGRATE_TEST_URL"
PREFIX_ENV_VAR = "MIGRATE_TEST_DB_PREFIX"
READY_TESTS_MODULE = "migrate_cli.ready_tests"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("migrate", "migration tests (migrate-cli)")
    group.addoption(
        "--migrate-tests",
        action="store_true",
        default=None,
        help="run migrate-cli's ready-made migration tests (single head, upgrade, "
        "downgrade round trips, data kept, models match)",
    )
    group.addoption(
        "--migrate-url",
        help=f"server for the disposable test databases (default: ${URL_ENV_VAR}, "
        "else a SQLite file per test)",
    )
    group.addoption(
        "--migrate-config",
        help="the project's migrate.ini / pyproject.toml (default: as the `migrate` command "
        "finds it, from the rootdir)",
    )
    parser.addini("migrate_tests", "run the ready-made migration tests", type="bool")
    parser.addini("migrate_config", "the project's migrate config file, relative to the rootdir")


def _enabled(config: pytest.Config) -> bool:
    flag = config.getoption("--migrate-tests")
    return bool(flag) if flag is not None else bool(config.getini("migrate_tests"))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Add the ready-made tests, before -k / -m deselection sees the items."""
    if not _enabled(config):
        return
    import importlib.util

    spec = importlib.util.find_spec(READY_TESTS_MODULE)
    assert spec is not None and spec.origin is not None
    # A short node id ("migrate::test_migrate_single_head") instead of a site-packages path.
    module = pytest.Module.from_parent(session, path=Path(spec.origin), nodeid="migrate")
    items.extend(session.genitems(module))


@pytest.fixture
def migrate_config(request: pytest.FixtureRequest) -> Config:
    """The project's migrate Config (override this fixture to build one in code)."""
    from types import SimpleNamespace

    from migrate_cli.config import Config, locate_config

    option = request.config.getoption("--migrate-config") or request.config.getini("migrate_config")
    rootdir = Path(request.config.rootpath)
    if option and not Path(option).is_absolute():
        option = str(rootdir / option)
    # As the `migrate` command finds it: an Alembic project's alembic.ini is read with
    # Alembic's section and defaults (alembic_version, [alembic.lint]).
    location = locate_config(option or None, cwd=rootdir)
    opts = SimpleNamespace(
        config=option, name=location.ini_section, x=[], raiseerr=False, quiet=False
    )
    return Config(
        location.ini,
        ini_section=location.ini_section,
        toml_file=location.toml,
        toml_section=location.toml_section,
        cmd_opts=opts,
    )


@pytest.fixture
def migrate_url(request: pytest.FixtureRequest) -> str | None:
    """The server the disposable databases are made on (None: SQLite files)."""
    return request.config.getoption("--migrate-url") or os.environ.get(URL_ENV_VAR) or None


@pytest.fixture
def migrate_engine(migrate_url: str | None, tmp_path: Path) -> Iterator[sa.Engine]:
    """A fresh, empty database for this test, dropped afterwards."""
    from migrate_cli.scratch import disposable_database

    prefix = os.environ.get(PREFIX_ENV_VAR) or "migrate_test"
    with disposable_database(migrate_url, prefix=prefix, directory=tmp_path) as engine:
        yield engine


@pytest.fixture
def migrate_runner(migrate_config: Config, migrate_engine: sa.Engine) -> MigrationRunner:
    """Runs the project's migrations on `migrate_engine`: upgrade/downgrade/stamp to any
    target, insert rows in between, read the version table and the schema."""
    from migrate_cli.migration_runner import MigrationRunner

    return MigrationRunner(migrate_config, migrate_engine)


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    if not _enabled(config):
        return None
    url = config.getoption("--migrate-url") or os.environ.get(URL_ENV_VAR) or "SQLite files"
    return [f"migrate: ready-made migration tests on {_hide_password(url)}"]


def _hide_password(url: str) -> str:
    import sqlalchemy as sa

    try:
        return sa.make_url(url).render_as_string(hide_password=True)
    except Exception:
        return url
