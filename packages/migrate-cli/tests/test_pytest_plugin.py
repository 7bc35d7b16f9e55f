"""The pytest plugin, run through pytester on a sample project (SQLite; live servers in
tests-integration/test_pytest_plugin_live.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

pytest_plugins = ["pytester"]


def load_sample_project() -> ModuleType:
    """plugin_project.py beside this file (tests run with --import-mode=importlib, so it is
    not importable by name; tests-integration loads it the same way)."""
    path = Path(__file__).with_name("plugin_project.py")
    spec = importlib.util.spec_from_file_location("migrate_plugin_sample_project", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


sample = load_sample_project()

READY = [
    "test_migrate_single_head",
    "test_migrate_upgrade_step_by_step",
    "test_migrate_models_match_ddl",
    "test_migrate_downgrades_restore_the_schema",
    "test_migrate_steps_keep_existing_rows",
    "test_migrate_lint_clean",
]


@pytest.fixture
def project(pytester: pytest.Pytester) -> pytest.Pytester:
    sample.write_project(pytester.path)
    pytester.makepyfile(test_app="def test_app():\n    pass\n")
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    """A separate pytest process, as a project runs it: the plugin loads from its entry
    point, and nothing is shared with this process's imports."""
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", "-W", "default", *args)


def test_nothing_is_added_unless_asked(project):
    result = run(project)
    result.assert_outcomes(passed=1)
    assert "test_migrate" not in result.stdout.str()
    fixtures = run(project, "--fixtures")
    for name in ("migrate_config", "migrate_engine", "migrate_runner"):
        fixtures.stdout.fnmatch_lines([f"{name}*"])


def test_ready_tests_pass_on_the_sample_project(project):
    result = run(project, "--migrate-tests", "-v")
    result.assert_outcomes(passed=7)
    for name in READY:
        result.stdout.fnmatch_lines([f"*{name} PASSED*"])
    result.stdout.fnmatch_lines(["migrate: ready-made migration tests on SQLite files"])


def test_the_ini_option_turns_them_on(project):
    project.makeini("[pytest]\nmigrate_tests = true\n")
    run(project, "-k", "single_head").assert_outcomes(passed=1)


def failure_of(result: pytest.RunResult, name: str) -> str:
    """The failure section of one test, as printed."""
    text = result.stdout.str()
    start = text.index(f"_ {name} _")
    end = text.find("\n_", start + 1)
    return text[start : end if end > 0 else None]


def test_two_heads_fail_with_the_heads_named(project):
    sample.break_with_two_heads(project.path)
    result = run(project, "--migrate-tests", "-k", "single_head")
    result.assert_outcomes(failed=1)
    message = failure_of(result, "test_migrate_single_head")
    assert "2 heads (f6, g7)" in message and "migrate merge heads" in message


def test_broken_downgrade_names_the_revision_and_the_difference(project):
    sample.break_downgrade(project.path)
    result = run(project, "--migrate-tests", "-k", "downgrades")
    result.assert_outcomes(failed=1)
    message = failure_of(result, "test_migrate_downgrades_restore_the_schema")
    assert "downgrade e5 (" in message and "e5.py" in message
    assert "table item: column qty unexpected" in message


def test_model_drift_shows_the_operations(project):
    sample.break_models(project.path)
    result = run(project, "--migrate-tests", "-k", "models_match")
    result.assert_outcomes(failed=1)
    message = failure_of(result, "test_migrate_models_match_ddl")
    assert "the models differ" in message and "note" in message and "add_column" in message


def test_data_loss_names_the_revision_and_the_rows(project):
    sample.break_data(project.path)
    result = run(project, "--migrate-tests", "-k", "existing_rows")
    result.assert_outcomes(failed=1)
    message = failure_of(result, "test_migrate_steps_keep_existing_rows")
    assert "upgrade f6 (" in message and "table item: row {'id':" in message


def test_fixtures_drive_the_project_step_by_step(project):
    project.makepyfile(
        test_steps="""
def test_steps(migrate_runner, migrate_engine):
    assert migrate_runner.history == ["a1", "b2", "c3", "d4", "e5"]
    migrate_runner.upgrade("c3")
    assert migrate_runner.heads() == ("c3",)
    migrate_runner.insert("account", id=1, name="ann")
    migrate_runner.insert("item", id=1, account_id=1, sku="x1")
    migrate_runner.upgrade("heads")
    assert migrate_runner.heads() == ("e5",)
    with migrate_engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT sku, qty FROM item").all() == [("x1", None)]
    migrate_runner.downgrade("b2")
    assert "item" not in migrate_runner.schema()
    migrate_runner.stamp("e5")
    assert migrate_runner.heads() == ("e5",)
    assert "upgrade c3 -> d4" in migrate_runner.output.getvalue()
"""
    )
    run(project, "-k", "test_steps").assert_outcomes(passed=1)


def test_a_step_that_fails_on_existing_rows_is_named(project):
    sample.break_with_a_required_column(project.path)
    result = run(project, "--migrate-tests", "-k", "existing_rows or step_by_step")
    result.assert_outcomes(passed=1, failed=1)  # fine on empty tables, not on real data
    message = failure_of(result, "test_migrate_steps_keep_existing_rows")
    assert "upgrade f6 (" in message and "fails on a database with a row in every table" in message


def test_an_env_py_that_would_reach_the_real_database_is_stopped(project):
    sample.env_ignoring_the_given_connection(project.path)
    result = run(project, "--migrate-tests", "-k", "step_by_step")
    result.assert_outcomes(failed=1)
    # Refused before the connection is made: the application's database is never opened.
    result.stdout.fnmatch_lines(
        [
            "*env.py tried to connect to a sqlite database (*app.db) while it ran on the test "
            "database; migrate refused*"
        ]
    )
    assert not (project.path / "app.db").exists()


def test_a_config_file_elsewhere_is_named_on_the_command_line_or_in_the_ini(pytester):
    sample.write_project(pytester.path / "backend")
    run(
        pytester, "--migrate-tests", "-k", "single_head", "--migrate-config", "backend/migrate.ini"
    ).assert_outcomes(passed=1)
    pytester.makeini("[pytest]\nmigrate_config = backend/migrate.ini\n")
    result = run(pytester, "--migrate-tests", "-k", "step_by_step", "-v")
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(["migrate::test_migrate_upgrade_step_by_step PASSED*"])


def test_lint_findings_fail_with_the_file_and_rule(project):
    sample.break_lint(project.path)
    result = run(project, "--migrate-tests", "-k", "lint")
    result.assert_outcomes(failed=1)
    message = failure_of(result, "test_migrate_lint_clean")
    assert "migrate lint finds problems for sqlite" in message
    assert "f6.py:" in message and "MG105" in message
