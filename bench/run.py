"""Benchmark: one handbook, a batch of 100, an unchanged batch, memory, check vs build.

Run from the repository root: `.venv/bin/python bench/run.py [--repeat 5] [--count 100]`.
Each figure is the median of --repeat runs of real `handbook` / `mkdocs` processes, and is
compared with its baseline in the same run. Prints the machine and a Markdown table for
bench/RESULTS.md. A benchmark, not a test: nothing fails when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import profiles as generated

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TODAY = "2026-11-23"
EXAMPLES = sorted((ROOT / "profiles").glob("*.yaml"))
STAGES = """
import datetime as dt, time
from pathlib import Path
start = time.perf_counter()
import click
from generator import build, paths
imported = time.perf_counter()
from generator.content import load_content
content = load_content(paths.CONTENT)
loaded = time.perf_counter()
build.prepare(Path(PROFILE), dt.date(2026, 11, 23), False, content)
prepared = time.perf_counter()
build.build(Path(PROFILE), Path(SITE), dt.date(2026, 11, 23), False, content)
built = time.perf_counter()
build.build(Path(PROFILE), Path(SITE), dt.date(2026, 11, 23), False, content)
again = time.perf_counter()
print(imported - start, loaded - imported, prepared - loaded, built - prepared, again - built)
"""
MEMORY = """
import resource, sys
from pathlib import Path
from generator import batch
quiet = open("/dev/null", "w")
report = batch.run(Path(sys.argv[1]), Path(sys.argv[2]), batch.Options(jobs=2), quiet, quiet)
usage = resource.getrusage
print(report.peak_worker_kb, usage(resource.RUSAGE_CHILDREN).ru_maxrss, usage(resource.RUSAGE_SELF).ru_maxrss)
"""


# As on a user's machine: Python keeps the compiled modules of the generator (some CI images turn this off).
ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def run(*args: str | Path) -> str:
    """Run a command as a user would; its standard output."""
    return subprocess.run([str(a) for a in args], cwd=ROOT, check=True, capture_output=True, text=True, env=ENV).stdout


def forget_compiled_templates() -> None:
    """Empty our part of Jinja's bytecode cache, as on the first run after an install."""
    for path in Path(tempfile.gettempdir()).glob(f"_jinja2-cache-{os.getuid()}/__handbook_*"):
        path.unlink()


Command = list[str | Path]
HANDBOOK = BIN / "handbook"


def median(repeat: int, commands: list[Command], prepare: Callable[[], None] | None = None, each: bool = False) -> float:
    """The median time of running all commands one after the other; prepare (before all, or
    before each command) is not timed."""
    times = []
    for _ in range(repeat):
        total = 0.0
        if prepare and not each:
            prepare()
        for command in commands:
            if prepare and each:
                prepare()
            start = time.perf_counter()
            run(*command)
            total += time.perf_counter() - start
        times.append(total)
    return statistics.median(times)


def one_handbook(work: Path, repeat: int) -> dict[str, float]:
    """Figures 1 and 5, over every example profile (one process per handbook, as a user runs it)."""
    for path in EXAMPLES:
        run(HANDBOOK, "generate", path, "-o", work / "projects" / path.stem, "--today", TODAY)
    build: list[Command] = [[HANDBOOK, "build", p, "-o", work / "site" / p.stem, "--today", TODAY] for p in EXAMPLES]
    plain: list[Command] = [[BIN / "mkdocs", "build", "-q", "-f", work / "projects" / p.stem / "mkdocs.yml"] for p in EXAMPLES]
    check: list[Command] = [[HANDBOOK, "check", p, "--today", TODAY] for p in EXAMPLES]

    def clean() -> None:
        shutil.rmtree(work / "site", ignore_errors=True)

    def cold() -> None:
        clean()
        forget_compiled_templates()

    figures = {"cold": median(repeat, build, cold, each=True), "build": median(repeat, build, clean)}
    return figures | {"mkdocs": median(repeat, plain), "check": median(repeat, check)}


def batches(work: Path, folder: Path, repeat: int) -> dict[str, float]:
    """Figures 2 and 3: build-all --jobs 2 from scratch and unchanged, against a loop of builds."""
    out = work / "batch"

    def fresh() -> None:
        shutil.rmtree(out, ignore_errors=True)

    build_all: list[Command] = [[HANDBOOK, "build-all", folder, "-o", out, "--jobs", "2", "--today", TODAY]]
    full = median(repeat, build_all, fresh)
    again = median(repeat, build_all)
    count = len(list(folder.glob("*.yaml")))
    summary = run(*build_all[0])
    assert summary.startswith(f"built 0, skipped {count}, failed 0"), f"not all skipped (inputs changed meanwhile?): {summary}"
    paths = sorted(folder.glob("*.yaml"))
    loop = median(repeat, [[HANDBOOK, "build", p, "-o", work / "loop" / p.stem, "--today", TODAY] for p in paths])
    return {"full": full, "again": again, "loop": loop}


def memory(work: Path, folder: Path) -> dict[str, int]:
    """Figure 4: each worker's peak resident memory (VmHWM), in a fresh process."""
    out = work / "memory"
    result = subprocess.run(
        [sys.executable, "-c", MEMORY, str(folder), str(out)], cwd=ROOT, check=True, capture_output=True, text=True, env=ENV
    )
    worker, children, main = (int(x) for x in result.stdout.split())
    return {"worker": worker, "children": children, "main": main}


def stages(work: Path, repeat: int) -> str:
    """Where the time of one handbook goes, measured inside one process (median of repeat)."""
    code = STAGES.replace("PROFILE", repr(str(EXAMPLES[0]))).replace("SITE", repr(str(work / "stages")))
    runs = [[float(x) for x in run(sys.executable, "-c", code).split()] for _ in range(repeat)]
    names = [
        "imports (click, generator)",
        "load content/",
        "profile, assessment, plan, pages",
        "a build (MkDocs)",
        "the next build, same process",
    ]
    figures = [statistics.median(column) for column in zip(*runs, strict=True)]
    rows = "\n".join(f"| {name} | {value:.3f} s |" for name, value in zip(names, figures, strict=True))
    return f"Inside one process, `{EXAMPLES[0].name}`:\n\n| stage | median |\n| --- | ---: |\n{rows}"


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in _lines("/proc/cpuinfo") if line.startswith("model name")), "?")
    ram = next((int(line.split()[1]) // 1024 for line in _lines("/proc/meminfo") if line.startswith("MemTotal")), 0)
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("mkdocs", "mkdocs-material", "jinja2"))
    return (
        f"{cpu}; {len(os.sched_getaffinity(0))} cores usable; {ram} MB RAM; {platform.platform()}; "
        f"Python {platform.python_version()}; {versions}; load average {os.getloadavg()[0]:.2f}"
    )


def _lines(path: str) -> list[str]:
    try:
        return Path(path).read_text().splitlines()
    except OSError:
        return []


def table(one: dict[str, float], many: dict[str, float], mem: dict[str, int], count: int) -> str:
    n = len(EXAMPLES)
    rows = [
        (f"1. {n} examples, one `handbook build` each", one["build"], f"`mkdocs build` of the projects: {one['mkdocs']:.2f} s",
         one["build"] / one["mkdocs"], 1.15),
        ("1b. the same, each with no compiled templates kept (as right after an install)", one["cold"],
         f"`mkdocs build`: {one['mkdocs']:.2f} s", one["cold"] / one["mkdocs"], 1.15),
        (f"2. {count} profiles, `build-all --jobs 2`", many["full"], f"loop of {count} `handbook build`: {many['loop']:.2f} s",
         many["full"] / many["loop"], 0.5),
        ("3. `build-all` again, nothing changed", many["again"], f"the full batch: {many['full']:.2f} s",
         many["again"] / many["full"], 0.03),
        (f"5. {n} examples, one `handbook check` each", one["check"], f"`handbook build` of them: {one['build']:.2f} s",
         one["check"] / one["build"], 0.25),
    ]  # fmt: skip
    lines = ["| figure | ours (median) | compared with | ratio | target | met |", "| --- | ---: | --- | ---: | ---: | --- |"]
    for name, ours, other, ratio, target in rows:
        lines.append(f"| {name} | {ours:.2f} s | {other} | {ratio:.3f}x | {target}x | {'yes' if ratio <= target else 'no'} |")
    worker = mem["worker"] / 1024
    lines.insert(6, f"| 4. peak memory per worker | {worker:.0f} MB | (main process {mem['main'] / 1024:.0f} MB) | | 300 MB | "
                 f"{'yes' if worker < 300 else 'no'} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure (the median is shown)")
    parser.add_argument("--count", type=int, default=100, help="generated profiles in the batch")
    args = parser.parse_args()
    print(f"Machine: {machine()}\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as temp:
        work = Path(temp)
        folder = work / "profiles"
        generated.write(folder, args.count)
        one = one_handbook(work, args.repeat)
        many = batches(work, folder, args.repeat)
        failed = [p.stem for p in (work / "batch" / ".handbook").glob("*.json") if json.loads(p.read_text())["error"]]
        assert not failed, f"these generated profiles failed: {failed}"
        mem = memory(work, folder)
        breakdown = stages(work, args.repeat)
    print(f"Median of {args.repeat} runs each; {args.count} generated profiles.\n")
    print(table(one, many, mem, args.count))
    print(f"\n{breakdown}\n\nLoad average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
