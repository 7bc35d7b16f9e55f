"""Stand-in for `CTFd.models.db`: the migrations use only its column types (db.Integer, db.Text)."""

import sqlalchemy as db  # noqa: F401  (Flask-SQLAlchemy's db exposes SQLAlchemy's names)
