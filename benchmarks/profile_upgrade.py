"""cProfile of one in-process `upgrade head` (not a benchmark: `nox -s bench` skips it).

Writes the history of bench_cli_runtime.py (`add_column` by default), warms the
scripts' bytecode with one untimed run, empties the database, then profiles one
run and prints the top entries by own time and by cumulative time, plus the
share of the run spent inside the driver (cursor executes and commits).

    python benchmarks/profile_upgrade.py [postgresql|mariadb|sqlite]
        [--shape add_column|create_table+fk] [--per-migration] [--log-off] [--top N]
        [--save FILE]

Databases as for bench_cli_runtime.py (MIGRATE_BENCH_<NAME>_URL, else
MIGRATE_TEST_<NAME>_URL); the chosen database is EMPTIED. BENCH_MIGRATIONS sets the
size (default 1,000).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path

from bench_cli_runtime import DriverClock, database_url, ours, resetter
from migration_projects import SHAPES, env_int, write_project

sys.dont_write_bytecode = False


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", nargs="?", default="postgresql")
    parser.add_argument("--shape", default="add_column", choices=list(SHAPES))
    parser.add_argument("--per-migration", action="store_true")
    parser.add_argument("--log-off", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", help="write the raw pstats here")
    args = parser.parse_args()
    count = env_int("BENCH_MIGRATIONS", 1000, quick=200)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        env, count = write_project(root, "ours", args.shape, count)
        if args.database == "sqlite":
            db_file = root / "profile.db"
            url = f"sqlite:///{db_file}"

            def reset() -> None:
                db_file.unlink(missing_ok=True)

        else:
            url = database_url(args.database)
            reset = resetter(url)
        run = ours(env, url, args.per_migration, log=not args.log_off)
        reset()
        run()  # untimed: compiles the scripts' bytecode
        reset()
        clock = DriverClock()
        profile = cProfile.Profile()
        with clock.watching(url):
            started = time.perf_counter()
            profile.enable()
            run()
            profile.disable()
            wall = time.perf_counter() - started
        reset()
    mode = "per migration" if args.per_migration else "one transaction"
    print(
        f"{args.database} {args.shape}, {mode}, {count} migrations, log "
        f"{'off' if args.log_off else 'on'}: {wall:.3f} s under cProfile, "
        f"{clock.seconds:.3f} s inside the driver ({clock.executes} executes)"
    )
    if args.save:
        profile.dump_stats(args.save)
    for key in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).strip_dirs().sort_stats(key).print_stats(args.top)
        text = out.getvalue()
        print(text[text.index("   ncalls") :].rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
