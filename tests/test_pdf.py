"""`handbook pdf`: the whole handbook printed by headless Chromium, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import engines, pdf
from generator.cli import cli
from tests.conftest import PROFILES

J1 = PROFILES / "j1-letters-in-progress.yaml"
needs_chromium = pytest.mark.skipif(
    not any(shutil.which(name) for name in pdf.BROWSERS) or not shutil.which("pdftotext"),
    reason="needs Chromium and poppler-utils' pdftotext (.ci/run installs both)",
)
PAGES = [  # the parts of j1-letters-in-progress's print page (and PDF), in menu order
    "Overview",
    "Research",
    "Letters",
    "ECFMG and exams",
    "Visa",
    "Programs and signals",
    "Timeline",
    "Printable checklists",
    "Publishing your handbook",
    "How this handbook was made",
]


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def printed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The sheets of the PDF of the example, as text (printed from the default engine's site and Zensical's)."""
    if not any(shutil.which(name) for name in pdf.BROWSERS) or not shutil.which("pdftotext"):
        pytest.skip("needs Chromium and poppler-utils' pdftotext (.ci/run installs both)")
    if not engines.ENGINES[request.param].installed():
        pytest.skip(f"{request.param} is not installed")
    out = tmp_path_factory.mktemp("pdf") / "handbook.pdf"
    arguments = ["pdf", str(J1), "-o", str(out), "--today", "2026-11-23", "--engine", request.param]
    result = CliRunner().invoke(cli, arguments)
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the whole handbook to {out} (printed by Chromium).\n"
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@needs_chromium
def test_the_first_sheet_opens_the_handbook_and_is_not_blank(printed: list[str]) -> None:
    first = printed[0]
    assert "The whole handbook" in first and "At a glance" in first and "Priya Natarajan" in first
    assert all(len(sheet.split()) > 12 for sheet in printed)  # no blank sheet anywhere


@needs_chromium
def test_every_page_starts_a_sheet_in_menu_order(printed: list[str]) -> None:
    openings = [next(line.strip() for line in sheet.splitlines()[1:] if line.strip()) for sheet in printed]
    remaining = iter(openings)  # in order; a later sheet may also open with a heading that repeats a page's title
    assert all(title in remaining for title in PAGES[1:])  # Overview follows the title on the first sheet
    assert re.search(r"The whole handbook\s+Overview\s+\S", printed[0])


@needs_chromium
def test_every_sheet_has_the_name_and_date_in_its_margin_and_no_navigation(printed: list[str]) -> None:
    for sheet in printed:
        assert re.match(r"\s*Priya Natarajan\s*·\s*advice as of 23 November 2026\n", sheet)
    text = "\n".join(printed)
    for navigation in ("· Residency handbook", "Table of contents", "Print the whole handbook\n"):
        assert navigation not in text
    assert text.count("Reset ticks") == 1  # the checklists page names the button; no button is printed


@needs_chromium
def test_checklists_and_links_print_as_text(printed: list[str]) -> None:
    text = "\n".join(printed)
    assert "res-skills-zotero" in text and "lor-packet-cv@dr-helen-park" in text
    assert "verify (https://students-residents.aamc.org/" in text  # the address after the link text


def test_no_browser_is_one_line_saying_what_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    monkeypatch.setattr(pdf, "_playwright_chromium", lambda: None)
    result = CliRunner().invoke(cli, ["pdf", str(J1), "-o", str(tmp_path / "h.pdf")])
    assert result.exit_code == 2
    assert result.output == (
        "error: no Chromium to print with: install Chromium (e.g. `apt install chromium`) or Google Chrome, then run this again\n"
    )
    assert not (tmp_path / "h.pdf").exists()


def test_a_missing_folder_for_the_pdf_is_one_line(tmp_path: Path) -> None:
    if not any(shutil.which(name) for name in pdf.BROWSERS):
        pytest.skip("needs Chromium")
    result = CliRunner().invoke(cli, ["pdf", str(J1), "-o", str(tmp_path / "nowhere" / "h.pdf")])
    assert result.exit_code == 2
    assert result.output == f"error: {tmp_path / 'nowhere'}: no such folder for the PDF\n"
