"""Every script command and option through the real Click group (CliRunner), with its errors."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from migrate_cli.cli import get_cli

Project = Any  # conftest fixtures
Migrate = Any


def branchy(project: Project) -> None:
    """base -> a1 -> b2 (branch point) -> c3 (head) / d4 (labelled `side`, head)."""
    project.write_revision("a1a1a1", None, "first")
    project.write_revision("b2b2b2", "a1a1a1", "second")
    project.write_revision("c3c3c3", "b2b2b2", "main line")
    project.write_revision("d4d4d4", "b2b2b2", "side line", branch_labels="side")


# -- init / list-templates -----------------------------------------------------------------------


@pytest.mark.parametrize("template", ["generic", "pyproject", "async", "multidb"])
def test_init_each_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, template: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    result = CliRunner().invoke(get_cli(), ["--json", "init", "-t", template, "migrations"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["template"] == template
    for name in ("env.py", "script.py.mako", "README"):
        assert (tmp_path / "migrations" / name).is_file()
    assert (tmp_path / "migrations" / "versions").is_dir()
    assert "script_location" in (tmp_path / "migrate.ini").read_text() or template == "pyproject"
    if template == "pyproject":
        assert "[tool.migrate]\n" in (tmp_path / "pyproject.toml").read_text()
    # The environment is usable at once: a revision can be written.
    result = CliRunner().invoke(get_cli(), ["--json", "revision", "-m", "first"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["doc"] == "first"


def test_init_text_output_and_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(get_cli(), ["init", "--package", "db/migrations"])
    assert result.exit_code == 0
    assert "Creating directory db/migrations ... done" in result.stdout
    assert (tmp_path / "db/migrations/__init__.py").is_file()
    assert (tmp_path / "db/migrations/versions/__init__.py").is_file()
    ini = (tmp_path / "migrate.ini").read_text()
    assert "script_location = %(here)s/db/migrations" in ini


def test_init_pyproject_appends_to_an_existing_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "app"\n')
    result = CliRunner().invoke(get_cli(), ["init", "-t", "pyproject", "migrations"])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "pyproject.toml").read_text()
    assert text.startswith('[project]\nname = "app"\n') and "[tool.migrate]" in text
    heads = CliRunner().invoke(get_cli(), ["heads"])
    assert heads.exit_code == 0 and heads.stdout == ""


def test_init_refuses_a_non_empty_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrations" / "keep.txt").write_text("mine")
    result = CliRunner().invoke(get_cli(), ["init", "migrations"])
    assert result.exit_code == 1
    assert result.stderr.startswith("ERROR: migrations already exists and is not empty")
    assert (tmp_path / "migrations" / "keep.txt").read_text() == "mine"
    assert not (tmp_path / "migrate.ini").exists()


def test_init_into_an_empty_directory_and_existing_config_is_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "migrations").mkdir()
    (tmp_path / "migrate.ini").write_text("[migrate]\nscript_location = migrations\n")
    result = CliRunner().invoke(get_cli(), ["--json", "init", "migrations"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["skipped"] == [str(Path("migrate.ini").absolute())] or (
        json.loads(result.stdout)["skipped"][0].endswith("migrate.ini")
    )
    assert (tmp_path / "migrate.ini").read_text() == "[migrate]\nscript_location = migrations\n"


def test_init_unknown_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(get_cli(), ["init", "-t", "fancy", "migrations"])
    assert result.exit_code == 1
    assert (
        "no template named 'fancy'; choose from async, generic, multidb, pyproject" in result.stderr
    )


def test_list_templates() -> None:
    result = CliRunner().invoke(get_cli(), ["list-templates"])
    assert result.exit_code == 0
    assert "  generic - Generic single-database environment" in result.stdout
    data = CliRunner().invoke(get_cli(), ["list-templates", "--json"]).stdout
    assert [t["name"] for t in json.loads(data)["templates"]] == [
        "async",
        "generic",
        "multidb",
        "pyproject",
    ]


# -- configuration errors ------------------------------------------------------------------------


def test_missing_config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MIGRATE_CONFIG", raising=False)
    result = CliRunner().invoke(get_cli(), ["heads"])
    assert result.exit_code == 1
    assert result.stderr == (
        f"ERROR: config file {tmp_path / 'migrate.ini'} not found; run `migrate init DIR` "
        "to create one, or pass -c/--config (or set MIGRATE_CONFIG)\n"
    )


def test_bad_config_value(project: Project, migrate: Migrate) -> None:
    project.set_option("truncate_slug_length", "long")
    result = migrate("revision", "-m", "x")
    assert result.exit_code == 1
    assert "bad value 'long' for truncate_slug_length; expected a whole number" in result.stderr


def test_name_selects_another_section(project: Project, migrate: Migrate) -> None:
    project.set_option("script_location", "%(here)s/nowhere", section="other")
    result = migrate("-n", "other", "heads")
    assert result.exit_code == 1 and "nowhere not found" in result.stderr


def test_broken_revision_file(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1a1a1", None)
    (project.versions / "oops.py").write_text("revision = 'x'\ndown_revision = (\n")
    for command in ("heads", "history", "branches"):
        result = migrate(command)
        assert result.exit_code == 1
        assert result.stderr.startswith(f"ERROR: revision file {project.versions / 'oops.py'}:")
        assert result.stderr.count("\n") == 1


def test_cycle_is_an_error(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1a1a1", "b2b2b2")
    project.write_revision("b2b2b2", "a1a1a1")
    result = migrate("history")
    assert result.exit_code == 1 and "cycle" in result.stderr


# -- revision ------------------------------------------------------------------------------------


def test_revision_options(project: Project, migrate: Migrate) -> None:
    first = migrate("--json", "revision", "-m", "create account", "--rev-id", "acc001")
    assert first.exit_code == 0, first.stderr
    assert first.json()[0]["path"].endswith("acc001_create_account.py")

    labelled = migrate(
        "revision",
        "-m",
        "start billing",
        "--head",
        "base",
        "--rev-id",
        "bil001",
        "--branch-label",
        "billing",
        "--json",
    )
    assert labelled.exit_code == 0, labelled.stderr
    assert labelled.json()[0]["branch_labels"] == ["billing"]
    assert labelled.json()[0]["down_revisions"] == []

    on_label = migrate(
        "revision",
        "-m",
        "invoices",
        "--head",
        "billing@head",
        "--rev-id",
        "bil002",
        "--depends-on",
        "acc001",
        "--json",
    )
    assert on_label.exit_code == 0, on_label.stderr
    data = on_label.json()[0]
    assert data["down_revisions"] == ["bil001"] and data["depends_on"] == ["acc001"]

    by_label_dep = migrate(
        "revision",
        "-m",
        "x",
        "--head",
        "acc001",
        "--rev-id",
        "acc002",
        "--depends-on",
        "billing",
        "--json",
    )
    assert by_label_dep.json()[0]["depends_on"] == ["billing"]
    text = Path(by_label_dep.json()[0]["path"]).read_text()
    assert "depends_on: str | Sequence[str] | None = ('billing',)" in text


def test_revision_splice_and_errors(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1a1a1", None)
    project.write_revision("b2b2b2", "a1a1a1")
    not_head = migrate("revision", "-m", "x", "--head", "a1a1a1")
    assert not_head.exit_code == 1
    assert "revision a1a1a1 is not a head; pass --splice" in not_head.stderr
    spliced = migrate("revision", "-m", "x", "--head", "a1a1a1", "--splice", "--rev-id", "s1")
    assert spliced.exit_code == 0
    ambiguous = migrate("revision", "-m", "y")
    assert ambiguous.exit_code == 1 and "several heads" in ambiguous.stderr
    unknown = migrate("revision", "-m", "y", "--head", "zzzz")
    assert unknown.exit_code == 1 and "'zzzz'" in unknown.stderr
    taken = migrate("revision", "-m", "y", "--head", "s1", "--rev-id", "b2b2b2")
    assert taken.exit_code == 1 and "revision id 'b2b2b2' already exists" in taken.stderr
    bad_id = migrate("revision", "-m", "y", "--head", "s1", "--rev-id", "a-b")
    assert bad_id.exit_code == 1 and "revision id 'a-b' contains '-'" in bad_id.stderr
    label_used = migrate("revision", "--head", "s1", "--branch-label", "x1", "--rev-id", "q1")
    assert label_used.exit_code == 0
    label_again = migrate("revision", "--head", "q1", "--branch-label", "x1")
    assert label_again.exit_code == 1 and "branch label 'x1' is already used" in label_again.stderr


def test_revision_version_path(project: Project, migrate: Migrate) -> None:
    other = project.root / "plugins"
    other.mkdir()
    project.set_option("version_locations", "%(here)s/migrations/versions %(here)s/plugins")
    needs_path = migrate("revision", "-m", "base one")
    assert needs_path.exit_code == 1 and "--version-path" in needs_path.stderr
    ok = migrate(
        "--json",
        "revision",
        "-m",
        "plugin",
        "--version-path",
        str(other),
        "--branch-label",
        "plugin",
    )
    assert ok.exit_code == 0, ok.stderr
    assert Path(ok.json()[0]["path"]).parent == other
    follow = migrate("--json", "revision", "-m", "more", "--head", "plugin@head")
    assert Path(follow.json()[0]["path"]).parent == other
    bad = migrate("revision", "-m", "x", "--version-path", str(project.root / "elsewhere"))
    assert bad.exit_code == 1 and "is not one of the version locations" in bad.stderr


def test_revision_sql_and_autogenerate_conflict(project: Project, migrate: Migrate) -> None:
    result = migrate("revision", "--sql", "--autogenerate", "-m", "x")
    assert result.exit_code == 1 and "cannot be combined" in result.stderr


def test_revision_environment_runs_env_py(project: Project, migrate: Migrate) -> None:
    project.set_option("revision_environment", "true")
    marker = project.root / "env_ran"
    env = project.script_dir / "env.py"
    env.write_text(f"open({str(marker)!r}, 'w').close()\n" + env.read_text())
    result = migrate("revision", "-m", "with env", "--sql")
    assert result.exit_code == 0, result.stderr
    assert marker.exists()


def test_autogenerate_without_target_metadata(project: Project, migrate: Migrate) -> None:
    result = migrate("revision", "--autogenerate", "-m", "auto")
    assert result.exit_code == 1
    assert "target_metadata" in result.stderr
    assert list(project.versions.glob("*.py")) == []


def test_post_write_hook_runs_on_new_revisions(project: Project, migrate: Migrate) -> None:
    hook = project.root / "hook.sh"
    hook.write_text('#!/bin/sh\necho "# formatted" >> "$1"\n')
    hook.chmod(hook.stat().st_mode | stat.S_IEXEC)
    project.set_option("hooks", "fmt", section="post_write_hooks")
    project.set_option("fmt.type", "exec", section="post_write_hooks")
    project.set_option("fmt.executable", str(hook), section="post_write_hooks")
    result = migrate("--json", "revision", "-m", "hooked")
    assert result.exit_code == 0, result.stderr
    assert Path(result.json()[0]["path"]).read_text().endswith("# formatted\n")


# -- merge ---------------------------------------------------------------------------------------


def test_merge_heads(project: Project, migrate: Migrate) -> None:
    branchy(project)
    merged = migrate(
        "--json", "merge", "heads", "-m", "join", "--rev-id", "m5m5m5", "--branch-label", "joined"
    )
    assert merged.exit_code == 0, merged.stderr
    data = merged.json()[0]
    assert sorted(data["down_revisions"]) == ["c3c3c3", "d4d4d4"]
    assert data["is_merge_point"] and data["branch_labels"] == ["joined", "side"]
    heads = migrate("--json", "heads").json()
    assert [h["revision"] for h in heads] == ["m5m5m5"]
    one = migrate("merge", "heads")
    assert one.exit_code == 1 and "at least two revisions" in one.stderr
    by_ids = migrate("merge", "c3c3", "zzzz")
    assert by_ids.exit_code == 1 and "'zzzz'" in by_ids.stderr


# -- history, heads, branches, show --------------------------------------------------------------


def test_history_text_and_verbose(project: Project, migrate: Migrate) -> None:
    branchy(project)
    lines = migrate("history").stdout.splitlines()
    assert lines[0] in (
        "b2b2b2 -> d4d4d4 (side) (head), side line",
        "b2b2b2 -> c3c3c3 (head), main line",
    )
    assert "a1a1a1 -> b2b2b2 (branchpoint), second" in lines
    assert lines[-1] == "<base> -> a1a1a1, first"
    verbose = migrate("history", "-v").stdout
    assert "Rev: b2b2b2 (branchpoint)\nParent: a1a1a1\nBranches into: c3c3c3, d4d4d4\n" in verbose
    assert f"Path: {project.versions / 'a1a1a1_first.py'}" in verbose


@pytest.mark.parametrize(
    ("rev_range", "expected"),
    [
        ("base:heads", ["c3c3c3", "d4d4d4", "b2b2b2", "a1a1a1"]),
        (":c3c3c3", ["c3c3c3", "b2b2b2", "a1a1a1"]),
        ("b2b2:", ["c3c3c3", "d4d4d4", "b2b2b2"]),
        ("a1a1a1:b2b2b2", ["b2b2b2", "a1a1a1"]),
        ("side@head:side@head", ["d4d4d4"]),
        ("a1a1a1:+1", ["b2b2b2", "a1a1a1"]),
        ("-1:c3c3c3", ["c3c3c3", "b2b2b2"]),
        ("base:base", []),
    ],
)
def test_history_ranges(
    project: Project, migrate: Migrate, rev_range: str, expected: list[str]
) -> None:
    branchy(project)
    result = migrate("--json", "history", "-r", rev_range)
    assert result.exit_code == 0, result.stderr
    assert sorted(r["revision"] for r in result.json()) == sorted(expected)


@pytest.mark.parametrize(
    ("rev_range", "message"),
    [
        ("a1a1a1", "needs a colon"),
        ("c3c3c3:a1a1a1", "revision c3c3c3 is not below a1a1a1; swap"),
        ("c3c3:a1a1", "revision c3c3c3 (c3c3) is not below a1a1 (a1a1a1); swap"),
        ("zzzz:", "'zzzz'"),
        ("c3c3c3:d4d4d4", "is not below"),
        ("-1:+1", "relative at both ends"),
    ],
)
def test_history_bad_ranges(
    project: Project, migrate: Migrate, rev_range: str, message: str
) -> None:
    branchy(project)
    result = migrate("history", "-r", rev_range)
    assert result.exit_code == 1
    assert message in result.stderr


def test_history_with_current_needs_the_database(project: Project, migrate: Migrate) -> None:
    project.write_revision("a1a1a1", None, "first")
    project.write_revision("b2b2b2", "a1a1a1", "second")
    project.write_revision("c3c3c3", "b2b2b2", "third")
    project.write_revision("d4d4d4", "c3c3c3", "fourth")
    assert migrate("upgrade", "c3c3c3").exit_code == 0
    recent = migrate("--json", "history", "-r", "-2:current")
    assert [r["revision"] for r in recent.json()] == ["c3c3c3", "b2b2b2", "a1a1a1"]
    ahead = migrate("--json", "history", "-r", "current:")
    assert [r["revision"] for r in ahead.json()] == ["d4d4d4", "c3c3c3"]
    marked = migrate("history", "-i").stdout
    assert "b2b2b2 -> c3c3c3 (current), third" in marked
    assert "(current)" not in migrate("history").stdout


def test_heads_and_resolve_dependencies(project: Project, migrate: Migrate) -> None:
    branchy(project)
    project.write_revision("e5e5e5", None, "other base", depends_on="c3c3c3")
    assert sorted(migrate("heads").stdout.splitlines()) == [
        "c3c3c3 (effective head)",
        "d4d4d4 (side) (head)",
        "e5e5e5 (head)",
    ]
    resolved = migrate("--json", "heads", "--resolve-dependencies").json()
    assert sorted(h["revision"] for h in resolved) == ["d4d4d4", "e5e5e5"]
    verbose = migrate("heads", "-v").stdout
    assert "Rev: d4d4d4 (head)\nParent: b2b2b2\nBranch names: side\n" in verbose


def test_branches(project: Project, migrate: Migrate) -> None:
    branchy(project)
    text = migrate("branches").stdout
    assert text.splitlines()[0] == "a1a1a1 -> b2b2b2 (branchpoint), second"
    assert "       -> c3c3c3 (head)" in text and "       -> d4d4d4 (side) (head)" in text
    data = migrate("branches", "--json").json()
    assert [p["revision"] for p in data] == ["b2b2b2"]
    assert sorted(c["revision"] for c in data[0]["branches_into"]) == ["c3c3c3", "d4d4d4"]
    assert "Rev: b2b2b2 (branchpoint)" in migrate("branches", "-v").stdout


def test_show(project: Project, migrate: Migrate) -> None:
    branchy(project)
    one = migrate("show", "b2b2")
    assert one.exit_code == 0 and one.stdout.startswith("Rev: b2b2b2 (branchpoint)\n")
    assert "    second\n\n    Revision ID: b2b2b2" in one.stdout
    several = migrate("--json", "show", "heads", "a1a1a1").json()
    assert sorted(s["revision"] for s in several) == ["a1a1a1", "c3c3c3", "d4d4d4"]
    assert migrate("show", "side@head").stdout.startswith("Rev: d4d4d4")
    assert migrate("show", "base").stdout == "(no revision: base)\n"
    assert migrate("upgrade", "c3c3c3").exit_code == 0
    assert migrate("show", "current").stdout.startswith("Rev: c3c3c3 (head) (current)")
    missing = migrate("show", "nope")
    assert missing.exit_code == 1 and "'nope'" in missing.stderr
    ambiguous = migrate("show", "head")
    assert ambiguous.exit_code == 1 and "several heads" in ambiguous.stderr


# -- edit ----------------------------------------------------------------------------------------


def test_edit_opens_the_file_in_editor(
    project: Project, migrate: Migrate, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project.write_revision("a1a1a1", None, "first")
    editor = project.root / "fake_editor.sh"
    editor.write_text('#!/bin/sh\necho "# edited" >> "$1"\n')
    editor.chmod(0o755)
    monkeypatch.setenv("EDITOR", str(editor))
    result = migrate("edit", "a1a1")
    assert result.exit_code == 0, result.stderr
    assert path.read_text().endswith("# edited\n")
    at_base = migrate("edit")
    assert at_base.exit_code == 1 and "no current revision" in at_base.stderr
    assert migrate("upgrade", "head").exit_code == 0
    assert migrate("edit").exit_code == 0
    assert path.read_text().count("# edited") == 2
    monkeypatch.setenv("EDITOR", "false")
    failing = migrate("edit", "head")
    assert failing.exit_code == 1 and "exited with status 1" in failing.stderr
    monkeypatch.delenv("EDITOR")
    monkeypatch.delenv("VISUAL", raising=False)
    unset = migrate("edit", "head")
    assert unset.exit_code == 1 and "set $EDITOR" in unset.stderr


def test_quiet_prints_nothing(project: Project, migrate: Migrate) -> None:
    result = migrate("-q", "revision", "-m", "quiet one")
    assert result.exit_code == 0 and result.stdout == ""
    assert len(list(project.versions.glob("*.py"))) == 1


def test_env_var_config(project: Project, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    project.write_revision("a1a1a1", None, "first")
    elsewhere = tmp_path / "sub"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("MIGRATE_CONFIG", str(project.ini))
    result = CliRunner().invoke(get_cli(), ["heads"])
    assert result.exit_code == 0 and result.stdout == "a1a1a1 (head)\n"
    assert os.getcwd() == str(elsewhere)


def test_autogenerate_writes_the_difference(project: Project, migrate: Migrate) -> None:
    (project.root / "models_for_autogen.py").write_text(
        "import datetime\nimport sqlalchemy as sa\nmetadata = sa.MetaData()\n"
        'sa.Table("account", metadata, sa.Column("id", sa.Integer, primary_key=True),\n'
        '         sa.Column("name", sa.String(50), nullable=False))\n'
    )
    env = project.script_dir / "env.py"
    env.write_text(
        env.read_text().replace(
            "target_metadata = None",
            "import importlib, sys\nsys.path.insert(0, config.config_file_dir.as_posix())\n"
            "target_metadata = importlib.import_module('models_for_autogen').metadata",
        )
    )
    created = migrate("--json", "revision", "--autogenerate", "-m", "create account")
    assert created.exit_code == 0, created.stderr
    source = Path(created.json()[0]["path"]).read_text()
    assert (
        "op.create_table(\n        'account'," in source
        or 'op.create_table(\n        "account",' in source
    )
    assert "op.drop_table('account')" in source or 'op.drop_table("account")' in source
    compile(source, "generated", "exec")
    behind = migrate("revision", "--autogenerate", "-m", "again")
    assert behind.exit_code == 1 and "run `migrate upgrade heads` first" in behind.stderr
    assert migrate("upgrade", "head").exit_code == 0
    assert migrate("check").exit_code == 0


def test_process_revision_directives_can_empty_the_list(project: Project) -> None:
    from migrate_cli import command

    def drop_all(context: object, revision: object, directives: list[object]) -> None:
        directives[:] = []

    config = project.config()
    config.set_main_option("revision_environment", "true")
    assert command.revision(config, "nothing", process_revision_directives=drop_all) is None
    assert list(project.versions.glob("*.py")) == []


def test_x_arguments_and_command_options_reach_env_py(project: Project, migrate: Migrate) -> None:
    seen = project.root / "seen.json"
    env = project.script_dir / "env.py"
    env.write_text(
        env.read_text()
        + "\nimport json as _json\n"
        + f"open({str(seen)!r}, 'w').write(_json.dumps({{'x': context.get_x_argument("
        + "as_dictionary=True), 'autogenerate': config.cmd_opts.autogenerate, "
        + "'cmd': config.cmd_opts.cmd}))\n"
    )
    project.set_option("revision_environment", "true")
    result = migrate("-x", "tenant=acme", "-x", "dry", "revision", "-m", "with x")
    assert result.exit_code == 0, result.stderr
    assert json.loads(seen.read_text()) == {
        "x": {"tenant": "acme", "dry": ""},
        "autogenerate": False,
        "cmd": "revision",
    }


def test_edit_json(project: Project, migrate: Migrate, monkeypatch: pytest.MonkeyPatch) -> None:
    project.write_revision("a1a1a1", None, "first")
    monkeypatch.setenv("EDITOR", "true")
    result = migrate("edit", "a1a1a1", "--json")
    assert result.exit_code == 0 and result.json()["revision"] == "a1a1a1"


def test_history_of_one_labelled_line(project: Project, migrate: Migrate) -> None:
    branchy(project)
    project.write_revision("n1n1n1", None, "network base", branch_labels="networking")
    project.write_revision("n2n2n2", "n1n1n1", "network two")
    result = migrate("--json", "history", "-r", "networking@base:networking@head")
    assert [r["revision"] for r in result.json()] == ["n2n2n2", "n1n1n1"]
    upper = migrate("--json", "history", "-r", "networking@n1n1:")
    assert [r["revision"] for r in upper.json()] == ["n2n2n2", "n1n1n1"]
