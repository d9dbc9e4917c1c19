"""A public build holds no private value: dropped before rendering, then searched for in every output file."""

from __future__ import annotations

import datetime as dt
import gzip
import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from generator import privacy
from generator.build import build, generate
from generator.cli import cli
from generator.errors import BuildError
from generator.models import Profile
from generator.privacy import Leak, message, private_values, scan, secrets
from tests.conftest import PROFILES

TODAY = dt.date(2026, 11, 23)

PRIVATE = {
    "applicant.email": "priya.natarajan@example.org",
    "applicant.phone": "+91 98 7654 3210",
    "applicant.aamc_id": "15550123",
    "letters[0].email": "hpark@example.edu",
    "letters[1].email": "r.subramanian@gmc.example.in",
    "letters[2].email": "mgarcia@riverside.example.org",
    "contacts[0].email": "achu@example.edu",
    "contacts[1].email": "l.okafor@imaging.example.net",
}


def full_profile() -> dict[str, Any]:
    """The J-1 example with every private field filled: exams, three writers' and two contacts' emails."""
    data: dict[str, Any] = yaml.safe_load((PROFILES / "j1-letters-in-progress.yaml").read_text())
    data["applicant"].update(email=PRIVATE["applicant.email"], phone=PRIVATE["applicant.phone"])
    data["letters"][1]["email"] = PRIVATE["letters[1].email"]
    data["letters"].append(
        {
            "writer": "Dr. Maria Garcia",
            "title": "Professor of Radiology",
            "institution": "Riverside Medical Center",
            "email": PRIVATE["letters[2].email"],
            "specialty": "radiology",
            "us_based": True,
            "weeks_worked": 4,
            "last_worked": "2026-06-26",
            "context": "body CT observership",
            "status": "uploaded",
            "asked_on": "2026-07-01",
            "response": "strong",
        }
    )
    data["contacts"].append(
        {
            "name": "Dr. Lara Okafor",
            "institution": "Northshore Imaging Institute",
            "email": PRIVATE["contacts[1].email"],
            "recent_paper": "MRI protocols for suspected appendicitis in pregnancy",
        }
    )
    return data


def write_profile(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "profile.yaml"
    path.write_text("# My full profile: never publish this file.\n" + yaml.safe_dump(data, sort_keys=False))
    return path


def texts(site: Path) -> dict[str, str]:
    """Every file of a site as a reader would see it: gzip opened, entities decoded, calendar lines unfolded."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        data = path.read_bytes()
        text = (gzip.decompress(data) if path.suffix == ".gz" else data).decode("utf-8", errors="ignore")
        out[path.relative_to(site).as_posix()] = html.unescape(re.sub(r"\r?\n ", "", text))
    return out


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_profile(tmp_path_factory.mktemp("full"), full_profile())


@pytest.fixture(scope="module")
def public_site(full: Path) -> Path:
    out = full.parent / "public"
    build(full, out, TODAY, public=True)
    return out


def test_a_public_build_contains_no_private_value_anywhere(public_site: Path) -> None:
    files = texts(public_site)
    assert {"index.html", "letters.html", "search/search_index.js", "sitemap.xml.gz"} <= set(files)
    for name, text in files.items():
        for path, value in PRIVATE.items():
            assert value not in text, f"{path} in {name}"
        assert "7654 3210" not in text and not re.search(r"Step 2 CK\W+251\b", text), name


def test_pages_say_what_the_public_version_hides(public_site: Path) -> None:
    letters = html.unescape((public_site / "letters.html").read_text())
    assert "AAMC ID: [hidden in the public version]" in letters
    assert "[your email address: hidden in the public version]" in letters
    visa = html.unescape(re.sub(r"<[^>]+>", " ", (public_site / "visa.html").read_text()))
    assert re.search(r"ECFMG certified\s+hidden in the public version", visa)


def test_the_raw_profile_is_never_copied_into_the_site(public_site: Path) -> None:
    assert not [p for p in public_site.rglob("*") if p.suffix in (".yaml", ".yml")]
    assert not [name for name, text in texts(public_site).items() if "never publish this file" in text]


def test_the_scan_finds_what_a_private_build_shows(full: Path, tmp_path: Path) -> None:
    build(full, tmp_path / "private", TODAY)
    found = {leak.path for leak in scan(tmp_path / "private", secrets(Profile.model_validate(full_profile())))}
    assert {"applicant.email", "applicant.phone", "applicant.aamc_id", "exams.usmle_step2_ck"} <= found


def test_a_private_value_in_a_public_field_stops_the_build_and_keeps_the_site(full: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build(full, out, TODAY, public=True)
    before = snapshot(out)
    data = full_profile()
    data["contacts"][0]["what_struck_you"] = "how quickly the team answered, as hpark@example.edu told me"
    leaky = write_profile(tmp_path, data)
    with pytest.raises(BuildError) as caught:
        build(leaky, out, TODAY, public=True)
    assert str(caught.value) == (
        "private data found in the public build, so the previous site was left as it was: the value of letters[0].email "
        "is in print.html, research.html and search/search_index.js. Take these values out of the "
        "profile's other fields: a private value typed into a title, a context or a note is published with it."
    )
    assert "hpark" not in str(caught.value)
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile.yaml", "site"]


def test_the_cli_reports_a_leak_on_one_line_and_exits_2(tmp_path: Path) -> None:
    data = full_profile()
    data["research"][0]["title"] = "Ultrasound features of tuberculous lymphadenitis (AAMC 15550123)"
    result = CliRunner().invoke(
        cli, ["build", str(write_profile(tmp_path, data)), "-o", str(tmp_path / "site"), "--public", "--today", "2026-11-23"]
    )
    assert result.exit_code == 2 and not (tmp_path / "site").exists()
    assert result.stderr.startswith(
        "error: private data found in the public build, so the previous site was left as it was: "
        "the value of applicant.aamc_id is in "
    )
    assert result.stderr.count("\n") == 1 and "15550123" not in result.stderr


def test_a_private_build_is_not_scanned(full: Path, tmp_path: Path) -> None:
    build(full, tmp_path / "site", TODAY)
    assert PRIVATE["applicant.aamc_id"] in (tmp_path / "site" / "letters.html").read_text()


def test_private_values_are_named_by_key_path_without_choices_or_yes_no() -> None:
    profile = Profile.model_validate(full_profile())
    assert list(private_values(profile)) == [
        ("applicant.email", PRIVATE["applicant.email"]),
        ("applicant.phone", PRIVATE["applicant.phone"]),
        ("applicant.aamc_id", PRIVATE["applicant.aamc_id"]),
        ("applicant.nationality", "IN"),  # too short to search for: pages never print it
        ("exams.usmle_step2_ck", 251),
        ("letters[0].email", PRIVATE["letters[0].email"]),
        ("letters[1].email", PRIVATE["letters[1].email"]),
        ("letters[2].email", PRIVATE["letters[2].email"]),
        ("contacts[0].email", PRIVATE["contacts[0].email"]),
        ("contacts[1].email", PRIVATE["contacts[1].email"]),
    ]


@pytest.mark.parametrize("value", ["123", "none", "pending", "Ausstehend"])
def test_short_text_and_single_plain_words_are_not_searched_for(value: str) -> None:
    data = full_profile()
    data["applicant"]["aamc_id"] = data["letters"][0]["email"] = value
    assert [s.path for s in secrets(Profile.model_validate(data)) if s.path in ("applicant.aamc_id", "letters[0].email")] == []


def _found(tmp_path: Path, name: str, content: str | bytes) -> list[Leak]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return scan(tmp_path, secrets(Profile.model_validate(full_profile())))


@pytest.mark.parametrize(
    ("name", "content", "path"),
    [
        ("a.html", "<p>Write to Hpark@Example.edu</p>", "letters[0].email"),
        ("a.html", "".join(f"&#{ord(c)};" for c in "hpark@example.edu"), "letters[0].email"),
        ("a.html", '<a href="mailto:hpark%40example.edu">', "letters[0].email"),
        ("search/search_index.json", '{"text": "AAMC ID\\n15550123\\nhpark\\u0040example.edu"}', "applicant.aamc_id"),
        ("search/search_index.json", '{"text": "x\\nhpark\\u0040example.edu"}', "letters[0].email"),
        ("sitemap.xml.gz", gzip.compress(b"<loc>https://example.org/15550123/</loc>"), "applicant.aamc_id"),
        ("timeline.ics", "DESCRIPTION:Ask Dr. Park (hpark@exa\r\n mple.edu) again.\r\n", "letters[0].email"),
        ("a.html", "Call +91-9876-543210 after six.", "applicant.phone"),
        ("a.html", "<td>USMLE Step 2 CK</td>\n<td>251</td>", "exams.usmle_step2_ck"),
        ("a.txt", "Step 2 CK score: 251.", "exams.usmle_step2_ck"),
        # an ID's digits however they are spaced or punctuated
        ("a.html", "My AAMC ID is 1555 0123.", "applicant.aamc_id"),
        ("a.html", "ID: 1555-0123", "applicant.aamc_id"),
        ("a.html", "(1555) 01.23", "applicant.aamc_id"),
        ("a.html", "1555<b>0123</b>", "applicant.aamc_id"),
        # a phone number with or without its country code, in any grouping
        ("a.html", "Call 98765 43210 after six.", "applicant.phone"),
        ("a.html", "Call 098765-43210.", "applicant.phone"),
        ("a.html", "Call (98) 7654.3210.", "applicant.phone"),
        ("a.html", "Call +91 9876543210.", "applicant.phone"),
        ("a.html", "Call 0091 98765 43210.", "applicant.phone"),
        ("a.html", "Call +919876543210.", "applicant.phone"),
        # a score next to its exam's name, before or after it
        ("a.html", "My Step 2 CK score of 251 helps.", "exams.usmle_step2_ck"),
        ("a.html", "I scored 251 on USMLE Step 2 CK.", "exams.usmle_step2_ck"),
        ("a.html", "251 on Step 2", "exams.usmle_step2_ck"),
        ("a.html", "USMLE Step II CK - 251", "exams.usmle_step2_ck"),
        ("a.html", "251/300 on Step 2 CK", "exams.usmle_step2_ck"),
        ("a.html", "Step 2 CK (251)", "exams.usmle_step2_ck"),
        # emails in any case, Markdown-escaped as `generate` writes them
        ("a.html", "HPARK@EXAMPLE.EDU", "letters[0].email"),
        ("docs/a.md", "Write to hpark\\@example\\.edu", "letters[0].email"),
        ("mkdocs.yml", "site_name: a\nextra:\n  note: write to\n    hpark@example.edu\n", "letters[0].email"),
    ],
)
def test_every_written_form_of_a_private_value_is_found(tmp_path: Path, name: str, content: str | bytes, path: str) -> None:
    assert Leak(name, path) in _found(tmp_path, name, content)


@pytest.mark.parametrize(
    "content",
    [
        "var x=251,y=[251,2251];",  # a bare number is everywhere in scripts
        "Step 2 CK passed in 2251 and 2510 and 25.1",
        "Step 1 and Step 2 CK passed; then, more than a few words later on the same line, 251 cases",
        "ID 155501234 and 815550123",  # a longer number is another number
        "pass not_taken false",
        "98765 4321 and 19876543210",  # a phone number's digits but one, or with one more
        "251 cases of Step 1 questions",
        "version 1.555.012",
    ],
)
def test_common_text_is_not_taken_for_a_private_value(tmp_path: Path, content: str) -> None:
    assert _found(tmp_path, "a.html", content) == []


def test_the_message_names_files_and_paths_never_values() -> None:
    leaks = [Leak(f"page{i}.html", "applicant.aamc_id") for i in range(5)] + [Leak("a.html", "exams.usmle_step2_ck")]
    assert message(leaks) == (
        "private data found in the public build, so the previous site was left as it was: the value of applicant.aamc_id "
        "is in page0.html, page1.html, page2.html and 2 more files; the value of exams.usmle_step2_ck is in a.html. "
        "Take these values out of the profile's other fields: a private value typed into a title, a context or a note "
        "is published with it."
    )


def test_a_public_generate_is_scanned_on_the_unescaped_markdown(tmp_path: Path) -> None:
    data = full_profile()
    data["applicant"]["email"] = "priv_email@example.org"
    data["research"][0]["title"] = "Write to Priv_Email@example.org for the data"
    profile, project = str(write_profile(tmp_path, data)), str(tmp_path / "project")
    result = CliRunner().invoke(cli, ["generate", profile, "-o", project, "--public", "--today", "2026-11-23"])
    assert result.exit_code == 2 and not (tmp_path / "project").exists()
    assert result.stderr.startswith(
        "error: private data found in the public build, so the previous site was left as it was: "
        "the value of applicant.email is in docs/"
    )
    assert "priv" not in result.stderr.lower().replace("private", "")


def test_a_public_generate_is_scanned_too(tmp_path: Path) -> None:
    data = full_profile()
    data["interests"] = ["neuroradiology", "achu@example.edu"]
    with pytest.raises(BuildError, match=r"the value of contacts\[0\]\.email is in docs/"):
        generate(write_profile(tmp_path, data), tmp_path / "project", TODAY, public=True)
    assert not (tmp_path / "project").exists()


@pytest.mark.parametrize(
    ("content", "found"),
    [
        ("Call +15550100123.", True),
        ("Call +1 555 010 0123.", True),
        ("Call 555.010.0123.", True),
        ("Call 25550100123.", False),  # another, longer number
        ("Call 555 010 012.", False),
    ],
)
def test_a_phone_written_without_its_country_code_is_found_with_one(tmp_path: Path, content: str, found: bool) -> None:
    data = full_profile()
    data["applicant"]["phone"] = "(555) 010-0123"
    (tmp_path / "a.html").write_text(content)
    leaks = scan(tmp_path, secrets(Profile.model_validate(data)))
    assert (Leak("a.html", "applicant.phone") in leaks) is found


def test_private_values_written_in_other_forms_stop_a_public_build(tmp_path: Path) -> None:
    data = full_profile()
    data["applicant"].update(aamc_id="98127345", phone="+91 98765 43210")
    data["research"][0]["title"] = "Case series (AAMC 9812-7345)"
    data["letters"][0]["context"] = "call me on 98765 43210 after six"
    data["contacts"][0]["what_struck_you"] = "that I scored 251 on Step 2 CK without a course"
    out = tmp_path / "site"
    result = CliRunner().invoke(
        cli, ["build", str(write_profile(tmp_path, data)), "-o", str(out), "--public", "--today", "2026-11-23"]
    )
    assert result.exit_code == 2 and not out.exists()
    for path in ("applicant.aamc_id", "applicant.phone", "exams.usmle_step2_ck"):
        assert f"the value of {path} is in " in result.stderr
    assert not re.search(r"9812|98765|251", result.stderr)


def test_an_asset_read_for_one_handbook_is_not_read_again_for_the_next_but_is_when_it_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = secrets(Profile.model_validate(full_profile()))
    for site in ("one", "two"):
        (tmp_path / site / "assets").mkdir(parents=True)
        (tmp_path / site / "assets" / "theme.js").write_text('var a = "plain";', encoding="utf-8")
        (tmp_path / site / "index.html").write_text("<p>hello</p>", encoding="utf-8")
    assert scan(tmp_path / "one", found) == []
    read: list[str] = []
    original = privacy._texts

    def texts(file: Path, data: bytes) -> list[str]:
        read.append(file.name)
        return original(file, data)

    monkeypatch.setattr(privacy, "_texts", texts)
    assert scan(tmp_path / "two", found) == []
    assert read == ["index.html"]
    (tmp_path / "two" / "assets" / "theme.js").write_text(f'var a = "{PRIVATE["applicant.email"].upper()}";', encoding="utf-8")
    assert scan(tmp_path / "two", found) == [Leak("assets/theme.js", "applicant.email")]
