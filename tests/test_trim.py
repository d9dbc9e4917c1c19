"""What a built handbook ships: no source maps, no lunr language packs English search never loads."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.build import build
from generator.trim import (
    KEPT_ELEMENTS,
    Kept,
    kept_names,
    lunr_needed,
    search_languages,
    squeeze,
    squeeze_pages,
    trim_site,
    unused_theme_file,
)
from tests.conftest import PROFILES

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trim") / "site"
    build(PROFILES / "j1-letters-in-progress.yaml", out, TODAY)
    return out


def test_an_english_handbook_ships_no_source_map_and_no_lunr_folder(site: Path) -> None:
    assert list(site.rglob("*.map")) == []
    assert not (site / "assets" / "javascripts" / "lunr").exists()
    assert search_languages(site) == ["en"]


def test_an_english_handbook_is_at_most_1_2_megabytes(site: Path) -> None:
    # About a fifth of it is the print page, a second copy of every page for paper.
    assert sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) <= 1_200_000


def test_the_theme_scripts_and_the_inlined_search_index_are_kept(site: Path) -> None:
    scripts = sorted(p.name for p in (site / "assets" / "javascripts").rglob("*.js"))
    assert [s for s in scripts if not s.startswith(("bundle.", "search."))] == [
        "a11y.js",
        "checklists.js",
        "iframe-worker.js",
    ]
    assert len([s for s in scripts if s.startswith(("bundle.", "search."))]) == 2
    assert (site / "search" / "search_index.js").read_text().startswith("var __index = ")


@pytest.mark.parametrize(
    ("languages", "needed"),
    [
        (["en"], set()),
        (["de"], {"min/lunr.stemmer.support.min.js", "min/lunr.de.min.js"}),
        (
            ["en", "ja"],
            {"min/lunr.stemmer.support.min.js", "min/lunr.ja.min.js", "tinyseg.js", "min/lunr.multi.min.js"},
        ),
        (None, None),
    ],
)
def test_lunr_files_follow_what_materials_search_worker_imports(languages: list[str] | None, needed: set[str] | None) -> None:
    assert lunr_needed(languages) == needed


def _fake_site(root: Path, lang: list[str] | None) -> Path:
    files = {
        "index.html": '<link href="assets/stylesheets/classic/main.css">',
        "assets/stylesheets/classic/main.css": "a{}",
        "assets/stylesheets/modern/main.css": "b{}",
        "assets/javascripts/bundle.min.js": "x",
        "assets/javascripts/bundle.min.js.map": "{}",
        "assets/javascripts/lunr/min/lunr.de.min.js": "d",
        "assets/javascripts/lunr/min/lunr.fr.min.js": "f",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js": "s",
        "assets/javascripts/lunr/wordcut.js": "w",
        "keep.map": "{}",
    }
    if lang is not None:
        files["search/search_index.json"] = json.dumps({"config": {"lang": lang}, "docs": []})
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_a_german_site_keeps_its_language_pack_and_the_linked_variant(tmp_path: Path) -> None:
    site = _fake_site(tmp_path, ["de"])
    assert trim_site(site) == [
        "assets/javascripts/bundle.min.js.map",
        "assets/javascripts/lunr/min/lunr.fr.min.js",
        "assets/javascripts/lunr/wordcut.js",
        "assets/stylesheets/modern/main.css",
    ]
    kept = sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file())
    assert kept == [
        "assets/javascripts/bundle.min.js",
        "assets/javascripts/lunr/min/lunr.de.min.js",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js",
        "assets/stylesheets/classic/main.css",
        "index.html",
        "keep.map",
        "search/search_index.json",
    ]
    assert not (site / "assets" / "stylesheets" / "modern").exists()


def test_without_a_search_index_every_lunr_file_is_kept(tmp_path: Path) -> None:
    site = _fake_site(tmp_path, None)
    assert trim_site(site) == ["assets/javascripts/bundle.min.js.map", "assets/stylesheets/modern/main.css"]
    assert len(list((site / "assets" / "javascripts" / "lunr").rglob("*.js"))) == 4


def _two_indexes(root: Path, script: str | None = None, shim: str = "function answerIndexFromScript() {}") -> Path:
    data = json.dumps({"config": {"lang": ["en"]}, "docs": []})
    shim_at, bundle_at = "assets/javascripts/iframe-worker.js", "assets/javascripts/bundle.1.min.js"
    files = {
        "search/search_index.json": data,
        "search/search_index.js": script if script is not None else "var __index = " + data,
        "assets/javascripts/iframe-worker.js": shim,
        "index.html": f'<script src="{shim_at}"></script><script src="{bundle_at}">',
        "sub/page.html": f'<script src="../{shim_at}"></script><script src="../{bundle_at}">',
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def test_the_json_index_goes_when_the_script_holds_it_and_every_page_loads_the_shim(tmp_path: Path) -> None:
    site = _two_indexes(tmp_path)
    assert trim_site(site) == ["search/search_index.json"]
    assert (site / "search" / "search_index.js").is_file() and search_languages(site) == ["en"]


@pytest.mark.parametrize(
    "change",
    [
        {"search/search_index.js": 'var __index = {"config": {}, "docs": [1]}'},  # another index
        {"assets/javascripts/iframe-worker.js": "/* a shim of its own */"},  # cannot answer the request
        {"sub/page.html": '<script src="../assets/javascripts/bundle.1.min.js">'},  # a page without the shim
        {"index.html": '<link rel="preload" href="search/search_index.json">'},  # a page that names the JSON
    ],
)
def test_the_json_index_stays_unless_nothing_needs_it(tmp_path: Path, change: dict[str, str]) -> None:
    site = _two_indexes(tmp_path)
    for name, text in change.items():
        (site / name).write_text(text)
    assert trim_site(site) == []
    assert (site / "search" / "search_index.json").is_file()


@pytest.mark.parametrize(
    ("path", "unused"),
    [
        ("assets/javascripts/bundle.min.js.map", True),
        ("assets/javascripts/lunr/min/lunr.de.min.js", True),
        ("assets/javascripts/lunr/min/lunr.stemmer.support.min.js", True),
        ("assets/javascripts/bundle.min.js", False),
        ("search/search_index.js", False),
        ("notes.map", False),
    ],
)
def test_mkdocs_is_not_given_the_theme_files_english_search_never_loads(path: str, unused: bool) -> None:
    assert unused_theme_file(path, lunr_needed(["en"])) is unused


# The pages' white space (squeeze): only where no browser can tell.

MATERIAL_CSS = """
.md-typeset code,.md-typeset kbd,.md-typeset pre{white-space:pre-wrap}
.md-search__suggest{position:absolute;white-space:pre;opacity:0}
.md-nav__link{white-space:nowrap}
@media print{.md-typeset .handbook-email pre > code{white-space: pre-wrap !important}}
"""
KEPT = Kept(KEPT_ELEMENTS, frozenset({"md-search__suggest"}))


def test_the_elements_a_stylesheet_gives_white_space_that_keeps_are_named_from_it() -> None:
    kept = kept_names([MATERIAL_CSS, "/* white-space: pre */ .x { white-space: normal; white-space: break-spaces }"])
    assert kept is not None
    assert kept.tags == KEPT_ELEMENTS  # pre, code and kbd are kept whatever the stylesheet says
    assert kept.classes == {"md-search__suggest", "x"}
    assert kept_names(["p.Note:hover::before { white-space: pre-line }"]) == Kept(KEPT_ELEMENTS | {"p"}, frozenset())


@pytest.mark.parametrize(
    "sheet",
    ["[data-raw] { white-space: pre }", "#raw { white-space: pre }", ":is(p, li) { white-space: pre }", '@import "more.css";'],
)
def test_a_stylesheet_whose_kept_elements_cannot_be_named_stops_all_squeezing(sheet: str) -> None:
    assert kept_names([MATERIAL_CSS, sheet]) is None


def test_indentation_in_text_becomes_a_line_break_and_nothing_else_changes() -> None:
    page = (
        '<!doctype html>\n<html>\n  <body>\n    <nav>\n      <a href="x.html"   title="a  b">\n        Letters\n'
        "      </a>\n\n\n    </nav>\n    <p>One  two\n   three</p>\n  </body>\n</html>\n"
    )
    assert squeeze(page.encode(), KEPT).decode() == (
        '<!doctype html>\n<html>\n<body>\n<nav>\n<a href="x.html"   title="a  b">\nLetters\n'
        "</a>\n</nav>\n<p>One  two\nthree</p>\n</body>\n</html>\n"
    )


def test_elements_whose_white_space_matters_are_kept_as_they_are() -> None:
    kept = [
        "<pre><code>Dear Dr. Ruiz,\n\n    Thank you.\n</code></pre>",
        "<p>Id <code>ltr-01\n  x</code></p>",
        '<textarea name="t">\n   typed\n</textarea>',
        "<script>\n  var a = `x\n    y`;\n</script>",
        "<style>\n  .a { content: 'x  y' }\n</style>",
        '<svg viewBox="0 0 1 1">\n  <text>a\n   b</text>\n</svg>',
        "<!-- a\n    comment -->",
        '<div class="md-search__suggest" data-md-component="search-suggest">\n  x\n</div>',
        "<KBD>Ctrl\n   C</KBD>",
    ]
    page = "<body>\n  " + "\n  ".join(kept) + "\n</body>\n"
    assert squeeze(page.encode(), KEPT).decode() == "<body>\n" + "\n".join(kept) + "\n</body>\n"


@pytest.mark.parametrize(
    "page",
    [
        "<body>\n  <pre>a\n  <pre>b</pre>\n  c</pre>\n</body>",  # nested: the first end tag is not the outer one's
        '<body>\n  <a href="x"\n     title="y">z</a>\n</body>',  # a line break inside a tag
        '<body>\n  <a title="one\n   two">z</a>\n</body>',  # ... or inside an attribute's value
        '<body>\n  <p style="white-space: pre">a\n   b</p>\n</body>',  # a style of its own
        '<head>\n  <link rel="stylesheet" href="https://example.org/x.css">\n</head>',  # a stylesheet from elsewhere
        '<body>\n  <div class="md-search__suggest">\n <div>x</div>\n </div>\n</body>',  # a kept class holding its own tag
    ],
)
def test_a_page_whose_white_space_cannot_be_proven_safe_is_left_as_it_is(page: str) -> None:
    assert squeeze(page.encode(), KEPT) == page.encode()


def test_a_site_whose_scripts_set_white_space_is_not_squeezed(tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("<body>\n  <p>x</p>\n</body>\n")
    (tmp_path / "a.js").write_text('document.body.style.whiteSpace = "pre";')
    squeeze_pages(tmp_path)
    assert (tmp_path / "index.html").read_text() == "<body>\n  <p>x</p>\n</body>\n"
    (tmp_path / "a.js").write_text('var css = ".tip{white-space:nowrap}";')  # Zensical's bundle styles its widgets so
    squeeze_pages(tmp_path)
    assert (tmp_path / "index.html").read_text() == "<body>\n<p>x</p>\n</body>\n"


def test_the_built_pages_have_no_indentation_outside_kept_elements(site: Path) -> None:
    letters = (site / "letters.html").read_text(encoding="utf-8")
    assert "\n " not in re.sub(r"<(pre|code|svg|script)\b.*?</\1>", "", letters, flags=re.DOTALL)
    assert re.search(r"<pre><span></span><code>[^<]*\n\n", letters)  # an email keeps its blank lines


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["<", "a", "/", ">", '"', "'", "\n", " ", "=", "<p ", "</", "é"]), max_size=16))
def test_the_tag_with_a_break_pattern_finds_what_one_character_a_step_finds(parts: list[str]) -> None:
    from generator import trim

    one_at_a_time = re.compile(rb"""<[a-zA-Z/](?:[^>"'\n]|"[^"\n]*"|'[^'\n]*')*+[\n"']""")
    text = "".join(parts).encode()
    found, expected = trim._TAG_WITH_BREAK.search(text), one_at_a_time.search(text)
    assert (found and found.span()) == (expected and expected.span())
