"""Shared fixtures: small real profiles written to tmp_path."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"
EXAMPLES = sorted(PROFILES.glob("*.yaml"))

MINIMAL = """\
profile_version: 1
as_of: 2026-11-23
applicant:
  name: Test Person
  school: Test School
  school_country: Testland
  graduation_year: 2026
  citizenship: us
goal:
  specialty: diagnostic_radiology
  match_year: 2029
"""


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write a profile file (dedented) and return its path."""

    def _write(text: str, name: str = "profile.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return _write


@pytest.fixture(autouse=True)
def _run_in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
