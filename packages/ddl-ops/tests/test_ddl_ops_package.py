"""The package imports alone and exposes one version."""

import ddl_ops


def test_version_is_the_single_source() -> None:
    from ddl_ops._version import __version__

    assert ddl_ops.__version__ == __version__
    assert __version__.count(".") == 2
