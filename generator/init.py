"""`handbook init`: a new profile from a few questions (or an example), and with --github a repository.

The questions validate each answer as it is typed, so the profile written from
site_templates/profile.yaml.j2 always loads; it is checked once more before any file
is written. Files that exist are never replaced without --force (and a .gitignore is then
merged, not replaced); only real files inside the folder are written, never through a link.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import stat
import typing
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator import __version__, answers, cycles, gitrepo, yamlsafe
from generator.data import load_data
from generator.errors import HandbookError
from generator.models import Specialty, json_schema
from generator.paths import CONTENT, EXAMPLES, TEMPLATES
from generator.profile import validate

PROFILE = "profile.yaml"
SCHEMA = "profile.schema.json"
GITHUB_FILES = {"README.md": "README.md", ".gitignore": "gitignore", ".github/workflows/handbook.yml": "workflow.yml"}
MAX_TEXT = 2000


def text(value: str) -> str:
    """One line of text: not empty, no control characters, at most MAX_TEXT characters."""
    line = " ".join(str(value).split())
    if not line:
        raise click.BadParameter("an answer is needed")
    if any(unicodedata.category(ch) == "Cc" for ch in line):
        raise click.BadParameter("found a control character; type plain text")
    if len(line) > MAX_TEXT:
        raise click.BadParameter(f"found {len(line)} characters; at most {MAX_TEXT} are allowed")
    return line


SPECIALTIES = list(typing.get_args(Specialty))


@dataclass(frozen=True)
class Writer:
    name: str
    specialty: str
    us_based: bool


@dataclass(frozen=True)
class Answers:
    """What the questions asked; everything else in the profile starts empty."""

    name: str
    school: str
    school_country: str
    graduation_year: int
    citizenship: str
    visa: str | None
    match_year: int
    publications: int = 0
    posters: int = 0
    writers: list[Writer] = field(default_factory=list)
    nationality: str | None = None


@dataclass(frozen=True)
class Written:
    files: list[Path]
    repository_started: bool = False
    kept: list[Path] = field(default_factory=list)
    merged: Path | None = None  # the .gitignore that got the handbook's lines, the user's kept
    unlisted: list[str] = field(default_factory=list)  # the handbook's .gitignore lines a kept .gitignore lacks


def init(
    directory: Path, example: str | None = None, github: bool = False, force: bool = False, no_input: bool = False
) -> Written:
    """Write a profile (asked for, at its defaults, or copied from an example) and its schema; with github, a repository.

    Only real files inside directory are written: a symbolic link on the way is refused. With
    github, a folder that has a profile already gets only the files it lacks; with force, files are
    replaced, except .gitignore, which gets the handbook's lines added after the user's own.
    """
    copied = example_text(example) if example is not None else None
    sheets = example_sheets(copied) if copied is not None else {}
    names = [PROFILE, SCHEMA, *sheets, *(GITHUB_FILES if github else ())]
    _refuse_links(directory, names)
    if github and not force and (directory / PROFILE).exists():
        kept = [name for name in names if (directory / name).exists()]
    else:
        _refuse_to_replace([directory / name for name in names], force)
        kept = []
    files: dict[str, str] = {}
    if PROFILE not in kept:
        files[PROFILE] = (
            copied if copied is not None else profile_text(defaults() if no_input else ask(), public_repository=github)
        )
    files[SCHEMA] = json.dumps(json_schema(), indent=2) + "\n"
    files.update(sheets)
    if github:
        files.update({name: github_text(source) for name, source in GITHUB_FILES.items()})
    ours = files.get(".gitignore", "")
    merged = unlisted = None
    if github and (directory / ".gitignore").exists():
        mine = _read(directory / ".gitignore")
        if ".gitignore" in kept:
            unlisted = missing_patterns(mine, ours)
        else:
            files[".gitignore"], added = merge_gitignore(mine, ours)
            if not added:
                del files[".gitignore"]
                kept.append(".gitignore")
            else:
                merged = directory / ".gitignore"
    files = {name: data for name, data in files.items() if name not in kept}
    for name, data in files.items():
        _write(directory, name, data)
    return Written(
        [directory / name for name in files if directory / name != merged],
        github and gitrepo.start(directory, "main"),
        [directory / name for name in names if name in kept],
        merged,
        unlisted or [],
    )


def github_text(source: str) -> str:
    """A file of site_templates/github, with the version of this tool where the workflow pins it."""
    return (TEMPLATES / "github" / source).read_text(encoding="utf-8").replace("__HANDBOOK_VERSION__", __version__)


def _patterns(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def missing_patterns(mine: str, ours: str) -> list[str]:
    """The handbook's .gitignore patterns that the user's .gitignore does not list."""
    have = set(_patterns(mine))
    return [pattern for pattern in _patterns(ours) if pattern not in have]


def merge_gitignore(mine: str, ours: str) -> tuple[str, list[str]]:
    """The user's .gitignore unchanged, then each group of the handbook's lines it lacks (with its comment)."""
    missing = set(missing_patterns(mine, ours))
    if not missing:
        return mine, []
    added: list[str] = []
    block: list[str] = []
    comments: list[str] = []
    after_pattern = False
    for line in ours.splitlines():
        if not line.strip():
            comments, after_pattern = [], False
        elif line.lstrip().startswith("#"):
            comments, after_pattern = ([line] if after_pattern else [*comments, line]), False
        else:
            if line.strip() in missing:
                block += [*comments, line]
                added.append(line.strip())
                missing.discard(line.strip())
                comments = []
            after_pattern = True
    head = mine if not mine.strip() else mine.rstrip("\n") + "\n\n"
    return head + "# Added by `handbook init --github --force`.\n" + "\n".join(block) + "\n", added


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "it is not UTF-8 text"
        raise HandbookError(f"{path}: cannot read the file ({reason or exc})") from None


def _refuse_links(directory: Path, names: list[str]) -> None:
    """Stop before any question when a file to write, or a folder on its way inside directory, is a symbolic link."""
    for name in names:
        path = directory
        for part in Path(name).parts:
            path = path / part
            if path.is_symlink():
                raise HandbookError(
                    f"{path} is a symbolic link; init writes nothing through a link: remove it or pick another folder"
                )


def _write(directory: Path, name: str, data: str) -> None:
    """Write directory/name through a new file renamed into place: never through a link, never outside directory."""
    target = directory / name
    try:
        folder = directory
        folder.mkdir(parents=True, exist_ok=True)
        for part in Path(name).parts[:-1]:
            folder = folder / part
            with contextlib.suppress(FileExistsError):
                folder.mkdir()
        _refuse_links(directory, [name])  # again, now that the folders exist
        temporary = folder / f".{target.name}.init-{os.getpid()}-{secrets.token_hex(4)}"
        mode = stat.S_IMODE(target.lstat().st_mode) if target.exists() else None
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
            if mode is not None:
                os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise HandbookError(f"{target}: cannot write the file ({exc.strerror or exc})") from None


def example_text(name: str) -> str:
    """The text of profiles/NAME.yaml, or an error that lists the examples."""
    stem = name.removesuffix(".yaml")
    available = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    if stem not in available:
        raise HandbookError(f"there is no example profile named '{name}'; the examples are: {', '.join(available)}")
    return (EXAMPLES / f"{stem}.yaml").read_text(encoding="utf-8")


def example_sheets(text: str) -> dict[str, str]:
    """The program spreadsheet an example profile names in `programs_file:`, to copy beside it."""
    data, _ = yamlsafe.load(text, Path(PROFILE))
    name = data.get("programs_file") if isinstance(data, dict) else None
    return {name: (EXAMPLES / name).read_text(encoding="utf-8")} if isinstance(name, str) else {}


def profile_text(answers: Answers, public_repository: bool = False) -> str:
    """The commented profile for these answers, checked to load before it is returned."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["q"] = lambda value: json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML string
    research = [_item(n, "Publication", "journal_article", "published") for n in range(1, answers.publications + 1)]
    research += [_item(n, "Poster", "poster", "presented") for n in range(1, answers.posters + 1)]
    text = env.get_template("profile.yaml.j2").render(**asdict(answers), research=research, public_repository=public_repository)
    data, lines = yamlsafe.load(text, Path(PROFILE))
    validate(data, lines, PROFILE)
    return text


def ask(today: dt.date | None = None) -> Answers:
    """The questions, each with a default where one makes sense, asked again until the answer is valid."""
    today = today or dt.date.today()
    years = match_years(today)
    click.echo("A few questions start your profile; press Enter to take the answer in [brackets].")
    click.echo("Everything can be changed later in the file.\n")
    name = click.prompt("Your full name, as on your application", value_proc=text, default="", show_default=False)
    school = click.prompt("Your medical school", value_proc=text, default="", show_default=False)
    country = click.prompt("The country of your medical school", value_proc=text, default="", show_default=False)
    graduation = click.prompt("Year you graduated or will graduate", value_proc=answers.year(1950, 2100), default=today.year)
    citizenship, visa, nationality = _citizenship()
    match_year = click.prompt(
        "Year of the Match you aim for (the year of Match Day)",
        value_proc=answers.year(years[0], years[-1]),
        default=default_match_year(years, today),
    )
    publications, posters, writers = _record()
    return Answers(name, school, country, graduation, citizenship, visa, match_year, publications, posters, writers, nationality)


def default_match_year(years: list[int], today: dt.date) -> int:
    return min(max(years[0], today.year + 2), years[-1])


def defaults(today: dt.date | None = None) -> Answers:
    """`--no-input`: every answer at its default, with names to replace in the file."""
    today = today or dt.date.today()
    match_year = default_match_year(match_years(today), today)
    return Answers("Your Name", "Your medical school", "Your school's country", today.year, "non_us", "undecided", match_year)


def match_years(today: dt.date) -> list[int]:
    """The Match years a handbook can be made for: Match Day still ahead, at most 10 years on."""
    data = load_data(CONTENT).cycles
    first = today.year if (cycles.season(data, today.year).match_day.date or today) >= today else today.year + 1
    return list(range(first, cycles.latest_year(today) + 1))


def _citizenship() -> tuple[str, str | None, str | None]:
    citizenship: str = click.prompt(
        "Citizenship: US (citizen or permanent resident) or non-US (foreign national)",
        value_proc=answers.choice(answers.CITIZENSHIP, "US or non-US"),
        default="non-US",
    )
    if citizenship == "us":
        return citizenship, None, None
    visa: str = click.prompt(
        "Visa you plan to train on: J-1, H-1B, none (already allowed to work in the US) or undecided",
        value_proc=answers.choice(answers.VISA, "J-1, H-1B, none or undecided"),
        default="undecided",
    )
    nationality = click.prompt(
        "Passport you will apply for a visa with, as a two-letter country code such as NG or IN "
        "(private; checked against US visa suspensions; Enter to skip)",
        value_proc=country_code,
        default="",
        show_default=False,
    )
    return citizenship, visa, nationality or None


def country_code(value: str) -> str:
    """An ISO 3166 alpha-2 code, upper-cased, or empty to skip."""
    code = value.strip().upper()
    if code and not (len(code) == 2 and code.isascii() and code.isalpha()):
        raise click.BadParameter(f"found {value.strip()!r}; type two letters, such as NG, or press Enter to skip")
    return code


def _record() -> tuple[int, int, list[Writer]]:
    publications = click.prompt("Publications so far (journal articles, case reports)", value_proc=answers.count(50), default=0)
    posters = click.prompt("Posters and presentations so far", value_proc=answers.count(50), default=0)
    writers = click.prompt("Letter writers so far", value_proc=answers.count(10), default=0)
    return publications, posters, [_writer(n) for n in range(1, writers + 1)]


def _writer(n: int) -> Writer:
    name = click.prompt(f"Writer {n}: name", value_proc=text, default="", show_default=False)
    specialty = click.prompt(
        f"Writer {n}: specialty (radiology, internal medicine, surgery, neurology, oncology, emergency medicine, "
        "pediatrics, family medicine or other)",
        value_proc=answers.choice(answers.SPECIALTY, ", ".join(s.replace("_", " ") for s in SPECIALTIES)),
        default="radiology",
    )
    return Writer(name, specialty, click.prompt(f"Writer {n}: based in the US?", value_proc=answers.yes_no, default="yes"))


def _item(n: int, what: str, kind: str, status: str) -> dict[str, str]:
    return {"title": f"{what} {n} (edit the title)", "kind": kind, "status": status}


def _refuse_to_replace(paths: list[Path], force: bool) -> None:
    existing = [str(p) for p in paths if p.exists()]
    if existing and not force:
        listed = existing[0] if len(existing) == 1 else f"{', '.join(existing[:-1])} and {existing[-1]}"
        verb, them = ("exists", "it") if len(existing) == 1 else ("exist", "them")
        raise HandbookError(f"{listed} already {verb}; use --force to replace {them}")
