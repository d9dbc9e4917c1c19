"""Malformed and hostile profiles: each stops with exit 2 and located messages, no traceback, nothing written.

The corpus is tests/hostile/NN-name.yaml: a first comment line says what is wrong and
each `# expect:` line is one problem line the handbook must print, `{file}` standing for
the path. Inputs that cannot be committed as text (empty, huge, non-UTF-8, control
characters) are written at test time from GENERATED.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import cli
from generator.yamlsafe import MAX_BYTES
from tests.conftest import MINIMAL

HOSTILE = Path(__file__).parent / "hostile"
CORPUS = sorted(HOSTILE.glob("*.yaml"))
HANDBOOK = Path(sys.executable).parent / "handbook"
HUGE = (MINIMAL + "# padding\n" * (MAX_BYTES // 10)).encode()
GENERATED: dict[str, tuple[bytes, list[str]]] = {
    "empty-file": (
        b"",
        ["{file}:1: found an empty file; a profile is a mapping of keys such as profile_version, applicant, goal"],
    ),
    "huge-file": (HUGE, [f"{{file}}: the file is {len(HUGE):,} bytes; at most 262,144 bytes are allowed"]),
    "latin-1": (
        MINIMAL.replace("Test Person", "Jos\u00e9 P\u00e9rez").encode("latin-1"),
        ["{file}:4: byte 0xe9 is not UTF-8; save the file as UTF-8"],
    ),
    "utf-16": (MINIMAL.encode("utf-16"), ["{file}:1: byte 0xff is not UTF-8; save the file as UTF-8"]),
    "nul-byte": (
        MINIMAL.replace("Test School", "Test\x00School").encode(),
        ["{file}:5: the character U+0000 is not allowed in YAML; remove it"],
    ),
    "escape-character": (
        MINIMAL.replace("Testland", "\x1b[31mTestland").encode(),
        ["{file}:6: the character U+001B is not allowed in YAML; remove it"],
    ),
}
VERBS = ("check", "check-json", "build")


def expected(path: Path) -> list[str]:
    """The `# expect:` lines of a corpus file, with its path filled in."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.removeprefix("# expect: ").replace("{file}", str(path)) for line in lines if line.startswith("# expect: ")]


def stderr_of(problems: list[str]) -> str:
    """What the CLI prints for these problems (cli._Group)."""
    if len(problems) == 1:
        return f"error: {problems[0]}\n"
    return "error: the input has problems:\n" + "".join(f"{p}\n" for p in problems)


def args(verb: str, profile: Path, out: Path) -> list[str]:
    return {
        "check": ["check", str(profile)],
        "check-json": ["check", str(profile), "--format", "json"],
        "build": ["build", str(profile), "-o", str(out)],
    }[verb]


def listing(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


def assert_refused(verb: str, profile: Path, problems: list[str], tmp_path: Path) -> None:
    """Exit 2, exactly these problem lines on stderr, nothing on stdout, nothing written (speed is in bench/)."""
    before, out = listing(tmp_path), tmp_path / "site"
    result = CliRunner().invoke(cli, args(verb, profile, out))
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", stderr_of(problems))
    assert "Traceback" not in result.stderr
    assert not out.exists() and listing(tmp_path) == before


def corpus_cases() -> list[object]:
    cases: list[object] = []
    for path in CORPUS:
        for verb in VERBS:
            cases.append(pytest.param(path, verb, id=f"{path.stem}-{verb}"))
    return cases


def test_the_corpus_covers_at_least_40_inputs_each_with_expectations() -> None:
    assert len(CORPUS) + len(GENERATED) >= 40
    assert [p.name[:3] for p in CORPUS] == [f"{n:02d}-" for n in range(1, len(CORPUS) + 1)]
    for path in CORPUS:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# ") and not text.startswith("# expect: "), f"{path.name}: first line says what is wrong"
        assert expected(path), f"{path.name} has no `# expect:` line"


@pytest.mark.parametrize(("path", "verb"), corpus_cases())
def test_corpus_profile_is_refused(path: Path, verb: str, tmp_path: Path) -> None:
    assert_refused(verb, path, expected(path), tmp_path)


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("name", GENERATED)
def test_generated_profile_is_refused(name: str, verb: str, tmp_path: Path) -> None:
    data, problems = GENERATED[name]
    profile = tmp_path / f"{name}.yaml"
    profile.write_bytes(data)
    assert_refused(verb, profile, [p.replace("{file}", str(profile)) for p in problems], tmp_path)


def test_a_huge_file_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    """A 5 MB file of nested mappings costs no more than reading its size."""
    profile = tmp_path / "huge.yaml"
    profile.write_text("".join("  " * (i % 40) + f"k{i}:\n" for i in range(100_000)))
    result = CliRunner().invoke(cli, ["check", str(profile)])
    assert result.exit_code == 2 and "bytes are allowed" in result.stderr


def test_the_whole_corpus_is_checked_in_one_call() -> None:
    """Several profiles at once: one block each, every one refused, the worst status (2)."""
    result = CliRunner().invoke(cli, ["check", *map(str, CORPUS)])
    assert result.exit_code == 2
    assert result.stderr.count("error: ") == len(CORPUS)


SUBPROCESS_CASES = [
    "01-syntax-unclosed-flow-list",
    "09-alias-bomb",
    "46-letter-asked-without-date",
    "51-season-too-far-ahead",
]


@pytest.mark.skipif(not HANDBOOK.exists(), reason="the handbook script is not installed next to this Python")
@pytest.mark.parametrize("stem", SUBPROCESS_CASES)
def test_the_real_command_prints_no_traceback(stem: str, tmp_path: Path) -> None:
    (path,) = (p for p in CORPUS if p.stem == stem)
    for verb in ("check", "build"):
        run = subprocess.run(
            [str(HANDBOOK), *args(verb, path, tmp_path / "site")],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert (run.returncode, run.stdout, run.stderr) == (2, "", stderr_of(expected(path)))
    assert listing(tmp_path) == []


@pytest.mark.skipif(not HANDBOOK.exists(), reason="the handbook script is not installed next to this Python")
def test_the_real_command_refuses_undecodable_bytes(tmp_path: Path) -> None:
    data, problems = GENERATED["latin-1"]
    profile = tmp_path / "latin-1.yaml"
    profile.write_bytes(data)
    run = subprocess.run([str(HANDBOOK), "build", str(profile), "-o", str(tmp_path / "site")], capture_output=True, timeout=60)
    assert run.returncode == 2 and run.stdout == b""
    assert run.stderr.decode() == stderr_of([p.replace("{file}", str(profile)) for p in problems])
    assert listing(tmp_path) == ["latin-1.yaml"]
