"""The `handbook` command: thin verbs over generator.build; user mistakes exit 2, never a traceback."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import signal
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from generator import __version__, engines
from generator.errors import HandbookError, describe, printable


class Day(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.2 on
    """A date YYYY-MM-DD, with "no such date" for one that does not exist (2026-02-30)."""

    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dt.datetime):
            return value
        text = str(value)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            self.fail(f"{text!r} is not a date; write YYYY-MM-DD, e.g. 2026-12-01", param, ctx)
        try:
            return dt.datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            self.fail(f"{text!r}: no such date; write YYYY-MM-DD, e.g. 2026-12-01", param, ctx)


DATE = Day()
today_option = click.option("--today", type=DATE, help="Compute the advice for this date (YYYY-MM-DD) instead of as_of or today.")
engine_option = click.option(
    "--engine",
    type=click.Choice(engines.NAMES),
    default=engines.DEFAULT,
    show_default=True,
    help="The engine that builds the site: MkDocs, or its successors ProperDocs and Zensical (installed as extras).",
)
# A folder, a pipe or a device is refused by the profile reader, in one line (click's check is three lines).
profile_argument = click.argument("profile", required=False, type=click.Path(path_type=Path))
public_option = click.option("--public", is_flag=True, help="Leave out every private field (for a site others can see).")
INTERNAL_ERROR = 3  # not 1, which means "a finding is an error"
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


class _Command(click.Command):
    """Remembers the command's profile, so an error about it can be cleared of its private values."""

    def invoke(self, ctx: click.Context) -> Any:
        ctx.meta["handbook.profile"] = ctx.params.get("profile")
        return super().invoke(ctx)


class _Group(click.Group):
    """Catches the one exception family of user mistakes, once."""

    command_class = _Command

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.ClickException as exc:  # a bad option or argument: the value may be a file name from anywhere
            exc.message = printable(exc.message)  # type: ignore[misc]
            raise
        except HandbookError as exc:
            if ctx.params.get("debug"):
                raise
            from generator.privacy import redacted

            _echo(describe(exc, redacted(exc, ctx.meta.get("handbook.profile") or _default_if_present())), err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Stopped as exc:
            click.echo(f"\nerror: stopped ({exc.name}); the previous output is unchanged", err=True)
            ctx.exit(128 + exc.signum)
        except KeyboardInterrupt:
            click.echo("\nerror: interrupted; the previous output is unchanged", err=True)
            ctx.exit(INTERRUPTED)
        except Exception as exc:  # a bug: one line (exit 3), details with --debug
            if ctx.params.get("debug"):
                raise
            name = type(exc).__name__
            click.echo(f"error: internal error ({name}), please report it; rerun with --debug for details", err=True)
            ctx.exit(INTERNAL_ERROR)


def _default_if_present() -> Path | None:
    from generator.checking import DEFAULT

    return DEFAULT if DEFAULT.is_file() else None


def _echo(text: str, err: bool = False) -> None:
    """Print a line whose file names, keys and values come from the user: control characters are shown escaped."""
    click.echo(printable(text), err=err)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show a traceback for errors (for bug reports).")
@click.version_option(__version__, prog_name="handbook")
def cli(debug: bool) -> None:
    """Turn an applicant's profile into their own residency handbook."""


def default_profile(profile: Path | None) -> Path:
    """The profile named, else ./profile.yaml (as `mkdocs build` reads ./mkdocs.yml)."""
    from generator.checking import profiles_in

    return profile if profile is not None else profiles_in([])[0]


def _day(value: dt.datetime | None) -> dt.date | None:
    from generator.dates import ADVICE_DATES, EARLIEST, LATEST

    if value and not EARLIEST <= value.date() <= LATEST:
        raise HandbookError(f"--today: found {value.date().isoformat()}; {ADVICE_DATES}")
    return value.date() if value else None


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@today_option
def check(paths: tuple[Path, ...], fmt: str, today: dt.datetime | None) -> None:
    """Validate and assess profiles (files or folders; default ./profile.yaml) without building.

    Exit 0, 1 when a finding is an error, 2 when a profile is invalid: the worst of all.
    """
    from generator.checking import run

    debug = bool(click.get_current_context().find_root().params.get("debug"))
    sys.exit(run(list(paths), fmt, _day(today), color=_color(), debug=debug))


def _color() -> bool | None:
    """Colour on a terminal unless NO_COLOR is set (https://no-color.org); click strips it elsewhere."""
    return False if os.environ.get("NO_COLOR") else None


@cli.command()
@profile_argument
@output_option("site", "Folder of the site: new, empty or made by handbook.")
@today_option
@public_option
@engine_option
def build(profile: Path | None, output: Path, today: dt.datetime | None, public: bool, engine: str) -> None:
    """Build the handbook site of PROFILE into a folder (replaced only on success)."""
    from generator.build import build as run_build

    handbook = run_build(default_profile(profile), output, _day(today), public, engine=engine)
    pages = len(handbook.plan.pages)
    _echo(f"Built {pages} pages into {output}/ (open {output / 'index.html'}).")


@cli.command()
@click.argument("profile", type=click.Path(path_type=Path))
@output_option(None, "Folder of the project: new, empty or made by handbook.")
@today_option
@public_option
def generate(profile: Path, output: Path, today: dt.datetime | None, public: bool) -> None:
    """Write the plain MkDocs project of PROFILE (mkdocs.yml, docs/, plan.json)."""
    from generator.build import generate as run_generate

    run_generate(profile, output, _day(today), public)
    config = output / "mkdocs.yml"
    _echo(f"Wrote the MkDocs project to {output}/; build it with: mkdocs build -f {config}")
    _echo(f"(or with its successors: properdocs build -f {config}, or zensical build -f {config})")


@cli.command()
@profile_argument
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in your web browser.")
@today_option
@public_option
@engine_option
def serve(profile: Path | None, dev_addr: str, open_browser: bool, today: dt.datetime | None, public: bool, engine: str) -> None:
    """Preview PROFILE's handbook; saving the profile or content reloads the page."""
    from generator.serve import serve as run_serve

    run_serve(default_profile(profile), dev_addr, _day(today), public, open_browser, engine)


@cli.command()
@profile_argument
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The PDF file to write.")
@today_option
@public_option
@engine_option
def pdf(profile: Path | None, output: Path, today: dt.datetime | None, public: bool, engine: str) -> None:
    """Print PROFILE's whole handbook to a PDF file with headless Chromium."""
    from generator.build import pdf as run_pdf

    run_pdf(default_profile(profile), output, _day(today), public, engine)
    _echo(f"Wrote the whole handbook to {output} (printed by Chromium).")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("."))
@click.option("--from-example", "example", metavar="NAME", help="Copy the example profile NAME instead of asking questions.")
@click.option(
    "--github",
    is_flag=True,
    help="Also write a repository that publishes the public handbook on GitHub Pages (next to a profile: only missing files).",
)
@click.option("--force", is_flag=True, help="Replace files that already exist (a .gitignore keeps your lines and gets ours).")
@click.option("--no-input", is_flag=True, help="Ask nothing: every answer at its default (edit the file afterwards).")
def init(directory: Path, example: str | None, github: bool, force: bool, no_input: bool) -> None:
    """Start a profile in DIRECTORY (default: here) by answering a few questions."""
    from generator.init import init as run_init

    written = run_init(directory, example, github, force, no_input)
    asked = example is None and not no_input and directory / "profile.yaml" in written.files
    if written.files:
        _echo(("\n" if asked else "") + "Wrote " + ", ".join(str(path) for path in written.files) + ".")
    if written.merged:
        _echo(f"Added the handbook's lines to {written.merged}; your own lines in it are kept.")
    if written.kept:
        were = "it was" if len(written.kept) == 1 else "they were"
        _echo("Kept " + ", ".join(str(path) for path in written.kept) + f": {were} already there.")
    if written.unlisted:
        lines = ("this line", "it keeps") if len(written.unlisted) == 1 else ("these lines", "they keep")
        _echo(
            f"Note: {directory / '.gitignore'} does not list {', '.join(written.unlisted)}; "
            f"add {lines[0]} to it: {lines[1]} your full profile and your own builds out of git."
        )
    if written.repository_started:
        _echo(f"Started a git repository in {directory} (branch main).")
    profile = directory / "profile.yaml"
    _echo(f"Next: edit {profile}, then run `handbook check {profile}` and `handbook build {profile}`.")
    if github:
        _echo(f"To publish, follow the steps in {directory / 'README.md'}.")


@cli.command()
@profile_argument
@click.option("--remote", default="origin", show_default=True, help="The git remote to push the gh-pages branch to.")
@today_option
def deploy(profile: Path | None, remote: str, today: dt.datetime | None) -> None:
    """Build PROFILE with --public and publish it on the gh-pages branch of its git repository."""
    from generator.deploy import deploy as run_deploy

    deployed = run_deploy(default_profile(profile), remote, _day(today), warn=lambda text: _echo(f"warning: {text}", err=True))
    what = f"commit {deployed.commit[:7]}" if deployed.changed else f"no change since commit {deployed.commit[:7]}"
    _echo(f"Published {len(deployed.handbook.plan.pages)} pages to the gh-pages branch of {remote} ({what}).")


@cli.command("merge-ticks")
@click.argument("ticks", type=click.Path(dir_okay=False, path_type=Path))
@profile_argument
@click.option("--force", is_flag=True, help="Merge ticks exported from another handbook.")
def merge_ticks(ticks: Path, profile: Path | None, force: bool) -> None:
    """Write the ticks a handbook exported (TICKS, a .json file) into PROFILE's done: list."""
    from generator.ticks import merge

    target = default_profile(profile)
    merged = merge(target, ticks, force)
    if not merged.added and not merged.removed:
        _echo(f"{target} already has these ticks; nothing changed.")
        return
    parts = [
        f"added {', '.join(merged.added)}" if merged.added else "",
        f"removed {', '.join(merged.removed)}" if merged.removed else "",
    ]
    _echo(f"Updated done: in {target}: " + "; ".join(p for p in parts if p) + ".")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "markdown"]), default="json", show_default=True)
def schema(fmt: str) -> None:
    """Print the profile's JSON Schema (for editors that check YAML), or the reference tables in Markdown."""
    if fmt == "markdown":
        from generator.reference import markdown

        click.echo(markdown(), nl=False)
        return
    from generator.models import json_schema

    _echo(json.dumps(json_schema(), indent=2))


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from generator.batch import Shard

    try:
        return Shard.parse(value) if value is not None else None
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@cli.command("build-all")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@output_option("handbooks", "Folder of the handbooks: new, empty or made by handbook.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N", help="Worker processes (default: one per core).")
@today_option
@public_option
@click.option("--shard", metavar="I/N", callback=_shard, help="Build only the I-th of N fixed slices (one job of a CI matrix).")
@click.option("--overview-only", is_flag=True, help="Only write OUTPUT/index.html, e.g. after merging the shards' folders.")
@engine_option
def build_all(
    folder: Path,
    output: Path,
    jobs: int | None,
    today: dt.datetime | None,
    public: bool,
    shard: Any,
    overview_only: bool,
    engine: str,
) -> None:
    """Build the handbook of every profile in FOLDER, skipping unchanged ones; overview in OUTPUT/index.html."""
    from generator import batch

    if overview_only:
        if shard is not None:
            raise click.UsageError("--overview-only lists the handbooks of every shard; use it without --shard")
        _echo(f"Wrote the overview {batch.write_overview(folder, output)}.")
        return
    engines.get(engine)
    report = batch.run(folder, output, batch.Options(_day(today), public, jobs, shard, engine=engine))
    sys.exit(1 if report.failed else 0)


class Stopped(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: what was being written is removed and the previous output kept."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum, self.name = signum, signal.Signals(signum).name


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    try:
        cli(prog_name="handbook")
    except SystemExit as exc:
        _leave(exc.code)
    _leave(0)


def _leave(code: object) -> None:
    """End the process once the command is done, without tearing the interpreter down.

    Freeing every module and object one by one at exit (MkDocs' pages, the Markdown trees)
    took about a tenth of a build's time. Every file the command wrote is closed by then and
    every temporary folder removed (all are context-managed); output streams are flushed here.
    Left to Python's own exit when another thread still runs (serve) or HANDBOOK_FULL_EXIT is set.
    """
    if os.environ.get("HANDBOOK_FULL_EXIT") or threading.active_count() > 1:
        sys.exit(code)  # type: ignore[arg-type]
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(code or 0)
