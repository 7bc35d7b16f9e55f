"""The package imports alone and exposes one version."""

import revgraph


def test_version_is_the_single_source() -> None:
    from revgraph._version import __version__

    assert revgraph.__version__ == __version__
    assert __version__.count(".") == 2
