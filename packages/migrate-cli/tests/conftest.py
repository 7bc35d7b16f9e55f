"""Shared fixtures for migrate-cli unit tests: a project, hand-written revisions, the CLI."""

from __future__ import annotations

import configparser
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from migrate_cli.cli import get_cli
from migrate_cli.commands.init import init
from migrate_cli.config import Config


@dataclass
class Project:
    """A migration environment made by `init` in a temporary directory (the cwd of the test)."""

    root: Path
    ini: Path

    @property
    def script_dir(self) -> Path:
        return self.root / "migrations"

    @property
    def versions(self) -> Path:
        return self.script_dir / "versions"

    @property
    def db_path(self) -> Path:
        return self.root / "app.db"

    def config(self, **kwargs: Any) -> Config:
        return Config(self.ini, **kwargs)

    def set_option(self, name: str, value: str, section: str = "migrate") -> None:
        """Set an option in migrate.ini (raw: write %% for a literal percent sign)."""
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(self.ini, encoding="utf-8")
        if not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, name, value)
        with self.ini.open("w", encoding="utf-8") as handle:
            parser.write(handle)

    def write_revision(
        self,
        rev: str,
        down: str | Sequence[str] | None,
        message: str = "",
        branch_labels: str | Sequence[str] | None = None,
        depends_on: str | Sequence[str] | None = None,
        upgrade: str = "pass",
        downgrade: str = "pass",
        directory: Path | None = None,
        name: str | None = None,
    ) -> Path:
        """A revision file written by hand, as a user would."""
        folder = directory or self.versions
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (name or f"{rev}_{message.replace(' ', '_') or 'rev'}.py")
        down_repr = repr(tuple(down) if not isinstance(down, (str, type(None))) else down)
        labels_repr = repr(
            tuple(branch_labels)
            if not isinstance(branch_labels, (str, type(None)))
            else branch_labels
        )
        depends_repr = repr(
            tuple(depends_on) if not isinstance(depends_on, (str, type(None))) else depends_on
        )
        path.write_text(
            f'"""{message or rev}\n\nRevision ID: {rev}\n"""\n\n'
            "import sqlalchemy as sa\nfrom ddl_ops import op\n\n"
            f"revision = {rev!r}\ndown_revision = {down_repr}\n"
            f"branch_labels = {labels_repr}\ndepends_on = {depends_repr}\n\n\n"
            f"def upgrade() -> None:\n    {upgrade}\n\n\n"
            f"def downgrade() -> None:\n    {downgrade}\n",
            encoding="utf-8",
        )
        return path


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Project:
    """`migrate init migrations` (generic template) in tmp_path, on a SQLite file database."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    ini = tmp_path / "migrate.ini"
    config = Config(ini, cmd_opts=None)
    config.cmd_opts.quiet = True
    init(config, tmp_path / "migrations")
    text = ini.read_text(encoding="utf-8").replace(
        "sqlalchemy.url = driver://user:pass@localhost/dbname",
        f"sqlalchemy.url = sqlite:///{(tmp_path / 'app.db').as_posix()}",
    )
    ini.write_text(text, encoding="utf-8")
    return Project(root=tmp_path, ini=ini)


@dataclass
class CliRun:
    result: Result

    @property
    def exit_code(self) -> int:
        return self.result.exit_code

    @property
    def stdout(self) -> str:
        return self.result.stdout

    @property
    def stderr(self) -> str:
        return self.result.stderr

    def json(self) -> Any:
        return json.loads(self.result.stdout)


@pytest.fixture
def migrate(project: Project) -> Callable[..., CliRun]:
    """Run `migrate ARGS...` in the project, like a user at a terminal (-c given explicitly)."""

    def run(*args: str, input: str | None = None, config: bool = True) -> CliRun:
        argv = (["-c", str(project.ini)] if config else []) + list(args)
        return CliRun(CliRunner().invoke(get_cli(), argv, input=input, catch_exceptions=False))

    return run
