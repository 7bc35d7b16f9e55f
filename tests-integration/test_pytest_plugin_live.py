"""The pytest plugin on live servers: its ready-made tests pass on the sample project and
fail, naming the revision, on broken copies; every disposable database is dropped."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytest_plugins = ["pytester"]

# Disposable databases on the shared servers carry our prefix; the process id keeps two
# checkouts testing on one server at once out of each other's leftover checks.
PREFIX = f"h14_plugin_{os.getpid()}"


def load_sample_project() -> ModuleType:
    path = Path(__file__).parents[1] / "packages" / "migrate-cli" / "tests" / "plugin_project.py"
    spec = importlib.util.spec_from_file_location("migrate_plugin_sample_project", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sample = load_sample_project()


@pytest.fixture
def project(pytester: pytest.Pytester, db, monkeypatch) -> pytest.Pytester:
    sample.write_project(pytester.path)
    monkeypatch.setenv("MIGRATE_TEST_DB_PREFIX", PREFIX)
    monkeypatch.delenv("MIGRATE_TEST_URL", raising=False)
    pytester.db = db  # type: ignore[attr-defined]
    return pytester


def run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    url = project.db.url_string  # type: ignore[attr-defined]
    url_args = () if project.db.name == "sqlite" else ("--migrate-url", url)  # type: ignore[attr-defined]
    return project.runpytest_subprocess(
        "-p", "no:cacheprovider", "--migrate-tests", *url_args, *args
    )


def leftover_databases(db) -> list[str]:
    if db.name == "sqlite":
        return []
    with db.engine.connect() as conn:
        if db.name == "postgresql":
            names = conn.exec_driver_sql("SELECT datname FROM pg_database").scalars().all()
        else:
            names = conn.exec_driver_sql("SHOW DATABASES").scalars().all()
    return [str(n) for n in names if str(n).startswith(PREFIX)]


def test_ready_tests_pass_on_the_sample_project(project, db):
    result = run(project, "-v")
    result.assert_outcomes(passed=6)
    assert leftover_databases(db) == []


def test_broken_downgrade_fails_naming_the_revision(project, db):
    sample.break_downgrade(project.path)
    result = run(project, "-k", "downgrades")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*downgrade e5 (*e5.py) does not return the schema*"])
    result.stdout.fnmatch_lines(["*table item: column qty unexpected*"])
    assert leftover_databases(db) == []


def test_model_drift_fails_with_the_operations(project, db):
    sample.break_models(project.path)
    result = run(project, "-k", "models_match")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the models differ from the schema*", "*add_column*note*"])


def test_data_loss_fails_naming_the_revision(project, db):
    sample.break_data(project.path)
    result = run(project, "-k", "existing_rows")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*upgrade f6 (*) lost rows it did not drop*"])


def test_lint_findings_fail_for_the_database_under_test(project, db):
    sample.break_lint(project.path)
    result = run(project, "-k", "lint")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([f"*migrate lint finds problems for {db.dialect}*", "*MG105*"])


# -- a real Alembic project: Mailu (data/alembic-projects/mailu, Flask-Migrate env.py) --------

MAILU = Path(__file__).parent / "data" / "alembic-projects" / "mailu"
MIGRATE = str(Path(sys.executable).with_name("migrate"))
#: Mailu's own lint findings, reviewed: what its maintainers would list in their settings.
MAILU_LINT = "\n[alembic.lint]\nignore = MG002, MG102, MG103, MG105, MG301, MG501\n"


@pytest.fixture
def mailu(pytester: pytest.Pytester, db, monkeypatch) -> pytest.Pytester:
    """Mailu as its developers would test it: conftest.py imports the app's models (the
    stand-in reflects them from a database at head, built here on the kind under test),
    and the app's own database URL names one that must never be created."""
    shutil.copytree(MAILU, pytester.path, dirs_exist_ok=True)
    ini = pytester.path / "migrations" / "alembic.ini"
    ini.write_text(ini.read_text() + MAILU_LINT)
    pytester.makeconftest("import mailu.models  # noqa: F401  (the app's models)\n")
    pytester.makeini("[pytest]\nmigrate_config = migrations/alembic.ini\n")
    standins = str(pytester.path / "standins")
    built = subprocess.run(
        [MIGRATE, "-c", "migrations/alembic.ini", "upgrade", "head"],
        cwd=pytester.path,
        env={**os.environ, "PYTHONPATH": standins, "ALEMBIC_PROJECT_URL": db.url_string},
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    if db.name == "sqlite":
        app_url = f"sqlite:///{pytester.path / 'production.db'}"
    else:
        app_url = db.url.set(database=f"{PREFIX}_production").render_as_string(False)
    monkeypatch.setenv("PYTHONPATH", standins)
    monkeypatch.setenv("ALEMBIC_PROJECT_URL", app_url)
    monkeypatch.setenv("ALEMBIC_PROJECT_MODELS_URL", db.url_string)
    monkeypatch.setenv("MIGRATE_TEST_DB_PREFIX", PREFIX)
    monkeypatch.delenv("MIGRATE_TEST_URL", raising=False)
    pytester.db = db  # type: ignore[attr-defined]
    return pytester


def test_ready_tests_on_mailu_pass_and_catch_its_broken_downgrade(mailu, db):
    result = run(mailu, "-v")
    outcomes = result.parseoutcomes()
    assert (outcomes.get("passed"), outcomes.get("failed")) == (5, 1), result.stdout.str()
    # Upstream's a4accda8a8c7 drops user.spam_threshold and has no downgrade (`pass`):
    # stepping back does not give the column back as it was.
    result.stdout.fnmatch_lines(
        [
            "*test_migrate_downgrades_restore_the_schema FAILED*",
            "*downgrade a4accda8a8c7 (*a4accda8a8c7_.py) does not return the schema*",
            "*table user: column spam_threshold expected * NOT NULL, got * NULL*",
        ]
    )
    assert not (mailu.path / "production.db").exists()
    assert leftover_databases(db) == []


@pytest.mark.backends("sqlite")
def test_mailu_with_two_heads_fails_naming_them(mailu):
    revision = (mailu.path / "migrations" / "versions" / "fdff7f84d363_.py").read_text()
    (mailu.path / "migrations" / "versions" / "b10bb10bb10b_.py").write_text(
        revision.replace("'fdff7f84d363'", "'b10bb10bb10b'")
    )
    result = run(mailu, "-k", "single_head")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the history has 2 heads (*)*"])
    assert "9a5866105f5a" in result.stdout.str() and "b10bb10bb10b" in result.stdout.str()


@pytest.mark.backends("sqlite")
def test_mailu_with_a_broken_downgrade_fails_naming_it_with_the_difference(mailu):
    # The first step's downgrade forgets a table (steps are checked from the base up).
    path = mailu.path / "migrations" / "versions" / "ff0417f4318f_.py"
    path.write_text(path.read_text().replace("    op.drop_table('manager')\n", ""))
    result = run(mailu, "-k", "downgrades")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*downgrade ff0417f4318f (*ff0417f4318f_.py) does not return the schema*",
            "*table manager*unexpected*",
        ]
    )


@pytest.mark.backends("sqlite")
def test_mailu_with_model_drift_fails_with_the_operations(mailu, db):
    with db.engine.begin() as conn:  # the models gain a column no migration adds
        conn.exec_driver_sql("ALTER TABLE fetch ADD COLUMN color VARCHAR(20)")
    result = run(mailu, "-k", "models_match")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the models differ from the schema*", "*add_column*color*"])
