"""Writing a new revision file: pick its parents and directory, render script.py.mako, run hooks."""

from __future__ import annotations

import io
import os
import tokenize
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.script import naming, write_hooks
from migrate_cli.script.formatting import comma
from migrate_cli.script.header import read_header
from migrate_cli.script.revision_file import Script
from revgraph import RevisionMap


class RevisionDestination(Protocol):
    """What writing a revision needs of its script directory (`ScriptDirectory` is one).

    Owned here so the directory can call down into this module without this module
    naming the directory's class.
    """

    @property
    def file_template(self) -> str: ...
    @property
    def truncate_slug_length(self) -> int: ...
    @property
    def output_encoding(self) -> str: ...
    @property
    def timezone(self) -> str | None: ...
    @property
    def hooks(self) -> list[dict[str, str]]: ...
    @property
    def recursive_version_locations(self) -> bool: ...
    @property
    def config(self) -> Config | None: ...
    @property
    def scripts(self) -> dict[str, Script]: ...
    @property
    def revision_map(self) -> RevisionMap: ...
    @property
    def version_dirs(self) -> list[Path]: ...
    @property
    def template_path(self) -> Path: ...
    def refresh(self) -> None: ...
    def get_revision(self, ident: str) -> Script: ...
    def get_revisions(self, ident: str | Sequence[str]) -> tuple[Script, ...]: ...


def _as_list(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return [item for item in value if item]


def write_revision(
    directory: RevisionDestination,
    *,
    revid: str | None,
    message: str | None,
    head: str | Sequence[str] | None,
    splice: bool,
    branch_labels: str | Sequence[str] | None,
    version_path: str | os.PathLike[str] | None,
    depends_on: str | Sequence[str] | None,
    template_args: dict[str, Any],
    operation_bodies: Sequence[str] = ("upgrades", "downgrades"),
) -> Script:
    rev_id = naming.check_revision_id(revid) if revid else naming.new_revision_id()
    if rev_id in directory.scripts:
        raise CommandError(
            f"revision id {rev_id!r} already exists ({directory.scripts[rev_id].path}); "
            "choose another --rev-id"
        )
    parents = _parents(directory, head, splice)
    labels = _new_labels(directory, branch_labels)
    dependencies = _dependencies(directory, depends_on)
    target_dir = _target_directory(directory, version_path, parents)

    zone = naming.parse_timezone(directory.timezone)
    create_date = naming.now(zone)
    slug = naming.slugify(message, directory.truncate_slug_length)
    relative = naming.render_file_name(directory.file_template, rev_id, slug, create_date)
    path = target_dir / f"{relative}.py"
    if path.parent != target_dir and not directory.recursive_version_locations:
        raise CommandError(
            f"file_template {directory.file_template!r} puts revisions in subdirectories; "
            "set recursive_version_locations = true so they are found again"
        )
    if path.exists():
        raise CommandError(f"{path} already exists; choose another --rev-id or message")

    down: str | tuple[str, ...] | None
    down = None if not parents else parents[0] if len(parents) == 1 else tuple(parents)
    text = render_template(
        directory.template_path,
        up_revision=rev_id,
        down_revision=down,
        branch_labels=tuple(labels) if labels else None,
        depends_on=tuple(dependencies) if dependencies else None,
        create_date=create_date,
        message=_docstring_safe(message),
        config=directory.config,
        **template_args,
    )
    for key in operation_bodies:
        body = template_args.get(key)
        if isinstance(body, str) and body.strip() not in ("", "pass") and body not in text:
            raise CommandError(
                f"{directory.template_path} does not place ${{{key}}}, so the generated "
                "operations would be lost; add it to the template (multi-database templates "
                "need per-database tokens from env.py)"
            )
    try:
        header = read_header(path, source=text)
    except CommandError as error:
        raise CommandError(
            f"{directory.template_path} renders a revision that cannot be read ({error}); "
            "fix the template"
        ) from None
    if header.revision != rev_id or header.down_revision != down:
        raise CommandError(
            f"{directory.template_path} does not write `revision = ${{repr(up_revision)}}` and "
            "`down_revision = ${repr(down_revision)}`; fix the template"
        )
    data = _encoded(text, directory.output_encoding)
    for hook in directory.hooks:
        write_hooks.hook_function(hook)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("xb") as handle:
            handle.write(data)
    except OSError as error:
        raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
    config = directory.config
    if config is not None:
        config.print_stdout(f"Generating {path} ... done")
    report = config.print_stdout if config is not None else None
    quiet = bool(config is not None and config.quiet)
    write_hooks.run_hooks(path, directory.hooks, report, quiet=quiet)
    directory.refresh()
    return directory.get_revision(rev_id)


def _encoded(text: str, encoding: str) -> bytes:
    try:
        data = text.encode(encoding)
    except LookupError:
        raise CommandError(f"output_encoding {encoding!r} is not a known encoding") from None
    except UnicodeEncodeError as error:
        raise CommandError(
            f"the new revision cannot be written in {encoding}: {error.reason} "
            f"({error.object[error.start : error.end]!r}); set output_encoding = utf-8"
        ) from None
    if _python_reads(data):
        return data
    # Python reads UTF-8 unless told otherwise (PEP 263): say which encoding this file is in.
    declared = f"# -*- coding: {encoding} -*-\n".encode(encoding) + data
    if _python_reads(declared):
        return declared
    raise CommandError(
        f"the new revision cannot be written in {encoding} so that Python can read it back; "
        "set output_encoding = utf-8"
    )


def _python_reads(data: bytes) -> bool:
    """Whether Python's import would decode `data` (UTF-8, or what its coding line says)."""
    try:
        source_encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
        data.decode(source_encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return False
    return True


def _docstring_safe(message: str | None) -> str:
    """The message as it can appear inside the script's triple-quoted docstring."""
    return (message or "").replace("\\", "\\\\").replace('"""', '\\"\\"\\"')


def render_template(template_path: Path, **context: Any) -> str:
    """Render a Mako template; errors name the template and line."""
    from mako import exceptions
    from mako.template import Template

    if not template_path.is_file():
        raise CommandError(
            f"{template_path} not found; the script directory needs the template new revisions "
            "are made from (`migrate init` writes one)"
        )
    try:
        template = Template(filename=str(template_path), strict_undefined=False)
        return str(template.render_unicode(comma=comma, **context))
    except exceptions.MakoException as error:
        raise CommandError(f"template {template_path} is broken: {error}") from None
    except Exception as error:
        trace = exceptions.RichTraceback()
        line = trace.lineno if trace.lineno else "?"
        raise CommandError(
            f"template {template_path} failed to render at line {line}: "
            f"{type(error).__name__}: {error}"
        ) from None


def _parents(
    directory: RevisionDestination, head: str | Sequence[str] | None, splice: bool
) -> list[str]:
    heads = _as_list(head) or ["head"]
    if heads == ["base"]:
        return []
    if not directory.scripts and heads == ["head"]:
        return []
    parents = list(directory.get_revisions(heads))
    for parent in parents:
        if not splice and not parent.is_head:
            raise CommandError(
                f"revision {parent.revision} is not a head; pass --splice to branch from it"
            )
    return [parent.revision for parent in parents]


def _new_labels(directory: RevisionDestination, labels: str | Sequence[str] | None) -> list[str]:
    new = _as_list(labels)
    for label in new:
        if label in directory.revision_map.branch_label_names:
            owner = directory.revision_map.label_revision(label).revision
            raise CommandError(
                f"branch label {label!r} is already used by revision {owner}; choose another"
            )
        if label in directory.scripts:
            raise CommandError(f"branch label {label!r} is also a revision id; choose another")
        naming.check_revision_id(label, kind="branch label", option="--branch-label")
    return new


def _dependencies(
    directory: RevisionDestination, depends_on: str | Sequence[str] | None
) -> list[str]:
    """Labels stay labels (they follow the branch); ids and prefixes become full ids."""
    out: list[str] = []
    for item in _as_list(depends_on):
        if item in directory.revision_map.branch_label_names:
            out.append(item)
        else:
            out.append(directory.get_revision(item).revision)
    return out


def _target_directory(
    directory: RevisionDestination, version_path: str | os.PathLike[str] | None, parents: list[str]
) -> Path:
    locations = directory.version_dirs
    if version_path is not None:
        wanted = Path(version_path).resolve()
        for location in locations:
            if location.resolve() == wanted:
                return location
        raise CommandError(
            f"--version-path {version_path} is not one of the version locations "
            f"({comma([str(p) for p in locations])}); add it to version_locations first"
        )
    if len(locations) == 1:
        return locations[0]
    if not parents:
        raise CommandError(
            "there are several version locations; say which one the new base revision "
            "goes in with --version-path"
        )
    parent_dirs = {_location_of(directory, directory.scripts[p].path) for p in parents}
    if len(parent_dirs) == 1:
        return parent_dirs.pop()
    raise CommandError(
        "the parents of the new revision live in different version locations; "
        "say where it goes with --version-path"
    )


def _location_of(directory: RevisionDestination, path: Path) -> Path:
    resolved = path.resolve()
    for location in directory.version_dirs:
        if location.resolve() in resolved.parents:
            return location
    return path.parent
