"""The lint engine: recording scripts offline, lines, ignores, settings, facts, SQL files."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from ddl_ops import DDLOpsError, op
from ddl_ops.lint import (
    ConnectionFacts,
    Finding,
    LintConfig,
    LintRun,
    get_rule,
    lint_module,
    lint_operations,
    lint_sql,
    load_script,
    parse_sql,
    record,
)
from ddl_ops.ops import AddColumnOp, CreateIndexOp, DropIndexOp

SCRIPT = '''"""add plan"""
import sqlalchemy as sa
from ddl_ops import op

revision = "ae10"


def upgrade():
    op.add_column("account", sa.Column("plan", sa.String(20), nullable=False))
    op.create_index(
        "ix_a",
        "account",
        ["email"],
    )
{extra}

def downgrade():
{downgrade}
'''


def lint_script(
    tmp_path: Path,
    extra: str = "",
    downgrade: str = '    op.drop_column("account", "plan")',
    dialect: str = "postgresql",
    config: LintConfig | None = None,
) -> list[Finding]:
    path = tmp_path / "ae10_add_plan.py"
    path.write_text(SCRIPT.format(extra=extra, downgrade=downgrade), encoding="utf-8")
    return lint_module(load_script(path), LintRun.make(dialect, config=config))


def by_code(findings: list[Finding]) -> dict[str, list[Finding]]:
    result: dict[str, list[Finding]] = {}
    for finding in findings:
        result.setdefault(finding.code, []).append(finding)
    return result


def test_findings_point_at_the_script_line_of_the_call(tmp_path: Path) -> None:
    found = by_code(lint_script(tmp_path))
    assert [f.line for f in found["MG101"]] == [9]
    assert [f.line for f in found["MG201"]] == [10]  # a call over several lines: its first
    assert found["MG101"][0].path == str(tmp_path / "ae10_add_plan.py")
    assert found["MG101"][0].revision == "ae10"


def test_downgrade_gets_only_the_downgrade_rules(tmp_path: Path) -> None:
    found = by_code(lint_script(tmp_path))
    # dropping the column the upgrade added is the plain reverse: no MG105, no MG502
    assert "MG105" not in found and "MG502" not in found
    older = by_code(lint_script(tmp_path, downgrade='    op.drop_column("account", "older")'))
    (lossy,) = older["MG502"]
    assert lossy.line == 18 and lossy.severity.value == "info" and "older" in lossy.message


def test_downgrade_recreating_what_the_upgrade_dropped_is_reported(tmp_path: Path) -> None:
    extra = '    op.drop_column("account", "legacy")\n    op.drop_table("audit")'
    downgrade = (
        '    op.create_table("audit", sa.Column("id", sa.Integer))\n'
        '    op.add_column("account", sa.Column("legacy", sa.Text()))\n'
        '    op.drop_column("account", "plan")'
    )
    found = by_code(lint_script(tmp_path, extra=extra, downgrade=downgrade))
    messages = sorted(f.message for f in found["MG502"])
    assert len(messages) == 2
    assert "re-creates column account.legacy empty" in messages[0]
    assert "re-creates table audit empty" in messages[1]


def test_empty_downgrade_is_reported(tmp_path: Path) -> None:
    found = by_code(lint_script(tmp_path, downgrade='    """nothing"""\n    pass'))
    (missing,) = found["MG501"]
    assert missing.line == 17 and "pass" in missing.message


def test_downgrade_that_raises_on_purpose_is_neither_missing_nor_cut_short(
    tmp_path: Path,
) -> None:
    found = by_code(lint_script(tmp_path, downgrade='    raise NotImplementedError("one way")'))
    assert "MG501" not in found and "MG002" not in found
    failing = by_code(lint_script(tmp_path, downgrade='    op.drop_constraint("x")'))
    assert [f.line for f in failing["MG002"]] == [18]  # a mistake, not a decision


def test_common_bind_idioms_do_not_stop_recording(tmp_path: Path) -> None:
    extra = (
        '    if op.get_bind().dialect.name == "postgresql":\n'
        '        op.drop_table("pg_only")\n'
        '    assert str(op.get_bind().engine.url).startswith("postgresql")\n'
        "    op.get_bind().commit()\n"
        '    sa.Enum("a", "b", name="kind").create(op.get_bind())\n'
        '    op.get_bind().execute(sa.text("CREATE INDEX ix_b ON account (email)"))\n'
        '    op.drop_table("after")'
    )
    found = by_code(lint_script(tmp_path, extra=extra))
    assert "MG002" not in found
    assert [f.line for f in found["MG201"]] == [10, 20]  # SQL run through the bind is linted
    assert [f.message.split()[2] for f in found["MG401"]] == ["pg_only", "after"]


def test_script_needing_a_database_is_checked_up_to_that_point(tmp_path: Path) -> None:
    extra = (
        '    op.get_bind().execute(sa.text("SET lock_timeout = 1000"))\n'
        '    rows = op.get_bind().execute(sa.text("SELECT id FROM account")).all()\n'
        '    op.drop_table("never_seen")'
    )
    found = by_code(lint_script(tmp_path, extra=extra))
    (stopped,) = found["MG002"]
    assert stopped.line == 16 and "upgrade()" in stopped.message
    assert "MG101" in found and "MG401" not in found
    # what the upgrade created is not all known, so dropping a column is not called lossy
    older = by_code(
        lint_script(tmp_path, extra=extra, downgrade='    op.drop_column("account", "x")')
    )
    assert "MG502" not in older


def test_inline_ignore_with_reason_on_the_line_or_above(tmp_path: Path) -> None:
    extra = (
        "    # migrate: ignore[MG401] unused since 3.0\n"
        '    op.drop_table("old")\n'
        '    op.drop_table("older")  # migrate: ignore[drop-table] backed up\n'
        '    op.drop_table("oldest")'
    )
    found = by_code(lint_script(tmp_path, extra=extra))
    assert [f.line for f in found["MG401"]] == [18]
    assert "MG003" not in found


def test_ignore_on_any_line_of_a_multiline_call(tmp_path: Path) -> None:
    path = tmp_path / "s.py"
    path.write_text(
        SCRIPT.format(extra="", downgrade="    pass").replace(
            '["email"],', '["email"],  # migrate: ignore[MG201] table has 10 rows'
        )
    )
    found = by_code(lint_module(load_script(path), LintRun.make("postgresql")))
    assert "MG201" not in found and "MG101" in found


def test_ignore_without_reason_ignores_nothing_and_is_reported(tmp_path: Path) -> None:
    extra = '    op.drop_table("old")  # migrate: ignore[MG401]\n    # migrate: ignore[MG999] x'
    found = by_code(lint_script(tmp_path, extra=extra))
    assert [f.line for f in found["MG401"]] == [15]
    assert sorted((f.line, "reason" in f.message) for f in found["MG003"]) == [
        (15, True),
        (16, False),
    ]


def test_config_select_ignore_and_per_dialect(tmp_path: Path) -> None:
    config = LintConfig.from_mapping(
        {"ignore": ["MG5"], "postgresql": {"ignore": "create-index-not-concurrently"}}
    )
    found = by_code(lint_script(tmp_path, config=config))
    assert set(found) == {"MG101"}
    assert set(by_code(lint_script(tmp_path, config=LintConfig(select=("MG2",))))) == {"MG201"}
    mysql = by_code(lint_script(tmp_path, dialect="mysql", config=config))
    assert "MG101" in mysql and "MG502" not in mysql


def test_config_refuses_selectors_matching_no_rule() -> None:
    with pytest.raises(DDLOpsError, match="MG9"):
        LintConfig.from_mapping({"select": ["MG9"]}, "pyproject.toml [tool.migrate.lint]")
    with pytest.raises(DDLOpsError, match="selct"):
        LintConfig.from_mapping({"selct": ["MG1"]})


def test_batch_operations_are_recorded_with_their_lines_and_rebuild() -> None:
    def upgrade() -> None:
        with op.batch_alter_table("account") as batch:
            batch.add_column(sa.Column("x", sa.Integer))
            batch.alter_column("name", type_=sa.String(5), existing_type=sa.String(9))

    sqlite = record(upgrade, "sqlite")
    assert [type(r.op) for r in sqlite.ops][0] is AddColumnOp
    first_line = sqlite.ops[0].line
    assert first_line is not None and sqlite.ops[1].line == first_line + 1
    assert all(r.batch is not None and r.batch.rebuilds for r in sqlite.ops)
    assert record(upgrade, "postgresql").ops[0].batch.rebuilds is False  # type: ignore[union-attr]


def test_custom_registered_operations_are_recorded() -> None:
    def upgrade() -> None:
        op.invoke(CreateIndexOp("ix", "t", ["a"]))

    assert [type(r.op) for r in record(upgrade, "postgresql").ops] == [CreateIndexOp]


class EmptyTables:
    """Facts of a database where `account` exists and is empty, and `event` is missing."""

    def table_exists(self, table: str, schema: str | None) -> bool | None:
        return table == "account"

    def table_has_rows(self, table: str, schema: str | None) -> bool | None:
        return False


def test_facts_silence_row_rules_on_empty_or_missing_tables() -> None:
    def upgrade() -> None:
        op.add_column("account", sa.Column("plan", sa.String(20), nullable=False))
        op.create_index("ix", "event", ["a"])
        op.drop_column("event", "b")

    recording = record(upgrade, "postgresql")
    without = {f.code for f in lint_operations(recording.ops, LintRun.make("postgresql"))}
    assert {"MG101", "MG201", "MG105"} <= without
    run = LintRun.make("postgresql", facts=EmptyTables())
    assert {f.code for f in lint_operations(recording.ops, run)} == set()


def test_connection_facts_read_the_database() -> None:
    engine = sa.create_engine("sqlite://")
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE empty (id INTEGER)")
        connection.exec_driver_sql("CREATE TABLE full (id INTEGER)")
        connection.exec_driver_sql("INSERT INTO full VALUES (1)")
        facts = ConnectionFacts(connection)
        assert facts.table_exists("empty", None) is True
        assert facts.table_exists("missing", None) is False
        assert facts.table_has_rows("empty", None) is False
        assert facts.table_has_rows("full", None) is True
        assert facts.table_has_rows("missing", None) is False


SQL_FILE = """-- migration ae10
BEGIN;

CREATE INDEX CONCURRENTLY ix_a ON account (email);
ALTER TABLE account ADD COLUMN plan VARCHAR(20) NOT NULL;
ALTER TABLE account ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id) NOT VALID;
ALTER TABLE account VALIDATE CONSTRAINT fk;
COMMIT;
CREATE INDEX CONCURRENTLY ix_b ON account (email);
ALTER TABLE account WIBBLE;
CREATE TABLE fresh (id INT);
CREATE INDEX ix_c ON fresh (id);
"""


def test_sql_file_statements_with_lines_and_transactions() -> None:
    findings = lint_sql(SQL_FILE, LintRun.make("postgresql"), path="ae10.sql")
    assert [(f.line, f.code) for f in findings] == [
        (4, "MG202"),  # inside BEGIN ... COMMIT
        (5, "MG101"),
        (10, "MG001"),
    ]
    assert all(f.path == "ae10.sql" for f in findings)


def test_sql_file_ignores_in_comments() -> None:
    text = (
        "-- migrate: ignore[MG201] lookup table\n"
        "CREATE INDEX a ON t (x);\n"
        "CREATE INDEX b ON t (x); -- migrate: ignore[create-index-not-concurrently] tiny\n"
        "CREATE INDEX c ON t (x); -- migrate: ignore[MG201]\n"
        "CREATE INDEX d ON t (x);\n"
    )
    findings = lint_sql(text, LintRun.make("postgresql"))
    assert [(f.line, f.code) for f in findings] == [(4, "MG003"), (4, "MG201"), (5, "MG201")]


def test_sql_parsing_maps_statements_to_operations() -> None:
    (create, drop, alter) = parse_sql(
        "CREATE UNIQUE INDEX CONCURRENTLY ix ON s.t (a, lower(b));"
        "DROP INDEX CONCURRENTLY ix;"
        "ALTER TABLE t ALTER COLUMN c TYPE VARCHAR(20), ALTER COLUMN d SET NOT NULL",
        "postgresql",
    )
    (index,) = create.ops
    assert isinstance(index, CreateIndexOp)
    assert (index.index_name, index.table_name, index.schema, index.unique) == (
        "ix",
        "t",
        "s",
        True,
    )
    assert index.dialect_kw == {"postgresql_concurrently": True}
    assert isinstance(drop.ops[0], DropIndexOp) and drop.ops[0].dialect_kw
    type_change, not_null = alter.ops
    assert isinstance(type_change.type_, sa.String) and type_change.type_.length == 20
    assert not_null.nullable is False


def test_sql_that_cannot_be_tokenized_is_one_problem() -> None:
    (statement,) = parse_sql("SELECT 'unterminated", "postgresql")
    assert statement.problem


def test_mysql_sql_is_parsed_with_mysql_grammar() -> None:
    (statement,) = parse_sql("ALTER TABLE t MODIFY COLUMN c BIGINT NOT NULL", "mariadb")
    (change,) = statement.ops
    assert isinstance(change.type_, sa.BigInteger)


def test_rules_are_found_by_code_or_name() -> None:
    assert get_rule("mg101") is get_rule("add-not-null-column")
    with pytest.raises(DDLOpsError, match="MG999"):
        get_rule("MG999")


MULTIDB = """import sqlalchemy as sa
from ddl_ops import op

revision = "m1"


def upgrade(engine_name: str) -> None:
    globals()[f"upgrade_{engine_name}"]()


def downgrade(engine_name: str) -> None:
    globals()[f"downgrade_{engine_name}"]()


def upgrade_engine1() -> None:
    op.drop_table("one")


def downgrade_engine1() -> None:
    pass


def upgrade_engine2() -> None:
    op.drop_column("two", "x")


def downgrade_engine2() -> None:
    pass
"""


def test_multi_database_scripts_lint_each_engines_functions(tmp_path: Path) -> None:
    path = tmp_path / "m1.py"
    path.write_text(MULTIDB)
    found = by_code(lint_module(load_script(path), LintRun.make("postgresql")))
    assert [f.line for f in found["MG401"]] == [16]
    assert [f.line for f in found["MG105"]] == [24]
    assert "MG002" not in found
