from __future__ import annotations

import copy
import json
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from generator.errors import InputError
from generator.models import Profile, is_private, json_schema, public_view
from generator.privacy import private_values
from generator.profile import load_profile
from generator.yamlsafe import Key
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
    text = MINIMAL.replace("name: Test Person", "name: false").replace("graduation_year: 2026", 'graduation_year: "2026"')
    text += "letters:\n  - writer: Dr A\n    specialty: radiologyy\n    us_based: yes_please\n"
    assert _problems(write(text)) == [
        "P:4: applicant.name: found the boolean false; expected text (quote it if it looks like a number, a date or true/false)",
        "P:7: applicant.graduation_year: found '2026'; expected a whole number",
        "P:14: letters[0].specialty: found 'radiologyy'; allowed: radiology, internal_medicine, surgery, neurology, "
        "oncology, emergency_medicine, pediatrics, family_medicine, other",
        "P:15: letters[0].us_based: found 'yes_please'; write true or false",
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


def _private_paths(model: type[BaseModel] = Profile, prefix: Key = ()) -> list[Key]:
    """Every private field of the schema (inside list entries: of the first entry), found through is_private."""
    found: list[Key] = []
    for name, field in model.model_fields.items():
        inner = next((t for t in _types(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)), None)
        listed = any(typing.get_origin(t) is list for t in _types(field.annotation))
        key = (*prefix, name, 0) if listed else (*prefix, name)
        if is_private(field):
            found.append((*prefix, name))
        elif inner is not None:
            found += _private_paths(inner, key)
    return found


def _types(annotation: Any) -> list[Any]:
    out, stack = [], [annotation]
    while stack:
        item = stack.pop()
        out.append(item)
        stack.extend(typing.get_args(item))
    return out


def _set(data: dict[str, Any], key: Key, value: Any) -> None:
    for part in key[:-1]:
        data = data[part]  # type: ignore[index]
    data[key[-1]] = value  # type: ignore[index]


@pytest.mark.parametrize("value", [16660999, "16660999 points", ["16660999"], {"16660999": 1}, 1666.0999, "2027-02-30"])
def test_no_message_about_a_private_field_repeats_its_value(write: Callable[..., Path], value: Any) -> None:
    base = yaml.safe_load(MINIMAL) | {
        "letters": [{"writer": "Dr A", "specialty": "radiology", "us_based": True}],
        "contacts": [{"name": "Dr B"}],
    }
    paths = _private_paths()
    assert {("applicant", "email"), ("applicant", "aamc_id"), ("exams",), ("letters", 0, "email")} <= set(paths)
    messages = []
    for key in paths:
        data = copy.deepcopy(base)
        _set(data, key, value if key != ("exams",) else {"usmle_step2_ck": value, "usmle_step1": copy.deepcopy(value)})
        text = yaml.safe_dump(data).replace("'2027-02-30'", "2027-02-30")
        try:
            load_profile(write(text))
        except InputError as exc:
            messages += [problem.message for problem in exc.problems]
    assert len(messages) >= 2 and [m for m in messages if not m.startswith("found ")] == []
    assert not [m for m in messages if "16660999" in m or "1666.0999" in m or "02-30" in m]
