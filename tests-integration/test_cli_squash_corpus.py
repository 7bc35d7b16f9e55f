"""`migrate squash` on real projects' histories (../shared/corpus) on live databases.

Each corpus revision becomes a file creating one table (as in test_cli_corpus.py). A linear
stretch of three revisions is squashed; databases at every revision from just before the
stretch to just after it (and an empty one) are brought there through the original files,
then upgraded with the squash present: each must end with the original history's schema
and heads.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from dbtesting import LiveDatabase, reset_database
from liveproject import LiveProject
from test_cli_corpus import _materialize

import migrate_cli
from migrate_cli import command
from migrate_cli.schema_snapshot import schema_differences, schema_snapshot
from migrate_cli.script import ScriptDirectory

NAMES = ("CTFd__CTFd", "getredash__redash")
# ../shared/corpus beside the repository, or beside a worktree's parent folder.
_ROOT = Path(__file__).resolve().parents[1]
CORPUS = next(
    (
        p
        for p in (_ROOT.parent / "shared" / "corpus", _ROOT.parents[1] / "shared" / "corpus")
        if p.is_dir()
    ),
    _ROOT.parent / "shared" / "corpus",
)


def _load(name: str) -> tuple[dict[str, Any], dict[str, Any]]:
    path = CORPUS / f"{name}.json"
    if not path.exists():
        message = f"revision corpus not found at {CORPUS}"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI=true: the corpus must be present)")
        pytest.skip(message)
    expected = json.loads((CORPUS / f"{name}.expected.json").read_text())
    return json.loads(path.read_text()), expected


STRETCH = 3


def linear_stretch(project: LiveProject) -> list[str]:
    revision_map = ScriptDirectory.from_config(project.config()).revision_map

    def plain(rev_id: str) -> bool:
        rev = revision_map.get(rev_id)
        return (
            len(rev.down_revisions) == 1
            and len(rev.nextrev) == 1
            and rev.all_nextrev == rev.nextrev
            and not rev.declared_branch_labels
            and not rev.depends_on
        )

    order = [r.revision for r in revision_map.upgrade_plan((), "heads")]
    for start in range(len(order) // 2, len(order) - STRETCH):
        window = order[start : start + STRETCH]
        chained = all(
            revision_map.get(window[i + 1]).down_revisions == (window[i],)
            for i in range(STRETCH - 1)
        )
        if chained and all(plain(r) for r in window):
            return window
    return []


def snapshot(project: LiveProject) -> dict:
    with project.engine.connect() as conn:
        return schema_snapshot(conn, exclude={"migrate_version"})


def fresh(db: LiveDatabase) -> None:
    if db.name == "sqlite":
        Path(db.url.database).unlink(missing_ok=True)
    else:
        reset_database(db)


@pytest.mark.parametrize("name", NAMES)
def test_squashed_real_history_reaches_the_same_schema(name, tmp_path, db):
    headers, expected = _load(name)
    project = LiveProject(tmp_path, db)
    template = Path(migrate_cli.__file__).parent / "templates" / "generic" / "script.py.mako"
    (project.env_dir / "script.py.mako").write_text(template.read_text())
    _materialize(project, headers, set(expected.get("pruned_depends_on") or ()))
    stretch = linear_stretch(project)
    assert len(stretch) == STRETCH, f"{name}: no linear stretch to squash"
    command.upgrade(project.config(), "heads")
    original_schema, original_heads = snapshot(project), set(project.heads())

    squash = command.squash(
        project.config(),
        f"{stretch[0]}:{stretch[-1]}",
        rev_id="squash0",
        scratch_prefix="h14_squash",
    )
    script = ScriptDirectory.from_config(project.config())
    before = script.get_revision(stretch[0]).down_revision
    after = script.revision_map.get(stretch[-1]).nextrev  # from the replaced top's own links
    aside = tmp_path / "squash0.aside"
    for start in [None, before, *stretch, *after]:
        fresh(db)
        if start is not None:
            squash.path.rename(aside)
            command.upgrade(project.config(), start)
            aside.rename(squash.path)
        command.upgrade(project.config(), "heads")
        assert set(project.heads()) == original_heads, (name, start)
        assert schema_differences(original_schema, snapshot(project)) == [], (name, start)
