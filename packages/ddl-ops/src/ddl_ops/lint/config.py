"""Which rules run: `select` and `ignore` lists, overall and per database.

Selectors are rule codes (`MG101`), code prefixes (`MG1`, like ruff's), or rule names
(`add-not-null-column`). A selector that matches no rule is refused with the list of
rules, since a typo would silently select or ignore nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ddl_ops.dialects.base import first_on_chain
from ddl_ops.errors import DDLOpsError
from ddl_ops.lint.registry import Rule, all_rules


def selector_matches(selector: str, rule: Rule) -> bool:
    text = selector.strip()
    return rule.code.startswith(text.upper()) or text.lower() == rule.name


def _checked(selectors: Iterable[str], where: str) -> tuple[str, ...]:
    result = tuple(str(s).strip() for s in selectors if str(s).strip())
    rules = all_rules()
    for selector in result:
        if not any(selector_matches(selector, rule) for rule in rules):
            raise DDLOpsError(
                f"{where}: no lint rule matches {selector!r}; use a code (MG101), a code "
                "prefix (MG1) or a rule name (add-not-null-column)"
            )
    return result


@dataclass(frozen=True)
class LintConfig:
    """Rule selection. Empty `select` means every rule; `ignore` wins over `select`."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_dialect: Mapping[str, LintConfig] = field(default_factory=dict)

    def enabled(self, rule: Rule, dialect_chain: Iterable[str] = ()) -> bool:
        dialect = first_on_chain(dialect_chain, self.per_dialect)
        if dialect is not None:
            return self.per_dialect[dialect]._own_enabled(rule, fallback=self)
        return self._own_enabled(rule)

    def _own_enabled(self, rule: Rule, fallback: LintConfig | None = None) -> bool:
        select = self.select or (fallback.select if fallback else ())
        ignore = (*self.ignore, *(fallback.ignore if fallback else ()))
        if select and not any(selector_matches(s, rule) for s in select):
            return False
        return not any(selector_matches(s, rule) for s in ignore)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], where: str = "lint settings") -> LintConfig:
        """From `{"select": [...], "ignore": [...], "postgresql": {"ignore": [...]}}`.

        String values may list selectors separated by commas or whitespace (ini files).
        """
        per_dialect: dict[str, LintConfig] = {}
        select: tuple[str, ...] = ()
        ignore: tuple[str, ...] = ()
        for key, value in data.items():
            if key == "select":
                select = _checked(_as_list(value), f"{where} select")
            elif key == "ignore":
                ignore = _checked(_as_list(value), f"{where} ignore")
            elif isinstance(value, Mapping):
                per_dialect[key] = cls.from_mapping(value, f"{where} [{key}]")
            else:
                raise DDLOpsError(
                    f"{where}: unknown setting {key!r}; expected select, ignore, or a table "
                    "per database (postgresql, mysql, mariadb, sqlite, ...)"
                )
        return cls(select, ignore, per_dialect)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.replace(",", " ").split()
    return [str(v) for v in value]
