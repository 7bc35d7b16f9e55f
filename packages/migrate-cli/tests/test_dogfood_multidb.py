"""A failure in the second database of a multi-database env.py names it, and the first.

Found with the multidb template: engine1 migrated and committed, engine2
failed, and the error said "the whole run was rolled back; the database is
still at no revision (base)", naming no database, so it read as if nothing
had changed anywhere.
"""

from __future__ import annotations

import sqlite3
from typing import Any

Project = Any  # conftest fixtures
Migrate = Any

TWO_DATABASES_ENV_PY = """\
import sqlalchemy as sa

from migrate_cli import context

for name in ("one.db", "two.db"):
    engine = sa.create_engine(f"sqlite:///{context.config.config_file_dir / name}")
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations(database=name)
    engine.dispose()
"""


def recorded(path: Any) -> list[str]:
    with sqlite3.connect(path) as connection:
        try:
            rows = connection.execute("SELECT version_num FROM migrate_version").fetchall()
        except sqlite3.OperationalError:
            return []
    return [row[0] for row in rows]


def test_failure_in_the_second_database_names_both(project: Project, migrate: Migrate) -> None:
    (project.script_dir / "env.py").write_text(TWO_DATABASES_ENV_PY, encoding="utf-8")
    path = project.versions / "a1_fails_on_two.py"
    project.write_revision("a1", None, "fails on two", name=path.name)
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("def upgrade() -> None:", "def upgrade(database: str) -> None:")
        .replace(
            "def upgrade(database: str) -> None:\n    pass",
            "def upgrade(database: str) -> None:\n"
            "    if database == 'two.db':\n"
            "        op.execute('INSERT INTO no_such_table VALUES (1)')",
        )
        .replace("def downgrade() -> None:", "def downgrade(database: str) -> None:"),
        encoding="utf-8",
    )

    result = migrate("upgrade", "head")

    assert result.exit_code == 1
    line = result.stderr.strip().splitlines()[-1]
    assert recorded(project.root / "one.db") == ["a1"]
    assert recorded(project.root / "two.db") == []
    assert "two.db" in line  # the database that failed
    assert line.endswith(
        f"migrated earlier in this command, and kept: sqlite:///{project.root}/one.db"
    )


def test_single_database_message_is_unchanged(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1", None, upgrade="op.execute('INSERT INTO no_such_table VALUES (1)')")

    line = migrate("upgrade", "head").stderr.strip().splitlines()[-1]

    assert line.endswith(
        "the whole run was rolled back; the database is still at no revision (base)"
    )


def test_current_over_several_databases_says_which_is_which(
    project: Project, migrate: Migrate
) -> None:
    project.write_revision("a1", None)
    env = project.script_dir / "env.py"
    only_one = TWO_DATABASES_ENV_PY.replace('("one.db", "two.db")', '("one.db",)')
    env.write_text(only_one.replace("(database=name)", "()"), encoding="utf-8")
    assert migrate("upgrade", "head").exit_code == 0
    env.write_text(TWO_DATABASES_ENV_PY.replace("(database=name)", "()"), encoding="utf-8")

    result = migrate("current")

    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"sqlite:///{project.root}/one.db:",
        "  a1 (head)",
        f"sqlite:///{project.root}/two.db:",
        "  (base)",
    ]
    assert migrate("current", "-v").stdout.startswith(
        f"Current revision(s) for sqlite:///{project.root}/one.db:"
    )


def test_ensure_version_over_several_databases_is_one_json_document(
    project: Project, migrate: Migrate
) -> None:
    env = project.script_dir / "env.py"
    only_one = TWO_DATABASES_ENV_PY.replace('("one.db", "two.db")', '("one.db",)')
    env.write_text(only_one.replace("(database=name)", "()"), encoding="utf-8")
    assert migrate("ensure-version").exit_code == 0
    env.write_text(TWO_DATABASES_ENV_PY.replace("(database=name)", "()"), encoding="utf-8")

    document = migrate("--json", "ensure-version").json()

    assert document["version_table"] == "migrate_version"
    assert document["created"] is True
    assert document["databases"] == [
        {"database": f"sqlite:///{project.root}/one.db", "created": False},
        {"database": f"sqlite:///{project.root}/two.db", "created": True},
    ]


def test_upgrade_json_over_several_databases_gives_each_ones_heads(
    project: Project, migrate: Migrate
) -> None:
    project.write_revision("a1", None)
    project.write_revision("b2", "a1")
    env = project.script_dir / "env.py"
    only_one = TWO_DATABASES_ENV_PY.replace('("one.db", "two.db")', '("one.db",)')
    env.write_text(only_one.replace("(database=name)", "()"), encoding="utf-8")
    assert migrate("upgrade", "a1").exit_code == 0
    env.write_text(TWO_DATABASES_ENV_PY.replace("(database=name)", "()"), encoding="utf-8")

    document = migrate("--json", "upgrade", "head").json()

    assert [(s["revision"]) for s in document["applied"]] == ["b2", "a1", "b2"]
    assert document["databases"] == [
        {"database": f"sqlite:///{project.root}/one.db", "heads": ["b2"]},
        {"database": f"sqlite:///{project.root}/two.db", "heads": ["b2"]},
    ]
    env.write_text(only_one.replace("(database=name)", "()"), encoding="utf-8")
    single = migrate("--json", "downgrade", "base").json()
    assert single["heads"] == [] and "databases" not in single
