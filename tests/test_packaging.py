"""The tool installs like any Python tool: the wheel and the sdist carry its data, and it runs from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from generator import __version__, paths

ROOT = Path(__file__).resolve().parent.parent
DATA = ("content", "site_templates", "profiles", "mkdocs.yml")


def _tracked(*names: str) -> list[str]:
    """The repository's files under names (a folder or a single file), relative to the repository."""
    found: list[str] = []
    for name in names:
        path = ROOT / name
        found += [path.name] if path.is_file() else [p.relative_to(ROOT).as_posix() for p in path.rglob("*") if p.is_file()]
    return sorted(found)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An sdist and the wheel built from it, as `python -m build` makes them (with the dev extras' hatchling)."""
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_the_checkout_reads_its_own_top_level_folders() -> None:
    assert (paths.ROOT, paths.CONTENT, paths.TEMPLATES) == (ROOT, ROOT / "content", ROOT / "site_templates")
    assert (paths.BASE_CONFIG, paths.EXAMPLES) == (ROOT / "mkdocs.yml", ROOT / "profiles")


def test_the_wheel_maps_every_data_file_into_the_package(dist: Path) -> None:
    wheel = dist / f"residency_handbook-{__version__}-py3-none-any.whl"
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.removeprefix("generator/_data/") for n in names if n.startswith("generator/_data/"))
    assert shipped == _tracked(*DATA)
    assert "generator/paths.py" in names and not [n for n in names if "__pycache__" in n or n.startswith("tests/")]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "handbook = generator.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_sdist_holds_the_folders_where_the_repository_has_them(dist: Path) -> None:
    top = f"residency_handbook-{__version__}/"
    with tarfile.open(dist / f"residency_handbook-{__version__}.tar.gz") as sdist:
        names = {n.removeprefix(top) for n in sdist.getnames()}
    assert set(_tracked(*DATA)) <= names
    assert {"pyproject.toml", "README.md", "generator/cli.py", "generator/paths.py", "tests/test_packaging.py"} <= names


def test_the_unpacked_wheel_runs_from_another_folder(dist: Path, tmp_path: Path) -> None:
    """The wheel's own code and data, not the checkout's: init, check, build and schema from an empty folder."""
    installed = tmp_path / "site-packages"
    zipfile.ZipFile(dist / f"residency_handbook-{__version__}-py3-none-any.whl").extractall(installed)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "PYTHONPATH": str(installed)}

    def handbook(*args: str, wheel: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "generator", *args],
            cwd=work,
            env=env if wheel else {k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
            capture_output=True,
            text=True,
            check=False,
        )

    where = subprocess.run(
        [sys.executable, "-c", "from generator import paths; print(paths.ROOT)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
    )
    assert where.stdout == f"{installed / 'generator' / '_data'}\n"
    made = handbook("init", "--from-example", "us-late-applying", "mine")
    assert (made.returncode, made.stdout) == (
        0,
        "Wrote mine/profile.yaml, mine/profile.schema.json.\n"
        "Next: edit mine/profile.yaml, then run `handbook check mine/profile.yaml` and `handbook build mine/profile.yaml`.\n",
    )
    assert (work / "mine" / "profile.yaml").read_bytes() == (ROOT / "profiles" / "us-late-applying.yaml").read_bytes()
    checked = handbook("check", "mine/profile.yaml", "--today", "2026-11-23")
    assert checked.returncode == 0 and "0 errors" in checked.stdout.splitlines()[-1], checked.stderr
    assert checked.stdout == handbook("check", "mine/profile.yaml", "--today", "2026-11-23", wheel=False).stdout
    built = handbook("build", "mine/profile.yaml", "-o", "site", "--today", "2026-11-23")
    # 11 pages: a late-phase US citizen trained abroad has the season, application and ECFMG pages
    assert (built.returncode, built.stdout) == (0, "Built 11 pages into site/ (open site/index.html).\n"), built.stderr
    assert (work / "site" / "index.html").is_file() and (work / "site" / "print.html").is_file()
    generated = handbook("generate", "mine/profile.yaml", "-o", "project", "--today", "2026-11-23")
    assert generated.stdout == (
        "Wrote the MkDocs project to project/; build it with: mkdocs build -f project/mkdocs.yml\n"
        "(or with its successors: properdocs build -f project/mkdocs.yml, or zensical build -f project/mkdocs.yml)\n"
    )
    assert (work / "project" / "overrides" / "main.html").read_bytes() == (
        ROOT / "site_templates/overrides/main.html"
    ).read_bytes()
    all_built = handbook("build-all", "mine", "-o", "all", "--jobs", "1", "--today", "2026-11-23")
    assert all_built.returncode == 0 and "failed 0" in all_built.stdout + all_built.stderr, all_built.stderr
    assert (work / "all" / "profile" / "index.html").is_file() and (work / "all" / "index.html").is_file()
    assert handbook("schema").stdout.startswith('{\n  "$schema": "https://json-schema.org/draft/2020-12/schema",\n')
