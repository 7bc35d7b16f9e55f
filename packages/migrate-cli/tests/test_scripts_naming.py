"""File names from file_template, slugs, revision ids and time zones."""

from __future__ import annotations

import datetime as dt

import pytest

from migrate_cli.errors import CommandError
from migrate_cli.script import naming

WHEN = dt.datetime(2026, 3, 7, 9, 5, 2, tzinfo=dt.timezone.utc)


def test_default_template_is_rev_and_slug() -> None:
    assert (
        naming.render_file_name(naming.DEFAULT_FILE_TEMPLATE, "ae10", "add_x", WHEN) == "ae10_add_x"
    )


def test_every_token() -> None:
    template = (
        "%(year)d_%(month).2d_%(day).2d_%(hour).2d%(minute).2d%(second).2d"
        "_%(epoch)s_%(rev)s_%(slug)s"
    )
    name = naming.render_file_name(template, "r1", "s", WHEN)
    assert name == f"2026_03_07_090502_{int(WHEN.timestamp())}_r1_s"


def test_template_may_make_subdirectories() -> None:
    assert naming.render_file_name("%(year)d/%(month).2d/%(rev)s", "r1", "", WHEN) == "2026/03/r1"


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("%(rev)s_%(nope)s", "unknown token 'nope'"),
        ("%(rev)s_%(slug)d", "malformed"),
        ("/abs/%(rev)s", "not a relative path"),
        ("../%(rev)s", "not a relative path"),
        ("%(rev", "malformed"),
    ],
)
def test_bad_templates(template: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        naming.render_file_name(template, "r1", "slug", WHEN)


def test_slug_words_lowercase_and_truncation_at_a_word() -> None:
    assert naming.slugify("Add user.email column!") == "add_user_email_column"
    assert naming.slugify(None) == ""
    assert naming.slugify("one two three four", truncate=9) == "one_two_"
    assert naming.slugify("abcdefghijkl", truncate=5) == "abcde_"


def test_generated_ids_are_twelve_hex_digits_and_unique() -> None:
    ids = {naming.new_revision_id() for _ in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 12 and int(i, 16) >= 0 for i in ids)


@pytest.mark.parametrize("rev_id", ["a@b", "a+1", "a-b", "a:b", "has space", "", "head", "base"])
def test_bad_rev_ids(rev_id: str) -> None:
    with pytest.raises(CommandError):
        naming.check_revision_id(rev_id)


def test_good_rev_id() -> None:
    assert naming.check_revision_id("0001_initial") == "0001_initial"


def test_timezones() -> None:
    assert naming.parse_timezone(None) is None
    assert naming.parse_timezone("UTC") is dt.timezone.utc
    with pytest.raises(CommandError, match="not a known IANA zone"):
        naming.parse_timezone("Mars/Olympus_Mons")
