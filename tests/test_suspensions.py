"""The visa suspension lists: which nationality and visa route they block, and what the finding says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from generator.build import check
from tests.helpers import checked, data, profile_text

NON_US = {"citizenship": "non_us", "visa": "j1"}
EXEMPT_AND_PRECEDENT = (
    "It does not apply if you are already in the US with a valid visa, hold a US green card, or can apply with another "
    "country's passport. In 2025, when visas were barred or delayed, the NRMP let programs ask for a waiver of the Match "
    "commitment or a one-year deferral for matched applicants who could not arrive. The lists are reviewed every 180 days, "
    "next around 27 December 2026: ask each program's visa office whether it can take you before you apply, and again "
    "before you rank."
)


def suspension_findings(tmp_path: Path, today: dt.date | None = None, **applicant: Any) -> list[tuple[str, str, str]]:
    result = checked(tmp_path, today, applicant={**NON_US, **applicant}, exams={"ecfmg_certified": True})
    return [(f.code, f.severity, f.message) for f in result.findings if f.code.startswith("VISA-SUSPENSION")]


def test_a_partial_list_with_j_blocks_the_j1_route(tmp_path: Path) -> None:
    assert suspension_findings(tmp_path, nationality="NG") == [
        (
            "VISA-SUSPENSION-PARTIAL",
            "warning",
            "Since 1 January 2026, Proclamation 10998 has suspended new B, F, M and J visas for holders of your passport, "
            "so it blocks the J-1 that most residents from abroad train on. The H-1B is not on that list, but few programs "
            "sponsor it and it needs Step 3 first. The suspension does not apply if you are already in the US with a valid "
            "visa, hold a US green card, or can apply with another country's passport. In 2025, when visas were barred or "
            "delayed, the NRMP let programs ask for a waiver of the Match commitment or a one-year deferral for matched "
            "applicants who could not arrive. The lists are reviewed every 180 days, next around 27 December 2026: ask each "
            "program's visa office whether it can take you before you apply, and again before you rank.",
        )
    ]


def test_a_partial_list_does_not_cover_the_h1b(tmp_path: Path) -> None:
    assert suspension_findings(tmp_path, nationality="NG", visa="h1b") == []
    assert [code for code, _, _ in suspension_findings(tmp_path, nationality="NG", visa="undecided")] == [
        "VISA-SUSPENSION-PARTIAL"
    ]


@pytest.mark.parametrize(
    ("visa", "routes"),
    [
        ("j1", "the J-1 you plan to train on"),
        ("h1b", "the H-1B you plan to train on"),
        ("undecided", "both the J-1 and the H-1B"),
    ],
)
def test_a_full_list_blocks_every_route(tmp_path: Path, visa: str, routes: str) -> None:
    assert suspension_findings(tmp_path, nationality="AF", visa=visa) == [
        (
            "VISA-SUSPENSION-FULL",
            "warning",
            "Since 1 January 2026, Proclamation 10998 has suspended new US visas of every kind for holders of your "
            f"passport, so it blocks {routes}. {EXEMPT_AND_PRECEDENT}",
        )
    ]


@pytest.mark.parametrize(
    "applicant",
    [
        {"nationality": "IN"},  # on no list
        {"nationality": "TM"},  # partial, immigrant visas only
        {},  # nationality not given
        {"nationality": "NG", "visa": "none"},  # already authorized to work
        {"nationality": "NG", "citizenship": "us", "visa": "none"},
    ],
)
def test_no_finding_when_no_list_covers_the_route(tmp_path: Path, applicant: dict[str, Any]) -> None:
    assert suspension_findings(tmp_path, **applicant) == []


def test_the_list_in_force_on_the_advice_date_counts(tmp_path: Path) -> None:
    before = suspension_findings(tmp_path, dt.date(2025, 5, 1), nationality="LA")
    june = suspension_findings(tmp_path, dt.date(2025, 7, 1), nationality="LA")
    assert before == [] and june[0][0] == "VISA-SUSPENSION-PARTIAL" and "Proclamation 10949" in june[0][2]
    assert suspension_findings(tmp_path, dt.date(2025, 7, 1), nationality="NG") == []
    assert suspension_findings(tmp_path, nationality="LA")[0][0] == "VISA-SUSPENSION-FULL"


def test_no_message_names_the_nationality(tmp_path: Path) -> None:
    lists = data().suspensions.proclamations
    codes = {code for x in lists for code in [*x.full, *x.partial]}
    for code in sorted(codes):
        for _, _, message in suspension_findings(tmp_path, nationality=code, visa="undecided"):
            assert f" {code}" not in message and "Nigeria" not in message


def test_a_public_check_never_sees_the_nationality(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(profile_text(applicant={**NON_US, "nationality": "NG"}, exams={"ecfmg_certified": True}))
    private = [f.code for f in check(path, content=data()).findings]
    public = [f.code for f in check(path, public=True, content=data()).findings]
    assert "VISA-SUSPENSION-PARTIAL" in private and "VISA-SUSPENSION-PARTIAL" not in public


def test_next_review_falls_every_180_days_from_entry_into_force() -> None:
    latest = data().suspensions.proclamations[-1]
    assert latest.next_review(dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)
    assert latest.next_review(dt.date(2026, 1, 2)) == dt.date(2026, 6, 30)
    assert latest.next_review(dt.date(2026, 11, 23)) == dt.date(2026, 12, 27)
