"""The plan as data: what a run will do, one step per revision (or one stamp).

Commands build the steps from the revision map; the MigrationContext runs
them. A step knows how to run its script and how it moves the heads.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from migrate_cli.alembic_compat.scan import report_unprovided, scan_read_file
from migrate_cli.errors import CommandError
from migrate_cli.runtime.heads import HeadChange, HeadTracker
from migrate_cli.runtime.lineage import as_tuple
from migrate_cli.runtime.script_source import (
    RevisionScript,
    ScriptSource,
    read_script_source,
    source_checksum,
)
from revgraph import Equivalence, Revision


@dataclass
class RevisionStep:
    """Run one revision script's upgrade() or downgrade()."""

    revision_id: str
    is_upgrade: bool
    script: RevisionScript | None
    down_revisions: tuple[str, ...] = ()
    #: The migration log's checksum of the source `import_scripts` read for this run.
    checksum: str | None = field(default=None, compare=False, repr=False)

    @property
    def direction(self) -> str:
        return "upgrade" if self.is_upgrade else "downgrade"

    @cached_property
    def message(self) -> str:
        doc = (self.script.doc if self.script is not None else "") or ""
        return doc.strip().splitlines()[0] if doc.strip() else ""

    @cached_property
    def path(self) -> str:
        return str(self.script.path or "") if self.script is not None else ""

    def describe(self) -> str:
        """`upgrade a1 -> b2, message`: the arrow points the way the database moves."""
        return self._description

    @cached_property
    def movement(self) -> str:
        """`upgrade a1, a2 -> m3`: the description without the message, for the 'Done' line."""
        lower = ", ".join(self.down_revisions)
        arrow = (
            f"{lower} -> {self.revision_id}"
            if self.is_upgrade
            else f"{self.revision_id} -> {lower}"
        )
        return f"{self.direction} {arrow}"

    @cached_property
    def _description(self) -> str:
        return self.movement + (f", {self.message}" if self.message else "")

    # Alembic's MigrationInfo names, for on_version_apply hooks ported from Alembic.
    is_stamp = False
    is_migration = True

    @property
    def up_revision_id(self) -> str:
        return self.revision_id

    @property
    def down_revision_ids(self) -> tuple[str, ...]:
        return self.down_revisions

    @property
    def source_revision_ids(self) -> tuple[str, ...]:
        return self.down_revisions if self.is_upgrade else (self.revision_id,)

    @property
    def destination_revision_ids(self) -> tuple[str, ...]:
        return (self.revision_id,) if self.is_upgrade else self.down_revisions

    def run(self, **kw: Any) -> None:
        if self.script is None:
            return
        module = self.script.module
        fn = getattr(module, self.direction, None)
        if fn is None:
            raise CommandError(
                f"revision {self.revision_id} ({self.path}) has no {self.direction}() function; "
                f"add one (it may just `pass`)"
            )
        fn(**kw)

    def move_heads(self, tracker: HeadTracker) -> HeadChange:
        if self.is_upgrade:
            return tracker.upgrade(self.revision_id)
        return tracker.downgrade(self.revision_id)


@dataclass
class StampStep:
    """Move the recorded heads to `targets` without running any script."""

    targets: tuple[str, ...]
    purge: bool = False
    from_heads: tuple[str, ...] = field(default=())

    revision_id = "stamp"
    direction = "stamp"
    is_upgrade = True
    is_stamp = True
    is_migration = False
    path = ""

    @property
    def source_revision_ids(self) -> tuple[str, ...]:
        return self.from_heads

    @property
    def destination_revision_ids(self) -> tuple[str, ...]:
        return self.targets

    def describe(self) -> str:
        return f"stamp_revision {', '.join(self.from_heads)} -> {', '.join(self.targets)}"

    @property
    def movement(self) -> str:
        return self.describe()

    def run(self, **kw: Any) -> None:
        return None

    def move_heads(self, tracker: HeadTracker) -> HeadChange:
        return tracker.stamp(self.targets, purge=self.purge)


@dataclass
class EquivalenceStep:
    """Rename a version-table row without running anything: `recorded` and `becomes` are one
    schema (a squash and the top of the range it replaces), and the plan crosses paths here."""

    recorded: str
    becomes: str

    revision_id = "squash"
    direction = "stamp"
    is_upgrade = True
    is_stamp = True
    is_migration = False
    path = ""

    @property
    def source_revision_ids(self) -> tuple[str, ...]:
        return (self.recorded,)

    @property
    def destination_revision_ids(self) -> tuple[str, ...]:
        return (self.becomes,)

    def describe(self) -> str:
        return f"stamp_revision {self.recorded} -> {self.becomes} (same schema: squashed range)"

    @property
    def movement(self) -> str:
        return self.describe()

    def run(self, **kw: Any) -> None:
        return None

    def move_heads(self, tracker: HeadTracker) -> HeadChange:
        return tracker.rename(self.recorded, self.becomes)


Step = RevisionStep | StampStep | EquivalenceStep


def revision_steps(
    script_directory: ScriptSource, revisions: Sequence[Revision | Equivalence], is_upgrade: bool
) -> list[RevisionStep | EquivalenceStep]:
    """Steps for revgraph plan entries (Revisions, and Equivalences) in application order."""
    steps: list[RevisionStep | EquivalenceStep] = []
    for revision in revisions:
        if isinstance(revision, Equivalence):
            steps.append(EquivalenceStep(revision.recorded, revision.becomes))
            continue
        steps.append(
            RevisionStep(
                revision_id=revision.revision,
                is_upgrade=is_upgrade,
                script=script_directory.get_revision(revision.revision),
                down_revisions=as_tuple(revision.down_revision),
            )
        )
    return steps


def import_scripts(steps: Sequence[Step]) -> None:
    """Import every script of a plan, and find its function, before the first step runs.

    A file with a syntax or import error, or without the function, then stops
    the run with nothing migrated, even where DDL commits implicitly (MySQL,
    MariaDB) and the steps before it could not be rolled back.
    """
    scripted = [step for step in steps if isinstance(step, RevisionStep) and step.script]
    # Each script is read once: scanned for Alembic names migrate does not provide, and
    # its checksum kept for the migration log.
    found = []
    #: Each script's source and its SHA-256, or None where there is no source to read.
    sources: list[tuple[bytes, str] | None] = []
    for step in scripted:
        data = read_script_source(step.path)
        if data is None:
            sources.append(None)
            continue
        step.checksum = source_checksum(data)
        sources.append((data, step.checksum))
        found.extend(scan_read_file(step.path, data))
    report_unprovided(found, before="nothing was migrated")
    for step, source in zip(scripted, sources, strict=True):
        script = step.script
        assert script is not None  # scripted: every one has its script
        try:
            module = script.load_source(*source) if source is not None else script.module
            if not callable(getattr(module, step.direction, None)):
                raise CommandError(
                    f"revision {step.revision_id} ({step.path}) has no {step.direction}() "
                    "function; add one (it may just `pass`)"
                )
        except CommandError as error:
            text, hint = str(error), " (run with --raiseerr for the traceback)"
            text, hint = (text[: -len(hint)], hint) if text.endswith(hint) else (text, "")
            raise CommandError(
                f"{step.direction} {step.revision_id}: {text}; nothing was migrated{hint}"
            ) from error
