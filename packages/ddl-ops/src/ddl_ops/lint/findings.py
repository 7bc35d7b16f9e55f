"""What lint reports: one `Finding` per dangerous operation, with where it was written."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any


class Severity(str, enum.Enum):
    """How bad a finding is: an error breaks or locks production, info is worth knowing."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Finding:
    """One rule that fired on one operation (or on the script as a whole).

    `path` and `line` point at the `op.*` call in the migration script (or the statement
    in a SQL file); either is None when the operation did not come from a file.
    """

    code: str
    name: str
    severity: Severity
    message: str
    hint: str
    path: str | None = None
    line: int | None = None
    dialect: str | None = None
    revision: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    def sort_key(self) -> tuple[str, int, str]:
        return (self.path or "", self.line or 0, self.code)
