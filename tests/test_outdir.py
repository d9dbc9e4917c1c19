"""Output folders: what is refused before any work, the lock, the swap, and recovery after a kill."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import outdir, paths, site, staging
from generator.cli import cli
from tests.conftest import MINIMAL, PROFILES, ROOT

LATE = PROFILES / "us-late-applying.yaml"
NEW = "choose a new or empty folder, such as site"
FOREIGN = (
    "the folder holds files that handbook did not make; choose a new or empty folder, "
    "or move those files away (a site built by an older version: delete it once)"
)


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def refused(result: Result, message: str) -> None:
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"error: {message}\n")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A user's folder holding a profile and notes, as the current folder (HOME is elsewhere)."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "profile.yaml").write_text(MINIMAL)
    (folder / "notes.txt").write_text("mine")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_the_folder_of_the_profile_is_refused_and_untouched(home: Path) -> None:
    for command in ("build", "generate"):
        refused(run(command, "profile.yaml", "-o", "."), f"cannot write into .: it is the folder that holds profile.yaml; {NEW}")
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt", "profile.yaml"]


@pytest.mark.parametrize(
    ("output", "reason"),
    [
        (".", "the current folder"),
        ("..", "a parent of the current folder"),
        ("/", "the root of the file system"),
    ],
)
def test_the_current_folder_its_parents_and_the_root_are_refused(
    output: str, reason: str, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inner = home / "inner"
    inner.mkdir()
    monkeypatch.chdir(inner)
    refused(run("build", str(LATE), "-o", output), f"cannot write into {output}: it is {reason}; {NEW}")


def test_an_empty_path_is_not_the_current_folder(home: Path) -> None:
    refused(
        run("build", "profile.yaml", "-o", ""),
        "the output folder is an empty path (an unset variable?); choose a new or empty folder, such as site",
    )


def test_the_home_folder_is_refused(tmp_path: Path, home: Path) -> None:
    out = str(tmp_path / "home")
    refused(run("build", "profile.yaml", "-o", out), f"cannot write into {out}: it is your home folder; {NEW}")


def test_a_git_repository_and_its_git_folder_are_refused(home: Path) -> None:
    (home / "repo" / ".git").mkdir(parents=True)
    refused(run("build", "profile.yaml", "-o", "repo"), f"cannot write into repo: it is a git repository; {NEW}")
    out = "repo/.git/site"
    refused(
        run("generate", "profile.yaml", "-o", out),
        f"cannot write into {out}: it is part of a git repository's .git folder; {NEW}",
    )


@pytest.mark.parametrize(
    ("folder", "what"),
    [
        (paths.CONTENT, "part of the handbook tool itself (its content folder)"),
        (paths.PACKAGE / "new", "part of the handbook tool itself (its source folder)"),
        (paths.TEMPLATES, "part of the handbook tool itself (its site templates folder)"),
        (paths.EXAMPLES, "part of the handbook tool itself (its example profiles folder)"),
    ],
)
def test_the_tools_own_folders_are_refused(folder: Path, what: str, home: Path) -> None:
    refused(run("build", "profile.yaml", "-o", str(folder)), f"cannot write into {folder}: it is {what}; {NEW}")


def test_a_folder_of_user_files_is_refused_and_untouched(home: Path) -> None:
    (home / "Documents").mkdir()
    (home / "Documents" / "cv.pdf").write_text("cv")
    refused(run("build", "profile.yaml", "-o", "Documents"), f"cannot write into Documents: {FOREIGN}")
    assert (home / "Documents" / "cv.pdf").read_text() == "cv"


def test_a_symlink_is_refused_and_its_target_untouched(home: Path) -> None:
    (home / "Documents").mkdir()
    (home / "link").symlink_to(home / "Documents")
    refused(
        run("build", "profile.yaml", "-o", "link"),
        "cannot write into link: it is a symbolic link; give the folder it points to, or a new folder",
    )
    assert list((home / "Documents").iterdir()) == []


def test_a_file_is_refused(home: Path) -> None:
    refused(
        run("build", "profile.yaml", "-o", "notes.txt"),
        "cannot write into notes.txt: it is a file, not a folder; choose a new or empty folder",
    )


def test_our_own_output_is_replaced_with_the_users_umask(home: Path) -> None:
    saved = os.umask(0o022)
    staging.umask.cache_clear()
    try:
        assert run("generate", "profile.yaml", "-o", "project").exit_code == 0
        (home / "project" / "docs" / "stale.md").write_text("gone after the next run")
        result = run("generate", "profile.yaml", "-o", "project")
    finally:
        os.umask(saved)
        staging.umask.cache_clear()
    assert result.exit_code == 0, result.stderr
    project = home / "project"
    assert (project / staging.MARKER).read_text() == staging.MARKER_TEXT
    assert not (project / "docs" / "stale.md").exists()
    assert (project.stat().st_mode & 0o777, (project / "mkdocs.yml").stat().st_mode & 0o777) == (0o755, 0o644)
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt", "profile.yaml", "project"]  # no leftovers, no lock


def test_an_empty_folder_is_taken(home: Path) -> None:
    (home / "empty").mkdir()
    assert run("generate", "profile.yaml", "-o", "empty").exit_code == 0
    assert (home / "empty" / "mkdocs.yml").is_file()


def test_a_second_writer_is_refused_while_the_first_holds_the_lock(home: Path) -> None:
    with staging.locked(home / "site", "site"):
        refused(
            run("generate", "profile.yaml", "-o", "site"),
            "another handbook command is writing into site right now; wait for it to finish, then run again",
        )
    assert not (home / ".site.lock").exists()


def test_a_lock_held_by_another_process_is_seen(home: Path) -> None:
    lock = home / ".site.lock"
    hold = "import fcntl,sys,time; f=open(sys.argv[1],'w'); fcntl.flock(f, fcntl.LOCK_EX); print(1, flush=True); time.sleep(60)"
    with subprocess.Popen([sys.executable, "-c", hold, str(lock)], stdout=subprocess.PIPE) as holder:
        try:
            assert holder.stdout is not None and holder.stdout.readline() == b"1\n"
            result = run("generate", "profile.yaml", "-o", "site")
        finally:
            holder.kill()
    refused(result, "another handbook command is writing into site right now; wait for it to finish, then run again")
    assert lock.exists()  # the holder's lock file is left alone


KILL_BETWEEN_RENAMES = """
import os, sys
import generator.staging as staging
renames = []
real = staging._rename
def rename(source, destination):
    renames.append(source)
    if len(renames) == 2:
        os._exit(9)  # killed after the old site moved away, before the new one moved in
    real(source, destination)
staging._rename = rename
from generator.cli import main
sys.argv = ["handbook", "build", sys.argv[1], "-o", sys.argv[2], "--today", "2026-11-23"]
main()
"""


def test_a_build_killed_between_its_two_renames_leaves_a_complete_site_at_the_next_run(home: Path) -> None:
    assert run("build", str(LATE), "-o", "site", "--today", "2026-11-23").exit_code == 0
    killed = subprocess.run(
        [sys.executable, "-c", KILL_BETWEEN_RENAMES, str(LATE), "site"], cwd=home, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert killed.returncode == 9
    assert not (home / "site").exists()  # the kill came between the renames
    assert sorted(p.name.split("-")[0] for p in home.iterdir() if p.name.startswith(".site.")) == [
        ".site.building",
        ".site.lock",
        ".site.old",
    ]
    (home / "profile.yaml").write_text("profile_version: 1\n")  # the next run fails, yet recovers the site first
    result = run("build", "profile.yaml", "-o", "site")
    assert result.exit_code == 2
    assert (home / "site" / "index.html").is_file() and (home / "site" / "search" / "search_index.js").is_file()
    assert (home / "site" / staging.MARKER).is_file()
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt", "profile.yaml", "site"]


def test_recover_puts_the_old_site_back_when_no_new_one_was_complete(tmp_path: Path) -> None:
    out = tmp_path / "site"
    (tmp_path / ".site.old-abc").mkdir()
    (tmp_path / ".site.old-abc" / "index.html").write_text("old")
    (tmp_path / ".site.building-def").mkdir()  # half written: no marker
    staging.recover(out)
    assert (out / "index.html").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_a_mount_point_is_replaced_in_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mount = tmp_path / "mnt"
    (mount / "lost+found").mkdir(parents=True)
    real_ismount = os.path.ismount
    monkeypatch.setattr(os.path, "ismount", lambda path: Path(path) == mount or real_ismount(path))
    for files in ({"a.html": "one", "old.html": "x"}, {"a.html": "two"}):
        with outdir.replacing(mount) as stage:
            assert stage.path.parent == mount
            for name, text in files.items():
                (stage.path / name).write_text(text)
    assert sorted(p.name for p in mount.iterdir()) == [staging.MARKER, "a.html", "lost+found"]
    assert (mount / "a.html").read_text() == "two"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (errno.ENOSPC, "the disk is full; free some space and run again; the previous output is unchanged"),
        (errno.EROFS, "the file system is read-only; choose a folder you can write to; the previous output is unchanged"),
        (errno.EACCES, "permission denied; choose a folder you can write to; the previous output is unchanged"),
    ],
)
def test_disk_problems_are_one_line(code: int, message: str, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(root: Path, files: dict[str, bytes]) -> None:
        raise OSError(code, os.strerror(code), str(root / "docs" / "index.md"))

    monkeypatch.setattr(site, "write_files", fail)
    refused(run("generate", "profile.yaml", "-o", "project"), f"cannot write the output project: {message}")
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt", "profile.yaml"]


def test_an_unwritable_parent_is_one_line(home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object, **kwargs: object) -> str:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("generator.staging.tempfile.mkdtemp", fail)
    refused(
        run("build", "profile.yaml", "-o", "site"),
        "cannot write the output site: permission denied; choose a folder you can write to; the previous output is unchanged",
    )


SLOW_BUILD = """
import sys, time
from pathlib import Path
import generator.site as site
def slow(project, site_dir, epoch, files=None):
    (Path(site_dir) / "index.html").write_text("half")
    print("building", flush=True)
    time.sleep(60)
site.build_site = slow
from generator.cli import main
sys.argv = ["handbook", "build", sys.argv[1], "-o", "site", "--today", "2026-11-23"]
main()
"""


def test_sigterm_during_a_build_keeps_the_old_site_and_leaves_nothing(home: Path) -> None:
    assert run("build", str(LATE), "-o", "site", "--today", "2026-11-23").exit_code == 0
    before = sorted(p.relative_to(home).as_posix() for p in (home / "site").rglob("*"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", SLOW_BUILD, str(LATE)]
    with subprocess.Popen(command, cwd=home, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as build:
        assert build.stdout is not None and build.stdout.readline() == b"building\n"
        build.terminate()
        _, stderr = build.communicate(timeout=30)
    assert (build.returncode, stderr) == (143, b"\nerror: stopped (SIGTERM); the previous output is unchanged\n")
    assert sorted(p.relative_to(home).as_posix() for p in (home / "site").rglob("*")) == before
    assert sorted(p.name for p in home.iterdir()) == ["notes.txt", "profile.yaml", "site"]
