"""What makes a run lean: `handbook check` imports no part of the build, content files parse once."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from generator import diskcache, yamlsafe
from generator.errors import InputError
from tests.conftest import PROFILES

CHECK_THEN_LIST_MODULES = """
import sys
from generator.cli import cli
try:
    cli(["check", sys.argv[1], "--today", "2026-11-23"])
except SystemExit:
    pass
build_side = {"jinja2", "mkdocs", "material", "icalendar", "markdown"}
print(" ".join(sorted(name for name in sys.modules if name.split(".")[0] in build_side)))
"""


def test_check_imports_neither_jinja_nor_mkdocs_nor_icalendar() -> None:
    profile = str(PROFILES / "j1-letters-in-progress.yaml")
    done = subprocess.run([sys.executable, "-c", CHECK_THEN_LIST_MODULES, profile], capture_output=True, text=True, check=True)
    assert "research tier minimal" in done.stdout
    assert done.stdout.splitlines()[-1] == ""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(diskcache, "_STATE", {"folder": folder})
    monkeypatch.setattr(diskcache, "_MEMORY", {})
    return folder


def test_a_content_file_is_parsed_once_and_then_read_from_the_cache(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "a: 1\nb:\n  - x\n"
    first = diskcache.load_yaml(text, "one.yaml")
    assert first == ({"a": 1, "b": ["x"]}, {(): 1, ("a",): 1, ("b",): 2, ("b", 0): 3})
    [kept] = list(cache.glob("__handbook_yaml_*.cache"))
    assert pickle.loads(kept.read_bytes()) == first
    monkeypatch.setattr(diskcache, "_MEMORY", {})  # as a new process: only the file is left

    def refuse(text: str, file: str | Path) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(yamlsafe, "load", refuse)
    assert diskcache.load_yaml(text, "other-name.yaml") == first


def test_a_damaged_cache_file_is_parsed_again_and_replaced(cache: Path) -> None:
    diskcache.load_yaml("a: 1\n", "one.yaml")
    [kept] = list(cache.glob("__handbook_yaml_*.cache"))
    kept.write_bytes(b"not a pickle")
    diskcache._MEMORY.clear()
    assert diskcache.load_yaml("a: 1\n", "one.yaml") == ({"a": 1}, {(): 1, ("a",): 1})
    assert pickle.loads(kept.read_bytes()) == ({"a": 1}, {(): 1, ("a",): 1})


def test_a_yaml_error_is_reported_every_time_and_never_kept(cache: Path) -> None:
    for _ in range(2):
        with pytest.raises(InputError) as caught:
            diskcache.load_yaml("a: [1\n", "bad.yaml")
        assert str(caught.value) == (
            "bad.yaml:2: not valid YAML: expected ',' or ']', but got '<stream end>' "
            "(while parsing a flow sequence that starts on line 1)"
        )
    assert list(cache.iterdir()) == []


def test_an_unsafe_cache_folder_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shared = tmp_path / f"_jinja2-cache-{os.getuid()}"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    monkeypatch.setattr(diskcache, "_STATE", {})
    monkeypatch.setattr(diskcache, "_MEMORY", {})
    assert diskcache.folder() is None
    assert diskcache.load_yaml("a: 1\n", "one.yaml") == ({"a": 1}, {(): 1, ("a",): 1})
    assert list(shared.iterdir()) == []
