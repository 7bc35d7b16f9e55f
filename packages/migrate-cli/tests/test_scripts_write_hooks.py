"""Post-write hooks run real programs on the new file; failures are one-line errors."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from migrate_cli.errors import CommandError
from migrate_cli.script import write_hooks


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "rev.py"
    path.write_text("x = 1\n", encoding="utf-8")
    return path


def test_ini_hooks_in_order_with_their_options() -> None:
    section = {
        "hooks": "fmt, lint",
        "fmt.type": "exec",
        "fmt.executable": "cat",
        "lint.type": "module",
        "lint.module": "ruff",
        "lint.options": "check REVISION_SCRIPT_FILENAME",
    }
    hooks = write_hooks.configured_hooks(section, None)
    assert hooks == [
        {"name": "fmt", "type": "exec", "executable": "cat"},
        {
            "name": "lint",
            "type": "module",
            "module": "ruff",
            "options": "check REVISION_SCRIPT_FILENAME",
        },
    ]


def test_toml_hooks_need_names() -> None:
    assert write_hooks.configured_hooks(None, [{"name": "a", "type": "exec"}]) == [
        {"name": "a", "type": "exec"}
    ]
    with pytest.raises(CommandError, match="has no name"):
        write_hooks.configured_hooks(None, [{"type": "exec"}])
    with pytest.raises(CommandError, match="array of tables"):
        write_hooks.configured_hooks(None, {"type": "exec"})


def test_filename_token_placement() -> None:
    assert write_hooks.command_line("f.py", {"options": "format REVISION_SCRIPT_FILENAME -q"}) == [
        "format",
        "f.py",
        "-q",
    ]
    assert write_hooks.command_line("f.py", {"options": "-l 79"}) == ["-l", "79", "f.py"]
    assert write_hooks.command_line("my file.py", {}) == ["my file.py"]


def test_exec_hook_rewrites_the_file(target: Path, tmp_path: Path) -> None:
    script = tmp_path / "upper.sh"
    script.write_text('#!/bin/sh\ntr a-z A-Z < "$1" > "$1.tmp" && mv "$1.tmp" "$1"\n')
    script.chmod(0o755)
    write_hooks.run_hooks(target, [{"name": "up", "type": "exec", "executable": str(script)}])
    assert target.read_text() == "X = 1\n"


def test_module_hook_uses_this_interpreter(target: Path, tmp_path: Path) -> None:
    module = tmp_path / "append_marker.py"
    module.write_text("import sys\nopen(sys.argv[1], 'a').write('# hooked\\n')\n")
    hook = {"name": "m", "type": "module", "module": "append_marker", "cwd": str(tmp_path)}
    write_hooks.run_hooks(target, [hook])
    assert target.read_text().endswith("# hooked\n")


def test_console_scripts_hook_runs_an_installed_entry_point(target: Path) -> None:
    # `migrate` itself is an installed console script; `--version` exits 0 without the file.
    hook = {
        "name": "me",
        "type": "console_scripts",
        "entrypoint": "migrate",
        "options": "--version",
    }
    write_hooks.run_hooks(target, [hook])


def test_failing_hook_is_an_error_with_exit_status(target: Path) -> None:
    hook = {
        "name": "bad",
        "type": "exec",
        "executable": sys.executable,
        "options": "-c 'raise SystemExit(3)'",
    }
    with pytest.raises(CommandError, match=r"post-write hook 'bad' failed with exit status 3"):
        write_hooks.run_hooks(target, [hook])


@pytest.mark.parametrize(
    ("hook", "message"),
    [
        ({"name": "h"}, "has no type"),
        ({"name": "h", "type": "weird"}, "unknown type 'weird'"),
        ({"name": "h", "type": "exec"}, "needs h.executable"),
        ({"name": "h", "type": "module"}, "needs h.module"),
        ({"name": "h", "type": "console_scripts"}, "needs h.entrypoint"),
        (
            {"name": "h", "type": "console_scripts", "entrypoint": "no-such-tool-x"},
            "no console script",
        ),
        ({"name": "h", "type": "exec", "executable": "/no/such/program"}, "could not start"),
    ],
)
def test_bad_hook_configuration(target: Path, hook: dict[str, str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        write_hooks.run_hooks(target, [hook])


def test_registered_python_hook(target: Path) -> None:
    seen: list[str] = []

    @write_hooks.register("test_recorder")
    def record(filename: str, options: object) -> None:
        seen.append(filename)

    write_hooks.run_hooks(target, [{"name": "r", "type": "test_recorder"}])
    assert seen == [str(target)]
