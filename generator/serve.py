"""Live preview: MkDocs' own server on a generated project that follows the profile.

A watcher thread regenerates the project when the profile or any content file
changes; MkDocs sees the changed pages, rebuilds and reloads the browser. A broken
profile is reported and the last good handbook stays on screen.

The project and MkDocs' own build folder hold the full handbook, private fields
included, so they live in the user's own cache folder (~/.cache/handbook, mode 0700),
not in the shared temporary folder, and a preview that was killed is cleaned up by the
next one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from generator import site
from generator.build import CONTENT, prepare
from generator.errors import HandbookError, printable
from generator.privacy import redacted

POLL_SECONDS = 0.5


def serve(profile: Path, dev_addr: str, today: dt.date | None, public: bool) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    with private_scratch("serve") as folder:
        project = folder / "project"
        site.write_files(project, prepare(profile, today, public).files)
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(profile, project, today, public, stop), daemon=True)
        watcher.start()
        try:
            mkdocs_serve(config_file=str(project / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
        finally:
            stop.set()


@contextlib.contextmanager
def private_scratch(purpose: str) -> Iterator[Path]:
    """A folder only this user can read, removed afterwards, where this process's temporary files go too
    (MkDocs' build folder among them). Leftovers of killed runs, found by their process id, are removed first."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "handbook"
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        _remove_leftovers(base, purpose)
        folder = Path(tempfile.mkdtemp(prefix=f"{purpose}-{os.getpid()}-", dir=base))
    except OSError:  # no usable home folder: the system's, still readable by this user only
        folder = Path(tempfile.mkdtemp(prefix=f"handbook-{purpose}-"))
    saved, tempfile.tempdir = tempfile.tempdir, str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved
        shutil.rmtree(folder, ignore_errors=True)


def _remove_leftovers(base: Path, purpose: str) -> None:
    for folder in base.glob(f"{purpose}-*-*"):
        match = re.fullmatch(rf"{re.escape(purpose)}-(\d+)-.*", folder.name)
        if match and not _running(int(match[1])):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, as another user's process
    return True


def _watch(profile: Path, project: Path, today: dt.date | None, public: bool, stop: threading.Event) -> None:
    seen = _stamps([profile, CONTENT, site.TEMPLATES])
    while not stop.wait(POLL_SECONDS):
        now = _stamps([profile, CONTENT, site.TEMPLATES])
        if now == seen:
            continue
        seen = now
        try:
            files = prepare(profile, today, public).files
        except HandbookError as exc:
            click.echo(printable(f"error: {redacted(exc, profile)}"), err=True)
            continue
        _remove_stale(project, files)
        site.write_files(project, files)
        click.echo("handbook regenerated", err=True)


def _stamps(roots: Iterable[Path]) -> dict[str, float]:
    stamps = {}
    for root in roots:
        paths = [root] if root.is_file() else [p for p in root.rglob("*") if p.is_file()]
        for path in paths:
            try:
                stamps[str(path)] = path.stat().st_mtime
            except OSError:
                continue
    return stamps


def _remove_stale(project: Path, files: dict[str, bytes]) -> None:
    """Delete pages that the new plan no longer holds (e.g. a section that stopped applying)."""
    docs = project / "docs"
    for path in docs.rglob("*.md"):
        if f"docs/{path.relative_to(docs).as_posix()}" not in files:
            path.unlink()
