"""Read the applicant's program list from a spreadsheet saved as CSV (`programs_file:`).

The header row names the columns of a program (shared/profile-format.md) in any order
and case; each row is one program, validated by the same `Program` model as a YAML list.
Every bad cell is reported at once as `FILE:ROW: column: found ...; allowed ...`, with
ROW as a spreadsheet numbers it (the header is row 1).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from generator import yamlsafe
from generator.errors import InputError, Problem
from generator.models import Program
from generator.profile import _allowed, _describe

COLUMNS = tuple(Program.model_fields)
INTEGERS = ("min_step2_ck", "max_years_since_graduation", "letters_wanted")
BOOLEANS = ("research_heavy", "usce_required")
WORDS = ("track", "setting", "signal")  # enumerations: read in any case
TRUE, FALSE = ("true", "yes", "y", "1"), ("false", "no", "n", "0")
VISAS = {"j1": "j1", "h1b": "h1b"}
NO_VISA, UNKNOWN = ("none", "no"), ("unknown", "?")


@dataclass(frozen=True)
class ProgramSheet:
    """The programs of one CSV file and the header cells the handbook does not read."""

    file: str
    programs: list[Program]
    ignored_columns: tuple[str, ...]


def read(path: Path, shown: str) -> ProgramSheet:
    """Read and validate the whole file; every problem is raised together."""
    text = yamlsafe.read_text(path).removeprefix("\ufeff")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    if not records or not any(cell.strip() for cell in records[0]):
        raise InputError([Problem(shown, 1, "", "the file is empty; the first row names the columns, such as name, track")])
    columns, ignored, problems = _header(records[0], shown)
    if problems:
        raise InputError(problems)
    programs: list[Program] = []
    for row, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        try:
            programs.append(_program(cells, columns, len(records[0]), shown, row))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return ProgramSheet(shown, programs, ignored)


def _delimiter(text: str) -> str:
    """A semicolon when the header row has more of them than commas (a spreadsheet in a comma-decimal locale)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def normalize(cell: str) -> str:
    """A header cell as a column name: 'Min. Step2 CK ' -> 'min_step2_ck', 'USCE required?' -> 'usce_required'."""
    return re.sub(r"[^a-z0-9]+", "_", cell.lower()).strip("_")


def _header(cells: list[str], shown: str) -> tuple[dict[int, str], tuple[str, ...], list[Problem]]:
    columns: dict[int, str] = {}
    ignored: list[str] = []
    problems = []
    for index, cell in enumerate(cells):
        name = normalize(cell)
        if name in COLUMNS:
            if name in columns.values():
                problems.append(Problem(shown, 1, name, "this column appears twice in the header row; keep one"))
            columns[index] = name
        elif cell.strip():
            ignored.append(cell.strip())
    if "name" not in columns.values():
        problems.append(Problem(shown, 1, "name", "the header row has no name column; every program needs a name"))
    return columns, tuple(ignored), problems


def _program(cells: list[str], columns: dict[int, str], width: int, shown: str, row: int) -> Program:
    problems: list[Problem] = []
    raw: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if index >= width and cell.strip():
            problems.append(Problem(shown, row, "", f"found {_describe(cell.strip())} past the last column of the header row"))
        if index not in columns:
            continue
        if cell.strip():
            raw[columns[index]] = cell.strip()
    data: dict[str, Any] = {}
    for name, cell in raw.items():
        try:
            data[name] = _value(name, cell)
        except ValueError as exc:
            problems.append(Problem(shown, row, name, f"found {_describe(cell)}; {exc}"))
    try:
        program = Program.model_validate(data)
    except ValidationError as exc:
        problems += [_problem(err, raw, shown, row) for err in exc.errors()]
        raise InputError(problems) from None
    if problems:
        raise InputError(problems)
    return program


def _value(name: str, cell: str) -> Any:
    """A cell as the type of its column; ValueError says what is allowed."""
    lowered = cell.lower()
    if name in WORDS:
        return lowered
    if name in INTEGERS:
        if not re.fullmatch(r"[+-]?\d+(\.0+)?", cell):
            raise ValueError("expected a whole number")
        return int(float(cell))
    if name in BOOLEANS:
        if lowered in TRUE or lowered in FALSE:
            return lowered in TRUE
        raise ValueError("expected true or false (yes or no also work)")
    if name == "sponsors":
        return _sponsors(lowered)
    return cell


def _sponsors(cell: str) -> list[str] | None:
    if cell in UNKNOWN:
        return None
    if cell in NO_VISA:
        return []
    visas = []
    parts = [part for part in re.split(r"(?:[;,/&+\s]|\band\b)+", cell) if part]
    for part in parts or [cell]:
        word = part.replace("-", "")
        if word not in VISAS:
            raise ValueError("allowed: j1, h1b, both as j1;h1b, or none (leave the cell empty when you do not know)")
        visas.append(VISAS[word])
    return list(dict.fromkeys(visas))


def _problem(err: Any, raw: dict[str, str], shown: str, row: int) -> Problem:
    name = str(err["loc"][0]) if err["loc"] else ""
    if err["type"] == "missing":
        return Problem(shown, row, name, "the cell is empty; every program needs one")
    found = _describe(raw[name]) if name in raw else _describe(err["input"])
    return Problem(shown, row, name, f"found {found}; {_allowed(err)}")
