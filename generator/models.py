"""The profile, format 1 (shared/profile-format.md): every key with its type and meaning.

Types are strict: an unquoted `no` is a boolean, not text; `yes_please` is not a
boolean. Fields marked private are dropped by `public_view` before a public build.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.config import JsonDict
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

PRIVATE: JsonDict = {"private": True}
Specialty = Literal[
    "radiology",
    "internal_medicine",
    "surgery",
    "neurology",
    "oncology",
    "emergency_medicine",
    "pediatrics",
    "family_medicine",
    "other",
]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


def _iso_date(value: Any) -> Any:
    """Accept a YAML date or a 'YYYY-MM-DD' string; never a number or a datetime."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_only", "expected a date YYYY-MM-DD without a time")
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value) if len(value) == 10 else _bad_date()
        except ValueError:
            _bad_date()
    return value


def _bad_date() -> None:
    raise PydanticCustomError("date_format", "expected a date YYYY-MM-DD")


Date = Annotated[dt.date, BeforeValidator(_iso_date)]
# The advice date: the site's build time stamp is seconds since 1970, and dates near 9999 overflow.
EARLIEST, LATEST = dt.date(1970, 1, 1), dt.date(8999, 12, 31)
ADVICE_DATES = f"expected a date from {EARLIEST.isoformat()} to {LATEST.isoformat()}"


def advice_date_in_range(day: dt.date) -> dt.date:
    if not EARLIEST <= day <= LATEST:
        raise PydanticCustomError("date_range", ADVICE_DATES)
    return day


AdviceDate = Annotated[Date, AfterValidator(advice_date_in_range)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def cross_field(key: str, message: str) -> PydanticCustomError:
    """An error about one key of an entry, found by comparing it with others."""
    return PydanticCustomError("cross_field", "{message}", {"key": key, "message": message})


class Applicant(Strict):
    name: Text = Field(description="Your full name, as it appears on your application.")
    email: Text | None = Field(None, description="Private: your email address.", json_schema_extra=PRIVATE)
    phone: Text | None = Field(None, description="Private: your phone number.", json_schema_extra=PRIVATE)
    aamc_id: Text | None = Field(None, description="Private: your AAMC ID (quote it).", json_schema_extra=PRIVATE)
    school: Text = Field(description="Your medical school.")
    school_country: Text = Field(description="The country of your medical school.")
    graduation_year: int = Field(ge=1950, le=2100, description="Year of graduation, past or expected.")
    citizenship: Literal["us", "non_us"] = Field(
        description="us: US citizen or permanent resident trained abroad; non_us: foreign national."
    )
    visa: Literal["none", "j1", "h1b", "undecided"] | None = Field(
        None, description="Required for non_us (none = already authorized to work); default none for us."
    )

    @model_validator(mode="after")
    def _visa_matches_citizenship(self) -> Applicant:
        if self.citizenship == "non_us" and self.visa is None:
            raise cross_field("visa", "required for citizenship non_us; allowed: none, j1, h1b, undecided")
        if self.citizenship == "us" and self.visa not in (None, "none"):
            raise cross_field("visa", f"found {self.visa!r} with citizenship us; a US citizen needs no visa: use none or omit it")
        return self

    @property
    def visa_path(self) -> str:
        return self.visa or "none"


class Goal(Strict):
    specialty: Literal["diagnostic_radiology"] = Field(description="The specialty; only diagnostic_radiology has content.")
    match_year: int = Field(ge=2000, le=2100, description="The year of Match Day (the ERAS season of the same number).")
    program_preference: Literal["academic", "community", "both"] = Field("both", description="The kind of program you aim for.")


class Exams(Strict):
    usmle_step1: Literal["pass", "fail", "not_taken"] = "not_taken"
    usmle_step2_ck: int | None = Field(None, ge=1, le=300)
    usmle_step3: Literal["pass", "fail", "not_taken"] = "not_taken"
    ecfmg_certified: bool = False
    oet_medicine: Literal["pass", "not_taken"] = "not_taken"


class Experience(Strict):
    kind: Literal["observership", "elective", "externship", "clerkship", "research_position", "residency", "clinical_job"]
    specialty: Specialty
    institution: Text
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2 code, e.g. US.")]
    start: Date
    end: Date | None = None
    weeks: float | None = Field(None, gt=0, le=520)

    @model_validator(mode="after")
    def _end_or_weeks(self) -> Experience:
        if self.end is None and self.weeks is None:
            raise cross_field("end", "an experience needs `end` (a date) or `weeks` (a number); neither is given")
        if self.end is not None and self.weeks is not None:
            raise cross_field("weeks", "give `end` or `weeks`, not both")
        if self.end is not None and self.end < self.start:
            raise cross_field("end", f"found {self.end}, before start {self.start}; the end must be on or after the start")
        return self

    @property
    def end_date(self) -> dt.date:
        return self.end or self.start + dt.timedelta(days=round((self.weeks or 0) * 7) - 1)


ResearchKind = Literal[
    "journal_article",
    "case_report",
    "abstract",
    "poster",
    "oral_presentation",
    "book_chapter",
    "other_article",
    "qi_project",
    "educational_project",
]
Status = Literal["planned", "in_progress", "submitted", "accepted", "published", "presented"]


class Research(Strict):
    title: Text
    kind: ResearchKind
    peer_reviewed: bool | None = Field(None, description="Default true for journal_article and case_report, else false.")
    radiology: bool = Field(description="Imaging-related work.")
    status: Status
    author_position: int | None = Field(None, ge=1, le=100, description="1 = first author; omit while unknown.")
    us_based: bool = False
    primary: bool = False
    venue: Text | None = None
    date: Date | None = None
    role: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        [], description="What you did, e.g. data_collection, literature_review, statistics, manuscript_drafting."
    )
    objective: Text | None = None
    methods: Text | None = None
    findings: Text | None = None
    limitations: Text | None = None
    learned: Text | None = None

    @property
    def is_peer_reviewed(self) -> bool:
        if self.peer_reviewed is None:
            return self.kind in ("journal_article", "case_report")
        return self.peer_reviewed


class Letter(Strict):
    writer: Text
    title: Text | None = None
    institution: Text | None = None
    email: Text | None = Field(None, json_schema_extra=PRIVATE)
    specialty: Specialty
    physician: bool = True
    us_based: bool
    basis: Literal["clinical", "research"] = "clinical"
    weeks_worked: float | None = Field(None, ge=0, le=520)
    last_worked: Date | None = None
    context: Text | None = None
    status: Literal["not_asked", "asked", "agreed", "uploaded", "declined"] = "not_asked"
    asked_on: Date | None = None
    response: Literal["strong", "standard", "hesitant"] | None = None

    @model_validator(mode="after")
    def _asked_fields(self) -> Letter:
        if self.status in ("asked", "agreed", "uploaded") and self.asked_on is None:
            raise cross_field("asked_on", f"required once status is {self.status}: the date you asked (YYYY-MM-DD)")
        if self.status == "not_asked" and self.response is not None:
            raise cross_field(
                "response", "found a response while status is not_asked; set status to asked, agreed, uploaded or declined"
            )
        return self


class Contact(Strict):
    name: Text
    institution: Text | None = None
    email: Text | None = Field(None, json_schema_extra=PRIVATE)
    recent_paper: Text | None = None
    what_struck_you: Text | None = None


class Program(Strict):
    name: Text
    setting: Literal["university", "community"] = "university"
    research_heavy: bool = False
    sponsors: list[Literal["j1", "h1b"]] | None = Field(
        None, description="Visas it sponsors as far as you know; [] = none; omit = unknown."
    )
    signal: Literal["gold", "silver", "none"] = "none"


Word = Annotated[str, Field(min_length=1, max_length=100)]


class Profile(Strict):
    """One applicant's profile, format 1."""

    model_config = ConfigDict(title="Residency handbook profile, format 1")

    profile_version: Literal[1] = Field(description="The format of this file.")
    as_of: AdviceDate | None = Field(None, description="The date the advice is computed for (default: today).")
    applicant: Applicant
    goal: Goal
    exams: Exams | None = Field(None, json_schema_extra=PRIVATE)
    experience: list[Experience] = []
    research: list[Research] = []
    letters: list[Letter] = []
    contacts: list[Contact] = []
    programs: list[Program] = []
    skills: list[Word] = []
    interests: list[Word] = []
    done: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*(@[a-z0-9-]+)?$")]] = []


def is_private(field: FieldInfo) -> bool:
    """A field marked private: left out of every public build."""
    extra = field.json_schema_extra
    return isinstance(extra, dict) and bool(extra.get("private"))


def public_view(model: Any) -> Any:
    """A copy with every private field emptied, at any depth."""
    if isinstance(model, list):
        return [public_view(item) for item in model]
    if not isinstance(model, BaseModel):
        return model
    update: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        if is_private(field):
            update[name] = None
        else:
            update[name] = public_view(getattr(model, name))
    return model.model_copy(update=update)


def json_schema() -> dict[str, Any]:
    """The profile's JSON Schema, as `handbook schema` prints it."""
    schema = Profile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
