"""The project's static checks run with the tests, so one command runs every check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_OVERLAP = ROOT.parent / "shared" / "tools" / "seed-overlap"
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [["ruff", "check", "generator", "tests"], ["ruff", "format", "--check", "generator", "tests"], ["mypy"]],
    ids=lambda c: " ".join(c[:2]),
)
def test_static_check(command: list[str]) -> None:
    result = subprocess.run([str(BIN / command[0]), *command[1:]], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not SEED_OVERLAP.exists(), reason="shared/tools/seed-overlap is not beside this checkout")
def test_no_sentence_is_copied_from_the_source_guides() -> None:
    result = subprocess.run(
        [str(SEED_OVERLAP), "content", "site_templates", "generator"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
