"""The advice rules of shared/advice-rules.md that produce findings.

Each rule says *when* it fires and with which subject and values; the wording,
severity and area of every code live in content/findings.yaml.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from generator import application
from generator.assess import ASK_SOON_DAYS, Assessment, years_before
from generator.cycles import Fact
from generator.fit import NOT_NOTED, ProgramFit
from generator.models import Profile
from generator.suspensions import suspension
from generator.words import human_date

Hit = tuple[str, str | None, dict[str, Any]]
LOCKED = ("after_rank_deadline", "match_week")
Rule = Callable[[Profile, Assessment, dict[str, Any]], Iterator[Hit]]
RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


@rule
def timeline(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    if a.phase == "late" and a.research_tier in ("none", "minimal"):
        yield "PHASE-LATE-LOW-RESEARCH", None, {"months": a.months_to_application, "tier": a.research_tier}


@rule
def research(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    counts = a.research_counts
    if counts["planned_radiology"] == 0:
        yield "RES-NO-RADIOLOGY", None, {}
    if counts["primary"] > 2 or counts["in_progress"] > 5:
        yield "RES-OVERCOMMITTED", None, {"primary": counts["primary"], "in_progress": counts["in_progress"]}
    if a.phase != "in_season" and not any(i.author_position in (1, 2) for i in p.research):
        yield "RES-NO-LEAD-AUTHOR", None, {}
    if not any(i.us_based for i in p.research):
        yield "RES-NO-US", None, {}
    if a.phase == "early" and a.research_tier in ("none", "minimal"):
        yield "RES-CONSIDER-YEAR", None, {"years": a.years_to_application, "tier": a.research_tier}
    for item in a.lists["counted_research"]:
        if not item["radiology"]:
            yield "RES-NON-RADIOLOGY-ITEM", item["title"], {}


@rule
def letter_mix(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    counts, maximum = a.letters, facts["max_letters_per_program"].value
    if counts["total"] < 3:
        yield "LOR-TOO-FEW", None, counts
    if counts["total"] > maximum:
        yield "LOR-TOO-MANY", None, {**counts, "max": maximum}
    if counts["us_based"] < 2:
        yield "LOR-FEW-US", None, counts
    if counts["radiology"] < 2:
        yield "LOR-FEW-RADIOLOGY", None, counts
    if counts["total"] and counts["research"] == counts["total"]:
        yield "LOR-ALL-RESEARCH", None, counts


@rule
def letter_writers(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    for x in a.lists["active_letters"]:
        who = x["writer"]
        if x["weeks_worked"] is not None and x["weeks_worked"] < 1:
            yield "LOR-BRIEF", who, {"weeks": _number(x["weeks_worked"])}
        if not x["physician"]:
            yield "LOR-NON-PHYSICIAN", who, {}
        if x["response"] in ("standard", "hesitant"):
            yield "LOR-LUKEWARM", who, {"response": x["response"]}
        since = x["days_since_worked"]
        if x["status"] == "not_asked" and since is not None and since > ASK_SOON_DAYS:
            yield "LOR-ASK-SOON", who, {"last_worked": x["last_worked"].isoformat(), "weeks_since": since // 7}
        if x in a.lists["reminder_letters"]:
            yield "LOR-REMIND", who, {"asked_on": x["asked_on"].isoformat(), "days": x["days_since_asked"]}
        if x["last_worked"] is not None and x["last_worked"] < years_before(a.application_date, 2):
            yield "LOR-OLD", who, {}


@rule
def visa(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    if not a.non_us:
        return
    path = p.applicant.visa_path
    if path == "h1b" and p.exams is not None and p.exams.usmle_step3 != "pass":
        yield "VISA-H1B-STEP3", None, {}
    if path == "undecided":
        yield "VISA-UNDECIDED", None, {}
    if p.exams is not None and not p.exams.ecfmg_certified:
        yield "ECFMG-NOT-CERTIFIED", None, {"deadline": deadline_text(a)}


ROUTE_WORDS = {
    ("j1",): "the J-1 you plan to train on",
    ("h1b",): "the H-1B you plan to train on",
    ("j1", "h1b"): "both the J-1 and the H-1B",
}


@rule
def travel_suspension(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    """A nationality on a suspension list in force on as_of that covers the applicant's visa route.

    The J-1 route: a full list, or a partial list with the J class; the H-1B route: a full
    list only; undecided: either (the partial message says the H-1B stays open). The message
    never names the country, and a public build has no nationality, so it never fires there.
    """
    if not a.non_us:
        return
    found = suspension(facts["visa_suspensions"], p.applicant.nationality, p.applicant.visa_path, a.as_of)
    if found is None:
        return
    proclamation = found.proclamation
    values = {
        "proclamation": proclamation.name,
        "since": human_date(proclamation.in_force_from),
        "routes": ROUTE_WORDS[found.blocked],
        "every": proclamation.review_every_days,
        "review": human_date(proclamation.next_review(a.as_of)),
    }
    yield ("VISA-SUSPENSION-FULL" if found.level == "full" else "VISA-SUSPENSION-PARTIAL"), None, values


@rule
def stale_facts(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    """Facts the handbook relies on (counts, this season's dates, the suspension lists) checked over 12 months ago."""
    limit = years_before(a.as_of, 1)
    checked = [f.verified_on for f in facts.values() if isinstance(f, Fact)]
    checked += [d.verified_on for d in a.season.dates.values() if d.verified_on is not None]
    if a.non_us:
        checked += [x.verified_on for x in facts["visa_suspensions"].proclamations if x.in_force(a.as_of)]
    old = sorted(day for day in checked if day < limit)
    if old:
        yield "FACTS-STALE", None, {"count": len(old), "oldest": human_date(old[0]), "as_of": human_date(a.as_of)}


@rule
def programs(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    if a.season_phase in LOCKED:
        return  # applications, signals and the rank list are final: nothing here can be acted on
    for x in a.lists["programs"]:
        if x["visa_ok"] is False:
            yield "PROG-NO-SPONSOR", x["name"], {"visa": {"j1": "J-1", "h1b": "H-1B"}[p.applicant.visa_path]}
    for signal, code in (("gold", "PROG-TOO-MANY-GOLD"), ("silver", "PROG-TOO-MANY-SILVER")):
        count, limit = sum(x.signal == signal for x in p.programs), facts[f"signals_{signal}"].value
        if count > limit:
            yield code, None, {"count": count, "limit": limit}
    if p.programs and not a.program_list.needs_pgy1 and a.program_list.track("advanced"):
        yield "PROG-PRELIM-YEAR", None, {}


@rule
def program_fit(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    """Each program's stated requirements against the profile (advice-rules.md, "Programs' own requirements")."""
    listed = a.program_list
    if listed.ignored_columns:
        yield "PROG-CSV-IGNORED", None, {"file": listed.from_file, "columns": ", ".join(listed.ignored_columns)}
    for program in listed.programs:
        values = {"basis": _basis(program)}
        by_key = {c.key: c for c in program.checks}
        step2, usce = by_key["step2"], by_key["usce"]
        if step2.status == "not_met":
            yield "PROG-STEP2-BELOW", program.name, {**values, "stated": step2.stated}
        elif step2.status == "unknown" and step2.stated != NOT_NOTED:
            yield "PROG-STEP2-UNKNOWN", program.name, {**values, "stated": step2.stated}
        if by_key["graduation"].status == "not_met":
            yield "PROG-GRADUATION-LIMIT", program.name, {**values, "stated": by_key["graduation"].stated}
        if usce.stated == "required" and usce.status != "met":
            yield ("PROG-USCE-PLANNED" if usce.status == "unknown" else "PROG-USCE-MISSING"), program.name, values
        visa = by_key.get("visa")
        if visa is not None and visa.status == "not_met" and p.applicant.visa_path == "undecided":
            yield "PROG-SPONSORS-NONE", program.name, values
        if program.stale and program.verified_on is not None:
            yield "PROG-STALE", program.name, {"verified_on": human_date(program.verified_on)}
    if listed.needs_pgy1 and a.season_phase not in LOCKED:  # then SEASON-NO-PGY1 says what is left to do
        yield "PROG-NO-PGY1", None, {"count": len(listed.track("advanced"))}


def _basis(program: ProgramFit) -> str:
    """Where the program's facts come from, in words."""
    read = f", read on {human_date(program.verified_on)}" if program.verified_on else ""
    return f"as stated at {program.source}{read}" if program.source else f"as your list says{read}"


@rule
def season(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    if a.season_phase == "interviews" and "season-nrmp-registered" not in p.done:
        yield "SEASON-NRMP-REGISTER", None, {"deadline": deadline_text(a)}
    advanced = sum(x.track == "advanced" for x in p.programs)
    pgy1 = any(x.track in ("preliminary", "transitional") for x in p.programs)
    if a.season_phase in ("after_rank_deadline", "match_week") and advanced and not pgy1:
        yield "SEASON-NO-PGY1", None, {"advanced": f"{advanced} advanced {'program' if advanced == 1 else 'programs'}"}


@rule
def eras_application(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    yield from application.lints(p, a, facts)


def deadline_text(a: Assessment) -> str:
    """The rank-list deadline in a finding: the date and, unless confirmed, how sure it is."""
    status = {"confirmed": "", "reported": ", reported, not yet confirmed", "expected": ", expected"}
    return human_date(a.rank_deadline) + status[a.season.rank_deadline.status]


def _number(value: float) -> str:
    return f"{value:g}"
