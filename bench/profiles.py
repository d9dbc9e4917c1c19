"""Varied, valid profiles for the benchmark: visas, Match years, research, letters, programs."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import yaml

AS_OF = dt.date(2026, 11, 23)
FIRST = ["Amara", "Bilal", "Chen", "Dana", "Elif", "Femi", "Gita", "Hugo", "Ines", "Jun", "Kofi", "Lena", "Mateo", "Noor"]
LAST = ["Okafor", "Petrov", "Quispe", "Rahman", "Silva", "Tanaka", "Usman", "Varga", "Wójcik", "Xu", "Yilmaz", "Zidane"]
SPECIALTIES = ["radiology", "radiology", "internal_medicine", "surgery", "neurology", "oncology"]
KINDS = ["journal_article", "case_report", "abstract", "poster", "oral_presentation", "qi_project", "educational_project"]
STATUSES = ["planned", "in_progress", "submitted", "accepted", "published", "presented"]


def write(folder: Path, count: int, seed: int = 2026) -> list[Path]:
    """Write count profiles into folder; the same seed always gives the same files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"advisee-{index:03}.yaml"
        path.write_text(yaml.safe_dump(profile(rng, index), sort_keys=False, allow_unicode=True), encoding="utf-8")
        paths.append(path)
    return paths


def profile(rng: random.Random, index: int) -> dict[str, Any]:
    non_us = rng.random() < 0.7
    applicant: dict[str, Any] = {
        "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {index}",
        "email": f"advisee{index}@example.org",
        "school": f"School of Medicine {index % 17}",
        "school_country": "India" if non_us else "United States",
        "graduation_year": rng.randint(2020, 2027),
        "citizenship": "non_us" if non_us else "us",
    }
    if non_us:
        applicant["visa"] = rng.choice(["j1", "j1", "h1b", "none", "undecided"])
    return {
        "profile_version": 1,
        "as_of": AS_OF,
        "applicant": applicant,
        "goal": {"specialty": "diagnostic_radiology", "match_year": rng.randint(2027, 2031)},
        "experience": [experience(rng, i) for i in range(rng.randint(0, 3))],
        "research": [research(rng, i) for i in range(rng.randint(0, 8))],
        "letters": [letter(rng, i) for i in range(rng.randint(0, 4))],
        "programs": [program(rng, i) for i in range(rng.randint(0, 10))],
        "skills": rng.sample(["excel", "r", "python", "zotero", "spss"], rng.randint(0, 3)),
    }


def experience(rng: random.Random, i: int) -> dict[str, Any]:
    start = AS_OF - dt.timedelta(days=rng.randint(-120, 900))
    return {
        "kind": rng.choice(["observership", "elective", "research_position", "clinical_job"]),
        "specialty": rng.choice(SPECIALTIES),
        "institution": f"Hospital {i}",
        "country": rng.choice(["US", "IN", "NG", "BR"]),
        "start": start,
        "weeks": rng.randint(2, 30),
    }


def research(rng: random.Random, i: int) -> dict[str, Any]:
    item: dict[str, Any] = {
        "title": f"Study {i} of imaging in {rng.choice(['stroke', 'trauma', 'oncology', 'pediatrics'])}",
        "kind": rng.choice(KINDS),
        "radiology": rng.random() < 0.7,
        "status": rng.choice(STATUSES),
        "us_based": rng.random() < 0.4,
    }
    if rng.random() < 0.8:
        item["author_position"] = rng.randint(1, 6)
    return item


def letter(rng: random.Random, i: int) -> dict[str, Any]:
    status = rng.choice(["not_asked", "asked", "agreed", "uploaded"])
    item: dict[str, Any] = {
        "writer": f"Dr. Writer {i}",
        "specialty": rng.choice(SPECIALTIES),
        "us_based": rng.random() < 0.6,
        "weeks_worked": rng.randint(2, 40),
        "last_worked": AS_OF - dt.timedelta(days=rng.randint(10, 800)),
        "status": status,
    }
    if status != "not_asked":
        item["asked_on"] = AS_OF - dt.timedelta(days=rng.randint(1, 90))
    return item


def program(rng: random.Random, i: int) -> dict[str, Any]:
    return {
        "name": f"Program {i}",
        "setting": rng.choice(["university", "community"]),
        "sponsors": rng.sample(["j1", "h1b"], rng.randint(0, 2)),
        "signal": rng.choice(["gold", "silver", "none", "none"]),
    }
