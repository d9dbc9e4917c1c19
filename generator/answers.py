"""What people type at `handbook init`'s questions, read as they meant it.

Case, hyphens, dots and spaces do not matter ("J-1", "h1b", "US", "Internal medicine");
common words are understood ("permanent resident", "not sure"). A bad answer gets a
plain sentence saying what is needed, and the question is asked again.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import click

CITIZENSHIP = {
    "us": [
        "us",
        "usa",
        "american",
        "uscitizen",
        "citizen",
        "usresident",
        "permanentresident",
        "uspermanentresident",
        "greencard",
        "greencardholder",
        "lpr",
    ],
    "non_us": ["nonus", "foreign", "foreignnational", "international", "notus", "noncitizen"],
}
VISA = {
    "none": ["none", "novisa", "noneneeded", "ead", "authorized", "authorised", "workpermit", "alreadyauthorized"],
    "j1": ["j1", "j", "j1visa"],
    "h1b": ["h1b", "h1", "h", "h1bvisa"],
    "undecided": ["undecided", "notsure", "unsure", "dontknow", "idontknow", "unknown", "either", "both", "maybe"],
}
SPECIALTY = {
    "radiology": ["radiology", "diagnosticradiology", "dr", "imaging", "radiologist", "ir", "interventionalradiology"],
    "internal_medicine": ["internalmedicine", "im", "medicine", "generalmedicine"],
    "surgery": ["surgery", "generalsurgery", "gs", "surgeon"],
    "neurology": ["neurology", "neuro", "neurologist"],
    "oncology": ["oncology", "radiationoncology", "medicaloncology", "oncologist"],
    "emergency_medicine": ["emergencymedicine", "em", "emergency", "er", "ed"],
    "pediatrics": ["pediatrics", "paediatrics", "peds", "paeds", "pediatrician"],
    "family_medicine": ["familymedicine", "fm", "family", "generalpractice", "gp"],
    "other": ["other"],
}


def _key(answer: str) -> str:
    return re.sub(r"[^a-z0-9]", "", answer.lower().replace("'", ""))


def choice(options: dict[str, list[str]], needed: str) -> Callable[[str], str]:
    """A click value_proc that maps the usual spellings to one option, or says what is `needed`."""
    lookup = {_key(word): value for value, words in options.items() for word in [value, *words]}

    def convert(answer: str) -> str:
        if not str(answer).strip():
            raise click.BadParameter(f"an answer is needed: {needed}")
        found = lookup.get(_key(str(answer)))
        if found is None:
            raise click.BadParameter(f"'{str(answer).strip()}' is not one of these: {needed}")
        return found

    return convert


def year(low: int, high: int) -> Callable[[str], int]:
    """A four-digit year between low and high."""

    def convert(answer: str) -> int:
        text = str(answer).strip()
        if not re.fullmatch(r"\d{4}", text) or not low <= int(text) <= high:
            raise click.BadParameter(f"write the year in four digits, from {low} to {high} (e.g. {low + (high - low) // 2})")
        return int(text)

    return convert


def count(high: int) -> Callable[[str], int]:
    """A whole number from 0 to high."""

    def convert(answer: str) -> int:
        text = str(answer).strip()
        if not text.isdigit() or int(text) > high:
            raise click.BadParameter(f"write a whole number from 0 to {high}")
        return int(text)

    return convert


def yes_no(answer: str) -> bool:
    key = _key(str(answer))
    if key in ("y", "yes", "true", "1"):
        return True
    if key in ("n", "no", "false", "0"):
        return False
    raise click.BadParameter("answer yes or no")
