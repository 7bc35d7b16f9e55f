"""Real histories where one head is only depended on (GeoNature's ign_bd_alti pair).

In PnX-SI/GeoNature, ``87651375c2e8`` (label ``ign_bd_alti_vector``) has no parent but
``depends_on = ['1715cf31a75d']`` (label ``ign_bd_alti``, another root). Both have no child,
so both are heads; only ``87651375c2e8`` is a real head. ``upgrade heads`` records just the
real head in the version table, so every "is the database up to date?" check must compare
with the real heads, as Alembic's ``check`` does with ``get_revisions("heads")``.
"""

from __future__ import annotations

from typing import Any

import pytest

Project = Any
Migrate = Any


@pytest.fixture
def geonature_dem(project: Project) -> Project:
    """The two GeoNature revisions, headers as published (the pruned dependency left out)."""
    project.write_revision(
        "1715cf31a75d",
        None,
        "Insert default French DEM (IGN 250m BD alti)",
        branch_labels=["ign_bd_alti"],
        upgrade="op.create_table('dem', sa.Column('id', sa.Integer, primary_key=True))",
        downgrade="op.drop_table('dem')",
    )
    project.write_revision(
        "87651375c2e8",
        None,
        "Vectorize French DEM",
        branch_labels=["ign_bd_alti_vector"],
        depends_on=["1715cf31a75d"],
        upgrade="op.create_table('dem_vector', sa.Column('id', sa.Integer, primary_key=True))",
        downgrade="op.drop_table('dem_vector')",
    )
    return project


def _with_metadata(project: Project) -> None:
    """env.py compares against a model that matches what the two revisions create."""
    (project.root / "dem_models.py").write_text(
        "import sqlalchemy as sa\nmetadata = sa.MetaData()\n"
        'sa.Table("dem", metadata, sa.Column("id", sa.Integer, primary_key=True))\n'
        'sa.Table("dem_vector", metadata, sa.Column("id", sa.Integer, primary_key=True))\n'
    )
    env = project.script_dir / "env.py"
    env.write_text(
        env.read_text().replace(
            "target_metadata = None",
            "import importlib, sys\nsys.path.insert(0, config.config_file_dir.as_posix())\n"
            "target_metadata = importlib.import_module('dem_models').metadata",
        )
    )


def test_upgrade_heads_records_only_the_real_head(geonature_dem: Project, migrate: Migrate):
    assert migrate("upgrade", "heads").exit_code == 0
    current = migrate("current")
    assert current.stdout.split() == ["87651375c2e8", "(ign_bd_alti_vector)", "(head)"]


def test_check_passes_after_upgrade_heads(geonature_dem: Project, migrate: Migrate):
    _with_metadata(geonature_dem)
    assert migrate("upgrade", "heads").exit_code == 0
    result = migrate("check")
    assert result.exit_code == 0, result.stderr


def test_check_still_refuses_a_database_behind(geonature_dem: Project, migrate: Migrate):
    _with_metadata(geonature_dem)
    assert migrate("upgrade", "ign_bd_alti@head").exit_code == 0
    result = migrate("check")
    assert result.exit_code == 1
    assert "not at the head(s) 87651375c2e8;" in result.stderr


def test_current_check_heads_passes_after_upgrade_heads(geonature_dem: Project, migrate: Migrate):
    assert migrate("upgrade", "heads").exit_code == 0
    result = migrate("current", "--check-heads")
    assert result.exit_code == 0, result.stderr
    assert migrate("--json", "current").json()["at_head"] is True


def test_current_check_heads_refuses_a_database_behind(geonature_dem: Project, migrate: Migrate):
    assert migrate("upgrade", "ign_bd_alti@head").exit_code == 0
    result = migrate("current", "--check-heads")
    assert result.exit_code == 1
    assert "not at the head(s) 87651375c2e8;" in result.stderr


def _history_ids(result: Any) -> list[str]:
    return [line.split(" -> ")[1].split()[0].rstrip(",") for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    "rev_range", ["1715cf31a75d:87651375c2e8", "ign_bd_alti@head:ign_bd_alti_vector@head"]
)
def test_history_range_reaches_an_end_that_only_depends_on_the_start(
    geonature_dem: Project, migrate: Migrate, rev_range: str
):
    result = migrate("history", "-r", rev_range)
    assert result.exit_code == 0, result.stderr
    assert _history_ids(result) == ["87651375c2e8", "1715cf31a75d"]


def test_history_from_a_depended_on_root_lists_what_upgrade_would_apply(
    geonature_dem: Project, migrate: Migrate
):
    result = migrate("history", "-r", "1715cf31a75d:heads")
    assert _history_ids(result) == ["87651375c2e8", "1715cf31a75d"]
