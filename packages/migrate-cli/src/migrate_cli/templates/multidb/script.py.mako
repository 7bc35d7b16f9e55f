<%!
import re

%>"""${message}

Revision ID: ${up_revision}
Revises: ${comma(down_revision) or "<base>"}
Create Date: ${create_date}

"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from ddl_ops import op
${imports if imports else ""}
# Read by `migrate` without importing this file: keep these literal values.
revision: str = ${repr(up_revision)}
down_revision: str | Sequence[str] | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}


def upgrade(engine_name: str) -> None:
    globals()[f"upgrade_{engine_name}"]()


def downgrade(engine_name: str) -> None:
    globals()[f"downgrade_{engine_name}"]()
<%
    db_names = [name.strip() for name in re.split(r"[,\s]+", config.get_main_option("databases") or "") if name.strip()]
%>\
% for db_name in db_names:


def upgrade_${db_name}() -> None:
    ${context.get(f"{db_name}_upgrades", "pass")}


def downgrade_${db_name}() -> None:
    ${context.get(f"{db_name}_downgrades", "pass")}
% endfor
