"""The few git commands `init --github` and `deploy` need, run as the `git` program."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from generator.errors import HandbookError


class GitError(HandbookError):
    """A git command failed, or git is missing; the message says which and why."""


def installed() -> bool:
    return shutil.which("git") is not None


def run(
    args: Sequence[str],
    repository: Path | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    options: Sequence[str] = (),
) -> str:
    """`git [--git-dir REPOSITORY] [OPTIONS] ARGS`: its output without the final newline, or git's own words."""
    if not installed():
        raise GitError("git is not installed (or not on PATH); install it and try again")
    where = ["--git-dir", str(repository)] if repository is not None else []
    result = subprocess.run(
        ["git", *where, *options, *args],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        said = " ".join(result.stderr.split()) or f"exit status {result.returncode}"
        raise GitError(f"git {args[0]} failed: {said}")
    return result.stdout.rstrip("\n")


def git_dir(folder: Path) -> Path | None:
    """The .git folder of the repository that holds folder, or None outside any repository."""
    try:
        return Path(run(["rev-parse", "--absolute-git-dir"], cwd=folder))
    except GitError as exc:
        if "not a git repository" not in str(exc):
            raise  # git is missing, or refuses the folder (for example its owner): say so as it is
        return None


def ref(repository: Path, name: str) -> str | None:
    """The commit a ref points at, or None when it does not exist."""
    try:
        return run(["rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], repository)
    except GitError:
        return None


def remotes(repository: Path) -> list[str]:
    return run(["remote"], repository).split()


def start(folder: Path, branch: str) -> bool:
    """`git init` on branch, unless git is missing or folder is already in a repository. True if started."""
    if not installed() or git_dir(folder) is not None:
        return False
    run(["init", "--quiet"], cwd=folder)
    run(["symbolic-ref", "HEAD", f"refs/heads/{branch}"], cwd=folder)
    return True
