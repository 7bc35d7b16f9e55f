"""Post-write hooks: programs (formatters, linters) run on each newly written revision file.

Configured in `[post_write_hooks]` of the ini file (`hooks = name, ...` and
`name.type = ...`) or as `[[tool.migrate.post_write_hooks]]` tables with a
`name` key. Built-in types: `console_scripts` (an installed entry point),
`module` (`python -m module`) and `exec` (any executable); `register()` adds more.
"""

from __future__ import annotations

import contextlib
import io
import shlex
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from migrate_cli.errors import CommandError

FILENAME_TOKEN = "REVISION_SCRIPT_FILENAME"
HookFunction = Callable[[str, Mapping[str, str]], None]

_registry: dict[str, HookFunction] = {}


def register(name: str) -> Callable[[HookFunction], HookFunction]:
    """Register a hook type: `@register("tabs") def to_tabs(filename, options): ...`."""

    def decorate(fn: HookFunction) -> HookFunction:
        _registry[name] = fn
        return fn

    return decorate


def hook_types() -> list[str]:
    return sorted(_registry)


def configured_hooks(
    ini_section: Mapping[str, str] | None, toml_hooks: Any
) -> list[dict[str, str]]:
    """Each configured hook as {"name", "type", ...options}, in the order they run."""
    hooks: list[dict[str, str]] = []
    if ini_section:
        names = [n.strip() for n in ini_section.get("hooks", "").replace(",", " ").split()]
        for name in names:
            prefix = f"{name}."
            options = {
                key[len(prefix) :]: value
                for key, value in ini_section.items()
                if key.startswith(prefix)
            }
            hooks.append({"name": name, **options})
    if toml_hooks:
        if not isinstance(toml_hooks, list) or not all(isinstance(h, dict) for h in toml_hooks):
            raise CommandError(
                "[tool.migrate] post_write_hooks must be an array of tables "
                "([[tool.migrate.post_write_hooks]])"
            )
        for index, table in enumerate(toml_hooks):
            if "name" not in table:
                raise CommandError(f"[tool.migrate] post_write_hooks entry {index + 1} has no name")
            hooks.append({key: str(value) for key, value in table.items()})
    return hooks


def run_hooks(
    path: Path,
    hooks: list[dict[str, str]],
    report: Callable[[str], None] | None = None,
    quiet: bool = False,
) -> None:
    """Run every hook on `path`, stopping at the first failure.

    What hooks print goes to stderr (nowhere under --quiet): stdout belongs to
    the command's own output, which --json keeps to one JSON document.
    """
    for hook in hooks:
        name = hook["name"]
        fn = hook_function(hook)
        if report is not None:
            report(f"Running post-write hook {name!r} on {path}")
        with contextlib.redirect_stdout(io.StringIO() if quiet else sys.stderr):
            fn(str(path), hook)


def hook_function(hook: Mapping[str, str]) -> HookFunction:
    """The function a configured hook runs; an error naming the hook when its type is wrong.

    Called for every hook before a revision is written, so a typo in the config
    does not leave a new file behind.
    """
    name = hook["name"]
    kind = hook.get("type")
    if not kind:
        raise CommandError(f"post-write hook {name!r} has no type; set {name}.type")
    fn = _registry.get(kind)
    if fn is None:
        raise CommandError(
            f"post-write hook {name!r} has unknown type {kind!r}; "
            f"known types: {', '.join(hook_types())}"
        )
    return fn


def command_line(filename: str, options: Mapping[str, str]) -> list[str]:
    """The hook's `options` split like a shell would, with the file name put in place."""
    args = shlex.split(options.get("options", ""))
    if any(FILENAME_TOKEN in arg for arg in args):
        return [arg.replace(FILENAME_TOKEN, filename) for arg in args]
    return [*args, filename]


def _run(name: str, argv: list[str], options: Mapping[str, str]) -> None:
    import subprocess

    cwd = options.get("cwd") or None
    try:
        # Captured and passed on through sys.stdout, which run_hooks points at stderr.
        completed = subprocess.run(argv, cwd=cwd, check=False, stdout=subprocess.PIPE)
    except OSError as error:
        raise CommandError(
            f"post-write hook {name!r} could not start {argv[0]!r}: {error}"
        ) from None
    if completed.stdout:
        sys.stdout.write(completed.stdout.decode(errors="replace"))
        sys.stdout.flush()
    if completed.returncode != 0:
        raise CommandError(
            f"post-write hook {name!r} failed with exit status {completed.returncode}: "
            f"{shlex.join(argv)}"
        )


@register("console_scripts")
def run_console_script(filename: str, options: Mapping[str, str]) -> None:
    """Run an installed console script (e.g. `black`) with this interpreter."""
    name = options.get("name", "console_scripts")
    entry = options.get("entrypoint")
    if not entry:
        raise CommandError(f"post-write hook {name!r} needs {name}.entrypoint")
    from importlib.metadata import entry_points

    found = [ep for ep in entry_points(group="console_scripts") if ep.name == entry]
    if not found:
        raise CommandError(
            f"post-write hook {name!r}: no console script {entry!r} is installed in {sys.prefix}"
        )
    module, _, attr = found[0].value.partition(":")
    call = attr.strip() or "main"
    code = (
        f"import sys, importlib; sys.argv[0] = {entry!r}; "
        f"target = importlib.import_module({module.strip()!r})\n"
        f"for part in {call!r}.split('.'): target = getattr(target, part)\n"
        "sys.exit(target())"
    )
    _run(name, [sys.executable, "-c", code, *command_line(filename, options)], options)


@register("module")
def run_module(filename: str, options: Mapping[str, str]) -> None:
    """`python -m <module>` with this interpreter (works without the venv on PATH)."""
    name = options.get("name", "module")
    module = options.get("module")
    if not module:
        raise CommandError(f"post-write hook {name!r} needs {name}.module")
    _run(name, [sys.executable, "-m", module, *command_line(filename, options)], options)


@register("exec")
def run_executable(filename: str, options: Mapping[str, str]) -> None:
    """Any program, by path or by name on PATH."""
    name = options.get("name", "exec")
    executable = options.get("executable")
    if not executable:
        raise CommandError(f"post-write hook {name!r} needs {name}.executable")
    _run(name, [executable, *command_line(filename, options)], options)
