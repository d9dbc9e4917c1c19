from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import yamlsafe
from generator.errors import InputError


def _errors(text: str) -> list[str]:
    with pytest.raises(InputError) as info:
        yamlsafe.load(text, "p.yaml")
    return [str(p) for p in info.value.problems]


def test_lines_are_remembered_for_every_key() -> None:
    data, lines = yamlsafe.load("a: 1\nb:\n  - x: 2\n  - x: 3\n", "p.yaml")
    assert data == {"a": 1, "b": [{"x": 2}, {"x": 3}]}
    assert lines[("a",)] == 1
    assert lines[("b", 1, "x")] == 4


def test_duplicate_key_is_an_error_naming_both_lines() -> None:
    assert _errors("a: 1\nb: 2\na: 3\n") == ["p.yaml:3: a: duplicate key; it is first set on line 1"]


def test_anchors_and_aliases_are_refused() -> None:
    assert _errors("a: &x [1, 2]\nb: *x\n") == ["p.yaml:1: anchors and aliases (& and *) are not allowed; write the value out"]


def test_alias_bomb_is_refused_before_expansion() -> None:
    bomb = 'a: &a ["x","x"]\nb: &b [*a,*a]\nc: &c [*b,*b]\nd: &d [*c,*c]\n'
    assert "anchors and aliases" in _errors(bomb)[0]


def test_tags_are_refused() -> None:
    assert _errors("a: !!python/name:os.system x\n")[0].startswith("p.yaml:1: a: the tag")


def test_syntax_error_names_the_line() -> None:
    assert _errors("a: [1, 2\nb: 3\n") == [
        "p.yaml:1: not valid YAML: a list opened on this line is not closed ('[' ... ']'), "
        "or an item in it holds ': ' and needs quotes"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a:\n\t- x\n", "p.yaml:2: not valid YAML: a tab is used for indentation here; indent with spaces only (2 per level)"),
        (
            "a: 1\nb:\n  - x\n - y\n",
            "p.yaml:4: not valid YAML: a list item ('-') is indented differently from the items above it; line it up with them",
        ),
        ("name:Maria\nschool: X\n", "p.yaml:1: not valid YAML: a key has no space after its colon; write `key: value`"),
        (
            "a: 1\n  b: 2\n",
            "p.yaml:2: not valid YAML: this line is indented more than the key above it; line it up with the keys of its section",
        ),
        (
            "a: b: c\n",
            "p.yaml:1: not valid YAML: the value on this line holds ': ' (a colon and a space); put the value in quotes",
        ),
        (
            "a: 'x\nb: 2\n",
            "p.yaml:1: not valid YAML: a quote opened on this line is never closed; end the text with the same quote mark",
        ),
    ],
)
def test_syntax_errors_in_plain_words_with_the_parser_detail_kept_for_debug(text: str, expected: str) -> None:
    assert _errors(text) == [expected]
    with pytest.raises(InputError) as caught:
        yamlsafe.load(text, "p.yaml")
    assert caught.value.__notes__[0].startswith("YAML parser: ")


def test_non_string_keys_are_refused() -> None:
    assert _errors("1: a\n") == ["p.yaml:1: the key '1' must be a word; quote it or rename it"]


def test_huge_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 300_000)
    with pytest.raises(InputError) as info:
        yamlsafe.read_text(path)
    assert str(info.value) == f"{path}: the file is 300,003 bytes; at most 262,144 bytes are allowed"


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("a: 1\nname: Jos\xe9\n".encode("latin-1"))
    with pytest.raises(InputError) as info:
        yamlsafe.read_text(path)
    assert str(info.value) == f"{path}:2: byte 0xe9 is not UTF-8; save the file as UTF-8"


def test_plain_values_are_read_as_yaml_1_2_reads_them() -> None:
    """As the schema and the editors' YAML language server read them: yes/no are text, 0123 is not octal."""
    text = "a: yes\nb: No\nc: on\nd: 01234567\ne: 0o17\nf: 0x1F\ng: 1:20\nh: true\ni: FALSE\nj: 1e3\nk: ~\nl:\nm: 2026-01-02\n"
    data, _ = yamlsafe.load(text, "p.yaml")
    assert data == {
        "a": "yes",
        "b": "No",
        "c": "on",
        "d": 1234567,
        "e": 15,
        "f": 31,
        "g": "1:20",
        "h": True,
        "i": False,
        "j": 1000.0,
        "k": None,
        "l": None,
        "m": dt.date(2026, 1, 2),
    }


def test_a_private_value_is_never_quoted_in_a_problem() -> None:
    text = "secret:\n  day: 2027-02-30\n  ratio: .nan\nopen:\n  day: 2027-02-30\n"
    with pytest.raises(InputError) as info:
        yamlsafe.load(text, "p.yaml", lambda key: key[:1] == ("secret",))
    assert [str(p) for p in info.value.problems] == [
        "p.yaml:2: secret.day: found a date that does not exist; expected a date YYYY-MM-DD",
        "p.yaml:3: secret.ratio: found a number that is infinite or not a number; expected an ordinary number",
        "p.yaml:5: open.day: found '2027-02-30', which is not a date that exists; expected a date YYYY-MM-DD",
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('a: "x\\ey"\n', "p.yaml:1: a: found a control character (U+001B); remove it"),
        ('a: "x\\0y"\n', "p.yaml:1: a: found a control character (U+0000); remove it"),
        ('a: "x\\ry"\n', "p.yaml:1: a: found a control character (U+000D); remove it"),
        ('a: "x\\x85y"\n', "p.yaml:1: a: found a control character (U+0085); remove it"),
        ('a: ["x\\u202Ey"]\n', "p.yaml:1: a[0]: found a control character (U+202E); remove it"),
        ("a: x\u2066y\n", "p.yaml:1: a: found a control character (U+2066); remove it"),
        ('a: "x\\Ly"\n', "p.yaml:1: a: found a control character (U+2028); remove it"),
        ('a: "x\\Py"\n', "p.yaml:1: a: found a control character (U+2029); remove it"),
        ('a:\n  "k\\e": 1\n', "p.yaml:2: a: a key holds a control character (U+001B); remove it"),
    ],
)
def test_control_characters_written_as_escapes_are_refused(text: str, message: str) -> None:
    assert _errors(text) == [message]


def test_tabs_and_new_lines_in_text_are_kept() -> None:
    assert yamlsafe.load('a: "one\\ttwo\\nthree"\n', "p.yaml")[0] == {"a": "one\ttwo\nthree"}


def test_a_key_under_a_private_field_is_never_quoted() -> None:
    with pytest.raises(InputError) as info:
        yamlsafe.load("secret:\n  16660999: x\nopen:\n  1234: x\n", "p.yaml", lambda key: key[:1] == ("secret",))
    assert [str(p) for p in info.value.problems] == [
        "p.yaml:2: secret: the key written as a number, a date or true/false must be a word; quote it or rename it",
        "p.yaml:4: open: the key '1234' must be a word; quote it or rename it",
    ]


# libyaml's reading (yamlsafe._FastLoader) against PyYAML's own (_NoAliasLoader): the same data, lines and
# messages for every file the tool reads and for generated text. Where libyaml complains, the careful
# loader reads the file again, so a message is always PyYAML's in our words.

ROOT = Path(__file__).resolve().parent.parent
READ_BY_THE_TOOL = sorted(
    [*ROOT.glob("profiles/*.yaml"), *ROOT.glob("tests/hostile/*.yaml"), *ROOT.glob("content/**/*.yaml"), ROOT / "mkdocs.yml"]
)


def _outcome(text: str, fast: bool, monkeypatch: pytest.MonkeyPatch) -> object:
    with monkeypatch.context() as patch:
        if not fast:
            patch.setattr(yamlsafe, "CParser", None)
        try:
            return yamlsafe.load(text, "p.yaml", private=lambda key: key[:1] == ("secret",))
        except InputError as exc:
            return [str(p) for p in exc.problems]


pytestmark_libyaml = pytest.mark.skipif(yamlsafe.CParser is None, reason="PyYAML is built without libyaml")


@pytestmark_libyaml
@pytest.mark.parametrize("path", READ_BY_THE_TOOL, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_libyaml_reads_every_file_of_the_tool_as_pyyaml_does(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = path.read_bytes().decode("utf-8", errors="replace")
    assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch)


def test_a_profile_is_read_by_libyaml_when_it_is_there(monkeypatch: pytest.MonkeyPatch) -> None:
    made: list[str] = []
    careful = yamlsafe._careful
    monkeypatch.setattr(yamlsafe, "_careful", lambda text, file: made.append(text) or careful(text, file))
    yamlsafe.load((ROOT / "profiles" / "j1-letters-in-progress.yaml").read_text(encoding="utf-8"), "p.yaml")
    assert len(made) == (0 if yamlsafe.CParser is not None else 1)
    with pytest.raises(InputError):
        yamlsafe.load("a: [1\n", "p.yaml")  # libyaml complains: PyYAML's reading says what is wrong
    assert len(made) == (1 if yamlsafe.CParser is not None else 2)


# Texts where libyaml and PyYAML were found to differ (each is now read the careful way).
FOUND_APART = [
    "---",
    "- a\t",
    "1e3''? 2027-03-19a:\n  b: c\n\ufeff\rtrue---  b: 1",
    "- ># 0o7",
    "  - y\n\ufeff#",
    "[a`\u00e9?\u00e9\\\r\n]",
    '{2027-03-19---\n"\\n":b|.nan? ---\n? >}',
    "{1e3?\u2028%YAML 1.1\n}",
    '[...\ntrueno\n    -? "?>-|-@]\n',
    'x: y\n{a: 0x1F?key"\\e"|-\\key}:\n',
]


@pytestmark_libyaml
@pytest.mark.parametrize("text", FOUND_APART)
def test_where_libyaml_and_pyyaml_were_found_to_differ_pyyaml_reads(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch)


_PIECES = [
    "a",
    "b",
    "key",
    "1",
    "0o7",
    "0x1F",
    "1e3",
    ".5",
    "-",
    "- ",
    ": ",
    ":",
    " ",
    "  ",
    "\n",
    "\n  ",
    "\t",
    "#",
    " # c",
    "'",
    '"',
    "''",
    '"\\n"',
    '"\\e"',
    "[",
    "]",
    "{",
    "}",
    ", ",
    "|",
    "|-",
    ">",
    "&x",
    "*x",
    "!!str ",
    "!t ",
    "?",
    "%YAML 1.1",
    "---",
    "...",
    "true",
    "no",
    "null",
    "~",
    "2027-02-30",
    "2027-03-19",
    "é",
    "\u2028",
    "\x85",
    "\ufeff",
    "\x07",
    "secret: ",
    "\r",
    "\n---",
    "\n...",
    "\n%",
    "{a: ",
    "}\n",
    "]\n",
    ",\n",
]


@pytestmark_libyaml
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_libyaml_reads_generated_text_as_pyyaml_does(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _outcome(text, True, monkeypatch) == _outcome(text, False, monkeypatch)
