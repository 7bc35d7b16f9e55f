"""MySQL/MariaDB SQL text: findings of dogfooding, each pinned by a test."""

from __future__ import annotations

import sqlalchemy as sa


def test_mariadb_writes_named_column_checks_at_table_level(record) -> None:  # type: ignore[no-untyped-def]
    maria = record("mariadb")
    maria.ops.create_table(
        "t",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("q", sa.Integer, sa.CheckConstraint("q > 0", name="ck_q")),
    )
    maria.ops.add_column("t", sa.Column("r", sa.Integer, sa.CheckConstraint("r > 0", name="ck_r")))
    assert maria.statements[0].endswith("PRIMARY KEY (id), \n\tCONSTRAINT ck_q CHECK (q > 0)\n)")
    assert maria.statements[1:] == [
        "ALTER TABLE t ADD COLUMN r INTEGER, ADD CONSTRAINT ck_r CHECK (r > 0)",
    ]


def test_add_column_adds_its_keys_and_indexes_in_the_same_statement(record) -> None:  # type: ignore[no-untyped-def]
    for dialect in ("mysql", "mariadb"):
        rec = record(dialect)
        rec.ops.add_column(
            "t",
            sa.Column("c", sa.String(10), sa.ForeignKey("u.id"), unique=True, index=True),
        )
        rec.ops.add_column("t", sa.Column("d", sa.Integer, unique=True))
        assert rec.statements == [
            "ALTER TABLE t ADD COLUMN c VARCHAR(10), ADD FOREIGN KEY(c) REFERENCES u (id), "
            "ADD UNIQUE INDEX ix_t_c (c)",
            "ALTER TABLE t ADD COLUMN d INTEGER, ADD UNIQUE (d)",
        ], dialect


def test_mysql_keeps_named_column_checks_in_the_column(record) -> None:  # type: ignore[no-untyped-def]
    mysql = record("mysql")
    mysql.ops.add_column("t", sa.Column("r", sa.Integer, sa.CheckConstraint("r > 0", name="ck_r")))
    assert mysql.statements == ["ALTER TABLE t ADD COLUMN r INTEGER CONSTRAINT ck_r CHECK (r > 0)"]
