"""Benchmark revgraph: load + heads + full upgrade plan on large synthetic histories.

Run standalone: ``.venv/bin/python benchmarks/bench_revgraph.py``. Target: 100,000
revisions (linear) in under one second for load + heads + plan together.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from collections.abc import Callable

from revgraph import Revision, RevisionMap

SIZES = (1_000, 10_000, 100_000)
TARGET_SECONDS = 1.0
REPEATS = 3  # report the best run, as timeit does: other load on the machine only adds time


def linear(n: int) -> list[Revision]:
    """A single line of ``n`` revisions."""
    revs = [Revision("r0", None)]
    revs.extend(Revision(f"r{i}", f"r{i - 1}") for i in range(1, n))
    return revs


def branchy(n: int, every: int = 50) -> list[Revision]:
    """A main line where every ``every`` revisions a side branch splits off and merges back."""
    revs = [Revision("r0", None)]
    last = "r0"
    i = 1
    while i < n:
        if i % every == 0 and i + 2 < n:
            split = last
            revs.append(Revision(f"r{i}", split))
            revs.append(Revision(f"r{i + 1}", split))
            revs.append(Revision(f"r{i + 2}", (f"r{i}", f"r{i + 1}")))
            last = f"r{i + 2}"
            i += 3
        else:
            revs.append(Revision(f"r{i}", last))
            last = f"r{i}"
            i += 1
    return revs


def measure(shape: str, make: Callable[[int], list[Revision]], n: int) -> float:
    """Best of REPEATS for load + heads + base->heads plan; returns its CPU seconds.

    CPU time (time.process_time) is what the target is judged on, because wall time on a
    shared machine includes other processes; wall time is printed beside it.
    """
    best: tuple[float, float, float, float] | None = None
    for _ in range(REPEATS):
        revisions = make(n)
        wall, cpu = time.perf_counter(), time.process_time()
        revision_map = RevisionMap(revisions)
        loaded_cpu = time.process_time()
        heads = revision_map.heads
        plan = revision_map.upgrade_plan((), "heads")
        run = (
            loaded_cpu - cpu,
            time.process_time() - loaded_cpu,
            time.process_time() - cpu,
            time.perf_counter() - wall,
        )
        assert len(plan) == n, (shape, n, len(plan))
        assert len(heads) == 1
        if best is None or run[2] < best[2]:
            best = run
        del revision_map, plan, revisions
    assert best is not None
    load, plan_time, total, wall_total = best
    print(
        f"{shape:8} {n:>7,} revisions: load {load:6.3f}s  heads+plan {plan_time:6.3f}s  "
        f"load+heads+plan {total:6.3f}s CPU ({wall_total:6.3f}s wall)  best of {REPEATS}"
    )
    return total


def peak_memory(make: Callable[[int], list[Revision]], n: int) -> int:
    tracemalloc.start()
    revision_map = RevisionMap(make(n))
    revision_map.upgrade_plan((), "heads")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def squashed(n: int) -> tuple[list[Revision], str]:
    """``linear(n)`` plus a squash replacing its middle half; returns a revision inside it."""
    revs = linear(n)
    first, last = n // 4, 3 * n // 4
    replaced = tuple(f"r{i}" for i in range(first, last))
    revs.append(Revision("squash", f"r{first - 1}", replaces=replaced))
    return revs, f"r{n // 2}"


def measure_squashed(n: int) -> None:
    """Load, a fresh database's plan (through the squash), and a plan from inside the range
    (which builds the expanded view once): best of REPEATS, CPU seconds."""
    best: tuple[float, float, float] | None = None
    for _ in range(REPEATS):
        revisions, inside = squashed(n)
        cpu = time.process_time()
        revision_map = RevisionMap(revisions)
        loaded = time.process_time()
        fresh = revision_map.upgrade_steps((), "heads")
        planned = time.process_time()
        partial = revision_map.upgrade_steps((inside,), "heads")
        done = time.process_time()
        assert len(fresh) == n // 2 + 1, len(fresh)
        assert len(partial) == n // 2 - 1 + 1, len(partial)  # rest of the range, then "at squash"
        run = (loaded - cpu, planned - loaded, done - planned)
        if best is None or sum(run) < sum(best):
            best = run
    assert best is not None
    print(
        f"squashed {n:>7,} revisions: load {best[0]:6.3f}s  fresh plan {best[1]:6.3f}s  "
        f"plan from inside the range {best[2]:6.3f}s CPU  best of {REPEATS}"
    )


def main() -> int:
    results: dict[tuple[str, int], float] = {}
    for shape, make in (("linear", linear), ("branchy", branchy)):
        for n in SIZES:
            results[(shape, n)] = measure(shape, make, n)
    measure_squashed(100_000)
    for shape, make in (("linear", linear), ("branchy", branchy)):
        peak = peak_memory(make, 100_000)
        print(f"peak memory, {shape} 100,000 (tracemalloc): {peak / 2**20:.1f} MiB")
    worst = max(results[("linear", 100_000)], results[("branchy", 100_000)])
    verdict = "meets" if worst < TARGET_SECONDS else "MISSES"
    print(f"100,000 revisions: {worst:.3f}s CPU, {verdict} the {TARGET_SECONDS:.0f}s target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
