"""Benchmark: one handbook against bare MkDocs, check, a cold start, batches of 10/50/200, bytes shipped.

Run from the repository root: `.venv/bin/python bench/run.py [--repeat 5] [--counts 10,50,200]`.
Each figure is the median of --repeat runs of real `handbook` / `mkdocs` processes, taken
interleaved with its baseline (ours, baseline, ours, baseline, ...) so that a change in the
machine's load hits both alike, and is printed next to that baseline from the same run, as
wall-clock time and as CPU time (user + system of the process and its children: steadier on
a shared machine). Prints the machine and Markdown tables for bench/RESULTS.md. A benchmark,
not a test: a missed target prints "no"; it fails only when something is wrong (a no-op
rebuild that builds anything, a generated profile that fails).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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
    """Run a command as a user would; its standard output (`handbook check` exits 1 when it reports an error)."""
    done = subprocess.run([str(a) for a in args], cwd=ROOT, check=False, capture_output=True, text=True, env=ENV)
    allowed = (0, 1) if len(args) > 1 and str(args[1]) == "check" else (0,)
    if done.returncode not in allowed:
        raise SystemExit(f"{' '.join(map(str, args))} exited with {done.returncode}:\n{done.stderr}")
    return done.stdout


def forget_compiled_templates() -> None:
    """Empty our part of the per-user cache (compiled templates, parsed content, theme listing), as right after an install."""
    for path in Path(ENV["TMPDIR"]).glob(f"_jinja2-cache-{os.getuid()}/__handbook_*"):
        path.unlink(missing_ok=True)


Command = list[str | Path]
HANDBOOK = BIN / "handbook"
MKDOCS = BIN / "mkdocs"


def timed(commands: list[Command], prepare: Callable[[], None] | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds of running the commands one after the other (prepare, before each, not timed)."""
    wall = cpu = 0.0
    for command in commands:
        if prepare:
            prepare()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        run(*command)
        wall += time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


Figure = dict[str, tuple[float, float]]  # name -> (median wall, median CPU)


def interleaved(repeat: int, runs: dict[str, Callable[[], tuple[float, float]]]) -> Figure:
    """Each run once per round, in turn, for repeat rounds; the median wall and CPU time of each."""
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(repeat):
        for name, one in runs.items():
            times[name].append(one())
    return {name: (statistics.median(t[0] for t in got), statistics.median(t[1] for t in got)) for name, got in times.items()}


def generate_projects(paths: list[Path], projects: Path) -> None:
    """The plain MkDocs project of each profile (what bare `mkdocs build` is timed on), in one process."""
    code = (
        "import sys, datetime as dt\nfrom pathlib import Path\nfrom generator.build import generate\n"
        "for p in sys.argv[2:]:\n    generate(Path(p), Path(sys.argv[1]) / Path(p).stem, dt.date(2026, 11, 23))\n"
    )
    subprocess.run([sys.executable, "-c", code, str(projects), *map(str, paths)], cwd=ROOT, check=True, env=ENV)


def one_handbook(work: Path, repeat: int) -> Figure:
    """One process per handbook, as a user runs it: build (warm and cold), bare mkdocs, check."""
    generate_projects(EXAMPLES, work / "projects")
    site = work / "site"

    def build(p: Path) -> Command:
        return [HANDBOOK, "build", p, "-o", site / p.stem, "--today", TODAY]

    def clean() -> None:
        shutil.rmtree(site, ignore_errors=True)

    def cold() -> None:
        clean()
        forget_compiled_templates()

    timed([build(p) for p in EXAMPLES])  # the caches are warm before the first warm round
    return interleaved(
        repeat,
        {
            "build": lambda: timed([build(p) for p in EXAMPLES], clean),
            "mkdocs": lambda: timed([[MKDOCS, "build", "-q", "-f", work / "projects" / p.stem / "mkdocs.yml"] for p in EXAMPLES]),
            "check": lambda: timed([[HANDBOOK, "check", p, "--today", TODAY] for p in EXAMPLES]),
            "cold": lambda: timed([build(p) for p in EXAMPLES], cold),
        },
    )


def batches(work: Path, counts: list[int], repeat: int) -> dict[int, Figure]:
    """build-all --jobs 2 of count generated profiles, from scratch and again unchanged, against a loop of bare mkdocs."""
    figures: dict[int, Figure] = {}
    for count in counts:
        folder = work / f"profiles-{count}"
        paths = generated.write(folder, count)
        generate_projects(paths, work / f"projects-{count}")
        out = work / f"batch-{count}"
        build_all: Command = [HANDBOOK, "build-all", folder, "-o", out, "--jobs", "2", "--today", TODAY]

        def fresh(out: Path = out) -> None:
            shutil.rmtree(out, ignore_errors=True)

        def again(count: int = count, build_all: Command = build_all) -> tuple[float, float]:
            result = timed([build_all])
            summary = run(*build_all)
            if not summary.startswith(f"built 0, skipped {count}, failed 0"):
                raise SystemExit(f"a no-op rebuild of {count} handbooks built something: {summary.strip()}")
            return result

        loop = [[MKDOCS, "build", "-q", "-f", work / f"projects-{count}" / p.stem / "mkdocs.yml"] for p in paths]
        figures[count] = interleaved(
            repeat,
            {
                "full": lambda build_all=build_all, fresh=fresh: timed([build_all], fresh),  # type: ignore[misc]
                "again": again,
                "mkdocs": lambda loop=loop: timed(loop),  # type: ignore[misc]
            },
        )
        failed = [p.stem for p in (out / ".handbook").glob("*.json") if json.loads(p.read_text())["error"]]
        if failed:
            raise SystemExit(f"these generated profiles failed: {failed}")
        figures[count]["bytes"] = _bytes(out, paths)
    return figures


def _bytes(out: Path, paths: list[Path]) -> tuple[float, float]:
    """The median and the largest handbook, in bytes (every file of OUT/NAME/)."""
    sizes = [sum(f.stat().st_size for f in (out / p.stem).rglob("*") if f.is_file()) for p in paths]
    return statistics.median(sizes), max(sizes)


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


Row = tuple[str, tuple[float, float], str, tuple[float, float], str]  # figure, ours, baseline name, baseline, target


def _row(name: str, ours: tuple[float, float], base_name: str, base: tuple[float, float], target: float, note: str = "") -> str:
    wall, cpu = ours[0] / base[0], ours[1] / base[1]
    return (
        f"| {name} | {ours[0]:.2f} s ({ours[1]:.2f} s CPU) | {base_name}: {base[0]:.2f} s ({base[1]:.2f} s CPU) | "
        f"{wall:.3f}x ({cpu:.3f}x) | {note or f'<= {target}x'} | {'yes' if wall <= target else 'no'} |"
    )


def table(one: Figure, many: dict[int, Figure], mem: dict[str, int]) -> str:
    n = len(EXAMPLES)
    lines = [
        "| figure | ours: wall (CPU) | baseline: wall (CPU) | ratio: wall (CPU) | target | met |",
        "| --- | ---: | --- | ---: | ---: | --- |",
        _row(f"1. {n} examples, one `handbook build` each", one["build"], "bare `mkdocs build` of them", one["mkdocs"], 1.0),
        _row("1b. the same, right after an install (no cache)", one["cold"], "the warm `handbook build`", one["build"], 1.25),
        _row(f"5. {n} examples, one `handbook check` each", one["check"], "`handbook build` of them", one["build"], 0.25),
    ]
    for count, fig in many.items():
        loop = f"a loop of {count} bare `mkdocs build`"
        lines.append(_row(f"2. {count} profiles, `build-all --jobs 2`", fig["full"], loop, fig["mkdocs"], 0.2))
        lines.append(_row(f"3. {count} again, nothing changed", fig["again"], "the full batch", fig["full"], 0.02))
    largest = max(count for count in many)
    full = many[largest]["full"][0]
    lines.append(f"| 2b. {largest} handbooks in under 20 s | {full:.2f} s | | | 20 s | {'yes' if full < 20 else 'no'} |")
    worker = mem["worker"] / 1024
    lines.append(
        f"| 4. peak memory per worker | {worker:.0f} MB | (main process {mem['main'] / 1024:.0f} MB) | | 300 MB | "
        f"{'yes' if worker < 300 else 'no'} |"
    )
    per = [f"{c}: {f['full'][0] / c * 1000:.0f} ms ({f['full'][1] / c * 1000:.0f} ms CPU)" for c, f in many.items()]
    sizes = [f"{c}: median {f['bytes'][0] / 1e6:.2f} MB, largest {f['bytes'][1] / 1e6:.2f} MB" for c, f in many.items()]
    return "\n".join(lines) + (
        "\n\nGrowth of `build-all`, time per handbook: " + "; ".join(per) + "."
        "\n\nBytes per handbook (target <= 1.2 MB): " + "; ".join(sizes) + "."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="rounds of the single-handbook figures (the median is shown)")
    parser.add_argument("--batch-repeat", type=int, default=3, help="rounds of each batch figure")
    parser.add_argument("--counts", default="10,50,200", help="sizes of the generated batches, comma-separated")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    print(f"Machine: {machine()}\n", flush=True)
    with tempfile.TemporaryDirectory(prefix="handbook-bench-") as temp:
        work = Path(temp)
        # A temp folder of the benchmark's own, so its per-user cache is not shared with other runs on the machine.
        (work / "tmp").mkdir()
        ENV["TMPDIR"] = str(work / "tmp")
        one = one_handbook(work, args.repeat)
        print("single handbooks done", flush=True)
        many = batches(work, counts, args.batch_repeat)
        mem = memory(work, work / f"profiles-{counts[-1]}")
        breakdown = stages(work, args.repeat)
    print(f"Median of {args.repeat} rounds (batches: {args.batch_repeat}); batches of {args.counts} generated profiles.\n")
    print(table(one, many, mem))
    print(f"\n{breakdown}\n\nLoad average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
