"""Load and validate a profile: the edge where bad input stops.

Every problem of a file is reported in one run, each as
`FILE:LINE: key.path: what was found; what is allowed`. Under a private field
(`models.is_private`) the message says what kind of value was found, never the value.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from generator import yamlsafe
from generator.errors import InputError, Problem
from generator.models import Profile, is_private
from generator.yamlsafe import Key, Lines, dotted, line_of

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class LoadedProfile:
    """A valid profile with where it came from, so later stages can point at lines."""

    profile: Profile
    file: str
    lines: Lines
    ignored_columns: tuple[str, ...] = ()  # header cells of programs_file the handbook does not read

    def problem(self, key: Key, message: str) -> Problem:
        return Problem(self.file, line_of(self.lines, key), dotted(key), message)

    @property
    def name(self) -> str:
        return Path(self.file).stem


def load_profile(path: str | Path) -> LoadedProfile:
    """Read, parse and validate one profile file."""
    path = Path(path)
    text = yamlsafe.read_text(path)
    data, lines = yamlsafe.load(text, path, private_at)
    return with_program_file(validate(data, lines, str(path)))


def with_program_file(loaded: LoadedProfile) -> LoadedProfile:
    """The profile with `programs:` read from its `programs_file:` spreadsheet, if it names one."""
    name = loaded.profile.programs_file
    if name is None:
        return loaded
    from generator import programs_csv  # the reader validates with this module's messages

    path = Path(loaded.file).parent / name
    if not path.is_file():
        found = "a folder" if path.is_dir() else "no such file"
        message = f"found {name!r}: {found} at {path.as_posix()}; give a CSV file, relative to the profile"
        raise InputError([loaded.problem(("programs_file",), message)])
    sheet = programs_csv.read(path, path.as_posix())
    profile = loaded.profile.model_copy(update={"programs": sheet.programs})
    return replace(loaded, profile=profile, ignored_columns=sheet.ignored_columns)


def private_at(key: Key, model: type[BaseModel] = Profile) -> bool:
    """Whether a key path of a profile is, or is inside, a private field."""
    current: Any = model
    for part in key:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if isinstance(current, type) and issubclass(current, BaseModel) else None
        if field is None:
            return False
        if is_private(field):
            return True
        current = _model_in(field.annotation)
    return False


def validate(data: Any, lines: Lines, file: str) -> LoadedProfile:
    if not isinstance(data, dict):
        found = "an empty file" if data is None else _kind(data)  # never quoted: it may be any file, a key file too
        raise InputError(
            [Problem(file, 1, "", f"found {found}; a profile is a mapping of keys such as profile_version, applicant, goal")]
        )
    version = data.get("profile_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > 1:
        raise InputError(
            [
                Problem(
                    file,
                    line_of(lines, ("profile_version",)),
                    "profile_version",
                    f"found {version}; this handbook reads format 1: upgrade the handbook tool",
                )
            ]
        )
    return LoadedProfile(parse_model(Profile, data, lines, file), file, lines)


def parse_model(model: type[M], data: Any, lines: Lines, file: str) -> M:
    """Validate plain data against a schema class, every error located."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InputError([_translate(model, err, lines, file) for err in exc.errors()]) from None


def _translate(model: type[BaseModel], err: Any, lines: Lines, file: str) -> Problem:
    loc: Key = tuple(p for p in err["loc"] if not isinstance(p, str) or not p.startswith("function-"))
    kind = err["type"]
    if kind == "cross_field":
        loc = (*loc, err["ctx"]["key"])
        return Problem(file, line_of(lines, loc), dotted(loc), err["ctx"]["message"])
    if kind == "missing":
        return Problem(file, line_of(lines, loc), dotted(loc), "required key is missing")
    if kind == "extra_forbidden" and private_at(loc[:-1], model):  # a value typed as a key is never quoted
        message = _unknown_key(model, loc).replace(f"unknown key '{loc[-1]}'", "found an unknown key", 1)
        return Problem(file, line_of(lines, loc), dotted(loc[:-1]), message)
    if kind == "extra_forbidden":
        return Problem(file, line_of(lines, loc), dotted(loc), _unknown_key(model, loc))
    if private_at(loc, model):
        example = _PRIVATE_EXAMPLES.get(str(loc[-1]), "")
        return Problem(file, line_of(lines, loc), dotted(loc), f"found {_kind(err['input'])}; {_allowed(err, example)}")
    return Problem(file, line_of(lines, loc), dotted(loc), f"found {_describe(err['input'])}; {_allowed(err)}")


def _unknown_key(model: type[BaseModel], loc: Key) -> str:
    known = _fields_at(model, loc[:-1])
    import difflib  # only when a key is unknown

    close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(known)
    return f"unknown key '{loc[-1]}'; {hint}"


def _fields_at(model: type[BaseModel], loc: Key) -> list[str]:
    """The field names allowed at a location, walking the schema."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        annotation = current.model_fields[part].annotation
        current = _model_in(annotation)
    return list(current.model_fields)


def _model_in(annotation: Any) -> Any:
    """The schema class inside an annotation (`list[Letter]`, `Exams | None`), or None for a plain value."""
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
        stack.extend(getattr(item, "__args__", ()))
    return None


_EXPECTED = {
    "string_type": "expected text (quote it if it looks like a number, a date or true/false)",
    "bool_type": "write true or false",
    "int_type": "expected a whole number",
    "float_type": "expected a number",
    "list_type": "expected a list",
    "model_type": "expected a mapping of keys",
    "dict_type": "expected a mapping of keys",
    "date_type": "expected a date YYYY-MM-DD",
    "int_from_float": "expected a whole number",
}


_PRIVATE_EXAMPLES = {"aamc_id": "01234567", "phone": "+1 202 555 0143"}
"""Made-up values shown instead of a private number the user should have quoted."""


def _allowed(err: Any, example: str | None = None) -> str:
    """What is allowed; a number where text is expected is shown quoted (example: instead of a private value)."""
    kind, ctx, value = err["type"], err.get("ctx", {}), err["input"]
    if kind == "string_type" and isinstance(value, int | float) and not isinstance(value, bool):
        example = str(value) if example is None else example
        return f'write it in quotes, e.g. "{example}"' if example else "write it in quotes"
    if kind == "literal_error":
        return "allowed: " + ", ".join(_literal_choices(ctx["expected"]))
    if kind in _EXPECTED:
        return _EXPECTED[kind]
    if kind in _BOUNDS:
        (bound,) = (ctx[k] for k in ("ge", "gt", "le", "lt") if k in ctx)
        return _BOUNDS[kind].format(f"{bound:g}")
    if kind == "string_too_short":
        return "expected non-empty text"
    if kind == "string_too_long":
        return f"expected at most {ctx['max_length']} characters"
    if kind == "string_pattern_mismatch":
        return _PATTERNS.get(ctx["pattern"], f"expected text matching {ctx['pattern']}")
    return str(err["msg"])


_BOUNDS = {
    "greater_than_equal": "expected {} or more",
    "greater_than": "expected more than {}",
    "less_than_equal": "expected {} or less",
    "less_than": "expected less than {}",
}
_PATTERNS = {
    r"^[A-Z]{2}$": "expected a two-letter ISO country code in capitals, e.g. US",
    r"^[a-z0-9][a-z0-9-]*(@[a-z0-9-]+)?$": "expected a checklist item id such as res-skills-zotero",
}


def _literal_choices(expected: str) -> list[str]:
    return [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(",") if part.strip()]


def _kind(value: Any) -> str:
    """What kind of value a private field holds, without the value."""
    kinds: list[tuple[Any, str]] = [(bool, "a true/false value"), (int | float, "a number"), (dt.date, "a date")]
    kinds += [(str, "text"), (list, "a list"), (dict, "a mapping")]
    if value is None:
        return "nothing (null)"
    return next((name for kind, name in kinds if isinstance(value, kind)), "a value of another kind")


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dt.date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return repr(shown)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
