"""What a built handbook ships: no source maps, no lunr language packs English search never loads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from generator.build import build
from generator.trim import lunr_needed, search_languages, trim_site, unused_theme_file
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
    # 1.2 MiB; about a fifth of it is the print page, a second copy of every page for paper.
    assert sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) <= 1.2 * 2**20


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
