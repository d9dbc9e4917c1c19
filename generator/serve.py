"""Live preview: MkDocs' own server on a generated project that follows the profile.

A watcher thread regenerates the project when the profile or any content file
changes; MkDocs sees the changed pages, rebuilds and reloads the browser. A broken
profile is reported and the last good handbook stays on screen.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

import click

from generator import site
from generator.build import CONTENT, prepare
from generator.errors import HandbookError

POLL_SECONDS = 0.5


def serve(profile: Path, dev_addr: str, today: dt.date | None, public: bool) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    with tempfile.TemporaryDirectory(prefix=f"serve-{os.getpid()}-", dir=_scratch_home()) as folder:
        project = Path(folder)
        site.write_files(project, prepare(profile, today, public).files)
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(profile, project, today, public, stop), daemon=True)
        watcher.start()
        try:
            mkdocs_serve(config_file=str(project / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
        except OSError as exc:
            raise HandbookError(_cannot_listen(dev_addr, exc)) from None
        finally:
            stop.set()


def _scratch_home() -> Path | None:
    """The user's own cache folder, not the shared temp folder: the project holds private values.

    A preview that was killed leaves its project there; the next preview removes it.
    """
    try:
        home = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "handbook"
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
    except (OSError, RuntimeError):
        return None
    for folder in home.glob("serve-*-*"):
        pid = folder.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
    return home


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _cannot_listen(dev_addr: str, exc: OSError) -> str:
    host, _, port = dev_addr.rpartition(":")
    if exc.errno == errno.EADDRINUSE and port.isdigit():
        return f"port {port} is in use; choose another with -a {host}:{int(port) + 1}"
    return f"cannot serve on {dev_addr}: {exc.strerror or exc}; choose another address with -a, e.g. -a 127.0.0.1:8001"


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
            click.echo(f"error: {exc}", err=True)
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
