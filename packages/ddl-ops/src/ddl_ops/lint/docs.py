"""Documentation pages written from the rules' own metadata, so the docs never drift.

The Sphinx build calls `write_rule_pages()` before it reads the sources (docs/conf.py):
one MyST page per rule plus an index with the table of all rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ddl_ops.lint.registry import Rule, all_rules

_GENERATED = "<!-- written by ddl_ops.lint.docs from the rule definitions; do not edit -->\n"


def page_name(rule: Rule) -> str:
    return f"{rule.code.lower()}-{rule.name}"


def _databases(rule: Rule) -> str:
    names = rule.dialect_names
    return "every database" if names == ("all",) else ", ".join(names)


def _hints(hint: str | Mapping[str, str]) -> str:
    if isinstance(hint, str):
        return hint
    lines = [f"\n  - {db if db != 'default' else 'elsewhere'}: {text}" for db, text in hint.items()]
    return "".join(lines)


def _fence(code: str) -> str:
    return f"```python\n{code}\n```\n"


def rule_page(rule: Rule) -> str:
    """The MyST page of one rule."""
    when = {
        "upgrade": "on the operations of upgrade()",
        "downgrade": "on the operations of downgrade()",
        "script": "once per script (reported by lint itself)",
    }[rule.phase]
    return (
        f"{_GENERATED}# {rule.code} {rule.name}\n\n"
        f"{rule.summary}\n\n"
        f"- **Severity:** {rule.severity.value}\n"
        f"- **Databases:** {_databases(rule)}\n"
        f"- **Checked:** {when}\n"
        f"- **Message:** `{rule.message}`\n"
        f"- **Fix:** {_hints(rule.hint)}\n\n"
        f"## Why it is dangerous\n\n{rule.why}\n\n"
        f"## A migration that triggers it\n\n{_fence(rule.bad_example)}\n"
        f"## The safe pattern\n\n{_fence(rule.safe_example)}\n"
        "## Silencing it\n\n"
        f"On the line (or the line above): `# migrate: ignore[{rule.code}] <why it is safe>`. "
        f'For a whole project: `ignore = ["{rule.code}"]` in `[tool.migrate.lint]` '
        "(see [migrate lint](../../migrate-cli/lint.md)).\n"
    )


def index_page(rules: list[Rule]) -> str:
    rows = "\n".join(
        f"| [{r.code}]({page_name(r)}.md) | {r.name} | {r.severity.value} | {_databases(r)} "
        f"| {r.summary} |"
        for r in rules
    )
    entries = "\n".join(page_name(r) for r in rules)
    return (
        f"{_GENERATED}# Lint rules\n\n"
        "Every rule `migrate lint` and `ddl_ops.lint` apply. Codes group by kind: MG0xx "
        "lint itself, MG1xx columns, MG2xx indexes, MG3xx constraints, MG4xx tables, MG5xx "
        "downgrades. Select or ignore by code, code prefix (`MG2`) or name.\n\n"
        "| Code | Name | Severity | Databases | What |\n"
        "| --- | --- | --- | --- | --- |\n"
        f"{rows}\n\n"
        f"```{{toctree}}\n:hidden:\n\n{entries}\n```\n"
    )


def write_rule_pages(directory: str | Path) -> list[Path]:
    """Write the index and one page per rule into `directory`; remove pages of old rules.

    Files are rewritten only when their text changes, so Sphinx rebuilds only those.
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    rules = all_rules()
    wanted = {f"{page_name(r)}.md": rule_page(r) for r in rules}
    wanted["index.md"] = index_page(rules)
    for stale in folder.glob("*.md"):
        if stale.name not in wanted and stale.read_text(encoding="utf-8").startswith(_GENERATED):
            stale.unlink()
    written = []
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
