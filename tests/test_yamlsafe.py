from __future__ import annotations

from pathlib import Path

import pytest

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
    assert _errors("a: [1, 2\nb: 3\n")[0].startswith("p.yaml:2: not valid YAML")


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
