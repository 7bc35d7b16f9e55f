"""`migrate fleet` targets, shards and state file, without a database server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate_cli.errors import CommandError
from migrate_cli.fleet.state import read_state
from migrate_cli.fleet.targets import (
    FleetTarget,
    check_unique,
    expand_env,
    parse_shard,
    read_url_file,
)


def test_url_file_skips_comments_and_expands_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("H17_PASSWORD", "s3cret")
    monkeypatch.setenv("H17_HOST", "db1")
    urls = tmp_path / "urls.txt"
    urls.write_text(
        "# tenants\n\n"
        "postgresql+psycopg://app:${H17_PASSWORD}@$H17_HOST/tenant_a  # the first\n"
        "   sqlite:///a$$b.db\n"
    )
    targets = read_url_file(urls)
    assert [t.url for t in targets] == [
        "postgresql+psycopg://app:s3cret@db1/tenant_a",
        "sqlite:///a$b.db",
    ]
    assert targets[0].source == f"{urls}:3"
    assert targets[0].identity == "postgresql+psycopg://app@db1/tenant_a"
    assert "s3cret" not in targets[0].label


def test_a_missing_variable_names_the_file_and_line(tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text("sqlite:///ok.db\nmysql+pymysql://root:${H17_NOT_SET_ANYWHERE}@h/db\n")
    with pytest.raises(CommandError, match=r"urls\.txt:2: environment variable H17_NOT_SET"):
        read_url_file(urls)
    with pytest.raises(CommandError, match="x:1"):
        expand_env("$NOPE_H17", "x:1", environ={})


def test_an_empty_or_missing_url_file_is_an_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n")
    with pytest.raises(CommandError, match="names no database"):
        read_url_file(empty)
    with pytest.raises(CommandError, match="cannot read the URL file"):
        read_url_file(tmp_path / "absent.txt")


def test_identity_never_holds_a_password() -> None:
    target = FleetTarget("postgresql://u:pw@h:5433/db?sslpassword=pw2&sslmode=require")
    assert "pw" not in target.identity.replace("sslmode", "")
    assert target.identity == "postgresql://u@h:5433/db?sslmode=require"
    assert FleetTarget("postgresql://u:pw@h/db", schema="t1").identity.endswith("#schema=t1")


def test_a_schema_target_connects_with_that_schema_alone_on_its_search_path() -> None:
    url = FleetTarget("postgresql+psycopg://u@h/db", schema="tenant_1").connection_url()
    assert url == "postgresql+psycopg://u@h/db?options=-csearch_path%3Dtenant_1"
    odd = FleetTarget("postgresql+psycopg://u@h/db?options=-cx%3D1", schema="Big One")
    assert '-cx=1 -csearch_path="Big\\ One"' in odd.connection_url().replace("%3D", "=").replace(
        "%22", '"'
    ).replace("%5C", "\\").replace("+", " ").replace("%20", " ")
    with pytest.raises(CommandError, match="needs a PostgreSQL URL"):
        FleetTarget("sqlite:///x.db", schema="a").connection_url()


def test_the_same_database_twice_is_refused() -> None:
    first = FleetTarget("postgresql://a:1@h/db", source="urls.txt:1")
    again = FleetTarget("postgresql://a:2@h/db", source="urls.txt:4")
    with pytest.raises(CommandError, match=r"urls\.txt:4 names the same target as urls\.txt:1"):
        check_unique([first, again])


@pytest.mark.parametrize("count", [1, 2, 3, 7])
def test_shards_cover_every_target_exactly_once(count: int) -> None:
    targets = [FleetTarget("postgresql://h/db", schema=f"tenant_{n}") for n in range(300)]
    owners = [[k for k in range(count) if parse_shard(f"{k}/{count}").owns(t)] for t in targets]
    assert all(len(found) == 1 for found in owners)
    if count > 1:  # a hash, not a block: every shard gets a share
        assert {found[0] for found in owners} == set(range(count))


def test_shards_are_stable_and_ignore_the_password() -> None:
    shard = parse_shard("1/3")
    one = FleetTarget("mysql+pymysql://root:a@h/tenant_9")
    assert shard.owns(one) == shard.owns(FleetTarget("mysql+pymysql://root:b@h/tenant_9"))


@pytest.mark.parametrize("text", ["3/3", "1", "-1/2", "a/b", "0/0"])
def test_a_bad_shard_is_a_clear_error(text: str) -> None:
    with pytest.raises(CommandError, match="--shard"):
        parse_shard(text)


def test_state_file_keeps_each_targets_last_record_and_skips_a_cut_line(tmp_path: Path) -> None:
    state = tmp_path / "state.jsonl"
    lines = [
        {"event": "run", "goal": "upgrade r3"},
        {"event": "target", "target": "a", "outcome": "failed", "goal": "upgrade r3"},
        {"event": "target", "target": "b", "outcome": "ok", "goal": "upgrade r3"},
        {"event": "target", "target": "a", "outcome": "ok", "goal": "upgrade r3"},
        {"event": "target", "target": "c", "outcome": "ok", "goal": "upgrade r2"},
    ]
    state.write_text("\n".join(json.dumps(line) for line in lines) + '\n{"event": "tar')
    previous = read_state(state)
    assert previous.done("a", "upgrade r3") and previous.done("b", "upgrade r3")
    assert previous.done("c", "upgrade r3") is None  # reached another goal: runs again
    assert previous.done("d", "upgrade r3") is None
    state.write_text("not json\n" + json.dumps(lines[1]) + "\n")
    with pytest.raises(CommandError, match="state.jsonl:1"):
        read_state(state)
    with pytest.raises(CommandError, match="no state file"):
        read_state(tmp_path / "missing.jsonl")
