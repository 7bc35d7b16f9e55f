"""The script directory: env.py, script.py.mako and the version locations holding revision files.

Revision files are found and their headers read without importing anything;
the revgraph RevisionMap built from them answers every question about heads,
bases, ranges and identifiers.
"""

from __future__ import annotations

import gc
import importlib.util
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.revision_hints import command_error
from migrate_cli.script import heads_snapshot as snapshots
from migrate_cli.script import naming, write_hooks
from migrate_cli.script.formatting import comma
from migrate_cli.script.header import ComputedHeader, read_header
from migrate_cli.script.header_cache import HeaderCache
from migrate_cli.script.heads_snapshot import HeadsSnapshot
from migrate_cli.script.revision_file import Script
from migrate_cli.script.writing import write_revision
from revgraph import RevisionError, RevisionMap

_SKIPPED_NAMES = ("__init__.py",)


class ScriptDirectory:
    """A migration environment on disk and the revisions in its version locations."""

    def __init__(
        self,
        dir: str | os.PathLike[str],
        file_template: str = naming.DEFAULT_FILE_TEMPLATE,
        truncate_slug_length: int | None = naming.DEFAULT_TRUNCATE_SLUG_LENGTH,
        version_locations: Sequence[str | os.PathLike[str]] | None = None,
        sourceless: bool = False,
        output_encoding: str = "utf-8",
        timezone: str | None = None,
        hooks: list[dict[str, str]] | None = None,
        recursive_version_locations: bool = False,
        config: Config | None = None,
    ) -> None:
        self.dir = Path(dir)
        self.file_template = file_template
        self.truncate_slug_length = truncate_slug_length or naming.DEFAULT_TRUNCATE_SLUG_LENGTH
        self.version_locations = [Path(p) for p in version_locations] if version_locations else []
        self.sourceless = sourceless
        self.output_encoding = output_encoding
        self.timezone = timezone
        self.hooks = hooks or []
        self.recursive_version_locations = recursive_version_locations
        self.config = config
        self._scripts: dict[str, Script] | None = None
        self._map: RevisionMap | None = None
        #: What the scripts were read from (heads_snapshot); None when a header was computed.
        self._fingerprint: str | None = None
        #: Each folder's candidate files as `heads_snapshot` listed them, for the next load.
        self._listing: list[tuple[str, list[tuple[str, os.stat_result]]]] | None = None
        if not self.dir.is_dir():
            raise CommandError(
                f"script directory {self.dir} not found; create it with `migrate init {self.dir}` "
                "or fix script_location"
            )

    @classmethod
    def from_config(cls, config: Config) -> ScriptDirectory:
        """The script directory a Config names, with every option read (and checked) up front."""
        location = config.get_main_option("script_location") or _flask_migrate_location(config)
        if not location:
            _check_section_exists(config)
            source = config.config_file_name or config.toml_file_name or "the configuration"
            raise CommandError(
                f"no script_location in {source} [{config.config_ini_section}]; "
                "run `migrate init DIR` or set script_location"
            )
        prepend = config.get_path_list_option("prepend_sys_path")
        if prepend:
            for entry in reversed(prepend):
                path = os.path.abspath(entry)
                if path not in sys.path:
                    sys.path.insert(0, path)
        versions = config.get_path_list_option("version_locations")
        zone = config.get_main_option("timezone")
        try:
            naming.parse_timezone(zone)
        except CommandError:
            raise config.bad_value(
                "timezone",
                zone,
                "an IANA zone such as UTC or Europe/Paris (install `tzdata` if this system has "
                "no zone database)",
            ) from None
        toml_hooks = config.toml_config.get("post_write_hooks")
        hooks = write_hooks.configured_hooks(config.get_section("post_write_hooks"), toml_hooks)
        return cls(
            resolve_location(location),
            file_template=config.get_main_option("file_template", naming.DEFAULT_FILE_TEMPLATE)
            or naming.DEFAULT_FILE_TEMPLATE,
            truncate_slug_length=config.get_int_option(
                "truncate_slug_length", naming.DEFAULT_TRUNCATE_SLUG_LENGTH
            ),
            version_locations=[resolve_location(v) for v in versions] if versions else None,
            sourceless=config.get_bool_option("sourceless"),
            output_encoding=config.output_encoding,
            timezone=config.get_main_option("timezone") or None,
            hooks=hooks,
            recursive_version_locations=config.get_bool_option("recursive_version_locations"),
            config=config,
        )

    @property
    def _skips_missing_locations(self) -> bool:
        """An Alembic project's missing version locations are skipped, as Alembic does."""
        return self.config is not None and self.config.is_alembic_project

    # -- layout -------------------------------------------------------------------------------

    @property
    def versions(self) -> Path:
        """The default version directory, `<script_location>/versions`."""
        return self.dir / "versions"

    @property
    def version_dirs(self) -> list[Path]:
        return self.version_locations or [self.versions]

    @property
    def env_py_location(self) -> Path:
        return self.dir / "env.py"

    @property
    def template_path(self) -> Path:
        return self.dir / "script.py.mako"

    # -- loading ------------------------------------------------------------------------------

    @property
    def scripts(self) -> dict[str, Script]:
        """Every revision file by id, read on first use."""
        if self._scripts is None:
            self._scripts = self._load_scripts()
        return self._scripts

    @property
    def revision_map(self) -> RevisionMap:
        """The validated revision graph (duplicates, dangling references and cycles refused)."""
        if self._map is None:
            with _gc_paused():
                scripts = self.scripts
                try:
                    revision_map = RevisionMap(script.to_revision() for script in scripts.values())
                except RevisionError as error:
                    raise command_error(error) from None
                for revision in revision_map:
                    scripts[revision.revision].graph = revision
                for squash in revision_map.squashes.values():
                    for replaced in squash.replaced:  # their own links, beside the squash
                        scripts[replaced].graph = revision_map.get(replaced)
                        scripts[replaced].replaced_by = squash.revision
            self._map = revision_map
            self._keep_snapshot(revision_map, scripts)
        return self._map

    def _keep_snapshot(self, revision_map: RevisionMap, scripts: dict[str, Script]) -> None:
        """Save the heads for `heads_snapshot`, unless the file already has these."""
        where, fingerprint = self._snapshot_file, self._fingerprint
        if where is None or fingerprint is None or snapshots.load(where, fingerprint) is not None:
            return
        snapshots.save(where, fingerprint, HeadsSnapshot.of(revision_map, scripts))

    def heads_snapshot(self) -> HeadsSnapshot | None:
        """The heads an earlier run saved, if no revision file changed since; else None.

        Costs a stat of each file instead of reading headers and building the graph: what
        `upgrade head` at head and `current` use before asking for `revision_map`.
        """
        if self._map is not None or self._snapshot_file is None:
            return None  # the graph is at hand, or there is nowhere to keep a snapshot
        # Kept for `_load_scripts`: when the files changed, the graph is read next.
        self._listing = [(folder, self._candidates(folder)) for folder in self._version_folders()]
        fingerprint = self._new_fingerprint()
        for folder, candidates in self._listing:
            fingerprint.add_folder(folder, candidates)
        return snapshots.load(self._snapshot_file, fingerprint.hexdigest())

    @property
    def _snapshot_file(self) -> Path | None:
        first = self.version_dirs[0]
        return first / "__pycache__" / snapshots.FILE_NAME if first.is_dir() else None

    def _new_fingerprint(self) -> snapshots.Fingerprint:
        return snapshots.Fingerprint((self.recursive_version_locations, self.sourceless))

    def refresh(self) -> None:
        """Forget what was read, so newly written files are seen."""
        self._scripts = None
        self._map = None
        self._fingerprint = None
        self._listing = None

    def _load_scripts(self) -> dict[str, Script]:
        scripts: dict[str, Script] = {}
        fingerprint: snapshots.Fingerprint | None = self._new_fingerprint()
        listing = self._listing or (
            (folder, self._candidates(folder)) for folder in self._version_folders()
        )
        self._listing = None
        for folder, candidates in listing:
            for script in self._scripts_in(folder, candidates):
                other = scripts.get(script.revision)
                if other is not None:
                    raise CommandError(
                        f"revision id {script.revision!r} is declared by two files: "
                        f"{other.path} and {script.path}; give one of them a new id"
                    )
                if script.computed and fingerprint is not None:
                    fingerprint = None  # its header may differ next run with the same file
                scripts[script.revision] = script
            if fingerprint is not None:
                fingerprint.add_folder(folder, candidates)
        self._fingerprint = fingerprint.hexdigest() if fingerprint is not None else None
        return scripts

    def _version_folders(self) -> Iterator[str]:
        """Each folder revision files are read from, in order, each once."""
        seen_dirs: set[str] = set()
        for location in self.version_dirs:
            if not location.is_dir() and self._skips_missing_locations:
                # Alembic skips them: Keystone lists each release's branch directory
                # before it exists, and its revision hook creates it when writing there.
                continue
            if not location.is_dir():
                raise CommandError(
                    f"version location {location} not found; create it or fix "
                    "version_locations / script_location"
                )
            resolved = os.path.realpath(location)
            if resolved in seen_dirs:
                continue
            seen_dirs.add(resolved)
            if self.recursive_version_locations:
                for root, dirs, _files in os.walk(location):
                    dirs[:] = sorted(
                        d for d in dirs if d != "__pycache__" and not d.startswith(".")
                    )
                    yield root
            else:
                yield str(location)

    def _candidates(self, folder: str) -> list[tuple[str, os.stat_result]]:
        """The files of `folder` that may be revisions, by name, each with its stat."""
        wanted = (".py", ".pyc", ".pyo") if self.sourceless else (".py",)
        candidates = []
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            name = entry.name
            if name in _SKIPPED_NAMES or name.startswith((".", "#", "~")):
                continue
            if name.endswith(wanted) and entry.is_file():
                candidates.append((name, entry.stat()))
        return candidates

    def _scripts_in(
        self, folder: str, candidates: list[tuple[str, os.stat_result]]
    ) -> Iterator[Script]:
        sources = {name for name, _stat in candidates if name.endswith(".py")}
        cache = HeaderCache(folder)
        for name, stat in candidates:
            path = os.path.join(folder, name)
            if name.endswith(".py"):
                header = cache.get(name, path, stat.st_mtime_ns, stat.st_size)
                if header is None:
                    try:
                        header = read_header(path)
                    except ComputedHeader as computed:
                        # Known only by running it, maybe differently in another
                        # environment: import it each time, never cache it.
                        yield Script.from_computed_header(computed)
                        continue
                    cache.put(name, stat.st_mtime_ns, stat.st_size, header)
                yield Script(header)
            else:
                stem = name.rsplit(".", 1)[0]
                if f"{stem}.py" not in sources and stem != "__init__":
                    yield Script.from_sourceless(Path(path))
        cache.save()

    # -- lookups ------------------------------------------------------------------------------

    def get_revision(self, ident: str) -> Script:
        """One script for an id, unique prefix, label, `label@head`, `head`, ..."""
        try:
            revision = self.revision_map.get(ident)
        except RevisionError as error:
            raise command_error(error) from None
        return self.scripts[revision.revision]

    def get_revisions(self, ident: str | Sequence[str]) -> tuple[Script, ...]:
        """Scripts for an identifier that may mean several (`heads`) or a sequence of them."""
        try:
            revisions = self.revision_map.get_revisions(ident)
        except RevisionError as error:
            raise command_error(error) from None
        return tuple(self.scripts[r.revision] for r in revisions)

    def resolve(self, target: str, current: Sequence[str] = ()) -> tuple[str, ...]:
        """Full revision ids an identifier means; relative ones count from `current`."""
        try:
            return self.revision_map.resolve(target, current)
        except RevisionError as error:
            raise command_error(error) from None

    def as_revision_number(self, ident: str) -> str | tuple[str, ...] | None:
        """An identifier as a full id (or tuple of ids for `heads`; None for `base`)."""
        ids = self.resolve(ident)
        if not ids:
            return None
        return ids[0] if len(ids) == 1 else ids

    def get_heads(self) -> list[str]:
        """Ids of every head revision."""
        return list(self.revision_map.heads)

    def get_bases(self) -> list[str]:
        return list(self.revision_map.bases)

    def get_current_head(self) -> str | None:
        """The single head; an error when history has branched (name one, or merge)."""
        heads = self.get_heads()
        if len(heads) > 1:
            raise CommandError(
                f"there are several heads ({comma(heads)}); name one with `label@head` "
                "or an id, or merge them with `migrate merge heads`"
            )
        return heads[0] if heads else None

    def walk_revisions(self, base: str = "base", head: str = "heads") -> Iterator[Script]:
        """Scripts from `head` down to `base`, each before those it builds on."""
        yield from self.iterate_revisions(head, base)

    def iterate_revisions(self, upper: str, lower: str) -> list[Script]:
        """Scripts in `lower:upper` (both included), heads first."""
        try:
            revisions = self.revision_map.iterate_range(lower, upper)
        except RevisionError as error:
            raise command_error(error) from None
        return [self.scripts[r.revision] for r in revisions]

    def all_scripts(self) -> list[Script]:
        """Every script, heads first, each before those it builds on."""
        return [self.scripts[r.revision] for r in self.revision_map.walk()]

    # -- running ------------------------------------------------------------------------------

    def require_env_py(self) -> Config:
        """The Config to run env.py with, once env.py is known to be there.

        The runtime runs it (`migrate_cli.runtime.environment.run_env`); the script
        directory only says where it is.
        """
        if self.config is None:
            raise CommandError("this ScriptDirectory was not made from a Config; use from_config")
        if not self.env_py_location.is_file():
            raise CommandError(
                f"{self.env_py_location} not found; every script directory needs an env.py "
                "(`migrate init` writes one)"
            )
        return self.config

    # -- writing ------------------------------------------------------------------------------

    def generate_revision(
        self,
        revid: str | None,
        message: str | None,
        head: str | Sequence[str] | None = None,
        splice: bool = False,
        branch_labels: str | Sequence[str] | None = None,
        version_path: str | os.PathLike[str] | None = None,
        depends_on: str | Sequence[str] | None = None,
        *,
        operation_bodies: Sequence[str] = ("upgrades", "downgrades"),
        **template_args: Any,
    ) -> Script:
        """Write a new revision file from script.py.mako and return it.

        The text is rendered and its header checked before anything is written, so a
        broken template never leaves a file that breaks `history`, nor one that drops
        a non-empty body named in `operation_bodies`.
        """
        return write_revision(
            self,
            revid=revid,
            message=message,
            head=head,
            splice=splice,
            branch_labels=branch_labels,
            version_path=version_path,
            depends_on=depends_on,
            operation_bodies=operation_bodies,
            template_args=template_args,
        )


def _check_section_exists(config: Config) -> None:
    """-n/--name naming a section the ini file does not have (a typo, most often)."""
    if config.config_file_name is None or config.section_in_file:
        return
    parser = config.file_config
    environments = [
        name
        for name in parser.sections()
        if name != config.config_ini_section and parser.has_option(name, "script_location")
    ]
    raise CommandError(
        f"no section [{config.config_ini_section}] in {config.config_file_name}; "
        f"choose one of its environments with -n/--name ({comma(environments) or 'none'})"
    )


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Loading makes tens of thousands of long-lived objects and no cycles; collecting while
    they are made only costs time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _flask_migrate_location(config: Config) -> str | None:
    """Flask-Migrate keeps alembic.ini inside the environment and passes script_location in
    code: an alembic.ini without one, beside an env.py, names its own directory."""
    if not config.is_alembic_project or not config.config_file_name:
        return None
    directory = Path(config.config_file_name).resolve().parent
    return str(directory) if (directory / "env.py").is_file() else None


def resolve_location(location: str) -> Path:
    """A directory from a path, or from `package.module:subdir` naming one inside a package."""
    if ":" in location and not os.path.isabs(location) and not _is_windows_drive(location):
        package, _, sub = location.partition(":")
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise CommandError(f"script location {location!r}: package {package!r} not found")
        return Path(next(iter(spec.submodule_search_locations))) / sub
    return Path(location)


def _is_windows_drive(location: str) -> bool:
    return len(location) > 2 and location[1] == ":" and location[2] in "\\/"
