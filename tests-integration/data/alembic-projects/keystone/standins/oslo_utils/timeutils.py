"""Stand-in for oslo.utils' timeutils.utcnow (a Python-side column default)."""

import datetime


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
