"""Templates from strings are compiled once and then read from the bytecode cache."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jinja2 import Environment, TemplateSyntaxError
from jinja2.bccache import FileSystemBytecodeCache

from generator.compiled import CachedEnvironment

SOURCE = "{% if x %}\n  yes {{ x }}\n{% endif %}\n"


def env(tmp_path: Path, **settings: Any) -> CachedEnvironment:
    return CachedEnvironment(bytecode_cache=FileSystemBytecodeCache(str(tmp_path)), keep_trailing_newline=True, **settings)


def test_a_second_environment_reads_the_cached_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert env(tmp_path).from_string(SOURCE).render(x=1) == "\n  yes 1\n\n"
    assert len(list(tmp_path.iterdir())) == 1

    def no_compile(*args: Any) -> None:
        raise AssertionError("compiled again")

    second = env(tmp_path)
    monkeypatch.setattr(second, "compile", no_compile)
    assert second.from_string(SOURCE).render(x=2) == "\n  yes 2\n\n"


def test_other_syntax_settings_or_sources_never_share_code(tmp_path: Path) -> None:
    assert env(tmp_path, trim_blocks=True, lstrip_blocks=True).from_string(SOURCE).render(x=1) == "  yes 1\n"
    assert env(tmp_path).from_string(SOURCE).render(x=1) == "\n  yes 1\n\n"
    assert env(tmp_path).from_string(SOURCE.replace("yes", "no")).render(x=1) == "\n  no 1\n\n"
    assert len(list(tmp_path.iterdir())) == 3


def test_syntax_errors_are_raised_and_never_cached(tmp_path: Path) -> None:
    for _ in range(2):
        with pytest.raises(TemplateSyntaxError, match="Expected an expression"):
            env(tmp_path).from_string("{% if %}")
    assert list(tmp_path.iterdir()) == []


def test_without_a_cache_it_is_a_plain_environment() -> None:
    assert CachedEnvironment().from_string("{{ 6 * 7 }}").render() == "42"


def test_the_theme_environment_gets_a_cache_of_its_own() -> None:
    from generator.themecache import ThemeCache

    fresh = Environment()
    assert ThemeCache().on_env(fresh, config=None, files=None) is fresh
    assert isinstance(fresh.bytecode_cache, FileSystemBytecodeCache)
    assert fresh.bytecode_cache.pattern.startswith("__handbook_theme_")
    mine = FileSystemBytecodeCache()
    kept = Environment(bytecode_cache=mine)
    assert ThemeCache().on_env(kept, config=None, files=None).bytecode_cache is mine


def test_code_read_from_the_cache_folder_is_kept_for_the_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A template read through a loader, not shipped: its cached code is read from the folder once, and an
    edited source (another checksum) is never given the kept code."""
    from jinja2 import DictLoader

    from generator import compiled

    monkeypatch.setattr(compiled, "_LOADED", {})
    templates = {"page.html": "{{ x }} one"}

    def theme() -> Environment:
        return Environment(loader=DictLoader(templates), bytecode_cache=compiled.ShippedBytecodeCache(str(tmp_path)))

    assert theme().get_template("page.html").render(x=1) == "1 one"
    opened: list[str] = []
    real_open = open

    def spy(path: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", spy)
    assert theme().get_template("page.html").render(x=2) == "2 one"
    assert opened == []
    templates["page.html"] = "{{ x }} two"
    assert theme().get_template("page.html").render(x=3) == "3 two"
