"""ddl-ops against the real Alembic: random operation sequences, identical reflected schemas.

For each seed a generator (parity/ddl_op_sequences.py) writes a sequence of operations valid
on the database: tables, columns (type, nullability, server default, rename, comment),
indexes (unique, partial), unique/CHECK/foreign-key constraints, table renames and comments,
and batch blocks (always on SQLite; sometimes with recreate="always" elsewhere). Alembic's
``Operations`` runs it on one fresh database, ours on another; reflection must agree. The
same case written as SQL (``--sql``) must run unchanged in the database's own client and
give the schema our live run gave.

Where we deliberately differ from Alembic, ``KNOWN_DIFFERENCES`` names the entry of
docs/differences-from-alembic.md and says how the comparison allows for it; nothing else
may differ. Reproduce one case with ``PARITY_SEED=<seed> PARITY_CASES=1``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase
from parity.ddl_op_sequences import (
    BATCH_REBUILD_AS_ALTER,
    BATCH_SPLIT,
    COLUMN_SEQUENCE,
    MYSQL_HINTS,
    PG_BATCH_SERIAL,
    SQLITE_ROWID_KEY,
    Case,
    generate_case,
)
from parity.ddl_ops_runner import (
    alembic_op,
    ours_op,
    run_live,
    run_offline,
    sibling_engine,
)
from parity.schema_snapshot import Snapshot, diff_snapshots
from parity.settings import case_seeds

DOCS = Path(__file__).resolve().parents[2] / "docs" / "differences-from-alembic.md"


@dataclass(frozen=True)
class KnownDifference:
    """A documented difference: the docs heading, and how the comparison allows for it."""

    docs_heading: str
    allowance: str
    adjust_alembic_snapshot: Callable[[Snapshot], Snapshot] | None = None


# The one allow-list: step tags (set by the generator) -> the docs entry that explains them.
KNOWN_DIFFERENCES: dict[str, KnownDifference] = {
    MYSQL_HINTS: KnownDifference(
        docs_heading="MySQL/MariaDB `alter_column` keeps what the caller did not mention",
        allowance="ours runs without the existing_* hints, Alembic with all of them given",
    ),
    PG_BATCH_SERIAL: KnownDifference(
        docs_heading="PostgreSQL batch rebuild keeps the serial column's sequence name",
        allowance="Alembic runs the block as ALTER statements (no rebuild)",
    ),
    BATCH_SPLIT: KnownDifference(
        docs_heading="Batch: a block of changes gives the schema the same changes give one by one",
        allowance="Alembic runs each change of a multi-change block in a block of its own",
    ),
    BATCH_REBUILD_AS_ALTER: KnownDifference(
        docs_heading="Batch rebuild on PostgreSQL and MySQL/MariaDB keeps what the table had",
        allowance="Alembic runs the block as ALTER statements (no rebuild)",
    ),
    SQLITE_ROWID_KEY: KnownDifference(
        docs_heading="SQLite: an `INTEGER PRIMARY KEY` retyped in batch stays the rowid",
        allowance="Alembic is given BigInteger().with_variant(Integer(), 'sqlite')",
    ),
    COLUMN_SEQUENCE: KnownDifference(
        docs_heading="A column's `Sequence` is created with its table or column",
        allowance="Alembic's run creates the sequence by op.execute(CreateSequence) first",
    ),
}


@dataclass
class Verdict:
    """How one case went: None when everything agreed, else the kind of failure and details."""

    kind: str | None
    details: str = ""


def check_case(case: Case, engines: dict[str, sa.Engine], dialect: sa.Dialect) -> Verdict:
    tags = {tag for step in case.steps for tag in step.tags}
    unknown = tags - set(KNOWN_DIFFERENCES)
    assert not unknown, f"steps tagged {unknown} have no KNOWN_DIFFERENCES entry"
    theirs = run_live(engines["alembic"], case.code("alembic"), alembic_op)
    ours = run_live(engines["ours"], case.code("ours"), ours_op)
    if theirs.error and ours.error:
        return Verdict("both-fail", f"alembic: {theirs.error}\nours:    {ours.error}")
    if ours.error:
        return Verdict("ours-fail", f"ours: {ours.error}")
    if theirs.error:
        return Verdict("alembic-fail", f"alembic: {theirs.error}")
    assert theirs.snapshot is not None and ours.snapshot is not None
    expected = theirs.snapshot
    for tag in sorted(tags):
        adjust = KNOWN_DIFFERENCES[tag].adjust_alembic_snapshot
        if adjust is not None:
            expected = adjust(expected)
    lines = diff_snapshots(expected, ours.snapshot, ("alembic", "ours"))
    if lines:
        return Verdict("schema-differs", "\n".join(lines))
    offline = run_offline(engines["offline"], dialect, case.code("offline"))
    if offline.error:
        return Verdict("offline-fail", f"{offline.error}\n--- script ---\n{offline.script or ''}")
    assert offline.snapshot is not None
    lines = diff_snapshots(ours.snapshot, offline.snapshot, ("live", "offline"))
    if lines:
        details = "\n".join(lines)
        return Verdict("offline-differs", f"{details}\n--- script ---\n{offline.script}")
    return Verdict(None)


def same_failure(found: Verdict, wanted: Verdict) -> bool:
    """The same kind of failure, and for an error the same error (not a new one the removal
    of a needed step caused)."""
    if found.kind != wanted.kind:
        return False
    if found.kind in ("schema-differs", "offline-differs"):
        return True
    return found.details.splitlines()[:2] == wanted.details.splitlines()[:2]


def shrink(case: Case, failing: Verdict, judge: Callable[[Case], Verdict]) -> tuple[Case, Verdict]:
    """Drop steps one at a time while the case still fails the same way (at most 40 tries).

    An offline failure is not shrunk: a batch step's copy_from describes the table as the
    whole case leaves it, so without an earlier step it would describe another table."""
    if failing.kind in ("offline-fail", "offline-differs"):
        return case, failing
    tries = 0
    index = len(case.steps) - 1
    while index >= 0 and tries < 40:
        candidate = replace(case, steps=case.steps[:index] + case.steps[index + 1 :])
        tries += 1
        verdict = judge(candidate)
        if same_failure(verdict, failing):
            case, failing = candidate, verdict
        index -= 1
    return case, failing


def report(case: Case, verdict: Verdict) -> str:
    tags = sorted({t for s in case.steps for t in s.tags})
    alembic_note = ""
    if any(s.alembic_code for s in case.steps):
        alembic_note = f"\n--- Alembic ran (known differences {tags}) ---\n{case.code('alembic')}"
    return (
        f"ddl-ops parity {verdict.kind} on {case.database}, seed {case.seed} "
        f"(rerun: PARITY_SEED={case.seed} PARITY_CASES=1 PARITY_DB={case.database})\n"
        f"{verdict.details}\n--- minimal reproduction (ops) ---\n{case.code('ours')}"
        f"{alembic_note}"
    )


@pytest.fixture
def engines(db: LiveDatabase, tmp_path: Path) -> Any:
    made = {
        "alembic": db.engine,
        "ours": sibling_engine(db.url, "b", tmp_path),
        "offline": sibling_engine(db.url, "c", tmp_path),
    }
    if db.name == "sqlite":
        made["alembic"] = sa.create_engine(
            f"sqlite:///{tmp_path / 'parity_a.db'}", poolclass=sa.pool.NullPool
        )
    yield made
    for engine in made.values():
        engine.dispose()


def generator_name(db: LiveDatabase) -> str:
    return "mariadb" if db.name in ("mariadb", "mysql") else db.name


@pytest.mark.parametrize("seed", case_seeds())
def test_ddl_ops_matches_alembic(db: LiveDatabase, engines: dict[str, Any], seed: int) -> None:
    with db.engine.connect() as conn:  # the dialect learns the server version and flavour
        conn.exec_driver_sql("SELECT 1")
    dialect = db.engine.dialect
    case = generate_case(seed, generator_name(db))
    verdict = check_case(case, engines, dialect)
    if verdict.kind is None:
        return
    small, small_verdict = shrink(case, verdict, lambda c: check_case(c, engines, dialect))
    pytest.fail(report(small, small_verdict), pytrace=False)


def test_every_allowed_difference_is_documented() -> None:
    """The allow-list may only name differences the docs page explains."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Operations (ddl-ops)", 1)[1].split("\n## ", 1)[0]
    headings = re.findall(r"^### (.+)$", section, re.MULTILINE)
    for difference in KNOWN_DIFFERENCES.values():
        assert difference.docs_heading in headings, (
            f"KNOWN_DIFFERENCES names {difference.docs_heading!r}, which is not a heading under "
            "'Operations (ddl-ops)' in docs/differences-from-alembic.md"
        )


def test_cases_are_reproducible() -> None:
    """The same seed gives the same steps, so a printed seed reproduces its case."""
    for database in ("sqlite", "postgresql", "mariadb"):
        assert generate_case(7, database).code() == generate_case(7, database).code()
