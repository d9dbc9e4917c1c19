"""The pipeline, top-down: load -> assess -> select -> render -> site.

All data is gathered and every page rendered in memory first; files are written
last, into a fresh folder that replaces the output only when everything worked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from generator import engines, outdir, printpage, privacy, safety, site, timeline, trim
from generator.assess import slugify
from generator.checked import Checked as Checked
from generator.checked import check as check
from generator.content import Content, load_content
from generator.paths import CONTENT as CONTENT
from generator.profile import LoadedProfile
from generator.render import Inputs, render
from generator.select import Plan, select
from generator.words import human_date


@dataclass(frozen=True)
class Handbook:
    """One handbook, fully rendered in memory."""

    checked: Checked
    plan: Plan
    files: dict[str, bytes]


def prepare(
    profile_path: str | Path,
    today: dt.date | None = None,
    public: bool = False,
    content: Content | None = None,
    previous_calendar: bytes | None = None,
) -> Handbook:
    """Everything a handbook holds, as files in memory (the profile is checked before content loads).

    `previous_calendar` is the calendar file of the last build, which the new one updates.
    """
    checked = check(profile_path, today, public, content)
    content = content or load_content(CONTENT, checked.data)
    loaded, assessment = checked.loaded, checked.assessment
    plan = select(content, loaded, assessment, checked.findings, public)
    items = timeline.events(loaded.profile, assessment, content.timeline)
    calendar = timeline.months(items, assessment.as_of, assessment.match_day)
    pages = render(Inputs(content, loaded.profile, assessment, plan, calendar))
    pages[printpage.FILE] = printpage.render(
        [printpage.Source(p.file, p.title, printpage.body(pages[p.file])) for p in plan.pages]
    )
    nav = [{page.title: page.file} for page in plan.pages if page.nav] + [{printpage.TITLE: printpage.FILE}]
    key = handbook_key(loaded)
    handbook = {"name": loaded.profile.applicant.name, "as_of": human_date(assessment.as_of), "key": key}
    config = site.mkdocs_config(f"{site.plain_name(loaded.profile.applicant.name)} \u00b7 Residency handbook", nav, handbook)
    files = site.project_files(pages, config, plan.as_json())
    from generator import ics  # icalendar is a slow import that `handbook check` does not need

    name = loaded.profile.applicant.name
    files["docs/timeline.ics"] = ics.calendar_file(
        items, key, assessment.as_of, name, assessment.rank_deadline, previous_calendar
    )
    return Handbook(checked, plan, files)


def handbook_key(loaded: LoadedProfile) -> str:
    """Names this handbook in calendar UIDs and in the browser's storage of ticked boxes."""
    return slugify(f"{loaded.name} {loaded.profile.applicant.name}") or "handbook"


def generate(
    profile_path: str | Path, out_dir: Path, today: dt.date | None = None, public: bool = False, content: Content | None = None
) -> Handbook:
    """Write the plain MkDocs project (mkdocs.yml, docs/, plan.json) to out_dir."""
    with outdir.replacing(out_dir, [Path(profile_path)]) as stage:
        handbook = prepare(profile_path, today, public, content, _previous_calendar(stage.real / "docs" / "timeline.ics"))
        site.write_files(stage.path, handbook.files)
        if public:
            privacy.check_public_site(stage.path, handbook.checked.full)
    return handbook


def build(
    profile_path: str | Path,
    out_dir: Path,
    today: dt.date | None = None,
    public: bool = False,
    content: Content | None = None,
    engine: str = engines.DEFAULT,
) -> Handbook:
    """Build the handbook's site into out_dir with an engine, replacing it only when the build succeeded."""
    engines.get(engine)
    with outdir.replacing(out_dir, [Path(profile_path)]) as stage:  # refused or recovered before any work
        handbook = prepare(profile_path, today, public, content, _previous_calendar(stage.real / "timeline.ics"))
        epoch = site.epoch_of(handbook.checked.assessment.as_of)
        project, work = stage.scratch(), stage.path  # the MkDocs project sits hidden beside the output
        engines.build(engine, project, work, epoch, handbook.files)
        printpage.drop_permalinks(work / printpage.FILE.replace(".md", ".html"))
        trim.trim_site(work)  # before the scans: they check the site as it is shipped
        safety.check_site(work)
        if public:
            privacy.check_public_site(work, handbook.checked.full)
    return handbook


def pdf(
    profile_path: str | Path,
    pdf_file: Path,
    today: dt.date | None = None,
    public: bool = False,
    engine: str = engines.DEFAULT,
) -> Handbook:
    """Build the handbook in a scratch folder and print its print page ("Print the whole handbook") to pdf_file."""
    from generator import pdf as printing
    from generator.serve import private_scratch

    printing.ready(pdf_file)  # no browser or no folder: say so before building anything
    with private_scratch("pdf") as folder:  # the full site, private values included: this user's eyes only
        handbook = build(profile_path, Path(folder) / "site", today, public, engine=engine)
        printing.print_page(Path(folder) / "site" / printpage.FILE.replace(".md", ".html"), pdf_file)
    return handbook


def _previous_calendar(path: Path) -> bytes | None:
    """The calendar a previous build wrote there (a plain, small file), else None."""
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size > 1_000_000:
            return None
        return path.read_bytes()
    except OSError:
        return None
