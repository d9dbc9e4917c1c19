"""The published JSON Schema (what editors check against) and the loader accept and refuse the same values."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator.errors import InputError
from generator.models import json_schema
from generator.profile import load_profile
from tests.conftest import MINIMAL

jsonschema = pytest.importorskip("jsonschema")

# (a YAML fragment merged into the minimal profile, as a person would type it)
SAMPLES = [
    "exams:\n  ecfmg_certified: true\n",
    "exams:\n  ecfmg_certified: yes\n",
    "exams:\n  ecfmg_certified: 'true'\n",
    "exams:\n  usmle_step2_ck: 248\n",
    "exams:\n  usmle_step2_ck: 248.5\n",
    "exams:\n  usmle_step2_ck: '248'\n",
    "exams:\n  usmle_step2_ck: 301\n",
    "exams:\n  usmle_step1: passed\n",
    "applicant_aamc: 1\n",
    "as_of: 2026-11-23\n",
    "as_of: 23/11/2026\n",
    "letters:\n  - writer: Dr A\n    specialty: radiology\n    us_based: true\n    weeks_worked: 2.5\n",
    "letters:\n  - writer: Dr A\n    specialty: Radiology\n    us_based: true\n",
    "letters:\n  - writer: Dr A\n    specialty: radiology\n    us_based: no\n",
    "programs:\n  - name: P\n    sponsors: [j1, h1b]\n",
    "programs:\n  - name: P\n    sponsors: [J-1]\n",
    "programs:\n  - name: P\n    letters_wanted: 5\n",
    "programs:\n  - name: P\n    track: categorical\n",
    "skills: [python, r]\n",
    "skills: python\n",
    "done: [res-skills-zotero]\n",
    "done: [Res Skills]\n",
]


def _profile(fragment: str) -> str:
    base = MINIMAL
    if fragment.startswith("as_of:"):
        base = "\n".join(line for line in base.splitlines() if not line.startswith("as_of:")) + "\n"
    if fragment.startswith("applicant_aamc"):
        return base.replace("  name: Test Person", "  name: Test Person\n  aamc_id: 01234567")
    return base + fragment


def _schema_accepts(text: str) -> bool:
    data: Any = yaml.load(text, Loader=_Yaml12)
    checker = jsonschema.Draft202012Validator.FORMAT_CHECKER  # editors check "format": "date" too
    return jsonschema.Draft202012Validator(json_schema(), format_checker=checker).is_valid(data)


class _Yaml12(yaml.SafeLoader):
    """What the YAML language server reads: YAML 1.2 core values (yes is text, dates are text)."""


_Yaml12.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in value if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for key, value in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def _loader_accepts(text: str, tmp_path: Path) -> bool:
    path = tmp_path / "profile.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_profile(path)
    except InputError:
        return False
    return True


@pytest.mark.parametrize("fragment", SAMPLES)
def test_schema_and_loader_agree(fragment: str, tmp_path: Path) -> None:
    text = _profile(fragment)
    assert _schema_accepts(text) == _loader_accepts(text, tmp_path), fragment
