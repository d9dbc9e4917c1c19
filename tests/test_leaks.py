"""Side doors of issue 11: what reaches a terminal, a record, the overview or gh-pages besides the site itself."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
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
    code, _, err = run("check", "--format", f"x{ESC}")
    assert code == 2 and "\x1b" not in err
    assert "'x\\x1b[2J' is not one of 'text', 'json'" in err


def test_a_folder_given_as_the_profile_is_named_escaped(tmp_path: Path) -> None:
    folder = tmp_path / f"dir{ESC}"
    folder.mkdir()
    code, _, err = run("build", str(folder), "-o", str(tmp_path / "site"))
    assert (code, err) == (
        2,
        f"error: {tmp_path}/dir\\x1b[2J: this is a folder, not a profile file; give the path of a .yaml file\n",
    )


def build_all(folder: Path, out: Path, *args: str) -> tuple[int, str, str]:
    return run("build-all", str(folder), "-o", str(out), "--jobs", "1", "--today", "2026-11-23", *args)


def every_file(folder: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(folder.rglob("*")) if p.is_file())


def test_build_all_never_writes_a_private_value_into_a_record_the_overview_or_the_log(tmp_path: Path) -> None:
    folder = tmp_path / "advisees"
    folder.mkdir()
    (folder / "priya.yaml").write_text(MINIMAL.replace("  school: Test School\n", "  school: Test School\n  aamc_id: 16660999\n"))
    code, out, err = build_all(folder, tmp_path / "out", "--public")
    assert code == 1
    problem = f'{folder / "priya.yaml"}:6: applicant.aamc_id: found a number; write it in quotes, e.g. "01234567"'
    assert err.splitlines() == [
        f"failed priya: {problem}",
        "error: priya could not be built; no handbook was written:",
        f"  {problem}",
    ]
    assert "16660999" not in out + err
    assert "16660999" not in every_file(tmp_path / "out")
    assert "applicant.aamc_id: found a number; write it in quotes" in (tmp_path / "out" / "index.html").read_text()


def test_build_all_refuses_a_profile_linked_from_outside_the_folder_without_reading_it(tmp_path: Path) -> None:
    folder = tmp_path / "advisees"
    folder.mkdir()
    (folder / "maria.yaml").write_text(MINIMAL)
    secret = tmp_path / "home" / ".git-credentials"
    secret.parent.mkdir()
    secret.write_text("https://priya:ghp_SECRET_TOKEN@github.com\n")
    (folder / "x.yaml").symlink_to(secret)
    (folder / "alias.yaml").symlink_to(folder / "maria.yaml")  # a link that stays inside is an ordinary profile
    code, out, err = build_all(folder, tmp_path / "out")
    assert code == 1 and out.startswith("built 2, skipped 0, failed 1 in ")
    refused = (
        f"{folder / 'x.yaml'} is a symbolic link to a file outside {folder}; build-all reads only the profiles in the "
        "folder: copy the profile in instead of linking to it"
    )
    assert err.splitlines()[0] == f"failed x: {refused}"
    assert "SECRET" not in out + err and "SECRET" not in every_file(tmp_path / "out")
    assert refused in (tmp_path / "out" / "index.html").read_text()
    assert not (tmp_path / "out" / "x").exists()


@pytest.fixture(autouse=True)
def _git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """None of the machine's git settings."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


def _repository(folder: Path, workflow: str | None) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    subprocess.run(["git", "init", "--quiet", str(folder)], check=True)
    (folder / ".gitignore").write_text("*.private.yaml\n")
    if workflow is not None:
        (folder / ".github" / "workflows").mkdir(parents=True)
        (folder / ".github" / "workflows" / "handbook.yml").write_text(workflow)


PUBLISHING = "jobs:\n  build:\n    steps:\n      - run: handbook build profile.yaml -o site --public\n"
WITH_PRIVATE = MINIMAL.replace("  school: Test School\n", "  school: Test School\n  email: priya@example.org\n")
WITH_PRIVATE += "exams:\n  usmle_step2_ck: 248\n"


def test_check_warns_when_a_published_repository_holds_private_values(tmp_path: Path) -> None:
    _repository(tmp_path, PUBLISHING)
    (tmp_path / "profile.yaml").write_text(WITH_PRIVATE)
    code, out, err = run("check", str(tmp_path / "profile.yaml"), "--today", "2026-11-23")
    assert code == 0 and out
    assert err == (
        f"warning: {tmp_path / 'profile.yaml'} holds private values (applicant.email, exams) and its git repository has "
        "a workflow that publishes a site (.github/workflows/handbook.yml): the site leaves them out, but anyone who "
        "can see the repository can read this file. Keep the full profile in a file the repository ignores "
        "(e.g. profile.private.yaml) and these values out of the profile you push.\n"
    )
    assert "priya@example.org" not in out + err and "248" not in err


@pytest.mark.parametrize(
    ("workflow", "name", "text"),
    [
        (None, "profile.yaml", WITH_PRIVATE),  # no workflow: nothing is published from here
        ("jobs:\n  test:\n    steps:\n      - run: pytest\n", "profile.yaml", WITH_PRIVATE),  # a workflow that publishes nothing
        (PUBLISHING, "profile.private.yaml", WITH_PRIVATE),  # ignored by git: never pushed
        (PUBLISHING, "profile.yaml", MINIMAL),  # no private value
    ],
)
def test_check_does_not_warn_otherwise(tmp_path: Path, workflow: str | None, name: str, text: str) -> None:
    _repository(tmp_path, workflow)
    (tmp_path / name).write_text(text)
    code, out, err = run("check", str(tmp_path / name), "--today", "2026-11-23")
    assert (code, err) == (0, "") and out


def test_the_preview_works_in_a_private_folder_that_a_killed_preview_does_not_leave_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from generator import serve

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    dead = subprocess.Popen(["true"])  # a process id that no longer runs
    dead.wait()
    leftover = tmp_path / "cache" / "handbook" / f"serve-{dead.pid}-x1y2"
    leftover.mkdir(parents=True)
    (leftover / "letters.md").write_text("AAMC ID 16660999\n")
    mine = tmp_path / "cache" / "handbook" / f"serve-{os.getpid()}-a1b2"
    mine.mkdir()
    seen: dict[str, Any] = {}

    def fake_mkdocs_serve(config_file: str, **kwargs: Any) -> None:
        seen["config"] = Path(config_file)
        seen["mkdocs build folder"] = Path(tempfile.mkdtemp(prefix="mkdocs_"))
        seen["mode"] = Path(config_file).parent.parent.stat().st_mode & 0o777

    monkeypatch.setattr("mkdocs.commands.serve.serve", fake_mkdocs_serve)
    profile = tmp_path / "profile.yaml"
    profile.write_text(MINIMAL)
    serve.serve(profile, "127.0.0.1:8000", None, False)
    scratch = seen["config"].parent.parent
    assert scratch.parent == tmp_path / "cache" / "handbook" and seen["mode"] == 0o700
    assert seen["mkdocs build folder"].parent == scratch
    assert not scratch.exists() and not leftover.exists()
    assert mine.exists(), "a folder of a running preview is left alone"
    assert tempfile.tempdir is None or not tempfile.tempdir.startswith(str(tmp_path))


def _failing_build(monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.errors import BuildError

    def fail(*args: Any) -> None:
        raise BuildError("MkDocs could not build the handbook:\n  a link to mailto:Priya@Example.org in letters.md")

    monkeypatch.setattr("generator.site.build_site", fail)


def test_an_error_raised_after_the_profile_loaded_is_cleared_of_private_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_build(monkeypatch)
    (tmp_path / "profile.yaml").write_text(WITH_PRIVATE)
    code, _, err = run("build", str(tmp_path / "profile.yaml"), "-o", str(tmp_path / "site"), "--today", "2026-11-23")
    assert (code, err) == (
        2,
        "error: the input has problems:\nMkDocs could not build the handbook:\n"
        "  a link to mailto:[a private value] in letters.md\n",
    )


def test_a_batch_error_is_cleared_of_private_values_before_the_record_and_the_overview(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _failing_build(monkeypatch)
    folder = tmp_path / "advisees"
    folder.mkdir()
    (folder / "priya.yaml").write_text(WITH_PRIVATE)
    code, out, err = build_all(folder, tmp_path / "out")
    assert code == 1 and "failed priya: MkDocs could not build the handbook:" in err
    assert "a link to mailto:[a private value] in letters.md" in err
    assert "priya@example.org" not in (out + err + every_file(tmp_path / "out")).lower()
