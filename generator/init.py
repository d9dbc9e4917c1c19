"""`handbook init`: a new profile from a few questions (or an example), and with --github a repository.

The questions validate each answer as it is typed, so the profile written from
site_templates/profile.yaml.j2 always loads; it is checked once more before any file
is written. Files that exist are never replaced without --force.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

import click
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from generator import answers, cycles, gitrepo, yamlsafe
from generator.content import load_data
from generator.errors import HandbookError
from generator.models import Specialty, json_schema
from generator.profile import validate
from generator.site import ROOT, TEMPLATES

EXAMPLES = ROOT / "profiles"
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


@dataclass(frozen=True)
class Written:
    files: list[Path]
    repository_started: bool = False


def init(
    directory: Path, example: str | None = None, github: bool = False, force: bool = False, no_input: bool = False
) -> Written:
    """Write a profile (asked for, at its defaults, or copied from an example) and its schema; with github, a repository."""
    copied = example_text(example) if example is not None else None
    _refuse_to_replace([directory / name for name in (PROFILE, SCHEMA, *(GITHUB_FILES if github else ()))], force)
    text = copied if copied is not None else profile_text(defaults() if no_input else ask(), public_repository=github)
    files = {PROFILE: text, SCHEMA: json.dumps(json_schema(), indent=2) + "\n"}
    if github:
        files.update({name: (TEMPLATES / "github" / source).read_text() for name, source in GITHUB_FILES.items()})
    for name, data in files.items():
        try:
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            (directory / name).write_text(data, encoding="utf-8")
        except OSError as exc:
            raise HandbookError(f"{directory / name}: cannot write the file ({exc.strerror or exc})") from None
    return Written([directory / name for name in files], github and gitrepo.start(directory, "main"))


def example_text(name: str) -> str:
    """The text of profiles/NAME.yaml, or an error that lists the examples."""
    stem = name.removesuffix(".yaml")
    available = sorted(p.stem for p in EXAMPLES.glob("*.yaml"))
    if stem not in available:
        raise HandbookError(f"there is no example profile named '{name}'; the examples are: {', '.join(available)}")
    return (EXAMPLES / f"{stem}.yaml").read_text(encoding="utf-8")


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
    citizenship, visa = _citizenship()
    match_year = click.prompt(
        "Year of the Match you aim for (the year of Match Day)",
        value_proc=answers.year(years[0], years[-1]),
        default=default_match_year(years, today),
    )
    publications, posters, writers = _record()
    return Answers(name, school, country, graduation, citizenship, visa, match_year, publications, posters, writers)


def default_match_year(years: list[int], today: dt.date) -> int:
    return min(max(years[0], today.year + 2), years[-1])


def defaults(today: dt.date | None = None) -> Answers:
    """`--no-input`: every answer at its default, with names to replace in the file."""
    today = today or dt.date.today()
    match_year = default_match_year(match_years(today), today)
    return Answers("Your Name", "Your medical school", "Your school's country", today.year, "non_us", "undecided", match_year)


def match_years(today: dt.date) -> list[int]:
    """The Match years the handbook has cycle data for whose Match Day is still ahead."""
    data = load_data(ROOT / "content").cycles
    years = [year for year in sorted(data.seasons) if (cycles.season(data, year).match_day.date or today) >= today]
    if not years:
        raise HandbookError("the handbook has no cycle data for a Match still ahead; upgrade the handbook tool")
    return years


def _citizenship() -> tuple[str, str | None]:
    citizenship: str = click.prompt(
        "Citizenship: US (citizen or permanent resident) or non-US (foreign national)",
        value_proc=answers.choice(answers.CITIZENSHIP, "US or non-US"),
        default="non-US",
    )
    if citizenship == "us":
        return citizenship, None
    visa: str = click.prompt(
        "Visa you plan to train on: J-1, H-1B, none (already allowed to work in the US) or undecided",
        value_proc=answers.choice(answers.VISA, "J-1, H-1B, none or undecided"),
        default="undecided",
    )
    return citizenship, visa


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
