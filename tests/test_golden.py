"""Each example profile renders exactly its checked-in golden files (python -m tests.golden updates them)."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES
from tests.golden import GOLDEN, expected_files


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.stem)
def test_generated_project_matches_golden(profile: Path) -> None:
    actual = expected_files(profile)
    folder = GOLDEN / profile.stem
    golden = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert sorted(actual) == sorted(golden), "pages differ: run `python -m tests.golden` and review the diff"
    for name, data in actual.items():
        if data != golden[name]:
            diff = difflib.unified_diff(
                golden[name].decode().splitlines(),
                data.decode().splitlines(),
                f"golden/{name}",
                f"actual/{name}",
                lineterm="",
                n=2,
            )
            pytest.fail("\n".join(list(diff)[:80]) + "\n\nrun `python -m tests.golden` if the change is intended")
