"""The worker processes of a batch: each builds handbooks with content loaded once.

MkDocs is not thread-safe, so handbooks are built in processes. On Linux they are forked
after the content is loaded, so imports and content are paid once, not once per handbook;
elsewhere each worker loads the content when it starts. The pipeline is imported only when
there is something to build, so a batch that skips everything starts fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import importlib
import os
import re
import signal
import sys
import traceback
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from generator import overview, records
from generator.errors import HandbookError

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from generator.content import Content

# The content every build of this process uses: set before the pool forks, or by _load_content.
_WORKER: dict[str, Content] = {}
_STARTED: dict[str, Any] = {}  # the shared array where a worker notes which task it started
_PR_SET_PDEATHSIG = 1


@dataclass(frozen=True)
class Task:
    """One handbook to build: into out/name/, with the record to write when it succeeds."""

    name: str
    profile: Path
    out: Path
    today: dt.date | None
    public: bool
    record: records.Record
    engine: str = "mkdocs"


@dataclass(frozen=True)
class Outcome:
    """What a build gave: the record to write, or the error to report (and the worker's peak memory)."""

    name: str
    record: records.Record
    error: str | None = None
    peak_kb: int | None = None


def outcomes(tasks: list[Task], jobs: int | None, content: Path) -> Iterator[Outcome]:
    """Build every task in jobs processes (default: one per core), yielding each outcome as it is done.

    A worker that dies (killed, out of memory) fails only the handbook it was building: the
    others that the broken pool dropped are built again in a fresh pool.
    """
    if not tasks:
        return
    _load_content(content)
    jobs = min(jobs or _cores(), len(tasks))
    if jobs > 1 and sys.platform == "linux" and any(task.engine == "mkdocs" for task in tasks):
        _preload()
    # What the batch keeps to its end (modules, content) is left out of the garbage collector's
    # scans: about half of its work in a build (some 3% of the build), and forked workers
    # leave those memory pages shared with the main process. Scanned again afterwards, for a
    # caller that lives on (the tests).
    gc.freeze()
    try:
        if jobs == 1:
            yield from map(build_one, tasks)
            return
        tries: dict[str, int] = {}
        while tasks:
            tasks = yield from _round(tasks, jobs, content, tries)
    finally:
        gc.unfreeze()


def _round(tasks: list[Task], jobs: int, content: Path, tries: dict[str, int]) -> Generator[Outcome, None, list[Task]]:
    """One pool: yields what it built; returns the tasks to build again because the pool broke under them."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    started = _context().RawArray("i", len(tasks))  # the pid of the worker that started task i
    _STARTED["array"] = started
    dropped: list[int] = []
    with _pool(jobs, content, started) as pool:
        futures = {pool.submit(_build_nth, i, task): i for i, task in enumerate(tasks)}
        processes = list(getattr(pool, "_processes", {}).values())  # to learn how a dead worker ended
        try:
            for future in as_completed(futures):
                if isinstance(future.exception(), BrokenProcessPool):
                    dropped.append(futures[future])
                else:
                    yield _result(future.result, tasks[futures[future]])
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                process.terminate()
            for process in processes:
                process.join(5)
            raise
    ended = {process.pid: process.exitcode for process in processes}
    again = []
    for i in sorted(dropped):
        task, pid = tasks[i], started[i]
        code = ended.get(pid) if pid else None
        tries[task.name] = tries.get(task.name, 0) + (1 if pid else 0)
        if pid and (code not in (None, -signal.SIGTERM) or tries[task.name] > 1):
            yield Outcome(task.name, task.record, f"the worker process building it stopped ({_ending(code)}); run again to retry")
        else:
            again.append(task)
    return again


def _ending(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
    return f"exit status {code}" if code is not None else "it was stopped"


def _build_nth(index: int, task: Task) -> Outcome:
    _STARTED["array"][index] = os.getpid()
    return build_one(task)


def _context() -> Any:
    import multiprocessing  # only when there is something to build: a batch with nothing to do starts faster

    return multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")


def _pool(jobs: int, content: Path, started: Any) -> Executor:
    """Forked workers on Linux inherit the imports and the loaded content: paid once."""
    from concurrent.futures import ProcessPoolExecutor

    load = None if sys.platform == "linux" else content
    return ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_start_worker, initargs=(load, started))


def _start_worker(content: Path | None, started: Any) -> None:
    """In a new worker: default signals, die with the parent (Linux), content loaded once."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _STARTED["array"] = started
    if sys.platform == "linux":
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if content is not None:
        _load_content(content)


def _preload() -> None:
    """Before the fork: import the pipeline, MkDocs and the Markdown extensions of the base
    configuration once, rather than in every worker's first build."""
    from generator import build, ics, site, themecache  # noqa: F401

    importlib.import_module("mkdocs.commands.build")
    markdown: Any = importlib.import_module("markdown")  # untyped

    extensions: list[str] = []
    settings: dict[str, Any] = {}
    for entry in site.mkdocs_config("", [], {}).get("markdown_extensions", []):
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        extensions.append(name)
        if options:
            settings[name] = options
    with contextlib.suppress(Exception):  # only a head start: the build itself reports any problem
        markdown.Markdown(extensions=extensions, extension_configs=settings)
    _keep_theme_list()


class _KeptThemes:
    """mkdocs.utils.get_themes, looked up once per batch: MkDocs clears its cache at every build to find
    a theme installed meanwhile, and each lookup reads every installed package's entry points."""

    def __init__(self, lookup: Any) -> None:
        self.lookup, self.found = lookup, None

    def __call__(self) -> Any:
        if self.found is None:
            self.found = self.lookup()
        return self.found

    def cache_clear(self) -> None:
        """Kept: no theme is installed by the batch while it runs."""


def _keep_theme_list() -> None:
    utils: Any = importlib.import_module("mkdocs.utils")
    if hasattr(utils.get_themes, "cache_clear") and not isinstance(utils.get_themes, _KeptThemes):
        utils.get_themes = _KeptThemes(utils.get_themes)


def _load_content(root: Path) -> None:
    from generator.content import load_content

    _WORKER["content"] = load_content(root)


def build_one(task: Task) -> Outcome:
    """In a worker: build one handbook; every error is caught and reported, never raised."""
    from generator import build as pipeline

    try:
        handbook = pipeline.build(task.profile, task.out / task.name, task.today, task.public, _WORKER["content"], task.engine)
    except HandbookError as exc:
        from generator.privacy import redacted

        return Outcome(task.name, task.record, redacted(exc, task.profile), _peak_kb())
    except Exception as exc:
        return Outcome(task.name, task.record, _bug(exc, task.profile), _peak_kb())
    as_of = handbook.checked.assessment.as_of
    by_clock = task.today is None and handbook.checked.loaded.profile.as_of is None
    record = records.Record(
        task.record.profile, task.record.inputs, as_of.isoformat() if by_clock else None, overview.summary(handbook)
    )
    return Outcome(task.name, record, None, _peak_kb())


def _bug(exc: Exception, profile: Path) -> str:
    """A bug, reported without its message: the message of an unexpected error may quote a private value,
    and this text goes into the record and the overview. Where it happened is enough to start."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" in {Path(frames[-1].filename).name}, line {frames[-1].lineno}" if frames else ""
    return (
        f"unexpected error ({type(exc).__name__}{where}); this is a bug: please report it, with what "
        f"`handbook --debug build {profile}` prints"
    )


def _result(get: Callable[[], Outcome], task: Task) -> Outcome:
    try:
        return get()
    except Exception as exc:
        return Outcome(task.name, task.record, f"the worker process stopped while building it ({type(exc).__name__}: {exc})")


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def _peak_kb() -> int | None:
    """This process's peak resident memory (Linux), for the benchmark's per-worker figure."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(match[1]) if match else None
