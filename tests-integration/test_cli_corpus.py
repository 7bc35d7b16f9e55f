"""Real projects' revision histories (../shared/corpus) migrated on live databases.

Each revision of the corpus becomes a file that creates a table named after it and drops
it again. ``upgrade heads`` must apply them in an order where every parent and dependency
comes first (for single-head histories, exactly Alembic's order), record the real heads,
pass ``current --check-heads``, and ``downgrade base`` must take every table out again.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path
from typing import Any

import pytest
from dbtesting import LiveDatabase
from liveproject import LiveProject

from migrate_cli import command
from migrate_cli.commands.database import current
from migrate_cli.commands.history_log import verify

# shared/corpus beside the checkout (or beside the folder of several worktrees).
CORPUS = next(
    (
        folder / "shared" / "corpus"
        for folder in Path(__file__).resolve().parents
        if (folder / "shared" / "corpus").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "corpus",
)
# The larger histories, one of each shape: merges, several labelled trees, depends_on.
NAMES = ("pypi__warehouse", "PnX-SI__GeoNature", "lsst-dm__daf_butler_migrate")
RUNNING = re.compile(r"Running upgrade .*? -> ([^\s,]+)")


def _load(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    path = CORPUS / f"{name}.json"
    if not path.exists():
        message = f"revision corpus not found at {CORPUS}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: the corpus must be present)")
        pytest.skip(message)
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text())
    return json.loads(path.read_text()), expected


def _literal(entry: dict[str, Any]) -> Any:
    """down_revision with the literal kind the project wrote (tuple, list, str or None)."""
    down = entry["down_revision"]
    return tuple(down) if entry["down_revision_kind"] == "Tuple" else down


def _materialize(project: LiveProject, headers: dict[str, Any], pruned: set[str]) -> None:
    for entry in headers["revisions"]:
        rev = entry["revision"]
        deps = entry["depends_on"]
        if isinstance(deps, list):
            deps = [d for d in deps if d not in pruned] or None
        elif deps in pruned:
            deps = None
        table = f"t_{rev}"
        project.add(
            rev,
            _literal(entry),
            f'op.create_table("{table}", sa.Column("id", sa.Integer, primary_key=True))',
            f'op.drop_table("{table}")',
            message=entry.get("doc") or rev,
            depends_on=deps,
            branch_labels=entry["branch_labels"],
        )


@pytest.mark.parametrize("name", NAMES)
def test_corpus_upgrades_and_downgrades(
    name: str, tmp_path: Path, db: LiveDatabase, caplog: pytest.LogCaptureFixture
) -> None:
    headers, expected = _load(name)
    facts = expected.get("alembic_pruned_dangling_depends_on") or expected["alembic"]
    project = LiveProject(tmp_path, db)
    _materialize(project, headers, set(expected.get("pruned_depends_on") or ()))
    with caplog.at_level(logging.INFO, logger="migrate_cli"):
        command.upgrade(project.config(), "heads")
    applied = RUNNING.findall(caplog.text)
    per_revision = facts["per_revision"]
    position = {rev: i for i, rev in enumerate(applied)}
    assert sorted(applied) == sorted(per_revision)
    for rev, info in per_revision.items():
        before = info["down_revisions"] + info["resolved_dependencies"]
        assert all(position[b] < position[rev] for b in before), rev
    if len(facts["heads"]) == 1:
        # With several heads the order between trees follows file order, which differs here.
        assert applied == facts["upgrade_order_base_to_heads"]
    assert sorted(project.heads()) == sorted(facts["real_heads"])
    current(project.config(), check_heads=True)
    assert project.tables() >= {f"t_{rev}" for rev in per_revision}
    # merges, labelled trees and depends_on: no false out-of-order or not-a-head
    assert all(found.ok and not found.unchecked for found in verify(project.config()))
    command.downgrade(project.config(), "base")
    assert project.heads() == ()
    assert project.tables() == {"migrate_version", "migrate_log"}
    assert all(found.ok for found in verify(project.config()))
