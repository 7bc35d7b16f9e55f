"""Which of Alembic's names a `migrate` run provides, and what each one is here.

One table, read by two consumers: the import hook that builds the `alembic`
modules for the duration of a run, and the scanner that checks env.py and the
scripts of a plan before anything runs. A name absent from the table is
refused by both, with the advice in `GAPS` when there is some.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

#: Where users read about this (named in every refusal).
DOCS = "docs/migrate-cli/alembic-projects.md"


@dataclass(frozen=True)
class ShimModule:
    """One `alembic...` module: its names, each pointing at ours.

    A value `"alembic.x"` is a submodule; `"pkg.module:attr"` an attribute of ours;
    `"pkg.module"` a module of ours. `forward` names an object whose every public
    attribute is also provided (the `op` proxy, whose methods are Operations').
    """

    names: Mapping[str, str]
    forward: str | None = None
    forward_names: str | None = None  # the class whose public attributes `forward` provides

    @property
    def is_package(self) -> bool:
        return any(value.startswith("alembic.") for value in self.names.values())


def _names(module: str, *names: str) -> dict[str, str]:
    return {name: f"{module}:{name}" for name in names}


_OPS_CLASSES = (
    "AddColumnOp",
    "AddConstraintOp",
    "AlterColumnOp",
    "BulkInsertOp",
    "CreateCheckConstraintOp",
    "CreateExcludeConstraintOp",
    "CreateForeignKeyOp",
    "CreateIndexOp",
    "CreatePrimaryKeyOp",
    "CreateTableCommentOp",
    "CreateTableOp",
    "CreateUniqueConstraintOp",
    "DropColumnOp",
    "DropConstraintOp",
    "DropIndexOp",
    "DropTableCommentOp",
    "DropTableOp",
    "ExecuteSQLOp",
    "MigrateOperation",
    "RenameTableOp",
)

_CONTEXT = "migrate_cli.context"
_COMMANDS = (
    "branches",
    "check",
    "current",
    "downgrade",
    "edit",
    "ensure_version",
    "heads",
    "history",
    "init",
    "list_templates",
    "merge",
    "revision",
    "show",
    "stamp",
    "upgrade",
)

SHIM_MODULES: dict[str, ShimModule] = {
    "alembic": ShimModule(
        {
            "op": "alembic.op",
            "context": "alembic.context",
            "config": "alembic.config",
            "command": "alembic.command",
            "script": "alembic.script",
            "runtime": "alembic.runtime",
            "migration": "alembic.migration",
            "environment": "alembic.environment",
            "operations": "alembic.operations",
            "autogenerate": "alembic.autogenerate",
            "util": "alembic.util",
            "__version__": "migrate_cli.alembic_compat.facades:ALEMBIC_VERSION",
        }
    ),
    "alembic.op": ShimModule(
        {"get_context": f"{_CONTEXT}:get_context"},
        forward="ddl_ops:op",
        forward_names="ddl_ops:Operations",
    ),
    "alembic.context": ShimModule(
        {
            **_names(
                _CONTEXT,
                "begin_transaction",
                "configure",
                "execute",
                "get_bind",
                "get_context",
                "get_head_revision",
                "get_head_revisions",
                "get_revision_argument",
                "get_starting_revision_argument",
                "get_tag_argument",
                "get_x_argument",
                "is_offline_mode",
                "is_transactional_ddl",
                "requires_connection",
                "run_migrations",
                "static_output",
                "config",
                "script",
            ),
        }
    ),
    "alembic.config": ShimModule(
        {"Config": "migrate_cli.alembic_compat.facades:AlembicConfig"},
    ),
    "alembic.command": ShimModule(_names("migrate_cli.command", *_COMMANDS)),
    "alembic.script": ShimModule(
        {
            **_names("migrate_cli.script", "ScriptDirectory", "Script"),
            "revision": "alembic.script.revision",
        }
    ),
    "alembic.script.revision": ShimModule(
        {"ResolutionError": "revgraph:RevisionError", "RevisionError": "revgraph:RevisionError"}
    ),
    "alembic.runtime": ShimModule(
        {"migration": "alembic.runtime.migration", "environment": "alembic.runtime.environment"}
    ),
    "alembic.runtime.migration": ShimModule(
        _names("migrate_cli.runtime.migration", "MigrationContext")
    ),
    "alembic.runtime.environment": ShimModule(
        _names("migrate_cli.runtime.environment", "EnvironmentContext")
    ),
    # Alembic's pre-1.0 locations, still in older env.py files.
    "alembic.migration": ShimModule(_names("migrate_cli.runtime.migration", "MigrationContext")),
    "alembic.environment": ShimModule(
        _names("migrate_cli.runtime.environment", "EnvironmentContext")
    ),
    "alembic.operations": ShimModule(
        {
            **_names("ddl_ops", "Operations", "BatchOperations", "MigrateOperation"),
            "ops": "alembic.operations.ops",
        }
    ),
    "alembic.operations.ops": ShimModule(
        {
            **_names("ddl_ops", *_OPS_CLASSES),
            "MigrationScript": "migrate_cli.alembic_compat.facades:AlembicMigrationScript",
            "UpgradeOps": "migrate_cli.alembic_compat.facades:UpgradeOps",
            "DowngradeOps": "migrate_cli.alembic_compat.facades:DowngradeOps",
            "ModifyTableOps": "migrate_cli.alembic_compat.facades:ModifyTableOps",
        }
    ),
    "alembic.autogenerate": ShimModule(
        {
            **_names(
                "migrate_autogen", "compare_metadata", "produce_migrations", "render_python_code"
            ),
            "Rewriter": "migrate_autogen:Rewriter",
            "rewriter": "alembic.autogenerate.rewriter",
        }
    ),
    "alembic.autogenerate.rewriter": ShimModule({"Rewriter": "migrate_autogen:Rewriter"}),
    "alembic.util": ShimModule(
        {
            "CommandError": "migrate_cli.errors:CommandError",
            "Dispatcher": "migrate_cli.alembic_compat.facades:Dispatcher",
            "rev_id": "migrate_cli.alembic_compat.facades:rev_id",
            "exc": "alembic.util.exc",
        }
    ),
    "alembic.util.exc": ShimModule({"CommandError": "migrate_cli.errors:CommandError"}),
}

#: Alembic names people use that have no equivalent here, and what to do instead.
GAPS: dict[str, str] = {
    "alembic.autogenerate.comparators": (
        "custom comparators register with migrate_autogen.comparators.register(kind, dialect) "
        "and receive migrate_autogen's arguments; port the comparator by hand"
    ),
    "alembic.autogenerate.renderers": (
        "custom renderers register with migrate_autogen.renderers.register(OpClass); "
        "port the renderer by hand"
    ),
    "alembic.autogenerate.render": (
        "custom renderers register with migrate_autogen.renderers.register(OpClass)"
    ),
    "alembic.autogenerate.compare": (
        "custom comparators register with migrate_autogen.comparators.register(kind, dialect)"
    ),
    "alembic.ddl": (
        "dialect implementations are ddl_ops dialects: subclass ddl_ops.DialectImpl and "
        "register it with ddl_ops.register_dialect_impl"
    ),
    "alembic.op.implementation_for": (
        "custom operations register with ddl_ops.register_operation and ddl_ops.register_sql"
    ),
    "alembic.op.register_operation": (
        "custom operations register with ddl_ops.register_operation and ddl_ops.register_sql"
    ),
    "alembic.operations.Operations.register_operation": (
        "custom operations register with ddl_ops.register_operation and ddl_ops.register_sql"
    ),
    "alembic.operations.Operations.implementation_for": (
        "custom operations register with ddl_ops.register_operation and ddl_ops.register_sql"
    ),
    "alembic.config.CommandLine": "run the `migrate` command instead of Alembic's CommandLine",
    "alembic.config.main": "run the `migrate` command (same subcommands) instead",
    "alembic.testing": "use migrate_cli.testing, or test with `migrate` commands",
}


def advice(dotted: str) -> str:
    """What to do about an Alembic name this run does not provide."""
    for name in sorted(GAPS, key=len, reverse=True):
        if dotted == name or dotted.startswith(name + "."):
            return GAPS[name]
    return f"migrate does not provide it; see {DOCS} for what is provided"


def _load(target: str) -> Any:
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, attribute) if attribute else module


@cache
def forwarded_names(module_name: str) -> frozenset[str]:
    """The public attributes a shim module forwards (the Operations methods for `alembic.op`)."""
    shim = SHIM_MODULES[module_name]
    if shim.forward_names is None:
        return frozenset()
    cls = _load(shim.forward_names)
    hidden = {"for_connection", "for_dialect"}  # ddl_ops constructors, not Alembic's
    return frozenset(n for n in dir(cls) if not n.startswith("_") and n not in hidden)


def provides(module_name: str, name: str) -> bool:
    """Whether `from <module_name> import <name>` works inside a run."""
    shim = SHIM_MODULES.get(module_name)
    if shim is None:
        return False
    return name in shim.names or name in forwarded_names(module_name)


def resolve(module_name: str, name: str) -> Any:
    """The object of ours `<module_name>.<name>` stands for; AttributeError with advice if none."""
    shim = SHIM_MODULES[module_name]
    target = shim.names.get(name)
    if target is not None:
        if target.startswith("alembic."):
            return importlib.import_module(target)
        return _load(target)
    if shim.forward is not None and name in forwarded_names(module_name):
        return getattr(_load(shim.forward), name)
    raise AttributeError(
        f"{module_name}.{name} is not available in a migrate run: {advice(f'{module_name}.{name}')}"
    )
