"""Problems of the machine, not of the input (disk full, read-only, no permission), as one plain line."""

from __future__ import annotations

import contextlib
import errno
from collections.abc import Iterator

from generator.errors import HandbookError

_UNCHANGED = "the previous output is unchanged"
_REASONS = {
    errno.ENOSPC: ("the disk is full", f"free some space and run again; {_UNCHANGED}"),
    errno.EDQUOT: ("your disk quota is used up", f"free some space and run again; {_UNCHANGED}"),
    errno.EROFS: ("the file system is read-only", f"choose a folder you can write to; {_UNCHANGED}"),
    errno.EACCES: ("permission denied", f"choose a folder you can write to; {_UNCHANGED}"),
    errno.EPERM: ("the operation is not permitted", f"choose a folder you can write to; {_UNCHANGED}"),
}


class DiskError(HandbookError):
    """The output could not be written for a reason outside the tool."""


def describe(exc: OSError, shown: str) -> str:
    """One line: what could not be written, why, and what to do."""
    reason, advice = _REASONS.get(exc.errno or 0, (exc.strerror or type(exc).__name__, _UNCHANGED))
    return f"cannot write the output {shown}: {reason}; {advice}"


@contextlib.contextmanager
def reported(shown: str) -> Iterator[None]:
    """Turn an OSError raised while writing the output `shown` into a DiskError."""
    try:
        yield
    except OSError as exc:
        raise DiskError(describe(exc, shown)) from None
