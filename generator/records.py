"""What each handbook of a batch was last built from, so an unchanged one is skipped.

Each handbook has its own small record, `OUT/.handbook/NAME.json`, rather than one
manifest for the whole batch: the outputs of shards built on different machines
then merge by copying their folders together, with no file to reconcile.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import generator
from generator import staging
from generator.errors import HandbookError

FOLDER = ".handbook"
FORMAT = 1
# Installed packages whose version changes what a handbook looks like.
PACKAGES = ("mkdocs", "mkdocs-material", "pymdown-extensions", "markdown", "jinja2", "pygments", "properdocs", "zensical")


@dataclass(frozen=True)
class Record:
    """The last build of one profile: its inputs' key, its overview row, and its last error."""

    profile: str
    inputs: str | None = None
    clock_date: str | None = None
    summary: dict[str, Any] | None = None
    error: str | None = None

    def is_fresh(self, inputs: str, today: str) -> bool:
        """Built from exactly these inputs, and not for an earlier real date than today's."""
        return self.inputs == inputs and self.clock_date in (None, today)

    def failed(self, error: str) -> Record:
        """The same record with a failed attempt noted: the last good build stays described."""
        return replace(self, error=error)


def path_of(out: Path, name: str) -> Path:
    return out / FOLDER / f"{name}.json"


def read(out: Path, name: str) -> Record | None:
    """The record of one handbook; None when missing or unreadable (it is then rebuilt)."""
    try:
        data = json.loads(path_of(out, name).read_text(encoding="utf-8"))
        if data.pop("format") != FORMAT:
            return None
        return Record(**data)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write(out: Path, name: str, record: Record) -> None:
    """Replace the record atomically, so an interrupted batch never leaves half a file."""
    path = path_of(out, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"format": FORMAT, **asdict(record)}, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(handle, 0o666 & ~staging.umask())  # mkstemp makes 0600; the folder's readers may read it
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise


def shared_key(roots: Iterable[Path]) -> str:
    """One hash of everything all handbooks are built from: files under roots and versions."""
    digest = hashlib.sha256()
    versions = {"generator": generator.__version__, "python": sys.version.split()[0]}
    versions.update({name: _version(name) for name in PACKAGES})
    digest.update(json.dumps(versions, sort_keys=True).encode())
    roots = list(roots)
    hashes = _FileHashes(roots)
    for root in roots:
        for parts in _files(root):
            digest.update(f"\0{'/'.join((root.name, *parts))}\0".encode())
            digest.update(hashes.of(os.path.join(root, *parts)))
    hashes.save()
    return digest.hexdigest()


class _FileHashes:
    """The SHA-256 of the tool's own files, kept between runs beside the other per-user caches
    (generator.diskcache) with each file's status: a batch with nothing to build would otherwise
    spend most of its time reading a thousand files of content, templates and code.

    A kept hash is used only while the file's size, times, inode and device are what they were,
    and only when the file had last changed at least two seconds before it was hashed (as git
    does), so that a change within the clock's step of the hashing is never missed.

    One file of hashes per set of roots (an installed copy of the tool, a content folder), holding
    only the files of that set's last run: a single file for every set grew with each install,
    checkout and test folder, and reading it became most of a batch with nothing to build.
    """

    SETTLED_NS = 2_000_000_000
    LEGACY = "file_hashes.json"  # the single file of earlier versions, removed when a set's file is written

    def __init__(self, roots: Iterable[Path]) -> None:
        from generator import diskcache  # the per-user folder, made private, or None

        where = diskcache.folder()
        tag = hashlib.sha256("\0".join(os.path.abspath(root) for root in roots).encode()).hexdigest()[:16]
        self.path = where / f"{diskcache.PREFIX}file_hashes_{tag}.json" if where else None
        self.kept: dict[str, list[Any]] = {}
        self.seen: set[str] = set()
        self.changed = False
        if self.path is not None:
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(self.path.read_bytes())
                if isinstance(data, dict):
                    self.kept = data

    def of(self, name: str) -> bytes:
        self.seen.add(name)
        status = os.stat(name)
        signature = [status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino, status.st_dev]
        entry = self.kept.get(name)
        if isinstance(entry, list) and len(entry) == 2 and entry[0] == signature and isinstance(entry[1], str):
            with contextlib.suppress(ValueError):
                return bytes.fromhex(entry[1])
        hashed_at = time.time_ns()
        with open(name, "rb") as stream:
            data = stream.read()
        value = hashlib.sha256(data).digest()
        if len(data) == status.st_size and max(status.st_mtime_ns, status.st_ctime_ns) < hashed_at - self.SETTLED_NS:
            self.kept[name] = [signature, value.hex()]
            self.changed = True
        return value

    def save(self) -> None:
        """Write the kept hashes when one was added or a file is gone (its entry is dropped)."""
        if self.path is None or not (self.changed or self.kept.keys() - self.seen):
            return
        from generator import diskcache

        kept = {name: entry for name, entry in self.kept.items() if name in self.seen}
        diskcache.write(self.path, json.dumps(kept, separators=(",", ":")).encode())
        with contextlib.suppress(OSError):
            (self.path.parent / f"{diskcache.PREFIX}{self.LEGACY}").unlink()


def inputs_key(shared: str, profile: bytes, public: bool, today: str | None, engine: str = "mkdocs") -> str:
    """The key of one handbook's inputs: shared files, the profile's bytes and the options."""
    parts = [shared, hashlib.sha256(profile).hexdigest(), f"public={public}", f"today={today or ''}", f"engine={engine}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def profile_bytes(path: Path) -> bytes:
    """The profile's bytes and, when it names a `programs_file:`, that file's too: a handbook is built from both."""
    data = path.read_bytes()
    sheet = programs_sheet(path, data)
    if sheet is not None and sheet.is_file():
        data += b"\0programs_file\0" + sheet.read_bytes()
    return data


def programs_sheet(path: Path, data: bytes | None = None) -> Path | None:
    """The CSV file a profile names in `programs_file:`, or None (also for a profile that does not load).

    data: the profile's bytes, when already read. Without a backslash (an escape in a quoted key)
    the key can only be written as it reads: no need to parse (nor to load the YAML reader).
    """
    if data is not None:
        try:
            quick = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        if "programs_file" not in quick and "\\" not in quick:
            return None
    try:
        from generator import yamlsafe

        text = yamlsafe.read_text(path)
        if "programs_file" not in text and "\\" not in text:
            return None
        parsed, _ = yamlsafe.load(text, path)
    except HandbookError:
        return None
    sheet = parsed.get("programs_file") if isinstance(parsed, dict) else None
    return path.parent / sheet if isinstance(sheet, str) else None


def _files(root: Path) -> list[tuple[str, ...]]:
    """The parts of the path below root of every file under it (symbolic links to files too, not folders
    behind links), sorted as paths sort, but Python's compiled modules; a root that is a file: one, ()."""
    if root.is_file():
        return [()]
    found: list[tuple[str, ...]] = []

    def walk(folder: str, parts: tuple[str, ...]) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if entry.name != "__pycache__":
                        walk(entry.path, (*parts, entry.name))
                elif entry.is_file() and not entry.name.endswith(".pyc"):
                    found.append((*parts, entry.name))

    walk(str(root), ())
    return sorted(found)


def _version(package: str) -> str:
    """The installed version of a distribution ("absent" when it is not installed).

    Read from the names of the dist-info folders on the import path, as installers write them
    (`mkdocs_material-9.7.7.dist-info`): importing importlib.metadata takes longer than the rest
    of a batch that has nothing to build. Whatever that cannot settle (an egg, a zip file on the
    path, two copies in one folder) is asked of importlib.metadata, which found it before.
    """
    found = _from_folder_names(package)
    if found is not None:
        return found
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def _from_folder_names(package: str) -> str | None:
    wanted = _normal(package)
    for entry in sys.path:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):
                return None  # a zip file or an egg: not read here
            continue
        try:
            names = _listing(folder)
        except OSError:
            return None
        versions = []
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix.lower() in ("dist-info", "egg-info") and _normal(stem.partition("-")[0]) == wanted:
                if suffix.lower() == "egg-info" or "-" not in stem:
                    return None
                versions.append(stem.partition("-")[2])
        if len(versions) > 1:
            return None
        if versions:
            return versions[0]
    return "absent"


_LISTINGS: dict[str, list[str]] = {}


def _listing(folder: str) -> list[str]:
    if folder not in _LISTINGS:
        _LISTINGS[folder] = os.listdir(folder)
    return _LISTINGS[folder]
