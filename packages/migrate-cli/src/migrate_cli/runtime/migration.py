"""MigrationContext: runs a plan of steps on one connection, or writes it as SQL text.

It ties one run together: its transactions (decided by RunTransactions),
the database lock and when it is held, the version table, and binding
`ddl_ops.op` while each script runs. Programs
use it directly to ask whether a database is at head:

    context = MigrationContext.configure(connection)
    context.get_current_heads() == tuple(sorted(script_directory.get_heads()))
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import TYPE_CHECKING, Any, Protocol, TextIO

import sqlalchemy as sa
from sqlalchemy.engine import Dialect

from migrate_cli.config import Config
from migrate_cli.errors import CommandError
from migrate_cli.runtime.databases import database_for
from migrate_cli.runtime.dialect_choice import run_dialect
from migrate_cli.runtime.heads import HeadChange, HeadTracker
from migrate_cli.runtime.locking import DEFAULT_LOCK_TIMEOUT, database_lock, lock_name
from migrate_cli.runtime.migration_log import LogEntry, migration_log_for
from migrate_cli.runtime.progress import Progress
from migrate_cli.runtime.script_source import ScriptSource
from migrate_cli.runtime.step_errors import offline_step_error, run_outcome, step_error
from migrate_cli.runtime.step_record import StepRecorder
from migrate_cli.runtime.steps import RevisionStep, StampStep, Step, import_scripts
from migrate_cli.runtime.transactions import RunTransactions
from migrate_cli.runtime.version_table import (
    DEFAULT_VERSION_TABLE,
    VersionTable,
    build_version_table,
    refuse_alembic_database,
)

if TYPE_CHECKING:  # ddl_ops is imported when a run starts, not when this module is
    from ddl_ops import DialectImpl, Operations

log = logging.getLogger(__name__)

PlanFunction = Callable[[tuple[str, ...], "MigrationContext"], Sequence[Step]]


class RunEnvironment(Protocol):
    """What a run reads of the env.py environment that configured it.

    `EnvironmentContext` is one; owned here because the environment is built on this
    module, not the other way round.
    """

    @property
    def config(self) -> Config: ...
    @property
    def report(self) -> dict[str, Any]: ...
    @property
    def migrated_databases(self) -> list[str]: ...


@contextmanager
def _loaded_objects_frozen() -> Iterator[None]:
    """Keep the collector's full collections off what was loaded before the steps run.

    The modules, the imported scripts and the revision map live until the run ends, and a
    run allocates enough to trigger a full collection that walks all of them again (60-80
    ms in a 1,000-migration run, a tenth of our own time). `gc.freeze()` sets them aside
    for the run and `gc.unfreeze()` hands them back after; objects made during the run are
    collected as usual. Left alone where the caller froze objects itself (its unfreeze is
    its own) or turned the collector off.
    """
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


class MigrationContext:
    """The database side of one run: a connection (or an SQL writer) and its options."""

    def __init__(
        self,
        dialect: Dialect,
        connection: sa.Connection | None,
        opts: dict[str, Any],
        environment_context: RunEnvironment | None = None,
    ) -> None:
        self.dialect = dialect
        self.connection = connection
        self.opts = opts
        self.environment_context = environment_context
        self.as_sql: bool = bool(opts.get("as_sql", False))
        self.script: ScriptSource | None = opts.get("script")
        self.transaction_per_migration: bool = bool(opts.get("transaction_per_migration", False))
        self.impl = _dialect_impl(dialect)
        #: What this run does differently on this database (lock, transactions, foreign keys).
        self.database = database_for(dialect)
        configured = opts.get("transactional_ddl")  # env.py's override
        self.transactional_ddl: bool = (
            bool(configured)
            if configured is not None
            else self.database.transactional_ddl(self.impl)
        )
        self.lock_timeout = float(opts.get("lock_timeout", DEFAULT_LOCK_TIMEOUT))
        self.output_buffer: TextIO = opts.get("output_buffer") or sys.stdout
        self.literal_binds = bool(opts.get("literal_binds", self.as_sql))
        self.version = VersionTable(
            build_version_table(
                opts.get("version_table") or DEFAULT_VERSION_TABLE,
                opts.get("version_table_schema"),
                opts.get("version_table_pk", True),
            )
        )
        self.history = migration_log_for(opts, self.config, self.version.table.schema)
        #: Writes each step's version change and log row (held back in one-transaction runs).
        self.recorder = StepRecorder(self.version, self.history, self.database)
        self._start_from_rev: str | None = opts.get("starting_rev")
        self._run_start_heads: tuple[str, ...] = ()
        self._operations: Operations | None = None
        self.transactions = RunTransactions(
            connection,
            database=self.database,
            as_sql=self.as_sql,
            transactional_ddl=self.transactional_ddl,
            per_migration=self.transaction_per_migration,
            lock_timeout=self.lock_timeout,
            write_statement=self._emit_text,
            begin_statement=self.impl.begin_statement,
            commit_statement=self.impl.commit_statement,
        )
        if connection is not None:
            # An autocommit_block() commits the version rows so far: their log rows too.
            self.transactions.before_commit = lambda: self.recorder.flush(connection)

    # -- construction ---------------------------------------------------------------------------

    @classmethod
    def configure(
        cls,
        connection: sa.Connection | None = None,
        url: str | sa.URL | None = None,
        dialect_name: str | None = None,
        dialect: Dialect | None = None,
        environment_context: RunEnvironment | None = None,
        dialect_opts: dict[str, Any] | None = None,
        opts: dict[str, Any] | None = None,
    ) -> MigrationContext:
        """Build a context from a live connection, or for offline use from a URL or dialect name."""
        chosen = run_dialect(connection, url, dialect_name, dialect, dialect_opts)
        return cls(chosen, connection, dict(opts or {}), environment_context)

    # -- reading the version table --------------------------------------------------------------

    @property
    def bind(self) -> sa.Connection | None:
        return self.connection

    @property
    def config(self) -> Config | None:
        return self.environment_context.config if self.environment_context is not None else None

    def get_current_heads(self) -> tuple[str, ...]:
        """The revisions the database is at (sorted; () for a fresh database)."""
        if self.as_sql:
            return self._offline_start_heads()
        if self.recorder.held is not None:
            self.recorder.held.flush()  # a script asking mid-run sees the steps before it
        return self.version.read_heads(self._live_connection())

    def get_current_revision(self) -> str | None:
        """The one current revision, or None; an error when the database has several heads."""
        heads = self.get_current_heads()
        if len(heads) > 1:
            raise CommandError(
                f"the database has several heads ({', '.join(heads)}); "
                "use get_current_heads() or `migrate current`"
            )
        return heads[0] if heads else None

    def _offline_start_heads(self) -> tuple[str, ...]:
        start = self._start_from_rev
        if start is None or start == "base":
            return ()
        if self.script is None:
            return (start,)
        try:
            return tuple(self.script.revision_map.resolve(start))
        except Exception as error:
            raise CommandError(f"bad starting revision {start!r}: {error}") from error

    def _script_source(self) -> ScriptSource:
        """The script directory a run plans over (configure() got it from the command)."""
        if self.script is None:
            raise CommandError(
                "context.run_migrations() needs the script directory: run env.py through "
                "a migrate command"
            )
        return self.script

    def _live_connection(self) -> sa.Connection:
        return self.transactions._connection()

    # -- transactions ---------------------------------------------------------------------------

    def begin_transaction(self, _per_migration: bool = False) -> AbstractContextManager[Any]:
        """The transaction env.py (or the runner, per migration) wraps migrations in.

        See RunTransactions: nothing inside a caller's own transaction; one
        for the whole run where DDL is transactional; one per migration with
        transaction_per_migration or where DDL is not transactional.
        """
        return self.transactions.begin(per_migration=_per_migration)

    def autocommit_block(self) -> AbstractContextManager[None]:
        """Run the block outside the migration transaction (same as op.autocommit_block())."""
        return self.operations.autocommit_block()

    # -- running --------------------------------------------------------------------------------

    @property
    def operations(self) -> Operations:
        """The ddl_ops Operations scripts' `op` is bound to for this run."""
        if self._operations is None:
            import ddl_ops

            if self.as_sql:
                # The dialect object, not its name: a mariadb:// URL or a server
                # version must shape the SQL (e.g. DROP CONSTRAINT vs DROP CHECK).
                self._operations = ddl_ops.Operations.for_dialect(
                    self.dialect,
                    output=self.output_buffer,
                    literal_binds=self.literal_binds,
                    transactional_ddl=self.transactional_ddl,
                    naming_convention=self._naming_convention(),
                )
            else:
                self._operations = ddl_ops.Operations.for_connection(
                    self._live_connection(),
                    transaction_control=self.transactions,
                    naming_convention=self._naming_convention(),
                )
        return self._operations

    def _naming_convention(self) -> dict[str, Any] | None:
        """target_metadata's naming convention, so `op.create_foreign_key(None, ...)` and
        the CHECKs types make get the names `create_all()` would give them.

        With several MetaData objects, the first that sets a convention of its own wins.
        """
        metadata = self.opts.get("target_metadata")
        candidates = metadata if isinstance(metadata, (list, tuple)) else [metadata]
        conventions = [dict(md.naming_convention) for md in candidates if md is not None]
        default = dict(sa.MetaData().naming_convention)
        custom = [c for c in conventions if c != default]
        found = custom or conventions
        return found[0] if found else None

    def execute(
        self, sql: str | sa.Executable, execution_options: dict[str, Any] | None = None
    ) -> Any:
        """Run a statement on the connection, or write it in offline mode."""
        if self.as_sql:
            self.operations.execute(sql)
            return None
        connection = self._live_connection()
        stmt = sa.text(sql) if isinstance(sql, str) else sql
        return connection.execute(stmt, execution_options=execution_options)

    def _emit_text(self, text: str) -> None:
        """Write BEGIN/COMMIT into the --sql script (offline runs only)."""
        from ddl_ops import OfflineSQLContext

        context = self.operations.context
        assert isinstance(context, OfflineSQLContext)  # write_statement: --sql only
        context.write_statement(text)

    def _emit_comment(self, text: str) -> None:
        self.operations.context.write_comment(text)

    def run_migrations(self, **kw: Any) -> None:
        """Take the lock, read the heads, plan, and apply each step with its version update."""
        plan = self.opts.get("fn")
        if plan is None:
            raise CommandError(
                "context.run_migrations() was called outside a migrate command; "
                "run env.py through `migrate upgrade` and friends"
            )
        if self.as_sql:
            self._run_offline(plan, kw)
            return
        connection = self._live_connection()
        log.info("Context impl %s.", type(self.impl).__name__)
        log.info(
            "Will assume %s DDL.",
            "transactional" if self.transactional_ddl else "non-transactional",
        )
        transactions = self.transactions
        lock = ExitStack()
        try:
            with self.begin_transaction():
                try:
                    self._take_lock(connection, lock)
                    if self.database.write_lock_per_transaction:
                        transactions.suspend_foreign_keys()
                        self.database.begin_write(connection, self.lock_timeout)
                    self._run_online(connection, plan, kw, recheck=not transactions.whole_run)
                except BaseException:
                    # Roll back before the lock is released: PostgreSQL refuses any statement,
                    # the unlock included, in a transaction a failed migration aborted.
                    transactions.rollback_now()
                    if not transactions.external:
                        self.recorder.write_failure(connection)
                    lock.close()
                    raise
                if transactions.is_open:
                    # env.py commits after run_migrations() returns: hold the lock until then,
                    # or the next run could read the heads before this run's commit.
                    transactions.after_end(lock.pop_all().close)
                else:
                    lock.close()
            idle = transactions.current is None and not transactions.external
            if idle and connection.in_transaction():
                connection.commit()  # the lock release autobegan one; leave the connection idle
        finally:
            if transactions.current is None and not transactions.external:
                if connection.in_transaction():
                    connection.rollback()  # a failure before the first migration's transaction
                transactions.restore_foreign_keys()

    def _take_lock(self, connection: sa.Connection, stack: ExitStack) -> None:
        """Take the migration lock, between transactions where the run owns them.

        Taken in its own short transaction, the lock comes before the snapshot
        the migration transaction reads the heads with, even under REPEATABLE
        READ (MySQL's default) or SERIALIZABLE. Inside a caller's transaction
        it is taken there and ends with it; elsewhere it is a session lock that
        survives autocommit_block() and transaction_per_migration's commits.
        """
        if not self.opts.get("lock", True):
            return
        name = lock_name(self.version.table.name, self.version.table.schema)
        external = self.transactions.external
        if external or self.database.write_lock_per_transaction:
            stack.enter_context(
                database_lock(
                    connection, name, transaction_scoped=external, timeout=self.lock_timeout
                )
            )
            return
        with self.transactions.between():
            stack.enter_context(database_lock(connection, name, timeout=self.lock_timeout))

    def _run_online(
        self, connection: sa.Connection, plan: PlanFunction, kw: dict[str, Any], recheck: bool
    ) -> None:
        heads = self.version.read_heads(connection)
        self._run_start_heads = heads
        if self.config is not None:  # `migrate fleet`'s worker records (and checks) the start
            self.config.observe_run_start(self, heads)
        if self.environment_context is not None:
            self.environment_context.report["heads"] = sorted(heads)
        steps = list(plan(heads, self))
        if not steps:
            return
        import_scripts(steps)
        if not heads:
            refuse_alembic_database(connection, self.version, steps)
        self.version.create(connection)
        self.history.create(connection, heads)
        tracker = HeadTracker(self._script_source().revision_map, heads)
        progress = Progress(len(steps), quiet=self._quiet)
        if self._may_hold_version_writes():
            self.recorder.hold_versions(connection, heads)
        self.recorder.plan(steps)
        with _loaded_objects_frozen():
            try:
                index = 0
                while index < len(steps):
                    if self._stop_requested():
                        break
                    step = steps[index]
                    with self.begin_transaction(_per_migration=True):
                        if recheck and self.database.write_lock_per_transaction:
                            self.database.begin_write(connection, self.lock_timeout)
                            current = self.version.read_heads(connection)
                            if set(current) != set(tracker.heads):
                                # Another run got in between two of our transactions: re-plan.
                                steps = list(plan(current, self))
                                import_scripts(steps)
                                self.recorder.plan(steps)  # the rows not started yet go
                                tracker = HeadTracker(tracker.revision_map, current)
                                index = 0
                                progress = Progress(len(steps), quiet=self._quiet)
                                continue
                        self._apply_step(step, tracker, progress, kw, connection)
                    index += 1
                self.recorder.finish_run(connection)
            finally:
                self.recorder.held = None
                progress.close()

    def _stop_requested(self) -> bool:
        """`migrate fleet`'s first Ctrl-C: stop between two migrations, keeping those done.

        What ran is recorded in the version table (and committed with the run),
        so the database is at a revision of its history, never half-way.
        """
        return self.config is not None and self.config.stop_between_migrations()

    def _may_hold_version_writes(self) -> bool:
        """Whether the version rows may be written once, just before the run's one commit.

        Only where the run owns one transaction with transactional DDL: nothing
        commits in between (an autocommit_block() flushes first). Not inside
        a caller's transaction, which the caller may commit after an error, nor
        with on_version_apply callbacks, which may read the table after each step.
        """
        transactions = self.transactions
        return (
            self.transactional_ddl
            and not self.transaction_per_migration
            and not transactions.external
            and not self.opts.get("on_version_apply")
        )

    @property
    def _quiet(self) -> bool:
        """-q/--quiet and --json runs show no progress line."""
        config = self.config
        return config is not None and (config.quiet or config.json_output)

    def _apply_step(
        self,
        step: Step,
        tracker: HeadTracker,
        progress: Progress,
        kw: dict[str, Any],
        connection: sa.Connection,
    ) -> None:
        description = step.describe()
        progress.start(description)
        where = f" ({step.path})" if step.path else ""
        self.transactions.running = f"{step.direction} {step.revision_id}{where}"
        before = tuple(tracker.heads)
        entry: LogEntry | None = None
        try:
            entry = self._begin_log_entry(step, connection)
            self._run_script(step, kw)
            change = step.move_heads(tracker)
            defer = self.transactions.whole_run
            self.recorder.record(connection, entry, step, change, tracker.heads, defer)
        except BaseException as error:
            self.history.note_failure(entry, error)
            self._raise_step_error(step, error, before)
        elapsed = progress.finish(step.movement)
        self._report(step, elapsed, tracker)
        self._notify(step, tracker, kw)

    def _begin_log_entry(self, step: Step, connection: sa.Connection) -> LogEntry:
        """Without transactional DDL, a `running` row before the script starts (the script's
        first DDL statement commits it: see migration_log and planned_log)."""
        running = not self.transactional_ddl and not self.transactions.external
        return self.recorder.begin(step, connection, mark_running=running)

    def _raise_step_error(self, step: Step, error: BaseException, before: tuple[str, ...]) -> None:
        """Re-raise a step's failure as one line naming the step and what it left behind."""
        replacement = step_error(step, error, self._outcome(before))
        if replacement is error:
            raise error
        raise replacement from error

    def _outcome(self, before: tuple[str, ...]) -> str:
        """What a step that stopped half-way leaves behind; `before` is what it started from."""
        here = None
        if self.connection is not None:
            here = self.connection.engine.url.render_as_string(hide_password=True)
        return run_outcome(
            before=before,
            run_start=self._run_start_heads,
            transactional_ddl=self.transactional_ddl,
            per_migration=self.transaction_per_migration,
            external=self.transactions.external,
            earlier=(
                self.environment_context.migrated_databases
                if self.environment_context is not None
                else None
            ),
            here=here,
        )

    def _report(self, step: Step, elapsed: float, tracker: HeadTracker) -> None:
        """What ran, for the command's --json result."""
        if self.environment_context is not None:
            report = self.environment_context.report
            report["applied"].append(
                {
                    "revision": step.revision_id,
                    "direction": step.direction,
                    "description": step.describe(),
                    "seconds": round(elapsed, 6),
                }
            )
            report["heads"] = sorted(tracker.heads)

    def _run_script(self, step: Step, kw: dict[str, Any]) -> None:
        if not isinstance(step, RevisionStep) or not step.script:
            return
        import ddl_ops

        with ddl_ops.use_operations(self.operations):
            step.run(**kw)

    def _notify(self, step: Step, tracker: HeadTracker, kw: dict[str, Any]) -> None:
        callbacks = self.opts.get("on_version_apply") or ()
        for callback in callbacks if isinstance(callbacks, (list, tuple)) else (callbacks,):
            callback(ctx=self, step=step, heads=set(tracker.heads), run_args=kw)

    def _run_offline(self, plan: PlanFunction, kw: dict[str, Any]) -> None:
        heads = self._offline_start_heads()
        steps = list(plan(heads, self))
        import_scripts(steps)
        tracker = HeadTracker(self._script_source().revision_map, heads)
        purges = any(isinstance(step, StampStep) and step.purge for step in steps)
        with self.begin_transaction():
            if not heads and steps and not purges:
                self.operations.execute(sa.schema.CreateTable(self.version.table))
            if steps:
                self.history.write_create(self.operations.execute, self.dialect.name)
            for step in steps:
                with self.begin_transaction(_per_migration=True):
                    self._emit_comment(f"Running {step.describe()}")
                    self._run_script_offline(step, kw)
                    change = step.move_heads(tracker)
                    if isinstance(step, StampStep) and step.purge:
                        # Offline the rows are unknown (--purge is for rows no script
                        # defines): empty the table, then record the new heads.
                        self.operations.execute(self.version.table.delete())
                        change = HeadChange((), tuple(tracker.heads))
                    self.version.write(self.operations.execute, change)
                    self.history.write_step(
                        self.operations.execute, step, change, self.dialect.name
                    )
            if steps and not tracker.heads:
                self.operations.execute(sa.schema.DropTable(self.version.table))

    def _run_script_offline(self, step: Step, kw: dict[str, Any]) -> None:
        """A failing script names itself; the command then writes none of the script."""
        try:
            self._run_script(step, kw)
        except Exception as error:
            raise offline_step_error(step, error) from error

    def ensure_version_table(self) -> None:
        """Create the version table if missing (offline: write its CREATE TABLE)."""
        if self.as_sql:
            self.operations.execute(sa.schema.CreateTable(self.version.table))
        else:
            self.version.create(self._live_connection())

    # -- stamping -------------------------------------------------------------------------------

    def stamp(self, script_directory: ScriptSource, revision: str) -> None:
        """Record `revision` as the database's head without running anything (no lock taken)."""
        connection = self._live_connection()
        targets = tuple(script_directory.revision_map.resolve(revision))
        heads = self.version.read_heads(connection)
        self.version.create(connection)
        tracker = HeadTracker(script_directory.revision_map, heads)
        step = StampStep(targets, purge=not targets, from_heads=heads)
        change = step.move_heads(tracker)
        self.version.record(connection, change)
        self.history.record_now(connection, step, change, heads)


def _dialect_impl(dialect: Dialect) -> DialectImpl:
    import ddl_ops

    return ddl_ops.get_dialect_impl(dialect)
