"""Each engine's site in a real browser, from file:// with the network blocked: search, ticks, CSS, print page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import engines
from generator.build import build
from tests.conftest import PROFILES
from tests.test_browser import CHROMIUM, chromium, only_files
from tests.test_pdf import PAGES

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")
ENGINES = [
    pytest.param(name, marks=pytest.mark.skipif(not engines.ENGINES[name].installed(), reason=f"{name} is not installed"))
    for name in ("mkdocs", "zensical", "properdocs")
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module", params=ENGINES)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp(f"browser-{request.param}") / "site"
    build(PROFILES / "j1-letters-in-progress.yaml", out, dt.date(2026, 11, 23), engine=request.param)
    return out


@pytest.fixture
def tab(browser: Any) -> Iterator[tuple[Any, list[str], list[str]]]:
    """A fresh tab (its own storage) that lets only file: requests through; with the blocked requests and page errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    off_machine = only_files(context)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page, off_machine, errors
    context.close()


def search(page: Any, words: str) -> Any:
    """Type into the site's search and return the first result's link.

    Material's search box is in the page; Zensical's (even with Material's look) is a
    dialog, in a shadow root that Playwright's locators enter, opened by a button.
    """
    if page.locator("button.md-search__button").count():
        page.locator("button.md-search__button").click()
        page.locator("input[role=combobox]").fill(words)
        return page.locator("[role=listbox] a[role=option]").first
    page.locator("input[data-md-component=search-query]").click()
    page.keyboard.type(words)
    return page.locator(".md-search-result__item a").first


def test_search_works_from_disk_with_the_network_blocked(site: Path, tab: tuple[Any, list[str], list[str]]) -> None:
    page, off_machine, errors = tab
    page.goto((site / "index.html").as_uri())
    result = search(page, "Letter Writer Portal")
    result.wait_for(timeout=15_000)
    assert "letters.html" in (result.get_attribute("href") or "")
    result.click()
    page.wait_for_load_state()
    assert page.url.startswith("file:") and "Letter Writer Portal" in (page.text_content("article") or "")  # may be folded
    assert off_machine == [] and errors == []


def test_ticks_persist_and_the_print_page_shares_them(site: Path, tab: tuple[Any, list[str], list[str]]) -> None:
    page, off_machine, _ = tab
    page.goto((site / "research.html").as_uri())
    box = page.locator('input[data-item="res-skills-pubmed"]').first
    assert not box.is_checked()
    box.click(force=True)
    page.reload()
    assert page.locator('input[data-item="res-skills-pubmed"]').first.is_checked()
    page.goto((site / "print.html").as_uri())
    assert page.locator('input[data-item="res-skills-pubmed"]').first.is_checked()
    assert page.locator('input[data-item="res-skills-zotero"]').first.is_checked()  # ticked in the profile
    assert off_machine == []


def test_the_theme_override_and_our_css_apply(site: Path, tab: tuple[Any, list[str], list[str]]) -> None:
    page, _, _ = tab
    page.goto((site / "letters.html").as_uri())
    stamp = "Priya Natarajan · advice as of 23 November 2026 · How this handbook was made"
    assert " ".join(page.inner_text(".handbook-stamp").split()) == stamp
    assert page.evaluate("getComputedStyle(document.querySelector('.handbook-stamp')).fontSize") == "12px"
    code = "getComputedStyle(document.querySelector('.md-typeset .task-list-item > code:last-child')).whiteSpace"
    assert page.evaluate(code) == "nowrap"


def test_the_home_page_links_the_print_page_which_holds_every_page(site: Path, tab: tuple[Any, list[str], list[str]]) -> None:
    page, _, _ = tab
    page.goto((site / "index.html").as_uri())
    page.locator("article a", has_text="Print the whole handbook").first.click()
    page.wait_for_load_state()
    assert page.url.endswith("/print.html")
    titles = page.locator("article h2.handbook-print-page").all_inner_texts()
    assert [t.strip().rstrip("¶") for t in titles] == PAGES
    page.locator("article a", has_text="month-by-month timeline").first.click()  # a link between pages, now within
    assert page.url.endswith("/print.html#print-timeline--time-months")
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelectorAll('h2.handbook-print-page')[1]).breakBefore") == "page"
    assert page.evaluate("getComputedStyle(document.querySelector('h2.handbook-print-page')).breakBefore") == "auto"
    assert page.evaluate("getComputedStyle(document.querySelector('.md-sidebar--primary')).display") == "none"
