"""The one exception family users see: the CLI catches it once, prints it, exits 2."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""Characters refused in a profile's text: they move a terminal's cursor, hide text or reorder it."""
_SHOWN_ESCAPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, located to the line and key path."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class HandbookError(Exception):
    """A mistake in the user's input or call, not a bug: printed without a traceback."""

    exit_code = 2


class InputError(HandbookError):
    """Every problem found in one input file (a profile or a content file)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.file, p.line or 0, p.path))
        super().__init__("\n".join(str(p) for p in self.problems))


class BuildError(HandbookError):
    """The site could not be built; the previous site is left as it was."""


def describe(exc: HandbookError, text: str | None = None) -> str:
    """How the CLI prints a user's mistake (or text, the message cleared of private values): one line, or a
    heading and one located problem a line."""
    text = str(exc) if text is None else text
    return f"error: {text}" if "\n" not in text else f"error: the input has problems:\n{text}"


def problem(file: str | Path, line: int | None, path: str, message: str) -> InputError:
    """One located problem, ready to raise."""
    return InputError([Problem(str(file), line, path, message)])


def printable(text: str) -> str:
    """Text safe to print on a terminal: control and bidi characters shown as escapes (`\\x1b`, `\\u202e`)."""
    return _SHOWN_ESCAPED.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", text)
