"""The import-layer contracts hold on the tree, and a wrong-way import breaks them.

`nox -s lint` runs the same contracts; this test also shows that they are not
vacuous: a copy of the sources with one upward import (hidden inside a
function, where a lazy import would put it) must fail the check.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = {
    "revgraph": ROOT / "packages/revgraph/src/revgraph",
    "ddl_ops": ROOT / "packages/ddl-ops/src/ddl_ops",
    "migrate_autogen": ROOT / "packages/autogen/src/migrate_autogen",
    "migrate_cli": ROOT / "packages/migrate-cli/src/migrate_cli",
}
CONFIGS = [ROOT / "importlinter.ini", *sorted(ROOT.glob("packages/*/importlinter.ini"))]

LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which(
    "lint-imports"
)
pytestmark = pytest.mark.skipif(
    LINT_IMPORTS is None,
    reason="import-linter is not installed: `pip install import-linter` (nox installs it)",
)


def lint_imports(config: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    assert LINT_IMPORTS is not None
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--config", str(config)],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )


@pytest.mark.parametrize("config", CONFIGS, ids=lambda path: str(path.relative_to(ROOT)))
def test_contracts_hold_on_the_tree(config: Path) -> None:
    result = lint_imports(config)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def copy_sources(tmp_path: Path) -> Path:
    tree = tmp_path / "src"
    for name, source in SOURCES.items():
        shutil.copytree(source, tree / name, ignore=shutil.ignore_patterns("__pycache__"))
    return tree


def test_an_upward_import_inside_a_function_breaks_the_package_stack(tmp_path: Path) -> None:
    tree = copy_sources(tmp_path)
    errors = tree / "ddl_ops" / "errors.py"
    wrong_way = (
        "def _wrong_way() -> object:\n"
        "    import migrate_cli.config\n\n"
        "    return migrate_cli.config\n"
    )
    errors.write_text(errors.read_text() + "\n\n" + wrong_way)
    result = lint_imports(ROOT / "importlinter.ini", pythonpath=tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ddl_ops.errors -> migrate_cli.config" in result.stdout
    assert "BROKEN" in result.stdout


def test_a_third_party_import_in_revgraph_breaks_stdlib_only(tmp_path: Path) -> None:
    tree = copy_sources(tmp_path)
    module = tree / "revgraph" / "errors.py"
    module.write_text("import sqlalchemy  # noqa: F401\n" + module.read_text())
    result = lint_imports(ROOT / "importlinter.ini", pythonpath=tree)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "revgraph imports only the standard library BROKEN" in result.stdout


def test_revgraph_needs_nothing_but_the_standard_library() -> None:
    """The forbidden list above names known packages; this catches any other."""
    grimp = pytest.importorskip("grimp", reason="grimp comes with import-linter")
    graph = grimp.build_graph("revgraph", include_external_packages=True)
    external = {
        module.split(".")[0]
        for module in graph.modules
        if not module.startswith("revgraph") and module.split(".")[0] not in sys.stdlib_module_names
    }
    assert external == set()
