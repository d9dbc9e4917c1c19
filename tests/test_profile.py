from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from generator.errors import InputError
from generator.models import Profile, json_schema, public_view
from generator.privacy import private_values
from generator.profile import load_profile
from tests.conftest import EXAMPLES, MINIMAL, PROFILES


def _problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_profile(path)
    return [str(p).replace(f"{path}", "P") for p in info.value.problems]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_are_valid_and_carry_the_schema_line(example: Path) -> None:
    assert load_profile(example).profile.profile_version == 1
    assert example.read_text().startswith("# yaml-language-server: $schema=profile.schema.json\n")


def test_minimal_profile_gets_defaults(write: Callable[..., Path]) -> None:
    profile = load_profile(write(MINIMAL)).profile
    assert profile.goal.program_preference == "both"
    assert profile.applicant.visa_path == "none"
    assert profile.letters == []


def test_every_problem_is_reported_at_once_with_line_and_path(write: Callable[..., Path]) -> None:
    text = MINIMAL.replace("name: Test Person", "name: no").replace("graduation_year: 2026", 'graduation_year: "2026"')
    text += "letters:\n  - writer: Dr A\n    specialty: radiologyy\n    us_based: yes_please\n"
    assert _problems(write(text)) == [
        "P:4: applicant.name: found the boolean false; expected text (quote it if it looks like a number, date or yes/no)",
        "P:7: applicant.graduation_year: found '2026'; expected a whole number",
        "P:14: letters[0].specialty: found 'radiologyy'; allowed: radiology, internal_medicine, surgery, neurology, "
        "oncology, emergency_medicine, pediatrics, family_medicine, other",
        "P:15: letters[0].us_based: found 'yes_please'; expected true or false",
    ]


def test_unknown_key_suggests_the_closest(write: Callable[..., Path]) -> None:
    assert _problems(write(MINIMAL + "leters: []\n")) == ["P:12: leters: unknown key 'leters'; did you mean 'letters'?"]


def test_unknown_key_without_a_close_match_lists_the_allowed(write: Callable[..., Path]) -> None:
    text = MINIMAL + "goal2: 1\n"
    assert _problems(write(text.replace("goal2", "zzz"))) == [
        "P:12: zzz: unknown key 'zzz'; allowed: profile_version, as_of, applicant, goal, exams, experience, "
        "research, letters, contacts, programs, programs_file, skills, interests, done"
    ]


def test_missing_required_key(write: Callable[..., Path]) -> None:
    assert _problems(write(MINIMAL.replace("  school: Test School\n", ""))) == ["P:3: applicant.school: required key is missing"]


def test_cross_field_rules(write: Callable[..., Path]) -> None:
    text = MINIMAL + (
        "letters:\n  - writer: Dr A\n    specialty: radiology\n    us_based: true\n    status: agreed\n"
        "experience:\n  - kind: elective\n    specialty: radiology\n    institution: X\n    country: US\n    start: 2027-01-04\n"
    )
    assert _problems(write(text)) == [
        "P:13: letters[0].asked_on: required once status is agreed: the date you asked (YYYY-MM-DD)",
        "P:18: experience[0].end: an experience needs `end` (a date) or `weeks` (a number); neither is given",
    ]


def test_non_us_needs_a_visa_and_us_needs_none(write: Callable[..., Path]) -> None:
    assert _problems(write(MINIMAL.replace("citizenship: us", "citizenship: non_us"))) == [
        "P:3: applicant.visa: required for citizenship non_us; allowed: none, j1, h1b, undecided"
    ]
    assert _problems(write(MINIMAL.replace("citizenship: us", "citizenship: us\n  visa: j1"))) == [
        "P:9: applicant.visa: found 'j1' with citizenship us; a US citizen needs no visa: use none or omit it"
    ]


def test_future_profile_version(write: Callable[..., Path]) -> None:
    assert _problems(write(MINIMAL.replace("profile_version: 1", "profile_version: 2"))) == [
        "P:1: profile_version: found 2; this handbook reads format 1: upgrade the handbook tool"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "P:1: found an empty file; a profile is a mapping of keys such as profile_version, applicant, goal"),
        ("- a\n- b\n", "P:1: found a list; a profile is a mapping of keys such as profile_version, applicant, goal"),
    ],
)
def test_not_a_mapping(write: Callable[..., Path], text: str, message: str) -> None:
    assert _problems(write(text)) == [message]


def test_dates_must_be_iso(write: Callable[..., Path]) -> None:
    assert _problems(write(MINIMAL.replace("as_of: 2026-11-23", "as_of: 23/11/2026"))) == [
        "P:2: as_of: found '23/11/2026'; expected a date YYYY-MM-DD"
    ]


def test_public_view_empties_every_private_field() -> None:
    profile = load_profile(PROFILES / "j1-letters-in-progress.yaml").profile
    public = public_view(profile)
    assert (public.applicant.email, public.applicant.phone, public.applicant.aamc_id, public.exams) == (None, None, None, None)
    assert (profile.applicant.nationality, public.applicant.nationality) == ("IN", None)
    assert all(x.email is None for x in public.letters) and all(x.email is None for x in public.contacts)
    assert public.applicant.name == profile.applicant.name
    assert [path for path, _ in private_values(profile)] == [
        "applicant.email",
        "applicant.phone",
        "applicant.aamc_id",
        "applicant.nationality",
        "exams.usmle_step2_ck",
        "letters[0].email",
        "contacts[0].email",
    ]
    assert list(private_values(public)) == []


def test_published_schema_is_current() -> None:
    published = json.loads((PROFILES / "profile.schema.json").read_text())
    assert published == json_schema()
    assert published["additionalProperties"] is False
    assert set(published["required"]) == {"profile_version", "applicant", "goal"}
    assert Profile.model_fields.keys() == published["properties"].keys()
