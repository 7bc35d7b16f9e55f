"""Autogenerate parity: random (old, new) model pairs, ours and Alembic's, on each database.

For each seed and database: ``create_all(new)`` on a fresh database gives the
expected schema; then, for each tool on its own fresh database,
``create_all(old)``, autogenerate, render, run the rendered upgrade, compare
again (must be empty) and reflect (must equal the expected schema). Ours must
pass every case, and its rendered downgrade must lead back to the old models;
Alembic's result is reported beside it. A failure prints the seed and both
models as code (reproduce with ``PARITY_SEED=<seed> PARITY_CASES=1``).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from dbtesting import LiveDatabase, reset_database
from parity.autogen_digest import Digest, digest
from parity.autogen_runners import run_alembic, run_ours
from parity.model_pairs import ModelPair, model_pair
from parity.settings import case_seeds, parity_settings

# Where Alembic is wrong and we are right, by what goes wrong (Outcome.symptoms):
# each entry names its section of docs/differences-from-alembic.md. An Alembic
# failure whose every symptom is listed here is expected; any other is reported.
# A key is a symptom, or "<database>: <symptom>" where only that database shows it.
_DROP_ORDER = "A table is dropped after the foreign keys that reference it are gone"
_FK_ORDER = "Foreign keys are dropped before, and added after, the changes around them"
_FK_REBUILD = "A foreign key MySQL/MariaDB would refuse a change for is rebuilt around it"
ALEMBIC_KNOWN_WRONG: dict[str, str] = {
    "schema: checks": "CHECK constraints are compared",
    "schema: primary_key": "Primary key changes are detected",
    # the SERIAL default of a column joining a composite key
    "postgresql: schema: column_default": "Primary key changes are detected",
    "mariadb: compare again: modify_default": (
        "Server defaults MySQL/MariaDB reflect in their own spelling are not changes"
    ),
    "mariadb: error: mysql 1832": _FK_REBUILD,  # cannot change a column a key uses
    "mariadb: error: mysql 1833": _FK_REBUILD,  # ... a column a key references
    "mariadb: error: mysql 1553": _FK_REBUILD,  # cannot drop the index a key needs
    "sqlite: error: NoSuchTableError": _DROP_ORDER,
    "postgresql: error: DependentObjectsStillExist": _DROP_ORDER,
    "mariadb: error: mysql 1451": _DROP_ORDER,  # cannot drop a table a key references
    "mariadb: error: mysql 1005": _FK_ORDER,  # a key added before its target was retyped
    "mariadb: error: mysql 1830": _FK_ORDER,  # NOT NULL before a SET NULL key was dropped
    "mariadb: compare again: remove_index": _FK_REBUILD,  # the index a dropped key left
    "mariadb: schema: indexes": _FK_REBUILD,
}


# Symptoms that follow from another one Alembic shows in the same case, by database:
# SQLite types an integer key INTEGER (the rowid) only while it is the table's single key,
# so when Alembic misses a key joining a composite key, the column's type is wrong too.
ALEMBIC_CONSEQUENCES: dict[tuple[str, str], str] = {
    ("sqlite", "schema: column_type"): "schema: primary_key",
}
# Cases whose symptoms do not say which difference caused them, each traced by hand
# (PARITY_SEED=<seed> PARITY_CASES=1) to its section.
ALEMBIC_KNOWN_WRONG_CASES: dict[tuple[str, int], str] = {
    # The CHECK on `label` is not compared, so it stays, and the batch copy dropping
    # `label` fails with "no such column: label".
    ("sqlite", 3146): "CHECK constraints are compared",
}


def known_wrong(database: str, symptom: str, seed: int, symptoms: set[str]) -> bool:
    cause = ALEMBIC_CONSEQUENCES.get((database, symptom))
    return (
        symptom in ALEMBIC_KNOWN_WRONG
        or f"{database}: {symptom}" in ALEMBIC_KNOWN_WRONG
        or (database, seed) in ALEMBIC_KNOWN_WRONG_CASES
        or (cause is not None and cause in symptoms and known_wrong(database, cause, seed, set()))
    )


RESULTS: Counter[tuple[str, str, str]] = Counter()  # (database, tool, pass/fail) -> cases
UNEXPLAINED: list[str] = []
SYMPTOMS: Counter[tuple[str, str]] = Counter()  # (database, what went wrong) -> Alembic cases


@pytest.fixture(scope="module", autouse=True)
def report(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print both tools' pass counts per database once the module's cases ran."""
    yield
    if not RESULTS:
        return
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        _write_report(print)


def _write_report(write: Callable[[str], None]) -> None:
    write("")
    write("autogenerate parity (round trip passes / cases):")
    for name in parity_settings().databases:
        counts = {
            tool: (
                RESULTS[name, tool, "pass"],
                RESULTS[name, tool, "pass"] + RESULTS[name, tool, "fail"],
            )
            for tool in ("ours", "alembic")
        }
        if counts["ours"][1]:
            write(
                f"  {name:<11} ours {counts['ours'][0]}/{counts['ours'][1]}   "
                f"alembic {counts['alembic'][0]}/{counts['alembic'][1]}"
            )
    for (name, symptom), count in sorted(SYMPTOMS.items()):
        write(f"  alembic on {name}: {count} x {symptom}")
    for line in UNEXPLAINED:
        write(f"  alembic fails, not on the differences page: {line}")


def fresh_engine(db: LiveDatabase, tmp_path: Path, label: str) -> sa.Engine:
    """An empty database: a new SQLite file, or the server database emptied."""
    if db.name == "sqlite":
        return sa.create_engine(f"sqlite:///{tmp_path / label}.db", poolclass=sa.pool.NullPool)
    reset_database(db)
    return db.engine


def start_from(db: LiveDatabase, tmp_path: Path, label: str, pair: ModelPair) -> sa.Engine:
    engine = fresh_engine(db, tmp_path, label)
    with engine.begin() as conn:
        pair.old.build().create_all(conn)
    return engine


def expected_schema(db: LiveDatabase, tmp_path: Path, pair: ModelPair) -> Digest:
    engine = fresh_engine(db, tmp_path, "expected")
    with engine.begin() as conn:
        pair.new.build().create_all(conn)
    with engine.connect() as conn:
        return digest(conn)


@pytest.mark.parametrize("seed", case_seeds())
def test_autogenerate_round_trip_matches_create_all(
    db: LiveDatabase, tmp_path: Path, seed: int
) -> None:
    if db.name not in parity_settings().databases:
        pytest.skip(f"PARITY_DB leaves out {db.name}")
    pair = model_pair(seed)
    expected = expected_schema(db, tmp_path, pair)
    ours = run_ours(
        start_from(db, tmp_path, "ours", pair), pair.new.build(), expected, pair.old.build()
    )
    theirs = run_alembic(start_from(db, tmp_path, "alembic", pair), pair.new.build(), expected)
    for outcome in (ours, theirs):
        RESULTS[(db.name, outcome.tool, "pass" if outcome.passed else "fail")] += 1
    if not theirs.passed:
        symptoms = theirs.symptoms()
        unexplained = sorted(s for s in symptoms if not known_wrong(db.name, s, seed, symptoms))
        for symptom in unexplained or ["(all on the differences page)"]:
            SYMPTOMS[db.name, symptom] += 1
        if unexplained and ours.passed:
            UNEXPLAINED.append(f"{db.name} seed {seed}: {'; '.join(unexplained)}")
    assert ours.passed, f"{db.name}, {pair.describe()}\n{ours.explain()}\n{theirs.explain()}"
