"""Build the handbook of every profile in a folder: in parallel, incrementally, in slices.

Reads top-down: find the profiles -> keep this shard's -> skip the unchanged -> build the
rest in worker processes (generator.workers) -> record each result -> overview.
One bad profile never stops the others; its previous handbook is left as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import TextIO

from generator import outdir, overview, records, staging
from generator.errors import HandbookError, printable
from generator.paths import BASE_CONFIG, CONTENT, PACKAGE, TEMPLATES
from generator.progress import Progress
from generator.workers import Outcome, Task, outcomes

SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Shard:
    """The index-th (from 1) of count deterministic slices of the profiles."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> Shard:
        """From `I/N`; a ValueError says what is wrong (the CLI adds which option)."""
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if not match:
            raise ValueError(f"{text!r} is not I/N; for example 2/4 is the second of four slices")
        index, count = int(match[1]), int(match[2])
        if count < 1:
            raise ValueError(f"{text!r}: N must be 1 or more")
        if not 1 <= index <= count:
            raise ValueError(f"{text!r}: I must be from 1 to {count}")
        return cls(index, count)

    def holds(self, name: str) -> bool:
        """By a hash of the name, so adding a profile never moves the others to another shard."""
        return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big") % self.count == self.index - 1


@dataclass(frozen=True)
class Options:
    """How to build: as `handbook build` (today, public), plus workers, a shard and the content folder."""

    today: dt.date | None = None
    public: bool = False
    jobs: int | None = None
    shard: Shard | None = None
    content: Path = CONTENT
    engine: str = "mkdocs"


@dataclass
class Report:
    """What a run did, handbook by handbook (total: the profiles of this shard)."""

    total: int
    built: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    peak_worker_kb: int | None = None

    def summary(self) -> str:
        counts = f"built {len(self.built)}, skipped {len(self.skipped)}, failed {len(self.failed)}"
        return f"{counts} in {self.seconds:.1f} s"


def run(folder: Path, out: Path, options: Options, stdout: TextIO | None = None, stderr: TextIO | None = None) -> Report:
    """Build every profile of folder (or of one shard) into out/NAME/, then the overview."""
    stderr = stderr or sys.stderr
    with outdir.claimed(out, [folder]) as real:  # refused before any work, locked, marked as ours
        if options.shard is None:
            overview.check_ours(real)
        if (real / records.FOLDER).is_symlink():
            raise HandbookError(f"{out / records.FOLDER} is a symbolic link; the records stay inside {out}: remove the link")
        try:
            with _sigterm_stops():
                return _run(folder, out, options, stdout or sys.stdout, stderr)
        except Terminated:
            with contextlib.suppress(OSError):
                _sweep(real, find_profiles(folder, out))
            stderr.write("\nerror: build-all was stopped (SIGTERM); the handbooks finished so far are kept\n")
            raise


class Terminated(SystemExit):
    """SIGTERM: the workers are ended (see generator.workers) and the command exits 143."""


@contextlib.contextmanager
def _sigterm_stops() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise Terminated(128 + signum)

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _sweep(out: Path, found: list[tuple[str, Path]]) -> None:
    """Recover what killed builds left in OUT and in the folders of nested handbooks (OUT/2027/)."""
    for folder in sorted({out} | {(out / name).parent for name, _ in found}):
        if folder.is_dir() and not folder.is_symlink():
            staging.sweep(folder)


def _run(folder: Path, out: Path, options: Options, stdout: TextIO, stderr: TextIO) -> Report:
    start = time.perf_counter()
    every = find_profiles(folder, out)
    _sweep(out, every)
    refused = {name: why for name, path in every if (why := refused_name(name, path) or _linked(out, name))}
    found = [(name, path) for name, path in every if name not in refused]
    mine = [(name, path) for name, path in every if options.shard is None or options.shard.holds(name)]
    outside = {name: path for name, path in mine if name not in refused and _leaves(folder, path)}
    buildable = [(name, path) for name, path in mine if name not in refused and name not in outside]
    shared = _shared_key(options.content)
    tasks, fresh = _plan(buildable, out, options, shared)
    report = Report(len(mine), skipped=[name for name, _ in fresh])
    progress = Progress(len(mine), stderr, stderr.isatty())
    progress.begin()
    for name, _ in mine:
        if name in refused:
            report.failed[name] = refused[name]
            progress.done("failed", name, refused[name])
    for name, path in outside.items():  # never read: the link may lead to a key file or a password store
        error = (
            f"{path} is a symbolic link to a file outside {folder}; build-all reads only the profiles in the folder: "
            "copy the profile in instead of linking to it"
        )
        _record(out, Outcome(name, records.Record(path.name), error), report, progress)
    for name, record in fresh:
        if record.error is not None:  # the last attempt failed, but these inputs built before
            records.write(out, name, replace(record, error=None))
        progress.done("skipped", name)
    for outcome in outcomes(tasks, options.jobs, options.content):
        _record(out, outcome, report, progress)
    progress.finish()
    _sweep(out, every)  # what a killed worker left
    page = None if options.shard else _overview(out, found, shared)
    report.seconds = time.perf_counter() - start
    _print_failures(report, out, stderr)
    stdout.write(printable(_closing(report, options.shard, page, len(found))) + "\n")
    return report


def write_overview(folder: Path, out: Path) -> Path:
    """OUT/index.html from the records of every profile in folder (e.g. after merging shards)."""
    if not out.is_dir():
        raise HandbookError(f"{out}: no such folder; build the handbooks into it first")
    with outdir.claimed(out, [folder]):
        found = [(name, path) for name, path in find_profiles(folder, out) if not refused_name(name, path)]
        return _overview(out, found, _shared_key(CONTENT))


def refused_name(name: str, path: Path) -> str | None:
    """Why a profile's folder would collide with the overview page (None: it cannot)."""
    first = PurePosixPath(name).parts[0]
    if first.casefold() == overview.FILE:
        return f"its folder {first}/ would take the place of the overview page {overview.FILE}; rename the profile or its folder"
    return None


def _overview(out: Path, found: list[tuple[str, Path]], shared: str) -> Path:
    return overview.write(out, overview.rows(out, [(name, path.name) for name, path in found]), shared)


def _shared_key(content: Path) -> str:
    """The key of what every handbook, and the overview, is made from besides the profiles."""
    return records.shared_key([content, TEMPLATES, BASE_CONFIG, PACKAGE])


def find_profiles(folder: Path, skip: Path | None = None) -> list[tuple[str, Path]]:
    """(name, path) of every profile in folder and its subfolders, sorted; a name is the path without suffix.

    `advisees/2027/ana.yaml` is named `2027/ana` and builds into `OUT/2027/ana/`. Hidden files and
    folders, and `skip` (the output folder, when it is inside), are passed over. Two profiles that
    would build into one folder, or into each other's, are an error that names both.
    """
    skipped = skip.resolve() if skip is not None else None
    paths = sorted(
        p
        for p in folder.rglob("*")
        if p.suffix in SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(folder).parts)
        and (skipped is None or skipped not in p.resolve().parents)
    )
    if not paths:
        raise HandbookError(f"{folder}: no profiles here; a profile is a .yaml or .yml file")
    named: dict[str, Path] = {}
    for path in paths:
        name = path.relative_to(folder).with_suffix("").as_posix()
        if name in named:
            raise HandbookError(f"{named[name]} and {path} would both build into {name}/; rename one")
        named[name] = path
    for name, path in named.items():
        for parent in PurePosixPath(name).parents:
            if str(parent) in named:
                raise HandbookError(
                    f"{named[str(parent)]} builds into {parent}/, where {path} builds too (into {name}/); "
                    "rename the profile or the folder"
                )
    return list(named.items())


def _leaves(folder: Path, path: Path) -> bool:
    """A profile reached through a symbolic link (to it, or to a folder on its way) that leads out of folder."""
    try:
        return not path.resolve(strict=True).is_relative_to(folder.resolve(strict=True))
    except (OSError, RuntimeError):
        return True


def _plan(
    mine: list[tuple[str, Path]], out: Path, options: Options, shared: str
) -> tuple[list[Task], list[tuple[str, records.Record]]]:
    today, real_today = options.today.isoformat() if options.today else None, dt.date.today().isoformat()
    tasks, fresh = [], []
    for name, path in mine:
        try:
            key = records.inputs_key(shared, records.profile_bytes(path), options.public, today, options.engine)
        except OSError:
            key = "unreadable"
        old = records.read(out, name) or records.Record(path.name)
        if old.is_fresh(key, real_today) and (out / name / "index.html").is_file():
            fresh.append((name, old))
        else:
            tasks.append(Task(name, path, out, options.today, options.public, records.Record(path.name, key), options.engine))
    return tasks, fresh


def _record(out: Path, outcome: Outcome, report: Report, progress: Progress) -> None:
    name = outcome.name
    if outcome.error is None:
        records.write(out, name, outcome.record)
        report.built.append(name)
    else:
        old = records.read(out, name) or records.Record(outcome.record.profile)
        records.write(out, name, old.failed(outcome.error))
        report.failed[name] = outcome.error
    if outcome.peak_kb is not None:
        report.peak_worker_kb = max(report.peak_worker_kb or 0, outcome.peak_kb)
    progress.done("failed" if outcome.error else "built", name, outcome.error)


def _print_failures(report: Report, out: Path, stderr: TextIO) -> None:
    for name, error in sorted(report.failed.items()):
        kept = "its previous handbook is unchanged" if _built(out / name) else "no handbook was written"
        details = "\n".join(f"  {line}" for line in error.splitlines())
        stderr.write(printable(f"error: {name} could not be built; {kept}:\n{details}") + "\n")


def _linked(out: Path, name: str) -> str | None:
    """A folder on the way to OUT/2027/ana that is a symbolic link: the handbook would land outside OUT."""
    for parent in reversed(PurePosixPath(name).parents[:-1]):
        if (out / parent).is_symlink():
            return f"cannot write into {out / parent}: it is a symbolic link; the handbooks stay inside {out}"
    return None


def _built(folder: Path) -> bool:
    return (folder / staging.MARKER).is_file() and (folder / "index.html").is_file()


def _closing(report: Report, shard: Shard | None, page: Path | None, profiles: int) -> str:
    if shard is None:
        return f"{report.summary()}; overview: {page}"
    return (
        f"shard {shard.index}/{shard.count} ({report.total} of {profiles} profiles): {report.summary()}; "
        "no overview for a shard (merge the shards' folders, then run build-all with --overview-only)"
    )
