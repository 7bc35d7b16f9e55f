"""Lint a real project's Alembic migration scripts and print the findings per rule.

For checking the rules by hand on histories we did not write, and for timing. The
scripts are copied with `from alembic import op` replaced by `from ddl_ops import op`
(what a team moving from Alembic does); scripts whose other imports are missing (the
project's own packages) are counted and listed, not linted.

    .venv/bin/python benchmarks/lint_corpus.py path/to/versions --dialect mysql --show MG201
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from ddl_ops.lint import Finding, LintRun, lint_module, load_script


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("versions", type=Path)
    parser.add_argument("--dialect", default="postgresql")
    parser.add_argument("--show", action="append", default=[], help="print findings of a rule")
    args = parser.parse_args()
    files = sorted(p for p in args.versions.glob("*.py") if p.name != "__init__.py")
    run = LintRun.make(args.dialect)
    findings: list[Finding] = []
    not_loaded: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        for source in files:
            copy = Path(tmp) / source.name
            text = source.read_text(encoding="utf-8")
            text = text.replace("from alembic import op", "from ddl_ops import op")
            text = text.replace("from alembic import context", "from migrate_cli import context")
            copy.write_text(text, encoding="utf-8")
            try:
                module = load_script(copy)
            except Exception as error:  # the project's own imports
                not_loaded.append(f"{source.name}: {type(error).__name__}: {error}")
                continue
            found = lint_module(module, run, path=str(copy))
            findings += found
            sys.modules.pop(module.__name__, None)
        elapsed = time.perf_counter() - started
    linted = len(files) - len(not_loaded)
    print(
        f"{args.versions}: {len(files)} scripts, {linted} linted for {args.dialect} "
        f"in {elapsed:.2f} s ({1000 * elapsed / max(linted, 1):.1f} ms per script)"
    )
    counts = Counter(f.code for f in findings)
    names = {f.code: f.name for f in findings}
    for code, count in sorted(counts.items()):
        print(f"  {code} {names[code]:<32} {count}")
    if not_loaded:
        print(f"not loaded ({len(not_loaded)}):")
        for line in not_loaded:
            print(f"  {line[:150]}")
    for code in args.show:
        print(f"\n{code}:")
        for finding in findings:
            if finding.code == code:
                print(f"  {finding.path}:{finding.line}: {finding.message}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
