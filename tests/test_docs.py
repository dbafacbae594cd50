"""The README stays true: every command and every named query is documented, and its make targets exist."""

from __future__ import annotations

import re
from pathlib import Path

from gcmkg.cli import parser

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_in_the_readme() -> None:
    commands = parser()._subparsers._group_actions[0].choices  # noqa: SLF001 - argparse keeps them here
    missing = [name for name in commands if f"gcmkg {name}" not in README]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_every_named_query_is_in_the_readme() -> None:
    names = [p.stem for p in (ROOT / "gcmkg" / "queries").glob("*.rq") if not p.stem.startswith("viz-")]
    assert len(names) >= 13
    missing = [name for name in names if f"`{name}`" not in README]
    assert not missing, f"named queries not documented in README.md: {missing}"


def test_the_two_commands_of_the_quick_start_exist() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make demo" in README and "make test" in README
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_images_exist() -> None:
    for target in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README):
        assert (ROOT / target).is_file(), target
