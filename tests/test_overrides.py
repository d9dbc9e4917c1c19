"""The theme overrides (site_templates/overrides/) on every engine: MkDocs, ProperDocs and Zensical."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator import engines
from generator.build import build
from tests.conftest import PROFILES

ENGINES = [
    pytest.param(name, marks=pytest.mark.skipif(not engines.ENGINES[name].installed(), reason=f"{name} is not installed"))
    for name in engines.NAMES
]


@pytest.fixture(scope="module", params=ENGINES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"overrides-{request.param}") / "site"
    build(PROFILES / "j1-letters-in-progress.yaml", out, dt.date(2026, 11, 23), engine=request.param)
    return out


def tables_of_contents(page: Path) -> tuple[str, list[str], list[str]]:
    """The secondary sidebar's opening tag, its entries, and the entries of the copy in the navigation."""
    html = page.read_text(encoding="utf-8")
    sidebar = re.search(r'<div class="md-sidebar md-sidebar--secondary"[^>]*>(.*?)<div class="md-content"', html, re.DOTALL)
    navigation = re.search(
        r'<nav class="md-nav md-nav--primary".*?<div class="md-sidebar md-sidebar--secondary"', html, re.DOTALL
    )
    assert sidebar and navigation
    entries = re.compile(r'<a href="(#[^"]+)" class="md-nav__link">')
    return (
        sidebar.group()[: sidebar.group().index(">") + 1],
        entries.findall(sidebar.group(1)),
        entries.findall(navigation.group()),
    )


def test_the_print_pages_hidden_table_of_contents_has_no_entries_and_the_drawers_copy_lists_its_parts(site: Path) -> None:
    opening, hidden, drawer = tables_of_contents(site / "print.html")
    assert opening.endswith(" hidden>")  # the theme hides it at every width: print.md's `hide: [toc]`
    assert hidden == []
    html = (site / "print.html").read_text(encoding="utf-8")
    parts = re.findall(r'<h2 class="handbook-print-page" id="([^"]+)"|<h2 id="(print-[a-z-]+)" class="handbook-print-page"', html)
    assert drawer == [f"#{a or b}" for a, b in parts]  # narrow screens list one entry per page it holds
    assert len(drawer) >= 8 and drawer[0] == "#print-index"


def test_a_page_that_shows_its_table_of_contents_keeps_both_copies(site: Path) -> None:
    opening, shown, drawer = tables_of_contents(site / "letters.html")
    assert not opening.endswith(" hidden>")
    assert shown == drawer and len(shown) >= 5
    assert '<nav class="md-nav md-nav--secondary" aria-label="' in (site / "print.html").read_text(encoding="utf-8")
