"""The profile, format 1 (shared/profile-format.md): every key with its type and meaning.

Types are strict: only `true`/`false` are booleans (the loader reads YAML 1.2, where
`no` is text), and a number is not text. Fields marked private are dropped by `public_view` before a public build.
"""

import datetime as dt
from typing import Annotated, Any, Literal, Self

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic.config import JsonDict
from pydantic.fields import FieldInfo
from pydantic_core import PydanticCustomError

from generator.dates import ADVICE_DATES, EARLIEST, LATEST

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
    name: Text = Field(description="Your full name, as it appears on your application.", examples=["Maria Lopez"])
    email: Text | None = Field(None, description="Private: your email address.", json_schema_extra=PRIVATE)
    phone: Text | None = Field(
        None, description="Private: your phone number, in quotes.", examples=["+52 33 5555 0101"], json_schema_extra=PRIVATE
    )
    aamc_id: Text | None = Field(
        None, description="Private: your AAMC ID, in quotes.", examples=["01234567"], json_schema_extra=PRIVATE
    )
    school: Text = Field(description="Your medical school.")
    school_country: Text = Field(description="The country of your medical school.")
    graduation_year: int = Field(ge=1950, le=2100, description="Year of graduation, past or expected.")
    citizenship: Literal["us", "non_us"] = Field(
        description="us: US citizen or permanent resident trained abroad; non_us: foreign national."
    )
    visa: Literal["none", "j1", "h1b", "undecided"] | None = Field(
        None, description="Required for non_us (none = already authorized to work); default none for us."
    )
    nationality: Annotated[str, Field(pattern=r"^[A-Z]{2}$")] | None = Field(
        None,
        description="Private: ISO 3166 alpha-2 code of the passport you will apply for a visa with (foreign nationals).",
        json_schema_extra=PRIVATE,
    )

    @model_validator(mode="after")
    def _visa_matches_citizenship(self) -> Self:
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
    usmle_step1: Literal["pass", "fail", "not_taken"] = Field("not_taken", description="USMLE Step 1: pass, fail or not_taken.")
    usmle_step2_ck: int | None = Field(
        None, ge=1, le=300, description="Your USMLE Step 2 CK score (1-300); omit while you have none."
    )
    usmle_step3: Literal["pass", "fail", "not_taken"] = Field(
        "not_taken", description="USMLE Step 3: pass, fail or not_taken (H-1B sponsorship needs a pass)."
    )
    ecfmg_certified: bool = Field(False, description="true once ECFMG has certified you; write true or false.")
    oet_medicine: Literal["pass", "not_taken"] = Field(
        "not_taken", description="OET Medicine, ECFMG's English communication requirement: pass or not_taken."
    )


class Experience(Strict):
    kind: Literal["observership", "elective", "externship", "clerkship", "research_position", "residency", "clinical_job"] = (
        Field(
            description="What the position was: observership, elective, externship, clerkship, research_position, "
            "residency or clinical_job."
        )
    )
    specialty: Specialty = Field(description="The specialty of the position.")
    institution: Text = Field(description="The hospital or university.")
    country: Annotated[str, Field(pattern=r"^[A-Z]{2}$", description="ISO 3166 alpha-2 code, e.g. US.")]
    start: Date = Field(description="First day, YYYY-MM-DD.")
    end: Date | None = Field(None, description="Last day, YYYY-MM-DD (or give weeks instead).")
    weeks: float | None = Field(None, gt=0, le=520, description="How many weeks it lasts (instead of end).")

    @model_validator(mode="after")
    def _end_or_weeks(self) -> Self:
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
    title: Text = Field(description="The title of the work (or a working title).")
    kind: ResearchKind = Field(
        description="journal_article, case_report, abstract, poster, oral_presentation, book_chapter, other_article, "
        "qi_project or educational_project."
    )
    peer_reviewed: bool | None = Field(None, description="Default true for journal_article and case_report, else false.")
    radiology: bool = Field(description="Imaging-related work.")
    status: Status = Field(description="planned, in_progress, submitted, accepted, published or presented.")
    author_position: int | None = Field(None, ge=1, le=100, description="1 = first author; omit while unknown.")
    us_based: bool = Field(False, description="Done with a US institution.")
    primary: bool = Field(False, description="A project you lead.")
    venue: Text | None = Field(None, description="The journal or meeting.")
    date: Date | None = Field(None, description="The date of submission, acceptance, publication or presentation, YYYY-MM-DD.")
    role: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        [], description="What you did, e.g. data_collection, literature_review, statistics, manuscript_drafting."
    )
    objective: Text | None = Field(None, description="For your interview card: what the work set out to answer.")
    methods: Text | None = Field(None, description="For your interview card: how it was done.")
    findings: Text | None = Field(None, description="For your interview card: what it found.")
    limitations: Text | None = Field(None, description="For your interview card: its limits.")
    learned: Text | None = Field(None, description="For your interview card: what you learned.")

    @property
    def is_peer_reviewed(self) -> bool:
        if self.peer_reviewed is None:
            return self.kind in ("journal_article", "case_report")
        return self.peer_reviewed


class Letter(Strict):
    writer: Text = Field(description="The writer's name as you address them, e.g. Dr. Jane Smith.")
    title: Text | None = Field(None, description="Their position, e.g. Assistant Professor of Radiology.")
    institution: Text | None = Field(None, description="Where they work.")
    email: Text | None = Field(None, json_schema_extra=PRIVATE, description="Private: their email address.")
    specialty: Specialty = Field(description="Their specialty.")
    physician: bool = Field(True, description="false for a writer who is not a physician (programs rarely accept those letters).")
    us_based: bool = Field(description="The writer works in the US.")
    basis: Literal["clinical", "research"] = Field(
        "clinical", description="clinical (they saw you work with patients) or research (they supervised your research)."
    )
    weeks_worked: float | None = Field(None, ge=0, le=520, description="How many weeks they supervised you.")
    last_worked: Date | None = Field(None, description="The last day you worked together, YYYY-MM-DD.")
    context: Text | None = Field(
        None, description="What you did together, in a few words (used in emails), e.g. CT chest rotation."
    )
    status: Literal["not_asked", "asked", "agreed", "uploaded", "declined"] = Field(
        "not_asked", description="not_asked, asked, agreed, uploaded or declined."
    )
    asked_on: Date | None = Field(None, description="The date you asked, YYYY-MM-DD (required once asked).")
    response: Literal["strong", "standard", "hesitant"] | None = Field(
        None, description="What they said when you asked for a strong letter: strong, standard or hesitant."
    )

    @model_validator(mode="after")
    def _asked_fields(self) -> Self:
        if self.status in ("asked", "agreed", "uploaded") and self.asked_on is None:
            raise cross_field("asked_on", f"required once status is {self.status}: the date you asked (YYYY-MM-DD)")
        if self.status == "not_asked" and self.response is not None:
            raise cross_field(
                "response", "found a response while status is not_asked; set status to asked, agreed, uploaded or declined"
            )
        return self


class Contact(Strict):
    name: Text = Field(description="The faculty member's name.")
    institution: Text | None = Field(None, description="Where they work.")
    email: Text | None = Field(None, json_schema_extra=PRIVATE, description="Private: their email address.")
    recent_paper: Text | None = Field(None, description="A recent paper of theirs you read (used in the cold email).")
    what_struck_you: Text | None = Field(None, description="What struck you in it (used in the cold email).")


class Program(Strict):
    name: Text = Field(description="The program's name.")
    track: Literal["advanced", "categorical", "preliminary", "transitional"] = Field(
        "advanced",
        description="advanced: DR from PGY-2; categorical: DR with its own PGY-1; preliminary, transitional: a PGY-1 year.",
    )
    setting: Literal["university", "community"] = Field("university", description="university or community.")
    research_heavy: bool = Field(False, description="The program weighs research heavily.")
    sponsors: list[Literal["j1", "h1b"]] | None = Field(
        None, description="Visas it sponsors as far as you know; [] = none; omit = unknown."
    )
    signal: Literal["gold", "silver", "none"] = Field("none", description="The signal you plan to send: gold, silver or none.")
    min_step2_ck: int | None = Field(None, ge=1, le=300, description="The lowest Step 2 CK score the program considers.")
    max_years_since_graduation: int | None = Field(
        None, ge=0, le=60, description="The program takes applicants who graduated at most this many years before the Match year."
    )
    usce_required: bool | None = Field(None, description="The program states it wants US clinical experience (completed).")
    letters_wanted: Literal[3, 4] = Field(3, description="How many letters the program asks for.")
    source: Text | None = Field(None, description="Where you read these facts (the program's own page).")
    verified_on: Date | None = Field(None, description="When you read them.")
    notes: Text | None = Field(None, description="Your own notes on the program.")


Word = Annotated[str, Field(min_length=1, max_length=100)]


class Profile(Strict):
    """One applicant's profile, format 1."""

    model_config = ConfigDict(title="Residency handbook profile, format 1")

    profile_version: Literal[1] = Field(description="The format of this file.")
    as_of: AdviceDate | None = Field(None, description="The date the advice is computed for (default: today).")
    applicant: Applicant = Field(description="Who you are.")
    goal: Goal = Field(description="The specialty and Match you aim for.")
    exams: Exams | None = Field(None, json_schema_extra=PRIVATE, description="Private: your exams and ECFMG status.")
    experience: list[Experience] = Field([], description="Clinical and research positions, any number.")
    research: list[Research] = Field([], description="Scholarly items and projects, any number.")
    letters: list[Letter] = Field([], description="Letter writers, planned or in hand, any number.")
    contacts: list[Contact] = Field([], description="Faculty you want to approach for research, any number.")
    programs: list[Program] = Field([], description="Target programs, any number, in your order of preference.")
    programs_file: Annotated[str, Field(min_length=1, max_length=500)] | None = Field(
        None, description="A CSV file of programs, relative to the profile, instead of `programs:` (not both)."
    )
    skills: list[Word] = Field([], description="Skills in free words (used in emails), e.g. Python, R, Excel.")
    interests: list[Word] = Field([], description="Interests in free words, e.g. neuroradiology, imaging AI.")
    done: list[Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]*(@[a-z0-9-]+)?$")]] = Field(
        [], description="Ids of checklist items already done (the checklist pages list them)."
    )

    @model_validator(mode="after")
    def _one_program_list(self) -> Self:
        if self.programs and self.programs_file is not None:
            raise cross_field("programs_file", "found both `programs:` and `programs_file:`; keep one of them")
        return self


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


SCHEMA_ID = "urn:residency-handbook:profile:1"


def json_schema() -> dict[str, Any]:
    """The profile's JSON Schema, as `handbook schema` prints it."""
    schema = Profile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}
