"""Problems of the machine or of a call are one line and exit 2; a bug is one line and exit 3."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from generator.cli import cli
from tests.conftest import MINIMAL


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def one_line(result: Result, code: int, message: str) -> None:
    assert (result.exit_code, result.stdout, result.stderr) == (code, "", f"error: {message}\n")


def test_a_profile_that_is_a_pipe_is_refused_without_waiting(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    os.mkfifo(path)
    one_line(run("check", str(path)), 2, f"{path}: this is a pipe, not a profile file; give the path of a .yaml file")


def test_a_profile_that_is_a_device_is_refused() -> None:
    message = "/dev/zero: this is a device or special file, not a profile file; give the path of a .yaml file"
    one_line(run("build", "/dev/zero", "-o", "unused"), 2, message)


def test_a_profile_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    message = f"{tmp_path}: this is a folder, not a profile file; give the path of a .yaml file"
    one_line(run("build", str(tmp_path), "-o", str(tmp_path / "site")), 2, message)  # (check reads a folder's profiles)


def test_a_huge_profile_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    with path.open("wb") as stream:
        stream.truncate(2 * 1024 * 1024)
    one_line(run("check", str(path)), 2, f"{path}: the file is 2,097,152 bytes; at most 262,144 bytes are allowed")


@pytest.mark.parametrize("day", ["1969-12-31", "9000-01-01"])
def test_an_advice_date_out_of_range_is_located(day: str, tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(MINIMAL.replace("as_of: 2026-11-23", f"as_of: {day}"))
    message = f"{path}:2: as_of: found the date {day}; expected a date from 1970-01-01 to 8999-12-31"
    one_line(run("check", str(path)), 2, message)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_today_out_of_range_is_one_line(day: str, tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(MINIMAL)
    message = f"--today: found {day}; expected a date from 1970-01-01 to 8999-12-31"
    one_line(run("build", str(path), "-o", str(tmp_path / "site"), "--today", day), 2, message)
    assert not (tmp_path / "site").exists()


def test_a_bug_is_exit_3_without_its_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the AAMC ID 16660999 was here")

    monkeypatch.setattr("generator.checked.check", broken)
    path = tmp_path / "profile.yaml"
    path.write_text(MINIMAL)
    one_line(run("check", str(path)), 3, "internal error (RuntimeError), please report it; rerun with --debug for details")
    with pytest.raises(RuntimeError):
        CliRunner().invoke(cli, ["--debug", "check", str(path)], catch_exceptions=False)


def test_ctrl_c_is_exit_130_not_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("generator.checked.check", interrupted)
    path = tmp_path / "profile.yaml"
    path.write_text(MINIMAL)
    result = run("check", str(path))
    assert (result.exit_code, result.stderr) == (130, "\nerror: interrupted; the previous output is unchanged\n")
