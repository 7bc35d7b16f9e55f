"""Revision headers are read with ast, never by importing the script."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate_cli.errors import CommandError
from migrate_cli.script.header import read_header

TEMPLATE_LIKE = '''"""add account table

Revision ID: ae1027a6acf
Revises: 1975ea83b712
"""
from typing import Sequence, Union

import this_module_does_not_exist  # the application's imports may be broken

revision: str = "ae1027a6acf"
down_revision: Union[str, None] = "1975ea83b712"
branch_labels: Union[str, Sequence[str], None] = ("accounts",)
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    raise RuntimeError("never run when reading headers")


def downgrade() -> None:
    pass
'''


def write(tmp_path: Path, text: str, name: str = "rev.py") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_annotated_header_and_docstring_without_importing(tmp_path: Path) -> None:
    header = read_header(write(tmp_path, TEMPLATE_LIKE))
    assert header.revision == "ae1027a6acf"
    assert header.down_revision == "1975ea83b712"
    assert header.branch_labels == ("accounts",)
    assert header.depends_on is None
    assert header.docstring.startswith("add account table\n\nRevision ID: ae1027a6acf")


def test_plain_assignments_merge_tuple_and_list_depends_on(tmp_path: Path) -> None:
    header = read_header(
        write(
            tmp_path,
            "revision = 'm1'\ndown_revision = ('a', 'b')\nbranch_labels = None\n"
            "depends_on = ['x', 'y']\n",
        )
    )
    assert header.down_revision == ("a", "b")
    assert header.depends_on == ("x", "y")
    assert header.branch_labels == ()
    assert header.docstring == ""


def test_one_element_tuple_down_revision_is_that_id(tmp_path: Path) -> None:
    header = read_header(write(tmp_path, "revision = 'b'\ndown_revision = ('a',)\n"))
    assert header.down_revision == "a"


def test_header_after_functions_is_still_found(tmp_path: Path) -> None:
    text = "def helper():\n    pass\n\nrevision = 'late'\ndown_revision = None\n"
    assert read_header(write(tmp_path, text)).revision == "late"


def test_def_inside_docstring_does_not_confuse_the_fast_path(tmp_path: Path) -> None:
    text = '"""Doc\ndef not_code():\n"""\nrevision = "r1"\ndown_revision = None\n'
    assert read_header(write(tmp_path, text)).revision == "r1"


def test_syntax_error_in_the_header_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "revision = 'a'\ndown_revision = (None\n\ndef upgrade():\n    pass\n")
    with pytest.raises(CommandError) as info:
        read_header(path)
    assert str(info.value).startswith(f"revision file {path}:2: syntax error")
    assert "\n" not in str(info.value)


def test_syntax_error_in_a_body_is_reported_when_the_script_is_imported(tmp_path: Path) -> None:
    from migrate_cli.script import Script

    path = write(tmp_path, "revision = 'a'\ndown_revision = None\n\ndef upgrade(:\n    pass\n")
    script = Script(read_header(path))  # history and heads still work
    assert script.revision == "a"
    with pytest.raises(CommandError, match=rf"revision file {path} failed to import: SyntaxError"):
        _ = script.module


def test_missing_revision_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "down_revision = None\n")
    with pytest.raises(CommandError, match=r"no module-level `revision"):
        read_header(path)


def test_missing_down_revision_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no module-level `down_revision`"):
        read_header(write(tmp_path, "revision = 'a'\n"))


def test_non_literal_value_is_an_error_with_line(tmp_path: Path) -> None:
    path = write(tmp_path, "import uuid\nrevision = uuid.uuid4().hex\ndown_revision = None\n")
    with pytest.raises(CommandError, match=rf"{path.name}:2: revision must be a literal"):
        read_header(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("revision = 12\ndown_revision = None\n", "revision must be a non-empty string"),
        ("revision = ''\ndown_revision = None\n", "revision must be a non-empty string"),
        ("revision = 'a'\ndown_revision = 5\n", "down_revision must be None"),
        ("revision = 'a'\ndown_revision = ('x', 3)\n", "down_revision must be None"),
        ("revision = 'a'\ndown_revision = None\nbranch_labels = 7\n", "branch_labels must be"),
        ("revision = 'a'\ndown_revision = None\ndepends_on = {'x': 1}\n", "depends_on must be"),
    ],
)
def test_wrongly_typed_values(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        read_header(write(tmp_path, text))


def test_unreadable_bytes_are_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.py"
    path.write_bytes(b"revision = '\xff\xfe'\n")
    with pytest.raises(CommandError, match="cannot be read"):
        read_header(path)
