"""The few Alembic names that need a thin object of their own rather than one of ours as is."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from migrate_autogen.script import MigrationScript, OperationList
from migrate_cli.config import Config

#: What `alembic.__version__` reads inside a run: the Alembic release whose API this follows.
#: Code that gates on Alembic's version (`if alembic.__version__ >= "1.7"`) takes the modern path.
ALEMBIC_VERSION = "1.16.0"


class AlembicConfig(Config):
    """`alembic.config.Config`: ours, with Alembic's default section `[alembic]`.

    App code and env.py build one as `Config("alembic.ini")` and read
    `script_location` from it; with our default section `[migrate]` they would read nothing.
    """

    def __init__(
        self,
        file_: str | os.PathLike[str] | None = None,
        ini_section: str = "alembic",
        output_buffer: TextIO | None = None,
        stdout: TextIO | None = None,
        cmd_opts: Any = None,
        config_args: Mapping[str, Any] | None = None,
        attributes: dict[str, Any] | None = None,
        toml_file: str | os.PathLike[str] | None = None,
    ) -> None:
        super().__init__(
            file_,
            ini_section=ini_section,
            output_buffer=output_buffer,
            stdout=stdout,
            cmd_opts=cmd_opts,
            config_args=config_args,
            attributes=attributes,
            toml_file=toml_file,
            toml_section="alembic",
        )


def UpgradeOps(ops: Iterable[Any] = (), upgrade_token: str = "upgrades") -> OperationList:
    """`ops.UpgradeOps(ops=[...])` in a process_revision_directives hook: our operation list.

    The token is not kept: operations a hook adds render under `upgrades`.
    """
    return OperationList(ops)


def DowngradeOps(ops: Iterable[Any] = (), downgrade_token: str = "downgrades") -> OperationList:
    """`ops.DowngradeOps(ops=[...])`: our operation list (see UpgradeOps)."""
    return OperationList(ops)


class ModifyTableOps:
    """`ops.ModifyTableOps`: Alembic's per-table group of operations.

    migrate's operation lists are flat (one operation per item, each naming its
    table), so autogenerate never produces one; hooks that register handlers for
    it (a Dispatcher keyed by operation class) still import and run.
    """

    def __init__(self, table_name: str, ops: Iterable[Any], schema: str | None = None) -> None:
        self.table_name = table_name
        self.ops = list(ops)
        self.schema = schema

    def is_empty(self) -> bool:
        return not self.ops


class Dispatcher:
    """`alembic.util.Dispatcher`: functions registered per class (or name), found along the MRO.

    Hooks such as Keystone's expand/contract splitter dispatch each operation of a
    revision to a function registered for its class.
    """

    def __init__(self, uselist: bool = False) -> None:
        self.uselist = uselist
        self._registry: dict[tuple[Any, str], Any] = {}

    def dispatch_for(self, target: Any, qualifier: str = "default") -> Any:
        def register(fn: Any) -> Any:
            key = (getattr(target, "stands_for", target), qualifier)
            if self.uselist:
                self._registry.setdefault(key, []).append(fn)
            elif key in self._registry:
                raise ValueError(f"a function is already registered for {target!r}")
            else:
                self._registry[key] = fn
            return fn

        return register

    def dispatch(self, obj: Any, qualifier: str = "default") -> Any:
        if isinstance(obj, str):
            candidates: tuple[Any, ...] = (obj,)
        elif isinstance(obj, type):
            candidates = obj.__mro__
        else:
            candidates = type(obj).__mro__
        for candidate in candidates:
            for key in ((candidate, qualifier), (candidate, "default")):
                if key in self._registry:
                    found = self._registry[key]
                    if not self.uselist:
                        return found
                    return lambda *args, **kw: [fn(*args, **kw) for fn in found]
        raise ValueError(f"no function registered for {obj!r}")


def rev_id() -> str:
    """`alembic.util.rev_id()`: a new revision id, as `migrate revision` makes them."""
    return uuid.uuid4().hex[-12:]


class _StandsFor(type):
    """isinstance(x, Facade) is isinstance(x, the migrate class it stands for)."""

    stands_for: type

    def __instancecheck__(cls, instance: Any) -> bool:
        return isinstance(instance, cls.stands_for)


class AlembicMigrationScript(MigrationScript, metaclass=_StandsFor):
    """`ops.MigrationScript(rev_id, upgrade_ops, downgrade_ops, message=..., ...)`.

    Alembic's positional order differs from migrate_autogen.MigrationScript's;
    hooks that build a new script get ours, and `isinstance` and Dispatcher
    registrations against this name match the scripts migrate produces.
    """

    stands_for = MigrationScript

    def __init__(
        self,
        rev_id: str | None,
        upgrade_ops: Iterable[Any],
        downgrade_ops: Iterable[Any],
        message: str | None = None,
        imports: Any = None,
        head: str | None = None,
        splice: bool | None = None,
        branch_label: Any = None,
        version_path: str | None = None,
        depends_on: Any = None,
    ) -> None:
        super().__init__(
            upgrade_ops=OperationList(upgrade_ops),
            downgrade_ops=OperationList(downgrade_ops),
            rev_id=rev_id,
            message=message,
            head=head,
            splice=splice,
            branch_label=branch_label,
            version_path=version_path,
            depends_on=depends_on,
        )
