"""`handbook build-all`: parallel, incremental, sharded builds; one bad profile never stops the others."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from generator import batch, records
from generator.paths import CONTENT
from generator.progress import Progress
from tests.conftest import PROFILES

TODAY = "2026-11-23"
PAIR = {"priya": "j1-letters-in-progress.yaml", "maria": "us-late-applying.yaml"}
SUMMARY = re.compile(r"built (\d+), skipped (\d+), failed (\d+) in \d+\.\d s; overview: (.+)\n")


def build_all(*args: str) -> Result:
    from generator.cli import cli

    return CliRunner().invoke(cli, ["build-all", *args, "--today", TODAY])


def counts(result: Result) -> tuple[int, int, int]:
    match = SUMMARY.fullmatch(result.stdout)
    assert match, result.stdout + result.stderr
    return int(match[1]), int(match[2]), int(match[3])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def pair(folder: Path) -> Path:
    folder.mkdir()
    for name, example in PAIR.items():
        shutil.copy(PROFILES / example, folder / f"{name}.yaml")
    return folder


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Result]:
    """Two profiles built once, in two worker processes."""
    root = tmp_path_factory.mktemp("batch")
    folder, out = pair(root / "profiles"), root / "out"
    return folder, out, build_all(str(folder), "-o", str(out), "--jobs", "2")


@pytest.fixture
def copy(built: tuple[Path, Path, Result], tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the built pair, for tests that change it."""
    folder, out, _ = built
    return Path(shutil.copytree(folder, tmp_path / "profiles")), Path(shutil.copytree(out, tmp_path / "out"))


def test_first_run_builds_every_handbook_and_the_overview(built: tuple[Path, Path, Result]) -> None:
    _, out, result = built
    assert result.exit_code == 0 and counts(result) == (2, 0, 0)
    assert sorted(result.stderr.splitlines()) == ["built maria", "built priya"]
    match = SUMMARY.fullmatch(result.stdout)
    assert match and match[4] == str(out / "index.html")
    assert (out / "priya" / "index.html").is_file() and (out / "maria" / "search" / "search_index.js").is_file()


def test_second_run_skips_both(built: tuple[Path, Path, Result]) -> None:
    folder, out, _ = built
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    result = build_all(str(folder), "-o", str(out))
    assert result.exit_code == 0 and counts(result) == (0, 2, 0)
    assert result.stderr == "skipped maria\nskipped priya\n"
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_a_missing_site_is_rebuilt(copy: tuple[Path, Path]) -> None:
    folder, out = copy
    shutil.rmtree(out / "maria")
    result = build_all(str(folder), "-o", str(out), "--jobs", "1")
    assert counts(result) == (1, 1, 0) and result.stderr == "skipped priya\nbuilt maria\n"


def test_the_default_content_is_the_pipelines() -> None:
    assert batch.Options().content == CONTENT


def test_every_input_is_in_the_key() -> None:
    key = records.inputs_key("shared", b"profile", False, None)
    others = [("other", b"profile", False, None), ("shared", b"profile2", False, None)]
    others += [("shared", b"profile", True, None), ("shared", b"profile", False, "2026-11-23")]
    assert len({key, *(records.inputs_key(*args) for args in others)}) == 5


def test_one_bad_profile_fails_alone_and_keeps_its_old_site(copy: tuple[Path, Path]) -> None:
    folder, out = copy
    old_site = snapshot(out / "maria")
    bad = folder / "maria.yaml"
    bad.write_text(bad.read_text().replace("citizenship: us", "citizenship: maybe"))
    (folder / "priya.yaml").write_text((folder / "priya.yaml").read_text() + "# edited\n")
    result = build_all(str(folder), "-o", str(out), "--jobs", "1")
    line = bad.read_text().splitlines().index("  citizenship: maybe") + 1
    problem = f"{bad}:{line}: applicant.citizenship: found 'maybe'; allowed: us, non_us"
    assert result.exit_code == 1 and counts(result) == (1, 0, 1)
    assert result.stderr.splitlines() == [
        f"failed maria: {problem}",
        "built priya",
        "error: maria could not be built; its previous handbook is unchanged:",
        f"  {problem}",
    ]
    assert snapshot(out / "maria") == old_site
    record = records.read(out, "maria")
    assert record is not None and record.error == problem and record.summary and record.summary["name"] == "Maria Lopez"
    again = build_all(str(folder), "-o", str(out), "--jobs", "1")
    assert again.exit_code == 1 and counts(again) == (0, 1, 1), "a failed profile is tried again, never skipped"


def test_a_bug_in_one_build_is_reported_and_the_batch_goes_on(copy: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    folder, out = copy

    def broken(*args: Any) -> None:
        raise RuntimeError("boom: a message may quote 15550123")

    monkeypatch.setattr("generator.build.build", broken)
    for name in PAIR:
        (folder / f"{name}.yaml").write_text((folder / f"{name}.yaml").read_text() + "# edited\n")
    result = build_all(str(folder), "-o", str(out), "--jobs", "1")
    assert result.exit_code == 1 and counts(result) == (0, 0, 2)
    assert result.stderr.splitlines()[:2] == [
        "failed maria: unexpected error (RuntimeError in test_batch.py, line 125); this is a bug: please report it, "
        f"with what `handbook --debug build {folder / 'maria.yaml'}` prints",
        "failed priya: unexpected error (RuntimeError in test_batch.py, line 125); this is a bug: please report it, "
        f"with what `handbook --debug build {folder / 'priya.yaml'}` prints",
    ]
    assert "15550123" not in result.stderr and "15550123" not in (out / "index.html").read_text()
    assert "15550123" not in (out / ".handbook" / "maria.json").read_text()


def test_changed_content_rebuilds_both(tmp_path: Path) -> None:
    content = Path(shutil.copytree(CONTENT, tmp_path / "content"))
    folder, out = pair(tmp_path / "profiles"), tmp_path / "out"
    options = batch.Options(today=None, content=content, jobs=1)
    quiet = io.StringIO()
    assert len(batch.run(folder, out, options, quiet, quiet).built) == 2
    assert len(batch.run(folder, out, options, quiet, quiet).skipped) == 2
    guide = content / "sections" / "home" / "30-guide.md"
    guide.write_text(guide.read_text() + "\nAsk the advising office before each deadline.\n")
    report = batch.run(folder, out, options, quiet, quiet)
    assert sorted(report.built) == ["maria", "priya"]
    for name in PAIR:
        assert "Ask the advising office before each deadline." in (out / name / "index.html").read_text()


def test_shards_partition_the_profiles_exactly() -> None:
    names = [f"advisee-{i:03}" for i in range(200)]
    for count in range(1, 7):
        slices = [[n for n in names if batch.Shard(index, count).holds(n)] for index in range(1, count + 1)]
        assert sorted(n for s in slices for n in s) == names
        assert all(slices), f"an empty shard among {count}"


def test_shards_build_apart_and_merge_into_one_overview(tmp_path: Path) -> None:
    folder, merged = pair(tmp_path / "profiles"), tmp_path / "merged"
    outputs = []
    for shard in ("1/2", "2/2"):
        out = tmp_path / f"shard-{shard[0]}"
        result = build_all(str(folder), "-o", str(out), "--shard", shard, "--jobs", "1")
        assert result.exit_code == 0, result.stderr
        assert f"shard {shard} (" in result.stdout and not (out / "index.html").exists()
        outputs.append(sorted(p.name for p in out.iterdir() if not p.name.startswith(".")))
        shutil.copytree(out, merged, dirs_exist_ok=True)
    assert sorted(outputs[0] + outputs[1]) == ["maria", "priya"]
    result = build_all(str(folder), "-o", str(merged), "--overview-only")
    assert result.exit_code == 0 and result.stdout == f"Wrote the overview {merged / 'index.html'}.\n"
    page = (merged / "index.html").read_text()
    assert 'href="maria/index.html"' in page and 'href="priya/index.html"' in page


def test_overview_lists_each_advisee_once_with_the_right_tier(built: tuple[Path, Path, Result]) -> None:
    _, out, _ = built
    page = (out / "index.html").read_text()
    rows = re.findall(r'<a href="([^"]+)">([^<]+)</a>.*?class="tier tier-(\w+)"', page, re.DOTALL)
    # both records are submitted work only: pending, not counted
    assert rows == [("maria/index.html", "Maria Lopez", "none"), ("priya/index.html", "Priya Natarajan", "none")]
    assert page.count(">Maria Lopez<") == 1 and page.count(">Priya Natarajan<") == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("3", "'3' is not I/N; for example 2/4 is the second of four slices"),
        ("0/4", "'0/4': I must be from 1 to 4"),
        ("5/4", "'5/4': I must be from 1 to 4"),
        ("1/0", "'1/0': N must be 1 or more"),
    ],
)
def test_a_wrong_shard_is_a_usage_error(value: str, message: str) -> None:
    result = build_all(str(PROFILES), "-o", "unused", "--shard", value)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: Invalid value for '--shard': {message}"


def test_overview_only_refuses_a_shard() -> None:
    result = build_all(str(PROFILES), "-o", "unused", "--shard", "1/2", "--overview-only")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: --overview-only lists the handbooks of every shard; use it without --shard"


def test_a_folder_without_profiles(tmp_path: Path) -> None:
    result = build_all(str(tmp_path), "-o", str(tmp_path / "out"))
    assert (result.exit_code, result.stderr) == (2, f"error: {tmp_path}: no profiles here; a profile is a .yaml or .yml file\n")


def test_two_profiles_with_one_name(tmp_path: Path) -> None:
    (tmp_path / "ana.yaml").write_text("profile_version: 1\n")
    (tmp_path / "ana.yml").write_text("profile_version: 1\n")
    result = build_all(str(tmp_path), "-o", str(tmp_path / "out"))
    message = f"error: {tmp_path / 'ana.yaml'} and {tmp_path / 'ana.yml'} would both build into ana/; rename one\n"
    assert (result.exit_code, result.stderr) == (2, message)


def test_profiles_in_subfolders_build_into_the_same_subfolders(tmp_path: Path) -> None:
    folder = tmp_path / "advisees"
    (folder / "2027").mkdir(parents=True)
    (folder / ".git").mkdir()
    shutil.copy(PROFILES / "us-late-applying.yaml", folder / "2027" / "maria.yaml")
    shutil.copy(PROFILES / "us-late-applying.yaml", folder / ".git" / "not-a-profile.yaml")
    out = folder / "handbooks"  # inside the advisees' folder: never read as profiles
    result = build_all(str(folder), "-o", str(out), "--jobs", "1")
    assert counts(result) == (1, 0, 0)
    assert (out / "2027" / "maria" / "index.html").is_file() and (out / ".handbook" / "2027" / "maria.json").is_file()
    page = (out / "index.html").read_text()
    assert '<a href="2027/maria/index.html">Maria Lopez</a>' in page and '<td data-sort="2027">2027</td>' in page
    assert counts(build_all(str(folder), "-o", str(out), "--jobs", "1")) == (0, 1, 0)


def test_a_profile_whose_folder_holds_other_profiles_is_ambiguous(tmp_path: Path) -> None:
    (tmp_path / "2027").mkdir()
    (tmp_path / "2027.yaml").write_text("profile_version: 1\n")
    (tmp_path / "2027" / "ana.yaml").write_text("profile_version: 1\n")
    result = build_all(str(tmp_path), "-o", str(tmp_path / "out"))
    message = (
        f"error: {tmp_path / '2027.yaml'} builds into 2027/, where {tmp_path / '2027' / 'ana.yaml'} builds too "
        "(into 2027/ana/); rename the profile or the folder\n"
    )
    assert (result.exit_code, result.stderr) == (2, message)


def test_a_build_dated_by_the_clock_is_fresh_only_that_day() -> None:
    record = records.Record("a.yaml", inputs="key", clock_date="2026-11-23")
    assert record.is_fresh("key", "2026-11-23")
    assert not record.is_fresh("key", "2026-11-24")
    assert not record.is_fresh("other", "2026-11-23")
    assert records.Record("a.yaml", inputs="key").is_fresh("key", "2030-01-01")


def test_progress_on_a_terminal_is_one_redrawn_line() -> None:
    stream = io.StringIO()
    progress = Progress(2, stream, terminal=True)
    progress.begin()
    progress.done("built", "ana")
    progress.done("failed", "bo", "bo.yaml:3: goal: missing\nmore")
    progress.finish()
    assert stream.getvalue() == (
        "\r\x1b[K[........................] 0/2 built 0, skipped 0, failed 0  "
        "\r\x1b[K[############............] 1/2 built 1, skipped 0, failed 0  ana"
        "\r\x1b[Kfailed bo: bo.yaml:3: goal: missing\n"
        "\r\x1b[K[########################] 2/2 built 1, skipped 0, failed 1  bo"
        "\r\x1b[K"
    )
