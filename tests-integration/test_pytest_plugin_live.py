"""The pytest plugin on live servers: its ready-made tests pass on the sample project and
fail, naming the revision, on broken copies; every disposable database is dropped."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

pytest_plugins = ["pytester"]

PREFIX = "h14_plugin"  # disposable databases on the shared servers carry our prefix


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
