"""What the wheel ships so that the first run after an install compiles and parses nothing (generator.prebuild).

Each test runs with empty caches of its own (a private temp folder, nothing in memory) and with
the shipped folder it sets up, never the checkout's: what it finds there is what it asserts.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import py_compile
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import pytest

from generator import compiled, diskcache, prebuild, yamlsafe
from generator.build import build, prepare
from generator.content import Content, load_content
from generator.data import Data, load_data
from generator.errors import InputError
from generator.paths import BASE_CONFIG, CONTENT
from generator.templating import environment
from tests.golden import GOLDEN

EXAMPLE = Path(__file__).resolve().parent.parent / "profiles" / "h1b-strong-in-season.yaml"


def _reset(monkeypatch: pytest.MonkeyPatch, temp: Path, shipped: Path) -> None:
    """A first run: empty per-user cache folder, nothing in memory, `shipped` as the package's _prebuilt folder."""
    temp.mkdir(parents=True, exist_ok=True)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    monkeypatch.setattr(diskcache, "_STATE", {})
    monkeypatch.setattr(diskcache, "_MEMORY", {})
    monkeypatch.setattr(diskcache, "PREBUILT", shipped / "content.pickle")
    monkeypatch.setattr(compiled, "_LISTED", {})
    monkeypatch.setattr(compiled, "_CODE", {})
    monkeypatch.setattr(compiled, "PREBUILT_TEMPLATES", shipped / "templates")


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The folder a wheel of this checkout ships, written as the build hook writes it (byte-compiled, as pip does)."""
    folder = tmp_path_factory.mktemp("wheel") / "_prebuilt"
    with pytest.MonkeyPatch.context() as patch:
        _reset(patch, tmp_path_factory.mktemp("temp"), folder)
        summary = prebuild.write(folder, byte_compile=True)
    assert summary.startswith("prebuilt ") and summary.endswith(f" into {folder}")
    yield folder


def recorded_compiles(monkeypatch: pytest.MonkeyPatch, environment: type[jinja2.Environment]) -> list[str | None]:
    """The names of the templates this kind of Jinja environment compiles from now on (None: made from a string)."""
    names: list[str | None] = []
    compile_ = jinja2.Environment.compile

    def recorded(self: jinja2.Environment, source: Any, name: str | None = None, *args: Any, **kwargs: Any) -> Any:
        names.append(name)
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(environment, "compile", recorded)
    return names


def recorded_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files the YAML loader parses from now on."""
    parsed: list[str] = []
    load = yamlsafe.load

    def counted(text: str, file: Any, *args: Any) -> Any:
        parsed.append(str(file))
        return load(text, file, *args)

    monkeypatch.setattr(yamlsafe, "load", counted)
    return parsed


@pytest.fixture
def compiles(monkeypatch: pytest.MonkeyPatch) -> list[str | None]:
    """The names of the content templates Jinja compiles from now on (None: one made from a string, else a partial)."""
    return recorded_compiles(monkeypatch, compiled.CachedEnvironment)


def _golden(profile: Path) -> dict[str, bytes]:
    folder = GOLDEN / profile.stem
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _generated(profile: Path, content: Content) -> dict[str, bytes]:
    files = prepare(profile, dt.date(2026, 11, 23), content=content).files
    return {name: data for name, data in files.items() if name.endswith(".md") or name in ("mkdocs.yml", "plan.json")}


def test_the_shipped_folder_holds_every_content_template_and_file(shipped: Path) -> None:
    sources = {compiled.key(env, source) for env, source in _sources()}
    modules = {p.name for p in (shipped / "templates").glob("t_*.py")}
    # the content's templates, its three partials (in Markdown and in plain text) and the theme's templates
    assert {f"t_{key}.py" for key in sources} < modules
    assert len(modules - {f"t_{key}.py" for key in sources}) > 100
    assert {p.name for p in (shipped / "templates" / "__pycache__").iterdir()} == {
        f"{m.removesuffix('.py')}.{sys.implementation.cache_tag}.pyc" for m in modules
    }
    parsed = pickle.loads((shipped / "content.pickle").read_bytes())
    files = [*CONTENT.glob("**/*.yaml"), BASE_CONFIG]  # and the front matter of every Markdown file
    assert {diskcache.text_key(yamlsafe.read_text(path)) for path in files} < set(parsed)
    markdown = len(list(CONTENT.glob("sections/**/*.md"))) + len(list(CONTENT.glob("emails/*.md")))
    assert len(parsed) == len(files) + markdown + 1  # and the assessment's content, checked (generator.data)
    data = [value for value in map(pickle.loads, parsed.values()) if isinstance(value, Data)]
    assert len(data) == 1 and data[0] == load_data(CONTENT)


def _sources() -> list[tuple[jinja2.Environment, str]]:
    from generator.content import template_sources

    return template_sources(CONTENT)


def test_a_first_run_compiles_and_parses_no_content_and_renders_the_same(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[str | None]
) -> None:
    _reset(monkeypatch, tmp_path / "temp", shipped)

    parsed = recorded_parses(monkeypatch)
    content = load_content(CONTENT)
    templates = [t for block in content.blocks for t in block.templates.values()]
    assert templates and all(isinstance(t, compiled.Deferred) for t in templates)
    assert _generated(EXAMPLE, content) == _golden(EXAMPLE)
    assert parsed == [str(EXAMPLE)]  # the profile, never cached
    # nothing is compiled (not even the partials that `{% include %}` reads), only the templates rendered are loaded
    assert compiles == []
    loaded = [t for t in templates if t._template is not None]
    assert 0 < len(loaded) < len(templates)
    assert list((tmp_path / "temp").rglob("__handbook_*")) == []


def test_a_first_build_compiles_only_the_theme_icons_and_builds_the_same_site(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = recorded_compiles(monkeypatch, jinja2.Environment)
    _reset(monkeypatch, tmp_path / "temp", shipped)
    build(EXAMPLE, tmp_path / "shipped", dt.date(2026, 11, 23))
    assert "main.html" not in names and "partials/header.html" not in names
    assert [n for n in names if n is not None and not n.startswith(".icons/")] == []
    _reset(monkeypatch, tmp_path / "temp2", tmp_path / "absent")
    names.clear()
    build(EXAMPLE, tmp_path / "compiled", dt.date(2026, 11, 23))
    assert {"main.html", "partials/header.html", "findings.md"} <= set(names)
    for page in ("index.html", "letters.html", "print.html", "sitemap.xml", "404.html"):
        assert (tmp_path / "shipped" / page).read_bytes() == (tmp_path / "compiled" / page).read_bytes(), page


def test_without_the_folder_everything_is_compiled_and_parsed_at_once_and_renders_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, compiles: list[str | None]
) -> None:
    _reset(monkeypatch, tmp_path / "temp", tmp_path / "absent")
    content = load_content(CONTENT)
    templates = [t for block in content.blocks for t in block.templates.values()]
    assert not [t for t in templates if isinstance(t, compiled.Deferred)]
    assert compiles.count(None) == len({compiled.key(env, source) for env, source in _sources()})
    assert _generated(EXAMPLE, content) == _golden(EXAMPLE)
    assert sorted(n for n in compiles if n is not None) == ["finding.md", "findings.md", "update.md"]
    # the next run finds them in the per-user cache: loaded when rendered, never compiled again
    _reset(monkeypatch, tmp_path / "temp", tmp_path / "absent")
    compiles.clear()
    again = load_content(CONTENT)
    assert all(isinstance(t, compiled.Deferred) for block in again.blocks for t in block.templates.values())
    assert _generated(EXAMPLE, again) == _golden(EXAMPLE)
    assert None not in compiles


def test_a_damaged_or_unreadable_shipped_template_is_compiled_from_its_source(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "_prebuilt"
    shutil.copytree(shipped, folder)
    env = environment(CONTENT / "partials", True)
    source = "{% if x %}\nyes {{ x }}\n{% endif %}\n"
    module, code = compiled.prebuilt_module(env, source)
    for damage in ("raise SystemExit(", "", "name = None\n"):  # a syntax error, a module without a template in it
        (folder / "templates" / module).write_text(damage)
        shutil.rmtree(folder / "templates" / "__pycache__", ignore_errors=True)
        _reset(monkeypatch, tmp_path / "temp", folder)
        made = compiled.template(env, source)
        assert isinstance(made, compiled.Deferred) and made.render(x=2) == "yes 2\n"
    (folder / "templates" / module).write_text(code)
    cached = Path(py_compile.compile(str(folder / "templates" / module), doraise=True))
    pyc = compiled.prebuilt_code(compiled.key(env, source))
    assert pyc is not None and pyc.co_filename == "<template>"
    cached.write_bytes(cached.read_bytes()[:16] + b"\x00garbage")  # the header still matches the module
    _reset(monkeypatch, tmp_path / "temp", folder)
    assert compiled.prebuilt_code(compiled.key(env, source)) is None
    made = compiled.template(env, source)
    assert isinstance(made, compiled.Deferred) and made.render(x=1) == "yes 1\n"


def test_an_edited_template_or_other_settings_never_use_shipped_code(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _reset(monkeypatch, tmp_path / "temp", shipped)
    env, source = next((env, source) for env, source in _sources() if "{{" in source)
    assert isinstance(compiled.template(env, source), compiled.Deferred)
    assert isinstance(compiled.template(env, source + "\nmore"), jinja2.Template)
    other = environment(CONTENT / "partials", True)
    other.filters["shout"] = str.upper
    assert compiled.key(other, source) != compiled.key(env, source)
    assert isinstance(compiled.template(other, source), jinja2.Template)
    with pytest.raises(jinja2.TemplateSyntaxError, match="No filter named 'nope'"):
        compiled.template(env, "{{ x | nope }}")


def test_a_broken_template_still_names_its_file_and_line_when_the_rest_is_shipped(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _reset(monkeypatch, tmp_path / "temp", shipped)
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    path = next(root.glob("sections/home/*.md"))
    text = path.read_text()
    path.write_text(text + "\n{{ applicant.name | nope }}\n")
    with pytest.raises(InputError) as info:
        load_content(root)
    line = text.count("\n") + 2
    assert [str(p) for p in info.value.problems] == [f"{path}:{line}: body: template error: No filter named 'nope'."]


def test_parsed_content_is_read_from_the_shipped_file_unless_stale_or_damaged(
    shipped: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = yamlsafe.read_text(CONTENT / "pages.yaml")
    expected = yamlsafe.load(text, "pages.yaml")
    parsed = recorded_parses(monkeypatch)
    _reset(monkeypatch, tmp_path / "temp", shipped)
    assert diskcache.load_yaml(text, "pages.yaml") == expected
    assert diskcache.load_yaml(text + "\n", "edited.yaml") == expected
    assert parsed == ["edited.yaml"]
    folder = tmp_path / "_prebuilt"
    shutil.copytree(shipped, folder)
    bundle = pickle.loads((folder / "content.pickle").read_bytes())
    (folder / "content.pickle").write_bytes(pickle.dumps({k: b"\x80\x05damaged" for k in bundle}))
    _reset(monkeypatch, tmp_path / "temp2", folder)
    assert diskcache.load_yaml(text, "pages.yaml") == expected
    (folder / "content.pickle").write_bytes(b"not a pickle")
    _reset(monkeypatch, tmp_path / "temp3", folder)
    assert diskcache.load_yaml(text, "pages.yaml") == expected
    assert parsed == ["edited.yaml", "pages.yaml", "pages.yaml"]


def test_the_wheel_ships_the_folder_and_its_first_build_compiles_no_content(tmp_path: Path) -> None:
    """The build hook's folder is in the wheel; run from it, a first build writes no compiled content or parsed file."""
    root = Path(__file__).resolve().parent.parent
    made = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", str(tmp_path / "dist"), str(root)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    assert re.search(
        r"^prebuilt \d+ content templates, \d{3} theme templates and \d+ parsed content files into ", made.stderr, re.M
    )
    wheel = next((tmp_path / "dist").glob("*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "generator/_prebuilt/content.pickle" in names and not [n for n in names if n.endswith(".pyc")]
    assert {f"generator/_prebuilt/templates/t_{compiled.key(env, source)}.py" for env, source in _sources()} <= names
    zipfile.ZipFile(wheel).extractall(tmp_path / "site-packages")
    (tmp_path / "temp").mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site-packages"), "TMPDIR": str(tmp_path / "temp")}
    built = subprocess.run(
        [sys.executable, "-m", "generator", "build", str(EXAMPLE), "-o", str(tmp_path / "site"), "--today", "2026-11-23"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    kept = sorted(p.name.split("_")[3] for p in (tmp_path / "temp").glob("_jinja2-cache-*/__handbook_*"))
    assert kept and set(kept) == {"theme"}  # the theme's listing and the few icons it includes
