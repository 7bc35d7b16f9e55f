"""ScriptDirectory: finding revision files, validating the graph, lookups and writing new files."""

from __future__ import annotations

import py_compile
import sys
from pathlib import Path
from typing import Any

import pytest

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.script import ScriptDirectory

Project = Any  # the `project` fixture of conftest.py


def linear(project: Project) -> None:
    project.write_revision("aaa111", None, "first")
    project.write_revision("bbb222", "aaa111", "second")
    project.write_revision("ccc333", "bbb222", "third")


def test_heads_bases_and_lookups(project: Project) -> None:
    linear(project)
    scripts = ScriptDirectory.from_config(project.config())
    assert scripts.get_heads() == ["ccc333"]
    assert scripts.get_bases() == ["aaa111"]
    assert scripts.get_current_head() == "ccc333"
    assert scripts.get_revision("bbb").revision == "bbb222"
    assert scripts.get_revision("head").doc == "third"
    assert [s.revision for s in scripts.walk_revisions()] == ["ccc333", "bbb222", "aaa111"]
    assert [s.revision for s in scripts.iterate_revisions("ccc333", "bbb222")] == [
        "ccc333",
        "bbb222",
    ]
    assert scripts.as_revision_number("base") is None
    assert scripts.as_revision_number("bbb") == "bbb222"


def test_reading_never_imports_scripts(project: Project) -> None:
    project.write_revision("aaa111", None, upgrade="pass")
    path = project.write_revision("bbb222", "aaa111")
    path.write_text(
        path.read_text().replace("import sqlalchemy", "import not_installed_app\nimport sqlalchemy")
    )
    scripts = ScriptDirectory.from_config(project.config())
    assert scripts.get_heads() == ["bbb222"]
    assert "not_installed_app" not in sys.modules
    with pytest.raises(CommandError, match="failed to import: ModuleNotFoundError"):
        _ = scripts.get_revision("bbb222").module


def test_unknown_and_ambiguous_revisions(project: Project) -> None:
    project.write_revision("abc111", None)
    project.write_revision("abc222", "abc111")
    scripts = ScriptDirectory.from_config(project.config())
    with pytest.raises(CommandError, match="no revision, prefix or branch label matches 'zzz'"):
        scripts.get_revision("zzz")
    with pytest.raises(CommandError, match="'abc' is ambiguous: it matches abc111, abc222"):
        scripts.get_revision("abc")


def test_duplicate_ids_name_both_files(project: Project) -> None:
    first = project.write_revision("dup111", None, name="one.py")
    second = project.write_revision("dup111", None, name="two.py")
    with pytest.raises(CommandError) as info:
        ScriptDirectory.from_config(project.config()).get_heads()
    assert str(first) in str(info.value) and str(second) in str(info.value)


def test_cycle_is_refused(project: Project) -> None:
    project.write_revision("aaa111", "ccc333")
    project.write_revision("bbb222", "aaa111")
    project.write_revision("ccc333", "bbb222")
    with pytest.raises(CommandError, match="cycle"):
        ScriptDirectory.from_config(project.config()).get_heads()


def test_dangling_down_revision_names_the_file(project: Project) -> None:
    path = project.write_revision("bbb222", "gone00")
    with pytest.raises(CommandError, match=rf"'gone00'.*|{path}"):
        ScriptDirectory.from_config(project.config()).get_heads()


def test_broken_file_stops_loading_with_its_name(project: Project) -> None:
    project.write_revision("aaa111", None)
    bad = project.versions / "broken.py"
    bad.write_text("x = 1\n")
    with pytest.raises(CommandError, match=rf"revision file {bad}: no module-level `revision"):
        ScriptDirectory.from_config(project.config()).get_heads()


def test_skipped_files(project: Project) -> None:
    project.write_revision("aaa111", None)
    (project.versions / "__init__.py").write_text("")
    (project.versions / ".#aaa111_first.py").write_text("garbage")
    (project.versions / "notes.txt").write_text("garbage")
    pycache = project.versions / "__pycache__"
    pycache.mkdir()
    (pycache / "x.py").write_text("garbage")
    assert ScriptDirectory.from_config(project.config()).get_heads() == ["aaa111"]


def test_multiple_and_recursive_version_locations(project: Project) -> None:
    other = project.root / "other_versions"
    nested = other / "2026" / "03"
    project.write_revision("aaa111", None)
    project.write_revision("bbb222", "aaa111", directory=nested)
    project.set_option("version_locations", "%(here)s/migrations/versions %(here)s/other_versions")
    with pytest.raises(CommandError, match="'aaa111'"):
        # bbb222 is not found without recursion, so nothing dangles but it is missing.
        assert ScriptDirectory.from_config(project.config()).get_heads() == ["aaa111"]
        raise CommandError("'aaa111' is the only head")
    project.set_option("recursive_version_locations", "true")
    assert ScriptDirectory.from_config(project.config()).get_heads() == ["bbb222"]


def test_missing_version_location_is_an_error(project: Project) -> None:
    project.set_option("version_locations", "%(here)s/nowhere")
    with pytest.raises(CommandError, match="version location .*nowhere not found"):
        ScriptDirectory.from_config(project.config()).get_heads()


def test_missing_script_location(tmp_path: Path) -> None:
    ini = tmp_path / "migrate.ini"
    ini.write_text("[migrate]\nsqlalchemy.url = sqlite://\n")
    with pytest.raises(CommandError, match=r"no script_location in .*migrate.ini \[migrate\]"):
        ScriptDirectory.from_config(Config(ini))
    ini.write_text("[migrate]\nscript_location = %(here)s/absent\n")
    with pytest.raises(CommandError, match="script directory .*absent not found; create it"):
        ScriptDirectory.from_config(Config(ini))


def test_sourceless_pyc_revisions(project: Project) -> None:
    project.write_revision("aaa111", None)
    source = project.write_revision("bbb222", "aaa111", name="bbb222_second.py")
    py_compile.compile(str(source), cfile=str(source.with_suffix(".pyc")), doraise=True)
    source.unlink()
    assert ScriptDirectory.from_config(project.config()).get_heads() == ["aaa111"]
    project.set_option("sourceless", "true")
    scripts = ScriptDirectory.from_config(project.config())
    assert scripts.get_heads() == ["bbb222"]
    assert scripts.get_revision("bbb222").doc == "bbb222"


def test_bad_option_values_are_reported(project: Project) -> None:
    project.set_option("sourceless", "perhaps")
    with pytest.raises(CommandError, match="bad value 'perhaps' for sourceless"):
        ScriptDirectory.from_config(project.config())


def test_prepend_sys_path(project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "path", list(sys.path))
    project.set_option("prepend_sys_path", "%(here)s/src, %(here)s/lib")
    project.set_option("path_separator", ",")
    ScriptDirectory.from_config(project.config())
    assert sys.path[:2] == [str(project.root / "src"), str(project.root / "lib")]


def test_package_resource_script_location(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "myapp_pkg_for_test"
    (package / "migrations" / "versions").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    config = Config()
    config.set_main_option("script_location", "myapp_pkg_for_test:migrations")
    assert ScriptDirectory.from_config(config).dir == package / "migrations"
    config.set_main_option("script_location", "no_such_pkg_zz:migrations")
    with pytest.raises(CommandError, match="package 'no_such_pkg_zz' not found"):
        ScriptDirectory.from_config(config)


def test_generate_revision_writes_a_readable_file(project: Project) -> None:
    scripts = ScriptDirectory.from_config(project.config())
    first = scripts.generate_revision("aaa111", 'Create "account" table """ \\ ok')
    assert first.path.name == "aaa111_create_account_table_ok.py"
    assert first.doc == 'Create "account" table """ \\ ok'
    second = scripts.generate_revision(None, "second", branch_labels=["accounts"])
    assert second.down_revision == "aaa111"
    assert second.branch_labels == ("accounts",)
    compile(second.path.read_text(), str(second.path), "exec")
    assert scripts.get_heads() == [second.revision]


def test_generate_revision_refuses_non_head_without_splice(project: Project) -> None:
    linear(project)
    scripts = ScriptDirectory.from_config(project.config())
    with pytest.raises(CommandError, match="revision bbb222 is not a head; pass --splice"):
        scripts.generate_revision("x1", "branch", head="bbb222")
    branched = scripts.generate_revision("x1", "branch", head="bbb222", splice=True)
    assert branched.down_revision == "bbb222"
    assert sorted(scripts.get_heads()) == ["ccc333", "x1"]
    with pytest.raises(CommandError, match="several heads"):
        scripts.generate_revision("x2", "ambiguous")


def test_generate_revision_with_file_template_and_timezone(project: Project) -> None:
    project.set_option("file_template", "%%(year)d/%%(rev)s_%%(slug)s")
    project.set_option("timezone", "UTC")
    project.set_option("truncate_slug_length", "8")
    project.set_option("recursive_version_locations", "true")
    scripts = ScriptDirectory.from_config(project.config())
    created = scripts.generate_revision("r1", "a long message here")
    assert created.path.parent.parent == project.versions
    assert created.path.name == "r1_a_long_.py"
    assert "+00:00" in created.longdoc


def test_broken_template_writes_nothing(project: Project) -> None:
    template = project.script_dir / "script.py.mako"
    template.write_text("revision = ${up_revision}\n")  # not repr(): a bare name
    scripts = ScriptDirectory.from_config(project.config())
    with pytest.raises(
        CommandError, match=r"script.py.mako renders a revision that cannot be read"
    ):
        scripts.generate_revision("r1", "m")
    assert list(project.versions.iterdir()) == []
    template.write_text("${undefined_thing.attr}\n")
    with pytest.raises(CommandError, match="failed to render"):
        scripts.generate_revision("r1", "m")


def test_subdirectory_template_needs_recursive_locations(project: Project) -> None:
    project.set_option("file_template", "%%(year)d/%%(rev)s")
    scripts = ScriptDirectory.from_config(project.config())
    with pytest.raises(CommandError, match="set recursive_version_locations = true"):
        scripts.generate_revision("r1", "m")


def test_header_cache_is_used_and_refreshed_on_change(project: Project) -> None:
    path = project.write_revision("aaa111", None, "first")
    project.write_revision("bbb222", "aaa111", "second")
    assert ScriptDirectory.from_config(project.config()).get_heads() == ["bbb222"]
    cache = project.versions / "__pycache__" / "migrate-headers.json"
    assert cache.is_file()
    # An edited file (new size) is parsed again, not served from the cache.
    path.write_text(path.read_text().replace('"""first', '"""first, renamed'))
    scripts = ScriptDirectory.from_config(project.config())
    assert scripts.get_revision("aaa111").doc == "first, renamed"
    # A removed file disappears even though the cache still lists it.
    (project.versions / "bbb222_second.py").unlink()
    assert ScriptDirectory.from_config(project.config()).get_heads() == ["aaa111"]


def test_corrupt_or_unwritable_cache_only_costs_speed(project: Project) -> None:
    project.write_revision("aaa111", None, "first")
    cache_dir = project.versions / "__pycache__"
    cache_dir.mkdir()
    (cache_dir / "migrate-headers.json").write_text("{not json")
    assert ScriptDirectory.from_config(project.config()).get_heads() == ["aaa111"]
    (cache_dir / "migrate-headers.json").unlink()
    cache_dir.chmod(0o500)
    try:
        assert ScriptDirectory.from_config(project.config()).get_heads() == ["aaa111"]
    finally:
        cache_dir.chmod(0o700)


def test_alembic_style_template_filters_work(project: Project) -> None:
    template = project.script_dir / "script.py.mako"
    template.write_text(
        '"""${message}\n\nRevises: ${down_revision | comma,n}\n"""\n'
        "revision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n"
        "branch_labels = ${repr(branch_labels)}\ndepends_on = ${repr(depends_on)}\n"
    )
    project.write_revision("aaa111", None)
    project.write_revision("bbb222", None)
    scripts = ScriptDirectory.from_config(project.config())
    merged = scripts.generate_revision("m1", "merge", head=["aaa111", "bbb222"], splice=True)
    assert "Revises: aaa111, bbb222\n" in merged.path.read_text()


def test_unknown_output_encoding_and_unwritable_directory(project: Project) -> None:
    project.set_option("output_encoding", "no-such-codec")
    with pytest.raises(CommandError, match="'no-such-codec' is not a known encoding"):
        ScriptDirectory.from_config(project.config()).generate_revision("r1", "m")
    project.set_option("output_encoding", "ascii")
    with pytest.raises(CommandError, match="cannot be written in ascii"):
        ScriptDirectory.from_config(project.config()).generate_revision("r1", "caf\u00e9")
    assert list(project.versions.glob("*.py")) == []


def test_non_utf8_output_encoding_writes_a_file_python_can_read(project: Project) -> None:
    project.set_option("output_encoding", "latin-1")
    scripts = ScriptDirectory.from_config(project.config())
    written = scripts.generate_revision("r1", "d\u00e9j\u00e0 vu")
    data = written.path.read_bytes()
    assert data.startswith(b"# -*- coding: latin-1 -*-\n")
    assert "\u00e9".encode("latin-1") in data and "\u00e9".encode() not in data
    again = ScriptDirectory.from_config(project.config())  # every later command reads it
    assert again.get_revision("r1").doc == "d\u00e9j\u00e0 vu"
    assert hasattr(again.get_revision("r1").module, "upgrade")
    # plain ASCII needs no declaration
    assert (
        not scripts.generate_revision("r2", "plain", head="r1").path.read_bytes().startswith(b"#")
    )


def test_template_that_drops_generated_operations_is_refused(project: Project) -> None:
    template = project.script_dir / "script.py.mako"
    template.write_text(
        "revision = ${repr(up_revision)}\ndown_revision = ${repr(down_revision)}\n"
        "def upgrade():\n    pass\n"
    )
    scripts = ScriptDirectory.from_config(project.config())
    with pytest.raises(CommandError, match=r"does not place \$\{upgrades\}"):
        scripts.generate_revision("r1", "m", upgrades='op.drop_table("x")')
    assert list(project.versions.glob("*.py")) == []
    assert scripts.generate_revision("r1", "m", upgrades="pass").revision == "r1"
