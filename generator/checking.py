"""`handbook check`: validate and assess any number of profiles, one block each, worst status wins."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from generator.errors import HandbookError, describe, printable
from generator.words import duration, human_date, plural

DEFAULT = Path("profile.yaml")
COLORS = {"error": "red", "warning": "yellow", "info": "cyan"}


def profiles_in(paths: list[Path]) -> list[Path]:
    """Files as given; a folder gives its *.yaml and *.yml files at any depth (hidden ones skipped)."""
    if not paths:
        if not DEFAULT.is_file():
            raise HandbookError(
                "no profile given and no profile.yaml in this folder; name one (handbook check advisees/maria.yaml) "
                "or start one with `handbook init`"
            )
        return [DEFAULT]
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        inside = sorted(
            p
            for p in path.rglob("*")
            if p.suffix in (".yaml", ".yml")
            and p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(path).parts)
        )
        if not inside:
            raise HandbookError(f"{path}: no profile (*.yaml or *.yml) in this folder")
        found.extend(inside)
    return found


def run(paths: list[Path], fmt: str, today: dt.date | None, color: bool | None = None, debug: bool = False) -> int:
    """Check every profile; print text blocks or JSON; return the exit status (0, 1 or 2)."""
    from generator.checked import check

    profiles = profiles_in(paths)
    status, results = 0, []
    for profile in profiles:
        try:
            checked = check(profile, today)
        except HandbookError as exc:
            if debug:
                raise
            status = 2
            results.append({"profile": str(profile), "error": str(exc)})
            click.echo(click.style(printable(describe(exc)), fg="red"), err=True, color=color)
            continue
        _warn_if_published(profile, checked, color)
        if any(f.severity == "error" for f in checked.findings):
            status = max(status, 1)
        results.append({"profile": str(profile), **report(checked)})
        if fmt == "text":
            _print(profile, checked, color, prefix=len(profiles) > 1)
    if fmt == "json" and len(profiles) > 1:
        click.echo(json.dumps(results, indent=2))  # an invalid profile is also listed, with its error
    elif fmt == "json" and "error" not in results[0]:
        click.echo(json.dumps(results[0], indent=2))
    return status


def report(checked: Any) -> dict[str, Any]:
    return {"assessment": checked.assessment.summary(), "findings": [f.as_json() for f in checked.findings]}


def _print(profile: Path, checked: Any, color: bool | None, prefix: bool) -> None:
    for f in checked.findings:
        subject = f" ({f.subject})" if f.subject else ""
        severity = click.style(f.severity, fg=COLORS[f.severity], bold=True if f.severity == "error" else None)
        click.echo(printable(f"{profile}: ") + severity + printable(f" {f.code}{subject}: {f.message}"), color=color)
    line = printable(f"{profile}: {summary(checked)}" if prefix else summary(checked))
    click.echo(click.style(line, bold=True), color=color)


def _warn_if_published(profile: Path, checked: Any, color: bool | None) -> None:
    """Private values in a repository whose workflow publishes a site: the file itself may be public."""
    from generator.privacy import published_warning

    if warning := published_warning(profile, checked.full):
        click.echo(click.style(printable(f"warning: {warning}"), fg="yellow"), err=True, color=color)


def summary(checked: Any) -> str:
    """One line in words: where the applicant stands and how many findings of each kind."""
    a, findings = checked.assessment, checked.findings
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    usable = a.letters["usable"]
    return (
        f"{standing(a)}; research tier {a.research_tier}; "
        f"usable letters {usable['count']} (US {usable['us_based']}, radiology {usable['radiology']}); "
        f"{plural(counts['error'], 'error')}, {plural(counts['warning'], 'warning')}, {counts['info']} info"
    )


def standing(a: Any) -> str:
    """'mid phase: applications open on 6 September 2028 (expected), in 1 year and 9 months', and so on."""
    opened = getattr(a.season.applications_open, "status", "expected" if a.application_date_expected else "confirmed")
    opens = human_date(a.application_date) + ("" if opened == "confirmed" else f" ({opened})")
    status = getattr(a.season.rank_deadline, "status", "expected" if a.rank_deadline_expected else "confirmed")
    rank = human_date(a.rank_deadline) + ("" if status == "confirmed" else f", {status}")
    if a.season_phase == "match_week":
        return f"Match Week: Match Day is {human_date(a.match_day)}"
    if a.season_phase == "after_rank_deadline":
        return f"in season, after the rank list deadline ({rank}): Match Day is {human_date(a.match_day)}"
    if a.season_phase == "interviews":
        return f"in season: applications opened on {opens}; rank list deadline {rank}"
    return f"{a.phase} phase: applications open on {opens}, in {duration(a.months_to_application)}"
