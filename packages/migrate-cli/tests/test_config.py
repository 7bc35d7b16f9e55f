"""Config: ini and pyproject sources, %(here)s, percent escaping, typed options and their errors."""

from __future__ import annotations

import io
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from migrate_cli.config import Config, find_config_files
from migrate_cli.errors import CommandError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_here_expands_to_the_ini_files_directory(tmp_path: Path) -> None:
    ini = write(tmp_path / "migrate.ini", "[migrate]\nscript_location = %(here)s/migrations\n")
    config = Config(ini)
    assert config.get_main_option("script_location") == f"{tmp_path.resolve()}/migrations"


def test_doubled_percent_is_a_literal_percent(tmp_path: Path) -> None:
    ini = write(tmp_path / "migrate.ini", "[migrate]\nfile_template = %%(rev)s_%%(slug)s\n")
    assert Config(ini).get_main_option("file_template") == "%(rev)s_%(slug)s"


def test_single_percent_is_a_one_line_error_naming_file_and_option(tmp_path: Path) -> None:
    ini = write(tmp_path / "migrate.ini", "[migrate]\nfile_template = %(rev)s_x\n")
    with pytest.raises(CommandError) as info:
        Config(ini).get_main_option("file_template")
    message = str(info.value)
    assert str(ini) in message and "file_template" in message and "%%" in message
    assert "\n" not in message


def test_missing_config_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"not found; run `migrate init DIR`"):
        Config(tmp_path / "nope.ini").get_main_option("script_location")


def test_unparseable_ini_is_reported_with_its_path(tmp_path: Path) -> None:
    ini = write(tmp_path / "migrate.ini", "this is not an ini file\n")
    with pytest.raises(CommandError, match="cannot be read"):
        Config(ini).get_main_option("script_location")


def test_named_section_is_used_with_dash_n(tmp_path: Path) -> None:
    ini = write(tmp_path / "migrate.ini", "[migrate]\na = 1\n[other]\na = 2\n")
    assert Config(ini, ini_section="other").get_main_option("a") == "2"
    assert Config(ini).get_main_option("a") == "1"


def test_config_built_in_code_needs_no_file() -> None:
    config = Config()
    assert config.get_main_option("script_location") is None
    config.set_main_option("script_location", "somewhere")
    assert config.get_main_option("script_location") == "somewhere"
    assert config.get_main_option("missing", "fallback") == "fallback"


def test_get_section_and_section_options(tmp_path: Path) -> None:
    ini = write(
        tmp_path / "migrate.ini",
        "[migrate]\nx = 1\n[post_write_hooks]\nhooks = fmt\nfmt.type = exec\n",
    )
    config = Config(ini)
    section = config.get_section("post_write_hooks")
    assert section is not None and section["hooks"] == "fmt" and section["fmt.type"] == "exec"
    assert config.get_section("absent", {}) == {}
    assert config.get_section_option("post_write_hooks", "hooks") == "fmt"
    assert config.get_section_option("post_write_hooks", "nope", "d") == "d"
    with pytest.raises(CommandError, match=r"no section \[absent\]"):
        config.get_section_option("absent", "x")
    config.set_section_option("new", "k", "v")
    assert config.get_section("new") == {"k": "v", "here": str(tmp_path.resolve())}


def test_bool_and_int_options_and_their_errors(tmp_path: Path) -> None:
    ini = write(
        tmp_path / "migrate.ini",
        "[migrate]\nsourceless = yes\nrevision_environment = maybe\n"
        "truncate_slug_length = 12\nbad_length = twelve\nzero = 0\n",
    )
    config = Config(ini)
    assert config.get_bool_option("sourceless") is True
    assert config.get_bool_option("absent", default=True) is True
    with pytest.raises(CommandError, match=r"bad value 'maybe' for revision_environment"):
        config.get_bool_option("revision_environment")
    assert config.get_int_option("truncate_slug_length") == 12
    assert config.get_int_option("absent", 40) == 40
    with pytest.raises(CommandError, match=r"migrate.ini \[migrate\]: bad value 'twelve'"):
        config.get_int_option("bad_length")
    with pytest.raises(CommandError, match="above 0"):
        config.get_int_option("zero")


@pytest.mark.parametrize(
    ("separator", "value", "expected"),
    [
        (None, "a b\n c", ["a", "b", "c"]),
        ("space", "a b", ["a", "b"]),
        ("newline", "a b\nc", ["a b", "c"]),
        (",", "a, b ,c", ["a", "b", "c"]),
        (";", "a;b", ["a", "b"]),
        (":", "a:b", ["a", "b"]),
        ("os", f"a{os.pathsep}b", ["a", "b"]),
    ],
)
def test_path_lists_split_on_path_separator(
    separator: str | None, value: str, expected: list[str]
) -> None:
    config = Config()
    if separator is not None:
        config.set_main_option("path_separator", separator)
    config.set_main_option("version_locations", value)
    assert config.get_path_list_option("version_locations") == expected


def test_unknown_path_separator_is_an_error() -> None:
    config = Config()
    config.set_main_option("path_separator", "pipe")
    config.set_main_option("version_locations", "a|b")
    with pytest.raises(CommandError, match="bad value 'pipe' for path_separator"):
        config.get_path_list_option("version_locations")


def test_pyproject_section_with_lists_and_here(tmp_path: Path) -> None:
    toml = write(
        tmp_path / "pyproject.toml",
        '[project]\nname = "app"\n\n[tool.migrate]\n'
        'script_location = "%(here)s/migrations"\n'
        'version_locations = ["%(here)s/a", "%(here)s/b"]\n'
        "truncate_slug_length = 10\nsourceless = true\n",
    )
    config = Config(toml_file=toml)
    here = str(tmp_path.resolve())
    assert config.get_main_option("script_location") == f"{here}/migrations"
    assert config.get_path_list_option("version_locations") == [f"{here}/a", f"{here}/b"]
    assert config.get_int_option("truncate_slug_length") == 10
    assert config.get_bool_option("sourceless") is True


def test_ini_wins_over_pyproject(tmp_path: Path) -> None:
    toml = write(tmp_path / "pyproject.toml", '[tool.migrate]\nscript_location = "from_toml"\n')
    ini = write(tmp_path / "migrate.ini", "[migrate]\nscript_location = from_ini\nurl = x\n")
    config = Config(ini, toml_file=toml)
    assert config.get_main_option("script_location") == "from_ini"


def test_broken_pyproject_is_reported(tmp_path: Path) -> None:
    toml = write(tmp_path / "pyproject.toml", "[tool.migrate\n")
    with pytest.raises(CommandError, match="pyproject.toml cannot be read"):
        Config(toml_file=toml).get_main_option("script_location")


def test_bad_pyproject_value_names_the_toml_table(tmp_path: Path) -> None:
    toml = write(tmp_path / "pyproject.toml", '[tool.migrate]\ntruncate_slug_length = "x"\n')
    with pytest.raises(CommandError, match=r"\[tool.migrate\]: bad value 'x'"):
        Config(toml_file=toml).get_int_option("truncate_slug_length")


def test_bad_timezone_names_the_config_file(tmp_path: Path) -> None:
    from migrate_cli.script.directory import ScriptDirectory

    (tmp_path / "env" / "versions").mkdir(parents=True)
    ini = write(
        tmp_path / "migrate.ini",
        f"[migrate]\nscript_location = {tmp_path / 'env'}\ntimezone = Mars/Olympus\n",
    )
    with pytest.raises(CommandError) as error:
        ScriptDirectory.from_config(Config(ini))
    assert str(error.value).startswith(f"{ini} [migrate]: bad value 'Mars/Olympus' for timezone")


def test_find_config_files_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    ini, toml = find_config_files(None, tmp_path)
    assert ini == str(tmp_path / "migrate.ini") and toml is None

    write(tmp_path / "pyproject.toml", '[tool.migrate]\nscript_location = "m"\n')
    ini, toml = find_config_files(None, tmp_path)
    assert ini is None and toml == str(tmp_path / "pyproject.toml")

    write(tmp_path / "migrate.ini", "[migrate]\n")
    ini, toml = find_config_files(None, tmp_path)
    assert ini == str(tmp_path / "migrate.ini") and toml == str(tmp_path / "pyproject.toml")

    monkeypatch.setenv("MIGRATE_CONFIG", "custom.ini")
    assert find_config_files(None, tmp_path)[0] == str(tmp_path / "custom.ini")
    assert find_config_files("explicit.ini", tmp_path)[0] == str(tmp_path / "explicit.ini")


def test_pyproject_without_tool_migrate_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config_files(None, tmp_path) == (str(tmp_path / "migrate.ini"), None)


def test_x_arguments_as_list_and_dictionary() -> None:
    config = Config(cmd_opts=SimpleNamespace(x=["tenant=acme", "dry", "a=b=c"]))
    assert config.get_x_argument() == ["tenant=acme", "dry", "a=b=c"]
    assert config.get_x_argument(as_dictionary=True) == {"tenant": "acme", "dry": "", "a": "b=c"}
    assert Config().get_x_argument() == []


def test_print_stdout_honours_quiet_and_json() -> None:
    buffer = io.StringIO()
    config = Config(output_buffer=buffer)
    config.print_stdout("hello %s", "world")
    config.emit({"ignored": True})
    assert buffer.getvalue() == "hello world\n"

    quiet = Config(output_buffer=io.StringIO(), cmd_opts=SimpleNamespace(quiet=True))
    quiet.print_stdout("x")
    assert quiet.output_buffer is not None and quiet.output_buffer.getvalue() == ""

    machine = Config(output_buffer=io.StringIO())
    machine.json_output = True
    machine.print_stdout("human text")
    machine.emit({"heads": ["a"]})
    assert machine.output_buffer is not None
    assert machine.output_buffer.getvalue() == '{\n  "heads": [\n    "a"\n  ]\n}\n'


def test_attributes_are_shared_and_templates_exist() -> None:
    shared: dict[str, object] = {"connection": object()}
    config = Config(attributes=shared)
    assert config.attributes is shared
    assert Path(config.get_template_directory()).name == "templates"


def test_config_args_feed_interpolation(tmp_path: Path) -> None:
    ini = write(tmp_path / "migrate.ini", "[migrate]\nurl = sqlite:///%(dbdir)s/app.db\n")
    config = Config(ini, config_args={"dbdir": "/data"})
    assert config.get_main_option("url") == "sqlite:////data/app.db"


def test_interpolation_errors_never_show_the_value(tmp_path: Path) -> None:
    ini = write(
        tmp_path / "migrate.ini",
        "[migrate]\nsqlalchemy.url = postgresql://app:s3cr%et@db/app\nother = %(nope)s/x\n",
    )
    config = Config(ini)
    with pytest.raises(CommandError) as info:
        config.get_main_option("sqlalchemy.url")
    assert "s3cr" not in str(info.value) and "et@db" not in str(info.value)
    assert "sqlalchemy.url" in str(info.value) and "write %%" in str(info.value)
    with pytest.raises(CommandError, match=r"other: refers to %\(nope\)s, which is not defined"):
        config.get_main_option("other")
