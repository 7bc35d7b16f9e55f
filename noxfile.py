"""Developer and CI sessions for the migrate toolkit monorepo.

`nox -s demo` runs the main job end to end on SQLite; `nox -s tests` runs
every test (each package's unit tests, then integration on every database).
Databases are a parameter: a logical name maps to a URL in
tests-integration/dbtesting.py, overridable by MIGRATE_TEST_<NAME>_URL.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nox
import nox.command

ROOT = Path(__file__).parent
nox.options.sessions = ["lint", "tests"]
nox.options.reuse_existing_virtualenvs = False

# Folder, import name, and the order they must be installed in.
PACKAGES: dict[str, str] = {
    "revgraph": "revgraph",
    "ddl-ops": "ddl_ops",
    "autogen": "migrate_autogen",
    "migrate-cli": "migrate_cli",
}
DATABASES = ["sqlite", "postgresql", "mariadb", "mysql"]
LOCAL_DATABASES = ["sqlite", "postgresql", "mariadb"]
DRIVERS: dict[str, list[str]] = {
    "sqlite": [],
    "postgresql": ["psycopg[binary]>=3.1"],
    "mariadb": ["pymysql>=1.1"],
    "mysql": ["pymysql>=1.1"],
}
# Layer contracts between and inside the packages (nox -s lint, and a test that
# shows a violation failing).
IMPORT_LINTER = "import-linter>=2.1,<3"
# sqlglot: ddl-ops' optional [lint] extra, which its unit tests exercise
TEST_DEPS = [
    "pytest>=8",
    "hypothesis>=6.100",
    "greenlet>=3",
    "aiosqlite>=0.19",
    "sqlglot>=30,<32",
    IMPORT_LINTER,
    # CTFd's alembic.ini (tests-integration/data) runs ruff on new revisions as a
    # post-write hook; squashing it runs that hook.
    "ruff>=0.6",
]
# The real Alembic, to compare against in tests-integration/parity/: a test-only
# dependency, never a runtime one of any package.
ALEMBIC = "alembic>=1.13,<2"


def install_workspace(session: nox.Session, *extra: str) -> None:
    """Install every package editable, in one resolver run so siblings come from here."""
    editable = [arg for folder in PACKAGES for arg in ("-e", f"packages/{folder}")]
    session.install(*editable, *TEST_DEPS, *extra)


def run_unit(session: nox.Session, folder: str) -> None:
    session.run("pytest", f"packages/{folder}/tests", *session.posargs)


def run_integration(session: nox.Session, databases: list[str]) -> None:
    db_args = [arg for name in databases for arg in ("--db", name)]
    session.run("pytest", "tests-integration", *db_args, *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Every test: each package's unit tests, then integration on every local database."""
    install_workspace(session, ALEMBIC, *{d for name in LOCAL_DATABASES for d in DRIVERS[name]})
    for folder in PACKAGES:
        run_unit(session, folder)
    run_integration(session, LOCAL_DATABASES)


@nox.session
@nox.parametrize("package", list(PACKAGES))
def unit(session: nox.Session, package: str) -> None:
    """One package's unit tests, installed alone (its siblings come from this checkout)."""
    siblings = list(PACKAGES)[: list(PACKAGES).index(package) + 1]
    editable = [arg for folder in siblings for arg in ("-e", f"packages/{folder}")]
    # Drivers too: unit tests compile SQL for driver dialects (no server needed).
    session.install(*editable, *TEST_DEPS, *DRIVERS["postgresql"], *DRIVERS["mariadb"])
    run_unit(session, package)


@nox.session
@nox.parametrize("database", DATABASES)
def integration(session: nox.Session, database: str) -> None:
    """Cross-package tests against one real database."""
    install_workspace(session, ALEMBIC, *DRIVERS[database])
    run_integration(session, [database])


@nox.session
def parity(session: nox.Session) -> None:
    """Differential suite against the real Alembic: PARITY_CASES seeds per area and database.

    `nox -s tests` runs the same tests on a small fixed slice; this session is the
    full local run (PARITY_CASES defaults to 500 here, PARITY_SEED to 0).
    """
    install_workspace(session, ALEMBIC, *{d for name in LOCAL_DATABASES for d in DRIVERS[name]})
    env = {"PARITY_CASES": os.environ.get("PARITY_CASES", "500")}
    databases = [n for n in os.environ.get("PARITY_DB", ",".join(LOCAL_DATABASES)).split(",") if n]
    db_args = [arg for name in databases for arg in ("--db", name)]
    session.run("pytest", "tests-integration/parity", *db_args, *session.posargs, env=env)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (lint, import order, formatting) and the import-layer contracts."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    check_import_contracts(session)


def check_import_contracts(session: nox.Session) -> None:
    """import-linter: the package stack (importlinter.ini) and each package's own layers.

    The packages are installed without their dependencies: import-linter reads
    the source, it never imports it.
    """
    editable = [arg for folder in PACKAGES for arg in ("-e", f"packages/{folder}")]
    session.install("--no-deps", *editable)
    session.install(IMPORT_LINTER)
    configs = [ROOT / "importlinter.ini", *sorted(ROOT.glob("packages/*/importlinter.ini"))]
    for config in configs:
        session.run("lint-imports", "--no-cache", "--config", str(config.relative_to(ROOT)))


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict (pyproject.toml) on the four packages."""
    install_workspace(session, "mypy>=1.10")
    sources = [f"packages/{folder}/src/{module}" for folder, module in PACKAGES.items()]
    session.run("mypy", *sources)


@nox.session
def docs(session: nox.Session) -> None:
    """Build the Sphinx docs; any warning is an error."""
    install_workspace(session, "sphinx>=7", "myst-parser>=2", "sphinxcontrib-mermaid>=1")
    out = ROOT / "docs" / "_build" / "html"
    session.run("sphinx-build", "-W", "--keep-going", "-b", "html", "docs", str(out))


@nox.session
def build(session: nox.Session) -> None:
    """Build each package's sdist and wheel into dist/, install each wheel alone and import
    it, then install the CLI from dist/ and run it (the README's wheel instructions)."""
    session.install("build>=1.0")
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    for folder in PACKAGES:
        session.run("python", "-m", "build", "--outdir", str(dist), f"packages/{folder}")
    tmp = Path(session.create_tmp())
    for folder, module in PACKAGES.items():
        venv = tmp / f"alone-{folder}"
        shutil.rmtree(venv, ignore_errors=True)
        session.run("python", "-m", "venv", str(venv))
        py = str(venv / ("Scripts" if os.name == "nt" else "bin") / "python")
        wheel = next(dist.glob(f"{module}-*.whl"))
        # Siblings are found among the freshly built wheels, never from the checkout.
        session.run(
            py, "-m", "pip", "install", "-q", "--find-links", str(dist), str(wheel), external=True
        )
        session.run(
            py,
            "-c",
            f"import {module}; print({module}.__name__, {module}.__version__)",
            external=True,
        )
    try_cli_from_wheels(session, dist, tmp)


def try_cli_from_wheels(session: nox.Session, dist: Path, tmp: Path) -> None:
    """The README's wheel install, as a user runs it: `pip install --find-links dist
    migrate-cli` into a fresh venv (siblings found in dist/, never on an index), then the
    `migrate` command itself, in an empty folder: --version, init, revision, and an upgrade
    offline and on SQLite."""
    venv = (tmp / "cli-from-wheels").resolve()  # absolute: the commands run in another folder
    shutil.rmtree(venv, ignore_errors=True)
    session.run("python", "-m", "venv", str(venv))
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    session.run(
        str(bin_dir / "python"),
        "-m",
        "pip",
        "install",
        "-q",
        "--find-links",
        str(dist),
        "migrate-cli",
        external=True,
    )
    migrate = str(bin_dir / "migrate")
    work = (tmp / "cli-from-wheels-project").resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    session.run(migrate, "--version", external=True)
    with session.chdir(work):
        session.run(migrate, "init", "migrations", external=True)
        ini = work / "migrate.ini"
        ini.write_text(
            ini.read_text(encoding="utf-8").replace(
                "driver://user:pass@localhost/dbname", "sqlite:///app.db"
            ),
            encoding="utf-8",
        )
        session.run(migrate, "revision", "-m", "first", "--rev-id", "a1", external=True)
        session.run(migrate, "upgrade", "head", "--sql", external=True)
        session.run(migrate, "upgrade", "head", external=True)
        session.run(migrate, "current", "--check-heads", external=True)
        session.run(migrate, "history", external=True)


@nox.session
def bench(session: nox.Session) -> None:
    """Run every benchmark script under benchmarks/; each prints its figures, and the
    session fails when a script's target is missed (BENCH_QUICK=1 for a short run)."""
    # Alembic: the runtime and autogenerate benchmarks compare against it (bench only).
    install_workspace(session, ALEMBIC, *DRIVERS["postgresql"], *DRIVERS["mariadb"])
    scripts = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    if session.posargs:
        scripts = [s for s in scripts if any(arg in s.name for arg in session.posargs)]
    missed = []
    for script in scripts:  # every script runs, so one missed target hides no other figure
        try:
            session.run("python", str(script))
        except nox.command.CommandFailed:
            missed.append(script.name)
    if missed:
        session.error(f"targets missed (see above) in: {', '.join(missed)}")


@nox.session
def demo(session: nox.Session) -> None:
    """The main job end to end on an embedded SQLite database."""
    install_workspace(session)
    session.run("python", "demo/run_demo.py", *session.posargs)
