"""The package imports alone and exposes one version."""

import migrate_autogen


def test_version_is_the_single_source() -> None:
    from migrate_autogen._version import __version__

    assert migrate_autogen.__version__ == __version__
    assert __version__.count(".") == 2
