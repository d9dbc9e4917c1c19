"""`handbook merge-ticks`: the ticks exported from a handbook's pages, written into the profile's `done:` list.

The file is the one "Export ticks" saves (format handbook-ticks/1): the items ticked and
unticked in the browser. Ticked ids are added to `done:`, unticked ones removed; the rest of
the profile, comments included, is left as it was. The new profile is checked before it
replaces the old one, so a bad id changes nothing.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.errors import HandbookError

FORMAT = "handbook-ticks/1"
ID = re.compile(r"^[a-z0-9][a-z0-9-]*(@[a-z0-9-]+)?$")
DONE = re.compile(r"^done:[ \t]*(.*)$")


@dataclass(frozen=True)
class Merged:
    added: list[str]
    removed: list[str]


def read_ticks(path: Path) -> dict[str, Any]:
    """The exported ticks, or a one-line error saying what the file should be."""
    try:
        ticks = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not JSON"
        raise HandbookError(f"{path}: cannot read the ticks file ({reason})") from None
    lists = [ticks.get(k) for k in ("ticked", "unticked")] if isinstance(ticks, dict) else []
    if not lists or ticks.get("format") != FORMAT or not all(isinstance(x, list) for x in lists):
        raise HandbookError(f"{path}: not a ticks file; use the file a handbook's 'Export ticks' button saves")
    entries: list[Any] = [x for found in lists for x in found or []]
    bad = [x for x in entries if not isinstance(x, str) or not ID.match(x)]
    if bad:
        raise HandbookError(f"{path}: {len(bad)} entries are not checklist ids; export the ticks again")
    return dict(ticks)


def merge(profile: Path, ticks_file: Path, force: bool = False) -> Merged:
    """Add the ticked ids to the profile's `done:` and remove the unticked ones; check, then replace."""
    from generator.build import check, handbook_key

    if profile.is_symlink():
        raise HandbookError(f"{profile}: is a symbolic link; run merge-ticks on the file it points to")
    checked = check(profile)
    ticks = read_ticks(ticks_file)
    key = handbook_key(checked.loaded)
    if ticks.get("handbook") != key and not force:
        raise HandbookError(
            f"{ticks_file}: holds the ticks of another handbook ({ticks.get('handbook')!s:.60}, not {key}); "
            "use --force to merge them anyway"
        )
    done = list(checked.loaded.profile.done)
    added = [x for x in dict.fromkeys(ticks["ticked"]) if x not in done]
    removed = [x for x in done if x in set(ticks["unticked"]) and x not in set(ticks["ticked"])]
    if not added and not removed:
        return Merged([], [])
    new_done = [x for x in done if x not in removed] + added
    text = profile.read_text(encoding="utf-8")
    updated = with_done(text, new_done)
    temporary = profile.with_name(f".{profile.name}.merging")
    try:
        temporary.write_text(updated, encoding="utf-8")
        check(temporary)
        os.replace(temporary, profile)
    except OSError as exc:
        raise HandbookError(f"{profile}: cannot write the file ({exc.strerror or exc})") from None
    finally:
        temporary.unlink(missing_ok=True)
    return Merged(added, removed)


def with_done(text: str, done: list[str]) -> str:
    """The profile's text with its top-level `done:` list replaced (or added at the end)."""
    block = "done:\n" + "".join(f"  - {x}\n" for x in done) if done else "done: []\n"
    lines = text.splitlines(keepends=True)
    for start, line in enumerate(lines):
        if DONE.match(line.rstrip("\r\n")):
            end = start + 1
            while end < len(lines) and (lines[end][:1] in (" ", "\t", "-") or not lines[end].strip()):
                end += 1
            while end > start + 1 and not lines[end - 1].strip():
                end -= 1  # keep the blank lines that follow the list
            return "".join(lines[:start]) + block + "".join(lines[end:])
    return text + ("" if text.endswith("\n") or not text else "\n") + block
