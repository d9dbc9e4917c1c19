"""How `handbook` ends: without tearing the interpreter down, yet with every byte said and the right exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROFILES

EXAMPLES = sorted(PROFILES.glob("*.yaml"))


def handbook(*args: str, full_exit: bool = False) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "HANDBOOK_FULL_EXIT"}
    if full_exit:
        env["HANDBOOK_FULL_EXIT"] = "1"
    command = [sys.executable, "-m", "generator", *args]
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False)


@pytest.mark.parametrize("full_exit", [False, True], ids=["fast-exit", "python-exit"])
def test_a_piped_check_of_every_example_says_everything_and_exits_with_its_code(full_exit: bool) -> None:
    done = handbook("check", *map(str, EXAMPLES), "--format", "json", "--today", "2026-11-23", full_exit=full_exit)
    reports = json.loads(done.stdout)  # the whole document came through the pipe
    assert len(reports) == len(EXAMPLES)
    worst = max(1 if any(f["severity"] == "error" for f in r["findings"]) else 0 for r in reports)
    assert done.returncode == worst == 1


def test_a_mistake_still_exits_2_with_its_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.yaml"
    done = handbook("check", str(missing))
    assert done.returncode == 2
    assert done.stdout == "" and done.stderr.count("\n") == 1 and "nowhere.yaml" in done.stderr


def test_a_build_writes_the_whole_handbook_before_it_ends(tmp_path: Path) -> None:
    fast, full = tmp_path / "fast", tmp_path / "full"
    assert handbook("build", str(EXAMPLES[0]), "-o", str(fast), "--today", "2026-11-23").returncode == 0
    assert handbook("build", str(EXAMPLES[0]), "-o", str(full), "--today", "2026-11-23", full_exit=True).returncode == 0
    files = sorted(p.relative_to(fast) for p in fast.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(full) for p in full.rglob("*") if p.is_file())
    assert all((fast / f).read_bytes() == (full / f).read_bytes() for f in files)
    assert not list(tmp_path.glob(".*"))  # no staging folder left behind


def test_help_and_usage_errors_keep_their_exit_codes() -> None:
    assert handbook("--help").returncode == 0
    done = handbook("build", "--no-such-option")
    assert done.returncode == 2 and "No such option" in done.stderr
