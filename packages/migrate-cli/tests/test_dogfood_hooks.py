"""A misconfigured post-write hook is found before the revision file is written.

Found by misspelling a hook's type in migrate.ini: `migrate revision` wrote
the file, then failed, leaving a revision the user did not know whether to
keep; running it again wrote a second one.
"""

from __future__ import annotations

from typing import Any

import pytest

Project = Any  # conftest fixtures
Migrate = Any


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"fmt.type": "ruf"}, "post-write hook 'fmt' has unknown type 'ruf'"),
        ({}, "post-write hook 'fmt' has no type"),
    ],
)
def test_bad_hook_is_reported_before_writing(
    project: Project, migrate: Migrate, options: dict[str, str], expected: str
) -> None:
    project.set_option("hooks", "fmt", section="post_write_hooks")
    for name, value in options.items():
        project.set_option(name, value, section="post_write_hooks")

    result = migrate("revision", "-m", "first")

    assert result.exit_code == 1
    assert expected in result.stderr
    assert not list(project.versions.glob("*.py"))
    assert "Generating" not in result.stdout
