"""The built site served over http, as GitHub Pages or `handbook serve` serve it, in Debian's chromium.

The handbook ships its search index once, as search/search_index.js (what a page opened from disk
loads); the theme asks for search/search_index.json over http, and our shim answers that request
from the script. Search must work at the site's root and below a sub-path (a project's Pages site).
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from generator.build import build
from tests.conftest import PROFILES
from tests.test_browser import CHROMIUM, chromium

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")


class _Handler(SimpleHTTPRequestHandler):
    asked: list[tuple[str, int]]

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        self.asked.append((self.path, int(code) if str(code).isdigit() else 0))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, list[tuple[str, int]]]]:
    """The example's handbook below /handbook/ of a local http server; the requests it answered."""
    root = tmp_path_factory.mktemp("http")
    site = root / "handbook"
    build(PROFILES / "j1-letters-in-progress.yaml", site, dt.date(2026, 11, 23))
    asked: list[tuple[str, int]] = []
    handler = type("Handler", (_Handler,), {"asked": asked})
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/handbook/", site, asked
    finally:
        server.shutdown()
        server.server_close()


def test_the_index_is_shipped_once(served: tuple[str, Path, list[tuple[str, int]]]) -> None:
    _, site, _ = served
    assert (site / "search" / "search_index.js").read_text(encoding="utf-8").startswith("var __index = {")
    assert not (site / "search" / "search_index.json").exists()


@pytest.mark.parametrize("start", ["index.html", "letters.html", ""])
def test_search_works_over_http_from_the_script(served: tuple[str, Path, list[tuple[str, int]]], start: str) -> None:
    base, _, asked = served
    del asked[:]
    with chromium() as browser:
        tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.goto(base + start)
        tab.locator("input[data-md-component=search-query]").click()
        tab.keyboard.type("Helen Park")
        result = tab.locator(".md-search-result__item", has_text="Helen Park").first
        result.wait_for(timeout=10_000)
        result.locator("a").first.click()
        tab.wait_for_load_state()
        assert tab.url.startswith(base) and "Helen Park" in tab.inner_text("article")
    assert errors == []
    assert ("/handbook/search/search_index.js", 200) in asked
    assert [path for path, code in asked if code >= 400 or "search_index.json" in path] == []
