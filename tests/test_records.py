"""generator.records: the key of what every handbook is made from, and installed versions, found cheaply."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib import metadata
from pathlib import Path

import pytest

import generator
from generator import diskcache, records
from generator.paths import BASE_CONFIG, CONTENT, PACKAGE, TEMPLATES


def test_versions_read_from_folder_names_agree_with_package_metadata() -> None:
    names = {d.metadata["Name"] for d in metadata.distributions()} | set(records.PACKAGES) | {"not-installed-x"}
    checked = 0
    for name in sorted(n for n in names if n):
        found = records._from_folder_names(name)
        if found is None:  # not settled by the folder names: importlib.metadata answers
            continue
        try:
            expected = metadata.version(name)
        except metadata.PackageNotFoundError:
            expected = "absent"
        assert found == expected, name
        checked += 1
    assert checked > 20
    assert records._version("not-installed-x") == "absent"


def _plain_key(roots: list[Path]) -> str:
    """shared_key as first written: every file read and hashed, versions from importlib.metadata."""
    digest = hashlib.sha256()
    versions = {"generator": generator.__version__, "python": sys.version.split()[0]}
    for name in records.PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    digest.update(json.dumps(versions, sort_keys=True).encode())
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix == ".pyc":
                continue
            digest.update(f"\0{path.relative_to(root.parent).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def test_the_shared_key_is_every_file_and_version_hashed(tmp_path: Path) -> None:
    roots = [CONTENT, TEMPLATES, BASE_CONFIG, PACKAGE]
    assert records.shared_key(roots) == _plain_key(roots)
    assert records.shared_key(roots) == _plain_key(roots)  # again, from the kept hashes


@pytest.fixture
def kept_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Hashes kept even for files changed just now (the tests cannot wait for files to settle), in tmp_path."""
    monkeypatch.setattr(records._FileHashes, "SETTLED_NS", -(10**12))
    monkeypatch.setattr(diskcache, "folder", lambda: tmp_path / "cache")
    (tmp_path / "cache").mkdir()
    root = tmp_path / "tool"
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("alpha")
    (root / "sub" / "b.txt").write_text("beta")
    return root


def test_a_kept_hash_is_used_only_while_the_file_is_unchanged(kept_at_once: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = kept_at_once
    first = records.shared_key([root])
    assert first == _plain_key([root])

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("read a file whose hash was kept")

    monkeypatch.setattr(records, "open", no_reading, raising=False)
    assert records.shared_key([root]) == first
    monkeypatch.undo()
    monkeypatch.setattr(records._FileHashes, "SETTLED_NS", -(10**12))
    monkeypatch.setattr(diskcache, "folder", lambda: root.parent / "cache")

    # The same size and modification time, other bytes: the status change time still tells.
    status = (root / "a.txt").stat()
    (root / "a.txt").write_text("ALPHA")
    os.utime(root / "a.txt", ns=(status.st_atime_ns, status.st_mtime_ns))
    changed = records.shared_key([root])
    assert changed != first
    assert changed == _plain_key([root])


def test_a_file_changed_within_two_seconds_of_its_hashing_is_hashed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(diskcache, "folder", lambda: tmp_path)
    path = tmp_path / "fresh.txt"
    path.write_text("new")
    hashes = records._FileHashes([tmp_path])
    hashes.of(str(path))
    assert str(path) not in hashes.kept  # may change again within the clock's step: never kept
    old = tmp_path / "old.txt"
    old.write_text("settled")
    os.utime(old, ns=(0, 0))
    monkeypatch.setattr(records._FileHashes, "SETTLED_NS", -(10**12))  # its status change time is recent too
    hashes.of(str(old))
    assert str(old) in hashes.kept


def _hash_files(cache: Path) -> dict[str, dict[str, object]]:
    return {path.name: json.loads(path.read_text()) for path in cache.glob(f"{diskcache.PREFIX}file_hashes*")}


def test_a_damaged_hash_file_is_ignored(kept_at_once: Path) -> None:
    first = records.shared_key([kept_at_once])
    [kept] = (kept_at_once.parent / "cache").glob(f"{diskcache.PREFIX}file_hashes_*.json")
    kept.write_text('{"x": [1, "zz"]')
    assert records.shared_key([kept_at_once]) == first
    assert set(json.loads(kept.read_text())) == {str(kept_at_once / "a.txt"), str(kept_at_once / "sub" / "b.txt")}


def test_each_set_of_roots_keeps_only_its_own_files(kept_at_once: Path) -> None:
    """The hashes of one set never grow another's file (one file for all grew with every install and test
    folder until reading it was most of a no-op batch), and a file that is gone leaves its set's file."""
    cache = kept_at_once.parent / "cache"
    (cache / f"{diskcache.PREFIX}file_hashes.json").write_text('{"/elsewhere/old.txt": [[1, 2, 3, 4, 5], "00"]}')
    other = kept_at_once.parent / "other"
    other.mkdir()
    (other / "c.txt").write_text("gamma")
    first = records.shared_key([kept_at_once])
    records.shared_key([other])
    files = _hash_files(cache)
    assert f"{diskcache.PREFIX}file_hashes.json" not in files  # the single file of earlier versions is gone
    assert sorted(sorted(kept) for kept in files.values()) == [
        [str(other / "c.txt")],
        [str(kept_at_once / "a.txt"), str(kept_at_once / "sub" / "b.txt")],
    ]
    (kept_at_once / "sub" / "b.txt").unlink()
    assert records.shared_key([kept_at_once]) == _plain_key([kept_at_once]) != first
    assert sorted(sorted(kept) for kept in _hash_files(cache).values()) == [
        [str(other / "c.txt")],
        [str(kept_at_once / "a.txt")],
    ]
