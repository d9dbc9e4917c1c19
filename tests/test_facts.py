"""Facts the handbook relies on: checked within a year, or `handbook check` says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner

from generator.build import prepare
from generator.cli import cli
from tests.helpers import checked, profile_text

LATER = dt.date(2028, 1, 1)  # 13 months after the facts were last checked


def stale(tmp_path: Path, today: dt.date, **sections: object) -> list[tuple[str, str]]:
    result = checked(tmp_path, today, **sections)
    return [(f.severity, f.message) for f in result.findings if f.code == "FACTS-STALE"]


def test_facts_checked_within_a_year_raise_nothing(tmp_path: Path) -> None:
    assert stale(tmp_path, dt.date(2027, 11, 30)) == []


def test_facts_checked_over_a_year_ago_are_an_info_finding(tmp_path: Path) -> None:
    assert stale(tmp_path, LATER) == [
        (
            "info",
            "23 of the facts this handbook relies on were last checked more than a year before 1 January 2028 (the "
            'oldest on 1 December 2026). Dates and rules change every season: check them at their links on the "How '
            'this handbook was made" page before you rely on them.',
        )
    ]


def test_a_foreign_national_also_relies_on_the_visa_suspension_lists(tmp_path: Path) -> None:
    (finding,) = stale(tmp_path, LATER, applicant={"citizenship": "non_us", "visa": "j1"})
    assert finding[1].startswith("24 of the facts")


def test_check_prints_the_stale_facts(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(profile_text())
    result = CliRunner().invoke(cli, ["check", str(path), "--today", LATER.isoformat()])
    assert result.exit_code == 0
    assert f"{path}: info FACTS-STALE: 23 of the facts this handbook relies on" in result.stdout


def test_a_reported_fact_says_where_to_verify_it(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    applicant = {"citizenship": "non_us", "visa": "j1"}
    path.write_text(profile_text(applicant=applicant, goal={"match_year": 2027}, exams={"ecfmg_certified": False}))
    ecfmg = prepare(path, dt.date(2026, 11, 23)).files["docs/ecfmg.md"].decode()  # the ECFMG page, for every applicant
    assert (
        "For the 2027 Match, third parties report a Pathways application deadline of\n31 January 2027 and a fee of\n"
        "$945 (reported, verify at\n[ecfmg.org](https://www.ecfmg.org/))."
    ) in ecfmg
