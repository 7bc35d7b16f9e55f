"""The few Alembic names that need a thin object of their own rather than one of ours as is."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from migrate_autogen.script import OperationList
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
