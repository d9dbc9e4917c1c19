"""Parsed content files kept between runs, keyed by their bytes: loading content/ without YAML parsing.

Three quarters of loading content/ was the line-tracking YAML loader (generator.yamlsafe).
Its result for a content file depends only on the file's text (and on the loader), so it is
kept on disk, pickled, in the per-user folder where generator.compiled keeps the compiled
templates (made private, 0700, and owned by this user, or not used), and in memory for the
rest of the process. Only the tool's own content files go through here, never a profile:
nothing private is written to the cache.
"""

from __future__ import annotations

import errno
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from pathlib import Path
from typing import Any

from generator import yamlsafe

PREFIX = "__handbook_"
_MEMORY: dict[str, bytes] = {}
_STATE: dict[str, Any] = {}


def folder() -> Path | None:
    """The per-user cache folder (the one Jinja's bytecode cache uses), or None where it is not safe."""
    if "folder" not in _STATE:
        _STATE["folder"] = _private_folder()
    found: Path | None = _STATE["folder"]
    return found


def _private_folder() -> Path | None:
    if not hasattr(os, "getuid"):
        return None
    path = Path(tempfile.gettempdir()) / f"_jinja2-cache-{os.getuid()}"
    try:
        path.mkdir(mode=stat.S_IRWXU)
    except OSError as exc:
        if exc.errno != errno.EEXIST:
            return None
    try:
        info = path.lstat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or not stat.S_ISDIR(info.st_mode) or stat.S_IMODE(info.st_mode) != stat.S_IRWXU:
        return None
    return path


def _version() -> str:
    """What, besides a file's text, decides the parsed result: the loader's code and Python's pickle."""
    if "version" not in _STATE:
        loader = Path(yamlsafe.__file__).read_bytes()
        _STATE["version"] = hashlib.sha256(loader + sys.version.encode()).hexdigest()[:16]
    version: str = _STATE["version"]
    return version


def load_yaml(text: str, file: str | Path) -> tuple[Any, yamlsafe.Lines]:
    """yamlsafe.load(text, file), from the cache when this text was parsed before (errors are never kept)."""
    key = hashlib.sha256(f"{_version()}\0{text}".encode()).hexdigest()
    data = _MEMORY.get(key)
    where = folder()
    path = where / f"{PREFIX}yaml_{key}.cache" if where else None
    if data is None and path is not None:
        data = _read(path)
    if data is not None:
        try:
            value: tuple[Any, yamlsafe.Lines] = pickle.loads(data)
            _MEMORY[key] = data
            return value
        except Exception:  # a damaged cache file is parsed again and replaced
            pass
    value = yamlsafe.load(text, file)
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    _MEMORY[key] = data
    if path is not None:
        write(path, data)
    return value


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def write(path: Path, data: bytes) -> None:
    """Whole or not at all: another process may read it at the same time."""
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError:
        temp.unlink(missing_ok=True)
