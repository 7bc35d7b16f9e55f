"""The tutorial end to end with the real `migrate` console script, on each database.

init, a first revision, upgrade, a second revision, current, history (-v and
ranges including -r-1:current), downgrade -1, downgrade base, upgrade +2,
partial ids, offline --sql piped into the database's own command-line client;
then branches and merges.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase

MIGRATE = shutil.which("migrate", path=os.path.dirname(sys.executable)) or "migrate"

CREATE_ACCOUNT = """op.create_table(
        "account",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("description", sa.Unicode(200)),
    )"""
ADD_COLUMN = 'op.add_column("account", sa.Column("last_transaction_date", sa.DateTime))'


class Project:
    """A project directory where `migrate` runs as a user would run it."""

    def __init__(self, root: Path, db: LiveDatabase) -> None:
        self.root = root
        self.db = db
        self.env = {k: v for k, v in os.environ.items() if k != "MIGRATE_CONFIG"}

    def run(self, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [MIGRATE, *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if ok:
            assert result.returncode == 0, (args, result.stdout, result.stderr)
        return result

    def json(self, *args: str) -> Any:
        return json.loads(self.run("--json", *args).stdout)

    def revision(self, message: str, upgrade: str, downgrade: str, *options: str) -> str:
        created = self.json("revision", "-m", message, *options)[0]
        path = Path(created["path"])
        text = path.read_text()
        text = text.replace(
            "def upgrade() -> None:\n    pass", f"def upgrade() -> None:\n    {upgrade}"
        )
        text = text.replace(
            "def downgrade() -> None:\n    pass", f"def downgrade() -> None:\n    {downgrade}"
        )
        path.write_text(text)
        return str(created["revision"])

    def current(self) -> list[str]:
        return sorted(item["revision"] for item in self.json("current")["current"])

    def columns(self, table: str) -> set[str]:
        inspector = sa.inspect(self.db.engine)
        if not inspector.has_table(table):
            return set()
        return {c["name"] for c in inspector.get_columns(table)}


@pytest.fixture
def project(tmp_path: Path, db: LiveDatabase) -> Project:
    proj = Project(tmp_path, db)
    proj.run("init", "migrations")
    ini = tmp_path / "migrate.ini"
    url = db.url_string.replace("%", "%%")
    ini.write_text(
        ini.read_text().replace(
            "sqlalchemy.url = driver://user:pass@localhost/dbname", f"sqlalchemy.url = {url}"
        )
    )
    return proj


def test_tutorial(project: Project) -> None:
    first = project.revision("create account table", CREATE_ACCOUNT, 'op.drop_table("account")')
    assert project.run("upgrade", "head").returncode == 0
    assert project.columns("account") == {"id", "name", "description"}
    assert project.current() == [first]

    second = project.revision(
        "Add a column", ADD_COLUMN, 'op.drop_column("account", "last_transaction_date")'
    )
    assert Path(project.json("show", second)[0]["path"]).name == f"{second}_add_a_column.py"
    current = project.run("current").stdout
    assert first in current and second not in current
    project.run("upgrade", "head")
    assert "last_transaction_date" in project.columns("account")
    assert f"{second} (head)" in project.run("current").stdout

    history = project.run("history").stdout.splitlines()
    assert history == [
        f"{first} -> {second} (head), Add a column",
        f"<base> -> {first}, create account table",
    ]
    verbose = project.run("history", "-v").stdout
    assert f"Rev: {second} (head)\nParent: {first}\n" in verbose
    assert "Revision ID: " + first in verbose
    assert project.run("history", "-r", f"{first[:4]}:").stdout.splitlines() == history
    assert project.run("history", "-r", "base:head").stdout.splitlines() == history
    assert project.run("history", "-r-1:current").stdout.splitlines() == history
    assert project.run("history", "-r", "current:").stdout.splitlines() == history[:1]
    assert f"{second} (head) (current)" in project.run("history", "-i").stdout

    project.run("downgrade", "-1")
    assert project.current() == [first]
    assert "last_transaction_date" not in project.columns("account")
    project.run("downgrade", "base")
    assert project.current() == []
    assert project.columns("account") == set()
    project.run("upgrade", "+2")
    assert project.current() == [second]
    assert "last_transaction_date" in project.columns("account")

    # Partial ids: enough leading characters to be unique.
    project.run("downgrade", first[:4])
    assert project.current() == [first]
    project.run("upgrade", second[:5])
    assert project.current() == [second]

    third = project.revision(
        "index account names",
        'op.create_index("ix_account_name", "account", ["name"])',
        'op.drop_index("ix_account_name", table_name="account")',
    )
    fourth = project.revision(
        "add email",
        'op.add_column("account", sa.Column("email", sa.String(100)))',
        'op.drop_column("account", "email")',
    )
    project.run("upgrade", "head")
    assert project.current() == [fourth]
    ids = [
        line.split(" -> ")[1].split(" ")[0].rstrip(",")
        for line in project.run("history", "-r-3:current").stdout.splitlines()
    ]
    assert ids == [fourth, third, second, first]
    project.run("downgrade", "-2")
    assert project.current() == [second]
    assert "email" not in project.columns("account")
    recent = [r["revision"] for r in project.json("history", "-r", "-1:current")]
    assert recent == [second, first]
    pending = [r["revision"] for r in project.json("history", "-r", "current:")]
    assert pending == [fourth, third, second]

    bad = project.run("upgrade", "zzzz", ok=False)
    errors = [line for line in bad.stderr.splitlines() if line.startswith("ERROR: ")]
    assert bad.returncode == 1 and len(errors) == 1 and "zzzz" in errors[0]
    assert bad.stderr.endswith(errors[0] + "\n")


def client_command(db: LiveDatabase) -> list[str]:
    """The database's own command-line client, reading SQL from stdin."""
    url = db.url
    if db.name == "sqlite":
        return ["sqlite3", "-bail", str(url.database)]
    if db.name == "postgresql":
        return [
            "psql",
            "-v",
            "ON_ERROR_STOP=1",
            "-q",
            "-h",
            url.host or "127.0.0.1",
            "-p",
            str(url.port or 5432),
            "-U",
            url.username or "postgres",
            "-d",
            str(url.database),
        ]
    command = ["mariadb", "-h", url.host or "127.0.0.1", "-P", str(url.port or 3306)]
    command += ["-u", url.username or "root", str(url.database)]
    if url.password:
        command.insert(1, f"-p{url.password}")
    return command


def test_offline_sql_piped_into_the_database_client(project: Project, db: LiveDatabase) -> None:
    client = client_command(db)
    if shutil.which(client[0]) is None:
        pytest.skip(f"{client[0]} is not installed")
    first = project.revision("create account table", CREATE_ACCOUNT, 'op.drop_table("account")')
    second = project.revision(
        "Add a column", ADD_COLUMN, 'op.drop_column("account", "last_transaction_date")'
    )
    script = project.run("upgrade", "head", "--sql").stdout
    assert "CREATE TABLE account" in script
    env = dict(os.environ, PGPASSWORD=db.url.password or "")
    piped = subprocess.run(client, input=script, capture_output=True, text=True, env=env)
    assert piped.returncode == 0, piped.stderr
    assert "last_transaction_date" in project.columns("account")
    assert project.current() == [second]

    # A range: the downgrade script from head to the first revision, piped in as well.
    down = project.run("downgrade", f"{second}:{first}", "--sql").stdout
    piped = subprocess.run(client, input=down, capture_output=True, text=True, env=env)
    assert piped.returncode == 0, piped.stderr
    assert "last_transaction_date" not in project.columns("account")
    assert project.current() == [first]


def test_branches_and_merges(project: Project) -> None:
    base = project.revision("create account table", CREATE_ACCOUNT, 'op.drop_table("account")')
    trunk = project.revision(
        "Add a column", ADD_COLUMN, 'op.drop_column("account", "last_transaction_date")'
    )
    network = project.revision(
        "create networking branch",
        'op.create_table("ip_address", sa.Column("id", sa.Integer, primary_key=True))',
        'op.drop_table("ip_address")',
        "--head",
        "base",
        "--branch-label",
        "networking",
    )
    heads = project.run("heads").stdout.splitlines()
    assert sorted(heads) == sorted([f"{trunk} (head)", f"{network} (networking) (head)"])
    ambiguous = project.run("upgrade", "head", ok=False)
    assert ambiguous.returncode == 1 and "several heads" in ambiguous.stderr

    project.run("upgrade", "networking@head")
    assert project.current() == [network]
    project.run("upgrade", "heads")
    assert project.current() == sorted([trunk, network])

    more = project.revision(
        "add ip column",
        'op.add_column("ip_address", sa.Column("address", sa.String(45)))',
        'op.drop_column("ip_address", "address")',
        "--head",
        "networking@head",
    )
    assert project.json("show", more)[0]["branch_labels"] == ["networking"]
    project.run("upgrade", "networking@+1")
    assert project.current() == sorted([trunk, more])
    project.run("downgrade", "networking@-1")
    assert project.current() == sorted([trunk, network])
    project.run("upgrade", "heads")

    merged = project.json("merge", "heads", "-m", "merge networking")[0]
    assert sorted(merged["down_revisions"]) == sorted([trunk, more])
    assert merged["is_merge_point"]
    assert [h["revision"] for h in project.json("heads")] == [merged["revision"]]
    project.run("upgrade", "head")
    assert project.current() == [merged["revision"]]
    branches = project.run("branches").stdout
    assert branches == ""  # two bases joined by a merge: no branch point
    history = project.run("history").stdout.splitlines()
    assert history[0] == (
        f"{', '.join(merged['down_revisions'])} -> {merged['revision']} (networking) (head) "
        "(mergepoint), "
        "merge networking"
    )

    refused = project.run("downgrade", "-1", ok=False)  # -1 from a merge has two answers
    assert refused.returncode == 1 and "is a merge of" in refused.stderr
    project.run("downgrade", trunk)  # undoes the merge alone
    assert project.current() == sorted([trunk, more])
    project.run("downgrade", f"networking@{network}")
    assert project.current() == sorted([trunk, network])
    assert "ip_address" in sa.inspect(project.db.engine).get_table_names()
    project.run("downgrade", "base")
    assert project.current() == []
    assert project.columns("account") == set()
    assert base in project.run("history").stdout
