"""The Click group: global options build the Config; run_command turns CommandError into exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from migrate_cli import cli as cli_module
from migrate_cli.cli import get_cli, get_config, run_command
from migrate_cli.config import Config
from migrate_cli.errors import CommandError


@pytest.fixture
def probe_group() -> click.Group:
    """A copy of the real group callback with probe commands attached."""
    group = cli_module.MigrateGroup(
        name="migrate", params=list(cli_module.cli.params), callback=cli_module.cli.callback
    )

    @click.command("probe")
    @click.pass_context
    def probe(ctx: click.Context) -> None:
        config = get_config(ctx)
        config.print_stdout("human")
        config.emit(
            {
                "ini": config.config_file_name,
                "section": config.config_ini_section,
                "x": config.get_x_argument(as_dictionary=True),
                "quiet": config.quiet,
            }
        )

    def failing(config: Config, message: str) -> None:
        raise CommandError(message)

    @click.command("fail")
    @click.pass_context
    def fail(ctx: click.Context) -> None:
        run_command(ctx, failing, "revision 'abc' not found")

    group.add_command(probe)
    group.add_command(fail)
    return group


def test_global_options_reach_the_config(probe_group: click.Group, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        probe_group,
        [
            "-c",
            str(tmp_path / "x.ini"),
            "-n",
            "second",
            "-x",
            "a=1",
            "-x",
            "flag",
            "--json",
            "probe",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == {
        "ini": str(tmp_path / "x.ini"),
        "section": "second",
        "x": {"a": "1", "flag": ""},
        "quiet": False,
    }


def test_json_flag_after_the_subcommand(probe_group: click.Group) -> None:
    result = CliRunner().invoke(probe_group, ["probe", "--json"])
    assert result.exit_code == 0
    assert "human" not in result.stdout
    assert json.loads(result.stdout)["section"] == "migrate"


def test_quiet_suppresses_human_output(probe_group: click.Group) -> None:
    result = CliRunner().invoke(probe_group, ["-q", "probe"])
    assert result.exit_code == 0 and result.stdout == ""


def test_command_error_is_one_line_and_exit_1(probe_group: click.Group) -> None:
    result = CliRunner().invoke(probe_group, ["fail"])
    assert result.exit_code == 1
    assert result.stderr == "ERROR: revision 'abc' not found\n"
    assert result.stdout == ""


def test_command_error_under_json_is_also_a_json_document(probe_group: click.Group) -> None:
    result = CliRunner().invoke(probe_group, ["--json", "fail"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"error": "revision 'abc' not found"}


def test_raiseerr_shows_the_exception(probe_group: click.Group) -> None:
    result = CliRunner().invoke(probe_group, ["--raiseerr", "fail"])
    assert result.exit_code == 1
    assert isinstance(result.exception, CommandError)


def test_usage_error_exits_2() -> None:
    result = CliRunner().invoke(get_cli(), ["history", "--no-such-option"])
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_every_command_takes_json() -> None:
    group = get_cli()
    for name, command in group.commands.items():
        assert any("--json" in p.opts for p in command.params if isinstance(p, click.Option)), name


def test_version() -> None:
    from migrate_cli import __version__

    result = CliRunner().invoke(get_cli(), ["--version"])
    assert result.exit_code == 0 and __version__ in result.stdout


def test_migrate_config_env_var_selects_the_file(
    probe_group: click.Group, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MIGRATE_CONFIG", str(tmp_path / "env.ini"))
    result = CliRunner().invoke(probe_group, ["--json", "probe"])
    assert json.loads(result.stdout)["ini"] == str(tmp_path / "env.ini")


def test_main_entry_point_exit_codes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    with pytest.raises(SystemExit) as ok:
        cli_module.main(["-q", "init", "migrations"])
    assert ok.value.code == 0
    with pytest.raises(SystemExit) as failed:
        cli_module.main(["init", "migrations"])
    assert failed.value.code == 1
    with pytest.raises(SystemExit) as usage:
        cli_module.main(["no-such-command"])
    assert usage.value.code == 2


def test_relative_revision_is_an_argument_not_an_option() -> None:
    group = get_cli()
    downgrade = group.commands.get("downgrade")
    if downgrade is None:
        pytest.skip("the database commands are not installed")
    ctx = downgrade.make_context("downgrade", ["-1"], obj=Config())
    assert ctx.params["revision"] == "-1"


def test_relative_steps_mix_with_options() -> None:
    group = get_cli()
    downgrade = group.commands.get("downgrade")
    if downgrade is None:
        pytest.skip("the database commands are not installed")
    ctx = downgrade.make_context("downgrade", ["-2", "--sql", "--tag", "-5"], obj=Config())
    assert ctx.params == {"revision": "-2", "sql": True, "tag": "-5"}
    result = CliRunner().invoke(group, ["init", "--bogus"])
    assert result.exit_code == 2 and "No such option" in result.stderr
