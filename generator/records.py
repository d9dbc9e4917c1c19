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
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from importlib import metadata
from pathlib import Path
from typing import Any

import generator
from generator import staging, yamlsafe
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
    for root in roots:
        for path in _files(root):
            digest.update(f"\0{path.relative_to(root.parent).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def inputs_key(shared: str, profile: bytes, public: bool, today: str | None, engine: str = "mkdocs") -> str:
    """The key of one handbook's inputs: shared files, the profile's bytes and the options."""
    parts = [shared, hashlib.sha256(profile).hexdigest(), f"public={public}", f"today={today or ''}", f"engine={engine}"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def profile_bytes(path: Path) -> bytes:
    """The profile's bytes and, when it names a `programs_file:`, that file's too: a handbook is built from both."""
    data = path.read_bytes()
    sheet = programs_sheet(path)
    if sheet is not None and sheet.is_file():
        data += b"\0programs_file\0" + sheet.read_bytes()
    return data


def programs_sheet(path: Path) -> Path | None:
    """The CSV file a profile names in `programs_file:`, or None (also for a profile that does not load)."""
    try:
        text = yamlsafe.read_text(path)
        # Without a backslash (an escape in a quoted key) the key can only be written as it reads: no need to parse.
        if "programs_file" not in text and "\\" not in text:
            return None
        parsed, _ = yamlsafe.load(text, path)
    except HandbookError:
        return None
    sheet = parsed.get("programs_file") if isinstance(parsed, dict) else None
    return path.parent / sheet if isinstance(sheet, str) else None


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    return sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "absent"
