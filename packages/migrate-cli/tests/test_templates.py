"""Each init template gives a working environment: revision, upgrade, downgrade, --sql."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner, Result

from migrate_cli.cli import get_cli

CREATE = (
    'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True), '
    'sa.Column("name", sa.String(40)))'
)


def runner(root: Path) -> Callable[..., Result]:
    def run(*args: str) -> Result:
        result = CliRunner().invoke(get_cli(), list(args))
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    return run


def init_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str
) -> Callable[..., Result]:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    run = runner(tmp_path)
    run("init", "-t", template, "migrations")
    return run


def fill(path: Path, upgrade: str, downgrade: str) -> None:
    text = path.read_text()
    text = text.replace(
        "def upgrade() -> None:\n    pass", f"def upgrade() -> None:\n    {upgrade}"
    )
    text = text.replace(
        "def downgrade() -> None:\n    pass", f"def downgrade() -> None:\n    {downgrade}"
    )
    path.write_text(text)


def set_url(ini: Path, url: str) -> None:
    ini.write_text(
        ini.read_text().replace(
            "sqlalchemy.url = driver://user:pass@localhost/dbname", f"sqlalchemy.url = {url}"
        )
    )


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


@pytest.mark.parametrize("template", ["generic", "pyproject"])
def test_single_database_templates_migrate_sqlite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str
) -> None:
    run = init_project(tmp_path, monkeypatch, template)
    url = f"sqlite:///{tmp_path / 'app.db'}"
    set_url(tmp_path / "migrate.ini", url)
    created = json.loads(run("--json", "revision", "-m", "create account").stdout)[0]
    fill(Path(created["path"]), CREATE, 'op.drop_table("account")')
    run("upgrade", "head")
    assert tables(url) == {"account", "migrate_version", "migrate_log"}
    assert run("current").stdout.startswith(created["revision"])
    sql = run("upgrade", "base:head", "--sql").stdout
    assert "CREATE TABLE account" in sql
    run("downgrade", "base")
    assert tables(url) == {"migrate_version", "migrate_log"}


def test_generic_env_uses_a_shared_connection(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from migrate_cli import Config, command

    run = init_project(tmp_path, monkeypatch, "generic")
    created = json.loads(run("--json", "revision", "-m", "create account").stdout)[0]
    fill(Path(created["path"]), CREATE, 'op.drop_table("account")')
    engine = sa.create_engine("sqlite://")  # in memory: only the shared connection sees it
    with engine.begin() as connection:
        config = Config(tmp_path / "migrate.ini")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
        assert "account" in sa.inspect(connection).get_table_names()


def test_multidb_template_migrates_each_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = init_project(tmp_path, monkeypatch, "multidb")
    ini = tmp_path / "migrate.ini"
    one, two = f"sqlite:///{tmp_path / 'one.db'}", f"sqlite:///{tmp_path / 'two.db'}"
    text = (
        ini.read_text()
        .replace(
            "[engine1]\nsqlalchemy.url = driver://user:pass@localhost/dbname",
            f"[engine1]\nsqlalchemy.url = {one}",
        )
        .replace(
            "[engine2]\nsqlalchemy.url = driver://user:pass@localhost/dbname",
            f"[engine2]\nsqlalchemy.url = {two}",
        )
    )
    ini.write_text(text)
    created = json.loads(run("--json", "revision", "-m", "split").stdout)[0]
    path = Path(created["path"])
    source = path.read_text()
    assert (
        "def upgrade_engine1() -> None:" in source and "def downgrade_engine2() -> None:" in source
    )
    source = source.replace(
        "def upgrade_engine1() -> None:\n    pass", f"def upgrade_engine1() -> None:\n    {CREATE}"
    ).replace(
        "def upgrade_engine2() -> None:\n    pass",
        'def upgrade_engine2() -> None:\n    op.create_table("audit", sa.Column("id", sa.Integer))',
    )
    path.write_text(source)
    run("upgrade", "head")
    assert tables(one) == {"account", "migrate_version", "migrate_log"}
    assert tables(two) == {"audit", "migrate_version", "migrate_log"}


def multidb_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """A multidb project on two SQLite files whose env.py compares each with its own models."""
    run = init_project(tmp_path, monkeypatch, "multidb")
    ini = tmp_path / "migrate.ini"
    text = ini.read_text()
    for name in ("engine1", "engine2"):
        text = text.replace(
            f"[{name}]\nsqlalchemy.url = driver://user:pass@localhost/dbname",
            f"[{name}]\nsqlalchemy.url = sqlite:///{tmp_path / name}.db",
        )
    ini.write_text(text)
    env = tmp_path / "migrations" / "env.py"
    source = env.read_text()
    declared = "target_metadata: dict[str, sa.MetaData | None] = {}"
    assert declared in source
    online = "                    target_metadata=target_metadata.get(name),\n"
    assert online in source
    env.write_text(
        source.replace(
            declared,
            "import multidb_models\nfrom migrate_autogen import drop_empty_migrations\n\n"
            'target_metadata = {"engine1": multidb_models.one, "engine2": multidb_models.two}',
        ).replace(
            online, online + " " * 20 + "process_revision_directives=drop_empty_migrations,\n"
        )
    )
    # env.py imports the models afresh on each command, as it does in a new process.
    monkeypatch.setattr(sys, "modules", dict(sys.modules))
    monkeypatch.syspath_prepend(str(tmp_path))

    def run_fresh(*args: str) -> Result:
        sys.modules.pop("multidb_models", None)
        return run(*args)

    return run_fresh


MULTIDB_MODELS = """
import sqlalchemy as sa

one = sa.MetaData()
two = sa.MetaData()
sa.Table(
    "users", one, sa.Column("id", sa.Integer, primary_key=True), sa.Column("name", sa.String(50))
)
sa.Table(
    "orders",
    two,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("total", sa.Integer, nullable=False),
    {extra}
)
"""


def function_body(source: str, name: str) -> str:
    start = source.index(f"def {name}() -> None:")
    end = source.find("\ndef ", start + 1)
    return source[start : end if end != -1 else len(source)]


def test_multidb_autogenerate_writes_upgrades_per_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = multidb_project(tmp_path, monkeypatch)
    models = tmp_path / "multidb_models.py"
    models.write_text(MULTIDB_MODELS.format(extra=""))
    one, two = f"sqlite:///{tmp_path / 'engine1.db'}", f"sqlite:///{tmp_path / 'engine2.db'}"

    first = json.loads(run("--json", "revision", "--autogenerate", "-m", "first").stdout)[0]
    source = Path(first["path"]).read_text()
    up1, up2 = function_body(source, "upgrade_engine1"), function_body(source, "upgrade_engine2")
    assert "op.create_table(" in up1 and "'users'" in up1 and "'orders'" not in up1
    assert "op.create_table(" in up2 and "'orders'" in up2 and "'users'" not in up2
    assert "op.drop_table('users')" in function_body(source, "downgrade_engine1")
    assert "op.drop_table('orders')" in function_body(source, "downgrade_engine2")

    run("upgrade", "head")
    assert tables(one) == {"users", "migrate_version", "migrate_log"}
    assert tables(two) == {"orders", "migrate_version", "migrate_log"}
    assert json.loads(run("--json", "check").stdout)["up_to_date"] is True
    # The hook sees both databases at once: nothing changed anywhere, so no file.
    assert "No revision written" in run("revision", "--autogenerate", "-m", "none").stdout

    models.write_text(MULTIDB_MODELS.format(extra='sa.Column("note", sa.Text),'))
    second = json.loads(run("--json", "revision", "--autogenerate", "-m", "note").stdout)[0]
    source = Path(second["path"]).read_text()
    assert "op.add_column('orders'" in function_body(source, "upgrade_engine2")
    assert "op.drop_column('orders', 'note')" in function_body(source, "downgrade_engine2")
    assert function_body(source, "upgrade_engine1").rstrip().endswith("None:\n    pass")

    run("upgrade", "head")
    columns = {c["name"] for c in sa.inspect(sa.create_engine(two)).get_columns("orders")}
    assert columns == {"id", "total", "note"}
    assert "No new upgrade operations detected." in run("check").stdout
    run("downgrade", "-1")
    columns = {c["name"] for c in sa.inspect(sa.create_engine(two)).get_columns("orders")}
    assert columns == {"id", "total"}
    assert tables(one) == {"users", "migrate_version", "migrate_log"}


def test_async_template_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run = init_project(tmp_path, monkeypatch, "async")
    set_url(tmp_path / "migrate.ini", "sqlite+aiosqlite:///app.db")
    created = json.loads(run("--json", "revision", "-m", "create account").stdout)[0]
    fill(Path(created["path"]), CREATE, 'op.drop_table("account")')
    sql = run("upgrade", "head", "--sql").stdout
    assert "CREATE TABLE account" in sql


def test_async_template_online(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip(
        "aiosqlite", reason="the async template runs online only with an async driver"
    )
    run = init_project(tmp_path, monkeypatch, "async")
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.db'}"
    set_url(tmp_path / "migrate.ini", url)
    created = json.loads(run("--json", "revision", "-m", "create account").stdout)[0]
    fill(Path(created["path"]), CREATE, 'op.drop_table("account")')
    run("upgrade", "head")
    assert "account" in tables(f"sqlite:///{tmp_path / 'app.db'}")


def test_templates_render_valid_python(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for template in ("generic", "pyproject", "async", "multidb"):
        folder = tmp_path / template
        folder.mkdir()
        run = init_project(folder, monkeypatch, template)
        run("revision", "-m", "one")
        run("revision", "-m", "two")
        for path in (folder / "migrations").rglob("*.py"):
            compile(path.read_text(), str(path), "exec")
