"""Each rule's documented examples are real: the bad one fires the rule, the safe one
does not. The docs pages show exactly these texts, so the docs cannot drift from the code."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from ddl_ops.lint import LintRun, Rule, all_rules, lint_module, load_script
from ddl_ops.lint.docs import write_rule_pages

HEADER = 'import sqlalchemy as sa\nfrom ddl_ops import op\n\nrevision = "r1"\n\n\n'
NOOP = '    op.execute("SELECT 1")\n'


def script_for(example: str) -> str:
    """A migration script holding the example (as upgrade() body unless it defines
    functions itself)."""
    if "def downgrade" in example:
        return HEADER + "def upgrade():\n" + NOOP + "\n\n" + example + "\n"
    body = textwrap.indent(example, "    ")
    return HEADER + "def upgrade():\n" + body + "\n\n\ndef downgrade():\n" + NOOP


def fired(rule: Rule, example: str, dialect: str, tmp_path: Path) -> bool:
    path = tmp_path / f"{rule.code}_{abs(hash(example))}.py"
    path.write_text(script_for(example), encoding="utf-8")
    findings = lint_module(load_script(path), LintRun.make(dialect))
    return rule.code in {f.code for f in findings}


def covered(rule: Rule) -> list[str]:
    names = rule.dialect_names
    return ["postgresql", "mysql", "sqlite"] if names == ("all",) else list(names)


BAD = [pytest.param(r, d, id=f"{r.code}-{d}") for r in all_rules() for d in covered(r)]


@pytest.mark.parametrize(("rule", "dialect"), BAD)
def test_documented_bad_example_fires(rule: Rule, dialect: str, tmp_path: Path) -> None:
    assert fired(rule, rule.bad_example, dialect, tmp_path)


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.code)
def test_documented_safe_example_is_quiet_on_postgresql(rule: Rule, tmp_path: Path) -> None:
    assert not fired(rule, rule.safe_example, "postgresql", tmp_path)


def test_docs_pages_are_written_from_the_rules(tmp_path: Path) -> None:
    (tmp_path / "mg999-retired-rule.md").write_text(
        "<!-- written by ddl_ops.lint.docs from the rule definitions; do not edit -->\n# old\n"
    )
    (tmp_path / "notes.md").write_text("# hand-written, kept\n")
    written = write_rule_pages(tmp_path)
    names = {p.name for p in tmp_path.glob("*.md")}
    assert names == {p.name for p in written} | {"notes.md"}
    assert len(written) == len(all_rules()) + 1
    for rule in all_rules():
        page = (tmp_path / f"{rule.code.lower()}-{rule.name}.md").read_text()
        assert f"# {rule.code} {rule.name}" in page
        assert rule.bad_example in page and rule.safe_example in page and rule.why in page
        assert f"[{rule.code}]" in (tmp_path / "index.md").read_text()
