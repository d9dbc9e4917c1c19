"""`handbook merge-ticks`: exported ticks written into the profile's done: list, comments kept."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.build import check, handbook_key
from generator.cli import cli
from generator.ticks import with_done
from tests.conftest import PROFILES


def _setup(tmp_path: Path) -> tuple[Path, str]:
    profile = tmp_path / "j1.yaml"
    shutil.copy(PROFILES / "j1-letters-in-progress.yaml", profile)
    return profile, handbook_key(check(profile).loaded)


def _ticks(tmp_path: Path, handbook: str, ticked: list[str], unticked: list[str] | None = None) -> Path:
    path = tmp_path / "ticks.json"
    data = {"format": "handbook-ticks/1", "handbook": handbook, "ticked": ticked, "unticked": unticked or []}
    path.write_text(json.dumps(data))
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_ticked_items_are_added_and_unticked_removed_keeping_comments(tmp_path: Path) -> None:
    profile, key = _setup(tmp_path)
    before = check(profile).loaded.profile.done
    assert "res-skills-zotero" in before
    text = profile.read_text()
    code, out, _ = run("merge-ticks", str(_ticks(tmp_path, key, ["res-skills-pubmed"], ["res-skills-zotero"])), str(profile))
    assert code == 0
    assert out == f"Updated done: in {profile}: added res-skills-pubmed; removed res-skills-zotero.\n"
    after = check(profile).loaded.profile.done
    assert "res-skills-pubmed" in after and "res-skills-zotero" not in after
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in profile.read_text().splitlines() if line.lstrip().startswith("#")]
    code, out, _ = run("merge-ticks", str(_ticks(tmp_path, key, ["res-skills-pubmed"])), str(profile))
    assert (code, out) == (0, f"{profile} already has these ticks; nothing changed.\n")


def test_an_unknown_id_changes_nothing(tmp_path: Path) -> None:
    profile, key = _setup(tmp_path)
    text = profile.read_text()
    code, _, err = run("merge-ticks", str(_ticks(tmp_path, key, ["res-skills-nonexistent"])), str(profile))
    assert code == 2 and "unknown checklist item 'res-skills-nonexistent'" in err
    assert profile.read_text() == text and not list(tmp_path.glob(".*merging"))


def test_ticks_of_another_handbook_need_force(tmp_path: Path) -> None:
    profile, _ = _setup(tmp_path)
    ticks = _ticks(tmp_path, "someone-else", ["res-skills-pubmed"])
    code, _, err = run("merge-ticks", str(ticks), str(profile))
    assert code == 2
    key = handbook_key(check(profile).loaded)
    expected = f"{ticks}: holds the ticks of another handbook (someone-else, not {key}); use --force to merge them anyway\n"
    assert err.endswith(expected)
    assert run("merge-ticks", str(ticks), str(profile), "--force")[0] == 0


def test_a_file_that_is_not_a_ticks_file(tmp_path: Path) -> None:
    profile, _ = _setup(tmp_path)
    bad = tmp_path / "bad.json"
    bad.write_text('{"ticked": "all"}')
    code, _, err = run("merge-ticks", str(bad), str(profile))
    assert (code, err) == (2, f"error: {bad}: not a ticks file; use the file a handbook's 'Export ticks' button saves\n")


def test_done_lists_in_every_shape() -> None:
    assert with_done("a: 1\ndone: [x]\nb: 2\n", ["x", "y"]) == "a: 1\ndone:\n  - x\n  - y\nb: 2\n"
    assert with_done("a: 1\ndone:\n  - x\n\n# end\n", ["y"]) == "a: 1\ndone:\n  - y\n\n# end\n"
    assert with_done("a: 1\ndone:\n- x\n- z\nb: 2\n", []) == "a: 1\ndone: []\nb: 2\n"
    assert with_done("a: 1", ["x"]) == "a: 1\ndone:\n  - x\n"
