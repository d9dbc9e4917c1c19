"""The advice rules of shared/advice-rules.md that produce findings.

Each rule says *when* it fires and with which subject and values; the wording, area and
usual severity of every code live in content/findings.yaml. A rule whose severity grows
with the phase passes it as the value `severity` (see `by_phase`).

Rules read the assessment's one model (letters.usable, the ECFMG chain, research_counts,
research_focus, season_phase) and never decide those things again.
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
VISAS = {"j1": "J-1", "h1b": "H-1B"}


def rule(fn: Rule) -> Rule:
    RULES.append(fn)
    return fn


def by_phase(a: Assessment, early: str, mid: str, late: str, in_season: str) -> dict[str, str]:
    """The severity for the applicant's phase, as the `severity` value of a hit."""
    return {"severity": {"early": early, "mid": mid, "late": late, "in_season": in_season}[a.phase]}


@rule
def timeline(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    if a.phase == "late" and a.research_tier in ("none", "minimal"):
        if a.research_focus is not None:
            advice = (
                "Put your effort into turning the projects you keep into abstracts or case reports you can submit before then."
            )
        else:
            advice = "Put your effort into small outputs you can finish before then: case reports, abstracts and posters."
        yield "PHASE-LATE-LOW-RESEARCH", None, {"months": a.months_to_application, "tier": a.research_tier, "advice": advice}


@rule
def research(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    """Research findings.

    With no research items at all only RES-NONE fires (and, early, the research-year question);
    with only init placeholders, only RES-PLACEHOLDER; an overcommitted applicant gets the
    keep/pause plan and no finding that asks for another project (no radiology, US or
    lead-author nudges).
    """
    counts = a.research_counts
    if counts["placeholders"]:
        n = counts["placeholders"]
        what = "1 research item still carries" if n == 1 else f"{n} research items still carry"
        yield (
            "RES-PLACEHOLDER",
            None,
            {"what": what, "them": "It does not count until you give it" if n == 1 else "They do not count until you give each"},
        )
    if counts["total"] == 0:
        if not counts["placeholders"]:  # placeholders only: RES-PLACEHOLDER says what to do
            yield "RES-NONE", None, {"when": _start_when(a)}
    elif a.research_focus is not None:
        focus = a.research_focus
        yield (
            "RES-OVERCOMMITTED",
            None,
            {
                "primary": counts["primary"],
                "in_progress": counts["in_progress"],
                "lead": _names(focus["lead"], quote=True) or "none yet",
                "help": _names(focus["help"], quote=True) or "none",
                "pause": _names(focus["pause"], quote=True) or "none",
            },
        )
    else:
        if counts["planned_radiology"] == 0:
            yield "RES-NO-RADIOLOGY", None, {}
        if a.phase != "in_season" and not any(i.author_position in (1, 2) for i in p.research):
            yield "RES-NO-LEAD-AUTHOR", None, {}
        if not any(i.us_based for i in p.research):
            yield "RES-NO-US", None, {}
    if a.phase == "early" and a.research_tier in ("none", "minimal"):
        record = "no counted research yet" if a.research_tier == "none" else "a minimal research record"
        yield "RES-CONSIDER-YEAR", None, {"years": a.years_to_application, "record": record}
    for item in a.lists["counted_research"]:
        if not item["radiology"]:
            yield "RES-NON-RADIOLOGY-ITEM", item["title"], {}


def _start_when(a: Assessment) -> str:
    if a.phase == "early":
        return "You have time to learn methods on one substantial project, ideally imaging research"
    if a.phase == "mid":
        return (
            "Choose one project that can be submitted before applications open, "
            "such as a case report or a short retrospective review"
        )
    if a.phase == "late":
        return "Join work that is close to an abstract deadline, or write a case report you can submit within months"
    return "Start one small project you can describe in interviews as work in progress"


@rule
def letter_mix(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    """The mix counts usable letters. After the rank-list deadline no letter advice fires.

    Fewer than 3 usable: info early, warning mid and late, error in season. Too few US or
    radiology letters: info early (a plan, not an alarm), warning after. The advice names the
    potential writers who could close the gap.
    """
    if a.asking_closed:
        return
    usable, potential, maximum = a.letters["usable"], a.letters["potential"], facts["max_letters_per_program"].value
    values = {
        "usable": f"{usable['count']} usable {_plural(usable['count'], 'letter')}",
        "potential": _potential(potential["count"]),
    }
    if usable["count"] < 3:
        yield "LOR-TOO-FEW", None, {**values, **by_phase(a, "info", "warning", "warning", "error")}
    if usable["count"] + potential["count"] > maximum:
        yield "LOR-TOO-MANY", None, {"total": usable["count"] + potential["count"], "max": maximum}
    grow = by_phase(a, "info", "warning", "warning", "warning")
    if usable["us_based"] < 2:
        yield "LOR-FEW-US", None, {"us_based": usable["us_based"], **grow}
    if usable["radiology"] < 2:
        yield "LOR-FEW-RADIOLOGY", None, {"radiology": usable["radiology"], **grow}
    if usable["count"] and usable["research"] == usable["count"]:
        yield "LOR-ALL-RESEARCH", None, {}


@rule
def letter_writers(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    """At most one finding per writer about whether to use them, and one about timing.

    Not usable: the reason's finding only (brief, non-physician, lukewarm; stale writers get
    "reconnect first"). Potential and not asked, work ended over 8 weeks ago: "ask soon";
    neither once 4 usable letters are in hand or after the rank-list deadline. Reminders as in
    the assessment's reminder list; "pair with a recent letter" only for letters in hand.
    """
    enough = a.letters["usable"]["count"] >= 4
    for x in a.lists["active_letters"]:
        who, reason = x["writer"], x["reason"]
        if reason == "brief":
            yield "LOR-BRIEF", who, {"weeks": _weeks(x["weeks_worked"])}
        elif reason == "non_physician":
            yield "LOR-NON-PHYSICIAN", who, {}
        elif reason == "lukewarm":
            yield "LOR-LUKEWARM", who, {"response": x["response"]}
        elif reason == "stale" and not (enough or a.asking_closed):
            if x["status"] == "asked":
                then = (
                    f"You asked on {human_date(x['asked_on'])} and have no answer yet: follow up with a short, friendly "
                    "note that recalls your work together, and count the letter once they agree."
                )
            else:
                then = (
                    "Reconnect first: remind them of your work together and share your progress, then ask whether they "
                    "could write a strong letter."
                )
            yield "LOR-RECONNECT", who, {"last_worked": human_date(x["last_worked"]), "then": then}
        since = x["days_since_worked"]
        ask = x["usability"] == "potential" and x["status"] == "not_asked"
        if ask and since is not None and since > ASK_SOON_DAYS and not (enough or a.asking_closed):
            yield (
                "LOR-ASK-SOON",
                who,
                {
                    "last_worked": human_date(x["last_worked"]),
                    "weeks_since": since // 7,
                    "keep": "" if a.eras_open else " They can write it now and keep it until your application season opens.",
                },
            )
        if x in a.lists["reminder_letters"]:
            severity = "warning" if a.review_open else "info"
            yield "LOR-REMIND", who, {"asked_on": human_date(x["asked_on"]), "days": x["days_since_asked"], "severity": severity}
        old = x["last_worked"] is not None and x["last_worked"] < years_before(a.application_date, 2)
        if x["usability"] == "usable" and old:
            yield "LOR-OLD", who, {}


@rule
def ecfmg(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    """The ECFMG chain, for every applicant (US citizens trained abroad too).

    Exams omitted (not hidden by a public build): info early and mid, warning from late.
    Not certified: info early and mid, warning late, in season an error while the exam or
    communication requirements are not done (a warning once they are, while ECFMG processes).
    Step 2 CK missing: info early and mid, warning from late. Impossible combinations: warning.
    """
    chain = a.ecfmg
    deadline = deadline_text(a)
    if not chain["known"]:
        if not a.public:
            yield "EXAMS-MISSING", None, by_phase(a, "info", "info", "warning", "warning")
        return
    for problem in chain["impossible"]:
        yield "EXAMS-IMPOSSIBLE", None, {"problem": problem}
    if not chain["certified"]:
        in_season = "warning" if chain["requirements_done"] else "error"
        if chain["missing"]:
            todo = f"Still to do: {_names(chain['missing'])}."
        else:
            todo = "Your exams and the communication requirement are done; the certificate itself is still to come."
        if a.asking_closed:
            when = (
                f"The rank list deadline ({deadline}) has passed: if ECFMG had not confirmed your exams by then, the "
                "NRMP withdraws you from the Match, so check your status with ECFMG and the NRMP now."
            )
        else:
            when = (
                f"ECFMG must confirm your exams before the rank list deadline ({deadline}), "
                "or the NRMP withdraws you from the Match."
            )
        yield "ECFMG-NOT-CERTIFIED", None, {"todo": todo, "when": when, **by_phase(a, "info", "info", "warning", in_season)}
    if p.exams is not None and p.exams.usmle_step2_ck is None:
        yield "STEP2-MISSING", None, by_phase(a, "info", "info", "warning", "warning")


@rule
def visa(p: Profile, a: Assessment, facts: dict[str, Any]) -> Iterator[Hit]:
    if not a.non_us:
        return
    path = p.applicant.visa_path
    if path == "h1b" and p.exams is not None and p.exams.usmle_step3 != "pass":
        yield "VISA-H1B-STEP3", None, {"deadline": deadline_text(a)}
    if path == "undecided":
        yield "VISA-UNDECIDED", None, {}


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
    """Visa fit per program; letter sets short of what a program asks for; signal counts.

    A program that takes no visa is flagged for any applicant who needs one (undecided too);
    the letter-set finding fires only when 3 usable letters exist and the program wants 4
    (fewer than 3 is LOR-TOO-FEW's job). Signal counts are warnings while unverified.
    """
    if a.season_phase in LOCKED:
        return  # applications, signals and the rank list are final: nothing here can be acted on
    path = p.applicant.visa_path
    for x in a.lists["programs"]:
        if x["visa_ok"] is False:
            if path == "undecided":
                yield "PROG-NO-VISA", x["name"], {}
            else:
                yield "PROG-NO-SPONSOR", x["name"], {"visa": VISAS[path]}
        usable = a.letters["usable"]["count"]
        if x["visa_ok"] is not False and 3 <= usable < x["letters_wanted"] and not a.asking_closed:
            yield "PROG-LETTERS-SHORT", x["name"], {"wanted": x["letters_wanted"], "usable": usable}
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


def _names(titles: list[str], quote: bool = False) -> str:
    quoted = [f"\u201c{t}\u201d" if quote else t for t in titles]
    if len(quoted) <= 1:
        return "".join(quoted)
    return f"{', '.join(quoted[:-1])} and {quoted[-1]}"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"


def _potential(count: int) -> str:
    if count == 0:
        return ""
    return f" {count} more {'writer' if count == 1 else 'writers'} could count once they agree."


def _weeks(value: float) -> str:
    return f"{value:g} {'week' if value == 1 else 'weeks'}"
