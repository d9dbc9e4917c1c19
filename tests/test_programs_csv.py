"""The program list read from a spreadsheet's CSV (`programs_file:`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator import build, overview, records
from generator.cli import cli
from generator.errors import InputError
from generator.profile import load_profile
from tests.conftest import MINIMAL

PROFILE = MINIMAL + "programs_file: programs.csv\n"


def write_sheet(tmp_path: Path, text: str | bytes, profile: str = PROFILE) -> Path:
    data = text.encode("utf-8") if isinstance(text, str) else text
    (tmp_path / "programs.csv").write_bytes(data)
    path = tmp_path / "profile.yaml"
    path.write_text(profile, encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_profile(path)
    return str(exc.value).splitlines()


def check(path: Path) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["check", str(path)])
    return result.exit_code, result.stdout, result.stderr


def test_columns_in_any_order_and_case_with_a_bom(tmp_path: Path) -> None:
    sheet = (
        "\ufeffSponsors,NAME,Track,Min. Step2 CK,USCE required?,Verified-On\nJ-1 and H-1B,North,Preliminary,230,YES,2026-10-01\n"
    )
    (program,) = load_profile(write_sheet(tmp_path, sheet)).profile.programs
    assert program.name == "North"
    assert program.sponsors == ["j1", "h1b"]
    assert program.track == "preliminary"
    assert program.min_step2_ck == 230
    assert program.usce_required is True
    assert program.verified_on is not None and program.verified_on.isoformat() == "2026-10-01"


def test_semicolons_and_quoted_cells(tmp_path: Path) -> None:
    sheet = 'name;sponsors;notes\n"Lake; Hospital";"j1, h1b";"said ""yes"", by email"\nRiver;none;\n'
    first, second = load_profile(write_sheet(tmp_path, sheet)).profile.programs
    assert (first.name, first.sponsors, first.notes) == ("Lake; Hospital", ["j1", "h1b"], 'said "yes", by email')
    assert (second.name, second.sponsors, second.notes) == ("River", [], None)


def test_quoted_commas_in_a_comma_file(tmp_path: Path) -> None:
    sheet = 'name,setting,research_heavy\n"Hill, Valley and Coast",Community,no\n'
    (program,) = load_profile(write_sheet(tmp_path, sheet)).profile.programs
    assert (program.name, program.setting, program.research_heavy) == ("Hill, Valley and Coast", "community", False)


def test_empty_cells_are_omitted_and_empty_rows_skipped(tmp_path: Path) -> None:
    sheet = "name,sponsors,signal,letters_wanted\nA,,,\n,,,\nB,unknown,Gold,4\n"
    first, second = load_profile(write_sheet(tmp_path, sheet)).profile.programs
    assert (first.sponsors, first.signal, first.letters_wanted) == (None, "none", 3)
    assert (second.sponsors, second.signal, second.letters_wanted) == (None, "gold", 4)


def test_unknown_columns_are_ignored_and_listed_once_by_check(tmp_path: Path) -> None:
    path = write_sheet(tmp_path, "name,Deadline,City,name of coordinator\nA,1 Oct,Boston,Ms B\nB,,,\n")
    loaded = load_profile(path)
    assert [p.name for p in loaded.profile.programs] == ["A", "B"]
    assert loaded.ignored_columns == ("Deadline", "City", "name of coordinator")
    code, out, _ = check(path)
    assert code == 0
    ignored = [line for line in out.splitlines() if "PROG-CSV-IGNORED" in line]
    assert ignored == [
        f"{path}: info PROG-CSV-IGNORED: The handbook does not read these columns of programs.csv: Deadline, City, "
        "name of coordinator. They are left as they are; the README lists the columns it reads."
    ]


def test_every_bad_cell_at_once_with_its_spreadsheet_row(tmp_path: Path) -> None:
    sheet = (
        "name,track,sponsors,min_step2_ck,usce_required,verified_on,letters_wanted,source\n"
        "Good,advanced,j1,230,yes,2026-10-01,3,https://example.org\n"
        "Bad,fellowship,f1,abc,maybe,10/01/2026,5,\n"
        ",categorical,,,,,,\n"
        "Worse,,j1,400,,,,\n"
    )
    path = write_sheet(tmp_path, sheet)
    shown = (tmp_path / "programs.csv").as_posix()
    assert problems(path) == [
        f"{shown}:3: letters_wanted: found '5'; allowed: 3, 4",
        f"{shown}:3: min_step2_ck: found 'abc'; expected a whole number",
        f"{shown}:3: sponsors: found 'f1'; allowed: j1, h1b, both as j1;h1b, or none (leave the cell empty when you do not know)",
        f"{shown}:3: track: found 'fellowship'; allowed: advanced, categorical, preliminary, transitional",
        f"{shown}:3: usce_required: found 'maybe'; expected true or false (yes or no also work)",
        f"{shown}:3: verified_on: found '10/01/2026'; expected a date YYYY-MM-DD",
        f"{shown}:4: name: the cell is empty; every program needs one",
        f"{shown}:5: min_step2_ck: found '400'; expected 300 or less",
    ]


def test_bad_cells_exit_2_without_a_traceback(tmp_path: Path) -> None:
    code, out, err = check(write_sheet(tmp_path, "name,signal\nA,platinum\n"))
    assert code == 2
    assert out == ""
    assert err.splitlines()[-1].endswith("programs.csv:2: signal: found 'platinum'; allowed: gold, silver, none")
    assert "Traceback" not in err


def test_a_header_without_a_name_column_or_with_a_repeated_one(tmp_path: Path) -> None:
    shown = (tmp_path / "programs.csv").as_posix()
    assert problems(write_sheet(tmp_path, "program,track\nA,advanced\n")) == [
        f"{shown}:1: name: the header row has no name column; every program needs a name"
    ]
    assert problems(write_sheet(tmp_path, "name,Name\nA,B\n")) == [
        f"{shown}:1: name: this column appears twice in the header row; keep one"
    ]


def test_cells_past_the_header_are_an_error(tmp_path: Path) -> None:
    shown = (tmp_path / "programs.csv").as_posix()
    assert problems(write_sheet(tmp_path, "name,track\nA,advanced,extra\n")) == [
        f"{shown}:2: found 'extra' past the last column of the header row"
    ]


def test_an_empty_file(tmp_path: Path) -> None:
    shown = (tmp_path / "programs.csv").as_posix()
    assert problems(write_sheet(tmp_path, "")) == [
        f"{shown}:1: the file is empty; the first row names the columns, such as name, track"
    ]


def test_a_missing_file_is_one_line_naming_the_profile_key(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    code, _, err = check(path)
    assert code == 2
    assert err.splitlines() == [
        f"error: {path}:12: programs_file: found 'programs.csv': no such file at {tmp_path.as_posix()}/programs.csv; "
        "give a CSV file, relative to the profile"
    ]


def test_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    shown = (tmp_path / "programs.csv").as_posix()
    assert problems(write_sheet(tmp_path, "name\nM\xfcnster\n".encode("latin-1"))) == [
        f"{shown}:2: byte 0xfc is not UTF-8; save the file as UTF-8"
    ]


def test_both_lists_at_once_is_an_error(tmp_path: Path) -> None:
    profile = PROFILE + "programs:\n  - name: A\n"
    path = write_sheet(tmp_path, "name\nB\n", profile)
    assert problems(path) == [f"{path}:12: programs_file: found both `programs:` and `programs_file:`; keep one of them"]


def test_the_shipped_example_builds_its_list() -> None:
    loaded = load_profile(Path("profiles/programs-from-spreadsheet.yaml"))
    assert loaded.profile.programs_file == "programs.example.csv"
    assert len(loaded.profile.programs) >= 6
    assert loaded.ignored_columns == ("Interview month", "My notes")


def test_the_overview_counts_each_advisees_programs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    handbook = build.prepare(Path("profiles/programs-from-spreadsheet.yaml"))
    values = overview.summary(handbook)
    assert values["programs"] == {"listed": 7, "no_fit": 2, "no_visa": 1}
    records.write(out, "amara", records.Record("amara.yaml", "k", summary=values))
    (out / "amara").mkdir()
    (out / "amara" / "index.html").write_text("<p>handbook</p>")
    old = {key: value for key, value in values.items() if key != "programs"}  # a record from before this column
    records.write(out, "bo", records.Record("bo.yaml", "k", summary={**old, "name": "Bo"}))
    (out / "bo").mkdir()
    (out / "bo" / "index.html").write_text("<p>handbook</p>")
    page = overview.render(overview.rows(out, [("amara", "amara.yaml"), ("bo", "bo.yaml")]))
    assert (
        '<th scope="col" data-key="no_visa" class="number" data-type="number" '
        'title="Programs that cannot take the advisee\'s visa">No visa</th>'
    ) in page
    assert '<td class="number">7</td>\n      <td class="number flagged">2</td>\n      <td class="number flagged">1</td>' in page
    assert page.count('data-sort="">&ndash;</td>') == 3


def test_a_changed_spreadsheet_rebuilds_the_handbook_in_build_all(tmp_path: Path) -> None:
    path = write_sheet(tmp_path, "name\nA\n")
    before = records.profile_bytes(path)
    (tmp_path / "programs.csv").write_text("name\nB\n", encoding="utf-8")
    assert records.profile_bytes(path) != before
    assert records.programs_sheet(path) == tmp_path / "programs.csv"


def test_build_all_parses_a_profile_for_its_spreadsheet_only_when_the_key_may_be_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "escaped.yaml").write_text('"programs\\x5ffile": sheet.csv\n', encoding="utf-8")
    (tmp_path / "plain.yaml").write_text("profile_version: 1\nprograms: []\n", encoding="utf-8")
    assert records.programs_sheet(tmp_path / "escaped.yaml") == tmp_path / "sheet.csv"

    def refuse(text: str, file: str | Path) -> None:
        raise AssertionError("parsed")

    from generator import yamlsafe

    monkeypatch.setattr(yamlsafe, "load", refuse)
    assert records.programs_sheet(tmp_path / "plain.yaml") is None
    assert records.profile_bytes(tmp_path / "plain.yaml") == b"profile_version: 1\nprograms: []\n"


@pytest.mark.parametrize(
    ("cell", "visas"),
    [
        ("j1", ["j1"]),
        ("H1B", ["h1b"]),
        ("j1;", ["j1"]),
        ("J-1 / H-1B", ["j1", "h1b"]),
        ("h1b,j1,h1b", ["h1b", "j1"]),
        ("none", []),
    ],
)
def test_sponsors_cells(tmp_path: Path, cell: str, visas: list[str]) -> None:
    (program,) = load_profile(write_sheet(tmp_path, f'name;sponsors\nA;"{cell}"\n')).profile.programs
    assert program.sponsors == visas


def test_a_sponsors_cell_of_separators_only_is_an_error(tmp_path: Path) -> None:
    (line,) = problems(write_sheet(tmp_path, "name;sponsors\nA;/\n"))
    assert line.endswith(
        "programs.csv:2: sponsors: found '/'; allowed: j1, h1b, both as j1;h1b, "
        "or none (leave the cell empty when you do not know)"
    )


def test_the_programs_page_of_a_public_build_holds_no_score() -> None:
    example = Path("profiles/programs-from-spreadsheet.yaml")
    private = build.prepare(example).files["docs/programs.md"].decode()
    public = build.prepare(example, public=True).files["docs/programs.md"].decode()
    assert "| Step 2 CK score | 230 or more | 236 | met |" in private
    assert "| Step 2 CK score | 230 or more | not in this handbook | unknown |" in public
    assert "236" not in public
    assert "Your list comes from your spreadsheet, programs.example.csv, kept in its own order." in public
