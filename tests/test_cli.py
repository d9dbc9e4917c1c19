from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from tests.conftest import MINIMAL, PROFILES

LATE = str(PROFILES / "us-late-applying.yaml")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_text_reads_like_a_linter() -> None:
    code, out, _ = run("check", LATE)
    lines = out.splitlines()
    assert code == 0
    assert (
        f"{LATE}: warning LOR-RECONNECT (Dr. Luis Ortega): You last worked together on 27 June 2025, more than a year "
        "ago, so this writer is not counted yet. Reconnect first: remind them of your work together and share your "
        "progress, then ask whether they could write a strong letter." in lines
    )
    assert lines[-1] == (
        "late phase: applications open on 1 September 2027 (expected), in 9 months; research tier none; "
        "usable letters 0 (US 0, radiology 0); 0 errors, 6 warnings, 1 info"
    )


def test_check_json_has_assessment_and_findings() -> None:
    code, out, _ = run("check", LATE, "--format", "json")
    report = json.loads(out)
    assert code == 0
    assert report["assessment"]["phase"] == "late"
    assert report["assessment"]["research_tier"] == "none"  # a submitted abstract is pending, not counted
    assert report["assessment"]["research_counts"]["pending"] == 1
    letters = report["assessment"]["letters"]
    assert {k: letters[k] for k in ("total", "us_based", "radiology", "non_radiology_clinical", "research")} == {
        "total": 2,
        "us_based": 1,
        "radiology": 1,
        "non_radiology_clinical": 1,
        "research": 0,
    }
    assert (letters["usable"]["count"], letters["potential"]["writers"]) == (0, ["Dr. Jane Smith"])
    assert letters["not_usable"] == [{"writer": "Dr. Luis Ortega", "reason": "stale"}]
    assert [s["status"] for s in report["assessment"]["ecfmg"]["steps"]] == ["done", "done", "missing", "done"]
    assert report["assessment"]["has_us_experience"] is False  # the US elective starts in January 2027
    assert not [f for f in report["findings"] if f["subject"] == "Dr. Luis Ortega" and f["code"] != "LOR-RECONNECT"]
    assert all(set(f) == {"code", "severity", "subject", "title", "message"} for f in report["findings"])


def test_unverified_signal_counts_are_warnings(write: Callable[..., Path]) -> None:
    programs = "".join(f"  - name: P{i}\n    signal: gold\n" for i in range(7))
    code, out, _ = run("check", str(write(MINIMAL + "programs:\n" + programs)))
    assert code == 0
    assert (
        ": warning PROG-TOO-MANY-GOLD: 7 programs carry a gold signal; radiology allowed 6 in 2025. "
        "Verify the count for your season and keep your gold signals within it." in out
    )


def test_check_exits_1_on_an_error_finding(write: Callable[..., Path]) -> None:
    """In season, the ECFMG requirements not done are an error."""
    in_season = MINIMAL.replace("match_year: 2029", "match_year: 2027") + "exams:\n  usmle_step1: pass\n"
    code, out, _ = run("check", str(write(in_season)))
    assert code == 1
    assert ": error ECFMG-NOT-CERTIFIED: You are not ECFMG certified yet. Still to do: USMLE Step 2 CK and OET Medicine" in out


def test_today_overrides_as_of() -> None:
    _, out, _ = run("check", LATE, "--format", "json", "--today", "2027-09-02")
    assessment = json.loads(out)["assessment"]
    assert (assessment["as_of"], assessment["phase"]) == ("2027-09-02", "in_season")


def test_invalid_profile_exits_2_without_traceback(write: Callable[..., Path]) -> None:
    path = write(MINIMAL.replace("citizenship: us", "citizenship: maybe"))
    code, out, err = run("check", str(path))
    assert code == 2 and out == ""
    assert err == f"error: {path}:8: applicant.citizenship: found 'maybe'; allowed: us, non_us\n"
    assert "Traceback" not in err


def test_missing_file(tmp_path: Path) -> None:
    code, _, err = run("check", str(tmp_path / "nope.yaml"))
    assert (code, err) == (2, f"error: {tmp_path / 'nope.yaml'}: cannot read the file (No such file or directory)\n")


def test_wrong_call_exits_2() -> None:
    code, _, err = run("check", LATE, "--format", "xml")
    assert code == 2 and "'xml' is not one of 'text', 'json'" in err


def test_schema_prints_json_schema() -> None:
    code, out, _ = run("schema")
    schema = json.loads(out)
    assert code == 0 and schema["title"] == "Residency handbook profile, format 1"
    assert schema["properties"]["applicant"]["$ref"] == "#/$defs/Applicant"


def test_generate_writes_a_plain_mkdocs_project(tmp_path: Path) -> None:
    out = tmp_path / "project"
    code, _, _ = run("generate", LATE, "-o", str(out))
    assert code == 0
    assert (out / "mkdocs.yml").is_file() and (out / "plan.json").is_file() and (out / "docs" / "index.md").is_file()
    assert not (out / "docs" / "plan.json").exists()


def test_invalid_profile_creates_nothing(tmp_path: Path, write: Callable[..., Path]) -> None:
    out = tmp_path / "site"
    code, _, _ = run("build", str(write("profile_version: [")), "-o", str(out))
    assert code == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile.yaml"]


def test_debug_lets_the_exception_through(write: Callable[..., Path]) -> None:
    result = CliRunner().invoke(cli, ["--debug", "check", str(write("profile_version: ["))])
    assert result.exit_code == 1 and type(result.exception).__name__ == "InputError"


def test_check_takes_files_and_folders_one_block_each_worst_status(tmp_path: Path, write: Callable[..., Path]) -> None:
    folder = tmp_path / "advisees"
    (folder / "2027").mkdir(parents=True)
    good = folder / "2027" / "ana.yaml"
    good.write_text(MINIMAL)
    bad = folder / "ben.yml"
    bad.write_text(MINIMAL.replace("citizenship: us", "citizenship: maybe"))
    (folder / "notes.txt").write_text("not a profile")
    code, out, err = run("check", str(folder), LATE)
    assert code == 2
    assert err == f"error: {bad}:8: applicant.citizenship: found 'maybe'; allowed: us, non_us\n"
    summaries = [line for line in out.splitlines() if "research tier" in line]
    assert [line.split(": ")[0] for line in summaries] == [str(good), LATE]


def test_check_json_of_several_profiles_is_a_list() -> None:
    code, out, _ = run("check", LATE, LATE, "--format", "json")
    found = json.loads(out)
    assert code == 0 and [x["profile"] for x in found] == [LATE, LATE] and "assessment" in found[0]


def test_check_reads_profile_yaml_here_by_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run("check")
    assert (code, err) == (
        2,
        "error: no profile given and no profile.yaml in this folder; name one (handbook check advisees/maria.yaml) "
        "or start one with `handbook init`\n",
    )
    (tmp_path / "profile.yaml").write_text(MINIMAL)
    code, out, _ = run("check")
    assert code == 0 and out.splitlines()[-1].startswith(
        "mid phase: applications open on 6 September 2028 (expected), in 1 year and 9 months;"
    )


def test_check_colours_severities_on_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    coloured = CliRunner().invoke(cli, ["check", LATE], color=True).stdout
    assert "\x1b[33mwarning\x1b[0m LOR-RECONNECT" in coloured
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in CliRunner().invoke(cli, ["check", LATE], color=True).stdout
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in run("check", LATE)[1]  # not a terminal


def test_summary_in_season_says_when_applications_opened() -> None:
    _, out, _ = run("check", LATE, "--today", "2027-10-01")
    assert out.splitlines()[-1].startswith("in season: applications opened on 1 September 2027 (expected); rank list deadline ")


def test_bad_dates_say_no_such_date() -> None:
    code, _, err = run("check", LATE, "--today", "2026-13-01")
    assert code == 2 and "Invalid value for '--today': '2026-13-01': no such date; write YYYY-MM-DD, e.g. 2026-12-01" in err
    _, _, err = run("check", LATE, "--today", "1/12/2026")
    assert "Invalid value for '--today': '1/12/2026' is not a date; write YYYY-MM-DD, e.g. 2026-12-01" in err


def test_build_defaults_to_profile_yaml_and_build_all_to_handbooks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("build")[0] == 2
    (tmp_path / "profile.yaml").write_text(MINIMAL)
    code, out, _ = run("build")
    assert code == 0 and (tmp_path / "site" / "index.html").is_file() and out.startswith("Built ")
    (tmp_path / "advisees").mkdir()
    (tmp_path / "advisees" / "ana.yaml").write_text(MINIMAL)
    code, _, _ = run("build-all", "advisees", "--jobs", "1")
    assert code == 0 and (tmp_path / "handbooks" / "ana" / "index.html").is_file()
