"""`handbook deploy`: the public site on gh-pages of a local bare repository, the working tree untouched."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from tests.conftest import PROFILES

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(*args: str | Path, text: bool = True) -> str:
    return subprocess.run(["git", *map(str, args)], capture_output=True, text=text, check=True).stdout


@pytest.fixture(autouse=True)
def _identity(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A known author, and none of the machine's git settings."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "Test Applicant")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "applicant@example.org")


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    git("init", "--quiet", "--bare", tmp_path / "remote.git")
    git("--git-dir", tmp_path / "remote.git", "symbolic-ref", "HEAD", "refs/heads/main")
    return tmp_path / "remote.git"


def clone(bare: Path, folder: Path) -> Path:
    git("clone", "--quiet", bare, folder)
    return folder


@pytest.fixture
def work(bare: Path, tmp_path: Path) -> Path:
    """A clone of the bare repository with the J-1 example profile committed on main."""
    work = clone(bare, tmp_path / "work")
    git("-C", work, "checkout", "--quiet", "-b", "main")
    shutil.copy(PROFILES / "j1-letters-in-progress.yaml", work / "profile.yaml")
    git("-C", work, "add", "profile.yaml")
    git("-C", work, "commit", "--quiet", "-m", "My profile")
    git("-C", work, "push", "--quiet", "origin", "main")
    return work


def deploy(profile: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["deploy", str(profile), "--today", "2026-11-23", *args])


def published(bare: Path) -> list[str]:
    return git("--git-dir", bare, "ls-tree", "-r", "--name-only", "gh-pages").split()


def test_deploy_puts_the_public_site_on_gh_pages(bare: Path, work: Path) -> None:
    result = deploy(work / "profile.yaml")
    assert result.exit_code == 0, result.output
    commit = git("--git-dir", bare, "rev-parse", "gh-pages").strip()
    assert re.fullmatch(rf"Published \d+ pages to the gh-pages branch of origin \(commit {commit[:7]}\)\.\n", result.stdout)
    files = published(bare)
    assert {"index.html", ".nojekyll", "letters.html", "search/search_index.js", "sitemap.xml"} <= set(files)
    assert "profile.yaml" not in files and "plan.json" not in files
    letters = git("--git-dir", bare, "show", "gh-pages:letters.html")
    assert "15550123" not in letters and "priya.n@example.org" not in letters
    assert (
        git("--git-dir", bare, "log", "--format=%s", "gh-pages").strip()
        == "Publish the public handbook (advice as of 2026-11-23)"
    )


def state(work: Path) -> tuple[str, ...]:
    """What deploy must leave alone: the status of files and index, the branch, its commit."""
    return tuple(git("-C", work, *args) for args in (["status", "--porcelain"], ["symbolic-ref", "HEAD"], ["rev-parse", "HEAD"]))


def test_the_working_tree_index_and_branch_are_untouched(bare: Path, work: Path) -> None:
    (work / "notes.txt").write_text("untracked\n")
    (work / "profile.yaml").write_text((work / "profile.yaml").read_text().replace("Priya", "Priya R."))
    git("-C", work, "add", "profile.yaml")
    before = state(work)
    assert deploy(work / "profile.yaml").exit_code == 0
    assert state(work) == before
    assert git("--git-dir", bare, "rev-parse", "main") == git("-C", work, "rev-parse", "HEAD")


def test_each_deploy_adds_a_commit_only_when_the_site_changed(bare: Path, work: Path) -> None:
    deploy(work / "profile.yaml")
    again = deploy(work / "profile.yaml")
    assert again.exit_code == 0 and "(no change since commit " in again.stdout
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages").strip() == "1"
    assert deploy(work / "profile.yaml", "--today", "2026-12-01").exit_code == 0
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages").strip() == "2"


def test_a_fresh_clone_deploys_on_top_of_the_published_branch(bare: Path, work: Path, tmp_path: Path) -> None:
    deploy(work / "profile.yaml")
    other = clone(bare, tmp_path / "other")
    result = deploy(other / "profile.yaml", "--today", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages").strip() == "2"


def test_files_are_published_byte_for_byte(bare: Path, work: Path) -> None:
    git("-C", work, "config", "core.autocrlf", "true")
    deploy(work / "profile.yaml")
    calendars = [name for name in published(bare) if name.endswith(".ics")]
    assert calendars, "the site has a calendar file with CRLF line ends"
    assert b"\r\n" in subprocess.run(["git", "--git-dir", bare, "show", f"gh-pages:{calendars[0]}"], capture_output=True).stdout


def test_outside_a_git_repository(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    profile = tmp_path / "site" / "profile.yaml"
    shutil.copy(PROFILES / "j1-letters-in-progress.yaml", profile)
    result = deploy(profile)
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: cannot deploy: {tmp_path / 'site'} is not in a git repository; deploy publishes to the gh-pages branch "
        "of the repository that holds the profile (start one with `git init`, or with `handbook init --github`)\n",
    )


def test_an_unknown_remote(bare: Path, work: Path) -> None:
    result = deploy(work / "profile.yaml", "--remote", "upstream")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: cannot deploy: the git repository has no remote named 'upstream'; add one with "
        "`git remote add upstream URL` or choose one of its remotes with --remote: origin\n",
    )
    assert "gh-pages" not in git("--git-dir", bare, "branch", "--list")


def test_a_repository_without_remotes(tmp_path: Path) -> None:
    git("init", "--quiet", tmp_path / "solo")
    shutil.copy(PROFILES / "j1-letters-in-progress.yaml", tmp_path / "solo" / "profile.yaml")
    result = deploy(tmp_path / "solo" / "profile.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: cannot deploy: the git repository has no remote named 'origin'; add one with `git remote add origin URL`\n",
    )


def test_a_failed_push_says_what_git_said(bare: Path, work: Path, tmp_path: Path) -> None:
    shutil.rmtree(bare)
    result = deploy(work / "profile.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: git push failed: fatal: ") and "remote.git" in result.stderr
    assert result.stderr.endswith(
        "; the site is committed on the local gh-pages branch: fix the problem, then deploy again "
        "or run `git push origin gh-pages`\n"
    )
    assert git("-C", work, "rev-parse", "--verify", "--quiet", "gh-pages")


def test_a_missing_profile_is_reported_first(tmp_path: Path) -> None:
    result = deploy(tmp_path / "nowhere" / "profile.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {tmp_path / 'nowhere' / 'profile.yaml'}: cannot read the file (No such file or directory)\n",
    )


def test_deploy_refuses_to_run_with_gh_pages_checked_out(bare: Path, work: Path) -> None:
    git("-C", work, "checkout", "--quiet", "-b", "gh-pages")
    before = git("-C", work, "rev-parse", "HEAD")
    result = deploy(work / "profile.yaml")
    assert (result.exit_code, result.stderr) == (
        2,
        "error: cannot deploy: the gh-pages branch is checked out; deploy writes the site to gh-pages itself and would "
        "publish what that checkout holds: switch to your own branch first (e.g. `git switch main`), then deploy again\n",
    )
    assert git("-C", work, "rev-parse", "HEAD") == before
    assert "gh-pages" not in git("--git-dir", bare, "branch", "--list")


def test_a_gh_pages_made_from_the_source_branch_is_replaced_not_continued(bare: Path, work: Path) -> None:
    """The user's own commits (with profile.yaml) on gh-pages are never published: a new history of one commit."""
    git("-C", work, "branch", "gh-pages")
    git("-C", work, "push", "--quiet", "origin", "gh-pages")
    result = deploy(work / "profile.yaml")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "warning: the gh-pages branch holds commits that handbook deploy did not make; replacing it with the public "
        "handbook alone (its CNAME file, if any, is kept)\n"
    )
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages").strip() == "1"
    assert git("--git-dir", bare, "log", "--format=%P", "gh-pages").strip() == ""
    assert "profile.yaml" not in published(bare)
    assert git("--git-dir", bare, "log", "-1", "--format=%(trailers:key=Published-by,valueonly)", "gh-pages").strip() == (
        "handbook deploy"
    )
    again = deploy(work / "profile.yaml", "--today", "2026-12-01")
    assert (again.exit_code, again.stderr) == (0, "")
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages").strip() == "2"


def test_a_site_made_by_another_tool_is_replaced_after_a_warning_keeping_its_cname(
    bare: Path, work: Path, tmp_path: Path
) -> None:
    other = clone(bare, tmp_path / "other")
    git("-C", other, "checkout", "--quiet", "--orphan", "gh-pages")
    git("-C", other, "rm", "-r", "--quiet", "--cached", ".")
    (other / "CNAME").write_text("handbook.example.org\n")
    (other / "index.html").write_text("<p>old site</p>\n")
    git("-C", other, "add", "CNAME", "index.html")
    git("-C", other, "commit", "--quiet", "-m", "Deployed 1a2b3c4 with MkDocs version: 1.6.1")
    git("-C", other, "push", "--quiet", "origin", "gh-pages")
    result = deploy(work / "profile.yaml")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("warning: the gh-pages branch holds commits that handbook deploy did not make")
    assert git("--git-dir", bare, "show", "gh-pages:CNAME") == "handbook.example.org\n"
    assert "old site" not in git("--git-dir", bare, "show", "gh-pages:index.html")
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages").strip() == "1"


def test_a_cname_that_github_committed_on_top_of_our_site_is_kept_without_a_warning(
    bare: Path, work: Path, tmp_path: Path
) -> None:
    assert deploy(work / "profile.yaml").exit_code == 0
    other = clone(bare, tmp_path / "other")
    git("-C", other, "checkout", "--quiet", "gh-pages")
    (other / "CNAME").write_text("handbook.example.org")
    git("-C", other, "add", "CNAME")
    git("-C", other, "commit", "--quiet", "-m", "Create CNAME")
    git("-C", other, "push", "--quiet", "origin", "gh-pages")
    result = deploy(work / "profile.yaml", "--today", "2026-12-01")
    assert (result.exit_code, result.stderr) == (0, "")
    assert git("--git-dir", bare, "show", "gh-pages:CNAME") == "handbook.example.org\n"
    assert git("--git-dir", bare, "rev-list", "--count", "gh-pages").strip() == "3"
