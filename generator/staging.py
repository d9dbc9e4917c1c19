"""The mechanics of replacing an output: the marker, the lock, the staged folder, the swap, recovery.

generator.outdir decides whether a path may be written; this module does the writing so that
at every instant the path holds the complete old output or the complete new one.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from generator.errors import HandbookError

MARKER = ".handbook-output"
MARKER_TEXT = "Made by handbook (the personal residency handbook tool); it replaces this folder on every build.\n"
INSIDE = ".handbook-work-"  # what we keep inside a mount point: lock, staged and scratch folders (never `.NAME.`)
_LEFTOVER = re.compile(r"(building|old|project)-[A-Za-z0-9_]+")


class Busy(HandbookError):
    """Another handbook command holds the output's lock."""


@functools.cache
def umask() -> int:
    """The user's umask (read once, before any worker starts)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def mark(folder: Path) -> None:
    """Write the marker that says handbook made this folder."""
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def ignorable(folder: Path, name: str) -> bool:
    """Our own hidden working files inside a mount point, and a file system's lost+found."""
    return name.startswith(INSIDE) or (name == "lost+found" and os.path.ismount(folder))


@contextlib.contextmanager
def locked(real: Path, shown: str) -> Iterator[None]:
    """Hold `.NAME.lock` beside the output (inside it for a mount point): a second writer is refused."""
    path = real / f"{INSIDE}lock" if os.path.ismount(real) else real.parent / f".{real.name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o666)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            if os.fstat(fd).st_ino != os.stat(path).st_ino:  # the last holder removed it as we opened it
                raise BlockingIOError
        except (BlockingIOError, FileNotFoundError):
            raise Busy(
                f"another handbook command is writing into {shown} right now; wait for it to finish, then run again"
            ) from None
        try:
            yield
        finally:
            with contextlib.suppress(OSError):
                path.unlink()
    finally:
        os.close(fd)


class Stage:
    """Where the new output is written (`path`), and hidden scratch folders beside it."""

    def __init__(self, real: Path) -> None:
        self.real = real
        self.in_place = os.path.ismount(real)
        self.home = real if self.in_place else real.parent
        self.path = self._folder("building")
        self._scratch: list[Path] = []

    def scratch(self) -> Path:
        """A private folder beside the output (never in a shared temp folder), removed when done."""
        folder = Path(tempfile.mkdtemp(prefix=self._prefix("project"), dir=self.home))
        self._scratch.append(folder)
        return folder

    def _prefix(self, kind: str) -> str:
        return f"{INSIDE}{kind}-" if self.in_place else f".{self.real.name}.{kind}-"

    def _folder(self, kind: str) -> Path:
        folder = Path(tempfile.mkdtemp(prefix=self._prefix(kind), dir=self.home))
        folder.chmod(0o777 & ~umask())  # mkdtemp makes 0700; a web server must be able to read a site
        return folder

    def discard(self) -> None:
        for folder in [self.path, *self._scratch]:
            shutil.rmtree(folder, ignore_errors=True)

    def drop_scratch(self) -> None:
        for folder in self._scratch:
            shutil.rmtree(folder, ignore_errors=True)

    def commit(self) -> None:
        """Put the complete new output in place: two renames, or in place for a mount point."""
        mark(self.path)  # the marker is written last: a staged folder with it is complete
        if self.in_place:
            _swap_in_place(self.real, self.path)
            return
        old = None
        if self.real.exists():
            old = Path(tempfile.mkdtemp(prefix=self._prefix("old"), dir=self.home))
            _rename(self.real, old)
        _rename(self.path, self.real)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def _rename(source: Path, destination: Path) -> None:
    """One step of the swap (a test stops the process between the two)."""
    os.replace(source, destination)


def _swap_in_place(real: Path, staged: Path) -> None:
    """A mount point cannot be renamed: replace what it holds, entry by entry."""
    for entry in real.iterdir():
        if entry.name != MARKER and not ignorable(real, entry.name):
            _remove(entry)
    for entry in staged.iterdir():
        if entry.name != MARKER:
            os.replace(entry, real / entry.name)
    mark(real)
    shutil.rmtree(staged, ignore_errors=True)


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry)
    else:
        entry.unlink()


def recover(real: Path) -> None:
    """After a killed run: put a complete output back if the target is missing, then drop leftovers."""
    if os.path.ismount(real):
        for entry in real.iterdir():
            if entry.name.startswith(INSIDE) and entry.name != f"{INSIDE}lock":
                _remove(entry)
        return
    if not real.parent.is_dir():
        return
    prefix = f".{real.name}."
    leftovers = [
        entry
        for entry in real.parent.iterdir()
        if entry.name.startswith(prefix) and _LEFTOVER.fullmatch(entry.name[len(prefix) :]) and entry.is_dir()
    ]
    if not real.exists() and not real.is_symlink():
        complete = [e for e in leftovers if e.name[len(prefix) :].startswith("building-") and (e / MARKER).is_file()]
        olds = [e for e in leftovers if e.name[len(prefix) :].startswith("old-")]
        candidates = sorted(complete, key=_mtime) or sorted(olds, key=_mtime)
        if candidates:
            os.replace(candidates[-1], real)
            leftovers.remove(candidates[-1])
    for entry in leftovers:
        shutil.rmtree(entry, ignore_errors=True)


def sweep(folder: Path) -> None:
    """Recover every output inside folder that a killed run left half-replaced (the handbooks of `build-all`)."""
    found = (re.fullmatch(r"\.(.+)\.(?:building|old|project)-[A-Za-z0-9_]+", entry.name) for entry in folder.iterdir())
    names = {match[1] for match in found if match}
    for name in sorted(names):
        recover(folder / name)
    for lock in folder.glob(".*.lock"):
        _drop_stale_lock(lock)


def _drop_stale_lock(path: Path) -> None:
    """Remove a lock file that a killed process left (one that is held stays)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path.unlink()
        finally:
            os.close(fd)


def _mtime(path: Path) -> float:
    return path.stat().st_mtime
