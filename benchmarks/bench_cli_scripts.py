"""Start-up: how fast commands read large histories (1,000 and 10,000 files).

Generates revision files like `migrate revision` writes them (a linear history
with a side branch every 100 revisions and a merge after it), then times each
command warm (files in the OS cache, second and later runs): in-process through
`migrate_cli.command` and as a subprocess of the `migrate` console script.

Targets (best wall time at 10,000 revisions):
- `migrate heads` and `migrate history`: 0.5 s;
- `migrate upgrade head` and `migrate current` on a SQLite database already at
  head (nothing to run: the fixed start-up of every run): 0.4 s, as a subprocess;
- `migrate --help`: 0.15 s (nothing but the command line is imported).

BENCH_QUICK=1 measures 1,000 revisions only (and checks no target). Prints
each figure; exits 1 when a target is missed.
"""

from __future__ import annotations

import io
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from migration_projects import ENV_PY

from migrate_cli import Config, command

SIZES = (1_000,) if os.environ.get("BENCH_QUICK") == "1" else (1_000, 10_000)
REPEATS = 5
TARGET_SECONDS = 0.5
AT_HEAD_SECONDS = 0.4
HELP_SECONDS = 0.15

SCRIPT = '''"""{message}

Revision ID: {rev}
Revises: {down_text}
Create Date: 2026-01-01 00:00:00

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from ddl_ops import op

revision: str = {rev!r}
down_revision: str | Sequence[str] | None = {down!r}
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("t", sa.Column("c{index}", sa.Integer))


def downgrade() -> None:
    op.drop_column("t", "c{index}")
'''


def make_project(root: Path, count: int) -> Path:
    versions = root / "migrations" / "versions"
    versions.mkdir(parents=True)
    (root / "migrations" / "env.py").write_text(ENV_PY.format(context_module="migrate_cli"))
    (root / "migrate.ini").write_text(
        "[migrate]\nscript_location = %(here)s/migrations\n"
        "sqlalchemy.url = sqlite:///%(here)s/app.db\n"
    )
    previous: str | tuple[str, ...] | None = None
    for index in range(count):
        rev = f"{index:06d}{index * 7919 % 1_000_003:06x}"
        if index % 100 == 50 and isinstance(previous, str):
            side = f"s{rev}"
            write(versions, side, previous, index, "side branch")
            down: str | tuple[str, ...] | None = (previous, side)
        else:
            down = previous
        write(versions, rev, down, index, f"change number {index}")
        previous = rev
    return root / "migrate.ini"


def write(
    versions: Path, rev: str, down: str | tuple[str, ...] | None, index: int, msg: str
) -> None:
    down_text = ", ".join(down) if isinstance(down, tuple) else (down or "<base>")
    text = SCRIPT.format(message=msg, rev=rev, down=down, down_text=down_text, index=index)
    (versions / f"{rev}_{msg.replace(' ', '_')}.py").write_text(text)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children: less noisy than the wall clock
    when other work shares the machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def best_of(fn: Callable[[], object]) -> tuple[float, float, float]:
    """Best and median wall time, and best CPU time, of warm runs."""
    fn()  # warm the OS cache, the imports and the header cache
    walls, cpus = [], []
    for _ in range(REPEATS):
        start, start_cpu = time.perf_counter(), cpu_seconds()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(cpu_seconds() - start_cpu)
    return min(walls), statistics.median(walls), min(cpus)


def in_process(ini: Path, name: str) -> Callable[[], object]:
    def run() -> object:
        config = Config(ini, output_buffer=io.StringIO())
        if name == "heads":
            return command.heads(config)
        return command.history(config)

    return run


def as_subprocess(ini: Path, name: str) -> Callable[[], object]:
    exe = shutil.which("migrate", path=os.path.dirname(sys.executable)) or "migrate"
    argv = [exe, "-c", str(ini), *name.split()] if name != "--help" else [exe, "--help"]
    # What users get from the second run on: modules imported from cached bytecode. Some
    # sandboxes export PYTHONDONTWRITEBYTECODE, and the packages are installed editable
    # (no bytecode written at install), so every run would time the compiler instead.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

    def run() -> object:
        return subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, env=env)

    return run


def at_head(ini: Path, name: str) -> Callable[[], object]:
    """`upgrade head` / `current` in-process, on a database already at head."""

    def run() -> object:
        config = Config(ini, stdout=io.StringIO())
        if name == "current":
            return command.current(config)
        return command.upgrade(config, "head")

    return run


def main() -> int:
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (wall times stretch when it is high)")
    print(
        f"{'revisions':>10} {'command':>12} {'mode':>11} {'best s':>8} {'median s':>9} "
        f"{'cpu s':>7}  ours / target (best wall)"
    )
    misses = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in SIZES:
            ini = make_project(Path(tmp) / f"p{count}", count)
            command.stamp(Config(ini, stdout=io.StringIO()), "heads")
            cases = [
                (name, mode, factory, TARGET_SECONDS)
                for name in ("heads", "history")
                for mode, factory in (("in-process", in_process), ("subprocess", as_subprocess))
            ]
            for name in ("upgrade head", "current"):
                cases.append((name, "in-process", at_head, AT_HEAD_SECONDS))
                cases.append((name, "subprocess", as_subprocess, AT_HEAD_SECONDS))
            cases.append(("--help", "subprocess", as_subprocess, HELP_SECONDS))
            for name, mode, factory, target in cases:
                best, median, cpu = best_of(factory(ini, name))
                verdict = ""
                if count == 10_000 and (mode == "subprocess" or target == TARGET_SECONDS):
                    verdict = f"{best:.3f} s / {target} s = {best / target:.2f}x (<= 1x)"
                    verdict += " ok" if best <= target else " OVER TARGET"
                    if best > target:
                        misses.append(f"{name} {mode}")
                print(
                    f"{count:>10} {name:>12} {mode:>11} {best:>8.3f} {median:>9.3f} "
                    f"{cpu:>7.3f}  {verdict}"
                )
    if misses:
        print(f"OVER TARGET at 10,000 revisions: {', '.join(misses)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
