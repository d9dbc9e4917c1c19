"""generator.sections: pages converted a section at a time, recurring sections kept, give the very same site."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import markdown
import pytest

from generator import build as pipeline
from generator import sections, site

from .conftest import EXAMPLES, bench_profiles

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture
def fresh() -> Iterator[None]:
    """Nothing kept from earlier tests, and the switch and the kept sections as they were afterwards."""
    enabled, kept, seen = sections.ENABLED, dict(sections._KEPT), dict(sections._SEEN)
    sections._KEPT.clear()
    sections._SEEN.clear()
    yield
    sections.ENABLED = enabled
    sections._KEPT.clear()
    sections._KEPT.update(kept)
    sections._SEEN.clear()
    sections._SEEN.update(seen)


def _site(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_handbooks_byte_for_byte(tmp_path: Path, fresh: None) -> None:
    generated = bench_profiles().write(tmp_path / "profiles", 14, seed=7)
    paths = generated + EXAMPLES + generated[:2]  # the last two again: every section of them kept by then
    built = {}
    for enabled in (False, True):
        sections.ENABLED = enabled
        before = dict(sections.STATS)
        for path in paths:
            pipeline.build(path, tmp_path / f"{enabled}" / path.stem, AS_OF)
        built[enabled] = _site(tmp_path / f"{enabled}")
        if enabled:
            kept = sections.STATS["kept"] - before["kept"]
            parts = sections.STATS["sections"] - before["sections"]
            assert kept > parts / 4, (kept, parts)  # most text recurs across handbooks
            assert sections.STATS["as_usual"] == before["as_usual"]
    assert built[True].keys() == built[False].keys()
    assert [name for name in built[True] if built[True][name] != built[False][name]] == []


def _extensions() -> tuple[list[object], dict[str, dict[str, object]]]:
    names: list[object] = []
    configs: dict[str, dict[str, object]] = {}
    for entry in site.mkdocs_config("", [], {}).get("markdown_extensions", []):
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = options or {}
    return names, configs


def _sectioned(plugin: sections.Sections, text: str) -> str | None:
    """What a page's Markdown gives with the plugin converting it (None: it would be converted as usual)."""
    names, configs = _extensions()
    plugin.active = state = sections._PageState(plugin.kind)
    try:
        html: str = markdown.Markdown(extensions=[*names, sections._Extension(plugin)], extension_configs=configs).convert(text)
    except sections._Unexpected:
        return None
    finally:
        plugin.active = None
    if state.used:
        sections._keep(state)
    return html


PIECES = [
    "# Title",
    "## Heading",
    "### Sub {: #custom }",
    "#NoSpace",
    "## a | b\n--- | ---\nc | d",
    "Setext\n======",
    "  ## indented heading",
    "## Heading\nand a paragraph line",
    "#### Deep *em*",
    "Text with *em*, **strong**, `code`, [a link](page.md#part), <span>html</span>, &amp; and \\* escaped",
    "- item\n- item two",
    "1. one\n2. two",
    "    indented code",
    "> quote",
    "> quote\ncontinued",
    "Term\n: definition",
    ": orphan definition",
    "!!! note\n    body",
    '??? tip "Title"\n    folded',
    "    continuation",
    "- [ ] task\n- [x] done",
    "```\ncode\n```",
    "```python\n## not a heading\n```",
    '<div class="x" markdown>\n## inside a div\n</div>',
    "<div>\n\n## inside raw HTML\n\n</div>",
    "[ref]: https://example.org",
    "[text][ref] and [ref]",
    "***",
    "---",
    "Line  \nbreak",
    "{: .attr }",
    "Text {: .x }",
    "* star\n\n    indented under it",
    "Plain words only.",
    "## Plain heading",
    "&copy; 2026",
    "<!-- a comment -->",
    "## Heading with `code` and [link](x.md)",
    "| a | b |\n|---|---|\n| 1 | 2 |",
]


def test_the_same_html_for_generated_pages(fresh: None) -> None:
    plugin = sections.Sections()
    plugin.kind = "tests"
    names, configs = _extensions()
    rng = random.Random(11)
    pages = []
    for _ in range(700):
        blocks = [rng.choice(PIECES) for _ in range(rng.randint(1, 9))]
        pages.append("".join(block + rng.choice(["\n\n", "\n\n", "\n\n\n", "\n"]) for block in blocks))
    pages += pages[:150]  # again: their sections are kept by now
    as_usual = 0
    before = sections.STATS["kept"]
    for text in pages:
        expected = markdown.Markdown(extensions=names, extension_configs=configs).convert(text)
        got = _sectioned(plugin, text)
        if got is None:
            as_usual += 1
            continue
        assert got == expected, text
    assert sections.STATS["kept"] - before > 100
    assert as_usual < len(pages) / 2


def test_a_page_with_a_reference_link_is_converted_as_usual(fresh: None) -> None:
    plugin = sections.Sections()
    plugin.kind = "tests"
    text = "# T\n\nSee [the site][s].\n\n## Later\n\n[s]: https://example.org\n"
    assert _sectioned(plugin, text) is None


def test_other_versions_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sections, "VERIFIED", frozenset())
    config = SimpleNamespace(markdown_extensions=[], mdx_configs={})
    plugin = sections.Sections()
    assert plugin.on_config(config).markdown_extensions == []
    assert plugin.kind == ""


def test_at_most_limit_sections_are_kept(fresh: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sections, "LIMIT", 3)
    plugin = sections.Sections()
    plugin.kind = "tests"
    text = "\n\n".join(f"## Part {n}\n\nWords {n}." for n in range(10))
    for _ in range(3):
        _sectioned(plugin, text)
    assert len(sections._KEPT["tests"]) == 3
