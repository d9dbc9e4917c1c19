"""What a batch shows while it runs: a bar on a terminal, a plain line per handbook elsewhere (CI logs)."""

from __future__ import annotations

import shutil
from typing import TextIO

from generator.errors import printable

BAR = 24


class Progress:
    """Counts of built, skipped and failed handbooks, shown as they change."""

    def __init__(self, total: int, stream: TextIO, terminal: bool) -> None:
        self.total, self.stream, self.terminal = total, stream, terminal
        self.counts = {"built": 0, "skipped": 0, "failed": 0}

    def begin(self) -> None:
        """Show the empty bar at once: the first handbooks take a moment."""
        if self.terminal and self.total:
            self._draw("")

    def done(self, status: str, name: str, error: str | None = None) -> None:
        """One handbook finished: status is built, skipped or failed."""
        self.counts[status] += 1
        name = printable(name)  # a file name may hold control characters: shown escaped, never run
        line = f"{status} {name}" + (f": {printable(first_line(error))}" if error else "")
        if not self.terminal:
            self._print(line)
            return
        if status == "failed":
            self._print(f"\r\x1b[K{line}")
        self._draw(name)

    def finish(self) -> None:
        """Leave the terminal on a fresh line after the bar."""
        if self.terminal and self.total:
            self.stream.write("\r\x1b[K")
            self.stream.flush()

    def _draw(self, name: str) -> None:
        finished = sum(self.counts.values())
        filled = BAR * finished // max(self.total, 1)
        counts = ", ".join(f"{key} {value}" for key, value in self.counts.items())
        text = f"[{'#' * filled}{'.' * (BAR - filled)}] {finished}/{self.total} {counts}  {name}"
        width = shutil.get_terminal_size().columns - 1
        self.stream.write(f"\r\x1b[K{text[:width]}")
        self.stream.flush()

    def _print(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()


def first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "(no message)"
