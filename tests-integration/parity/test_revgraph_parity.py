"""revgraph against the real Alembic: the same answer on random histories, or both refuse.

For each seed (``case_seeds()``), one random history (``revgraph_dags``) is loaded into
``alembic.script.revision.RevisionMap`` and into ``revgraph.RevisionMap``, and every query a
user's command reaches is asked of both:

- the shape: heads, bases, real heads/bases, branch and merge points, per-revision children,
  inherited branch labels, normalized dependencies;
- lookups (``get_revisions``/``get``): ids, unique/ambiguous/short prefixes, labels,
  ``label@head``/``label@heads``/``label@base``/``label@<prefix>``, ``head``/``heads``/
  ``base``, ``-N``, ``label@-N``;
- ``upgrade`` from several version-table states to absolute and relative targets
  (``+N``, ``rev+N``, ``label@+N``...): Alembic's ``iterate_revisions(target, current,
  implicit_base=True)`` reversed, against ``upgrade_plan``;
- ``downgrade`` likewise (``select_for_downgrade=True`` against ``downgrade_plan``);
- ``history -r lower:upper`` for every pair of range ends (``walk_revisions`` against
  ``iterate_range``) and the full walk.

Answers must be equal, or both sides must raise errors of corresponding kinds
(``ERROR_KINDS``). The only differences allowed are the ones in ``revgraph_allowed``,
each keyed by its heading in docs/differences-from-alembic.md. A failure prints the seed,
the command that reruns it alone and a shrunk history as code with the query.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from parity.revgraph_allowed import DOCS, DOCUMENTED
from parity.revgraph_compare import (
    MAX_REPORTED,
    Outcome,
    Query,
    alembic_map,
    ask_alembic,
    ask_ours,
    constructors,
    our_map,
    queries,
    reproduction,
    run,
    verdict,
)
from parity.revgraph_dags import CORRUPTIONS, corrupted, random_dag
from parity.settings import case_seeds

pytest.importorskip("alembic.script.revision")


@dataclass
class Tally:
    seeds: int = 0
    queries: int = 0
    documented: dict[str, int] = field(default_factory=dict)
    differing: int = 0
    seconds: float = 0.0


TALLY = Tally()


class _TallyReport:
    """A plugin registered at run time: prints the tally in pytest's closing summary."""

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not TALLY.seeds:
            return
        allowed = ", ".join(f"{k!r}: {v}" for k, v in sorted(TALLY.documented.items()))
        terminalreporter.write_line(
            f"revgraph parity: {TALLY.seeds} seeds, {TALLY.queries} queries compared, "
            f"{TALLY.differing} differ, {TALLY.seconds:.1f}s comparing; documented "
            f"differences skipped: {allowed or 'none'}"
        )


@pytest.fixture(scope="module", autouse=True)
def _report_tally(request: pytest.FixtureRequest) -> None:
    plugins = request.config.pluginmanager
    if not plugins.has_plugin("revgraph-parity-tally"):
        plugins.register(_TallyReport(), "revgraph-parity-tally")


@pytest.mark.parametrize("seed", case_seeds())
def test_revgraph_answers_like_alembic(seed: int) -> None:
    started = time.perf_counter()
    dag = random_dag(seed)
    ours_map = run(lambda: our_map(dag))
    theirs_map = run(lambda: alembic_map(dag))
    TALLY.seeds += 1
    if ours_map.error or theirs_map.error:
        TALLY.queries += 1
        if ours_map.error and theirs_map.error:
            return
        pytest.fail(f"loading differs\n{dag.as_code()}\nours: {ours_map}\nalembic: {theirs_map}")
    ours, theirs = ours_map.value, theirs_map.value
    failures: list[tuple[Query, Outcome, Outcome]] = []
    for query in queries(dag, seed):
        TALLY.queries += 1
        a = run(lambda q=query: ask_ours(ours, q))
        b = run(lambda q=query: ask_alembic(theirs, q))
        found = verdict(dag, query, a, b, ours)
        if found is None:
            continue
        if found != "differs":
            TALLY.documented[found] = TALLY.documented.get(found, 0) + 1
            continue
        TALLY.differing += 1
        failures.append((query, a, b))
    TALLY.seconds += time.perf_counter() - started
    if failures:
        shown = [reproduction(dag, query) for query, _, _ in failures[:MAX_REPORTED]]
        pytest.fail(
            f"{len(failures)} answer(s) differ from Alembic for seed {seed}:\n" + "\n".join(shown),
            pytrace=False,
        )


@pytest.mark.parametrize("seed", case_seeds())
def test_broken_histories_are_refused_like_alembic(seed: int) -> None:
    """One mistake of each kind (dangling reference, cycle, label used twice, id used
    twice...) put into the seed's history: both libraries must refuse to load it."""
    dag = random_dag(seed)
    rng = random.Random(seed)
    failures = []
    for kind in CORRUPTIONS:
        bad = corrupted(dag, kind, rng)
        if bad is None:
            continue
        TALLY.queries += 1
        ours = run(lambda b=bad: our_map(b).heads)
        theirs = run(lambda b=bad: alembic_map(b).heads)
        found = verdict(bad, Query("load", None, kind), ours, theirs, None)
        if found == "differs":
            code = "\n".join(constructors(bad))
            failures.append(f"{kind}:\n{code}\n  ours: {ours}\n  alembic: {theirs}")
        elif found is not None:
            TALLY.documented[found] = TALLY.documented.get(found, 0) + 1
    if failures:
        pytest.fail(f"seed {seed}: loading differs from Alembic\n" + "\n".join(failures))


def test_every_allowed_difference_is_documented() -> None:
    """The allow-list names docs headings; a renamed or removed entry must fail here."""
    docs = Path(__file__).resolve().parents[2] / DOCS
    headings = {
        line[4:].strip() for line in docs.read_text().splitlines() if line.startswith("### ")
    }
    missing = [name for name in DOCUMENTED if name not in headings]
    assert not missing, f"allow-list entries with no heading in {DOCS}: {missing}"
