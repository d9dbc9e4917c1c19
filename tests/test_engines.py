"""Each engine builds the same generated project: MkDocs, ProperDocs and Zensical."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import engines
from generator.build import build, generate
from generator.cli import cli
from generator.errors import BuildError
from tests.conftest import EXAMPLES, PROFILES, SEARCH_INDEX

TODAY = dt.date(2026, 11, 23)
J1 = PROFILES / "j1-letters-in-progress.yaml"


def _installed(name: str) -> pytest.MarkDecorator:
    extra = engines.ENGINES[name].extra
    return pytest.mark.skipif(
        not engines.ENGINES[name].installed(), reason=f"{name} is not installed (pip install -e '.[{extra}]')"
    )


ENGINES = [pytest.param(name, marks=_installed(name)) for name in engines.NAMES]


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every example profile built by every installed engine, once for this module."""
    root = tmp_path_factory.mktemp("engines")
    built = {}
    for name in engines.NAMES:
        if not engines.ENGINES[name].installed():
            continue
        for example in EXAMPLES:
            out = root / name / example.stem
            build(example, out, TODAY, engine=name)
            built[name, example.stem] = out
    return built


@pytest.mark.parametrize("engine", ENGINES)
def test_each_engine_builds_the_example_with_search_theme_override_and_css(
    sites: dict[tuple[str, str], Path], engine: str
) -> None:
    site = sites[engine, J1.stem]
    pages = sorted(p.name for p in site.glob("*.html"))
    assert pages == [
        "404.html",
        "about.html",
        "checklists.html",
        "ecfmg.html",
        "index.html",
        "letters.html",
        "print.html",
        "programs.html",
        "publishing.html",
        "research.html",
        "timeline.html",
        "visa.html",
    ]
    assert "Dr. Helen Park" in (site / SEARCH_INDEX[engine]).read_text()
    home = (site / "index.html").read_text()
    assert '<meta name="handbook-key" content="j1-letters-in-progress-priya-natarajan">' in home  # our override of base.html
    assert '<p class="handbook-stamp">' in home
    for asset in (
        "stylesheets/handbook.css",
        "stylesheets/stamp.css",
        "javascripts/checklists.js",
        "javascripts/iframe-worker.js",
    ):
        assert f'assets/{asset}"' in home and (site / "assets" / asset).is_file()
    assert (site / "timeline.ics").is_file()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_print_page_is_left_out_of_search(sites: dict[tuple[str, str], Path], engine: str) -> None:
    index = (sites[engine, J1.stem] / SEARCH_INDEX[engine]).read_text()
    assert "print.html" not in index and "letters.html" in index


def test_every_page_reads_the_same_on_every_engine(sites: dict[tuple[str, str], Path]) -> None:
    names = sorted({name for name, _ in sites})
    if len(names) < 2:
        pytest.skip("only one engine is installed (pip install -e '.[properdocs,zensical]')")
    compared = 0
    for example in EXAMPLES:
        reference = sites[names[0], example.stem]
        for page in sorted(reference.glob("*.html")):
            text = article_text(page.read_text())
            assert text, page
            for other in names[1:]:
                assert article_text((sites[other, example.stem] / page.name).read_text()) == text, (other, page)
                compared += 1
    assert compared >= len(EXAMPLES) * 10 * (len(names) - 1)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_link_to_a_missing_heading_stops_the_build_on_every_engine(tmp_path: Path, engine: str) -> None:
    project = tmp_path / "project"
    generate(J1, project, TODAY)
    about = project / "docs" / "about.md"
    about.write_text(about.read_text() + "\nSee [nowhere](#nowhere).\n")
    with pytest.raises(BuildError) as caught:
        engines.build(engine, project, tmp_path / "site", 0)
    assert "contains a link '#nowhere', but there is no such anchor" in str(caught.value) or re.search(
        r"about\.md:\d+:\d+: anchor does not exist", str(caught.value)
    )
    assert str(caught.value).startswith(f"{engines.ENGINES[engine].label} could not build the handbook:\n  ")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_public_build_is_scanned_on_every_engine(tmp_path: Path, engine: str) -> None:
    text = J1.read_text().replace("Ultrasound features of tuberculous lymphadenitis", "Ultrasound study, AAMC 15550123")
    profile = tmp_path / "leaky.yaml"
    profile.write_text(text)
    with pytest.raises(BuildError) as caught:
        build(profile, tmp_path / "site", TODAY, public=True, engine=engine)
    assert "applicant.aamc_id" in str(caught.value) and "15550123" not in str(caught.value)
    assert SEARCH_INDEX[engine] in str(caught.value) or "more file" in str(caught.value)


def test_an_engine_that_is_not_installed_is_one_line_saying_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engines.Engine, "installed", lambda self: self.name != "zensical")
    result = CliRunner().invoke(cli, ["build", str(J1), "-o", "site", "--engine", "zensical"])
    assert result.exit_code == 2
    assert result.output == (
        "error: the Zensical engine is not installed; install it with: pip install 'residency-handbook[zensical]'\n"
    )


def test_an_unknown_engine_is_refused_by_the_option() -> None:
    result = CliRunner().invoke(cli, ["build", str(J1), "--engine", "hugo"])
    assert result.exit_code == 2
    assert "Invalid value for '--engine': 'hugo' is not one of 'mkdocs', 'properdocs', 'zensical'." in result.output


def test_generate_names_the_build_command_of_each_engine(tmp_path: Path) -> None:
    out = tmp_path / "project"
    result = CliRunner().invoke(cli, ["generate", str(J1), "-o", str(out), "--today", "2026-11-23"])
    config = out / "mkdocs.yml"
    assert result.output == (
        f"Wrote the MkDocs project to {out}/; build it with: mkdocs build -f {config}\n"
        f"(or with its successors: properdocs build -f {config}, or zensical build -f {config})\n"
    )


def test_engine_output_is_read_as_one_line_per_problem() -> None:
    zensical = (
        "Build started\n\x1b[33mWarning:\x1b[0m page does not exist\n     \u256d\u2500[ about.md:170:5 ]\n"
        "     \u2502\nWarning: anchor does not exist\n\u256d\u2500[ about.md:170:26 ]\n2 issues found\n"
        "Traceback (most recent call last):\nRuntimeError: Aborted because --strict flag is set\n"
    )
    assert engines.problems(zensical) == ["about.md:170:5: page does not exist", "about.md:170:26: anchor does not exist"]
    properdocs = "INFO    -  Cleaning\nWARNING -  Doc file 'about.md' contains a link 'x.md', but the target is not found.\n"
    assert engines.problems(properdocs) == ["Doc file 'about.md' contains a link 'x.md', but the target is not found."]
    assert engines.problems("Traceback (most recent call last):\nRuntimeError: boom\n") == ["RuntimeError: boom"]


class _Article(HTMLParser):
    """The text of a page's main article, without the theme's markup around it."""

    VOID = frozenset({"br", "img", "input", "hr", "meta", "link", "wbr", "col", "source"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0 and tag == "article":
            self.depth = 1
        elif self.depth and tag not in self.VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def article_text(html: str) -> str:
    parser = _Article()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts)).strip()


@pytest.mark.parametrize("engine", ["properdocs", "zensical"])
def test_the_successors_serve_from_their_own_process(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, engine: str) -> None:
    calls: list[tuple[list[str], Path]] = []
    monkeypatch.setattr(engines.Engine, "installed", lambda self: True)
    monkeypatch.setattr(subprocess, "run", lambda command, cwd, check: calls.append((command, cwd)))
    engines.serve(engine, tmp_path, "127.0.0.1:8001")
    assert calls == [([sys.executable, "-m", engine, "serve", "-f", "mkdocs.yml", "-a", "127.0.0.1:8001"], tmp_path)]


@pytest.mark.parametrize("engine", ENGINES[1:])
def test_build_all_builds_with_the_engine_and_rebuilds_when_it_changes(tmp_path: Path, engine: str) -> None:
    folder = tmp_path / "advisees"
    folder.mkdir()
    shutil.copy(J1, folder / "priya.yaml")
    out = tmp_path / "handbooks"
    runner = CliRunner()
    first = runner.invoke(cli, ["build-all", str(folder), "-o", str(out), "--today", "2026-11-23", "--engine", engine, "-j", "1"])
    assert first.exit_code == 0, first.output
    assert (out / "priya" / SEARCH_INDEX[engine]).is_file() and (out / "priya" / "print.html").is_file()
    again = runner.invoke(cli, ["build-all", str(folder), "-o", str(out), "--today", "2026-11-23", "--engine", engine, "-j", "1"])
    assert "skipped priya" in again.output
    other = runner.invoke(cli, ["build-all", str(folder), "-o", str(out), "--today", "2026-11-23", "-j", "1"])
    assert "built priya" in other.output and (out / "priya" / "search" / "search_index.js").is_file()
