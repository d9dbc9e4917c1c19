"""Side doors of issue 11: what reaches a terminal, a record, the overview or gh-pages besides the site itself."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from generator.cli import cli
from generator.errors import printable
from tests.conftest import MINIMAL

ESC = "\x1b[2J"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_printable_shows_control_and_bidi_characters_as_escapes() -> None:
    assert printable("a\x1b[31mb\x00c\x7f\x9b\u202ed\u2066e\u2028f\tg\nh") == (
        "a\\x1b[31mb\\x00c\\x7f\\x9b\\u202ed\\u2066e\\u2028f\tg\nh"
    )


def test_a_file_name_with_control_characters_is_printed_escaped_in_errors(tmp_path: Path) -> None:
    path = tmp_path / f"evil{ESC}.yaml"
    path.write_text("")
    code, out, err = run("check", str(path))
    assert (code, out) == (2, "")
    assert err == (
        f"error: {tmp_path}/evil\\x1b[2J.yaml:1: found an empty file; a profile is a mapping of keys such as "
        "profile_version, applicant, goal\n"
    )
    assert "\x1b" not in err


def test_a_file_name_with_control_characters_is_printed_escaped_in_findings(tmp_path: Path) -> None:
    path = tmp_path / f"a\u202eb{ESC}.yaml"
    path.write_text(MINIMAL)
    code, out, _ = run("check", str(path), "--today", "2026-11-23")
    assert code == 0 and out
    assert "\x1b" not in out and "\u202e" not in out
    assert all(line.startswith(f"{tmp_path}/a\\u202eb\\x1b[2J.yaml: ") for line in out.splitlines()[:-1])


def test_click_usage_errors_escape_the_value_too(tmp_path: Path) -> None:
    folder = tmp_path / f"dir{ESC}"
    folder.mkdir()
    code, _, err = run("check", str(folder))
    assert code == 2 and "\x1b" not in err
    assert f"'{tmp_path}/dir\\x1b[2J' is a directory" in err
