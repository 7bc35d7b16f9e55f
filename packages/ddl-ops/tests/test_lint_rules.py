"""Each lint rule fires on a minimal bad migration and stays quiet on its safe version,
on every database it covers (offline: operations recorded, no server)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from ddl_ops import op
from ddl_ops.lint import LintRun, all_rules, lint_operations, record

ALL = ("postgresql", "mysql", "mariadb", "sqlite")
SERVERS = ("postgresql", "mysql", "mariadb")


def codes(fn: Callable[[], None], dialect: str) -> list[str]:
    recording = record(fn, dialect)
    assert recording.error is None, recording.error
    return [f.code for f in lint_operations(recording.ops, LintRun.make(dialect))]


@dataclass
class Case:
    code: str
    dialects: tuple[str, ...]
    bad: Callable[[], None]
    safe: Callable[[], None]


def add_not_null_bad() -> None:
    op.add_column("account", sa.Column("plan", sa.String(20), nullable=False))


def add_not_null_safe() -> None:
    op.add_column("account", sa.Column("plan", sa.String(20), nullable=False, server_default="f"))
    op.add_column("account", sa.Column("note", sa.String(20)))


def set_not_null_bad() -> None:
    op.alter_column("account", "email", nullable=False, existing_type=sa.String(50))


def set_not_null_safe() -> None:
    op.alter_column("account", "email", nullable=True, existing_type=sa.String(50))
    op.alter_column("account", "name", nullable=False, existing_nullable=False)


def set_not_null_safe_postgresql() -> None:
    op.create_check_constraint(
        "ck_email", "account", "email IS NOT NULL", postgresql_not_valid=True
    )
    op.execute("ALTER TABLE account VALIDATE CONSTRAINT ck_email")
    op.alter_column("account", "email", nullable=False)


def rewrite_bad() -> None:
    op.alter_column("event", "id", type_=sa.BigInteger(), existing_type=sa.Integer())


def rewrite_safe() -> None:
    # widening a VARCHAR within the same length-prefix size on InnoDB, binary-compatible
    # on PostgreSQL
    op.alter_column("account", "name", type_=sa.String(60), existing_type=sa.String(50))


def narrowing_bad() -> None:
    op.alter_column("account", "name", type_=sa.String(20), existing_type=sa.String(50))


def narrowing_safe() -> None:
    op.alter_column("account", "name", type_=sa.String(60), existing_type=sa.String(50))
    op.alter_column("account", "n", type_=sa.BigInteger(), existing_type=sa.Integer())


def drop_column_bad() -> None:
    op.drop_column("account", "legacy")


def new_table() -> None:
    op.create_table("fresh", sa.Column("id", sa.Integer, primary_key=True))


def drop_column_safe() -> None:
    new_table()
    op.drop_column("fresh", "id")


def rename_column_bad() -> None:
    op.alter_column("account", "mail", new_column_name="email")


def rename_column_safe() -> None:
    new_table()
    op.alter_column("fresh", "id", new_column_name="ident")
    op.add_column("account", sa.Column("email", sa.String(50)))


def create_index_bad() -> None:
    op.create_index("ix_event_created", "event", ["created_at"])


def create_index_safe() -> None:
    with op.autocommit_block():
        op.create_index("ix_event_created", "event", ["created_at"], postgresql_concurrently=True)
    new_table()
    op.create_index("ix_fresh", "fresh", ["id"])


def concurrent_in_transaction_bad() -> None:
    op.create_index("ix_event_created", "event", ["created_at"], postgresql_concurrently=True)


def concurrent_drop_in_transaction_bad() -> None:
    op.drop_index("ix_event_created", "event", postgresql_concurrently=True)


def concurrent_safe() -> None:
    with op.autocommit_block():
        op.create_index("ix_a", "event", ["created_at"], postgresql_concurrently=True)
        op.drop_index("ix_b", "event", postgresql_concurrently=True)


def drop_index_bad() -> None:
    op.drop_index("ix_event_created", "event")


def drop_index_safe() -> None:
    with op.autocommit_block():
        op.drop_index("ix_event_created", "event", postgresql_concurrently=True)


def foreign_key_bad() -> None:
    op.create_foreign_key("fk_order_account", "order", "account", ["account_id"], ["id"])


def foreign_key_safe() -> None:
    op.create_foreign_key(
        "fk_order_account",
        "order",
        "account",
        ["account_id"],
        ["id"],
        postgresql_not_valid=True,
    )
    op.execute('ALTER TABLE "order" VALIDATE CONSTRAINT fk_order_account')


def check_bad() -> None:
    op.create_check_constraint("ck_price", "item", "price > 0")


def check_safe() -> None:
    op.create_check_constraint("ck_price", "item", "price > 0", postgresql_not_valid=True)


def unique_bad() -> None:
    op.create_unique_constraint("uq_email", "account", ["email"])


def unique_safe() -> None:
    with op.autocommit_block():
        op.create_index("uq_email", "account", ["email"], unique=True, postgresql_concurrently=True)
    op.execute("ALTER TABLE account ADD CONSTRAINT uq_email UNIQUE USING INDEX uq_email")


def primary_key_bad() -> None:
    op.create_primary_key("pk_event", "event", ["id"])


def primary_key_safe() -> None:
    with op.autocommit_block():
        op.create_index("pk_event", "event", ["id"], unique=True, postgresql_concurrently=True)
    op.execute("ALTER TABLE event ADD CONSTRAINT pk_event PRIMARY KEY USING INDEX pk_event")


def drop_table_bad() -> None:
    op.drop_table("legacy_audit")


def drop_table_safe() -> None:
    new_table()
    op.drop_table("fresh")


def rename_table_bad() -> None:
    op.rename_table("user_account", "account")


def rename_table_safe() -> None:
    new_table()
    op.rename_table("fresh", "newer")


def sql_bad() -> None:
    op.execute("ALTER TABLE account FROBNICATE EVERYTHING")


def sql_safe() -> None:
    op.execute("UPDATE account SET plan = 'free' WHERE plan IS NULL")


CASES = [
    Case("MG101", ALL, add_not_null_bad, add_not_null_safe),
    Case("MG102", ALL, set_not_null_bad, set_not_null_safe),
    Case("MG102", ("postgresql",), set_not_null_bad, set_not_null_safe_postgresql),
    Case("MG103", SERVERS, rewrite_bad, rewrite_safe),
    Case("MG104", ALL, narrowing_bad, narrowing_safe),
    Case("MG105", ALL, drop_column_bad, drop_column_safe),
    Case("MG106", ALL, rename_column_bad, rename_column_safe),
    Case("MG201", ("postgresql",), create_index_bad, create_index_safe),
    Case("MG202", ("postgresql",), concurrent_in_transaction_bad, concurrent_safe),
    Case("MG202", ("postgresql",), concurrent_drop_in_transaction_bad, concurrent_safe),
    Case("MG203", ("postgresql",), drop_index_bad, drop_index_safe),
    Case("MG301", ("postgresql",), foreign_key_bad, foreign_key_safe),
    Case("MG302", ("postgresql",), check_bad, check_safe),
    Case("MG303", ("postgresql",), unique_bad, unique_safe),
    Case("MG304", ("postgresql",), primary_key_bad, primary_key_safe),
    Case("MG401", ALL, drop_table_bad, drop_table_safe),
    Case("MG402", ALL, rename_table_bad, rename_table_safe),
    Case("MG001", ALL, sql_bad, sql_safe),
]

PARAMS = [
    pytest.param(case, dialect, id=f"{case.code}-{case.bad.__name__}-{dialect}")
    for case in CASES
    for dialect in case.dialects
]


@pytest.mark.parametrize(("case", "dialect"), PARAMS)
def test_rule_fires_on_bad_migration(case: Case, dialect: str) -> None:
    assert case.code in codes(case.bad, dialect)


@pytest.mark.parametrize(("case", "dialect"), PARAMS)
def test_rule_quiet_on_safe_migration(case: Case, dialect: str) -> None:
    assert case.code not in codes(case.safe, dialect)


@pytest.mark.parametrize(
    ("code", "fn"),
    [
        ("MG201", create_index_bad),
        ("MG202", concurrent_in_transaction_bad),
        ("MG203", drop_index_bad),
        ("MG301", foreign_key_bad),
        ("MG302", check_bad),
        ("MG303", unique_bad),
        ("MG304", primary_key_bad),
    ],
)
@pytest.mark.parametrize("dialect", ["mysql", "mariadb", "sqlite"])
def test_postgresql_lock_rules_stay_quiet_elsewhere(
    code: str, fn: Callable[[], None], dialect: str
) -> None:
    assert code not in codes(fn, dialect)


def test_sqlite_type_change_is_reported_as_a_table_copy() -> None:
    def widen_in_batch() -> None:
        with op.batch_alter_table("account") as batch:
            batch.alter_column("name", type_=sa.String(60), existing_type=sa.String(50))

    assert "MG103" in codes(widen_in_batch, "sqlite")
    assert "MG103" not in codes(widen_in_batch, "postgresql")


def test_sqlite_refuses_not_null_add_column_even_on_a_new_table() -> None:
    def add_to_new() -> None:
        new_table()
        op.add_column("fresh", sa.Column("plan", sa.String(20), nullable=False))

    assert "MG101" in codes(add_to_new, "sqlite")
    assert "MG101" not in codes(add_to_new, "postgresql")


def test_mysql_varchar_widening_across_the_length_prefix_copies_the_table() -> None:
    def across() -> None:
        op.alter_column("account", "name", type_=sa.String(100), existing_type=sa.String(50))

    assert "MG103" in codes(across, "mysql")
    assert "MG103" not in codes(across, "postgresql")


def test_mysql_enum_values_appended_at_the_end_are_in_place() -> None:
    def append() -> None:
        op.alter_column("t", "c", type_=sa.Enum("a", "b", "c"), existing_type=sa.Enum("a", "b"))

    def reorder() -> None:
        op.alter_column("t", "c", type_=sa.Enum("b", "a"), existing_type=sa.Enum("a", "b"))

    assert "MG103" not in codes(append, "mysql")
    assert "MG103" in codes(reorder, "mysql")


def test_type_change_without_existing_type_is_reported_as_possible_rewrite() -> None:
    def unknown_old() -> None:
        op.alter_column("t", "c", type_=sa.String(80))

    recording = record(unknown_old, "postgresql")
    (finding,) = [
        f for f in lint_operations(recording.ops, LintRun.make("postgresql")) if f.code == "MG103"
    ]
    assert "existing_type" in finding.message


def test_every_rule_has_complete_metadata() -> None:
    for rule in all_rules():
        assert rule.code.startswith("MG") and len(rule.code) == 5, rule.code
        assert rule.name == rule.name.lower() and " " not in rule.name
        for text in (rule.message, rule.summary, rule.why, rule.bad_example, rule.safe_example):
            assert text.strip(), (rule.code, text)
        assert rule.hint_for(("default",)), rule.code
        assert rule.phase in ("upgrade", "downgrade", "script")
        assert (rule.check is None) == (rule.phase == "script"), rule.code
