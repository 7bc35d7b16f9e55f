"""The package imports alone and exposes one version."""

import migrate_cli


def test_version_is_the_single_source() -> None:
    from migrate_cli._version import __version__

    assert migrate_cli.__version__ == __version__
    assert __version__.count(".") == 2
