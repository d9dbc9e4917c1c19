"""What makes a run lean: `handbook check` imports no part of the build, content files parse once."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import data, diskcache, yamlsafe
from generator.data import Data
from generator.errors import InputError
from generator.paths import CONTENT
from tests.conftest import PROFILES, search_index

CHECK_THEN_LIST_MODULES = """
import sys
from generator.cli import cli
try:
    cli(["check", sys.argv[1], "--today", "2026-11-23"])
except SystemExit:
    pass
build_side = {"jinja2", "mkdocs", "material", "icalendar", "markdown"}
print(" ".join(sorted(name for name in sys.modules if name.split(".")[0] in build_side or name == "importlib.metadata")))
"""


def test_check_imports_neither_jinja_nor_mkdocs_nor_icalendar_nor_package_metadata() -> None:
    profile = str(PROFILES / "j1-letters-in-progress.yaml")
    done = subprocess.run([sys.executable, "-c", CHECK_THEN_LIST_MODULES, profile], capture_output=True, text=True, check=True)
    assert "research tier none; usable letters 2" in done.stdout
    assert done.stdout.splitlines()[-1] == ""


NOTHING_TO_BUILD_THEN_LIST_MODULES = """
import sys
from generator.cli import cli
try:
    cli(["build-all", sys.argv[1], "-o", sys.argv[2], "--today", "2026-11-23", "-j", "1"])
except SystemExit:
    pass
heavy = {"pydantic", "mkdocs", "markdown", "jinja2", "yaml", "multiprocessing", "concurrent"}
loaded = [name for name in sys.modules if name.split(".")[0] in heavy or name == "importlib.metadata"]
print(" ".join(sorted(set(loaded) - {"pydantic.plugin._loader"})))  # our stand-in (generator/__init__.py)
"""


def test_a_batch_with_nothing_to_build_loads_neither_the_models_nor_mkdocs(tmp_path: Path) -> None:
    """Nor Jinja (the overview is kept while what it is made from is unchanged), YAML, package metadata or
    the process pool: a batch with nothing to build is mostly the interpreter's start."""
    folder, out = tmp_path / "advisees", tmp_path / "out"
    folder.mkdir()
    shutil.copy(PROFILES / "j1-letters-in-progress.yaml", folder / "priya.yaml")
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-c", NOTHING_TO_BUILD_THEN_LIST_MODULES, str(folder), str(out)],
            capture_output=True,
            text=True,
            check=True,
        )
    assert "skipped priya" in done.stderr + done.stdout
    assert done.stdout.splitlines()[-1] == ""


def test_no_pydantic_plugin_sees_a_profile_and_none_is_looked_for() -> None:
    script = """
import os, sys
import generator.checked
from pydantic.plugin import _schema_validator
finder = sys.modules["pydantic.plugin._loader"]
print(os.environ["PYDANTIC_DISABLE_PLUGINS"], list(finder.get_plugins()), finder.PYDANTIC_ENTRY_POINT_GROUP)
own = finder._own
print("importlib.metadata" in sys.modules, finder._plugins is None and finder._own is own)  # loaded once
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    # Another name asked of the finder comes from pydantic's own module (which reads package metadata).
    assert done.stdout.splitlines() == ["__all__ [] pydantic", "True True"]


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
            "bad.yaml:1: not valid YAML: a list opened on this line is not closed ('[' ... ']'), "
            "or an item in it holds ': ' and needs quotes"
        )
    assert list(cache.iterdir()) == []


def test_the_assessments_content_is_checked_once_and_again_when_a_file_changes(
    cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    made: list[Data] = []
    load = data._load
    monkeypatch.setattr(data, "_load", lambda root: made.append(load(root)) or made[-1])
    first = data.load_data(content)
    monkeypatch.setattr(diskcache, "_MEMORY", {})  # as a new process: only the file is left
    monkeypatch.setattr(diskcache, "_STATE", {"folder": cache, "prebuilt": {}})
    assert data.load_data(content) == first and len(made) == 1
    facts = content / "data" / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    assert data.load_data(content) == first and len(made) == 2  # read and checked again
    facts.write_text(facts.read_text(encoding="utf-8") + "broken: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(InputError, match=r"facts\.yaml"):
            data.load_data(content)


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


def test_the_theme_listing_gives_mkdocs_the_files_it_would_find_itself(tmp_path: Path) -> None:
    import fnmatch

    import jinja2
    import material

    from generator import themecache

    custom = tmp_path / "overrides"
    (custom / ".hidden").mkdir(parents=True)
    (custom / ".hidden" / "x.svg").write_text("x")
    (custom / "partials").mkdir()
    (custom / "partials" / "a.html").write_text("a")
    folders = [str(custom), str(Path(material.__file__).parent / "templates")]
    plain = jinja2.FileSystemLoader(folders).list_templates()
    kept = themecache.ListingLoader(folders).list_templates()
    assert kept == [name for name in plain if not fnmatch.fnmatch(name, ".*") and not fnmatch.fnmatch(name, "*/.*")]
    assert "partials/a.html" in kept and len(kept) < len(plain) / 10
    assert themecache.ListingLoader(folders).list_templates() == kept  # the second time from the kept listing


def test_the_search_options_written_out_are_the_themes_own_english_defaults(tmp_path: Path) -> None:
    import datetime as dt

    import yaml

    from generator.build import generate

    generate(PROFILES / "j1-letters-in-progress.yaml", tmp_path / "ours", dt.date(2026, 11, 23))
    config = yaml.safe_load((tmp_path / "ours" / "mkdocs.yml").read_text())
    options = config["plugins"][0]["search"]
    config["plugins"][0] = "search"  # as the theme would choose them
    config["docs_dir"] = str(tmp_path / "ours" / "docs")
    config["theme"]["custom_dir"] = str(tmp_path / "ours" / "overrides")
    (tmp_path / "plain.yml").write_text(yaml.safe_dump(config))
    mkdocs = Path(sys.executable).parent / "mkdocs"
    subprocess.run([str(mkdocs), "build", "-q", "-f", str(tmp_path / "plain.yml"), "-d", str(tmp_path / "site")], check=True)
    chosen = search_index(tmp_path / "site")["config"]
    assert {"lang": [options["lang"]], "separator": options["separator"], "pipeline": options["pipeline"]} == {
        key: chosen[key] for key in ("lang", "separator", "pipeline")
    }


def test_the_generated_configuration_reads_as_mkdocs_reads_it(tmp_path: Path) -> None:
    import datetime as dt

    from mkdocs.config import load_config

    from generator.build import generate
    from generator.site import _load_config

    generate(PROFILES / "j1-letters-in-progress.yaml", tmp_path / "p", dt.date(2026, 11, 23))
    ours = _load_config(tmp_path / "p" / "mkdocs.yml", tmp_path / "site")
    theirs = load_config(config_file=str(tmp_path / "p" / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    keys = ("site_name", "nav", "docs_dir", "site_dir", "markdown_extensions", "mdx_configs", "extra", "strict")
    assert {k: ours[k] for k in keys} == {k: theirs[k] for k in keys}
    assert list(ours["plugins"]) == list(theirs["plugins"]) == ["material/search", "material/offline"]
    assert ours["plugins"]["material/search"].config == theirs["plugins"]["material/search"].config


def test_a_configuration_with_a_mkdocs_tag_is_read_by_mkdocs_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.site import _load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Hi\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: !ENV [HANDBOOK_TEST_NAME, 'fallback']\n")
    monkeypatch.setenv("HANDBOOK_TEST_NAME", "From the environment")
    assert _load_config(tmp_path / "mkdocs.yml", tmp_path / "site")["site_name"] == "From the environment"


PRELOAD_THEN_LIST_MODULES = """
import sys
from generator import workers
workers._preload()
wanted = ["generator.build", "generator.ics", "mkdocs.commands.build", "markdown.extensions.toc", "pymdownx.superfences",
          "pymdownx.tasklist", "pymdownx.highlight", "pygments"]
print(" ".join(name for name in wanted if name not in sys.modules))
"""


def test_build_all_imports_the_pipeline_and_the_markdown_extensions_once_before_it_forks_its_workers() -> None:
    done = subprocess.run([sys.executable, "-c", PRELOAD_THEN_LIST_MODULES], capture_output=True, text=True, check=True)
    assert done.stdout == "\n"


PREPARE_THEN_LIST_MODULES = """
import re, sys, datetime as dt
from generator import build
first = build.prepare(sys.argv[1], dt.date(2026, 11, 23))
print("icalendar" in sys.modules)
ours = first.files["docs/timeline.ics"]
build.prepare(sys.argv[1], dt.date(2026, 11, 24), previous_calendar=ours)
print("icalendar" in sys.modules)
last = list(re.finditer(rb"UID:[0-9a-f]+@", ours))[-1]  # the last event, ahead: kept as cancelled once gone
gone = ours[: last.start()] + b"UID:0000@" + ours[last.end() :]
build.prepare(sys.argv[1], dt.date(2026, 11, 24), previous_calendar=gone)
print("icalendar" in sys.modules)
"""


def test_the_calendar_is_written_and_read_back_without_icalendar_which_cancels_what_is_gone() -> None:
    profile = str(PROFILES / "h1b-strong-in-season.yaml")
    done = subprocess.run([sys.executable, "-c", PREPARE_THEN_LIST_MODULES, profile], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False", "True"]
