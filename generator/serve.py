"""Live preview: the engine's own server on a generated project that follows the profile.

A watcher thread regenerates the project when the profile or any content file
changes; the engine sees the changed pages, rebuilds and reloads the browser. A broken
profile is reported in the terminal and on every page in the browser, above the last
good handbook; saving the fixed profile brings the handbook back. Nothing stops the
watcher but the end of the preview.

The project and MkDocs' own build folder hold the full handbook, private fields
included, so they live in the user's own cache folder (~/.cache/handbook, mode 0700),
not in the shared temporary folder, and a preview that was killed is cleaned up by the
next one. Error lines never quote a private value.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import re
import shutil
import socket
import tempfile
import threading
import traceback
import webbrowser
from collections.abc import Iterable, Iterator
from pathlib import Path

import click

from generator import engines, records, site
from generator.build import prepare
from generator.errors import HandbookError, printable
from generator.paths import CONTENT, TEMPLATES
from generator.privacy import redacted

POLL_SECONDS = 0.5
BANNER = """\
!!! failure "Your profile has a problem: this is the last handbook that built"

    Fix the profile and save it; this page then updates by itself.

{details}

"""


def serve(
    profile: Path, dev_addr: str, today: dt.date | None, public: bool, open_browser: bool = False, engine: str = engines.DEFAULT
) -> None:
    engines.get(engine)
    host, port = address(dev_addr)
    check_port(host, port)
    with private_scratch("serve") as folder:
        project = folder / "project"
        files = prepare(profile, today, public).files
        site.write_files(project, files)
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(profile, project, today, public, stop, files), daemon=True)
        watcher.start()
        url = f"http://{host}:{port}/"
        click.echo(printable(f"Serving the handbook of {profile} on {url} (press Ctrl+C to stop)"))
        if open_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        try:
            engines.serve(engine, project, dev_addr)
        except OSError as exc:  # the port was taken after the check
            check_port(host, port)
            raise HandbookError(f"cannot serve on {host}:{port} ({exc.strerror or exc}); try -a 127.0.0.1:8000") from None
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


def address(dev_addr: str) -> tuple[str, int]:
    """'127.0.0.1:8000' -> ('127.0.0.1', 8000), or a one-line error."""
    host, _, port = dev_addr.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise HandbookError(f"-a {dev_addr}: write the address as HOST:PORT, e.g. 127.0.0.1:8000")
    return host, int(port)


def check_port(host: str, port: int) -> None:
    """Refuse a port that is in use or an address this machine does not have, before anything starts."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.bind((host, port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise HandbookError(
                f"port {port} on {host} is in use (another preview?); choose another with -a {host}:{port + 1}"
            ) from None
        raise HandbookError(f"cannot serve on {host}:{port} ({exc.strerror or exc}); try -a 127.0.0.1:8000") from None


def _watch(
    profile: Path,
    project: Path,
    today: dt.date | None,
    public: bool,
    stop: threading.Event,
    good: dict[str, bytes] | None = None,
) -> None:
    seen = _stamps(_inputs(profile))
    while not stop.wait(POLL_SECONDS):
        now = _stamps(_inputs(profile))
        if now == seen:
            continue
        seen = now
        try:
            files = prepare(profile, today, public).files
        except HandbookError as exc:
            _show_error(project, good, redacted(exc, profile))
            continue
        except Exception as exc:  # a bug must not end the preview: say so and keep watching
            frames = traceback.extract_tb(exc.__traceback__)
            where = f" in {Path(frames[-1].filename).name}, line {frames[-1].lineno}" if frames else ""
            _show_error(project, good, f"internal error ({type(exc).__name__}{where}); please report it")
            continue
        _remove_stale(project, files)
        site.write_files(project, files)
        good = files
        click.echo("handbook regenerated", err=True)


def _show_error(project: Path, good: dict[str, bytes] | None, message: str) -> None:
    """The error in the terminal, and above every page of the last good handbook in the browser."""
    click.echo(printable(f"error: {message}"), err=True)
    if good is None:
        return
    details = "\n".join(f"        {line}" for line in message.splitlines())
    banner = BANNER.format(details=details).encode()
    pages = {name: _with_banner(data, banner) for name, data in good.items() if name.startswith("docs/") and name.endswith(".md")}
    site.write_files(project, pages)


def _with_banner(page: bytes, banner: bytes) -> bytes:
    """The banner at the top of a page's text, after its front matter if it has one (the print page)."""
    end = page.find(b"\n---\n", 4) if page.startswith(b"---\n") else -1
    return page[: end + 5] + b"\n" + banner + page[end + 5 :] if end >= 0 else banner + page


def _inputs(profile: Path) -> list[Path]:
    """What the handbook is made from: the profile, its program spreadsheet, content and templates."""
    sheet = records.programs_sheet(profile)
    return [profile, CONTENT, TEMPLATES] + ([sheet] if sheet is not None else [])


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
