"""Stand-in for the template's `app.models`: env.py needs only `SQLModel.metadata`."""

from sqlmodel import SQLModel  # noqa: F401
