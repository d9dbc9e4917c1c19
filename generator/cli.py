"""The `handbook` command: thin verbs over generator.build; user mistakes exit 2, never a traceback."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import __version__
from generator.errors import HandbookError

DATE = click.DateTime(formats=["%Y-%m-%d"])
today_option = click.option("--today", type=DATE, help="Compute the advice for this date (YYYY-MM-DD) instead of as_of or today.")
public_option = click.option("--public", is_flag=True, help="Leave out every private field (for a site others can see).")
INTERNAL_ERROR = 3
INTERRUPTED = 130  # as a shell reports Ctrl-C
F = TypeVar("F", bound=Callable[..., Any])


def _output(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    from generator.outdir import given

    return None if value is None else given(value)


def output_option(default: str | None, help: str) -> Callable[[F], F]:
    """-o/--output: a folder that is new, empty or made by handbook (checked again before any work)."""
    return click.option(
        "-o", "--output", metavar="DIR", callback=_output, default=default, required=default is None, show_default=True, help=help
    )


profile_argument = click.argument("profile", type=click.Path(path_type=Path))


class _Group(click.Group):
    """Catches the one exception family of user mistakes, once."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except HandbookError as exc:
            if ctx.params.get("debug"):
                raise
            click.echo(f"error: {exc}" if "\n" not in str(exc) else f"error: the input has problems:\n{exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("\nerror: interrupted; the previous output is unchanged", err=True)
            ctx.exit(INTERRUPTED)
        except Exception as exc:  # a bug: one line (exit 3; 1 means a finding is an error), details with --debug
            if ctx.params.get("debug"):
                raise
            name = type(exc).__name__
            click.echo(f"error: internal error ({name}), please report it; rerun with --debug for details", err=True)
            ctx.exit(INTERNAL_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show a traceback for errors (for bug reports).")
@click.version_option(__version__, prog_name="handbook")
def cli(debug: bool) -> None:
    """Turn an applicant's profile into their own residency handbook."""


def _day(value: dt.datetime | None) -> dt.date | None:
    from generator.models import ADVICE_DATES, EARLIEST, LATEST

    if value and not EARLIEST <= value.date() <= LATEST:
        raise HandbookError(f"--today: found {value.date().isoformat()}; {ADVICE_DATES}")
    return value.date() if value else None


@cli.command()
@profile_argument
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@today_option
def check(profile: Path, fmt: str, today: dt.datetime | None) -> None:
    """Validate and assess PROFILE without building; exit 1 when a finding is an error."""
    from generator.build import check as run_check

    checked = run_check(profile, _day(today))
    findings = checked.findings
    if fmt == "json":
        click.echo(
            json.dumps({"assessment": checked.assessment.summary(), "findings": [f.as_json() for f in findings]}, indent=2)
        )
    else:
        for f in findings:
            subject = f" ({f.subject})" if f.subject else ""
            click.echo(f"{profile}: {f.severity} {f.code}{subject}: {f.message}")
        click.echo(_summary(checked))
    if any(f.severity == "error" for f in findings):
        sys.exit(1)


def _summary(checked: Any) -> str:
    a, findings = checked.assessment, checked.findings
    counts = {s: sum(f.severity == s for f in findings) for s in ("error", "warning", "info")}
    letters = a.letters
    return (
        f"phase {a.phase} ({a.years_to_application:.2f} years to applications on {a.application_date.isoformat()}); "
        f"research tier {a.research_tier}; "
        f"letters {letters['total']} (US {letters['us_based']}, radiology {letters['radiology']}); "
        f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"
    )


@cli.command()
@profile_argument
@output_option("site", "Folder of the site: new, empty or made by handbook.")
@today_option
@public_option
def build(profile: Path, output: Path, today: dt.datetime | None, public: bool) -> None:
    """Build the handbook site of PROFILE into a folder (replaced only on success)."""
    from generator.build import build as run_build

    handbook = run_build(profile, output, _day(today), public)
    pages = len(handbook.plan.pages)
    click.echo(f"Built {pages} pages into {output}/ (open {output / 'index.html'}).")


@cli.command()
@profile_argument
@output_option(None, "Folder of the project: new, empty or made by handbook.")
@today_option
@public_option
def generate(profile: Path, output: Path, today: dt.datetime | None, public: bool) -> None:
    """Write the plain MkDocs project of PROFILE (mkdocs.yml, docs/, plan.json)."""
    from generator.build import generate as run_generate

    run_generate(profile, output, _day(today), public)
    click.echo(f"Wrote the MkDocs project to {output}/; build it with: mkdocs build -f {output / 'mkdocs.yml'}")


@cli.command()
@profile_argument
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@today_option
@public_option
def serve(profile: Path, dev_addr: str, today: dt.datetime | None, public: bool) -> None:
    """Preview PROFILE's handbook; saving the profile or content reloads the page."""
    from generator.serve import serve as run_serve

    run_serve(profile, dev_addr, _day(today), public)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--from-example", "example", metavar="NAME", help="Copy the example profile NAME instead of asking questions.")
@click.option("--github", is_flag=True, help="Also write a repository that publishes the public handbook on GitHub Pages.")
@click.option("--force", is_flag=True, help="Replace files that already exist.")
def init(directory: Path, example: str | None, github: bool, force: bool) -> None:
    """Start a profile in DIRECTORY (default: here) by answering a few questions."""
    from generator.init import init as run_init

    written = run_init(directory, example, github, force)
    click.echo(("" if example else "\n") + "Wrote " + ", ".join(str(path) for path in written.files) + ".")
    if written.repository_started:
        click.echo(f"Started a git repository in {directory} (branch main).")
    profile = directory / "profile.yaml"
    click.echo(f"Next: edit {profile}, then run `handbook check {profile}` and `handbook build {profile}`.")
    if github:
        click.echo(f"To publish, follow the steps in {directory / 'README.md'}.")


@cli.command()
@profile_argument
@click.option("--remote", default="origin", show_default=True, help="The git remote to push the gh-pages branch to.")
@today_option
def deploy(profile: Path, remote: str, today: dt.datetime | None) -> None:
    """Build PROFILE with --public and publish it on the gh-pages branch of its git repository."""
    from generator.deploy import deploy as run_deploy

    deployed = run_deploy(profile, remote, _day(today))
    what = f"commit {deployed.commit[:7]}" if deployed.changed else f"no change since commit {deployed.commit[:7]}"
    click.echo(f"Published {len(deployed.handbook.plan.pages)} pages to the gh-pages branch of {remote} ({what}).")


@cli.command()
def schema() -> None:
    """Print the profile's JSON Schema (for editors that check YAML)."""
    from generator.models import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from generator.batch import Shard

    try:
        return Shard.parse(value) if value is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command("build-all")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@output_option(None, "Folder of the handbooks: new, empty or made by handbook.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N", help="Worker processes (default: one per core).")
@today_option
@public_option
@click.option("--shard", metavar="I/N", callback=_shard, help="Build only the I-th of N fixed slices (one job of a CI matrix).")
@click.option("--overview-only", is_flag=True, help="Only write OUTPUT/index.html, e.g. after merging the shards' folders.")
def build_all(
    folder: Path, output: Path, jobs: int | None, today: dt.datetime | None, public: bool, shard: Any, overview_only: bool
) -> None:
    """Build the handbook of every profile in FOLDER, skipping unchanged ones; overview in OUTPUT/index.html."""
    from generator import batch

    if overview_only:
        if shard is not None:
            raise click.UsageError("--overview-only lists the handbooks of every shard; use it without --shard")
        click.echo(f"Wrote the overview {batch.write_overview(folder, output)}.")
        return
    report = batch.run(folder, output, batch.Options(_day(today), public, jobs, shard))
    sys.exit(1 if report.failed else 0)


def main() -> None:
    cli(prog_name="handbook")
