"""The knobs of the differential suite against the real Alembic, read in one place.

Every parity test draws its cases from ``case_seeds()`` so that one seed printed
by a failure reproduces that case alone (``PARITY_SEED=<seed> PARITY_CASES=1``).
The defaults are the small fixed slice that ``nox -s tests`` and CI run;
``nox -s parity`` raises ``PARITY_CASES`` for the full local run.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest

CI_SLICE_CASES = 8
ALL_DATABASES = ("sqlite", "postgresql", "mariadb")


@dataclass(frozen=True)
class ParitySettings:
    """First seed, number of cases per area and database, and the databases to compare on."""

    seed: int
    cases: int
    databases: tuple[str, ...]

    def seeds(self) -> list[int]:
        return list(range(self.seed, self.seed + self.cases))


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        message = f"{name}={raw!r} is not a whole number; set it to e.g. 100"
        raise pytest.UsageError(message) from None
    if value < 0:
        raise pytest.UsageError(f"{name}={raw!r} is negative; set it to 0 or more")
    return value


def parity_settings() -> ParitySettings:
    """Read PARITY_SEED, PARITY_CASES and PARITY_DB (comma-separated names)."""
    raw_dbs = os.environ.get("PARITY_DB", "").strip()
    databases = tuple(n.strip() for n in raw_dbs.split(",") if n.strip()) or ALL_DATABASES
    unknown = [n for n in databases if n not in ALL_DATABASES]
    if unknown:
        raise pytest.UsageError(
            f"PARITY_DB names {', '.join(unknown)}; choose from {', '.join(ALL_DATABASES)}"
        )
    return ParitySettings(
        seed=_positive_int("PARITY_SEED", 0),
        cases=_positive_int("PARITY_CASES", CI_SLICE_CASES),
        databases=databases,
    )


def case_seeds() -> list[int]:
    """The seeds every parity test parametrizes over."""
    return parity_settings().seeds()
