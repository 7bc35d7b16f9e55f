"""Revision ids, message slugs and file names from `file_template`."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from migrate_cli.errors import CommandError

#: Characters a revision id may not contain: targets use them as syntax (label@rev, rev+2, a:b).
ILLEGAL_ID_CHARACTERS = frozenset("@+-:, \t\n")

DEFAULT_FILE_TEMPLATE = "%(rev)s_%(slug)s"
DEFAULT_TRUNCATE_SLUG_LENGTH = 40
FILE_TEMPLATE_TOKENS = ("rev", "slug", "epoch", "year", "month", "day", "hour", "minute", "second")

_WORD = re.compile(r"\w+")


def new_revision_id() -> str:
    """Twelve random hex digits: short enough to type, long enough never to collide in practice."""
    import secrets

    return secrets.token_hex(6)


def check_revision_id(rev_id: str, kind: str = "revision id", option: str = "--rev-id") -> str:
    """Refuse ids the target syntax cannot express (`label@rev`, `rev+2`, `a:b`).

    Branch labels follow the same rules; `kind` and `option` name what was given.
    """
    if not rev_id or rev_id != rev_id.strip():
        raise CommandError(f"{kind} {rev_id!r} must be non-empty, without surrounding spaces")
    bad = sorted(ILLEGAL_ID_CHARACTERS.intersection(rev_id))
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise CommandError(
            f"{kind} {rev_id!r} contains {shown}, which revision targets use as syntax; "
            f"choose another {option}"
        )
    if rev_id in {"head", "heads", "base", "current"}:
        raise CommandError(f"{kind} {rev_id!r} is a reserved word; choose another {option}")
    return rev_id


def slugify(message: str | None, truncate: int = DEFAULT_TRUNCATE_SLUG_LENGTH) -> str:
    """`Add user.email column!` -> `add_user_email_column`, cut at a word boundary."""
    slug = "_".join(_WORD.findall(message or "")).lower()
    if len(slug) > truncate:
        cut = slug[:truncate]
        slug = (cut.rsplit("_", 1)[0] if "_" in cut else cut) + "_"
    return slug


def parse_timezone(name: str | None) -> dt.tzinfo | None:
    """The zone for create dates and file names; None means local time."""
    if not name:
        return None
    if name.upper() == "UTC":
        return dt.timezone.utc
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CommandError(
            f"timezone {name!r} is not a known IANA zone (e.g. UTC, Europe/Paris); "
            "install `tzdata` if this system has no zone database"
        ) from None


def now(zone: dt.tzinfo | None) -> dt.datetime:
    return dt.datetime.now(zone) if zone is not None else dt.datetime.now()


def render_file_name(template: str, rev_id: str, slug: str, create_date: dt.datetime) -> str:
    """The script's path below its version directory, without `.py` (may contain `/`)."""
    values = {
        "rev": rev_id,
        "slug": slug,
        "epoch": int(create_date.timestamp()),
        "year": create_date.year,
        "month": create_date.month,
        "day": create_date.day,
        "hour": create_date.hour,
        "minute": create_date.minute,
        "second": create_date.second,
    }
    try:
        name = template % values
    except KeyError as error:
        raise CommandError(
            f"file_template {template!r} uses unknown token {error.args[0]!r}; "
            f"available: {', '.join(FILE_TEMPLATE_TOKENS)}"
        ) from None
    except (ValueError, TypeError) as error:
        raise CommandError(f"file_template {template!r} is malformed: {error}") from None
    parts = Path(name).parts
    if not name.strip() or Path(name).is_absolute() or ".." in parts:
        raise CommandError(
            f"file_template {template!r} gives {name!r}, not a relative path inside a "
            "version directory"
        )
    return name
