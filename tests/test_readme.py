"""The README keeps the newcomer's two commands: set up and build an example, and run every check."""

from __future__ import annotations

import re

from tests.conftest import ROOT


def test_readme_has_exactly_the_two_commands_and_they_name_real_files() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## The two commands", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(.*?)\n```", section, re.DOTALL)
    assert len(commands) == 2
    setup, tests = commands
    assert setup.startswith("python3 -m venv .venv && ") and "/handbook build profiles/" in setup
    example = re.search(r"handbook build (profiles/\S+\.yaml)", setup)
    assert example and (ROOT / example[1]).is_file()
    assert tests == ".venv/bin/python -m pytest"
    assert ".venv/bin/python -m pytest" in (ROOT / ".ci" / "run").read_text()
