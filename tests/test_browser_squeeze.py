"""The squeezed pages (generator.trim.squeeze_pages) look and read in a browser exactly as the theme's own."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator import trim
from generator.build import build
from tests.conftest import PROFILES
from tests.test_browser import CHROMIUM, chromium

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The same handbook as the theme writes it and as it ships (squeezed)."""
    root = tmp_path_factory.mktemp("squeeze")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(trim, "squeeze_pages", lambda site_dir: None)
        build(PROFILES / "j1-letters-in-progress.yaml", root / "theme", dt.date(2026, 11, 23))
    shutil.copytree(root / "theme", root / "shipped")
    trim.squeeze_pages(root / "shipped")
    return root / "theme", root / "shipped"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def view(browser: Any, page: Path, width: int, settle: int) -> tuple[str, str]:
    """A full-page screenshot's hash and the page's text, at this width (narrow: with the drawer open)."""
    context = browser.new_context(viewport={"width": width, "height": 900}, reduced_motion="reduce")
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    tab = context.new_page()
    tab.goto(page.as_uri())
    if width < 600:
        tab.evaluate("document.getElementById('__drawer').checked = true")
    tab.wait_for_timeout(settle)
    # The search box's placeholder is drawn differently while the search index loads: masked.
    shot = tab.screenshot(full_page=True, animations="disabled", mask=[tab.locator(".md-search__input")])
    # The text, and the names our scripts give from it (checkboxes, copy buttons).
    names = "[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label')).join('|')"
    text = tab.evaluate(f"document.body.innerText + {names}")
    context.close()
    return hashlib.sha256(shot).hexdigest(), text


@pytest.mark.parametrize(
    ("name", "width"), [("letters.html", 1280), ("letters.html", 420), ("checklists.html", 1280), ("print.html", 1000)]
)
def test_a_squeezed_page_renders_pixel_for_pixel_as_the_themes_own(
    sites: tuple[Path, Path], browser: Any, name: str, width: int
) -> None:
    theme, shipped = sites
    # squeezed: at least 2% smaller (the print page least, its article being most of it)
    assert (shipped / name).stat().st_size < (theme / name).stat().st_size * 0.98
    before, after = view(browser, theme / name, width, 800), view(browser, shipped / name, width, 800)
    if before != after:  # a page still settling (the table of contents following the scroll): look again, longer
        before, after = view(browser, theme / name, width, 2500), view(browser, shipped / name, width, 2500)
    assert before[1] == after[1]
    assert before[0] == after[0]
