"""Run one model pair through autogenerate -> render -> upgrade -> compare, ours or Alembic's.

Both runners take a database already holding ``create_all(old)`` and return an
`Outcome`: the rendered upgrade, the error it raised (if any), what a second
comparison still finds, and the schema it left. The Alembic runner uses only
Alembic's public API (produce_migrations, render_python_code, Operations), as a
user of Alembic would, with ``render_as_batch`` on SQLite as its docs advise.
"""

from __future__ import annotations

import re
import textwrap
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from parity.autogen_digest import Digest, differences, digest
from sqlalchemy.dialects import mysql, postgresql, sqlite

import ddl_ops
import migrate_autogen

COMPARE_OPTIONS = {"compare_type": True, "compare_server_default": True}


@dataclass
class Outcome:
    tool: str
    script: str = ""
    error: str | None = None
    leftover: list[str] = field(default_factory=list)
    schema_diff: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return self.error is None and not self.leftover and not self.schema_diff

    def symptoms(self) -> set[str]:
        """What went wrong, in words stable across seeds (for the allow-list and the report)."""
        found: set[str] = set()
        if self.error:
            first = self.error.splitlines()[0]
            code = re.search(r"\((\d{4}), ", first)
            driver = re.search(r"psycopg\.errors\.(\w+)", first)
            # MySQL's error number, PostgreSQL's error class, or the exception's class
            if code:
                found.add(f"error: mysql {code.group(1)}")
            else:
                found.add("error: " + (driver.group(1) if driver else first.split(":")[0]))
        for item in self.leftover:
            kind = re.match(r"\W*(\w+)", item)
            found.add(f"compare again: {kind.group(1) if kind else item[:30]}")
        for line in self.schema_diff:
            aspect = re.match(r"[\w.]+ (\w+):", line)
            found.add(f"schema: {aspect.group(1) if aspect else 'column'}")
        return found

    def explain(self) -> str:
        parts = [f"--- {self.tool}: {'pass' if self.passed else 'FAIL'}", self.script]
        if self.error:
            parts.append(f"error: {self.error}")
        if self.leftover:
            parts.append("compare again found:\n" + "\n".join(self.leftover))
        if self.schema_diff:
            parts.append("schema differs from create_all(new):\n" + "\n".join(self.schema_diff))
        return "\n".join(parts)


def _namespace(op: Any) -> dict[str, Any]:
    return {"sa": sa, "op": op, "mysql": mysql, "postgresql": postgresql, "sqlite": sqlite}


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def run_ours(
    engine: sa.Engine,
    target: sa.MetaData,
    expected: Digest,
    start: sa.MetaData | None = None,
    **render: Any,
) -> Outcome:
    """Our autogenerate, rendered with its defaults (batch on SQLite), run through ddl_ops.

    Given the ``start`` models, the rendered downgrade runs too and must lead back to them.
    """
    outcome = Outcome("ours")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with engine.connect() as conn:
                script = migrate_autogen.produce_migrations(conn, target, **COMPARE_OPTIONS)
            rendered = migrate_autogen.render_migration_script(script, **render)
            outcome.script = rendered.upgrade
            _run_ours(engine, rendered.upgrade, rendered.imports)
            with engine.connect() as conn:
                again = migrate_autogen.compare_metadata(conn, target, **COMPARE_OPTIONS)
                outcome.leftover = [migrate_autogen.render_op(op) for op in again]
                outcome.schema_diff = differences(expected, digest(conn))
            if start is not None and outcome.passed:
                outcome.script += "\n# downgrade\n" + rendered.downgrade
                _run_ours(engine, rendered.downgrade, rendered.imports)
                with engine.connect() as conn:
                    back = migrate_autogen.compare_metadata(conn, start, **COMPARE_OPTIONS)
                    outcome.leftover = [
                        f"after downgrade: {migrate_autogen.render_op(op)}" for op in back
                    ]
    except Exception as error:
        outcome.error = _first_line(error) + "\n" + traceback.format_exc(limit=-3)
    return outcome


def _run_ours(engine: sa.Engine, code: str, imports: list[str]) -> None:
    namespace = _namespace(ddl_ops.op)
    for line in imports:
        exec(line, namespace)
    with engine.begin() as conn, ddl_ops.use_operations(ddl_ops.Operations.for_connection(conn)):
        exec(compile(code, "<our migration>", "exec"), namespace)


def _dedented(code: str) -> str:
    """Alembic indents every line but its first comment for the template's function body."""
    lines = [line for line in code.splitlines() if line.strip() and "# ###" not in line]
    return textwrap.dedent("\n".join(lines))


def run_alembic(engine: sa.Engine, target: sa.MetaData, expected: Digest) -> Outcome:
    """Alembic's autogenerate, rendered as its users would (batch on SQLite), run by Alembic."""
    from alembic.autogenerate import compare_metadata, produce_migrations, render_python_code
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    outcome = Outcome("alembic")
    batch = engine.dialect.name == "sqlite"
    opts = {**COMPARE_OPTIONS, "target_metadata": target, "render_as_batch": batch}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with engine.connect() as conn:
                context = MigrationContext.configure(conn, opts=opts)
                script = produce_migrations(context, target)
                code = render_python_code(
                    script.upgrade_ops, render_as_batch=batch, migration_context=context
                )
            outcome.script = _dedented(code)
            with engine.begin() as conn:
                op = Operations(MigrationContext.configure(conn))
                exec(compile(outcome.script, "<alembic migration>", "exec"), _namespace(op))
            with engine.connect() as conn:
                context = MigrationContext.configure(conn, opts=opts)
                outcome.leftover = [repr(d) for d in compare_metadata(context, target)]
                outcome.schema_diff = differences(expected, digest(conn))
    except Exception as error:
        outcome.error = _first_line(error)
    return outcome
