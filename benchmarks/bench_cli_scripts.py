"""How fast `migrate heads` and `migrate history` read large histories (1,000 and 10,000 files).

Generates revision files like `migrate revision` writes them (a linear history
with a side branch every 100 revisions and a merge after it), then times each
command warm (files in the OS cache, second and later runs): in-process through
`migrate_cli.command` and as a subprocess of the `migrate` console script.
Target: under 0.5 s for 10,000 revisions. Prints the figures; exits 0.
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

from migrate_cli import Config, command

SIZES = (1_000, 10_000)
REPEATS = 5
TARGET_SECONDS = 0.5

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
    (root / "migrations" / "env.py").write_text("")
    (root / "migrate.ini").write_text(
        "[migrate]\nscript_location = %(here)s/migrations\nsqlalchemy.url = sqlite://\n"
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

    def run() -> object:
        return subprocess.run([exe, "-c", str(ini), name], check=True, stdout=subprocess.DEVNULL)

    return run


def main() -> int:
    load = os.getloadavg()[0]
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (wall times stretch when it is high)")
    print(
        f"{'revisions':>10} {'command':>8} {'mode':>11} {'best s':>8} {'median s':>9} "
        f"{'cpu s':>7}  target {TARGET_SECONDS} s (best wall)"
    )
    misses = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in SIZES:
            ini = make_project(Path(tmp) / f"p{count}", count)
            for name in ("heads", "history"):
                for mode, factory in (("in-process", in_process), ("subprocess", as_subprocess)):
                    best, median, cpu = best_of(factory(ini, name))
                    verdict = ""
                    if count == 10_000:
                        verdict = "ok" if best < TARGET_SECONDS else "MISSED"
                        if best >= TARGET_SECONDS:
                            misses.append(f"{name} {mode}")
                    print(
                        f"{count:>10} {name:>8} {mode:>11} {best:>8.3f} {median:>9.3f} "
                        f"{cpu:>7.3f}  {verdict}"
                    )
    if misses:
        print(f"target of {TARGET_SECONDS} s at 10,000 revisions missed by: {', '.join(misses)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
