"""Content files: broken front matter, conditions and templates name their file and fail."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.content import load_content
from generator.context import shapes
from generator.errors import InputError
from generator.expr import Condition, ExpressionError
from generator.paths import CONTENT


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the real content to break."""
    root = tmp_path / "content"
    shutil.copytree(CONTENT, root)
    return root


def _add(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.write_text(text)
    return path


def _errors(root: Path) -> list[str]:
    with pytest.raises(InputError) as info:
        load_content(root)
    return [str(p) for p in info.value.problems]


def test_real_content_loads() -> None:
    content = load_content(CONTENT)
    assert {page.id for page in content.pages} >= {"home", "research", "letters", "visa", "programs", "timeline", "about"}
    assert content.checklist_items["res-skills-zotero"] is None and content.checklist_items["lor-packet-cv"] == "asked_letters"


def test_unknown_name_in_a_condition(content: Path) -> None:
    path = _add(
        content, "sections/home/99-x.md", "---\nid: x\npage: home\norder: 1\ntitle: X\nwhen: a.phaze == 'late'\n---\nHi\n"
    )
    assert _errors(content) == [
        f"{path}: when: unknown name 'a.phaze' in \"a.phaze == 'late'\"; names allowed in a: "
        + ", ".join(sorted(shapes(None)["a"]))
    ]


def test_syntax_error_in_a_condition(content: Path) -> None:
    path = _add(content, "sections/home/99-x.md", "---\nid: x\npage: home\norder: 1\ntitle: X\nwhen: a.phase ==\n---\nHi\n")
    assert _errors(content) == [f"{path}: when: the condition 'a.phase ==' is not a valid expression (invalid syntax)"]


def test_unknown_page_and_front_matter_key(content: Path) -> None:
    path = _add(content, "sections/home/99-x.md", "---\nid: x\npage: hme\norder: 1\ntitle: X\nwhenn: 'true'\n---\nHi\n")
    assert _errors(content) == [f"{path}:6: whenn: unknown key 'whenn'; did you mean 'when'?"]
    path.write_text("---\nid: x\npage: hme\norder: 1\ntitle: X\n---\nHi\n")
    allowed = "home, season, research, letters, application, ecfmg, visa, programs, timeline, checklists, publishing, about"
    assert _errors(content) == [f"{path}: page: found 'hme'; allowed: {allowed}"]


def test_template_syntax_error_names_the_file_line(content: Path) -> None:
    path = _add(content, "sections/home/99-x.md", "---\nid: x\npage: home\norder: 1\ntitle: X\n---\nline one\n{% if %}\n")
    assert _errors(content) == [f"{path}:8: body: template error: Expected an expression, got 'end of statement block'"]


def test_missing_front_matter(content: Path) -> None:
    path = _add(content, "emails/x.md", "Dear someone\n")
    assert _errors(content) == [f"{path}:1: a content file starts with a front matter block between two '---' lines"]


def test_duplicate_ids(content: Path) -> None:
    path = _add(content, "sections/home/99-x.md", "---\nid: home-guide\npage: home\norder: 1\ntitle: X\n---\nHi\n")
    assert f"{path}: id: 'home-guide' is already used in " in _errors(content)[0]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("__import__('os')", "uses \"__import__('os')\", which conditions do not allow"),
        ("a.phase.__class__", "unknown name 'a.phase.__class__'"),
        ("item.status == 'asked'", "unknown name 'item'"),
        ("[x for x in p.letters]", "which conditions do not allow"),
    ],
)
def test_conditions_refuse_anything_outside_the_subset(source: str, message: str) -> None:
    with pytest.raises(ExpressionError) as info:
        Condition(source, shapes(None))
    assert message in str(info.value)


def test_conditions_evaluate() -> None:
    names = shapes("letters")
    context = {
        "a": {"phase": "late"},
        "codes": {"LOR-FEW-US"},
        "item": {"status": "asked", "days_since_asked": 21},
        "p": {"programs": [1, 2]},
        "public": False,
    }
    assert Condition("a.phase in ['late', 'in_season'] and 'LOR-FEW-US' in codes", names)(context)
    assert Condition("item.status == 'asked' and item.days_since_asked >= 21", names)(context)
    assert Condition("len(p.programs) > 1 and not public", names)(context)
    assert not Condition("a.phase == 'early' or false", names)(context)
