"""The built handbooks read as advice, not as our code (issue 15).

Every example profile and a few realistic ones are built once; their article text is
scanned for our identifiers as headlines, escape debris, profile syntax outside the one
"Update your profile" box, repeated finding texts, machine grammar and length.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from generator.build import Handbook, build
from tests import language
from tests.conftest import EXAMPLES, MINIMAL

TODAY = dt.date(2026, 11, 23)
PRINT_PAGES = ("checklists.html", "print.html")  # pages that repeat the others for paper

FOUR_YEARS_OUT = MINIMAL.replace("match_year: 2029", "match_year: 2031")
EMPTY_FOREIGN = MINIMAL.replace("citizenship: us", "citizenship: non_us\n  visa: undecided")
REALISTIC = {"four-years-out": FOUR_YEARS_OUT, "empty-foreign": EMPTY_FOREIGN}
IN_SEASON = "h1b-strong-in-season"


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Handbook]]:
    root = tmp_path_factory.mktemp("language")
    sources = {profile.stem: profile for profile in EXAMPLES}
    for name, text in REALISTIC.items():
        sources[name] = root / f"{name}.yaml"
        sources[name].write_text(text, encoding="utf-8")
    return {name: (root / name, build(source, root / name, TODAY)) for name, source in sources.items()}


@pytest.fixture(scope="module")
def pages(sites: dict[str, tuple[Path, Handbook]]) -> dict[str, list[language.Page]]:
    return {name: language.read_site(site) for name, (site, _) in sites.items()}


def _faults(pages: dict[str, list[language.Page]], find: object) -> list[str]:
    assert callable(find)
    return [f"{site}/{page.name}: {fault}" for site, found in pages.items() for page in found for fault in find(page)]


def test_no_heading_or_box_title_is_one_of_our_codes(pages: dict[str, list[language.Page]]) -> None:
    def find(page: language.Page) -> list[str]:
        return [h for h in page.headings if language.CODE_SHAPED.search(h)]

    faults = _faults(pages, find)
    assert not faults, "\n".join(faults)


def test_no_escape_debris_in_the_text(pages: dict[str, list[language.Page]]) -> None:
    def find(page: language.Page) -> list[str]:
        return sorted({m.group() for m in language.DEBRIS.finditer(page.text)})

    faults = _faults(pages, find)
    assert not faults, "\n".join(faults)


def test_profile_keys_appear_as_code_only_in_the_update_box(pages: dict[str, list[language.Page]]) -> None:
    keys = language.profile_keys()
    key = re.compile(r"^\s*-?\s*(\w+)\s*(?::|$)")

    def find(page: language.Page) -> list[str]:
        hits = []
        for code in page.code:
            for line in code.splitlines() or [code]:
                m = key.match(line)
                if m and m.group(1) in keys:
                    hits.append(line.strip())
        return hits

    faults = _faults(pages, find)
    assert not faults, "\n".join(faults)


def test_each_finding_text_appears_at_most_twice(
    pages: dict[str, list[language.Page]], sites: dict[str, tuple[Path, Handbook]]
) -> None:
    faults = []
    for name, found in pages.items():
        text = " ".join(page.text for page in found if page.name not in PRINT_PAGES)
        for message in {f.message for f in sites[name][1].plan.findings}:
            count = text.count(message)
            if count > 2:
                faults.append(f"{name}: {count} times: {message}")
    assert not faults, "\n".join(faults)


def test_numbers_articles_and_dates_read_as_people_write_them(pages: dict[str, list[language.Page]]) -> None:
    def find(page: language.Page) -> list[str]:
        prose = " ".join(" ".join(page.prose).split())
        hits = [f"{what}: {m.group()}" for what, rule in language.GRAMMAR.items() for m in rule.finditer(prose)]
        everything = page.text + " " + " ".join(page.code)
        return hits + [f"greeting with a full name: {m.group()}" for m in language.DEAR_FULL_NAME.finditer(everything)]

    faults = _faults(pages, find)
    assert not faults, "\n".join(faults)


def test_a_complete_in_season_handbook_is_under_ten_thousand_words(pages: dict[str, list[language.Page]]) -> None:
    counts = {page.name: page.read for page in pages[IN_SEASON] if page.name not in PRINT_PAGES}
    assert sum(counts.values()) < 10_000, counts


def test_the_reader_sees_the_words_not_the_markup() -> None:
    """The scanner itself: quiet codes and checklist ids are not read; an update box may hold profile syntax."""
    html = """<html><body><nav>Skipped</nav><article class="md-content__inner">
    <h1>Letters</h1>
    <div class="admonition warning"><p class="admonition-title">Time to remind Dr. Park</p>
    <p>Send the reminder. <small class="handbook-code">LOR-REMIND</small></p></div>
    <ul><li class="task-list-item"><label><input type="checkbox"></label> Send your CV <code>lor-packet-cv</code></li></ul>
    <div class="admonition note"><p class="admonition-title">Update your profile</p>
    <pre><code>status: asked</code></pre></div>
    <p>Set <code>status</code> &amp;gt; here.</p>
    <details class="note"><summary>More</summary><p>Two words</p></details>
    </article></body></html>"""
    page = language.Page("letters.html")
    parser = language._Article(page)
    parser.feed(html)
    assert page.headings == ["Letters", "Time to remind Dr. Park", "Update your profile", "More"]
    assert page.code == ["status"]
    read = "Letters Time to remind Dr. Park Send the reminder. Send your CV Update your profile status: asked"
    assert page.text == read + " Set status &gt; here. More Two words"
    assert (len(page.words), page.read) == (len(page.words), len(page.words) - 2)  # a closed box is not read
    assert [m.group() for m in language.DEBRIS.finditer(page.text)] == ["&gt;"]


def test_every_selection_is_explained_in_words(pages: dict[str, list[language.Page]]) -> None:
    def find(page: language.Page) -> list[str]:
        return (
            ["a part without a reason"] * page.text.count("chosen by a rule about your profile.")
            if page.name == "about.html"
            else []
        )

    faults = _faults(pages, find)
    assert not faults, "\n".join(faults)
