"""Selection (the plan, `done:` ids) and rendering (escaping, emails, checklists)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.build import prepare
from generator.errors import InputError
from generator.render import _email
from generator.templating import md_escape
from tests.conftest import MINIMAL, PROFILES

TODAY = dt.date(2026, 11, 23)


def _pages(path: Path) -> dict[str, str]:
    return {k: v.decode() for k, v in prepare(path, TODAY).files.items() if k.endswith(".md")}


def test_plan_names_the_condition_that_selected_each_block() -> None:
    plan = prepare(PROFILES / "j1-letters-in-progress.yaml", TODAY).plan.as_json()
    letters = next(page for page in plan["pages"] if page["id"] == "letters")
    followups = [b for b in letters["blocks"] if b["id"] == "lor-followup"]
    assert [b["item"] for b in followups] == ["dr-helen-park", "dr-r-subramanian"]
    assert followups[0]["for_each"] == "asked_letters" and followups[0]["file"] == "content/emails/lor-followup.md"
    # Match 2029: the season opens in June 2028, so no reminder yet however long ago the requests were
    assert not [b for b in letters["blocks"] if b["id"] == "lor-reminder"]
    visa = next(page for page in plan["pages"] if page["id"] == "visa")
    assert visa["when"] == "a.non_us"


def test_done_ids_tick_items_for_all_or_one_writer(write: Callable[..., Path]) -> None:
    text = (PROFILES / "j1-letters-in-progress.yaml").read_text()
    text = text.replace("done: [res-skills-zotero]", "done: [res-skills-zotero, lor-packet-cv@dr-helen-park, lor-packet-ps]")
    letters = _pages(write(text))["docs/letters.md"]
    assert "- [x] " in letters and "`lor-packet-cv@dr-helen-park`" in letters
    for line in letters.splitlines():
        if line.endswith(("`lor-packet-cv@dr-helen-park`", "`lor-packet-ps@dr-helen-park`", "`lor-packet-ps@dr-r-subramanian`")):
            assert line.startswith("- [x] "), line
        if line.endswith("`lor-packet-cv@dr-r-subramanian`"):
            assert line.startswith("- [ ] "), line
    assert "- [x] " in _pages(write(text))["docs/research.md"]


def test_unknown_done_id_names_the_closest(write: Callable[..., Path]) -> None:
    path = write(MINIMAL + "done: [res-skills-zoterro, lor-packet-cv@nobody]\n")
    with pytest.raises(InputError) as info:
        prepare(path, TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{path}:12: done[0]: unknown checklist item 'res-skills-zoterro'; "
        "closest known: res-skills-zotero, res-skills-folders, res-skills-software",
        f"{path}:12: done[1]: unknown checklist item 'lor-packet-cv@nobody'; "
        "the profile has nothing in letters yet: use lor-packet-cv",
    ]


def test_a_done_id_stays_valid_when_its_writer_stops_counting(write: Callable[..., Path]) -> None:
    text = (
        (PROFILES / "j1-letters-in-progress.yaml")
        .read_text()
        .replace("done: [res-skills-zotero]", "done: [lor-packet-cv@dr-helen-park]")
    )
    text = text.replace("asked_on: 2026-10-26\n    response: strong", "asked_on: 2026-10-26\n    response: hesitant")
    assert "response: hesitant" in text
    assert "Packet for Dr. Helen Park" not in _pages(write(text))["docs/letters.md"]


def test_done_id_with_an_unknown_writer(write: Callable[..., Path]) -> None:
    text = (
        (PROFILES / "j1-letters-in-progress.yaml")
        .read_text()
        .replace("done: [res-skills-zotero]", "done: [lor-packet-cv@dr-who]")
    )
    with pytest.raises(InputError) as info:
        prepare(write(text), TODAY)
    assert str(info.value).endswith(
        "done[0]: unknown checklist item 'lor-packet-cv@dr-who'; "
        "allowed: lor-packet-cv@dr-helen-park, lor-packet-cv@dr-r-subramanian"
    )


def test_markdown_escaping() -> None:
    assert md_escape("*a* _b_ [c](d) <e> & `f` {g} #h | i\nj") == (r"\*a\* \_b\_ \[c\](d) &lt;e&gt; &amp; \`f\` \{g\} \#h \| i j")


def test_email_fence_outlasts_backticks_in_the_text() -> None:
    fenced = _email("Hello", "Some ```code``` and ````more````\n")
    assert fenced.startswith("`````text\nSubject: Hello\n\n") and fenced.endswith("\n`````\n")


def test_emails_are_plain_text_with_profile_values_as_typed(write: Callable[..., Path]) -> None:
    text = (PROFILES / "j1-letters-in-progress.yaml").read_text()
    text = text.replace("context: neuroradiology reading room observership", "context: '*stroke* <CT> {{ 7*7 }}'")
    letters = _pages(write(text))["docs/letters.md"]
    assert "*stroke* <CT> {{ 7*7 }}" in letters.split("```text", 1)[1]


def test_escaping_keeps_the_spaces_around_a_value() -> None:
    assert md_escape(", ") == ", " and md_escape(" a\t\nb ") == " a b "
