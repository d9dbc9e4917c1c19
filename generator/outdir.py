"""Where output may go, and how it is replaced: never a folder the tool did not make.

Every writer of output (`build`, `generate`, `build-all`) goes through this module:
refuse an unsafe target before any work -> lock it -> recover from a killed run ->
stage the new output beside it -> swap it in with two renames -> drop the old one.
At every instant the target holds the complete old output or the complete new one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from generator import diskerrors, paths, staging
from generator.errors import HandbookError

_NEW_FOLDER = "choose a new or empty folder"


class Refused(HandbookError):
    """The output path is one the tool must not write into."""


def given(text: str) -> Path:
    """The output path as typed; an empty one (an unset variable) is refused, not read as `.`."""
    if not text.strip():
        raise Refused(f"the output folder is an empty path (an unset variable?); {_NEW_FOLDER}, such as site")
    return Path(text)


def target(out: Path, sources: Sequence[Path] = ()) -> Path:
    """The real path to write `out` into, or Refused saying why not and what to do instead."""
    shown = str(out)
    if not shown:
        given(shown)
    if out.is_symlink():
        raise Refused(f"cannot write into {shown}: it is a symbolic link; give the folder it points to, or a new folder")
    real = out.resolve()
    reason = _forbidden(real, [s.resolve() for s in sources])
    if reason:
        raise Refused(f"cannot write into {shown}: it is {reason}; {_NEW_FOLDER}, such as site")
    if real.exists() and not real.is_dir():
        raise Refused(f"cannot write into {shown}: it is a file, not a folder; {_NEW_FOLDER}")
    if real.is_dir() and not is_ours(real):
        raise Refused(
            f"cannot write into {shown}: the folder holds files that handbook did not make; "
            f"{_NEW_FOLDER}, or move those files away (a site built by an older version: delete it once)"
        )
    return real


def is_ours(folder: Path) -> bool:
    """Empty (but for our own hidden leftovers) or marked by us."""
    marker = folder / staging.MARKER
    if marker.is_file() and not marker.is_symlink():
        return True
    return not [entry for entry in folder.iterdir() if not staging.ignorable(folder, entry.name)]


def _forbidden(real: Path, sources: list[Path]) -> str | None:
    cwd = Path.cwd().resolve()
    if real == Path(real.anchor):
        return "the root of the file system"
    if real == _home():
        return "your home folder"
    tool = _tool_part(real)
    if tool:
        return tool
    if ".git" in real.parts:
        return "part of a git repository's .git folder"
    if _is_repository(real):
        return "a git repository"
    for source in sources:
        if real == source and source.is_dir():
            return "the folder of the profiles"
        if real in source.parents:
            return f"the folder that holds {source.name}"
    if real == cwd:
        return "the current folder"
    return "a parent of the current folder" if real in cwd.parents else None


def _home() -> Path | None:
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def _is_repository(folder: Path) -> bool:
    bare = (folder / "HEAD").is_file() and (folder / "objects").is_dir() and (folder / "refs").is_dir()
    return bare or (folder / ".git").exists()


def _tool_part(real: Path) -> str | None:
    """The tool's own code and data (wherever it is installed); a new folder beside them is fine."""
    names = {paths.PACKAGE: "source", paths.CONTENT: "content", paths.TEMPLATES: "site templates"}
    names[paths.EXAMPLES] = "example profiles"
    for folder in paths.OWN:
        own = folder.resolve()
        if real == own or own in real.parents:
            return f"part of the handbook tool itself (its {names.get(folder, folder.name)} folder)"
    if real == paths.ROOT.resolve():
        return "the handbook tool's own folder"
    return None


@contextlib.contextmanager
def replacing(out: Path, sources: Sequence[Path] = ()) -> Iterator[staging.Stage]:
    """A fresh folder that replaces `out` only if the block succeeds; refused targets fail before any work."""
    shown = str(out)
    with diskerrors.reported(shown), staging.locked(target(out, sources), shown):
        staging.recover(target(out, sources))
        real = target(out, sources)  # again under the lock, after what a killed run left is resolved
        stage = staging.Stage(real)
        try:
            yield stage
            stage.drop_scratch()
            stage.commit()
        except BaseException:
            stage.discard()
            raise


@contextlib.contextmanager
def claimed(out: Path, sources: Sequence[Path] = ()) -> Iterator[Path]:
    """A folder written into, not replaced (the folder of `build-all`): checked, locked, made and marked."""
    shown = str(out)
    with diskerrors.reported(shown), staging.locked(target(out, sources), shown):
        real = target(out, sources)
        real.mkdir(parents=True, exist_ok=True)
        if not (real / staging.MARKER).is_file():
            staging.mark(real)
        yield real
