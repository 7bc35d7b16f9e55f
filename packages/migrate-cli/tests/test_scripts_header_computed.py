"""Header values written as expressions: folded from the source when the source fixes them,
read by importing the script when only running it can tell (as Alembic always does).

The GeoNature corpus has the case that made this necessary: ``d17db834aca5`` builds
``_depends_on`` as a list, appends to it under ``if is_module_installed(...)``, and
declares ``depends_on = tuple(_depends_on)``.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from migrate_cli.errors import CommandError
from migrate_cli.script import ScriptDirectory
from migrate_cli.script.header import ComputedHeader, read_header

Project = Any  # the `project` fixture of conftest.py

GEONATURE_LIKE = '''"""add sample data

Revision ID: d17db834aca5
"""
import os

from ddl_ops import op


def is_module_installed(code):
    return os.environ.get("H10R_TEST_MODULES", "").find(code) >= 0


revision = "d17db834aca5"
down_revision = None
branch_labels = ("cypress-samples-test",)

_depends_on = [
    "aaa111",
]
if is_module_installed("OCCHAB"):
    _depends_on.append("bbb222")

depends_on = tuple(_depends_on)


def upgrade():
    pass


def downgrade():
    pass
'''


def write(tmp_path: Path, text: str, name: str = "rev.py") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_tuple_of_an_unchanged_module_constant_is_read_without_importing(tmp_path):
    path = write(
        tmp_path,
        "import not_installed_app\n"
        "_deps = ['a1', 'b2']\n_more = ('c3',)\n"
        "def helper():\n    return 1\n"
        "revision = 'r1'\ndown_revision = _more[0:0] or None\n"
        "depends_on = tuple(_deps) + _more + (*_deps,)\n",
    )
    with pytest.raises(ComputedHeader, match=r"rev.py:7: down_revision is computed"):
        read_header(path)
    path.write_text(path.read_text().replace("_more[0:0] or None", "None"))
    header = read_header(path)
    assert header.depends_on == ("a1", "b2", "c3", "a1", "b2")
    assert "not_installed_app" not in sys.modules


def test_a_constant_changed_under_an_if_is_computed(tmp_path):
    with pytest.raises(ComputedHeader) as raised:
        read_header(write(tmp_path, GEONATURE_LIKE))
    assert raised.value.field == "depends_on"
    assert raised.value.line == 24
    assert "'_depends_on' is changed elsewhere in the script" in str(raised.value)


def test_an_imported_name_is_computed(tmp_path):
    text = "from app import cli\nrevision = 'r1'\ndown_revision = None\n"
    text += "branch_labels = (cli.EXPAND_BRANCH,)\n"
    with pytest.raises(ComputedHeader, match=r"'cli.EXPAND_BRANCH' is computed"):
        read_header(write(tmp_path, text))


def test_a_computed_revision_id_is_refused_never_imported(tmp_path):
    text = "import uuid\n_id = uuid.uuid4().hex\nrevision = _id\ndown_revision = None\n"
    with pytest.raises(CommandError, match=r"rev.py:3: revision must be a literal string") as e:
        read_header(write(tmp_path, text))
    assert not isinstance(e.value, ComputedHeader)


def test_directory_imports_a_script_whose_depends_on_is_computed(project: Project, monkeypatch):
    """The GeoNature case: the dependency list depends on what is installed."""
    project.write_revision("aaa111", None)
    project.write_revision("bbb222", None)
    (project.versions / "d17db834aca5_samples.py").write_text(GEONATURE_LIKE)
    monkeypatch.delenv("H10R_TEST_MODULES", raising=False)
    scripts = ScriptDirectory.from_config(project.config())
    assert scripts.get_revision("d17db834aca5").depends_on == ("aaa111",)
    assert scripts.revision_map.real_heads == ("bbb222", "d17db834aca5")
    # Not cached: with the module installed the next load sees the extra dependency.
    monkeypatch.setenv("H10R_TEST_MODULES", "OCCHAB")
    again = ScriptDirectory.from_config(project.config())
    assert again.get_revision("d17db834aca5").depends_on == ("aaa111", "bbb222")
    assert again.revision_map.real_heads == ("d17db834aca5",)


def test_a_computed_header_that_cannot_be_imported_names_file_line_and_fix(project: Project):
    project.write_revision("aaa111", None)
    broken = GEONATURE_LIKE.replace("import os\n", "import os\nimport not_installed_app\n")
    (project.versions / "d17db834aca5_samples.py").write_text(broken)
    with pytest.raises(CommandError) as raised:
        ScriptDirectory.from_config(project.config()).get_heads()
    message = str(raised.value)
    assert "d17db834aca5_samples.py:25: depends_on is computed when the script runs" in message
    assert "No module named 'not_installed_app'" in message
    assert "write depends_on as a literal" in message
    assert "\n" not in message
