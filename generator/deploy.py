"""`handbook deploy`: build the public handbook and publish it on gh-pages, the way `mkdocs gh-deploy` does.

The site is committed with git plumbing (a temporary index, write-tree, commit-tree,
update-ref), so the working tree, the index and the checked-out branch of the
profile's repository are never touched. Then the branch is pushed.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

from generator import gitrepo
from generator.build import Handbook, build
from generator.gitrepo import GitError
from generator.profile import load_profile

BRANCH = "gh-pages"


@dataclass(frozen=True)
class Deployed:
    handbook: Handbook
    commit: str
    changed: bool
    """False when the site is byte-identical to the last one on gh-pages (nothing new was committed)."""


def deploy(profile_path: Path, remote: str = "origin", today: dt.date | None = None) -> Deployed:
    """Build PROFILE with --public, commit the site to gh-pages (with .nojekyll) and push it to remote."""
    load_profile(profile_path)  # a missing or broken profile is reported before anything about git
    repository = _repository(profile_path)
    _check_remote(repository, remote)
    with tempfile.TemporaryDirectory(prefix="handbook-deploy-") as tmp:
        site_dir = Path(tmp) / "site"
        handbook = build(profile_path, site_dir, today, public=True)
        (site_dir / ".nojekyll").write_bytes(b"")  # serve the files as they are, without Jekyll
        as_of = handbook.checked.assessment.as_of.isoformat()
        commit, changed = commit_site(repository, site_dir, remote, f"Publish the public handbook (advice as of {as_of})")
    _push(repository, remote)
    return Deployed(handbook, commit, changed)


def commit_site(repository: Path, site_dir: Path, remote: str, message: str) -> tuple[str, bool]:
    """Commit every file of site_dir as the whole tree of gh-pages, on top of its last commit."""
    local = gitrepo.ref(repository, f"refs/heads/{BRANCH}")
    parent = local or gitrepo.ref(repository, f"refs/remotes/{remote}/{BRANCH}")
    tree = _tree(repository, site_dir)
    if parent is not None and gitrepo.run(["rev-parse", f"{parent}^{{tree}}"], repository) == tree:
        commit, changed = parent, False
    else:
        parents = ["-p", parent] if parent else []
        commit, changed = gitrepo.run(["commit-tree", tree, *parents, "-m", message], repository), True
    gitrepo.run(["update-ref", f"refs/heads/{BRANCH}", commit, local or ""], repository)
    return commit, changed


def _tree(repository: Path, site_dir: Path) -> str:
    """The tree object of site_dir, staged in a throw-away index (line endings kept as built)."""
    with tempfile.TemporaryDirectory(prefix="handbook-index-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        options = ["-c", "core.autocrlf=false", "-c", "core.safecrlf=false", "--work-tree", str(site_dir)]
        gitrepo.run(["add", "--all", "--force", "."], repository, cwd=site_dir, env=env, options=options)
        return gitrepo.run(["write-tree"], repository, env=env)


def _push(repository: Path, remote: str) -> None:
    try:
        gitrepo.run(["push", "--quiet", remote, f"refs/heads/{BRANCH}:refs/heads/{BRANCH}"], repository)
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
