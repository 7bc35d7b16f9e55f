"""revgraph against the real Alembic on real projects' histories (shared/corpus).

packages/revgraph/tests/test_corpus.py already checks the shape, per-revision facts, the
walk and the full upgrade against what Alembic recorded; this asks every parity query
(lookups, upgrade/downgrade from several version tables, history ranges) of the live
Alembic too, on each history as published (dangling depends_on pruned, as Alembic needs)
and after ``merge heads`` (a merge of its real heads, the GeoNature case). The CI slice
samples the queries (40 per PARITY_CASES); ``PARITY_CASES=100`` or more asks them all.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from parity.revgraph_compare import (
    MAX_REPORTED,
    alembic_map,
    ask_alembic,
    ask_ours,
    our_map,
    queries,
    reproduction,
    run,
    verdict,
)
from parity.revgraph_dags import Dag, RevSpec
from parity.settings import parity_settings

pytest.importorskip("alembic.script.revision")

ALL_QUERIES_FROM = 100  # PARITY_CASES at which every query is asked


def _corpus_folder() -> Path | None:
    for folder in Path(__file__).resolve().parents:
        candidate = folder / "shared" / "corpus"
        if candidate.is_dir():
            return candidate
    return None


CORPUS = _corpus_folder()
NAMES = sorted(p.name[: -len(".expected.json")] for p in (CORPUS or Path()).glob("*.expected.json"))


def _as_tuple(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def corpus_dag(name: str, merged: bool) -> Dag:
    assert CORPUS is not None
    headers = json.loads((CORPUS / f"{name}.json").read_text())
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text())
    pruned = set(expected.get("pruned_depends_on") or ())
    specs = []
    for entry in headers["revisions"]:
        down = entry["down_revision"]
        specs.append(
            RevSpec(
                entry["revision"],
                tuple(down) if isinstance(down, list) else down,
                _as_tuple(entry["branch_labels"]),
                tuple(d for d in _as_tuple(entry["depends_on"]) if d not in pruned),
            )
        )
    dag = Dag(0, tuple(specs))
    if merged:
        heads = our_map(dag).real_heads
        dag = Dag(0, (*specs, RevSpec("mergeheads0001", heads if len(heads) > 1 else heads[0])))
    return dag


def _require_corpus() -> None:
    if NAMES:
        return
    message = "revision corpus (shared/corpus) not found beside the checkout"
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true: the corpus must be present)")
    pytest.skip(message)


def _several_heads(name: str) -> bool:
    assert CORPUS is not None
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text())
    facts = expected.get("alembic_pruned_dangling_depends_on") or expected["alembic"]
    return len(facts["real_heads"]) > 1


CASES = [(name, False) for name in NAMES] + [(n, True) for n in NAMES if _several_heads(n)]


@pytest.mark.parametrize(
    ("name", "merged"),
    CASES or [("missing", False)],
    ids=[f"{n}-{'after-merge-heads' if m else 'as-published'}" for n, m in CASES] or None,
)
def test_corpus_answers_like_alembic(name: str, merged: bool) -> None:
    _require_corpus()
    settings = parity_settings()
    dag = corpus_dag(name, merged)
    ours, theirs = our_map(dag), alembic_map(dag)
    asked = list(queries(dag, settings.seed))
    if settings.cases < ALL_QUERIES_FROM:
        sample = random.Random(settings.seed).sample(asked, min(len(asked), 40 * settings.cases))
        asked = [asked[0], *sample]  # the shape query always
    failures = []
    for query in asked:
        a = run(lambda q=query: ask_ours(ours, q))
        b = run(lambda q=query: ask_alembic(theirs, q))
        if verdict(dag, query, a, b, ours) == "differs":
            failures.append(query)
    if failures:
        shown = [reproduction(dag, query) for query in failures[:MAX_REPORTED]]
        pytest.fail(
            f"{len(failures)} of {len(asked)} answers differ from Alembic on {name}"
            f"{' after merge heads' if merged else ''}:\n" + "\n".join(shown),
            pytrace=False,
        )
