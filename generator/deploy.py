"""`handbook deploy`: build the public handbook and publish it on gh-pages, the way `mkdocs gh-deploy` does.

The site is committed with git plumbing (a temporary index, write-tree, commit-tree,
update-ref), so the working tree, the index and the checked-out branch of the
profile's repository are never touched. Then the branch is pushed.

gh-pages only ever holds our own commits: each is marked with a trailer, and a
gh-pages that holds any other commit (the source branch's history with the profile
in it, or a site made by another tool) is replaced by a new history of one commit,
after a warning, keeping its CNAME file. Deploy refuses to run while gh-pages is
checked out: its working tree would then be the published branch.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator import gitrepo
from generator.build import Handbook, build
from generator.gitrepo import GitError
from generator.profile import load_profile

BRANCH = "gh-pages"
TRAILER = "Published-by: handbook deploy"
"""Marks every commit deploy makes, so a gh-pages that holds anything else is recognised."""
LEGACY = "Publish the public handbook (advice as of "
"""The subject of commits made before the trailer existed (always on a history of their own)."""


@dataclass(frozen=True)
class Deployed:
    handbook: Handbook
    commit: str
    changed: bool
    """False when the site is byte-identical to the last one on gh-pages (nothing new was committed)."""


def deploy(
    profile_path: Path, remote: str = "origin", today: dt.date | None = None, warn: Callable[[str], None] = print
) -> Deployed:
    """Build PROFILE with --public, commit the site to gh-pages (with .nojekyll) and push it to remote."""
    load_profile(profile_path)  # a missing or broken profile is reported before anything about git
    repository = _repository(profile_path)
    _check_remote(repository, remote)
    _check_not_checked_out(repository)
    _fetch(repository, remote)
    with tempfile.TemporaryDirectory(prefix="handbook-deploy-") as tmp:  # a public build: nothing private in it
        site_dir = Path(tmp) / "site"
        handbook = build(profile_path, site_dir, today, public=True)
        (site_dir / ".nojekyll").write_bytes(b"")  # serve the files as they are, without Jekyll
        as_of = handbook.checked.assessment.as_of.isoformat()
        message = f"{LEGACY}{as_of})\n\n{TRAILER}"
        commit, changed, replaced = commit_site(repository, site_dir, remote, message, warn)
    _push(repository, remote, force=replaced)
    return Deployed(handbook, commit, changed)


def commit_site(
    repository: Path, site_dir: Path, remote: str, message: str, warn: Callable[[str], None] = print
) -> tuple[str, bool, bool]:
    """Commit every file of site_dir as the whole tree of gh-pages, on top of its last commit when that is ours.

    Returns the commit, whether it is new, and whether a gh-pages deploy did not make was replaced."""
    local = gitrepo.ref(repository, f"refs/heads/{BRANCH}")
    tracked = gitrepo.ref(repository, f"refs/remotes/{remote}/{BRANCH}")
    _keep_cname(repository, [tip for tip in (tracked, local) if tip], site_dir)
    foreign = [tip for tip in dict.fromkeys([local, tracked]) if tip and not _ours(repository, tip)]
    if foreign:
        warn(
            f"the {BRANCH} branch holds commits that handbook deploy did not make; replacing it with the public "
            "handbook alone (its CNAME file, if any, is kept)"
        )
        parent = None
    elif local and (tracked is None or _is_ancestor(repository, tracked, local)):
        parent = local
    else:
        parent = tracked
    tree = _tree(repository, site_dir)
    if parent is not None and gitrepo.run(["rev-parse", f"{parent}^{{tree}}"], repository) == tree:
        commit, changed = parent, False
    else:
        parents = ["-p", parent] if parent else []
        commit, changed = gitrepo.run(["commit-tree", tree, *parents, "-m", message], repository), True
    gitrepo.run(["update-ref", f"refs/heads/{BRANCH}", commit, local or ""], repository)
    return commit, changed, bool(foreign)


def _ours(repository: Path, tip: str) -> bool:
    """Every commit reachable from tip was made by deploy (carries the trailer, or the old subject), or only
    sets the CNAME file on top of one (as GitHub does when a custom domain is set in the repository's settings)."""
    marked = ["--fixed-strings", "--invert-grep", f"--grep={TRAILER}", f"--grep={LEGACY}"]
    others = gitrepo.run(["rev-list", *marked, tip], repository).split()
    return all(_only_cname(repository, commit) for commit in others)


def _only_cname(repository: Path, commit: str) -> bool:
    parents = gitrepo.run(["rev-list", "--parents", "-n", "1", commit], repository).split()[1:]
    if len(parents) != 1:
        return False
    return gitrepo.run(["diff-tree", "--no-commit-id", "--name-only", "-r", parents[0], commit], repository) == "CNAME"


def _is_ancestor(repository: Path, older: str, newer: str) -> bool:
    try:
        gitrepo.run(["merge-base", "--is-ancestor", older, newer], repository)
    except GitError:
        return False
    return True


def _keep_cname(repository: Path, tips: list[str], site_dir: Path) -> None:
    """The custom domain of the published site (a CNAME file GitHub's settings may have committed) stays."""
    if (site_dir / "CNAME").exists():
        return
    for tip in tips:
        if _has_file(repository, tip, "CNAME"):
            (site_dir / "CNAME").write_text(gitrepo.run(["show", f"{tip}:CNAME"], repository) + "\n", encoding="utf-8")
            return


def _has_file(repository: Path, tip: str, name: str) -> bool:
    try:
        return gitrepo.run(["cat-file", "-t", f"{tip}:{name}"], repository) == "blob"
    except GitError:
        return False


def _check_not_checked_out(repository: Path) -> None:
    """gh-pages checked out here or in another worktree: updating it would leave that working tree behind."""
    worktrees = gitrepo.run(["worktree", "list", "--porcelain"], repository)
    if f"branch refs/heads/{BRANCH}" in worktrees.splitlines():
        raise GitError(
            f"cannot deploy: the {BRANCH} branch is checked out; deploy writes the site to {BRANCH} itself and would "
            "publish what that checkout holds: switch to your own branch first (e.g. `git switch main`), then deploy again"
        )


def _fetch(repository: Path, remote: str) -> None:
    """The remote's gh-pages as it is now, when it can be read (deploy builds on it, or replaces it)."""
    with contextlib.suppress(GitError):  # no gh-pages there yet, or the remote cannot be reached: the push says so
        gitrepo.run(["fetch", "--quiet", remote, f"+refs/heads/{BRANCH}:refs/remotes/{remote}/{BRANCH}"], repository)


def _tree(repository: Path, site_dir: Path) -> str:
    """The tree object of site_dir, staged in a throw-away index (line endings kept as built)."""
    with tempfile.TemporaryDirectory(prefix="handbook-index-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        options = ["-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "--work-tree", str(site_dir)]
        gitrepo.run(["add", "--all", "--force", "."], repository, cwd=site_dir, env=env, options=options)
        return gitrepo.run(["write-tree"], repository, env=env)


def _push(repository: Path, remote: str, force: bool = False) -> None:
    refspec = f"{'+' if force else ''}refs/heads/{BRANCH}:refs/heads/{BRANCH}"
    try:
        gitrepo.run(["push", "--quiet", remote, refspec], repository)
    except GitError as exc:
        raise GitError(
            f"{str(exc).rstrip('.')}; the site is committed on the local {BRANCH} branch: fix the problem, then deploy again "
            f"or run `git push {remote} {BRANCH}`"
        ) from None


def _repository(profile_path: Path) -> Path:
    folder = profile_path.parent.resolve()
    repository = gitrepo.git_dir(folder)
    if repository is None:
        raise GitError(
            f"cannot deploy: {folder} is not in a git repository; "
            "deploy publishes to the gh-pages branch of the repository that holds the profile "
            "(start one with `git init`, or with `handbook init --github`)"
        )
    return repository


def _check_remote(repository: Path, remote: str) -> None:
    known = gitrepo.remotes(repository)
    if remote not in known:
        others = f" or choose one of its remotes with --remote: {', '.join(known)}" if known else ""
        add = f"add one with `git remote add {remote} URL`"
        raise GitError(f"cannot deploy: the git repository has no remote named '{remote}'; {add}{others}")
