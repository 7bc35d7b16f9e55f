"""What a new user meets first: the README's commands and the way into the docs.

Found in a new user's first hour: no working install instruction, no getting-started
page, and the tutorial last of eight pages in a glob table of contents.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = ROOT / "docs"


def section(text: str, title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no '## {title}' section"
    return match.group(1)


def fenced(text: str) -> list[str]:
    return re.findall(r"^```[\w-]*\n(.*?)^```", text, re.S | re.M)


def toctree(page: Path) -> list[str]:
    block = re.search(r"```\{toctree\}\n(.*?)```", page.read_text(encoding="utf-8"), re.S)
    assert block, f"{page} has no toctree"
    lines = block.group(1).splitlines()
    assert not any(line.strip() == ":glob:" for line in lines), f"{page}: list pages explicitly"
    return [line.strip() for line in lines if line.strip() and not line.startswith(":")]


def test_try_it_keeps_exactly_its_two_commands() -> None:
    blocks = fenced(section(README, "Try it"))
    assert [b.strip() for b in blocks] == [
        "python3 -m venv .venv && .venv/bin/pip install nox && .venv/bin/nox -s demo",
        "python3 -m venv .venv && .venv/bin/pip install nox && .venv/bin/nox -s tests",
    ]


def test_readme_install_covers_the_cli_each_package_alone_and_wheels() -> None:
    install = " ".join(fenced(section(README, "Install")))
    folders = ("revgraph", "ddl-ops", "autogen", "migrate-cli")
    one_command = re.search(
        r"pip install " + r"\s*\\?\s*".join(rf'"\$MIGRATE_SRC/packages/{f}"' for f in folders),
        install,
    )
    assert one_command, "the CLI needs all four folders in one pip command"
    assert 'pip install "$MIGRATE_SRC/packages/revgraph"\n' in install
    assert 'pip install "$MIGRATE_SRC/packages/ddl-ops"\n' in install
    assert "nox -s build" in install
    assert 'pip install --find-links "$MIGRATE_SRC/dist" migrate-cli' in install
    assert "docs/getting-started.md" in section(README, "Install")


def test_the_docs_start_with_getting_started_and_it_starts_with_install() -> None:
    assert toctree(DOCS / "index.md")[0] == "getting-started"
    page = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    headings = re.findall(r"^(#{1,3}) (.+)$", page, re.M)
    assert headings[1] == ("##", "Install")
    titles = [title for _, title in headings]
    for wanted in ("revgraph alone", "ddl-ops alone", "From wheels", "A five-minute tour"):
        assert wanted in titles
    assert "pip install --find-links dist migrate-cli" in page
    assert "nox -s build" in page


def test_the_tutorial_comes_first_in_the_cli_section_and_no_page_is_lost() -> None:
    entries = toctree(DOCS / "migrate-cli" / "index.md")
    assert entries[0] == "tutorial"
    pages = {p.stem for p in (DOCS / "migrate-cli").glob("*.md")} - {"index"}
    assert pages <= set(entries), f"pages missing from the toctree: {pages - set(entries)}"


def test_the_tutorial_explains_sqlite_and_batch_mode() -> None:
    tutorial = (DOCS / "migrate-cli" / "tutorial.md").read_text(encoding="utf-8")
    sqlite = section(tutorial, "On SQLite: batch mode")
    assert "batch_alter_table" in sqlite and "render_as_batch=True" in sqlite
