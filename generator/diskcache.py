"""Parsed content files kept between runs, keyed by their bytes: loading content/ without YAML parsing.

Three quarters of loading content/ was the line-tracking YAML loader (generator.yamlsafe).
Its result for a content file depends only on the file's text (and on the loader and PyYAML),
so it is kept, pickled: shipped with the package for the content it was built with
(`generator/_prebuilt/content.pickle`, made by generator.prebuild), on disk in the per-user
folder where generator.compiled keeps the compiled templates (made private, 0700, and owned
by this user, or not used), and in memory for the rest of the process. A missing or damaged
entry is parsed again. Only the tool's own content files go through here, never a profile:
nothing private is written to the cache.
"""

from __future__ import annotations

import errno
import hashlib
import os
import pickle
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from generator import yamlsafe

PREFIX = "__handbook_"
PREBUILT = Path(__file__).resolve().parent / "_prebuilt" / "content.pickle"
PROTOCOL = 5  # read by every Python this tool supports
T = TypeVar("T")
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
    """What, besides a file's text, decides the parsed result: the loader's code (and what it imports) and PyYAML's version."""
    if "version" not in _STATE:
        import yaml

        from generator import errors, yamlsafe

        loader = Path(yamlsafe.__file__).read_bytes() + Path(errors.__file__).read_bytes()
        _STATE["version"] = hashlib.sha256(loader + yaml.__version__.encode()).hexdigest()[:16]
    version: str = _STATE["version"]
    return version


def _prebuilt() -> dict[str, bytes]:
    """The parsed content shipped with the package, by key (empty when absent or damaged)."""
    if "prebuilt" not in _STATE:
        try:
            found = pickle.loads(PREBUILT.read_bytes())
        except Exception:  # absent, unreadable or damaged: parsed as if it were not there
            found = None
        ok = isinstance(found, dict) and all(isinstance(k, str) and isinstance(v, bytes) for k, v in found.items())
        _STATE["prebuilt"] = found if ok else {}
    prebuilt: dict[str, bytes] = _STATE["prebuilt"]
    return prebuilt


def fresh() -> None:
    """From now on in this process: parse every file (no shipped or cached results) and keep them only in memory."""
    _MEMORY.clear()
    _STATE.update(prebuilt={}, folder=None)


def parsed() -> dict[str, bytes]:
    """Every result parsed or read in this process, pickled, by key (what generator.prebuild ships)."""
    return dict(_MEMORY)


def load_yaml(text: str, file: str | Path) -> tuple[Any, yamlsafe.Lines]:
    """yamlsafe.load(text, file), from the cache when this text was parsed before (errors are never kept)."""
    from generator import yamlsafe

    return _kept(text_key(text), "yaml", lambda: yamlsafe.load(text, file), _unpickle)


def load_object(name: str, parts: list[str], make: Callable[[], T], kind: type[T]) -> T:
    """make(), or what it made before from the same parts (texts that, with the code they name, decide it).

    Kept as load_yaml keeps a parsed file: shipped, in the per-user folder, in memory; an
    error is never kept (make raises it again); a missing, damaged or other kind of entry is made again.
    """

    def accept(data: bytes) -> T | None:
        try:
            kept = pickle.loads(data)
        except Exception:
            return None
        return kept if isinstance(kept, kind) else None

    return _kept(text_key("\0".join([name, *parts])), name, make, accept)


def _kept(key: str, name: str, make: Callable[[], T], accept: Callable[[bytes], T | None]) -> T:
    """The entry `key`, as accept reads it from memory, the shipped entries or the per-user folder; else make()'s, kept."""
    data = _MEMORY.get(key) or _prebuilt().get(key)
    where = folder()
    path = where / f"{PREFIX}{name}_{key}.cache" if where else None
    if data is None and path is not None:
        data = _read(path)
    if data is not None:
        kept = accept(data)
        if kept is not None:
            _MEMORY[key] = data
            return kept
    value = make()
    data = pickle.dumps(value, protocol=PROTOCOL)
    _MEMORY[key] = data
    if path is not None:
        write(path, data)
    return value


def text_key(text: str) -> str:
    """A text's key in the caches: the text and what else decides its parsed result."""
    return hashlib.sha256(f"{_version()}\0{text}".encode()).hexdigest()


def _unpickle(data: bytes) -> tuple[Any, yamlsafe.Lines] | None:
    """A kept result, or None when damaged (then the file is parsed again and the cache file replaced)."""
    try:
        value = pickle.loads(data)
    except Exception:
        return None
    return value if isinstance(value, tuple) and len(value) == 2 and isinstance(value[1], dict) else None


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
