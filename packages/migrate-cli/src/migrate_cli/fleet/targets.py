"""What `migrate fleet` runs on: targets from a URL file, PostgreSQL schemas, or env.py's hook.

A target is one database (or one tenant schema of a PostgreSQL database).
Its *identity* is its URL without the password (plus the schema), which is
what output, the state file and `--shard` use: a password never appears in
any of them, and the same target hashes to the same shard on every machine.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import URL, make_url

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.databases import database_for_backend

__all__ = [
    "FleetTarget",
    "Shard",
    "check_unique",
    "expand_env",
    "parse_shard",
    "read_url_file",
    "schema_targets",
    "targets_from_hook",
]

#: Query parameters that carry secrets in some drivers' URLs; never shown or hashed.
_SECRET_QUERY_KEYS = frozenset({"password", "passwd", "sslpassword", "token", "secret"})


@dataclass(frozen=True)
class FleetTarget:
    """One database (or tenant schema) the fleet runs the command on.

    `url` keeps its password: it reaches env.py as `sqlalchemy.url`. `schema`
    makes the run use that PostgreSQL schema as its search_path (so the
    version table and the migrations' tables live there). `name` is a short
    label for output; `source` says where the target was read ("urls.txt:12").
    """

    url: str
    schema: str | None = None
    name: str | None = None
    source: str = ""

    @property
    def identity(self) -> str:
        """Password-free and stable: what the state file records and --shard hashes."""
        shown = _without_secrets(self._parsed()).render_as_string(hide_password=False)
        return f"{shown}#schema={self.schema}" if self.schema else shown

    @property
    def label(self) -> str:
        """How output names the target: its name, else its identity."""
        return self.name or self.identity

    @property
    def server(self) -> str:
        """The server whose connections the target uses (for --max-per-server)."""
        url = self._parsed()
        backend = url.get_backend_name()
        if database_for_backend(backend).file_databases:
            return f"{backend}:{url.database or ':memory:'}"
        return f"{backend}://{url.host or 'localhost'}:{url.port or ''}"

    def connection_url(self) -> str:
        """The URL env.py connects with: a schema target's search_path is that schema alone.

        Only the tenant schema is on the path, so an unqualified version table
        (or table) never resolves to another schema's, e.g. one in `public`.
        """
        url = self._parsed()
        if self.schema is None:
            return url.render_as_string(hide_password=False)
        database = database_for_backend(url.get_backend_name())
        if not database.tenant_schemas:
            raise CommandError(
                f"target {self.label}: a schema target needs a PostgreSQL URL, "
                f"not {url.get_backend_name()}"
            )
        return database.schema_url(url, self.schema).render_as_string(hide_password=False)

    def to_dict(self) -> dict[str, Any]:
        return {"url": self.url, "schema": self.schema, "name": self.name, "source": self.source}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FleetTarget:
        return cls(
            url=str(data["url"]),
            schema=data.get("schema"),
            name=data.get("name"),
            source=str(data.get("source") or ""),
        )

    def _parsed(self) -> URL:
        try:
            return make_url(self.url)
        except Exception:
            raise CommandError(
                f"{self.source or 'target'}: not a database URL (expected e.g. "
                "postgresql+psycopg://user@host/db)"
            ) from None


def _without_secrets(url: URL) -> URL:
    query = {key: value for key, value in url.query.items() if key not in _SECRET_QUERY_KEYS}
    # URL.set() skips None values, so the password is left out by building anew.
    return URL.create(url.drivername, url.username, None, url.host, url.port, url.database, query)


# -- URL files ---------------------------------------------------------------------------------

_ENV_REFERENCE = re.compile(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")


def expand_env(text: str, where: str, environ: Mapping[str, str] | None = None) -> str:
    """Replace `${VAR}` and `$VAR` with the environment's value (`$$` is a dollar sign)."""
    values = os.environ if environ is None else environ

    def replace(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group(1) or match.group(2)
        if name not in values:
            raise CommandError(
                f"{where}: environment variable {name} is not set; export it, "
                "or write $$ for a literal dollar sign"
            )
        return values[name]

    return _ENV_REFERENCE.sub(replace, text)


def read_url_file(path: str | os.PathLike[str]) -> list[FleetTarget]:
    """One URL per line; blank lines and `#` comments (whole line, or after a space) skipped."""
    file = Path(path)
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise CommandError(f"cannot read the URL file {file}: {error.strerror}") from None
    targets: list[FleetTarget] = []
    for number, raw in enumerate(lines, start=1):
        line = re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()
        if not line:
            continue
        where = f"{file}:{number}"
        url = expand_env(line, where)
        target = FleetTarget(url=url, source=where)
        target.identity  # noqa: B018 - a malformed URL fails here, naming the line
        targets.append(target)
    if not targets:
        raise CommandError(f"the URL file {file} names no database; put one URL per line")
    return targets


# -- PostgreSQL schemas -------------------------------------------------------------------------


def schema_targets(
    base_url: str, names: Iterable[str] | None = None, query: str | None = None
) -> list[FleetTarget]:
    """One target per tenant schema of the database at `base_url`: listed, or read by a query."""
    url = make_url(base_url)
    if not database_for_backend(url.get_backend_name()).tenant_schemas:
        raise CommandError(
            f"--schemas needs a PostgreSQL sqlalchemy.url, not {url.get_backend_name()}; "
            "use --urls for one database per tenant"
        )
    if query is not None:
        names = _query_schema_names(url, query)
        source = "--schemas-query"
    else:
        source = "--schemas"
    listed = [name.strip() for name in names or () if name.strip()]
    if not listed:
        raise CommandError(f"{source} gave no schema names")
    return [FleetTarget(url=base_url, schema=name, name=name, source=source) for name in listed]


def _query_schema_names(url: URL, query: str) -> list[str]:
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as connection:
            # no_parameters: a `LIKE 'tenant_%'` must reach the server as written.
            options = {"no_parameters": True}
            rows = connection.exec_driver_sql(query, execution_options=options).all()
    except sa.exc.SQLAlchemyError as error:
        first = str(getattr(error, "orig", error)).strip().splitlines()
        raise CommandError(
            f"--schemas-query failed on {url.render_as_string(hide_password=True)}: "
            f"{first[0] if first else type(error).__name__}"
        ) from None
    finally:
        engine.dispose()
    return [str(row[0]) for row in rows if row and row[0] is not None]


# -- env.py's hook ------------------------------------------------------------------------------

#: The function env.py defines to list the fleet: `def fleet_targets(config): yield ...`.
HOOK_NAME = "fleet_targets"


def targets_from_hook(
    hook: Callable[[Config], Iterable[object]], config: Config, where: str
) -> list[FleetTarget]:
    """Call env.py's `fleet_targets(config)`; each item is a URL, a dict or a FleetTarget."""
    targets: list[FleetTarget] = []
    for index, item in enumerate(hook(config), start=1):
        source = f"{where}:{HOOK_NAME}()#{index}"
        if isinstance(item, FleetTarget):
            target = item if item.source else FleetTarget(item.url, item.schema, item.name, source)
        elif isinstance(item, (str, URL)):
            url = item.render_as_string(hide_password=False) if isinstance(item, URL) else item
            target = FleetTarget(url=url, source=source)
        elif isinstance(item, Mapping) and "url" in item:
            target = FleetTarget.from_dict({**item, "source": source})
        else:
            raise CommandError(
                f"{source} yielded {type(item).__name__}; yield a URL string, "
                "a dict with 'url' (and optional 'schema', 'name'), or a FleetTarget"
            )
        target.identity  # noqa: B018 - a malformed URL fails here
        targets.append(target)
    if not targets:
        raise CommandError(f"{where}: {HOOK_NAME}(config) yielded no target")
    return targets


def check_unique(targets: Iterable[FleetTarget]) -> None:
    """Two lines naming one database would run it twice at once: refuse."""
    seen: dict[str, FleetTarget] = {}
    for target in targets:
        earlier = seen.get(target.identity)
        if earlier is not None:
            raise CommandError(
                f"{target.source} names the same target as {earlier.source} "
                f"({target.identity}); list each database once"
            )
        seen[target.identity] = target


# -- shards -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shard:
    """`--shard K/N`: the K-th of N stable slices (K from 0, as JOB_COMPLETION_INDEX counts)."""

    index: int
    count: int

    def owns(self, target: FleetTarget) -> bool:
        digest = hashlib.sha256(target.identity.encode("utf-8")).digest()
        return int.from_bytes(digest[:8], "big") % self.count == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def parse_shard(text: str) -> Shard:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
    if match is None:
        raise CommandError(f"--shard {text!r}: write K/N, e.g. 0/4 (K counts from 0)")
    index, count = int(match.group(1)), int(match.group(2))
    if count < 1 or index >= count:
        raise CommandError(f"--shard {text}: K must be between 0 and N-1, and N at least 1")
    return Shard(index, count)
