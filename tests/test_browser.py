"""The built site in a real browser (Debian's chromium), opened from file:// with the network blocked."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import shutil
import subprocess
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


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Debian's chromium, started by Playwright with the flags every browser test uses."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        try:
            yield browser
        finally:
            browser.close()


def only_files(context: Any) -> list[str]:
    """Let the browser context load file: addresses only; the list of the others it tried (and was refused)."""
    off_machine: list[str] = []

    def block(route: Any) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            off_machine.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    return off_machine


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Path, list[str]]]:
    site = tmp_path_factory.mktemp("browser") / "site"
    build(PROFILES / "j1-letters-in-progress.yaml", site, dt.date(2026, 11, 23))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        yield context.new_page(), site, only_files(context)
        browser.close()


def test_search_works_from_disk_with_the_network_blocked(page: tuple[Any, Path, list[str]]) -> None:
    tab, site, off_machine = page
    errors: list[str] = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto((site / "index.html").as_uri())
    assert "Priya Natarajan" in tab.inner_text("article")
    tab.locator("input[data-md-component=search-query]").click()
    tab.keyboard.type("Helen Park")
    result = tab.locator(".md-search-result__item", has_text="Helen Park").first
    result.wait_for(timeout=10_000)  # results follow each key typed: wait for the whole name's
    result.locator("a").first.click()
    tab.wait_for_load_state()
    opened = urlparse(tab.url)
    assert opened.scheme == "file" and "Helen Park" in tab.inner_text("article")
    assert errors == [] and off_machine == []


def test_search_finds_a_term_of_the_letters_guide(page: tuple[Any, Path, list[str]]) -> None:
    tab, site, off_machine = page
    tab.goto((site / "index.html").as_uri())
    tab.locator("input[data-md-component=search-query]").click()
    tab.keyboard.type("Letter Writer Portal")
    result = tab.locator(".md-search-result__item").first
    result.wait_for(timeout=10_000)
    assert "letters.html" in (result.locator("a").first.get_attribute("href") or "")
    assert off_machine == []


def test_the_copy_button_puts_the_filled_email_on_the_clipboard(page: tuple[Any, Path, list[str]]) -> None:
    tab, site, _ = page
    tab.goto((site / "letters.html").as_uri())
    tab.locator("#lor-followup-dr-helen-park ~ div.highlight .md-code__button").first.click()
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("Subject: ")
    assert "Dear Dr. Park," in copied and "7 June 2028" in copied and "Priya Natarajan" in copied


@pytest.mark.parametrize(("scheme", "dark"), [("light", False), ("dark", True)])
def test_light_and_dark_palettes_render(page: tuple[Any, Path, list[str]], scheme: str, dark: bool) -> None:
    tab, site, _ = page
    tab.emulate_media(color_scheme=scheme)
    tab.goto((site / "index.html").as_uri())
    tab.wait_for_load_state("load")
    tab.evaluate("localStorage.clear()")  # no palette chosen earlier: the system preference decides
    tab.reload()
    tab.wait_for_load_state("load")
    assert tab.get_attribute("body", "data-md-color-scheme") == ("slate" if dark else "default")
    background = tab.evaluate("getComputedStyle(document.body).backgroundColor")
    red, green, blue = (int(x) for x in re.findall(r"\d+", background)[:3])
    assert (red + green + blue < 200) is dark
    assert "Priya Natarajan" in tab.inner_text("article")
    tab.emulate_media(color_scheme="light")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", ["index", "letters", "research", "timeline", "checklists", "programs", "publishing", "print"])
def test_no_serious_or_critical_accessibility_violations(page: tuple[Any, Path, list[str]], name: str, scheme: str) -> None:
    axe = pytest.importorskip("axe_playwright_python.sync_playwright").Axe()
    tab, site, _ = page
    tab.emulate_media(color_scheme=scheme)
    tab.goto((site / f"{name}.html").as_uri())
    tab.wait_for_load_state("load")
    tab.evaluate("localStorage.clear()")
    tab.reload()
    tab.wait_for_load_state("load")
    violations = axe.run(tab).response["violations"]
    serious = [(v["id"], v["nodes"][0]["html"][:120]) for v in violations if v["impact"] in ("serious", "critical")]
    assert serious == []


def test_checkboxes_and_findings_are_named_for_screen_readers(page: tuple[Any, Path, list[str]]) -> None:
    tab, site, _ = page
    tab.goto((site / "letters.html").as_uri())
    boxes = tab.locator("article input[type=checkbox]")
    assert boxes.count() > 5
    assert all(boxes.nth(i).get_attribute("aria-label") for i in range(boxes.count()))
    assert tab.get_by_role("checkbox", name="Updated CV in ERAS format.").count() == 2  # one packet per asked writer
    warning = tab.locator("article .admonition.warning .admonition-title").first
    headline = warning.inner_text()  # a plain-words title (or the severity), never a finding's code
    assert headline and not re.match(r"[A-Z]+-[A-Z0-9-]+", headline), headline


def _box(tab: Any, item: str) -> Any:
    return tab.locator(f'input[data-item="{item}"]').first


def _tick(tab: Any, item: str) -> None:
    """Click where the box is drawn, as a person does (the drawn square sits over the input)."""
    _box(tab, item).click(force=True)


def test_a_ticked_box_survives_a_reload_and_reset_restores_the_profile(page: tuple[Any, Path, list[str]]) -> None:
    tab, site, _ = page
    tab.goto((site / "research.html").as_uri())
    assert _box(tab, "res-skills-zotero").is_checked()  # done: in the profile
    assert not _box(tab, "res-skills-pubmed").is_checked()
    _tick(tab, "res-skills-pubmed")
    _tick(tab, "res-skills-zotero")
    tab.reload()
    assert _box(tab, "res-skills-pubmed").is_checked() and not _box(tab, "res-skills-zotero").is_checked()
    tab.goto((site / "checklists.html").as_uri())  # the same item on the printable page shares the tick
    assert _box(tab, "res-skills-pubmed").is_checked()
    tab.locator("#res-skills ~ ul.task-list + button.handbook-reset").first.click()
    assert not _box(tab, "res-skills-pubmed").is_checked() and _box(tab, "res-skills-zotero").is_checked()
    tab.reload()
    assert not _box(tab, "res-skills-pubmed").is_checked() and _box(tab, "res-skills-zotero").is_checked()
    assert _box(tab, "res-skills-pubmed").get_attribute("aria-label").startswith("Search PubMed")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed (.ci/run installs it)")
def test_printed_checklists_have_the_items_and_no_navigation(page: tuple[Any, Path, list[str]], tmp_path: Path) -> None:
    tab, site, _ = page
    tab.goto((site / "checklists.html").as_uri())
    pdf = tmp_path / "checklists.pdf"
    tab.pdf(path=str(pdf), format="Letter")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Research skills", "res-skills-zotero", "lor-packet-cv@dr-helen-park"):
        assert expected in text
    assert len(re.findall(r"Priya Natarajan\s*·\s*advice as of 23 November 2026", text)) == text.count("\f")  # on every sheet
    for navigation in ("Programs and signals", "How this handbook was made", "Table of contents", "· Residency handbook"):
        assert navigation not in text
    assert text.count("Reset ticks") == 1  # the intro names the button; no button is printed
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    html = (site / "checklists.html").read_text()
    checklists = len(re.findall(r'class="handbook-checklist"', html))
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) >= checklists  # each checklist on its own sheet
    first = re.search(r'class="handbook-checklist">\s*<h2 id="[^"]+">([^<]+)<', html)
    assert first and first.group(1) in text.split("\f")[0]  # the intro shares its sheet with the first checklist


def test_ticks_move_to_another_browser_through_an_exported_file(page: tuple[Any, Path, list[str]], tmp_path: Path) -> None:
    tab, site, _ = page
    tab.goto((site / "research.html").as_uri())
    _tick(tab, "res-skills-pubmed")
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Export ticks").click()
    saved = tmp_path / "ticks.json"
    download.value.save_as(saved)
    ticks = json.loads(saved.read_text())
    assert ticks["format"] == "handbook-ticks/1" and "res-skills-pubmed" in ticks["ticked"]
    other = tab.context.browser.new_context()
    try:
        fresh = other.new_page()
        fresh.goto((site / "research.html").as_uri())
        assert not _box(fresh, "res-skills-pubmed").is_checked()
        with fresh.expect_file_chooser() as chooser:
            fresh.get_by_role("button", name="Import ticks").click()
        chooser.value.set_files(str(saved))
        fresh.wait_for_function("document.querySelector('.handbook-ticks-note').textContent.startsWith('Imported')")
        assert _box(fresh, "res-skills-pubmed").is_checked()
        fresh.reload()
        assert _box(fresh, "res-skills-pubmed").is_checked()
    finally:
        other.close()
    tab.locator("#res-skills ~ ul.task-list + button.handbook-reset").first.click()


def test_a_note_says_so_when_the_browser_blocks_storage(page: tuple[Any, Path, list[str]]) -> None:
    tab, site, _ = page
    blocked = tab.context.browser.new_context()
    blocked.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() { throw new DOMException('blocked', 'SecurityError'); }});"
    )
    try:
        fresh = blocked.new_page()
        fresh.goto((site / "research.html").as_uri())
        note = fresh.locator(".handbook-ticks-note").first
        assert note.inner_text().startswith("This browser does not let the handbook keep your ticks")
        _tick(fresh, "res-skills-pubmed")
        assert _box(fresh, "res-skills-pubmed").is_checked()
    finally:
        blocked.close()
