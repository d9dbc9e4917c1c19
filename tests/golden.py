"""Golden files: each example profile's generated project, checked in under tests/golden/.

Regenerate after a deliberate change, then review the diff like code:

    .venv/bin/python -m tests.golden
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from generator.build import prepare

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
TODAY = dt.date(2026, 11, 23)


def expected_files(profile: Path) -> dict[str, bytes]:
    """The golden part of a generated project: pages, mkdocs.yml and plan.json (not copied assets)."""
    files = prepare(profile, TODAY).files
    return {name: data for name, data in files.items() if name.endswith(".md") or name in ("mkdocs.yml", "plan.json")}


def main() -> None:
    shutil.rmtree(GOLDEN, ignore_errors=True)
    for profile in sorted((ROOT / "profiles").glob("*.yaml")):
        for name, data in expected_files(profile).items():
            path = GOLDEN / profile.stem / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        print(f"wrote {GOLDEN.relative_to(ROOT) / profile.stem}")


if __name__ == "__main__":
    main()
