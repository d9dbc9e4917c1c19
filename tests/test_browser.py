"""The built site in a real browser (Debian's chromium), opened from file:// with the network blocked."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from generator.build import build
from tests.conftest import PROFILES

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path, list[str]]]:
    site = tmp_path_factory.mktemp("browser") / "site"
    build(PROFILES / "j1-letters-in-progress.yaml", site, dt.date(2026, 11, 23))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        off_machine: list[str] = []

        def block(route: Any) -> None:
            if route.request.url.startswith("file:"):
                route.continue_()
            else:
                off_machine.append(route.request.url)
                route.abort()

        context.route("**/*", block)
        yield context.new_page(), site, off_machine
        browser.close()


def test_search_works_from_disk_with_the_network_blocked(page: tuple[Any, Path, list[str]]) -> None:
    tab, site, off_machine = page
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto((site / "index.html").as_uri())
    assert "Priya Natarajan" in tab.inner_text("article")
    tab.locator("input[data-md-component=search-query]").click()
    tab.keyboard.type("Helen Park")
    result = tab.locator(".md-search-result__item").first
    result.wait_for(timeout=10_000)
    assert "Helen Park" in result.inner_text()
    result.locator("a").first.click()
    tab.wait_for_load_state()
    opened = urlparse(tab.url)
    assert (opened.scheme, Path(opened.path).name) == ("file", "letters.html")
    assert errors == [] and off_machine == []
