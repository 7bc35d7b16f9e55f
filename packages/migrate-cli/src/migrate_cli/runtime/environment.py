"""EnvironmentContext: what a user's env.py talks to, and `run_env`, which runs env.py.

A command decides *what* to do (a plan function over the current heads);
env.py decides *how to connect* (URL, engine, shared connection, options)
and calls back into this context. The context is bound to a ContextVar for
the duration of env.py, so `from migrate_cli import context` reaches it
without any module-global state, and two runs in two threads never mix.

env.py needs nothing beyond Alembic's names: `context.config`,
`is_offline_mode()`, `configure(url=... | connection=..., target_metadata=...,
...)`, `begin_transaction()`, `run_migrations()`, `get_x_argument()`.
"""

from __future__ import annotations

import contextvars
import importlib.util
import io
import logging
import os
import re
import sys
import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from types import ModuleType, TracebackType
from typing import Any, Protocol, TextIO

import sqlalchemy as sa

from migrate_cli.alembic_compat import alembic_names
from migrate_cli.alembic_compat.provided import advice
from migrate_cli.alembic_compat.scan import refuse_unprovided
from migrate_cli.config import DEFAULT_URL, Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.migration import MigrationContext, PlanFunction
from migrate_cli.runtime.script_source import ScriptSource
from migrate_cli.runtime.transactions import describe_error

log = logging.getLogger(__name__)

_current: contextvars.ContextVar[EnvironmentContext] = contextvars.ContextVar(
    "migrate_environment_context"
)

#: config.attributes key of a scratch run's confinement (migrate_cli.scratch.Confinement):
#: env.py then runs on that connection only, and may open no other.
CONFINEMENT = "migrate_confinement"


class RunConfinement(Protocol):
    """What keeps a run on one database; `migrate_cli.scratch.Confinement` satisfies it."""

    def guard(self) -> AbstractContextManager[None]:
        """Entered while env.py runs: any connection to another database is refused."""
        ...

    def configure_arguments(
        self, connection: Any, url: str | sa.URL | None
    ) -> tuple[sa.Connection, None, None]:
        """The (connection, url, dialect_name) `context.configure()` uses instead of its own."""
        ...


def confinement_of(config: Config) -> RunConfinement | None:
    """The confinement a scratch run put in `config.attributes` (None: an ordinary run)."""
    confinement: RunConfinement | None = config.attributes.get(CONFINEMENT)
    return confinement


# Options env.py may pass to configure(), with Alembic's names; anything else is a typo.
RUNTIME_OPTIONS = frozenset(
    {
        "transactional_ddl",
        "transaction_per_migration",
        "output_buffer",
        "output_encoding",
        "starting_rev",
        "tag",
        "literal_binds",
        "version_table",
        "version_table_schema",
        "version_table_pk",
        "migration_log",
        "migration_log_table",
        "on_version_apply",
        "lock_timeout",
        "template_args",
    }
)
AUTOGENERATE_OPTIONS = frozenset(
    {
        "target_metadata",
        "include_name",
        "include_object",
        "include_schemas",
        "compare_type",
        "compare_server_default",
        "process_revision_directives",
        "render_as_batch",
        "render_item",
        "user_module_prefix",
        "sqlalchemy_module_prefix",
        "alembic_module_prefix",
        "op_module_prefix",
        "upgrade_token",
        "downgrade_token",
        "comparators",
    }
)


#: configure() defaults that differ from ours, for a project configured by alembic.ini.
ALEMBIC_DEFAULTS: Mapping[str, Any] = {
    "version_table": "alembic_version",
    "compare_server_default": False,
}

#: Alembic configure() options migrate does not implement, and what to do instead.
UNSUPPORTED_OPTIONS: Mapping[str, str] = {
    "autogenerate_plugins": (
        "Alembic's autogenerate plugins do not exist here; remove it, and register custom "
        "comparators with migrate_autogen.comparators.register"
    ),
    "include_symbol": "it was removed from Alembic too; use include_object or include_name",
}


def follow_alembic_logging() -> None:
    """An alembic.ini's logging sections name the `alembic` logger, not ours.

    env.py's fileConfig() then disables migrate's loggers, and the progress lines
    ("Running upgrade ...") and warnings would vanish. They follow the level the
    file gives `alembic` instead, as Alembic's own lines would.
    """
    manager = logging.Logger.manager
    for name, logger in list(manager.loggerDict.items()):
        if (name == "migrate_cli" or name.startswith("migrate_cli.")) and isinstance(
            logger, logging.Logger
        ):
            logger.disabled = False
    level = logging.getLogger("alembic").level
    if level != logging.NOTSET:
        logging.getLogger("migrate_cli").setLevel(level)


def refuse_unsupported_options(options: Mapping[str, Any]) -> None:
    """Refuse, before anything runs, a configure() option that would be silently ignored."""
    for name, what_to_do in UNSUPPORTED_OPTIONS.items():
        if options.get(name) is not None:
            raise CommandError(
                f"context.configure({name}=...) in env.py is not supported by migrate: {what_to_do}"
            )


def _suggestion(name: str) -> str:
    """` (a typo of X?)` for the known option `name` is closest to, if one is that close."""
    import difflib

    known = RUNTIME_OPTIONS | AUTOGENERATE_OPTIONS
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.8)
    return f" (a typo of {close[0]}?)" if close else ""


def current_environment() -> EnvironmentContext:
    """The EnvironmentContext of the run in progress, or a clear error outside one."""
    try:
        return _current.get()
    except LookupError:
        raise CommandError(
            "migrate_cli.context is only usable while a migrate command runs env.py "
            "(e.g. `migrate upgrade head` or migrate_cli.command.upgrade(config, 'head'))"
        ) from None


class EnvironmentContext:
    """One run of env.py: the config, the script directory and the command's plan."""

    def __init__(
        self,
        config: Config,
        script: ScriptSource,
        *,
        fn: PlanFunction | None = None,
        as_sql: bool = False,
        starting_rev: str | None = None,
        destination_rev: str | None = None,
        tag: str | None = None,
        **kw: Any,
    ) -> None:
        self.config = config
        self.script = script
        self.context_opts: dict[str, Any] = {
            "fn": fn,
            "as_sql": as_sql,
            "starting_rev": starting_rev,
            "destination_rev": destination_rev,
            "tag": tag,
            **kw,
        }
        self._migration_context: MigrationContext | None = None
        #: What the run did, for --json: steps applied (with timings) and the heads after.
        self.report: dict[str, Any] = {"applied": [], "heads": []}
        self._token: contextvars.Token[EnvironmentContext] | None = None
        #: Whether env.py called run_migrations(): a command's plan ran at least once.
        self.ran_migrations = False
        #: Databases (URLs, password hidden) an earlier run_migrations() of this command
        #: changed and committed: a later failure must not read as if nothing changed.
        self.migrated_databases: list[str] = []
        #: Each database's heads after its run, for --json when env.py migrates several.
        self.database_heads: list[dict[str, Any]] = []

    # -- binding ------------------------------------------------------------------------------

    def __enter__(self) -> EnvironmentContext:
        self._token = _current.set(self)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._token is not None:
            _current.reset(self._token)
            self._token = None

    # -- questions env.py asks ----------------------------------------------------------------

    def is_offline_mode(self) -> bool:
        """True under --sql: configure with a URL and let the migrations be written as SQL."""
        return bool(self.context_opts.get("as_sql"))

    def requires_connection(self) -> bool:
        return not self.is_offline_mode()

    def is_transactional_ddl(self) -> bool:
        return self.get_context().transactional_ddl

    def get_head_revision(self) -> str | None:
        heads = self.get_head_revisions()
        if len(heads) > 1:
            raise CommandError(f"the scripts have several heads ({', '.join(heads)})")
        return heads[0] if heads else None

    def get_head_revisions(self) -> tuple[str, ...]:
        return tuple(self.script.revision_map.heads)

    def get_starting_revision_argument(self) -> str | None:
        return self.context_opts.get("starting_rev")

    def get_revision_argument(self) -> str | None:
        return self.context_opts.get("destination_rev")

    def get_tag_argument(self) -> str | None:
        return self.context_opts.get("tag")

    def get_x_argument(self, as_dictionary: bool = False) -> list[str] | dict[str, str]:
        """The -x key=value arguments, as a list or a dict."""
        return self.config.get_x_argument(as_dictionary=as_dictionary)

    # -- configure and run --------------------------------------------------------------------

    def configure(
        self,
        connection: sa.Connection | None = None,
        url: str | sa.URL | None = None,
        dialect_name: str | None = None,
        dialect_opts: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> None:
        """Give the run its connection (or, offline, a URL/dialect name) and its options."""
        refuse_unsupported_options(options)
        confinement = confinement_of(self.config)
        if confinement is not None and not self.is_offline_mode():
            connection, url, dialect_name = confinement.configure_arguments(connection, url)
        unknown = sorted(set(options) - RUNTIME_OPTIONS - AUTOGENERATE_OPTIONS)
        for name in unknown:
            # As in Alembic, extra options reach custom comparators (context.opts /
            # user_options); a typo of a known option is worth a warning, not a silent default.
            log.warning(
                "context.configure() in env.py got option %s, which migrate does not use; "
                "it is passed to custom comparators as user_options%s",
                name,
                _suggestion(name),
            )
        opts = dict(self.context_opts)
        if self.config.is_alembic_project:
            # An Alembic project runs with Alembic's defaults: its version table is
            # alembic_version, and `check` compares server defaults only when asked.
            opts.update(ALEMBIC_DEFAULTS)
            follow_alembic_logging()
        opts.update(options)
        opts["user_options"] = {name: options[name] for name in unknown}
        opts["script"] = self.script
        if opts.get("output_buffer") is None:
            opts["output_buffer"] = _output_buffer(self.config)
        if options.get("starting_rev") is not None:
            opts["starting_rev"] = options["starting_rev"]
        if self.is_offline_mode() and connection is not None and url is None:
            # Offline with a connection: write SQL for its dialect, never touch it.
            dialect_name = connection.dialect.name
            connection = None
        if url is None and connection is None and dialect_name is None:
            url = _config_url(self.config)
        self._migration_context = MigrationContext.configure(
            connection=connection,
            url=url,
            dialect_name=dialect_name,
            environment_context=self,
            dialect_opts=dict(dialect_opts or {}),
            opts=opts,
        )

    def get_context(self) -> MigrationContext:
        if self._migration_context is None:
            raise CommandError("env.py must call context.configure(...) before this")
        return self._migration_context

    def get_bind(self) -> sa.Connection | None:
        return self.get_context().connection

    def begin_transaction(self) -> AbstractContextManager[Any]:
        return self.get_context().begin_transaction()

    def run_migrations(self, **kw: Any) -> None:
        """Run the command's plan; keyword arguments reach each script's upgrade()/downgrade()."""
        self.ran_migrations = True
        context = self.get_context()
        applied_before = len(self.report["applied"])
        context.run_migrations(**kw)
        if context.connection is None:
            return
        url = context.connection.engine.url.render_as_string(hide_password=True)
        self.database_heads.append({"database": url, "heads": list(self.report["heads"])})
        if len(self.report["applied"]) > applied_before:
            self.migrated_databases.append(url)

    def execute(self, sql: Any, execution_options: dict[str, Any] | None = None) -> Any:
        return self.get_context().execute(sql, execution_options=execution_options)

    def static_output(self, text: str) -> None:
        """Write text straight into the --sql output."""
        self.get_context().output_buffer.write(text + "\n\n")

    @property
    def options(self) -> dict[str, Any]:
        """The options configure() received (autogenerate reads its hooks from here)."""
        return self.get_context().opts


def run_env(
    config: Config, script_directory: ScriptSource, fn: PlanFunction | None, **kw: Any
) -> EnvironmentContext:
    """Execute the environment's env.py afresh with a new EnvironmentContext bound.

    With --sql the script is held back until env.py has finished: a revision that fails
    half-way must not leave a partial script (`BEGIN;` and some DDL) on stdout, where a
    pipeline into psql would run it. env.py that passes its own output_buffer keeps it.
    """
    env_path = find_env_py(script_directory)
    refuse_unprovided([env_path], before="env.py was not run")
    held: io.StringIO | None = None
    if kw.get("as_sql") and kw.get("output_buffer") is None:
        held = kw["output_buffer"] = io.StringIO()
    environment = _run_env_module(config, script_directory, fn, env_path, **kw)
    if held is not None:
        _release_script(held.getvalue(), _output_buffer(config))
    return environment


_RELEASE_CHUNK = 16384


def _release_script(script: str, target: TextIO) -> None:
    """Write the finished --sql script where it belongs (stdout unless the config says)."""
    try:
        # In pieces, each flushed: one large write to a pipe whose reader has left can end
        # short without an error, and the lost rest would go unnoticed.
        for start in range(0, len(script), _RELEASE_CHUNK):
            target.write(script[start : start + _RELEASE_CHUNK])
            target.flush()
    except BrokenPipeError as error:
        raise CommandError(_reader_stopped()) from error


def _run_env_module(
    config: Config,
    script_directory: ScriptSource,
    fn: PlanFunction | None,
    env_path: Path,
    **kw: Any,
) -> EnvironmentContext:
    confinement = confinement_of(config)
    with (
        alembic_names(),
        confinement.guard() if confinement is not None else nullcontext(),
        EnvironmentContext(config, script_directory, fn=fn, **kw) as environment,
    ):
        try:
            load_env_module(env_path)
        except CommandError:
            raise
        except Exception as error:
            url_problem = _configured_url_problem(config, error)
            if url_problem is not None:
                raise CommandError(url_problem) from error
            if isinstance(error, BrokenPipeError) and environment.is_offline_mode():
                raise CommandError(_reader_stopped()) from error
            unprovided = _unprovided_import(error)
            if unprovided is not None:
                raise CommandError(
                    f"{env_path} failed: it (or a module it imports) uses {unprovided}, "
                    f"which a migrate run does not provide: {advice(unprovided)}; "
                    "nothing was migrated"
                ) from error
            # A database that is down, a models import that fails: one line, not a traceback.
            raise CommandError(
                f"{env_path} failed: {describe_error(error)} "
                "(run with --raiseerr for the traceback)"
            ) from error
    if fn is not None and not environment.ran_migrations:
        # Otherwise `migrate upgrade head` would exit 0 having migrated nothing.
        raise CommandError(
            f"{env_path} never called context.run_migrations(), so nothing was done; "
            "make sure it configures the context and calls run_migrations() "
            "(`migrate init` writes a working env.py to compare with)"
        )
    return environment


def _unprovided_import(error: Exception) -> str | None:
    """`alembic.util.Dispatcher` for "cannot import name 'Dispatcher' from 'alembic.util'"."""
    if not isinstance(error, ImportError):
        return None
    module = error.name or ""
    if module != "alembic" and not module.startswith("alembic."):
        return None
    if isinstance(error, ModuleNotFoundError):
        return module
    match = re.match(r"cannot import name '([^']+)'", str(error))
    return f"{module}.{match.group(1)}" if match else module


def _reader_stopped() -> str:
    """`--sql | psql` where psql stopped (at an error, or `| head`): the pipe is closed.

    That is not env.py's fault. Standard output is pointed at the null device so the exit
    does not fail again flushing what is left for the closed pipe.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout replaced by an object without a descriptor
        pass
    return (
        "the reader of the SQL output stopped early (e.g. psql at an error); "
        "the script was cut short"
    )


def _configured_url_problem(config: Config, error: Exception) -> str | None:
    """When env.py failed on a URL, name the `sqlalchemy.url` setting to fix, and how.

    env.py may read the URL from anywhere, so this only speaks up for the errors
    SQLAlchemy raises for a bad URL, and when the config file holds the bad one.
    """
    # ValueError: make_url's for a port that is not a number. ImportError: a driver package
    # that is not installed (or any other failed import: then only if the URL explains it).
    driver_missing = isinstance(error, ImportError)
    url_error = isinstance(error, (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ValueError))
    if not (
        url_error or driver_missing or (isinstance(error, KeyError) and error.args == ("url",))
    ):
        return None
    try:
        urls = _configured_urls(config)
    except CommandError:
        return None
    for where, url in urls:
        problem = _url_problem(url)
        if problem is not None:
            return f"sqlalchemy.url in {where} {problem}"
    if driver_missing:
        return None  # the configured URL's driver imports: the failing import is another one
    if not urls or not any(url for _where, url in urls):
        if config.config_file_name is None:
            # The templates read the URL from the ini section, not from [tool.migrate].
            main = f"the [{config.config_ini_section}] section of a migrate.ini (-c/--config)"
        else:
            main = _section_name(config, config.config_ini_section)
        return (
            f"no database URL: set sqlalchemy.url in {main}, or have env.py pass "
            "url=/connection= to context.configure()"
        )
    return None


def _configured_urls(config: Config) -> list[tuple[str, str]]:
    """(where, value) of every `sqlalchemy.url` the ini file (or pyproject) sets."""
    main = config.config_ini_section
    found: list[tuple[str, str]] = []
    value = config.get_main_option("sqlalchemy.url")
    if value is not None:
        found.append((_section_name(config, main), value))
    parser = config.file_config
    for section in parser.sections():
        if section != main and parser.has_option(section, "sqlalchemy.url"):
            value = config.get_section_option(section, "sqlalchemy.url")
            found.append((_section_name(config, section), value or ""))
    return found


def _section_name(config: Config, section: str) -> str:
    if config.config_file_name is None and config.toml_file_name is not None:
        return f"{config.toml_file_name} [tool.migrate]"
    return f"{config.config_file_name or 'the configuration'} [{section}]"


def _url_problem(url: str) -> str | None:
    """Why `url` cannot work, never showing it (it may hold a password); None when it can."""
    if url == DEFAULT_URL:
        return (
            "is still the example `migrate init` wrote; set it to your database's URL, "
            "e.g. postgresql+psycopg://user@host/dbname"
        )
    if not url.strip():
        return None  # reported as a missing URL
    try:
        dialect = sa.make_url(url).get_dialect()
    except Exception as error:
        return (
            f"is not a usable database URL ({describe_error(error)}); expected "
            "dialect+driver://user:password@host/dbname, with the driver installed"
        )
    try:
        dialect.import_dbapi()
    except ImportError as error:
        return (
            f"names driver {dialect.driver!r}, which is not installed ({describe_error(error)}); "
            "install it, or name an installed driver in the URL (dialect+driver://...)"
        )
    return None


def find_env_py(script_directory: ScriptSource) -> Path:
    directory = Path(script_directory.dir)
    for name in ("env.py", "env.pyc"):
        candidate = directory / name
        if candidate.is_file():
            return candidate
    raise CommandError(
        f"no env.py in {directory}: the environment is incomplete; "
        "recreate it with `migrate init` or restore env.py"
    )


def load_env_module(path: Path) -> ModuleType:
    """Import env.py as a new module each time (never cached), so every command re-runs it."""
    name = f"_migrate_env_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise CommandError(f"cannot load {path} as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        sys.modules.pop(name, None)
    return module


def _config_url(config: Config) -> str:
    url = config.get_main_option("sqlalchemy.url") if config is not None else None
    if not url:
        raise CommandError(
            "no database URL: set sqlalchemy.url in the config file, or pass url=/connection= "
            "to context.configure() in env.py"
        )
    return url


def _output_buffer(config: Config) -> TextIO:
    return config.output_buffer or config.stdout or sys.stdout
