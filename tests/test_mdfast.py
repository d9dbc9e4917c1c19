"""generator.mdfast: Markdown's inline pass without the calls that cannot match gives the very same output."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest

from generator import build as pipeline
from generator import mdfast, site

from .conftest import EXAMPLES, bench_profiles

generated = bench_profiles()
AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def restored() -> Iterator[None]:
    was = mdfast._state["wanted"]
    yield
    mdfast.use(was)


def _converter() -> markdown.Markdown:
    """Markdown with the extensions and settings of a generated handbook's mkdocs.yml."""
    extensions, configs = [], {}
    for entry in site.mkdocs_config("", [], {}).get("markdown_extensions", []):
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        extensions.append(name)
        configs[name] = options or {}
    return markdown.Markdown(extensions=extensions, extension_configs=configs)


def _both(texts: list[str]) -> tuple[list[str], list[str]]:
    converted = {}
    for fast in (False, True):
        mdfast.use(fast)
        md = _converter()
        converted[fast] = [md.reset().convert(text) for text in texts]
    return converted[False], converted[True]


def test_only_verified_versions_are_changed(restored: None) -> None:
    mdfast.use(False)
    assert mdfast.install() is (markdown.__version__ in mdfast.VERIFIED)
    if markdown.__version__ in mdfast.VERIFIED:
        from markdown.treeprocessors import InlineProcessor

        assert InlineProcessor.run.__name__ == "run" and InlineProcessor.run.__module__ == "generator.mdfast"
    mdfast.uninstall()
    from markdown.treeprocessors import InlineProcessor

    assert InlineProcessor.run.__module__ == "markdown.treeprocessors"


PIECES = [
    "*",
    "**",
    "_",
    "__",
    "`",
    "``",
    "[",
    "]",
    "(",
    ")",
    "<",
    ">",
    "&",
    "&amp;",
    "&#42;",
    "\\",
    "\\*",
    "!",
    "![x](a.png)",
    "[a](b.md)",
    "[a][r]",
    "<b>",
    "</b>",
    "<https://x.org>",
    "a@b.org",
    "~~",
    "==",
    "^",
    "{: .c }",
    " ",
    "  ",
    "\n",
    "word",
    "é",
    "x_y_z",
    "**bold**",
    "*em*",
    "`code`",
    "<span markdown>t</span>",
    "&copy;",
    "[ ]",
    "[x]",
    "- ",
    "1. ",
    "> ",
    "| a | b |",
    "\t",
    "\x02",
    "\x03",
    "wzxhzdk",
    "klzzwxh:0001",
]


def test_the_same_html_for_generated_text(restored: None) -> None:
    rng = random.Random(19)
    texts = ["".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40))) for _ in range(1500)]
    texts += ["[r]: https://example.org\n\n" + t for t in texts[:200]]
    slow, fast = _both(texts)
    assert fast == slow


def test_the_same_html_for_every_generated_page(tmp_path: Path, restored: None) -> None:
    texts = []
    for path in EXAMPLES:
        project = tmp_path / path.stem
        pipeline.generate(path, project, AS_OF)
        texts += [page.read_text(encoding="utf-8") for page in sorted((project / "docs").glob("*.md"))]
    assert len(texts) > 80
    slow, fast = _both(texts)
    assert fast == slow


@pytest.mark.parametrize("count", [6])
def test_the_same_handbooks_byte_for_byte(tmp_path: Path, restored: None, count: int) -> None:
    paths = EXAMPLES[:3] + generated.write(tmp_path / "profiles", count, seed=19)
    sites = {}
    for fast in (False, True):
        mdfast.use(fast)
        for path in paths:
            out = tmp_path / f"{fast}" / path.stem
            pipeline.build(path, out, AS_OF)
        sites[fast] = {
            p.relative_to(tmp_path / f"{fast}").as_posix(): p.read_bytes()
            for p in sorted((tmp_path / f"{fast}").rglob("*"))
            if p.is_file()
        }
    assert sites[True].keys() == sites[False].keys()
    differing = [name for name in sites[True] if sites[True][name] != sites[False][name]]
    assert differing == []
