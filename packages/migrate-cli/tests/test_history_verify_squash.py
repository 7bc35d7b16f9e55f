"""`migrate verify` on databases around a squash, on SQLite: every way a database can stand
with respect to a squashed range verifies clean, and real problems are still caught."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

import pytest

from migrate_cli import command

Project = Any  # conftest fixtures
Migrate = Callable[..., Any]


@pytest.fixture
def history(project: Project) -> Project:
    """a1 -> b2 -> c3 -> d4 -> e5; b2:d4 is squashed into sq1 by the tests."""
    project.write_revision("a1", None, "create account")
    project.write_revision("b2", "a1", "add email")
    project.write_revision("c3", "b2", "add phone")
    project.write_revision("d4", "c3", "add item")
    project.write_revision("e5", "d4", "add qty")
    return project


def squash(project: Project) -> None:
    command.squash(project.config(), "b2:d4", rev_id="sq1")


def clean(migrate: Migrate) -> dict[str, Any]:
    result = migrate("verify")
    assert result.exit_code == 0, result.stdout + result.stderr
    document = migrate("--json", "verify").json()
    assert document["problems"] == []
    return document


@pytest.mark.parametrize("target", ["sq1", "head"])
def test_a_fresh_database_upgraded_through_the_squash(history, migrate, target):
    squash(history)
    assert migrate("upgrade", target).exit_code == 0
    document = clean(migrate)
    assert "sq1" in document["applied"]
    assert not {"b2", "c3", "d4"} & set(document["applied"])


@pytest.mark.parametrize("start", ["a1", "b2", "c3", "d4"])
@pytest.mark.parametrize("target", ["sq1", "head"])
def test_a_database_inside_the_range_when_the_squash_came(history, migrate, start, target):
    assert migrate("upgrade", start).exit_code == 0
    squash(history)
    assert migrate("upgrade", target).exit_code == 0
    clean(migrate)


def test_a_database_past_the_range_when_the_squash_came(history, migrate):
    assert migrate("upgrade", "head").exit_code == 0
    squash(history)
    document = clean(migrate)
    # The squash stands for d4, which the log applied: not out of order.
    assert document["applied"] == ["a1", "e5", "sq1"]


def test_a_database_stamped_at_the_squash(history, migrate):
    squash(history)
    assert migrate("stamp", "sq1").exit_code == 0
    clean(migrate)


@pytest.mark.parametrize("start", ["c3", "head"])
def test_after_pruning(history, migrate, start):
    assert migrate("upgrade", start).exit_code == 0
    squash(history)
    assert migrate("upgrade", "head").exit_code == 0
    assert migrate("squash", "--prune", "sq1").exit_code == 0
    clean(migrate)


def test_a_replaced_script_edited_under_a_database_inside_the_range_is_caught(history, migrate):
    assert migrate("upgrade", "c3").exit_code == 0
    squash(history)
    path = next(history.versions.glob("b2_*.py"))
    path.write_text(path.read_text() + "\n# edited\n")
    result = migrate("verify")
    assert result.exit_code == 1
    assert f"checksum-mismatch: b2: {path} changed since b2 was applied" in result.stdout


def test_a_squash_past_a_range_the_log_never_applied_is_out_of_order(history, migrate):
    """The version table was moved to e5 by hand: nothing applied d4 or vouches for it, so
    the squash standing for it is reported."""
    assert migrate("upgrade", "c3").exit_code == 0
    squash(history)
    with sqlite3.connect(history.db_path) as connection:
        connection.execute("UPDATE migrate_version SET version_num = 'e5'")
    result = migrate("verify")
    assert result.exit_code == 1
    assert "out-of-order: sq1: sq1 (" in result.stdout


def test_prune_records_what_it_did_in_the_log(history, migrate):
    assert migrate("upgrade", "head").exit_code == 0
    squash(history)
    assert migrate("squash", "--prune", "sq1").exit_code == 0
    document = migrate("--json", "verify").json()
    assert document["problems"] == []
    assert document["applied"] == ["a1", "e5", "sq1"]
    assert document["unchecked"] == []  # e5 and sq1 carry the checksums prune recorded


def test_a_database_prune_did_not_check_is_told_how_to_catch_up(history, migrate):
    """Another environment's database: prune ran elsewhere, so its log knows nothing."""
    assert migrate("upgrade", "head").exit_code == 0
    squash(history)
    other = history.db_path.read_bytes()
    assert migrate("squash", "--prune", "sq1").exit_code == 0
    history.db_path.write_bytes(other)
    result = migrate("verify")
    assert result.exit_code == 1
    assert "missing-script: b2" in result.stdout
    assert "checksum-mismatch: e5" in result.stdout
    accepted = migrate("verify", *(f"--accept={r}" for r in ("b2", "c3", "d4", "e5", "sq1")))
    assert accepted.exit_code == 0, accepted.stdout + accepted.stderr
    clean(migrate)
