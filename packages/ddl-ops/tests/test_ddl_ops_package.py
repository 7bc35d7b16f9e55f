"""The package imports alone and exposes one version."""

import ddl_ops


def test_version_is_the_single_source() -> None:
    from ddl_ops._version import __version__

    assert ddl_ops.__version__ == __version__
    assert __version__.count(".") == 2


def test_batch_mode_loads_on_first_use() -> None:
    """`import ddl_ops` and the database modules leave batch's block, recorder and table
    model unloaded (a run with no batch block does not pay for them); the names import."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "import ddl_ops, ddl_ops.dialects.sqlite, ddl_ops.dialects.postgresql\n"
        "import ddl_ops.dialects.mysql\n"
        "ops = ddl_ops.Operations\n"
        "lazy = ('ddl_ops.batch.block', 'ddl_ops.batch.operations', 'ddl_ops.batch.model')\n"
        "print(','.join(m for m in lazy if m in sys.modules))\n"
        "from ddl_ops import BatchError, BatchOperations, batch_alter_table\n"
        "from ddl_ops.batch import BatchOperations as B, batch_alter_table as b\n"
        "assert (B, b) == (BatchOperations, batch_alter_table)\n"
        "assert BatchOperations.__module__ == 'ddl_ops.batch.operations'\n"
        "assert issubclass(BatchError, ddl_ops.DDLOpsError)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_unknown_names_still_raise_attribute_error() -> None:
    import pytest

    import ddl_ops.batch

    with pytest.raises(AttributeError, match="no_such_name"):
        ddl_ops.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match="no_such_name"):
        ddl_ops.batch.no_such_name  # type: ignore[attr-defined]  # noqa: B018
