"""The engines that build a generated project: MkDocs (the default), ProperDocs and Zensical.

All three read the same generated `mkdocs.yml` as it is. MkDocs runs in this process (its
theme cache makes batches fast); ProperDocs and Zensical run as `python -m ENGINE build`,
as a user would run them, so that their logging and imports never mix with ours.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from generator.errors import BuildError, HandbookError

DEFAULT = "mkdocs"


@dataclass(frozen=True)
class Engine:
    """One engine: its command name, the module that must be importable and the extra that installs it."""

    name: str
    label: str
    module: str
    extra: str | None

    def installed(self) -> bool:
        import importlib.util

        return importlib.util.find_spec(self.module) is not None

    def require(self) -> Engine:
        """This engine, or a one-line error saying what to install."""
        if not self.installed():
            what = f"pip install 'residency-handbook[{self.extra}]'" if self.extra else "pip install 'mkdocs>=1.6,<2'"
            raise HandbookError(f"the {self.label} engine is not installed; install it with: {what}")
        return self


ENGINES = {
    "mkdocs": Engine("mkdocs", "MkDocs", "mkdocs", None),
    "properdocs": Engine("properdocs", "ProperDocs", "properdocs", "properdocs"),
    "zensical": Engine("zensical", "Zensical", "zensical", "zensical"),
}
NAMES = tuple(ENGINES)


def get(name: str) -> Engine:
    """The installed engine of this name (a one-line error when it is not installed)."""
    return ENGINES[name].require()


def build(name: str, project: Path, site_dir: Path, epoch: int, files: dict[str, bytes] | None = None) -> None:
    """Build the generated project (strict) into site_dir with the named engine.

    files: the project's files, written into project first (MkDocs, in this process, reads the
    pages from memory: see site.build_site); None when the project is written already.
    """
    engine = get(name)
    if engine.name == "mkdocs":
        from generator.site import build_site

        build_site(project, site_dir, epoch, files)
        return
    if files is not None:
        from generator.site import write_files

        write_files(project, files)
    if engine.name == "properdocs":
        _run(engine, project, ["build", "-f", "mkdocs.yml", "-d", str(site_dir), "--strict"], epoch)
    else:
        # Zensical has no --site-dir: it builds into the project's site_dir ("site"), which is moved.
        _run(engine, project, ["build", "-f", "mkdocs.yml", "--strict"], epoch)
        _move_contents(project / "site", site_dir)


def _run(engine: Engine, project: Path, arguments: list[str], epoch: int) -> None:
    import subprocess

    env = {**os.environ, "SOURCE_DATE_EPOCH": str(epoch), "NO_COLOR": "1", "PYTHONWARNINGS": "ignore"}
    try:
        done = subprocess.run(
            [sys.executable, "-m", engine.module, *arguments], cwd=project, env=env, capture_output=True, text=True, check=False
        )
    except OSError as exc:
        raise BuildError(f"{engine.label} could not be started: {exc.strerror}") from None
    if done.returncode != 0:
        details = "\n".join(f"  {line}" for line in problems(done.stdout + "\n" + done.stderr))
        raise BuildError(f"{engine.label} could not build the handbook:\n{details}")


_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LOGGED = re.compile(r"^(?:WARNING|ERROR)\s+-\s+(.*)$")
_ZENSICAL = re.compile(r"^(?:Warning|Error):\s*(.*)$")
_WHERE = re.compile(r"\[\s*(\S+:\d+:\d+)\s*\]")


def problems(output: str) -> list[str]:
    """The warnings and errors of an engine's output, one line each, with the file position when given."""
    lines = [_ANSI.sub("", line).strip() for line in output.splitlines()]
    found: list[str] = []
    for index, line in enumerate(lines):
        logged, zensical = _LOGGED.match(line), _ZENSICAL.match(line)
        if logged:
            found.append(logged[1])
        elif zensical:
            where = next((m[1] for m in map(_WHERE.search, lines[index + 1 : index + 3]) if m), None)
            found.append(f"{where}: {zensical[1]}" if where else zensical[1])
    if found:
        return found
    last = [line for line in lines if line and not line.startswith(("Traceback", "File ", "^"))]
    return last[-1:] or ["the engine stopped without saying why"]


def _move_contents(source: Path, target: Path) -> None:
    if not source.is_dir():
        raise BuildError("Zensical finished but wrote no site")
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for child in sorted(source.iterdir()):
        shutil.move(str(child), str(target / child.name))


def serve(name: str, project: Path, dev_addr: str) -> None:
    """Serve the generated project with the engine's own live-reloading server (until interrupted).

    ProperDocs makes every later `import mkdocs` load itself instead, so it (and Zensical, alike)
    serves from its own process, as `python -m ENGINE serve` run by hand would.
    """
    engine = get(name)
    if engine.name == "mkdocs":
        from mkdocs.commands.serve import serve as mkdocs_serve

        mkdocs_serve(config_file=str(project / "mkdocs.yml"), dev_addr=dev_addr, livereload=True)
        return
    import subprocess

    command = [sys.executable, "-m", engine.module, "serve", "-f", "mkdocs.yml", "-a", dev_addr]
    try:
        subprocess.run(command, cwd=project, check=False)
    except OSError as exc:
        raise BuildError(f"{engine.label} could not be started: {exc.strerror}") from None
