"""`migrate lint` against squawk on the same migrations' PostgreSQL `--sql` output.

squawk (pip `squawk-cli`, a binary wheel) lints PostgreSQL SQL files; it is never a
dependency of this project, only of this comparison. For every migration below, the
script writes `migrate upgrade --sql` output for PostgreSQL, runs squawk on it, and runs
our lint twice: on the same SQL file (`lint --sql`) and on the migration script itself
(`lint`, which sees operations before SQL exists). For each squawk rule we share, it
counts squawk's findings and how many of them we also report (on the same SQL line, and
in the same revision for the script). Prints a table; exits 1 if we miss any.

    .venv/bin/pip install squawk-cli
    .venv/bin/python benchmarks/compare_squawk.py
"""

# ruff: noqa: E501  (one migration per line reads better than wrapped strings)

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from ddl_ops.lint import LintRun, lint_module, lint_sql, load_script
from migrate_cli import command
from migrate_cli.testing import MigrationProject

#: squawk rule -> our codes that report the same danger
SHARED: dict[str, set[str]] = {
    "adding-required-field": {"MG101"},
    "adding-not-nullable-field": {"MG102"},
    "changing-column-type": {"MG103", "MG104"},
    "ban-drop-column": {"MG105"},
    "renaming-column": {"MG106"},
    "require-concurrent-index-creation": {"MG201"},
    "ban-concurrent-index-creation-in-transaction": {"MG202"},
    "require-concurrent-index-deletion": {"MG203"},
    "adding-foreign-key-constraint": {"MG301"},
    # squawk also says this of UNIQUE and PRIMARY KEY, which PostgreSQL cannot add NOT VALID:
    # the same danger (validated under an exclusive lock) is MG303/MG304 for us
    "constraint-missing-not-valid": {"MG301", "MG302", "MG303", "MG304"},
    "disallowed-unique-constraint": {"MG303"},
    "adding-serial-primary-key-field": {"MG304"},
    "ban-drop-table": {"MG401"},
    "renaming-table": {"MG402"},
}

BASE = """op.create_table("account", sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("email", sa.String(50)), sa.Column("name", sa.String(50)),
    sa.Column("legacy", sa.Text), sa.Column("mail", sa.String(50)))
op.create_table("event", sa.Column("id", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime), sa.Column("account_id", sa.Integer))
op.create_table("item", sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("price", sa.Numeric(10, 2)))
op.create_table("audit", sa.Column("id", sa.Integer, primary_key=True))"""

#: (name, upgrade body): dangerous migrations, their safe versions, and raw SQL
MIGRATIONS: list[tuple[str, str]] = [
    (
        "not_null_column",
        'op.add_column("account", sa.Column("plan", sa.String(20), nullable=False))',
    ),
    (
        "not_null_with_default",
        'op.add_column("account", sa.Column("tier", sa.String(20), nullable=False, server_default="free"))',
    ),
    (
        "set_not_null",
        'op.alter_column("account", "email", nullable=False, existing_type=sa.String(50))',
    ),
    (
        "int_to_bigint",
        'op.alter_column("event", "account_id", type_=sa.BigInteger(), existing_type=sa.Integer())',
    ),
    (
        "varchar_widening",
        'op.alter_column("account", "name", type_=sa.String(80), existing_type=sa.String(50))',
    ),
    (
        "varchar_narrowing",
        'op.alter_column("account", "name", type_=sa.String(20), existing_type=sa.String(80))',
    ),
    ("drop_column", 'op.drop_column("account", "legacy")'),
    ("rename_column", 'op.alter_column("account", "mail", new_column_name="mail_address")'),
    ("index", 'op.create_index("ix_event_created", "event", ["created_at"])'),
    (
        "index_concurrently",
        'with op.autocommit_block():\n    op.create_index("ix_event_account", "event", ["account_id"], postgresql_concurrently=True)',
    ),
    (
        "concurrently_in_transaction",
        'op.create_index("ix_account_name", "account", ["name"], postgresql_concurrently=True)',
    ),
    ("drop_index", 'op.drop_index("ix_event_created", "event")'),
    (
        "drop_index_concurrently",
        'with op.autocommit_block():\n    op.drop_index("ix_event_account", "event", postgresql_concurrently=True)',
    ),
    (
        "foreign_key",
        'op.create_foreign_key("fk_event_account", "event", "account", ["account_id"], ["id"])',
    ),
    (
        "foreign_key_not_valid",
        'op.create_foreign_key("fk_event_account2", "event", "account", ["account_id"], ["id"], postgresql_not_valid=True)',
    ),
    ("check", 'op.create_check_constraint("ck_price", "item", "price > 0")'),
    (
        "check_not_valid",
        'op.create_check_constraint("ck_price2", "item", "price < 1000", postgresql_not_valid=True)',
    ),
    ("unique", 'op.create_unique_constraint("uq_email", "account", ["email"])'),
    ("primary_key", 'op.create_primary_key("pk_event", "event", ["id"])'),
    (
        "new_table_indexed",
        'op.create_table("fresh", sa.Column("id", sa.Integer, primary_key=True), sa.Column("x", sa.Integer))\nop.create_index("ix_fresh_x", "fresh", ["x"])',
    ),
    ("rename_table", 'op.rename_table("audit", "audit_log")'),
    ("drop_table", 'op.drop_table("audit_log")'),
    (
        "raw_sql",
        'op.execute("CREATE INDEX ix_raw ON account (email); ALTER TABLE account ADD COLUMN raw_flag BOOLEAN NOT NULL")',
    ),
    ("raw_sql_safe", "op.execute(\"UPDATE account SET name = 'x' WHERE name IS NULL\")"),
]


#: (migration, squawk rule, mode) squawk reports and we deliberately do not, and why
EXPLAINED: dict[tuple[str, str, str], str] = {
    ("varchar_widening", "changing-column-type", "script"): (
        "VARCHAR(50) -> VARCHAR(80) is binary-compatible: PostgreSQL neither rewrites nor "
        "scans; the script's existing_type tells lint so (from the SQL alone the old type is "
        "unknown, and --sql reports it like squawk)"
    ),
}


def write_project(root: Path) -> tuple[MigrationProject, list[str]]:
    project = MigrationProject(root, "postgresql://lint@localhost/lint")
    project.add("r00", None, BASE)
    revisions = ["r00"]
    for number, (name, body) in enumerate(MIGRATIONS, start=1):
        rev = f"r{number:02d}"
        project.add(rev, revisions[-1], body, "op.execute('SELECT 1')", message=name)
        revisions.append(rev)
    return project, revisions


def upgrade_sql(project: MigrationProject, previous: str, rev: str) -> str:
    project.output.seek(0)
    project.output.truncate()
    command.upgrade(project.config(), f"{previous}:{rev}", sql=True)
    return project.output.getvalue()


def squawk(squawk_bin: str, path: Path) -> list[tuple[str, int]]:
    done = subprocess.run(
        [squawk_bin, "--reporter", "json", str(path)], capture_output=True, text=True
    )
    if done.returncode not in (0, 1) or not done.stdout.strip():
        raise SystemExit(f"squawk failed on {path}: {done.stderr.strip()}")
    return [(v["rule_name"], int(v["line"]) + 1) for v in json.loads(done.stdout)]


def main() -> int:
    squawk_bin = shutil.which("squawk") or str(Path(sys.executable).parent / "squawk")
    if not Path(squawk_bin).exists():
        print("squawk not installed: pip install squawk-cli (only for this comparison)")
        return 0
    version = subprocess.run([squawk_bin, "--version"], capture_output=True, text=True)
    print(f"{version.stdout.strip()} vs migrate lint, PostgreSQL, {len(MIGRATIONS)} migrations\n")
    squawk_total: Counter[str] = Counter()
    matched_sql: Counter[str] = Counter()
    matched_script: Counter[str] = Counter()
    squawk_only: Counter[str] = Counter()
    ours_sql: Counter[str] = Counter()
    ours_script: Counter[str] = Counter()
    missed: list[str] = []
    explained: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        project, revisions = write_project(Path(tmp))
        scripts = {s.stem: s for s in project.env_dir.joinpath("versions").glob("r*.py")}
        for previous, rev in zip(revisions, revisions[1:]):
            name = MIGRATIONS[int(rev[1:]) - 1][0]
            sql_path = Path(tmp) / f"{rev}_{name}.sql"
            sql_path.write_text(upgrade_sql(project, previous, rev))
            theirs = squawk(squawk_bin, sql_path)
            ours = lint_sql(sql_path.read_text(), LintRun.make("postgresql"), path=str(sql_path))
            from_script = lint_module(
                load_script(scripts[rev]), LintRun.make("postgresql"), path=str(scripts[rev])
            )
            ours_sql.update(f.code for f in ours)
            ours_script.update(f.code for f in from_script if f.code not in ("MG501",))
            script_codes = Counter(f.code for f in from_script)
            for rule, line in theirs:
                if rule not in SHARED:
                    squawk_only[rule] += 1
                    continue
                squawk_total[rule] += 1
                if any(f.code in SHARED[rule] and f.line == line for f in ours):
                    matched_sql[rule] += 1
                elif (name, rule, "sql") in EXPLAINED:
                    explained.append(f"{rev} {name} --sql, {rule}: {EXPLAINED[name, rule, 'sql']}")
                else:
                    missed.append(f"{rev} {name}: --sql line {line}: {rule}")
                if any(script_codes[code] for code in SHARED[rule]):
                    matched_script[rule] += 1
                elif (name, rule, "script") in EXPLAINED:
                    why = EXPLAINED[name, rule, "script"]
                    explained.append(f"{rev} {name} script, {rule}: {why}")
                else:
                    missed.append(f"{rev} {name}: script: {rule}")
    print(f"{'squawk rule':<46}{'squawk':>7}{'ours --sql':>12}{'ours script':>13}")
    for rule in SHARED:
        print(f"{rule:<46}{squawk_total[rule]:>7}{matched_sql[rule]:>12}{matched_script[rule]:>13}")
    print(
        f"\nsquawk findings on shared rules: {sum(squawk_total.values())}; "
        f"also found by migrate lint --sql: {sum(matched_sql.values())}, "
        f"by migrate lint on the scripts: {sum(matched_script.values())}"
    )
    print("squawk rules we do not share (counts):", dict(sorted(squawk_only.items())))
    print("our findings, --sql:", dict(sorted(ours_sql.items())))
    print("our findings, scripts:", dict(sorted(ours_script.items())))
    if explained:
        print("\nnot reported on purpose:\n  " + "\n  ".join(explained))
    if missed:
        print("\nmissed:\n  " + "\n  ".join(missed))
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
