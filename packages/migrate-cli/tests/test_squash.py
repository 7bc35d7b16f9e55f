"""`migrate squash` on SQLite: the CLI, the header, what history/heads/current show, refusals.

Live-database behaviour (every start state reaching the original schema on SQLite,
PostgreSQL and MariaDB) is in tests-integration/test_cli_squash.py.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from migrate_cli import command
from migrate_cli.commands import lint as lint_commands
from migrate_cli.errors import CommandError
from migrate_cli.script import ScriptDirectory
from migrate_cli.script.header import read_header

ACCOUNT = (
    'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), '
    'sa.Column("name", sa.String(50)))'
)


@pytest.fixture
def history(project):
    project.write_revision("a1", None, "create account", upgrade=ACCOUNT)
    project.write_revision(
        "b2", "a1", "add email", upgrade='op.add_column("account", sa.Column("email", sa.Text))'
    )
    project.write_revision(
        "c3",
        "b2",
        "seed",
        upgrade=(
            'accounts = sa.table("account", sa.column("name"))\n'
            '    op.bulk_insert(accounts, [{"name": "admin"}])\n'
            '    op.create_index("ix_account_name", "account", ["name"])'
        ),
    )
    project.write_revision(
        "d4",
        "c3",
        "add item",
        upgrade='op.create_table("item", sa.Column("id", sa.Integer, primary_key=True))',
    )
    project.write_revision("e5", "d4", "nothing")
    return project


def test_cli_writes_a_squash_with_replaces_and_flagged_data(history, migrate):
    result = migrate("squash", "b2:d4", "-m", "early days", "--rev-id", "sq1")
    assert result.exit_code == 0, result.stderr
    assert "Squashed 3 revisions (b2, c3, d4) into sq1; 1 note(s) marked `# REVIEW`" in (
        result.stdout
    )
    path = next(history.versions.glob("sq1_*.py"))
    header = read_header(path)
    assert header.replaces == ("b2", "c3", "d4")
    assert header.down_revision == "a1"
    source = path.read_text()
    assert "op.create_table(\n        'item'," in source
    # On SQLite, autogenerate renders a table's changes as one batch block.
    assert "batch_op.add_column(sa.Column('email'" in source
    review = source.index("# REVIEW: data migration carried over from c3")
    assert source.index('accounts = sa.table("account"') > review
    assert source.index("op.bulk_insert(accounts") > review
    # c3 holds data: its upgrade() is carried as written, in its place between the schema
    # differences of b2 and of d4, so the data runs on the schema it was written for.
    carried = source.index('op.create_index("ix_account_name", "account", ["name"])')
    assert source.index("'email'") < review < carried < source.index("'item'")


def test_history_heads_and_current_understand_the_squash(history, migrate):
    migrate("squash", "b2:d4", "--rev-id", "sq1")
    heads = migrate("heads")
    assert heads.stdout.startswith("e5 (head)")
    lines = migrate("history").stdout.splitlines()
    assert lines[0].startswith("sq1 -> e5 (head)")
    assert lines[1].startswith("a1 -> sq1 (squashes b2, c3, d4)")
    assert not any(line.startswith(("b2", "c3", "d4")) for line in lines)
    verbose = migrate("history", "-r", "sq1:sq1", "--verbose").stdout
    assert "Replaces: b2, c3, d4" in verbose

    squash = history.versions / next(p.name for p in history.versions.glob("sq1_*.py"))
    aside = history.root / "aside.py"
    squash.rename(aside)
    assert migrate("upgrade", "c3").exit_code == 0
    aside.rename(squash)
    current = migrate("current").stdout
    assert "c3 (replaced by sq1)" in current
    assert migrate("upgrade", "head").exit_code == 0
    assert migrate("current").stdout.startswith("e5 (head)")


def test_json_shows_replaces(history, migrate):
    migrate("squash", "b2:d4", "--rev-id", "sq1")
    entries = migrate("--json", "history").json()
    squash = next(e for e in entries if e["revision"] == "sq1")
    assert squash["replaces"] == ["b2", "c3", "d4"]


@pytest.mark.parametrize(
    "revisions,range_,message",
    [
        ([], "b2:b2", "holds one revision"),
        ([("x9", "c3")], "b2:d4", "x9 builds on c3, inside the range"),
        ([("x9", "a1"), ("m8", ("e5", "x9"))], "b2:m8", "m8 also builds on x9"),
    ],
)
def test_ranges_a_squash_cannot_stand_for_are_refused(history, revisions, range_, message):
    for rev, down in revisions:
        history.write_revision(rev, down, rev)
    with pytest.raises(CommandError, match=message):
        command.squash(history.config(), range_)
    assert not list(history.versions.glob("*squash*"))


def test_branch_labels_inside_the_range_are_refused(project):
    project.write_revision("a1", None, upgrade=ACCOUNT)
    project.write_revision("b2", "a1", branch_labels="feature")
    project.write_revision("c3", "b2")
    with pytest.raises(CommandError, match="declares branch label.*feature"):
        command.squash(project.config(), "b2:c3")


def test_a_squash_is_not_squashed_again_before_pruning(history):
    command.squash(history.config(), "b2:c3", rev_id="sq1")
    with pytest.raises(CommandError, match="sq1 is a squash .* --prune sq1"):
        command.squash(history.config(), "sq1:e5")


def test_prune_refusals(history, migrate):
    assert migrate("squash", "--prune", "a1").exit_code == 1
    assert "not a squash" in migrate("squash", "--prune", "a1").stderr
    result = migrate("squash", "--prune", "-m", "x", "a1")
    assert result.exit_code != 0 and "--prune takes only" in result.stderr


def test_prune_rewrites_children_and_keeps_the_history_loadable(history, migrate):
    migrate("squash", "b2:d4", "--rev-id", "sq1")
    history.write_revision("x9", "a1", "side", depends_on="c3")
    upgraded = migrate("upgrade", "heads")
    assert upgraded.exit_code == 0, upgraded.stderr
    result = migrate("squash", "--prune", "sq1")
    assert result.exit_code == 0, result.stderr
    script = ScriptDirectory.from_config(history.config())
    assert set(script.scripts) == {"a1", "sq1", "e5", "x9"}
    assert script.get_revision("e5").down_revision == "sq1"
    assert script.get_revision("x9").depends_on == "sq1"
    assert script.get_revision("sq1").replaces == ()
    history.db_path.unlink()  # a new database runs the pruned history from scratch
    again = migrate("upgrade", "heads")
    assert again.exit_code == 0, again.stderr


def test_header_rejects_a_bad_replaces(tmp_path):
    path = tmp_path / "r.py"
    path.write_text("revision = 'r'\ndown_revision = None\nreplaces = 5\n")
    with pytest.raises(CommandError, match="replaces must be None or a tuple"):
        read_header(path)


def test_header_cache_keeps_replaces(history, migrate):
    migrate("squash", "b2:d4", "--rev-id", "sq1")
    first = ScriptDirectory.from_config(history.config()).get_revision("sq1")
    cached = ScriptDirectory.from_config(history.config()).get_revision("sq1")  # from the cache
    assert first.replaces == cached.replaces == ("b2", "c3", "d4")


@pytest.mark.parametrize("start,target", [("e5", "c3"), ("sq1", "b2"), ("c3", "e5"), ("c3", "sq1")])
def test_stamp_across_a_squash_replaces_the_head(history, migrate, start, target):
    migrate("squash", "b2:d4", "--rev-id", "sq1")
    assert migrate("stamp", start).exit_code == 0
    result = migrate("stamp", target)
    assert result.exit_code == 0, result.stderr
    assert migrate("current").stdout.split()[0] == target


def test_a_range_closed_under_a_merge_squashes_and_partial_databases_finish_it(project, migrate):
    project.write_revision("a1", None, upgrade=ACCOUNT)
    project.write_revision(
        "b2", "a1", upgrade='op.create_table("b", sa.Column("id", sa.Integer, primary_key=True))'
    )
    project.write_revision(
        "c3", "a1", upgrade='op.create_table("c", sa.Column("id", sa.Integer, primary_key=True))'
    )
    project.write_revision("m4", ("b2", "c3"), "merge")
    project.write_revision("e5", "m4")
    squash = command.squash(project.config(), "a1:m4", rev_id="sq1")
    assert set(squash.replaces) == {"a1", "b2", "c3", "m4"} and squash.down_revision is None
    aside = project.root / "aside.py"
    squash.path.rename(aside)
    assert migrate("upgrade", "b2").exit_code == 0  # one branch of the merge applied
    aside.rename(squash.path)
    result = migrate("upgrade", "heads")
    assert result.exit_code == 0, result.stderr
    assert migrate("current").stdout.startswith("e5 (head)")
    engine = sa.create_engine(f"sqlite:///{project.db_path}")
    assert set(sa.inspect(engine).get_table_names()) == {
        "account",
        "b",
        "c",
        "migrate_version",
        "migrate_log",
    }
    engine.dispose()


def test_a_scratch_url_without_its_driver_is_one_line(history, migrate):
    result = migrate("squash", "b2:d4", "--scratch-url", "postgresql+nosuchdriver://u@h/db")
    assert result.exit_code == 1
    assert "cannot open postgresql+nosuchdriver://u@h/db for scratch databases" in result.stderr
    assert not list(history.versions.glob("*squash*"))


def test_code_that_is_neither_schema_nor_data_is_carried_in_its_place(project):
    project.write_revision("a1", None, upgrade=ACCOUNT)
    project.write_revision(
        "b2",
        "a1",
        upgrade=(
            "conn = op.get_bind()\n"
            '    conn.execute(sa.text("UPDATE account SET name = lower(name)"))\n'
            '    with op.batch_alter_table("account") as batch_op:\n'
            '        batch_op.add_column(sa.Column("note", sa.Text))'
        ),
    )
    project.write_revision("c3", "b2")
    squash = command.squash(project.config(), "b2:c3", rev_id="sq1")
    source = squash.path.read_text()
    assert "# REVIEW: b2 (b2_rev.py) runs code squash cannot classify" in source
    upgrade = source.split("def upgrade")[1].split("def downgrade")[0]
    # b2's body as written, in order: the unclassified code and its schema work together.
    assert (
        "    conn = op.get_bind()\n"
        '    conn.execute(sa.text("UPDATE account SET name = lower(name)"))\n'
        '    with op.batch_alter_table("account") as batch_op:\n'
        '        batch_op.add_column(sa.Column("note", sa.Text))'
    ) in upgrade
    assert "schema difference" not in upgrade  # c3 does nothing: no empty segment


def test_lint_checks_what_a_database_inside_the_range_will_run(history, migrate):
    squash = command.squash(history.config(), "b2:d4", rev_id="sq1")
    aside = history.root / "aside.py"
    squash.path.rename(aside)
    assert migrate("upgrade", "c3").exit_code == 0
    aside.rename(squash.path)
    assert lint_commands.lint(history.config()).revisions == ["d4", "e5"]  # not sq1
    assert migrate("upgrade", "heads").exit_code == 0
    assert lint_commands.lint(history.config()).revisions == []


def test_a_database_stamped_at_the_top_of_the_range_is_at_the_squash(project, migrate):
    project.write_revision("a1", None, upgrade=ACCOUNT)
    project.write_revision("b2", "a1")
    project.write_revision("c3", "b2")
    command.squash(project.config(), "b2:c3", rev_id="sq1")
    assert migrate("stamp", "c3").exit_code == 0
    result = migrate("current", "--check-heads")
    assert result.exit_code == 0, result.stderr
    assert "c3 (replaced by sq1)" in result.stdout


def test_a_template_without_depends_on_gets_replaces_after_down_revision(history):
    """Older Alembic templates (Flask-Migrate's, Mailu's) have no depends_on line."""
    template = history.script_dir / "script.py.mako"
    text = template.read_text()
    kept = [line for line in text.splitlines() if not line.startswith(("depends_on", "branch"))]
    template.write_text("\n".join(kept) + "\n")
    written = command.squash(history.config(), "b2:d4", rev_id="sq1")
    assert written.replaces == ("b2", "c3", "d4")
    lines = written.path.read_text().splitlines()
    down = next(i for i, line in enumerate(lines) if line.startswith("down_revision"))
    assert lines[down + 1] == "replaces = ('b2', 'c3', 'd4')"


def test_a_header_that_cannot_take_replaces_leaves_no_file_behind(history, monkeypatch):
    from migrate_cli.commands import squash as squash_commands

    def refuse(path, replaced):
        raise CommandError(f"{path}: no `down_revision = ...` line to put `replaces` after")

    monkeypatch.setattr(squash_commands, "_add_replaces", refuse)
    with pytest.raises(CommandError, match="line to put `replaces` after"):
        squash_commands.squash(history.config(), "b2:d4", rev_id="sq1")
    assert not list(history.versions.glob("sq1*"))
    assert ScriptDirectory.from_config(history.config()).get_heads() == ["e5"]


def test_prune_after_the_files_went_by_hand_drops_replaces(history, migrate):
    squash = command.squash(history.config(), "b2:d4", rev_id="sq1")
    for rev in ("b2", "c3", "d4"):
        next(history.versions.glob(f"{rev}_*.py")).unlink()
    history.write_revision("e5", "sq1", "nothing", name=next(history.versions.glob("e5_*.py")).name)
    assert migrate("history").exit_code == 0  # the squash stands alone
    result = migrate("squash", "--prune", "sq1")
    assert result.exit_code == 0, result.stderr
    assert "replaced files already gone; dropped `replaces`" in result.stdout
    assert read_header(squash.path).replaces == ()


# -- scratch runs never reach the application's database ---------------------------------------

ENV_HEAD = """
import sqlalchemy as sa
from migrate_cli import context

config = context.config
APP_URL = {app_url!r}
"""

FLASK_MIGRATE_STYLE = """
# Flask-Migrate's env.py: the URL comes from the application, the engine from the config.
config.set_main_option("sqlalchemy.url", APP_URL)
engine = sa.engine_from_config(
    config.get_section(config.config_ini_section), prefix="sqlalchemy.", poolclass=sa.pool.NullPool
)
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
"""

OWN_ENGINE = """
# The application's engine, whatever the config says.
engine = sa.create_engine(APP_URL, poolclass=sa.pool.NullPool)
with engine.connect() as connection:
    context.configure(connection=connection)
    with context.begin_transaction():
        context.run_migrations()
"""

ALREADY_CONNECTED = """
# A connection the application opened before migrate ran env.py.
from app_db import connection

context.configure(connection=connection)
with context.begin_transaction():
    context.run_migrations()
"""


def _write_env(project, body):
    app_db = project.root / "production.db"
    env = project.root / "migrations" / "env.py"
    env.write_text(ENV_HEAD.format(app_url=f"sqlite:///{app_db.as_posix()}") + body)
    return app_db


def test_a_flask_migrate_env_py_squashes_on_the_scratch_database(history, migrate):
    """env.py sets sqlalchemy.url from the app: during the scratch run the URL is pinned,
    so the engine it builds reaches the scratch database and the app's is never opened."""
    app_db = _write_env(history, FLASK_MIGRATE_STYLE)
    result = migrate("squash", "b2:d4", "--rev-id", "sq1")
    assert result.exit_code == 0, result.stderr
    assert next(history.versions.glob("sq1_*.py")).read_text().count("create_table") == 1
    assert not app_db.exists()


def test_an_env_py_connecting_elsewhere_is_refused_before_it_connects(history, migrate):
    app_db = _write_env(history, OWN_ENGINE)
    result = migrate("squash", "b2:d4", "--rev-id", "sq1")
    assert result.exit_code == 1
    assert "env.py tried to connect to a sqlite database (" in result.stderr
    assert "production.db) while it ran on a scratch database of `migrate squash`; " in (
        result.stderr
    )
    assert "migrate refused, so nothing reached that database" in result.stderr
    assert not app_db.exists()
    assert not list(history.versions.glob("sq1_*.py"))


def test_a_connection_opened_before_the_run_is_refused_by_configure(history, migrate, monkeypatch):
    app_db = _write_env(history, ALREADY_CONNECTED)
    (history.root / "app_db.py").write_text(
        "import sqlalchemy as sa\n"
        f"engine = sa.create_engine({f'sqlite:///{app_db.as_posix()}'!r})\n"
        "connection = engine.connect()\n"
    )
    monkeypatch.syspath_prepend(str(history.root))
    import app_db as opened  # the application connected first (outside any migrate run)

    try:
        result = migrate("squash", "b2:d4", "--rev-id", "sq1")
        assert result.exit_code == 1
        assert (
            "env.py passed a connection to another database to context.configure() while it "
            "ran on a scratch database of `migrate squash`; migrate refused" in result.stderr
        )
        assert sa.inspect(opened.connection).get_table_names() == []
    finally:
        opened.connection.close()
        opened.engine.dispose()
        monkeypatch.delitem(__import__("sys").modules, "app_db")
