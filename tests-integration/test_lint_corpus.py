"""`migrate lint` over real projects' revision graphs (../shared/corpus): merges, several
heads and bases, branch labels, depends_on. Each revision creates its own table and drops
it again, plus one dangerous step on a table an earlier revision made.

Lint must visit every revision in an order where parents come first, report exactly the
dangerous steps, and with the database at the heads find nothing left to lint.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from dbtesting import LiveDatabase
from liveproject import LiveProject

from migrate_cli import command
from migrate_cli.commands.lint import lint
from migrate_cli.script import ScriptDirectory

# beside the checkout, as on CI; MIGRATE_CORPUS_DIR for a worktree elsewhere
CORPUS = Path(
    os.environ.get("MIGRATE_CORPUS_DIR")
    or Path(__file__).resolve().parents[2] / "shared" / "corpus"
)
NAMES = ("pypi__warehouse", "PnX-SI__GeoNature", "lsst-dm__daf_butler_migrate")


def _headers(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    path = CORPUS / f"{name}.json"
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"revision corpus not found at {CORPUS} (CI=true: it must be present)")
        pytest.skip(f"revision corpus not found at {CORPUS}")
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text())
    return json.loads(path.read_text()), expected


def _materialize(project: LiveProject, headers: dict[str, Any], pruned: set[str]) -> set[str]:
    """Write the revisions; every revision with a parent also adds an index to its
    parent's table (MG201 on PostgreSQL). Returns the revisions that do."""
    indexed = set()
    for entry in headers["revisions"]:
        rev = entry["revision"]
        deps = entry["depends_on"]
        if isinstance(deps, list):
            deps = [d for d in deps if d not in pruned] or None
        elif deps in pruned:
            deps = None
        down = entry["down_revision"]
        parent = down if isinstance(down, str) else None
        upgrade = f'op.create_table("t_{rev}", sa.Column("id", sa.Integer, primary_key=True))'
        downgrade = f'op.drop_table("t_{rev}")'
        if parent:
            upgrade += f'\nop.create_index("ix_{rev}", "t_{parent}", ["id"])'
            downgrade = f'op.drop_index("ix_{rev}", "t_{parent}")\n' + downgrade
            indexed.add(rev)
        project.add(
            rev,
            tuple(down) if entry["down_revision_kind"] == "Tuple" else down,
            upgrade,
            downgrade,
            message=entry.get("doc") or rev,
            depends_on=deps,
            branch_labels=entry["branch_labels"],
        )
    return indexed


@pytest.mark.parametrize("name", NAMES)
def test_lint_over_real_revision_graphs(name: str, tmp_path: Path, db: LiveDatabase) -> None:
    headers, expected = _headers(name)
    project = LiveProject(tmp_path, db)
    indexed = _materialize(project, headers, set(expected.get("pruned_depends_on") or ()))
    config = project.config()
    script_dir = ScriptDirectory.from_config(config)

    report = lint(config, dialect="postgresql", use_database=False)
    assert sorted(report.revisions) == sorted(s.revision for s in script_dir.all_scripts())
    position = {rev: i for i, rev in enumerate(report.revisions)}
    for script in script_dir.all_scripts():
        for parent in script.down_revisions:
            assert position[parent] < position[script.revision]
    found = {(f.code, f.revision) for f in report.findings}
    # the index is on a table an earlier migration made: reported, and nothing else is
    assert found == {("MG201", rev) for rev in indexed}

    # with the database: everything pending on an empty database, all tables empty or new
    pending = lint(config)
    assert pending.used_database and len(pending.revisions) == len(report.revisions)
    assert [f for f in pending.findings if f.code != "MG101"] == []
    command.upgrade(config, "heads")
    assert lint(config).revisions == []
