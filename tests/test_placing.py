"""Each finding's full text once, where it is acted on; the home page points there."""

from __future__ import annotations

import datetime as dt

from generator.build import prepare
from tests.conftest import PROFILES

TODAY = dt.date(2026, 11, 23)


def _pages(name: str) -> dict[str, str]:
    files = prepare(PROFILES / f"{name}.yaml", TODAY).files
    return {
        path.removeprefix("docs/"): data.decode()
        for path, data in files.items()
        if path.endswith(".md") and path != "docs/print.md"
    }


def test_a_writers_finding_sits_in_the_writers_card_and_home_links_to_it() -> None:
    pages = _pages("h1b-strong-in-season")
    reminder = "You asked on 1 August 2026, 114 days ago, and the letter is not uploaded yet."
    assert sum(text.count(reminder) for text in pages.values()) == 1
    card = pages["letters.md"].split("### Dr. Omar Haddad {#lor-writer-dr-omar-haddad}")[1].split("###")[0]
    assert '!!! warning "Time to remind Dr. Omar Haddad"' in card
    assert '<small class="handbook-code" title="The code handbook check prints for this finding">LOR-REMIND</small>' in card
    assert "- [Time to remind Dr. Omar Haddad](letters.md#lor-writer-dr-omar-haddad)\n" in pages["index.md"]


def test_a_finding_with_a_section_of_its_own_is_shown_there_not_in_the_box() -> None:
    pages = _pages("h1b-strong-in-season")
    sponsor = "As far as you know, this program does not sponsor the H-1B visa."
    assert sum(text.count(sponsor) for text in pages.values()) == 1
    assert (
        '!!! warning "Harbor City Medical Center does not sponsor the H-1B"' in pages["programs.md"].split("{#prog-sponsor}")[1]
    )
    assert "- [Harbor City Medical Center does not sponsor the H-1B](programs.md#prog-sponsor)\n" in pages["index.md"]


def test_no_code_is_a_headline() -> None:
    pages = _pages("us-late-applying")
    assert "**PHASE-LATE-LOW-RESEARCH**" not in pages["index.md"]
    assert '!!! warning "Little research with under a year to go"' in pages["research.md"]
    assert "- [Little research with under a year to go](research.md#res-findings)\n" in pages["index.md"]


def test_general_guide_text_is_folded_in_season_and_open_before() -> None:
    in_season = _pages("h1b-strong-in-season")["letters.md"]
    early = _pages("us-early-no-research")["letters.md"]
    folded = '## Who to ask, and who to skip {#lor-who}\n\n??? note "Open to read this part"\n    Do not simply ask'
    assert folded in in_season
    assert "## Who to ask, and who to skip {#lor-who}\n\nDo not simply ask" in early


def test_how_the_handbook_was_made_is_linked_under_every_page_not_in_the_menu() -> None:
    files = prepare(PROFILES / "us-late-applying.yaml", TODAY).files
    config = files["mkdocs.yml"].decode()
    assert "about.md" not in config.split("nav:")[1].split("\n\n")[0] and "docs/about.md" in files
    about = files["docs/about.md"].decode()
    assert "- **[Visa and ECFMG]" not in about  # a US citizen has no visa page
    assert "    - [Your plan: under a year to go](research.md#res-plan-late): because applications open within a year." in about
    assert "    - [Where you stand](research.md#res-standing): because your application season has not started yet." in about
