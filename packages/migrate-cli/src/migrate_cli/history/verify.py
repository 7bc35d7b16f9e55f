"""`migrate verify`: compare the scripts, the version table and the migration log.

Pure logic: it is given the revision map, the scripts, the recorded heads and
the log rows (oldest first) and returns the problems it finds, each naming
the revision, the file and what to do. The rules (docs/migrate-cli/history-log.md):

- missing-script: the version table records a revision no script defines; or
  the log's last word on a revision is that it was applied, no stamp came
  after, and no script defines it.
- not-a-head: a version-table row below another row (the table holds heads only).
- checksum-mismatch: an applied revision whose script no longer has the
  checksum its last applying row (upgrade, stamp or baseline) recorded.
- out-of-order: a revision the version table implies is applied (an
  ancestor of a recorded head, through down_revision and depends_on) that
  no log row applied, and that is not at or below a stamp or baseline row.
  Revisions applied before the log existed are below the `baseline` rows the
  log starts with, so they are never reported; one that appears below an
  applied revision later (a branch merged late, history rewritten) is.
- running: a revision whose latest row is still `running`: a run was killed
  or lost its connection half-way (or is running right now).

A `pending` row (a migration a MySQL/MariaDB run planned and never started) is no
attempt: it is skipped, whatever it says.

Squashes (docs/migrate-cli/squash.md): a database that went through the old files of a
squashed range never applies the squash, which then stands for the range's last revision:
it is not out of order when the log applied (or vouched for) that revision. A database
that ran the squash never applies the replaced revisions, and they are not below its heads.
After `migrate squash --prune`, the pruned revisions' `unstamp` rows and the rewritten
scripts' `baseline` rows that prune writes keep the database it checked clean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from migrate_cli.runtime.lineage import ancestors
from migrate_cli.runtime.migration_log import (
    APPLIED,
    BASELINE,
    DOWNGRADE,
    PENDING,
    RUNNING,
    STAMP,
    UNSTAMP,
    UPGRADE,
    script_checksum,
)
from migrate_cli.script.revision_file import Script
from revgraph import RevisionMap

_APPLYING = (UPGRADE, STAMP, BASELINE)
_STATE_CHANGING = (UPGRADE, DOWNGRADE, STAMP, UNSTAMP, BASELINE)


@dataclass(frozen=True)
class Problem:
    """One finding: what kind, which revision, which file, and a sentence with the fix."""

    kind: str
    revision: str
    message: str
    path: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Verification:
    """What verify found, and what it checked."""

    problems: list[Problem]
    applied: list[str]
    #: Applied revisions with no checksum on record (applied before the log existed).
    unchecked: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def when(row: Mapping[str, Any]) -> str:
    """`2026-12-07 10:41:03 UTC by alice@build-7 (db user app)`: a row's time and author."""
    started = row.get("started_at")
    text = f"{started:%Y-%m-%d %H:%M:%S} UTC" if started is not None else "at an unknown time"
    who = row.get("os_user") or ""
    host = row.get("host") or ""
    if who or host:
        text += f" by {who}{'@' if who and host else ''}{host}"
    if row.get("db_user"):
        text += f" (db user {row['db_user']})"
    return text


def verify(
    revision_map: RevisionMap,
    scripts: Mapping[str, Script],
    heads: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
) -> Verification:
    """Check a database's history against the scripts; `rows` oldest first."""
    state: dict[str, Mapping[str, Any]] = {}
    latest: dict[str, Mapping[str, Any]] = {}
    last_stamp = -1
    rows = [row for row in rows if row["outcome"] != PENDING]
    for index, row in enumerate(rows):
        revision = row["revision"]
        latest[revision] = row
        if row["outcome"] == APPLIED and row["direction"] in _STATE_CHANGING:
            state[revision] = row
            if row["direction"] in (STAMP, UNSTAMP):
                last_stamp = index
    position = {id(row): index for index, row in enumerate(rows)}
    problems: list[Problem] = []
    known_heads = [head for head in heads if head in scripts]

    for head in heads:
        if head not in scripts:
            problems.append(
                Problem(
                    "missing-script",
                    head,
                    f"the version table records {head} but no script defines it; restore "
                    "the script from version control, or record where the database really is "
                    "with `migrate stamp --purge <revision>`",
                )
            )
    for revision, applying in state.items():
        row = applying
        gone = revision not in scripts and revision not in heads
        if gone and row["direction"] in _APPLYING and position[id(row)] > last_stamp:
            problems.append(
                Problem(
                    "missing-script",
                    revision,
                    f"{revision} was applied {when(row)} and never undone, but no script "
                    "defines it any more; restore the script from version control",
                )
            )

    below_heads = ancestors(revision_map, known_heads) if known_heads else set()
    for head in known_heads:
        if head in below_heads:
            problems.append(
                Problem(
                    "not-a-head",
                    head,
                    f"the version table records {head}, which is below another recorded "
                    "revision (the table must hold heads only; something wrote it by hand); "
                    "run `migrate stamp <the real heads>` to rewrite it",
                    _path(scripts, head),
                )
            )

    applied = sorted(below_heads | set(known_heads))
    vouching = [r for r, row in state.items() if row["direction"] in (STAMP, BASELINE)]
    vouching = [r for r in vouching if r in scripts]
    vouched = ancestors(revision_map, vouching) | set(vouching) if vouching else set()
    unchecked: list[str] = []
    for revision in applied:
        path = _path(scripts, revision)
        last = state.get(revision)
        if last is not None and last["direction"] in _APPLYING:
            recorded = last.get("checksum")
            if recorded is None:
                unchecked.append(revision)
                continue
            now = script_checksum(path)
            if now != recorded:
                problems.append(
                    Problem(
                        "checksum-mismatch",
                        revision,
                        f"{path} changed since {revision} was applied {when(last)} "
                        f"(sha256 then {recorded[:12]}, now {(now or 'unreadable')[:12]}); "
                        "undo the edit and put the change in a new revision, or, if the "
                        f"database already matches it, `migrate verify --accept {revision}`",
                        path,
                    )
                )
            continue
        if revision in vouched or not rows:
            unchecked.append(revision)
            continue
        if _stands_for_applied(revision_map, revision, state, vouched):
            continue  # a squash this database passed through the old files it replaces
        above = _applied_above(revision_map, revision, state, applied)
        problems.append(
            Problem(
                "out-of-order",
                revision,
                f"{revision} ({path}) is below applied revision {above} but the log never "
                "applied it here (added to history after that ran: a branch merged late?); "
                "move it above the current head so `migrate upgrade` runs it, or, if its "
                f"changes are already in the database, `migrate verify --accept {revision}`",
                path,
            )
        )

    for revision, row in latest.items():
        if row["outcome"] == RUNNING:
            problems.append(
                Problem(
                    "running",
                    revision,
                    f"{row['direction']} {revision} started {when(row)} and never finished "
                    "(the run was killed or lost its connection, or is still going): check "
                    "what it changed, fix the schema by hand, then run it again or "
                    f"`migrate stamp` the revision the database is really at",
                    _path(scripts, revision),
                )
            )
    return Verification(problems, applied, unchecked)


def _stands_for_applied(
    revision_map: RevisionMap,
    revision: str,
    state: Mapping[str, Mapping[str, Any]],
    vouched: set[str],
) -> bool:
    """`revision` is a squash whose range's last revision this database applied (or has
    vouched for): the squash is that same schema, reached through the old files, so the
    log rightly never applied it."""
    found = revision_map.squashes.get(revision)
    if found is None:
        return False
    top = state.get(found.top)
    return found.top in vouched or (top is not None and top["direction"] in _APPLYING)


def _applied_above(
    revision_map: RevisionMap,
    revision: str,
    state: Mapping[str, Mapping[str, Any]],
    applied: list[str],
) -> str:
    """An applied revision the log did apply that has `revision` below it."""
    for candidate in applied:
        row = state.get(candidate)
        logged = row is not None and row["direction"] == UPGRADE
        if logged and revision in ancestors(revision_map, [candidate]):
            return candidate
    return "the recorded head"


def _path(scripts: Mapping[str, Script], revision: str) -> str | None:
    script = scripts.get(revision)
    return str(script.path) if script is not None else None
