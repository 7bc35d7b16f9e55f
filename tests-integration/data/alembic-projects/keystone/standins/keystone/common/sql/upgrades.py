"""Stand-in for `keystone.common.sql.upgrades`: what autogen.py reads, with upstream's values.

VERSIONS_PATH is the copied project's `migrations/versions` (upstream: next to this module).
"""

import os

EXPAND_BRANCH = "expand"
CONTRACT_BRANCH = "contract"
MIGRATION_BRANCHES = (EXPAND_BRANCH, CONTRACT_BRANCH)
RELEASES = ("yoga", "bobcat", "2024.1", "2025.2", "2026.1")
CURRENT_RELEASE = RELEASES[-1]
VERSIONS_PATH = os.path.join(os.getcwd(), "migrations", "versions")


def get_version_branch_path(release=None, branch=None):
    if branch and release:
        return os.path.join(VERSIONS_PATH, release, branch)
    return VERSIONS_PATH


def check_bootstrap_new_branch(branch, version_path, addn_kwargs):
    addn_kwargs["version_path"] = version_path
    addn_kwargs["head"] = f"{branch}@head"
    os.makedirs(version_path, mode=0o755, exist_ok=True)
