"""Live preview: MkDocs' own server on a generated project that follows the profile.

A watcher thread regenerates the project when the profile or any content file
changes; MkDocs sees the changed pages, rebuilds and reloads the browser. A broken
profile is reported in the terminal and on every page in the browser, above the last
good handbook; saving the fixed profile brings the handbook back. Nothing stops the
watcher but the end of the preview.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import socket
import tempfile
import threading
import webbrowser
from collections.abc import Iterable
from pathlib import Path

import click

from generator import site
from generator.build import prepare
from generator.errors import HandbookError
from generator.paths import CONTENT, TEMPLATES

POLL_SECONDS = 0.5
BANNER = """\
!!! failure "Your profile has a problem: this is the last handbook that built"

    Fix the profile and save it; this page then updates by itself.

{details}

"""


def serve(profile: Path, dev_addr: str, today: dt.date | None, public: bool, open_browser: bool = False) -> None:
    from mkdocs.commands.serve import serve as mkdocs_serve

    host, port = address(dev_addr)
    check_port(host, port)
    with tempfile.TemporaryDirectory(prefix=f"serve-{os.getpid()}-", dir=_scratch_home()) as folder:
        project = Path(folder)
        files = prepare(profile, today, public).files
        site.write_files(project, files)
        stop = threading.Event()
        watcher = threading.Thread(target=_watch, args=(profile, project, today, public, stop, files), daemon=True)
        watcher.start()
        url = f"http://{host}:{port}/"
        click.echo(f"Serving the handbook of {profile} on {url} (press Ctrl+C to stop)")
        if open_browser:
            threading.Timer(1.0, webbrowser.open, args=(url,)).start()
        try:
            mkdocs_serve(config_file=str(project / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
        except OSError as exc:  # the port was taken after the check
            check_port(host, port)
            raise HandbookError(f"cannot serve on {host}:{port} ({exc.strerror or exc}); try -a 127.0.0.1:8000") from None
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
    seen = _stamps([profile, CONTENT, TEMPLATES])
    while not stop.wait(POLL_SECONDS):
        now = _stamps([profile, CONTENT, TEMPLATES])
        if now == seen:
            continue
        seen = now
        try:
            files = prepare(profile, today, public).files
        except HandbookError as exc:
            _show_error(project, good, str(exc))
            continue
        except Exception as exc:  # a bug must not end the preview: say so and keep watching
            _show_error(project, good, f"internal error ({type(exc).__name__}): {exc}; please report it")
            continue
        _remove_stale(project, files)
        site.write_files(project, files)
        good = files
        click.echo("handbook regenerated", err=True)


def _show_error(project: Path, good: dict[str, bytes] | None, message: str) -> None:
    """The error in the terminal, and above every page of the last good handbook in the browser."""
    click.echo(f"error: {message}", err=True)
    if good is None:
        return
    details = "\n".join(f"        {line}" for line in message.splitlines())
    banner = BANNER.format(details=details).encode()
    pages = {name: banner + data for name, data in good.items() if name.startswith("docs/") and name.endswith(".md")}
    site.write_files(project, pages)


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
