"""The per-folder code cache of revision scripts: used only while source and path match."""

from __future__ import annotations

import hashlib
import shutil
import sys
import traceback
from pathlib import Path

import pytest

from migrate_cli.errors import CommandError
from migrate_cli.script import code_cache
from migrate_cli.script.revision_file import load_script_module

SCRIPT = '''"""a step"""
revision = "a1"
down_revision = None
VALUE = {value!r}


def upgrade():
    raise RuntimeError("boom")
'''


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new process would: nothing cached in memory, writing allowed."""
    monkeypatch.setattr(code_cache, "_caches", {})
    monkeypatch.setattr(code_cache, "_unsaved", [])
    monkeypatch.setattr(sys, "dont_write_bytecode", False)


def write(folder: Path, value: str) -> tuple[Path, tuple[bytes, str]]:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "a1_step.py"
    path.write_text(SCRIPT.format(value=value))
    data = path.read_bytes()
    return path, (data, hashlib.sha256(data).hexdigest())


def cache_file(folder: Path) -> Path:
    return code_cache.FolderCodeCache(folder).file


def new_process() -> None:
    code_cache.save_compiled()
    code_cache._caches.clear()


def test_the_second_load_takes_the_code_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, source = write(tmp_path, "one")
    assert load_script_module(path, "a1", source).VALUE == "one"
    new_process()
    assert cache_file(tmp_path).is_file()
    compiled: list[object] = []
    real_compile = compile

    def counting_compile(*args: object, **kw: object) -> object:
        compiled.append(args[1])
        return real_compile(*args, **kw)  # type: ignore[call-overload]

    monkeypatch.setattr(code_cache, "compile", counting_compile, raising=False)
    module = load_script_module(path, "a1", source)
    assert module.VALUE == "one" and compiled == []
    assert module.__file__ == str(path) and module.__spec__.origin == str(path)


def test_an_edited_script_is_compiled_again(tmp_path: Path) -> None:
    path, source = write(tmp_path, "one")
    load_script_module(path, "a1", source)
    new_process()
    path, source = write(tmp_path, "two")
    assert load_script_module(path, "a1", source).VALUE == "two"


def test_a_moved_folder_gets_tracebacks_naming_the_new_place(tmp_path: Path) -> None:
    path, source = write(tmp_path / "old", "one")
    load_script_module(path, "a1", source)
    new_process()
    moved = tmp_path / "new"
    shutil.move(tmp_path / "old", moved)
    module = load_script_module(moved / path.name, "a1", source)
    with pytest.raises(RuntimeError) as raised:
        module.upgrade()
    frames = traceback.extract_tb(raised.value.__traceback__)
    assert frames[-1].filename == str(moved / path.name)
    assert frames[-1].line == 'raise RuntimeError("boom")'


def test_nothing_is_written_when_bytecode_writing_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    path, source = write(tmp_path, "one")
    load_script_module(path, "a1", source)
    new_process()
    assert not (tmp_path / "__pycache__").exists()


@pytest.mark.parametrize("damage", [b"", b"not marshal", b"\xe9\x02\x00\x00\x00"])
def test_a_damaged_cache_file_is_ignored_and_replaced(tmp_path: Path, damage: bytes) -> None:
    path, source = write(tmp_path, "one")
    cache_file(tmp_path).parent.mkdir()
    cache_file(tmp_path).write_bytes(damage)
    assert load_script_module(path, "a1", source).VALUE == "one"
    new_process()
    assert cache_file(tmp_path).read_bytes() != damage


def test_a_syntax_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.py"
    path.write_text("def upgrade(:\n    pass\n")
    data = path.read_bytes()
    with pytest.raises(CommandError, match=r"revision file .*broken\.py failed to import: "):
        load_script_module(path, "b", (data, hashlib.sha256(data).hexdigest()))
