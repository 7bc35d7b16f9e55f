"""docs/migrate-cli/tutorial.md, followed literally with the real `migrate` console script.

The test reads the page, not a copy of it: each console block's commands run in
order in a fresh directory, each Python block is put where the text says
(revision bodies, the models module, env.py's target_metadata), and what the
page shows is checked: the exit status (1 where it shows an `ERROR:` line, with
that exact line), the lines it prints, and the generated revision. Revision ids
are the page's own (passed with --rev-id), so the prefixes it uses resolve.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dbtesting import LiveDatabase

MIGRATE = shutil.which("migrate", path=os.path.dirname(sys.executable)) or "migrate"
TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "migrate-cli" / "tutorial.md"
BLOCK = re.compile(r"^```(\w*)\n(.*?)^```", re.DOTALL | re.MULTILINE)
RANGE_ROW = re.compile(r"^\| `-r ([^`]+)` \|", re.MULTILINE)
EMPTY_BODIES = "def upgrade() -> None:\n    pass\n\n\ndef downgrade() -> None:\n    pass\n"


class Walkthrough:
    """A directory where the tutorial's steps are carried out as a reader would."""

    def __init__(self, root: Path, db: LiveDatabase) -> None:
        self.root = root
        self.url = db.url_string
        self.dialect = db.name
        self.env = {k: v for k, v in os.environ.items() if k != "MIGRATE_CONFIG"}
        self.last_revision: Path | None = None

    def migrate(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [MIGRATE, *args],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def console(self, block: str) -> None:
        """Run each `$ migrate ...` line and compare with the output shown under it."""
        for command, shown in _commands(block):
            words = shlex.split(command, comments=True)[1:]
            redirect = None
            if ">" in words:
                redirect = words[words.index(">") + 1]
                words = words[: words.index(">")]
            if words[0] == "revision":
                words += ["--rev-id", _revision_id(shown)]
            result = self.migrate(words)
            errors = [line for line in shown if line.startswith("ERROR:")]
            where = (command, result.stdout, result.stderr)
            if errors:
                assert result.returncode == 1, where
                assert result.stderr.strip().splitlines()[-1] == errors[0], where
            else:
                assert result.returncode == 0, where
            for line in shown:
                _check_line(line, result, where)
            if redirect:
                (self.root / redirect).write_text(result.stdout)
            if words[0] == "revision":
                self.last_revision = next(
                    self.root.glob(f"migrations/versions/{_revision_id(shown)}_*.py")
                )

    def python(self, block: str) -> None:
        """Put a Python block where the tutorial says it goes."""
        if block.startswith('"""'):
            return  # the listing of a new revision file
        if block.startswith("import datetime"):
            (self.root / "myapp").mkdir()
            (self.root / "myapp" / "__init__.py").write_text("")
            (self.root / "myapp" / "models.py").write_text(block)
        elif block.startswith("from myapp.models import Base"):
            env = self.root / "migrations" / "env.py"
            assert "\ntarget_metadata = None\n" in env.read_text()
            text = env.read_text().replace("\ntarget_metadata = None\n", "\n" + block)
            if self.dialect != "sqlite":
                # the page shows SQLite's output, batch blocks; other databases are asked
                # for them so the listings compare as written
                configure = "target_metadata=target_metadata)"
                assert configure in text
                text = text.replace(
                    configure, "target_metadata=target_metadata, render_as_batch=True)"
                )
            env.write_text(text)
        elif block.startswith("    balance"):
            models = self.root / "myapp" / "models.py"
            models.write_text(models.read_text() + block)
        elif block.startswith("def upgrade() -> None:"):
            assert self.last_revision is not None
            source = self.last_revision.read_text()
            if EMPTY_BODIES in source:
                self.last_revision.write_text(source.replace(EMPTY_BODIES, block))
            else:  # what autogenerate wrote, as the page shows it
                assert block in source, source
        else:
            raise AssertionError(f"the test does not know where this block goes:\n{block}")

    def ini(self, block: str) -> None:
        name, _, _ = block.partition("=")
        assert name.strip() == "sqlalchemy.url"
        ini = self.root / "migrate.ini"
        line = "sqlalchemy.url = " + self.url.replace("%", "%%")
        text, count = re.subn(r"(?m)^sqlalchemy\.url = .*$", lambda _: line, ini.read_text())
        assert count == 1
        ini.write_text(text)


def _commands(block: str) -> list[tuple[str, list[str]]]:
    commands: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            commands.append((line[2:], []))
        elif commands:
            commands[-1][1].append(line)
    return commands


def _revision_id(shown: list[str]) -> str:
    generated = [line for line in shown if line.startswith("Generating ")]
    return Path(generated[0].split()[1]).name.split("_")[0]


def _check_line(line: str, result: subprocess.CompletedProcess[str], where: object) -> None:
    """The lines a reader can compare: paths, timings and the dialect vary by machine."""
    if line.startswith(("ERROR:", "Generating ", "Edit the database URL")):
        return
    if line.startswith("INFO  "):
        if "] Running " in line:
            assert line in result.stderr.splitlines(), where
        return
    assert line in result.stdout.splitlines(), where


def test_the_tutorial_works_as_written(db: LiveDatabase, tmp_path: Path) -> None:
    walkthrough = Walkthrough(tmp_path, db)
    text = TUTORIAL.read_text(encoding="utf-8")
    ranges_checked = False
    for match in BLOCK.finditer(text):
        language, block = match.group(1), match.group(2)
        if not ranges_checked and "\n## Moving around" in text[: match.start()]:
            # The table of history ranges, tried where the page shows it.
            ranges_checked = True
            for history_range in RANGE_ROW.findall(text):
                result = walkthrough.migrate(["history", "-r", history_range])
                assert result.returncode == 0, (history_range, result.stderr)
        if language == "console":
            walkthrough.console(block)
        elif language == "python":
            walkthrough.python(block)
        elif language == "ini":
            walkthrough.ini(block)
    assert ranges_checked
    assert (tmp_path / "upgrade.sql").read_text().count("migrate_version") >= 3


@pytest.fixture(autouse=True)
def _needs_the_docs() -> None:
    if not TUTORIAL.is_file():
        pytest.skip("docs/migrate-cli/tutorial.md is not in this checkout")
