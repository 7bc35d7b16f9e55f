"""`migrate squash` keeps data migrations in their place, and writes no downgrade where the
template and the range have none.

A range is cut at each revision holding data statements or code squash cannot classify:
the pure-schema runs between them become their own schema differences, and such a
revision's upgrade() is carried in its place, as written (live databases:
tests-integration/test_cli_squash*.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from migrate_cli import command
from migrate_cli.commands.squash_scripts import carried_body, segments
from migrate_cli.errors import CommandError
from migrate_cli.script import ScriptDirectory

ACCOUNT = 'op.create_table("account", sa.Column("id", sa.Integer, primary_key=True))'
EXTRA = (
    'op.create_table("extra", sa.Column("id", sa.Integer, primary_key=True),\n'
    '        sa.Column("value", sa.Text))'
)


def _extras_history(project):
    """CKAN's faster_extras in small: d4 copies rows out of `extra`, then drops it."""
    project.write_revision("a1", None, upgrade=ACCOUNT)
    project.write_revision("b2", "a1", upgrade=EXTRA)
    project.write_revision(
        "c3", "b2", upgrade='op.create_index("ix_extra_value", "extra", ["value"])'
    )
    project.write_revision(
        "d4",
        "c3",
        upgrade=(
            'op.add_column("account", sa.Column("extras", sa.Text))\n'
            '    op.execute("UPDATE account SET extras = (SELECT max(value) FROM extra)")\n'
            '    op.drop_index("ix_extra_value", table_name="extra")\n'
            '    op.drop_table("extra")'
        ),
        downgrade=(
            f"{EXTRA}\n"
            '    op.create_index("ix_extra_value", "extra", ["value"])\n'
            '    op.drop_column("account", "extras")'
        ),
    )
    project.write_revision(
        "e5", "d4", upgrade='op.create_table("tag", sa.Column("id", sa.Integer, primary_key=True))'
    )
    project.write_revision("f6", "e5")
    return project


def _members(project, *revisions):
    script = ScriptDirectory.from_config(project.config())
    return [script.scripts[r] for r in revisions]


def test_the_range_is_cut_at_each_revision_carrying_data(project):
    _extras_history(project)
    cut = segments(_members(project, "b2", "c3", "d4", "e5", "f6"))
    assert [([m.revision for m in s.members], s.carried) for s in cut] == [
        (["b2", "c3"], False),
        (["d4"], True),
        (["e5", "f6"], False),
    ]
    assert [s.label for s in cut] == ["b2 .. c3", "d4", "e5 .. f6"]


def test_a_range_without_data_is_one_schema_segment(project):
    _extras_history(project)
    (only,) = segments(_members(project, "a1", "b2", "c3"))
    assert not only.carried and [m.revision for m in only.members] == ["a1", "b2", "c3"]


def test_data_runs_in_its_place_between_the_schema_changes(project, migrate):
    _extras_history(project)
    squash = command.squash(project.config(), "b2:e5", rev_id="sq1")
    source = squash.path.read_text()
    upgrade = source.split("def upgrade")[1].split("def downgrade")[0]
    creates_extra = upgrade.index("'extra'")
    carried = upgrade.index("# REVIEW: data migration carried over from d4")
    copies = upgrade.index('op.execute("UPDATE account SET extras')
    drops = upgrade.index('op.drop_table("extra")')
    assert creates_extra < carried < copies < drops < upgrade.index("'tag'")
    downgrade = source.split("def downgrade")[1]
    assert downgrade.index("drop_table('tag')") < downgrade.index(
        'op.drop_column("account", "extras")'
    )
    assert downgrade.index('op.drop_column("account", "extras")') < downgrade.index(
        "drop_table('extra')"
    )
    # A fresh database runs the squash: the copy finds `extra` still there.
    result = migrate("upgrade", "head")
    assert result.exit_code == 0, result.stderr
    engine = sa.create_engine(f"sqlite:///{project.db_path}")
    assert set(sa.inspect(engine).get_table_names()) == {
        "account",
        "tag",
        "migrate_version",
        "migrate_log",
    }
    engine.dispose()
    assert migrate("downgrade", "a1").exit_code == 0


def test_helpers_defined_beside_a_carried_body_come_with_it(project):
    path = project.write_revision(
        "b2",
        None,
        upgrade=(
            "op.bulk_insert(accounts, rows())\n"
            '    op.execute("""\n'
            "UPDATE account\n"
            '   SET id = id""")'
        ),
    )
    text = path.read_text().replace(
        "\n\ndef upgrade",
        '\naccounts = sa.table("account", sa.column("id"))\n\n\n'
        'def rows():\n    return [{"id": 1}]\n\n\ndef upgrade',
    )
    path.write_text(text)
    (member,) = _members(project, "b2")
    body = carried_body(member, "upgrade")
    assert body is not None
    assert body[0] == "    # Defined beside it in b2_rev.py:"
    assert '    accounts = sa.table("account", sa.column("id"))' in body
    assert "    def rows():" in body and '        return [{"id": 1}]' in body
    # A multi-line string's lines are copied as they are, not re-indented.
    assert body[-3:] == ['    op.execute("""', "UPDATE account", '   SET id = id""")']
    assert carried_body(member, "downgrade") is None  # only `pass`


def _no_downgrade_template(project):
    template = project.script_dir / "script.py.mako"
    text = template.read_text()
    template.write_text(text[: text.index("\n\ndef downgrade")] + "\n")


def test_a_template_without_downgrades_is_fine_when_nothing_downgrades(project, migrate):
    project.write_revision("a1", None, upgrade=ACCOUNT)
    project.write_revision("b2", "a1", upgrade=EXTRA)
    project.write_revision(
        "c3", "b2", upgrade='op.create_index("ix_extra_value", "extra", ["value"])'
    )
    _no_downgrade_template(project)
    result = migrate("squash", "a1:c3", "--rev-id", "sq1")
    assert result.exit_code == 0, result.stderr
    assert (
        "script.py.mako has no ${downgrades} and no replaced revision downgrades: the squash "
        "is written without a downgrade"
    ) in result.stdout
    source = next(project.versions.glob("sq1_*.py")).read_text()
    assert "def downgrade" not in source and "op.create_table(\n        'extra'" in source


def test_a_template_without_downgrades_is_refused_when_a_revision_downgrades(project):
    project.write_revision("a1", None, upgrade=ACCOUNT, downgrade='op.drop_table("account")')
    project.write_revision("b2", "a1", upgrade=EXTRA)
    _no_downgrade_template(project)
    try:
        command.squash(project.config(), "a1:b2", rev_id="sq1")
    except CommandError as error:
        assert "does not place ${downgrades}" in str(error)
    else:
        raise AssertionError("a squash losing a1's downgrade was written")
    assert not list(project.versions.glob("sq1_*.py"))
