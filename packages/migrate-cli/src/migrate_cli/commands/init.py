"""init and list_templates: a new migration environment, written from a template.

Plain functions taking a `Config` first, as every command (see `migrate_cli.command`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from migrate_cli.config import DEFAULT_URL, Config
from migrate_cli.errors import CommandError
from migrate_cli.script.formatting import comma
from migrate_cli.script.writing import render_template

_CONFIG_TEMPLATES = ("migrate.ini.mako", "pyproject.toml.mako")


def _templates_dir(config: Config) -> Path:
    return Path(config.get_template_directory())


def available_templates(config: Config) -> dict[str, str]:
    """Template name -> the first line of its README."""
    out: dict[str, str] = {}
    for entry in sorted(_templates_dir(config).iterdir()):
        readme = entry / "README"
        if entry.is_dir() and readme.is_file():
            out[entry.name] = readme.read_text(encoding="utf-8").splitlines()[0].strip()
    return out


def list_templates(config: Config) -> dict[str, str]:
    """Print the templates `init` can use."""
    templates = available_templates(config)
    config.print_stdout("Available templates:\n")
    for name, description in templates.items():
        config.print_stdout(f"  {name} - {description}")
    config.print_stdout(
        "\nUse one with init, e.g.:\n\n  migrate init --template generic ./migrations"
    )
    config.emit({"templates": [{"name": n, "description": d} for n, d in templates.items()]})
    return templates


def init(
    config: Config,
    directory: str | os.PathLike[str],
    template: str = "generic",
    package: bool = False,
) -> dict[str, Any]:
    """Create a migration environment from a template, and its config file if there is none."""
    try:
        return _init(config, directory, template, package)
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        raise CommandError(f"init failed writing{where}: {error.strerror or error}") from None


def _init(
    config: Config,
    directory: str | os.PathLike[str],
    template: str = "generic",
    package: bool = False,
) -> dict[str, Any]:
    templates = available_templates(config)
    if template not in templates:
        raise CommandError(
            f"no template named {template!r}; choose from {comma(list(templates))} "
            "(`migrate list-templates`)"
        )
    source = _templates_dir(config) / template
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise CommandError(
            f"{target} already exists and is not empty; choose a new directory "
            "(init never overwrites files)"
        )
    config_path = Path(config.config_file_name or "migrate.ini")
    created: list[str] = []
    skipped: list[str] = []

    versions = target / "versions"
    for folder in (target, versions):
        folder.mkdir(parents=True, exist_ok=True)
        config.print_stdout(f"Creating directory {folder} ... done")
    created += [str(target), str(versions)]
    for item in sorted(source.iterdir()):
        if item.name in _CONFIG_TEMPLATES or item.name == "__pycache__":
            continue
        destination = target / item.name
        destination.write_bytes(item.read_bytes())
        created.append(str(destination))
        config.print_stdout(f"Generating {destination} ... done")
    if package:
        for folder in (target, versions):
            init_file = folder / "__init__.py"
            init_file.write_text("", encoding="utf-8")
            created.append(str(init_file))
            config.print_stdout(f"Generating {init_file} ... done")

    context = {
        "script_location": _script_location_for(config_path, target),
        "sqlalchemy_url": DEFAULT_URL,
    }
    ini_template = source / "migrate.ini.mako"
    if config_path.exists():
        skipped.append(str(config_path))
        config.print_stdout(f"File {config_path} already exists, skipping")
    else:
        config_path.parent.mkdir(parents=True, exist_ok=True)
        config_path.write_text(render_template(ini_template, **context), encoding="utf-8")
        created.append(str(config_path))
        config.print_stdout(f"Generating {config_path} ... done")
    toml_template = source / "pyproject.toml.mako"
    if toml_template.is_file():
        pyproject = config_path.parent / "pyproject.toml"
        wrote = _append_toml_section(pyproject, render_template(toml_template, **context))
        (created if wrote else skipped).append(str(pyproject))
        config.print_stdout(
            f"Writing [tool.migrate] to {pyproject} ... done"
            if wrote
            else f"{pyproject} already has [tool.migrate], skipping"
        )
    config.print_stdout(
        f"Edit the database URL and logging in {config_path} before running migrations."
    )
    result = {
        "directory": str(target),
        "template": template,
        "config_file": str(config_path),
        "created": created,
        "skipped": skipped,
    }
    config.emit(result)
    return result


def _script_location_for(config_path: Path, target: Path) -> str:
    """`%(here)s/<dir>` when the directory is below the config file's, else an absolute path."""
    base = config_path.resolve().parent
    absolute = target.resolve()
    try:
        return "%(here)s/" + absolute.relative_to(base).as_posix()
    except ValueError:
        return absolute.as_posix()


def _append_toml_section(pyproject: Path, section: str) -> bool:
    if pyproject.exists():
        text = pyproject.read_text(encoding="utf-8")
        if "[tool.migrate]" in text:
            return False
        joined = text if text.endswith("\n") or not text else text + "\n"
        pyproject.write_text(joined + section, encoding="utf-8")
    else:
        pyproject.write_text(section.lstrip("\n"), encoding="utf-8")
    return True
