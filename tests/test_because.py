"""Why a part was chosen, in words."""

from __future__ import annotations

import pytest

from generator.because import explain, finding_clause

TRIGGERS = {
    "LOR-FEW-US": finding_clause("Too few US-based letter writers", "Fewer than 2 active letters from US-based writers."),
    "LOR-LUKEWARM": finding_clause("{subject} offered only a {response} letter", "A writer answered with standard or hesitant."),
    "ECFMG-NOT-CERTIFIED": finding_clause("ECFMG certification is still to come", "A foreign national not yet certified."),
}


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("true", ""),
        ("a.non_us", "you are a foreign national"),
        ("a.non_us and p.applicant.visa == 'j1'", "you are a foreign national and your visa path is the J-1"),
        ("a.non_us and p.applicant.visa != 'none'", "you are a foreign national and you need a visa"),
        ("a.phase in ['late', 'in_season']", "applications open within a year or your application season is under way"),
        ("len(p.letters) > 0", "you listed letter writers"),
        ("len(p.programs) == 0", "you have not listed any programs yet"),
        ("not a.has_us_experience", "you have no US clinical experience listed yet"),
        ("'LOR-FEW-US' in codes", "the handbook found: too few US-based letter writers"),
        ("'LOR-LUKEWARM' in codes", "of this rule: a writer answered with standard or hesitant"),
        (
            "a.non_us and 'ECFMG-NOT-CERTIFIED' in codes",
            "you are a foreign national and the handbook found: ECFMG certification is still to come",
        ),
    ],
)
def test_conditions_read_as_reasons(condition: str, words: str) -> None:
    assert explain(condition, TRIGGERS) == words


@pytest.mark.parametrize("condition", ["item.kind == 'asked'", "a.research_tier == 'none'", "'NO-SUCH-CODE' in codes"])
def test_a_condition_it_cannot_word_has_no_reason(condition: str) -> None:
    assert explain(condition, TRIGGERS) is None


@pytest.mark.parametrize(
    ("condition", "words"),
    [
        ("a.season_phase not in ['after_rank_deadline', 'match_week']", ""),
        ("len(p.letters) > 0 and a.season_phase not in ['after_rank_deadline', 'match_week']", "you listed letter writers"),
        ("item.status == 'uploaded' or a.season_phase not in ['after_rank_deadline', 'match_week']", ""),
        (
            "a.phase == 'late' or a.season_phase == 'interviews'",
            "applications open within a year or you are in the months of interviews",
        ),
    ],
)
def test_season_conditions_read_as_reasons(condition: str, words: str) -> None:
    assert explain(condition, TRIGGERS) == words


def test_only_the_alternatives_that_hold_are_worded() -> None:
    in_season = {"a.phase == 'in_season'", "a.season_phase == 'interviews'"}
    holds = in_season.__contains__
    assert explain("a.phase in ['late', 'in_season']", TRIGGERS, holds) == "your application season is under way"
    assert (
        explain("a.phase == 'late' or a.season_phase == 'interviews'", TRIGGERS, holds) == "you are in the months of interviews"
    )
