"""`migrate port`: Alembic imports become migrate's own, in place, with the same behaviour."""

from __future__ import annotations

import sqlite3
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from migrate_cli.alembic_compat.port import port_source, port_template
from migrate_cli.cli import get_cli


def test_imports_with_native_equivalents_are_rewritten_in_place() -> None:
    source = textwrap.dedent(
        """\
        import sqlalchemy as sa
        from alembic import op, context  # noqa: I001
        if True:
            from alembic.operations.ops import AddColumnOp, MigrationScript
        x = 1; from alembic import op as o
        """
    )

    ported = port_source(source, Path("env.py"))

    assert ported.after == textwrap.dedent(
        """\
        import sqlalchemy as sa
        from ddl_ops import op
        from migrate_cli import context  # noqa: I001
        if True:
            from ddl_ops import AddColumnOp
            from migrate_autogen import MigrationScript
        x = 1; from ddl_ops import op as o
        """
    )
    assert ported.left == []


def test_names_without_a_same_behaving_native_are_left_and_listed() -> None:
    source = "import alembic\nfrom alembic.config import Config\nfrom alembic import op, config\n"

    ported = port_source(source, Path("env.py"))

    assert not ported.changed
    assert [line.split(": ")[0] for line in ported.left] == ["env.py:1", "env.py:2", "env.py:3"]
    assert "`from alembic.config import Config` left as is" in ported.left[1]


def test_the_template_keeps_its_mako() -> None:
    template = '"""${message}"""\nfrom alembic import op\nimport sqlalchemy as sa\n${imports}\n'

    assert port_template(template, Path("script.py.mako")).after == template.replace(
        "from alembic import op", "from ddl_ops import op"
    )


ENV_PY = """
from alembic import context
from sqlalchemy import create_engine

with create_engine(context.config.get_main_option("sqlalchemy.url")).connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
"""

SCRIPT = '''"""{message}"""
from alembic import op
import sqlalchemy as sa

revision = {rev!r}
down_revision = {down!r}


def upgrade():
    {upgrade}


def downgrade():
    {downgrade}
'''


def cli(*args: str) -> Result:
    return CliRunner().invoke(get_cli(), list(args), catch_exceptions=False)


@pytest.fixture
def alembic_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    env = tmp_path / "alembic"
    (env / "versions").mkdir(parents=True)
    (tmp_path / "alembic.ini").write_text(
        "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = sqlite:///%(here)s/app.db\n"
    )
    (env / "env.py").write_text(ENV_PY)
    (env / "script.py.mako").write_text(
        '"""${message}"""\nfrom alembic import op\n\nrevision = ${repr(up_revision)}\n'
        "down_revision = ${repr(down_revision)}\n\n\ndef upgrade():\n    pass\n\n\n"
        "def downgrade():\n    pass\n"
    )
    for rev, down, upgrade, downgrade in [
        (
            "a1",
            None,
            'op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))',
            'op.drop_table("t")',
        ),
        ("b2", "a1", 'op.add_column("t", sa.Column("x", sa.Integer))', 'op.drop_column("t", "x")'),
    ]:
        (env / "versions" / f"{rev}_step.py").write_text(
            SCRIPT.format(message=rev, rev=rev, down=down, upgrade=upgrade, downgrade=downgrade)
        )
    return tmp_path


def test_port_check_fails_until_ported_and_the_project_behaves_the_same(
    alembic_project: Path,
) -> None:
    files = sorted((alembic_project / "alembic").rglob("*.py")) + [
        alembic_project / "alembic" / "script.py.mako"
    ]
    before = {path: path.read_text() for path in files}

    check = cli("port", "--check")

    assert check.exit_code == 1
    assert "4 file(s) still use Alembic names" in check.stderr
    assert "-from alembic import op\n+from ddl_ops import op" in check.stdout
    assert {path: path.read_text() for path in files} == before  # --check writes nothing

    ported = cli("port")

    assert ported.exit_code == 0, ported.output
    assert all("from alembic" not in path.read_text() for path in files)
    assert cli("port", "--check").exit_code == 0
    # Same behaviour: the history runs, records in alembic_version, and goes back down.
    assert cli("upgrade", "head").exit_code == 0
    with sqlite3.connect(alembic_project / "app.db") as db:
        assert db.execute("select version_num from alembic_version").fetchall() == [("b2",)]
    assert cli("downgrade", "base").exit_code == 0
    made = cli("revision", "-m", "next")
    assert made.exit_code == 0, made.output
    new = next((alembic_project / "alembic" / "versions").glob("*_next.py"))
    assert "from ddl_ops import op" in new.read_text()
