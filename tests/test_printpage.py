"""The print page: every page's Markdown in one, with unique ids and links kept working."""

from __future__ import annotations

import datetime as dt
import re

from generator.build import prepare
from generator.printpage import Source, render, section, target
from tests.conftest import EXAMPLES, PROFILES

LETTERS = """\
# Letters

## Why they matter {#lor-why}

See [the mix](#lor-mix), [the visa page](visa.md), [its steps](visa.md#visa-steps) and [AAMC](https://www.aamc.org/).

### Details

A typed \\](visa.md) stays text. [Calendar](timeline.ics)

```text
# not a heading [x](visa.md)
```

??? question "Folded?"
    Yes.
"""


def _ids() -> dict[str, set[str]]:
    return {"letters": {"lor-why", "lor-mix"}, "visa": {"visa-steps"}}


def test_a_page_becomes_a_section_with_its_headings_one_level_down_and_its_ids_prefixed() -> None:
    text = section(Source("letters.md", "Letters", LETTERS), _ids())
    assert text.splitlines()[:3] == [
        "## Letters {#print-letters .handbook-print-page}",
        "",
        "### Why they matter {#print-letters--lor-why}",
    ]
    assert "#### Details\n" in text


def test_links_between_pages_become_links_within_the_print_page() -> None:
    text = section(Source("letters.md", "Letters", LETTERS), _ids())
    assert (
        "See [the mix](#print-letters--lor-mix), [the visa page](#print-visa), [its steps](#print-visa--visa-steps) "
        "and [AAMC](https://www.aamc.org/)." in text
    )
    assert "A typed \\](visa.md) stays text. [Calendar](timeline.ics)" in text


def test_code_fences_are_copied_as_they_are_and_folded_blocks_print_open() -> None:
    text = section(Source("letters.md", "Letters", LETTERS), _ids())
    assert "```text\n# not a heading [x](visa.md)\n```" in text
    assert '???+ question "Folded?"\n    Yes.' in text


def test_link_targets() -> None:
    ids = _ids()
    assert target("#lor-why", "letters", ids) == "#print-letters--lor-why"
    assert target("#at-a-glance", "letters", ids) == "#at-a-glance"  # an id from the heading's text: kept
    assert target("visa.md#unknown", "letters", ids) == "#print-visa"
    assert target("about.md", "letters", ids) == "about.md"  # not a page of this print
    assert target("https://example.org/a.md#x", "letters", ids) == "https://example.org/a.md#x"


def test_a_page_without_a_title_heading_gets_one() -> None:
    assert section(Source("about.md", "About", "Text.\n"), {"about": set()}) == (
        "## About {#print-about .handbook-print-page}\n\nText.\n"
    )


def test_the_print_page_is_excluded_from_search_and_opens_with_its_title() -> None:
    text = render([Source("letters.md", "Letters", "# Letters\n\nText.\n")])
    assert text.startswith("---\n")
    assert "search:\n  exclude: true\n" in text and "hide:\n  - toc\n" in text
    assert "\n# The whole handbook\n" in text
    assert text.endswith("## Letters {#print-letters .handbook-print-page}\n\nText.\n")


def test_every_example_handbook_prints_every_page_in_menu_order_and_links_it_from_home() -> None:
    for example in EXAMPLES:
        handbook = prepare(example, dt.date(2026, 11, 23))
        files = handbook.files
        printed = files["docs/print.md"].decode()
        titles = re.findall(r"^## (.+) \{#print-[\w-]+ \.handbook-print-page\}$", printed, re.MULTILINE)
        assert titles == [page.title for page in handbook.plan.pages], example.name
        assert "[Print the whole handbook](print.md)" in files["docs/index.md"].decode()
        assert "- Print the whole handbook: print.md" in files["mkdocs.yml"].decode()
        ids = re.findall(r"\{#([\w-]+)", printed)
        assert len(ids) == len(set(ids)), example.name


def test_ticks_from_the_profile_show_on_the_print_page() -> None:
    files = prepare(PROFILES / "j1-letters-in-progress.yaml", dt.date(2026, 11, 23)).files
    printed = files["docs/print.md"].decode()
    assert "- [x] Set up a reference manager" in printed and "- [ ] Search PubMed" in printed


def test_in_page_links_in_raw_html_follow_the_prefixed_ids() -> None:
    page = '# Letters\n\n## The mix {#lor-mix}\n\n<ol><li><a href="#lor-mix" title="x">Mix</a></li></ol>\n'
    text = section(Source("letters.md", "Letters", page), _ids())
    assert '<a href="#print-letters--lor-mix" title="x">Mix</a>' in text
