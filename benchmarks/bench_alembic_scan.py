"""What the up-front check of Alembic names costs: scanning real projects' revision files.

Every script of a plan is parsed (ast) before the first one runs, to refuse Alembic API
migrate does not provide. Target: under 5 ms per script, i.e. under 1.5 s before a
300-revision upgrade from an empty database, next to Python's own import of those files.

    python benchmarks/bench_alembic_scan.py
"""

from __future__ import annotations

import ast
import time
from pathlib import Path

from migrate_cli.alembic_compat.scan import scan_file

DATA = Path(__file__).resolve().parent.parent / "tests-integration" / "data" / "alembic-projects"
ROUNDS = 10
TARGET_MS = 5.0


def main() -> None:
    paths = sorted(DATA.rglob("versions/**/*.py"))
    sources = [path.read_text(encoding="utf-8") for path in paths]
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for source in sources:
            ast.parse(source)
    parse = (time.perf_counter() - start) / ROUNDS
    start = time.perf_counter()
    for _ in range(ROUNDS):
        for path in paths:
            scan_file(path)
    scan = (time.perf_counter() - start) / ROUNDS
    each = scan * 1000 / len(paths)
    print(f"{len(paths)} revision files of {len(list(DATA.iterdir()))} projects")
    print(f"ast.parse alone: {parse * 1000:.1f} ms")
    print(f"scan: {scan * 1000:.1f} ms ({each:.2f} ms/file)")
    print(f"target < {TARGET_MS} ms/file: {'met' if each < TARGET_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
