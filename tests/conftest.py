"""Shared fixtures: small real profiles written to tmp_path."""

from __future__ import annotations

import importlib.util
import json
import textwrap
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROFILES = ROOT / "profiles"
EXAMPLES = sorted(PROFILES.glob("*.yaml"))
# Where each engine's built site keeps its search index (Material's: the script a page opened
# from disk loads, also what a served page reads: the JSON copy is not shipped).
SEARCH_INDEX = {"mkdocs": "search/search_index.js", "properdocs": "search/search_index.js", "zensical": "search.json"}


def bench_profiles() -> ModuleType:
    """bench/profiles.py: writes varied valid profiles (visas, Match years, research, letters, programs)."""
    spec = importlib.util.spec_from_file_location("bench_profiles", ROOT / "bench" / "profiles.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def search_index(site: Path, engine: str = "mkdocs") -> dict[str, Any]:
    """The built site's search index, as data."""
    text = (site / SEARCH_INDEX[engine]).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text.removeprefix("var __index = "))
    return data


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
