"""The lint rule registry: explicit registration, looked up by operation type and dialect.

A rule is data (code, name, message, hint, dialects, documentation) plus one check
function. Nothing registers itself by import side effect of a metaclass: each rule
module calls `register_rule` for each rule, and `ddl_ops.lint` imports those modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ddl_ops.dialects.base import first_on_chain
from ddl_ops.errors import DDLOpsError
from ddl_ops.lint.findings import Severity

if TYPE_CHECKING:
    from ddl_ops.lint.rule_input import CheckContext
    from ddl_ops.ops import MigrateOperation

#: `dialects=ALL_DIALECTS` makes a rule apply to every database (via the "default" impl).
ALL_DIALECTS: tuple[str, ...] = ("default",)

#: A check returns None when the operation is fine, else the fields its messages format.
CheckFunction = Callable[[Any, "CheckContext"], "Mapping[str, Any] | None"]


@dataclass(frozen=True)
class Rule:
    """One lint rule and everything its documentation page says about it.

    `hint` may differ per database: a mapping from dialect name (or "default") to text.
    `phase` says when the check runs: on the upgrade's operations, on the downgrade's,
    or once per script (`check` is None for those: the lint engine reports them itself).
    """

    code: str
    name: str
    severity: Severity
    message: str
    hint: str | Mapping[str, str]
    dialects: tuple[str, ...]
    summary: str
    why: str
    bad_example: str
    safe_example: str
    op_types: tuple[type[MigrateOperation], ...] = ()
    check: CheckFunction | None = None
    phase: str = "upgrade"
    see_also: tuple[str, ...] = field(default_factory=tuple)

    def applies_to(self, dialect_chain: Iterable[str]) -> bool:
        return first_on_chain(dialect_chain, self.dialects) is not None

    def hint_for(self, dialect_chain: Iterable[str]) -> str:
        if isinstance(self.hint, str):
            return self.hint
        dialect = first_on_chain(dialect_chain, self.hint)
        return self.hint[dialect] if dialect is not None else self.hint.get("default", "")

    @property
    def dialect_names(self) -> tuple[str, ...]:
        """The databases for the docs: 'all' stands for every one ddl-ops knows."""
        return ("all",) if "default" in self.dialects else self.dialects


_RULES: dict[str, Rule] = {}
_BY_NAME: dict[str, Rule] = {}


def register_rule(rule: Rule) -> Rule:
    """Add a rule; a second rule with the same code or name is refused, not replaced."""
    for key, table in ((rule.code, _RULES), (rule.name, _BY_NAME)):
        if key in table:
            raise DDLOpsError(
                f"lint rule {key!r} is registered twice; give the new rule its own code and name"
            )
    _RULES[rule.code] = rule
    _BY_NAME[rule.name] = rule
    return rule


def all_rules() -> list[Rule]:
    """Every registered rule, in code order."""
    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code_or_name: str) -> Rule:
    """A rule by code (`MG101`) or name (`add-not-null-column`)."""
    found = _RULES.get(code_or_name.upper()) or _BY_NAME.get(code_or_name.lower())
    if found is None:
        raise DDLOpsError(
            f"no lint rule {code_or_name!r}; the rules are listed by `ddl_ops.lint.all_rules()` "
            "and in the docs (ddl-ops, lint rules)"
        )
    return found


def rules_for(op: MigrateOperation, dialect_chain: Iterable[str], phase: str) -> list[Rule]:
    """The rules whose check runs on this operation, on this database, in this phase."""
    chain = tuple(dialect_chain)
    return [
        rule
        for rule in all_rules()
        if rule.check is not None
        and rule.phase == phase
        and isinstance(op, rule.op_types)
        and rule.applies_to(chain)
    ]
