"""The configuration a command runs with: `migrate.ini` and/or `[tool.migrate]` in pyproject.toml.

`Config` keeps Alembic's method names so an env.py written for Alembic ports by
changing imports. Files are parsed lazily, so `migrate init` and
`migrate list-templates` work before any config file exists, and a bad file is
reported by the command that needed it as one line naming the file.
"""

from __future__ import annotations

import configparser
import json
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

from migrate_cli.errors import CommandError

DEFAULT_CONFIG_FILE = "migrate.ini"
CONFIG_ENV_VAR = "MIGRATE_CONFIG"
TOML_SECTION = "migrate"
DEFAULT_SECTION = "migrate"
#: The placeholder `migrate init` writes for sqlalchemy.url; the runtime says so when it is left.
DEFAULT_URL = "driver://user:pass@localhost/dbname"
#: An Alembic project's files and sections, used when no migrate config is found.
ALEMBIC_CONFIG_FILE = "alembic.ini"
ALEMBIC_SECTION = "alembic"

#: Separators `path_separator` may name; "os" means os.pathsep.
PATH_SEPARATORS: dict[str, str | None] = {
    "space": " ",
    "newline": "\n",
    "os": os.pathsep,
    ":": ":",
    ";": ";",
    ",": ",",
}

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class Config:
    """A `migrate` configuration: one ini section, optional pyproject settings, and run options.

    Build one from a file (`Config("migrate.ini")`), from pyproject.toml alone
    (`Config(toml_file="pyproject.toml")`), or entirely in code (`Config()` then
    `set_main_option("script_location", ...)`).
    """

    def __init__(
        self,
        file_: str | os.PathLike[str] | None = None,
        ini_section: str = "migrate",
        output_buffer: TextIO | None = None,
        stdout: TextIO | None = None,
        cmd_opts: Any = None,
        config_args: Mapping[str, Any] | None = None,
        attributes: dict[str, Any] | None = None,
        toml_file: str | os.PathLike[str] | None = None,
        toml_section: str = TOML_SECTION,
    ) -> None:
        self.config_file_name: str | None = os.fspath(file_) if file_ is not None else None
        self.toml_file_name: str | None = os.fspath(toml_file) if toml_file is not None else None
        self.config_ini_section = ini_section
        #: The pyproject.toml table read: `[tool.migrate]`, or `[tool.alembic]` for Alembic's.
        self.toml_section = toml_section
        self.output_buffer = output_buffer
        self.stdout = stdout
        self.cmd_opts = cmd_opts if cmd_opts is not None else SimpleNamespace()
        self.config_args: dict[str, Any] = dict(config_args or {})
        self.attributes: dict[str, Any] = attributes if attributes is not None else {}
        self.json_output = False
        #: Whether this command already printed its JSON document (errors then go in it).
        self.json_emitted = False
        self._file_config: configparser.ConfigParser | None = None
        self.section_in_file = False
        self._toml_config: dict[str, Any] | None = None

    # -- files -------------------------------------------------------------------------------

    @property
    def config_file_dir(self) -> Path:
        """The directory `%(here)s` stands for: the ini file's, else pyproject's, else cwd."""
        for name in (self.config_file_name, self.toml_file_name):
            if name:
                return Path(name).resolve().parent
        return Path.cwd()

    @property
    def file_config(self) -> configparser.ConfigParser:
        """The parsed ini file (empty when there is none), with `here` set for interpolation."""
        if self._file_config is None:
            here = str(self.config_file_dir)
            parser = configparser.ConfigParser({"here": here, **self.config_args})
            if self.config_file_name is not None:
                path = Path(self.config_file_name)
                if not path.is_file():
                    raise CommandError(
                        f"config file {self.config_file_name} not found; run `migrate init DIR` "
                        f"to create one, or pass -c/--config (or set {CONFIG_ENV_VAR})"
                    )
                try:
                    with path.open(encoding="utf-8") as handle:
                        parser.read_file(handle, source=str(path))
                except (configparser.Error, UnicodeDecodeError) as error:
                    first = str(error).strip().splitlines()[0]
                    raise CommandError(f"config file {path} cannot be read: {first}") from None
            #: Whether the ini file itself has the section -n/--name asked for.
            self.section_in_file = parser.has_section(self.config_ini_section)
            if not self.section_in_file:
                parser.add_section(self.config_ini_section)
            self._file_config = parser
        return self._file_config

    @property
    def toml_config(self) -> dict[str, Any]:
        """The `[tool.migrate]` table of pyproject.toml, `%(here)s` substituted; {} when absent."""
        if self._toml_config is None:
            self._toml_config = {}
            if self.toml_file_name is not None:
                self._toml_config = _read_toml_section(Path(self.toml_file_name), self.toml_section)
        return self._toml_config

    @property
    def is_alembic_project(self) -> bool:
        """Whether this is an Alembic project's configuration, run with Alembic's defaults.

        True for `[alembic]` / `[tool.alembic]` and for a file named alembic.ini (whose
        other sections `-n` may pick); the version table is then `alembic_version`.
        """
        name = Path(self.config_file_name).name if self.config_file_name else None
        return (
            self.config_ini_section == ALEMBIC_SECTION
            or self.toml_section == ALEMBIC_SECTION
            or name == ALEMBIC_CONFIG_FILE
        )

    def has_config_source(self) -> bool:
        """True when some file or code gave a `script_location`."""
        return self.get_migrate_option("script_location") is not None

    # -- Alembic-compatible accessors ------------------------------------------------------------

    def get_section(
        self, name: str, default: dict[str, str] | None = None
    ) -> dict[str, str] | None:
        """Every option of an ini section, interpolated; `default` when the section is absent."""
        parser = self.file_config
        if not parser.has_section(name):
            return default
        return {key: self._interpolated(name, key) for key in parser.options(name)}

    def set_main_option(self, name: str, value: str) -> None:
        """Set an option of the main section; `%` must be doubled as in the ini file."""
        self.set_section_option(self.config_ini_section, name, value)

    def remove_main_option(self, name: str) -> None:
        self.file_config.remove_option(self.config_ini_section, name)

    def set_section_option(self, section: str, name: str, value: str) -> None:
        """Set an option; `%` must be doubled, as in the ini file (`url.replace("%", "%%")`)."""
        parser = self.file_config
        if not parser.has_section(section):
            parser.add_section(section)
        try:
            parser.set(section, name, value)
        except ValueError:
            # configparser's message quotes the value: a URL with its password, often.
            raise CommandError(
                f"setting [{section}] {name}: the value has a '%' that is not part of "
                "%(name)s; double it (value.replace('%', '%%')), as in the ini file"
            ) from None

    def get_section_option(self, section: str, name: str, default: str | None = None) -> str | None:
        parser = self.file_config
        if not parser.has_section(section):
            raise CommandError(
                f"no section [{section}] in {self.config_file_name or 'the configuration'}"
            )
        if not parser.has_option(section, name):
            return default
        return self._interpolated(section, name)

    def get_main_option(self, name: str, default: str | None = None) -> str | None:
        """An option of the main section; pyproject's `[tool.migrate]` is the fallback."""
        value = self.get_migrate_option(name)
        if value is None:
            return default
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return str(value).lower() if isinstance(value, bool) else str(value)

    def get_migrate_option(self, name: str) -> Any:
        """The raw value: the ini string if set there, else the pyproject value (str, list, ...)."""
        parser = self.file_config
        section = self.config_ini_section
        if parser.has_option(section, name):
            return self._interpolated(section, name)
        return self.toml_config.get(name)

    def get_bool_option(self, name: str, default: bool = False) -> bool:
        value = self.get_migrate_option(name)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise self.bad_value(name, value, "true or false")

    def get_int_option(self, name: str, default: int | None = None) -> int | None:
        value = self.get_migrate_option(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            return default
        if isinstance(value, bool):
            raise self.bad_value(name, value, "a whole number")
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise self.bad_value(name, value, "a whole number") from None
        if number < 1:
            raise self.bad_value(name, value, "a whole number above 0")
        return number

    def get_path_list_option(self, name: str) -> list[str] | None:
        """A list of paths: a TOML list, or an ini string split by `path_separator`."""
        value = self.get_migrate_option(name)
        if value is None:
            return None
        if isinstance(value, list):
            return [str(item) for item in value if str(item).strip()]
        separator = self.path_separator()
        text = str(value)
        parts = text.split() if separator is None else text.split(separator)
        return [part.strip() for part in parts if part.strip()]

    def path_separator(self) -> str | None:
        """The separator of list-valued path options; None means any whitespace (the default).

        Alembic's older `version_path_separator` counts when `path_separator` is unset,
        so an alembic.ini carried over splits its version_locations the same way.
        """
        name = "path_separator"
        raw = self.get_migrate_option(name)
        if raw is None or str(raw).strip() == "":
            name = "version_path_separator"
            raw = self.get_migrate_option(name)
        if raw is None or str(raw).strip() == "":
            return None
        key = str(raw).strip().lower()
        if key not in PATH_SEPARATORS:
            raise self.bad_value(name, raw, "one of " + ", ".join(PATH_SEPARATORS))
        return PATH_SEPARATORS[key]

    def bad_value(self, name: str, value: Any, expected: str) -> CommandError:
        """The error for an option whose value cannot be used: where it is, what was expected."""
        return CommandError(
            f"{self._where(name)}: bad value {value!r} for {name}; expected {expected}"
        )

    def _where(self, name: str) -> str:
        parser = self.file_config
        if parser.has_option(self.config_ini_section, name) and self.config_file_name:
            return f"{self.config_file_name} [{self.config_ini_section}]"
        if name in self.toml_config and self.toml_file_name:
            return f"{self.toml_file_name} [tool.{self.toml_section}]"
        return f"[{self.config_ini_section}]"

    def _interpolated(self, section: str, name: str) -> str:
        try:
            return self.file_config.get(section, name)
        except configparser.InterpolationMissingOptionError as error:
            raise CommandError(
                f"{self.config_file_name or 'config'} [{section}] {name}: refers to "
                f"%({error.reference})s, which is not defined (write %% for a literal percent sign)"
            ) from None
        except configparser.InterpolationError:
            # The value itself is never shown: it may be a URL with a password in it.
            raise CommandError(
                f"{self.config_file_name or 'config'} [{section}] {name}: a '%' that is not "
                "part of %(name)s; write %% for a literal percent sign"
            ) from None

    # -- options from the command line -----------------------------------------------------------

    @property
    def x_arguments(self) -> list[str]:
        """The `-x key=value` arguments, in the order given."""
        return list(getattr(self.cmd_opts, "x", None) or [])

    def get_x_argument(self, as_dictionary: bool = False) -> list[str] | dict[str, str]:
        """`-x` values as a list, or as a dict (`-x flag` alone maps to "")."""
        if not as_dictionary:
            return self.x_arguments
        result: dict[str, str] = {}
        for item in self.x_arguments:
            key, _, value = item.partition("=")
            result[key] = value
        return result

    @property
    def quiet(self) -> bool:
        return bool(getattr(self.cmd_opts, "quiet", False))

    # -- output ------------------------------------------------------------------------------

    def stop_between_migrations(self) -> bool:
        """Asked by the runtime before each migration; True stops the run there (fleet)."""
        return False

    def observe_run_start(self, context: object, heads: tuple[str, ...]) -> None:
        """Called by the runtime under the lock, before planning, with the heads it starts from
        (`migrate fleet`'s worker records and checks them)."""

    def get_template_directory(self) -> str:
        """Where the bundled `init` templates live."""
        return str(Path(__file__).parent / "templates")

    @property
    def output_encoding(self) -> str:
        return self.get_main_option("output_encoding") or "utf-8"

    def print_stdout(self, text: str, *args: Any) -> None:
        """Human-readable output; silent under --quiet and under --json."""
        if self.quiet or self.json_output:
            return
        message = text % args if args else text
        self._write(message + "\n")

    def emit(self, data: Any) -> None:
        """The machine-readable result of a command, printed as one JSON document under --json."""
        if not self.json_output:
            return
        self.json_emitted = True
        self._write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")

    def _write(self, message: str) -> None:
        stream = self.output_buffer or self.stdout or sys.stdout
        stream.write(message)
        stream.flush()


def find_config_files(
    config_file: str | None, cwd: Path | None = None
) -> tuple[str | None, str | None]:
    """Which ini and pyproject files a command-line run should read.

    -c/--config wins, then MIGRATE_CONFIG, then ./migrate.ini; pyproject.toml is the
    one beside the ini file (or in cwd) and is used only when it has [tool.migrate].
    """
    base = cwd or Path.cwd()
    explicit = config_file or os.environ.get(CONFIG_ENV_VAR) or None
    ini = Path(explicit) if explicit else base / DEFAULT_CONFIG_FILE
    if not ini.is_absolute():
        ini = base / ini
    toml_candidate = ini.parent / "pyproject.toml"
    toml = str(toml_candidate) if _has_toml_section(toml_candidate) else None
    if explicit or ini.is_file() or toml is None:
        return str(ini), toml
    return None, toml


@dataclass(frozen=True)
class ConfigLocation:
    """The files and sections a command-line run reads."""

    ini: str | None
    toml: str | None
    ini_section: str
    toml_section: str = TOML_SECTION


def locate_config(
    config_file: str | None,
    ini_section: str | None = None,
    cwd: Path | None = None,
) -> ConfigLocation:
    """Like `find_config_files`, and an Alembic project where migrate has no config of its own.

    With no -c, no MIGRATE_CONFIG, no migrate.ini and no [tool.migrate], an
    alembic.ini and/or a pyproject.toml with [tool.alembic] in the directory are read
    with Alembic's defaults (section [alembic]). `ini_section` is -n when the user gave it.
    """
    base = cwd or Path.cwd()
    ini, toml = find_config_files(config_file, base)
    explicit = bool(config_file or os.environ.get(CONFIG_ENV_VAR))
    migrate_found = explicit or toml is not None or (ini is not None and Path(ini).is_file())
    if not migrate_found:
        alembic_ini = base / ALEMBIC_CONFIG_FILE
        pyproject = base / "pyproject.toml"
        alembic_toml = _has_toml_section(pyproject, ALEMBIC_SECTION)
        if alembic_ini.is_file() or alembic_toml:
            return ConfigLocation(
                str(alembic_ini) if alembic_ini.is_file() else None,
                str(pyproject) if alembic_toml else None,
                ini_section or ALEMBIC_SECTION,
                ALEMBIC_SECTION,
            )
    section = ini_section or DEFAULT_SECTION
    toml_section = TOML_SECTION
    if ini is not None and ini_section is None:
        sections = _sections(Path(ini))
        if ALEMBIC_SECTION in sections and DEFAULT_SECTION not in sections:
            section = ALEMBIC_SECTION  # `-c alembic.ini`: Alembic's section, as Alembic reads it
    if section == ALEMBIC_SECTION and toml is None and ini is not None:
        pyproject = Path(ini).parent / "pyproject.toml"
        if _has_toml_section(pyproject, ALEMBIC_SECTION):
            toml, toml_section = str(pyproject), ALEMBIC_SECTION
    return ConfigLocation(ini, toml, section, toml_section)


def _sections(path: Path) -> set[str]:
    """The section names of an ini file; empty when it cannot be read (the command says why)."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError, OSError):
        return set()
    return set(parser.sections())


def _has_toml_section(path: Path, section: str = TOML_SECTION) -> bool:
    if not path.is_file():
        return False
    try:
        data = _load_toml(path)
    except CommandError:
        return section == TOML_SECTION  # let the command report the broken file
    return isinstance(data.get("tool"), dict) and section in data["tool"]


def _toml_reader() -> Any:
    """tomllib (tomli on Python 3.10), imported when a TOML file is read: most runs read
    none, and the import is a few milliseconds of every start-up."""
    if sys.version_info >= (3, 11):
        import tomllib

        return tomllib
    try:  # pragma: no cover - exercised on Python 3.10 only
        import tomli
    except ImportError:  # pragma: no cover
        return None
    return tomli  # pragma: no cover


def _load_toml(path: Path) -> dict[str, Any]:
    _toml = _toml_reader()
    if _toml is None:  # pragma: no cover - Python 3.10 without tomli
        raise CommandError(f"reading {path} on Python 3.10 needs the `tomli` package")
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = _toml.load(handle)
            return data
    except (OSError, _toml.TOMLDecodeError) as error:
        raise CommandError(f"{path} cannot be read: {error}") from None


def _read_toml_section(path: Path, name: str = TOML_SECTION) -> dict[str, Any]:
    if not path.is_file():
        raise CommandError(f"{path} not found")
    tool = _load_toml(path).get("tool", {})
    section = tool.get(name, {}) if isinstance(tool, dict) else {}
    if not isinstance(section, dict):
        raise CommandError(f"{path}: [tool.{name}] must be a table")
    here = str(path.resolve().parent)
    return {key: _substitute_here(value, here) for key, value in section.items()}


def _substitute_here(value: Any, here: str) -> Any:
    if isinstance(value, str):
        return value.replace("%(here)s", here)
    if isinstance(value, list):
        return [_substitute_here(item, here) for item in value]
    if isinstance(value, dict):
        return {key: _substitute_here(item, here) for key, item in value.items()}
    return value
