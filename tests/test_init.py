"""`handbook init`: questions with defaults and validation, a profile that builds, and a ready GitHub repository."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from generator import __version__
from generator.build import build, check
from generator.cli import cli
from generator.init import Answers, Writer, match_years, profile_text
from generator.models import json_schema
from generator.profile import load_profile
from tests.conftest import EXAMPLES, PROFILES

TODAY = dt.date(2026, 11, 23)
YEARS = match_years(dt.date.today())

# name, school, country, graduation year, citizenship, visa, nationality, match year, publications, posters,
# writers, then name, specialty and US-based for each writer.
ANSWERS = [
    'José Núñez "JJ": #1',
    "Universidad del Valle",
    "Mexico",
    "",
    "",
    "j1",
    "ng",
    str(YEARS[-1]),
    "2",
    "1",
    "2",
    "Dr. Helen Park",
    "",
    "y",
    "Dr. R. Subramanian",
    "internal_medicine",
    "n",
]


def init(*args: str, answers: list[str] | None = None) -> Result:
    return CliRunner().invoke(cli, ["init", *args], input="".join(f"{a}\n" for a in answers or []))


def test_scripted_answers_make_a_profile_that_checks_and_builds(tmp_path: Path) -> None:
    result = init(str(tmp_path), answers=ANSWERS)
    assert result.exit_code == 0, result.output
    assert f"Wrote {tmp_path / 'profile.yaml'}, {tmp_path / 'profile.schema.json'}." in result.stdout
    profile = tmp_path / "profile.yaml"
    loaded = load_profile(profile).profile
    assert loaded.applicant.name == 'José Núñez "JJ": #1'
    assert (loaded.applicant.graduation_year, loaded.applicant.citizenship, loaded.applicant.visa) == (
        dt.date.today().year,
        "non_us",
        "j1",
    )
    assert loaded.applicant.nationality == "NG"
    assert loaded.goal.match_year == YEARS[-1]
    assert [(r.title, r.kind, r.status, r.radiology) for r in loaded.research] == [
        ("Publication 1 (edit the title)", "journal_article", "published", True),
        ("Publication 2 (edit the title)", "journal_article", "published", True),
        ("Poster 1 (edit the title)", "poster", "presented", True),
    ]
    assert [(w.writer, w.specialty, w.us_based, w.status) for w in loaded.letters] == [
        ("Dr. Helen Park", "radiology", True, "not_asked"),
        ("Dr. R. Subramanian", "internal_medicine", False, "not_asked"),
    ]
    assert CliRunner().invoke(cli, ["check", str(profile), "--today", "2026-11-23"]).exit_code == 0
    handbook = build(profile, tmp_path / "site", TODAY)
    assert (tmp_path / "site" / "index.html").is_file()
    # the starter items are placeholders until their titles are edited: they never count
    assert handbook.checked.assessment.research_tier == "none"
    assert ("RES-PLACEHOLDER", None) in [(f.code, f.subject) for f in handbook.checked.findings]


def test_the_profile_is_commented_and_points_at_its_schema(tmp_path: Path) -> None:
    init(str(tmp_path), answers=ANSWERS)
    text = (tmp_path / "profile.yaml").read_text()
    assert text.splitlines()[0] == "# yaml-language-server: $schema=profile.schema.json"
    assert "  # aamc_id: " in text and "# exams:" in text
    assert json.loads((tmp_path / "profile.schema.json").read_text()) == json_schema()


def test_a_us_citizen_is_not_asked_for_a_visa(tmp_path: Path) -> None:
    answers = ["Ana Silva", "St. George's University", "Grenada", "2027", "us", str(YEARS[0]), "0", "0", "0"]
    result = init(str(tmp_path), answers=answers)
    assert result.exit_code == 0, result.output
    assert "Visa" not in result.stdout
    applicant = load_profile(tmp_path / "profile.yaml").profile.applicant
    assert (applicant.citizenship, applicant.visa, applicant.school) == ("us", None, "St. George's University")


def test_each_answer_is_checked_and_asked_again(tmp_path: Path) -> None:
    answers = [
        "   ",
        "Ana\x1b[31m Silva",
        "Ana Silva",
        "School",
        "Country",
        "1900",
        "2027",
        "maybe",
        "us",
        "1999",
        str(YEARS[0]),
        "-1",
        "0",
        "0",
        "0",
    ]
    result = init(str(tmp_path), answers=answers)
    assert result.exit_code == 0, result.output
    assert "Error: an answer is needed" in result.stdout
    assert "Error: found a control character; type plain text" in result.stdout
    assert "Error: write the year in four digits, from 1950 to 2100 (e.g. 2025)" in result.stdout
    assert "Error: 'maybe' is not one of these: US or non-US" in result.stdout
    low, high = YEARS[0], YEARS[-1]
    assert f"Error: write the year in four digits, from {low} to {high} (e.g. {low + (high - low) // 2})" in result.stdout
    assert "Error: write a whole number from 0 to 50" in result.stdout
    assert load_profile(tmp_path / "profile.yaml").profile.applicant.name == "Ana Silva"


@pytest.mark.parametrize(
    "text",
    ["no", "null", "2029", "- item", "#hash", "a: b", '"quoted"', "it's", "{{ 7*7 }}", "&anchor *alias", "!tag", "@at `tick`"],
)
def test_every_answer_is_written_as_quoted_text(text: str) -> None:
    answers = Answers(text, text, text, 2025, "non_us", "undecided", YEARS[0], 0, 0, [Writer(text, "other", False)])
    data = yaml.safe_load(profile_text(answers))
    assert data["applicant"]["name"] == data["applicant"]["school"] == data["letters"][0]["writer"] == text


def test_from_example_copies_an_example(tmp_path: Path) -> None:
    result = init(str(tmp_path / "new"), "--from-example", "j1-letters-in-progress")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "profile.yaml").read_bytes() == (PROFILES / "j1-letters-in-progress.yaml").read_bytes()
    assert (tmp_path / "new" / "profile.schema.json").is_file()


def test_from_example_copies_its_program_spreadsheet_too(tmp_path: Path) -> None:
    result = init(str(tmp_path), "--from-example", "programs-from-spreadsheet")
    assert result.exit_code == 0, result.output
    copied = (tmp_path / "programs.example.csv").read_bytes()
    assert copied == (PROFILES / "programs.example.csv").read_bytes()
    assert len(load_profile(tmp_path / "profile.yaml").profile.programs) == 7


def test_an_unknown_example_lists_the_examples(tmp_path: Path) -> None:
    result = init(str(tmp_path), "--from-example", "nope")
    names = ", ".join(p.stem for p in EXAMPLES)
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: there is no example profile named 'nope'; the examples are: {names}\n",
    )
    assert list(tmp_path.iterdir()) == []


def test_an_existing_profile_is_not_replaced_without_force(tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_text("mine\n")
    result = init(str(tmp_path), "--from-example", "us-late-applying")
    assert (result.exit_code, result.stderr) == (
        2,
        f"error: {tmp_path / 'profile.yaml'} already exists; use --force to replace it\n",
    )
    assert (tmp_path / "profile.yaml").read_text() == "mine\n"
    assert init(str(tmp_path), "--from-example", "us-late-applying", "--force").exit_code == 0
    assert (tmp_path / "profile.yaml").read_bytes() == (PROFILES / "us-late-applying.yaml").read_bytes()


def test_the_check_comes_before_any_question(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("mine\n")
    (tmp_path / ".gitignore").write_text("mine\n")
    result = init("--github", str(tmp_path))
    assert result.exit_code == 2 and "Your full name" not in result.stdout
    assert result.stderr == (
        f"error: {tmp_path / 'README.md'} and {tmp_path / '.gitignore'} already exist; use --force to replace them\n"
    )


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    result = init("--github", str(tmp_path / "handbook"), answers=ANSWERS)
    assert result.exit_code == 0, result.output
    return tmp_path / "handbook"


def test_github_writes_a_ready_repository(repository: Path) -> None:
    files = sorted(p.relative_to(repository).as_posix() for p in repository.rglob("*") if p.is_file())
    assert [f for f in files if not f.startswith(".git/")] == [
        ".github/workflows/handbook.yml",
        ".gitignore",
        "README.md",
        "profile.schema.json",
        "profile.yaml",
    ]
    ignored = (repository / ".gitignore").read_text().splitlines()
    assert {"site/", "*.private.yaml", ".venv/"} <= set(ignored)
    readme = " ".join((repository / "README.md").read_text().split())
    assert "Pages publishes only from a public repository" in readme and "--public" in readme and "handbook deploy" in readme
    assert "profile.private.yaml" in (repository / "profile.yaml").read_text()
    assert not [f for f in check(repository / "profile.yaml").findings if f.severity == "error"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_github_starts_a_git_repository_on_main(repository: Path) -> None:
    head = subprocess.run(["git", "-C", str(repository), "symbolic-ref", "HEAD"], capture_output=True, text=True, check=True)
    assert head.stdout.strip() == "refs/heads/main"

    def ignored(name: str) -> bool:
        return subprocess.run(["git", "-C", str(repository), "check-ignore", "-q", name], check=False).returncode == 0

    assert ignored("profile.private.yaml") and ignored("site/index.html")
    assert not ignored("profile.yaml") and not ignored(".github/workflows/handbook.yml")


def _step(job: dict[str, Any], uses: str) -> dict[str, Any]:
    return next(step for step in job["steps"] if step.get("uses", "").startswith(uses))


def test_the_workflow_builds_with_public_and_deploys_with_pages_actions(repository: Path) -> None:
    workflow = yaml.safe_load((repository / ".github" / "workflows" / "handbook.yml").read_text())
    assert workflow["on"] == {"push": {"branches": ["main"]}, "schedule": [{"cron": "17 6 * * 1"}], "workflow_dispatch": None}
    assert workflow["permissions"] == {"contents": "read"}
    build_job, deploy_job = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert set(workflow["jobs"]) == {"build", "deploy"}
    assert "permissions" not in build_job
    assert deploy_job["permissions"] == {"pages": "write", "id-token": "write"}
    assert _step(build_job, "actions/setup-python@")["with"] == {"python-version": "3.11"}
    _step(build_job, "actions/checkout@")
    runs = [step["run"] for step in build_job["steps"] if "run" in step]
    assert "handbook build profile.yaml -o site --public" in runs
    assert _step(build_job, "actions/upload-pages-artifact@")["with"] == {"path": "site"}
    assert deploy_job["needs"] == "build"
    assert deploy_job["environment"]["name"] == "github-pages"
    assert _step(deploy_job, "actions/deploy-pages@")["id"] == "deployment"


def test_the_nationality_stays_out_of_a_public_repository() -> None:
    answers = Answers("Ana", "School", "Country", 2025, "non_us", "j1", YEARS[0], nationality="NG")
    assert yaml.safe_load(profile_text(answers))["applicant"]["nationality"] == "NG"
    public = profile_text(answers, public_repository=True)
    assert "nationality" not in yaml.safe_load(public)["applicant"]
    assert "  # nationality: NG    # in profile.private.yaml only\n" in public


def test_a_nationality_must_be_two_letters(tmp_path: Path) -> None:
    answers = [*ANSWERS[:6], "Nigeria", "n1", "", *ANSWERS[7:]]
    result = init(str(tmp_path), answers=answers)
    assert result.exit_code == 0, result.output
    assert "Error: found 'Nigeria'; type two letters, such as NG, or press Enter to skip" in result.stdout
    assert load_profile(tmp_path / "profile.yaml").profile.applicant.nationality is None


def test_the_workflow_installs_the_release_that_wrote_it(repository: Path) -> None:
    text = (repository / ".github" / "workflows" / "handbook.yml").read_text()
    workflow = yaml.safe_load(text)
    assert workflow["env"] == {"HANDBOOK_VERSION": __version__}
    install = next(step for step in workflow["jobs"]["build"]["steps"] if step.get("name") == "Install the handbook tool")
    assert install["run"] == 'pip install "residency-handbook==$HANDBOOK_VERSION"'
    assert "git+" not in text and " -e " not in text and "__HANDBOOK_VERSION__" not in text
    readme = " ".join((repository / "README.md").read_text().split())
    assert "`HANDBOOK_VERSION` in `.github/workflows/handbook.yml`, set to the version of the tool that wrote the file" in readme
    assert "then put the new version number in `HANDBOOK_VERSION` and push." in readme
    assert "every Monday" in readme


LINK_ERROR = "error: {} is a symbolic link; init writes nothing through a link: remove it or pick another folder\n"


@pytest.mark.parametrize("name", ["profile.yaml", "profile.schema.json"])
def test_a_linked_file_is_refused_even_with_force(tmp_path: Path, name: str) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("mine\n")
    folder = tmp_path / "new"
    folder.mkdir()
    (folder / name).symlink_to(outside / "secret.txt")
    result = init(str(folder), "--from-example", "us-late-applying", "--force")
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", LINK_ERROR.format(folder / name))
    assert (outside / "secret.txt").read_text() == "mine\n"
    assert sorted(p.name for p in folder.iterdir()) == [name]


def test_a_dangling_link_is_refused_and_nothing_is_made_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "profile.schema.json").symlink_to(tmp_path / "elsewhere.json")
    result = init(str(tmp_path / "new"), "--from-example", "us-late-applying")
    assert (result.exit_code, result.stderr) == (2, LINK_ERROR.format(tmp_path / "new" / "profile.schema.json"))
    assert not (tmp_path / "elsewhere.json").exists() and not (tmp_path / "new" / "profile.yaml").exists()


def test_a_linked_folder_inside_the_directory_is_refused_before_any_question(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    folder = tmp_path / "handbook"
    folder.mkdir()
    (folder / ".github").symlink_to(outside, target_is_directory=True)
    result = init("--github", str(folder), answers=ANSWERS)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", LINK_ERROR.format(folder / ".github"))
    assert list(outside.iterdir()) == [] and sorted(p.name for p in folder.iterdir()) == [".github"]


def test_the_directory_itself_may_be_a_link_to_a_folder(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    result = init(str(tmp_path / "link"), "--from-example", "us-late-applying")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["profile.schema.json", "profile.yaml"]


def test_force_replaces_a_file_without_touching_its_other_hard_links(tmp_path: Path) -> None:
    (tmp_path / "backup.yaml").write_text("mine\n")
    (tmp_path / "backup.yaml").chmod(0o600)
    (tmp_path / "profile.yaml").hardlink_to(tmp_path / "backup.yaml")
    assert init(str(tmp_path), "--from-example", "us-late-applying", "--force").exit_code == 0
    assert (tmp_path / "backup.yaml").read_text() == "mine\n"
    assert (tmp_path / "profile.yaml").read_bytes() == (PROFILES / "us-late-applying.yaml").read_bytes()
    assert (tmp_path / "profile.yaml").stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backup.yaml", "profile.schema.json", "profile.yaml"]


def _lines(result: Result) -> list[str]:
    return [line for line in result.stdout.splitlines() if not line.startswith("Started a git repository")]


def test_github_on_a_folder_with_a_profile_adds_only_the_missing_files(tmp_path: Path) -> None:
    mine = (PROFILES / "us-late-applying.yaml").read_text() + "# my own note\n"
    (tmp_path / "profile.yaml").write_text(mine)
    (tmp_path / "README.md").write_text("my notes\n")
    result = init("--github", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert _lines(result) == [
        f"Wrote {tmp_path / 'profile.schema.json'}, {tmp_path / '.gitignore'}, {tmp_path / '.github/workflows/handbook.yml'}.",
        f"Kept {tmp_path / 'profile.yaml'}, {tmp_path / 'README.md'}: they were already there.",
        f"Next: edit {tmp_path / 'profile.yaml'}, then run `handbook check {tmp_path / 'profile.yaml'}`"
        f" and `handbook build {tmp_path / 'profile.yaml'}`.",
        f"To publish, follow the steps in {tmp_path / 'README.md'}.",
    ]
    assert (tmp_path / "profile.yaml").read_text() == mine and (tmp_path / "README.md").read_text() == "my notes\n"
    assert "Your full name" not in result.stdout


def test_github_again_keeps_everything_and_names_the_lines_a_kept_gitignore_lacks(tmp_path: Path) -> None:
    (tmp_path / "profile.yaml").write_text((PROFILES / "us-late-applying.yaml").read_text())
    assert init("--github", str(tmp_path)).exit_code == 0
    (tmp_path / ".gitignore").write_text("site/\n")
    result = init("--github", str(tmp_path))
    assert result.exit_code == 0, result.output
    kept = ", ".join(str(tmp_path / n) for n in ["profile.yaml", "profile.schema.json", "README.md", ".gitignore"])
    assert _lines(result)[:2] == [
        f"Kept {kept}, {tmp_path / '.github/workflows/handbook.yml'}: they were already there.",
        f"Note: {tmp_path / '.gitignore'} does not list .site.*, *.private.yaml, .venv/; "
        "add these lines to it: they keep your full profile and your own builds out of git.",
    ]
    assert (tmp_path / ".gitignore").read_text() == "site/\n"


def test_force_adds_the_handbook_lines_to_a_gitignore_and_keeps_the_users(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("node_modules/\nsite/\n*.log")
    result = init("--github", "--force", "--from-example", "us-late-applying", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert _lines(result)[:2] == [
        f"Wrote {tmp_path / 'profile.yaml'}, {tmp_path / 'profile.schema.json'}, {tmp_path / 'README.md'},"
        f" {tmp_path / '.github/workflows/handbook.yml'}.",
        f"Added the handbook's lines to {tmp_path / '.gitignore'}; your own lines in it are kept.",
    ]
    assert (tmp_path / ".gitignore").read_text() == (
        "node_modules/\nsite/\n*.log\n\n"
        "# Added by `handbook init --github --force`.\n"
        "# Built handbooks: the workflow builds the public one; yours stays on your computer.\n"
        ".site.*\n"
        "# Your full profile, private fields and all: never commit it.\n"
        "*.private.yaml\n"
        "# A local Python environment for the handbook tool.\n"
        ".venv/\n"
    )
    again = init("--github", "--force", "--from-example", "us-late-applying", str(tmp_path))
    assert f"Kept {tmp_path / '.gitignore'}: it was already there." in again.stdout
    assert (tmp_path / ".gitignore").read_text().count("*.private.yaml") == 1


def test_the_usual_spellings_are_understood(tmp_path: Path) -> None:
    answers = ["Ana Silva", "School", "Country", "2022", "Non-US", "J-1", "", str(YEARS[0]), "0", "0", "2"]
    answers += ["Dr. A", "Internal Medicine", "y", "Dr. B", "RADIOLOGY", "no"]
    result = init(str(tmp_path), answers=answers)
    assert result.exit_code == 0, result.output
    profile = load_profile(tmp_path / "profile.yaml").profile
    assert (profile.applicant.citizenship, profile.applicant.visa) == ("non_us", "j1")
    assert [(x.specialty, x.us_based) for x in profile.letters] == [("internal_medicine", True), ("radiology", False)]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("US", "us"), ("U.S.", "us"), ("US permanent resident", "us"), ("green card", "us"), ("foreign national", "non_us")],
)
def test_citizenship_spellings(typed: str, expected: str) -> None:
    from generator.answers import CITIZENSHIP, choice

    assert choice(CITIZENSHIP, "US or non-US")(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"), [("H-1B", "h1b"), ("h1b", "h1b"), ("J 1", "j1"), ("EAD", "none"), ("not sure", "undecided")]
)
def test_visa_spellings(typed: str, expected: str) -> None:
    from generator.answers import VISA, choice

    assert choice(VISA, "J-1, H-1B, none or undecided")(typed) == expected


def test_a_two_digit_year_says_what_is_needed(tmp_path: Path) -> None:
    answers = ["Ana Silva", "School", "Country", "22", "2022", "us", str(YEARS[0]), "0", "0", "0"]
    result = init(str(tmp_path), answers=answers)
    assert "Error: write the year in four digits, from 1950 to 2100 (e.g. 2025)" in result.stdout
    assert "22 is not in the range" not in result.stdout


def test_an_empty_answer_says_an_answer_is_needed(tmp_path: Path) -> None:
    answers = ["", "Ana Silva", "School", "Country", "2022", "us", str(YEARS[0]), "0", "0", "0"]
    result = init(str(tmp_path), answers=answers)
    assert result.stdout.count("Error: an answer is needed") == 1


def test_no_input_writes_the_defaults(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["init", str(tmp_path), "--no-input"])
    assert result.exit_code == 0, result.output
    assert "?" not in result.stdout.splitlines()[0]
    profile = load_profile(tmp_path / "profile.yaml").profile
    assert (profile.applicant.name, profile.applicant.citizenship, profile.applicant.visa) == ("Your Name", "non_us", "undecided")
