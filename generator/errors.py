"""The one exception family users see: the CLI catches it once, prints it, exits 2."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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


def describe(exc: HandbookError) -> str:
    """How the CLI prints a user's mistake: one line, or a heading and one located problem a line."""
    return f"error: {exc}" if "\n" not in str(exc) else f"error: the input has problems:\n{exc}"


def problem(file: str | Path, line: int | None, path: str, message: str) -> InputError:
    """One located problem, ready to raise."""
    return InputError([Problem(str(file), line, path, message)])
