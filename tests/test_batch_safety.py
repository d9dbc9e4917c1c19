"""`build-all` touches only what it made; a dead worker fails only its own handbook; SIGTERM ends the workers."""

from __future__ import annotations

import io
import os
import shutil
import signal
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator import batch, records, staging, workers
from generator.build import CONTENT
from generator.workers import Outcome, Task
from tests.conftest import PROFILES

TODAY = "2026-11-23"


def build_all(*args: str) -> Result:
    from generator.cli import cli

    return CliRunner().invoke(cli, ["build-all", *args, "--today", TODAY, "--jobs", "2"])


def advisees(folder: Path, *names: str) -> Path:
    folder.mkdir()
    for name in names:
        shutil.copy(PROFILES / "us-late-applying.yaml", folder / f"{name}.yaml")
    return folder


def test_an_output_folder_of_user_files_is_refused(tmp_path: Path) -> None:
    folder = advisees(tmp_path / "advisees", "priya")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.html").write_text("my own page")
    result = build_all(str(folder), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: cannot write into {tmp_path / 'out'}: the folder holds files that handbook did not make; "
        "choose a new or empty folder, or move those files away (a site built by an older version: delete it once)\n"
    )
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["index.html"]


def test_the_profiles_folder_is_refused(tmp_path: Path) -> None:
    folder = advisees(tmp_path / "advisees", "priya")
    result = build_all(str(folder), "-o", str(folder))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: cannot write into {folder}: it is the folder of the profiles; choose a new or empty folder, such as site\n"
    )


def test_a_user_folder_in_the_way_fails_only_its_profile_and_the_overviews_name_is_refused(tmp_path: Path) -> None:
    folder = advisees(tmp_path / "advisees", "priya", "carl", "index.html", ".handbook")
    out = tmp_path / "out"
    out.mkdir()
    staging.mark(out)
    (out / "carl").mkdir()
    (out / "carl" / "passport.pdf").write_text("scan")
    result = build_all(str(folder), "-o", str(out))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert errors == [
        f"  cannot write into {out / 'carl'}: the folder holds files that handbook did not make; "
        "choose a new or empty folder, or move those files away (a site built by an older version: delete it once)",
        "  its folder index.html/ would take the place of the overview page index.html; rename the profile or its folder",
    ]
    assert (out / "carl" / "passport.pdf").read_text() == "scan" and sorted(os.listdir(out / "carl")) == ["passport.pdf"]
    assert (out / "index.html").is_file() and (out / "priya" / staging.MARKER).is_file()
    assert sorted(p.name for p in (out / ".handbook").iterdir()) == ["carl.json", "priya.json"]  # a hidden profile is passed over
    assert result.stdout.startswith("built 1, skipped 0, failed 2 in ")
    again = build_all(str(folder), "-o", str(out))
    assert again.exit_code == 1 and again.stdout.startswith("built 0, skipped 1, failed 2 in ")


def test_links_in_the_output_are_never_followed(tmp_path: Path) -> None:
    folder = advisees(tmp_path / "advisees", "priya")
    (folder / "2027").mkdir()
    shutil.copy(folder / "priya.yaml", folder / "2027" / "ana.yaml")
    out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    elsewhere.mkdir()
    out.mkdir()
    staging.mark(out)
    (out / "2027").symlink_to(elsewhere)
    (out / "priya").symlink_to(elsewhere)
    result = build_all(str(folder), "-o", str(out))
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("  ")] == [
        f"  cannot write into {out / '2027'}: it is a symbolic link; the handbooks stay inside {out}",
        f"  cannot write into {out / 'priya'}: it is a symbolic link; give the folder it points to, or a new folder",
    ]
    assert list(elsewhere.iterdir()) == []
    shutil.rmtree(out / ".handbook")
    (out / ".handbook").symlink_to(elsewhere)
    result = build_all(str(folder), "-o", str(out))
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {out / '.handbook'} is a symbolic link; the records stay inside {out}: remove the link\n",
    )


def test_a_hand_written_overview_is_never_replaced(tmp_path: Path) -> None:
    folder = advisees(tmp_path / "advisees", "priya")
    out = tmp_path / "out"
    out.mkdir()
    staging.mark(out)
    (out / "index.html").write_text("<p>my notes</p>")
    result = build_all(str(folder), "-o", str(out))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"error: {out / 'index.html'} was not made by handbook, so it is not replaced by the overview; move it away\n"
    )
    assert (out / "index.html").read_text() == "<p>my notes</p>" and not (out / "priya").exists()


def _tasks(tmp_path: Path, *names: str) -> list[Task]:
    return [Task(name, tmp_path / f"{name}.yaml", tmp_path, None, False, records.Record(f"{name}.yaml")) for name in names]


def test_a_killed_worker_fails_only_its_own_handbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def build_one(task: Task) -> Outcome:
        if task.name == "b":
            os.kill(os.getpid(), signal.SIGKILL)
        time.sleep(0.3)
        return Outcome(task.name, task.record)

    monkeypatch.setattr(workers, "build_one", build_one)
    done = {o.name: o.error for o in workers.outcomes(_tasks(tmp_path, "a", "b", "c", "d"), 2, CONTENT)}
    assert done == {
        "a": None,
        "b": "the worker process building it stopped (killed by SIGKILL); run again to retry",
        "c": None,
        "d": None,
    }


def test_sigterm_ends_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()

    def build_one(task: Task) -> Outcome:
        (pids / str(os.getpid())).touch()
        time.sleep(60)
        return Outcome(task.name, task.record)

    monkeypatch.setattr(workers, "build_one", build_one)
    folder = advisees(tmp_path / "advisees", "a", "b", "c")

    def stop_when_both_workers_build() -> None:
        deadline = time.monotonic() + 30
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGTERM)

    timer = threading.Thread(target=stop_when_both_workers_build)
    timer.start()
    stderr = io.StringIO()
    started = time.monotonic()
    with pytest.raises(SystemExit) as stopped:
        batch.run(folder, tmp_path / "out", batch.Options(jobs=2), io.StringIO(), stderr)
    timer.join()
    assert stopped.value.code == 143 and time.monotonic() - started < 40
    assert stderr.getvalue().endswith("error: build-all was stopped (SIGTERM); the handbooks finished so far are kept\n")
    workers_seen = [int(p.name) for p in pids.iterdir()]
    assert len(workers_seen) == 2
    for pid in workers_seen:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [staging.MARKER]
