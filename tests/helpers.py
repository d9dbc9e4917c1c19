"""Build small profiles in tests: the minimal valid profile plus what a test needs."""

from __future__ import annotations

import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from generator.build import Checked, check
from generator.data import Data, load_data
from generator.paths import CONTENT
from tests.conftest import MINIMAL


@cache
def data() -> Data:
    return load_data(CONTENT)


def profile_text(**sections: Any) -> str:
    """MINIMAL with top-level keys replaced or added (applicant/goal keys are merged)."""
    base = yaml.safe_load(MINIMAL)
    for key, value in sections.items():
        if key in ("applicant", "goal"):
            base[key] = {**base[key], **value}
        else:
            base[key] = value
    return yaml.safe_dump(base, sort_keys=False)


def checked(tmp_path: Path, today: dt.date | None = None, **sections: Any) -> Checked:
    path = tmp_path / "profile.yaml"
    path.write_text(profile_text(**sections))
    return check(path, today, content=data())


def codes(result: Checked) -> list[tuple[str, str | None]]:
    return [(f.code, f.subject) for f in result.findings]


def item(title: str = "A study", **fields: Any) -> dict[str, Any]:
    return {"title": title, "kind": "journal_article", "radiology": True, "status": "published", **fields}


def letter(writer: str = "Dr A", **fields: Any) -> dict[str, Any]:
    return {"writer": writer, "specialty": "radiology", "us_based": True, **fields}
