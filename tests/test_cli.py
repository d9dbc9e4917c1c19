from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

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
        "phase late (0.77 years to applications on 2027-09-01); research tier none; "
        "usable letters 0 (US 0, radiology 0); 0 errors, 5 warnings, 2 info"
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
    assert all(set(f) == {"code", "severity", "subject", "message"} for f in report["findings"])


def test_check_exits_1_on_an_error_finding(write: Callable[..., Path]) -> None:
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
