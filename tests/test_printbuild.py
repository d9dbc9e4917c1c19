"""The print page built from the pages' trees is byte for byte the one MkDocs makes from print.md."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from xml.etree import ElementTree as etree

import markdown as python_markdown
import pytest
from markdown.treeprocessors import Treeprocessor

from generator import build as pipeline
from generator import printbuild
from generator.templating import md_escape
from tests.test_properties import ATTRIBUTE_LISTS, HOSTILE, hostile_profile, write_profile

TODAY = dt.date(2026, 11, 23)
EXAMPLES = sorted((Path(__file__).parent.parent / "profiles").glob("*.yaml"))


def files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def both_ways(profile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, bytes], dict[str, bytes], int]:
    """The site built with print.md converted from its Markdown, then from the trees (and how often trees were joined)."""
    joined: list[str] = []
    assemble = printbuild._assemble

    def counted(root: object, md: object, state: printbuild._State) -> None:
        joined.append(state.page.file.src_uri)
        assemble(root, md, state)  # type: ignore[arg-type]

    monkeypatch.setattr(printbuild, "_assemble", counted)
    monkeypatch.setattr(printbuild, "ENABLED", False)
    pipeline.build(profile, tmp_path / "markdown", TODAY)
    assert joined == []
    monkeypatch.setattr(printbuild, "ENABLED", True)
    pipeline.build(profile, tmp_path / "trees", TODAY)
    return files(tmp_path / "markdown"), files(tmp_path / "trees"), len(joined)


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_builds_the_same_print_page_from_the_trees(
    profile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    markdown, trees, joined = both_ways(profile, tmp_path, monkeypatch)
    assert joined == 1
    assert "print.html" in trees
    assert trees.keys() == markdown.keys()
    assert [name for name in trees if trees[name] != markdown[name]] == []


@pytest.mark.parametrize("strings", [HOSTILE, ATTRIBUTE_LISTS], ids=["hostile", "attribute-lists"])
def test_hostile_text_builds_the_same_print_page_from_the_trees(
    strings: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = write_profile(str(tmp_path), hostile_profile(strings))
    markdown, trees, joined = both_ways(profile, tmp_path, monkeypatch)
    assert joined == 1
    assert [name for name in trees if trees[name] != markdown[name]] == []


def test_a_page_it_does_not_expect_makes_it_step_aside(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(printbuild, "_transform", lambda *args: False)
    markdown, trees, joined = both_ways(EXAMPLES[0], tmp_path, monkeypatch)
    assert joined == 0
    assert trees == markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Title\n\nSee [the rules][rules].\n\n[rules]: letters.md\n", False),  # a reference link: printpage leaves it
        ('# Title\n\n<details markdown="1"><summary>x</summary>y</details>\n', False),
        ("# Title\n\n## Part {#part}\n\n[Back](#part)\n", True),
        ("Text without a title heading.\n", False),
        ("# Title\n\nPart\n====\n\n<div>\n# Not a heading here\n</div>\n", False),  # as many, not the same
    ],
    ids=["reference-link", "raw-details", "plain", "no-title", "other-headings"],
)
def test_what_it_expects_of_a_page(text: str, expected: bool) -> None:
    md = python_markdown.Markdown(extensions=["attr_list", "md_in_html", "toc"])
    kept: list[printbuild._Copy] = []

    class Keep(Treeprocessor):  # type: ignore[misc]  # (Python-Markdown is untyped)
        def run(self, root: etree.Element) -> None:
            kept.append(printbuild._Copy(copy.deepcopy(root), list(md.htmlStash.rawHtmlBlocks), set()))

    md.treeprocessors.register(Keep(md), "keep", printbuild.PRIORITY)
    md.convert(text)
    assert printbuild._transform(kept[0], "page", text, {"page": {"part"}}) is expected
    if expected:
        html = etree.tostring(kept[0].root, encoding="unicode")
        assert '<h2 id="print-page" class="handbook-print-page">Title</h2>' in html
        assert '<h3 id="print-page--part">Part</h3>' in html
        assert '<a href="#print-page--part">Back</a>' in html


@pytest.mark.parametrize("typed", ["??? note", "???+ danger", "Why??? no"])
def test_question_marks_typed_in_a_profile_never_open_a_folded_note(typed: str) -> None:
    """pymdownx.details opens a folded note on a block that starts with '???': a value may land at such a start."""
    for where in ("{}", "Term\n: {}", "- {}", "> {}"):
        html = python_markdown.markdown(where.format(md_escape(typed)), extensions=["pymdownx.details", "def_list"])
        assert "<details" not in html
        assert typed.replace("???", "&#63;??") in html


def test_copy_tree_is_a_deep_copy() -> None:
    """copy_tree makes what copy.deepcopy makes, and nothing in the copy changes with the original."""
    got: list[etree.Element] = []

    class Keep(Treeprocessor):  # type: ignore[misc]
        def run(self, root: etree.Element) -> None:
            got.append(root)

    md = python_markdown.Markdown(extensions=["tables", "attr_list", "def_list", "toc"])
    md.treeprocessors.register(Keep(md), "keep", 1)
    md.convert("# T {#t .c}\n\n| a | b |\n|---|---|\n| [x](y.md) | *z* |\n\nterm\n:   def <!-- c -->\n\n- one\n- two **b**\n")
    root = got[0]
    made = printbuild.copy_tree(root)
    assert etree.tostring(made) == etree.tostring(copy.deepcopy(root)) == etree.tostring(root)
    before = etree.tostring(made)
    for el in list(root.iter()):
        el.set("changed", "1")
        el.text = (el.text or "") + "!"
        el.append(etree.Element("new"))
    assert etree.tostring(made) == before
    assert all(a is not b for a, b in zip(made.iter(), root.iter(), strict=False))
