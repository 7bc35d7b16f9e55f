"""`import alembic` gives migrate's names inside a run only, with or without the real Alembic.

The hook must not leak: importing migrate_cli changes nothing, and after a run
sys.modules and sys.meta_path are as they were (the real Alembic, if it was
imported, is the same module object again).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from migrate_cli import Config
from migrate_cli.alembic_compat import alembic_names, is_active
from migrate_cli.alembic_compat.provided import SHIM_MODULES, provides


def _alembic_modules() -> dict[str, object]:
    return {k: v for k, v in sys.modules.items() if k == "alembic" or k.startswith("alembic.")}


def test_importing_migrate_patches_nothing() -> None:
    code = textwrap.dedent(
        """
        import sys
        before = list(sys.meta_path)
        import migrate_cli, migrate_cli.cli, migrate_cli.command, migrate_cli.context
        import migrate_cli.alembic_compat
        assert sys.meta_path == before, sys.meta_path
        assert not [m for m in sys.modules if m == "alembic" or m.startswith("alembic.")]
        print("clean")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.stdout.strip() == "clean", result.stderr


def test_inside_a_run_alembic_names_are_ours() -> None:
    import ddl_ops
    import migrate_autogen
    import migrate_cli.context
    from migrate_cli.runtime.migration import MigrationContext
    from migrate_cli.script import ScriptDirectory

    with alembic_names():
        import alembic
        import alembic.autogenerate
        import alembic.command
        import alembic.config
        import alembic.operations.ops
        import alembic.runtime.migration
        import alembic.script
        from alembic import context, op

        assert alembic.op is op and alembic.context is context
        assert context.configure is migrate_cli.context.configure
        assert "batch_alter_table" in dir(op)  # forwarded to the per-run Operations
        assert alembic.command.upgrade is migrate_cli.command.upgrade
        assert alembic.script.ScriptDirectory is ScriptDirectory
        assert alembic.runtime.migration.MigrationContext is MigrationContext
        assert alembic.operations.Operations is ddl_ops.Operations
        assert alembic.operations.ops.AddColumnOp is ddl_ops.AddColumnOp
        assert alembic.autogenerate.rewriter.Rewriter is migrate_autogen.Rewriter
        assert issubclass(alembic.config.Config, Config)
        assert alembic.config.Config().config_ini_section == "alembic"
        assert alembic.operations.ops.UpgradeOps(ops=[]).is_empty()


def test_after_a_run_the_real_alembic_is_back() -> None:
    real = pytest.importorskip("alembic")
    before = _alembic_modules()
    meta_path = list(sys.meta_path)

    with alembic_names():
        import alembic

        assert alembic is not real
        assert is_active()

    import alembic as after

    assert after is real
    assert _alembic_modules() == before
    assert sys.meta_path == meta_path
    assert not is_active()


def test_names_not_provided_are_refused_with_advice() -> None:
    with alembic_names():
        with pytest.raises(ModuleNotFoundError, match=r"alembic\.ddl .*ddl_ops\.DialectImpl"):
            import alembic.ddl.impl
        import alembic.autogenerate

        with pytest.raises(AttributeError, match="comparators.register"):
            alembic.autogenerate.comparators  # noqa: B018


def test_runs_nest_and_overlap_in_threads() -> None:
    entered = threading.Event()
    release = threading.Event()

    def other_run() -> None:
        with alembic_names():
            entered.set()
            release.wait(5)

    thread = threading.Thread(target=other_run)
    with alembic_names():
        thread.start()
        entered.wait(5)
        with alembic_names():
            assert is_active()
    assert is_active()  # the thread's run is still going
    release.set()
    thread.join(5)
    assert not is_active()


def test_every_shim_module_is_importable_and_complete() -> None:
    with alembic_names():
        import importlib

        for name, shim in SHIM_MODULES.items():
            module = importlib.import_module(name)
            for attribute in shim.names:
                if name == "alembic.context" and attribute in ("config", "script"):
                    continue  # only inside env.py
                assert getattr(module, attribute) is not None, f"{name}.{attribute}"
                assert provides(name, attribute)


WITHOUT_ALEMBIC = """
import sys
sys.modules["alembic"] = None  # `import alembic` raises ImportError, as when not installed
try:
    import alembic
except ImportError:
    pass
else:
    raise SystemExit("alembic importable before the run")
from migrate_cli.cli import main
try:
    main(["upgrade", "head"])
except SystemExit as exit:
    assert not exit.code, exit.code
try:
    import alembic
except ImportError:
    print("blocked again after the run")
"""


def test_an_alembic_project_runs_where_alembic_cannot_be_imported(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The real Alembic blocked in a fresh interpreter: the project still migrates."""
    env = tmp_path / "alembic"
    (env / "versions").mkdir(parents=True)
    (tmp_path / "alembic.ini").write_text(
        "[alembic]\nscript_location = %(here)s/alembic\nsqlalchemy.url = sqlite:///%(here)s/app.db\n"
    )
    (env / "env.py").write_text(
        textwrap.dedent(
            """
            from alembic import context
            import alembic
            from sqlalchemy import create_engine

            assert alembic.context is context
            with create_engine(context.config.get_main_option("sqlalchemy.url")).connect() as c:
                context.configure(connection=c)
                with context.begin_transaction():
                    context.run_migrations()
            """
        )
    )
    (env / "versions" / "a1_first.py").write_text(
        textwrap.dedent(
            '''
            """first"""
            from alembic import op
            import sqlalchemy as sa

            revision = "a1"
            down_revision = None

            def upgrade():
                op.create_table("t", sa.Column("id", sa.Integer, primary_key=True))

            def downgrade():
                op.drop_table("t")
            '''
        )
    )

    result = subprocess.run(
        [sys.executable, "-c", WITHOUT_ALEMBIC],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("blocked again after the run")
    import sqlite3

    with sqlite3.connect(tmp_path / "app.db") as db:
        assert db.execute("select version_num from alembic_version").fetchall() == [("a1",)]
        assert db.execute("select name from sqlite_master where name = 't'").fetchone()


def test_hooks_building_scripts_the_alembic_way_get_ours() -> None:
    """Keystone's expand/contract splitter: a Dispatcher keyed by Alembic's ops classes,
    and ops.MigrationScript(rev_id, UpgradeOps(...), DowngradeOps(...), ...) positionally."""
    import migrate_autogen

    with alembic_names():
        from alembic.operations import ops
        from alembic.util import Dispatcher, rev_id

        dispatcher = Dispatcher()
        seen: list[str] = []

        @dispatcher.dispatch_for(ops.MigrationScript)
        def _script(directive: object) -> str:
            seen.append("script")
            return "script"

        @dispatcher.dispatch_for(ops.AddColumnOp)
        def _add(directive: object) -> str:
            return "add"

        @dispatcher.dispatch_for(ops.ModifyTableOps)
        def _table(directive: object) -> str:
            return "table"

        produced = migrate_autogen.MigrationScript()  # what `revision --autogenerate` makes
        built = ops.MigrationScript(rev_id(), ops.UpgradeOps(ops=[]), ops.DowngradeOps(ops=[]))

        assert dispatcher.dispatch(produced)(produced) == "script"
        assert isinstance(produced, ops.MigrationScript)
        assert isinstance(built, migrate_autogen.MigrationScript)
        assert built.upgrade_ops.is_empty() and len(built.rev_id or "") == 12
        with pytest.raises(ValueError, match="no function registered"):
            dispatcher.dispatch(object())


def test_env_py_importing_a_module_that_uses_unprovided_api_names_it(project: object) -> None:
    """A helper module env.py imports is not scanned; its failed import is still explained."""
    from click.testing import CliRunner

    from migrate_cli.cli import get_cli

    root = project.root  # type: ignore[attr-defined]
    (root / "helper_uses_alembic.py").write_text("from alembic.util import langhelpers\n")
    env = project.script_dir  # type: ignore[attr-defined]
    text = (env / "env.py").read_text()
    (env / "env.py").write_text(
        f"import sys\nsys.path.insert(0, {str(root)!r})\nimport helper_uses_alembic\n" + text
    )

    result = CliRunner().invoke(get_cli(), ["-c", str(project.ini), "current"])  # type: ignore[attr-defined]

    assert result.exit_code == 1
    assert "uses alembic.util.langhelpers, which a migrate run does not provide" in result.stderr
