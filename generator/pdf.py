"""`handbook pdf`: the print page of a built handbook, printed to PDF by headless Chromium.

Chromium, not WeasyPrint: it is the browser the handbook is made and tested for, so the
PDF is what the applicant's own print command gives (Material's print CSS, our checklist
boxes, the name and date in the page margin through CSS `@page` margin boxes), and it is a
system package that needs nothing new from pip; WeasyPrint would be a second layout engine
with its own gaps in the theme's CSS, and native libraries (Pango) to install.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from generator.errors import BuildError, HandbookError

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_SECONDS = 180
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-extensions",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # nothing leaves the machine, whatever a page asks for
    "--no-pdf-header-footer",  # the browser's own header shows the file's path; ours is in stamp.css
)


def browser() -> str:
    """The Chromium to print with: one on PATH, else Playwright's; a one-line error when there is none."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    found = _playwright_chromium()
    if found:
        return found
    raise HandbookError(
        "no Chromium to print with: install Chromium (e.g. `apt install chromium`) or Google Chrome, then run this again"
    )


def ready(pdf: Path) -> str:
    """The browser, once the PDF's folder is known to exist: both checked before anything is built."""
    folder = pdf.resolve().parent
    if not folder.is_dir():
        raise HandbookError(f"{folder}: no such folder for the PDF")
    return browser()


def print_page(page: Path, pdf: Path) -> None:
    """Print one HTML file of a built site to pdf, replacing pdf only when printing worked."""
    executable = ready(pdf)
    pdf = pdf.resolve()
    with tempfile.TemporaryDirectory(prefix="handbook-chromium-") as profile:
        partial = pdf.parent / f".{pdf.name}.printing-{os.getpid()}"
        command = [executable, *FLAGS, *_sandbox(), f"--user-data-dir={profile}", f"--print-to-pdf={partial}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
            if done.returncode != 0 or not _is_pdf(partial):
                last = [line for line in done.stderr.splitlines() if line.strip()][-1:] or ["no output"]
                raise BuildError(f"Chromium could not print the handbook ({last[0].strip()})")
            partial.replace(pdf)
        except subprocess.TimeoutExpired:
            raise BuildError(f"Chromium did not finish printing the handbook within {TIMEOUT_SECONDS} seconds") from None
        except OSError as exc:
            raise BuildError(f"Chromium could not be started: {exc.strerror}") from None
        finally:
            with contextlib.suppress(OSError):
                partial.unlink()


def _sandbox() -> list[str]:
    """Chromium refuses to run as root with its sandbox (containers, CI)."""
    return ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            return stream.read(5) == b"%PDF-"
    except OSError:
        return False


def _playwright_chromium() -> str | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as pw:
            path = pw.chromium.executable_path
    except Exception:  # Playwright without its browsers, or its driver cannot start: no browser from it
        return None
    return path if Path(path).is_file() else None
