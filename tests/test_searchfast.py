"""generator.searchfast: Material's search sections found faster are the very same sections."""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from material.plugins.search import plugin

from generator import build as pipeline
from generator import searchfast

from .conftest import EXAMPLES, bench_profiles

generated = bench_profiles()
AS_OF = dt.date(2026, 11, 23)
TOKENIZER_VERIFIED = sys.version_info[:3] in searchfast.VERIFIED_PYTHON


@pytest.fixture
def restored() -> Iterator[None]:
    was = searchfast._state["wanted"]
    yield
    searchfast.use(was)


def _outcome(parse: Any, html: str) -> Any:
    """The sections as plain values (each piece of title and text as it was appended), or the error raised."""
    try:
        sections = parse(html)
    except Exception as exc:  # the same error is part of the same output
        return ("raised", type(exc).__name__, str(exc))
    return [(s.el.tag, dict(s.el.attrs), s.is_excluded(), s.id, list(s.title), list(s.text), s.depth) for s in sections]


def _three_ways(html: str) -> tuple[Any, Any, Any]:
    """Material's Parser; the callbacks driven by HTMLParser; the callbacks driven by the tokenizer."""
    return (
        _outcome(lambda h: searchfast.material_sections(h, plugin), html),
        _outcome(lambda h: searchfast.parse_sections(h, plugin, fast_tokenizer=False), html),
        _outcome(lambda h: searchfast.parse_sections(h, plugin, fast_tokenizer=True), html),
    )


class _Recorder(searchfast.Sections):
    """The calls HTMLParser (or the tokenizer) makes, in order."""

    def __init__(self) -> None:
        super().__init__(plugin)
        self.calls: list[tuple[Any, ...]] = []

    def start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.calls.append(("start", tag, attrs))

    def end(self, tag: str) -> None:
        self.calls.append(("end", tag))

    def text(self, data: str) -> None:
        self.calls.append(("data", data))


def _htmlparser_calls(html: str) -> list[tuple[Any, ...]]:
    recorder = _Recorder()
    parser = HTMLParser()
    parser.handle_starttag = recorder.start  # type: ignore[method-assign]
    parser.handle_endtag = recorder.end  # type: ignore[method-assign]
    parser.handle_data = recorder.text  # type: ignore[method-assign]
    parser.feed(html)
    parser.close()
    return recorder.calls


def test_only_verified_versions_are_changed(restored: None) -> None:
    searchfast.use(False)
    assert plugin.SearchIndex.add_entry_from_context.__module__ == "material.plugins.search.plugin"
    import material

    assert searchfast.material_version() == material.__version__
    assert searchfast.install() is (material.__version__ in searchfast.VERIFIED)
    if material.__version__ in searchfast.VERIFIED:
        assert plugin.SearchIndex.add_entry_from_context.__module__ == "generator.searchfast"
    searchfast.uninstall()
    assert plugin.SearchIndex.add_entry_from_context.__module__ == "material.plugins.search.plugin"


def test_an_unverified_version_leaves_material_untouched(restored: None, monkeypatch: pytest.MonkeyPatch) -> None:
    searchfast.use(False)
    monkeypatch.setattr(searchfast, "VERIFIED", frozenset({"0.0.0"}))
    assert searchfast.install() is False
    searchfast.ensure()
    assert plugin.SearchIndex.add_entry_from_context.__module__ == "material.plugins.search.plugin"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every example profile and a few generated ones, built with Material's parsing and with ours."""
    root = tmp_path_factory.mktemp("searchfast")
    paths = EXAMPLES + generated.write(root / "profiles", 4, seed=23)
    was = searchfast._state["wanted"]
    contents: list[str] = []
    sites: dict[bool, dict[str, bytes]] = {}
    searchfast.use(False)
    own = plugin.SearchIndex.add_entry_from_context

    def capture(self: Any, page: Any) -> None:
        contents.append(page.content)
        own(self, page)

    try:
        for fast in (False, True):
            searchfast.use(fast)
            with pytest.MonkeyPatch.context() as patch:
                if not fast:  # what Material's own index is handed, page by page
                    patch.setattr(plugin.SearchIndex, "add_entry_from_context", capture)
                for path in paths:
                    pipeline.build(path, root / f"{fast}" / path.stem, AS_OF)
            sites[fast] = {
                p.relative_to(root / f"{fast}").as_posix(): p.read_bytes()
                for p in sorted((root / f"{fast}").rglob("*"))
                if p.is_file()
            }
    finally:
        searchfast.use(was)
    return {"contents": contents, "sites": sites, "count": len(paths)}


def test_the_same_handbooks_byte_for_byte(built: dict[str, Any]) -> None:
    slow, fast = built["sites"][False], built["sites"][True]
    indexes = [name for name in slow if name.endswith("search/search_index.js")]
    assert len(indexes) == built["count"]
    assert all(len(slow[name]) > 10_000 for name in indexes)
    assert [name for name in indexes if fast.get(name) != slow[name]] == []
    assert fast.keys() == slow.keys()
    assert [name for name in fast if fast[name] != slow[name]] == []


def test_the_same_sections_for_every_built_page(built: dict[str, Any]) -> None:
    contents = built["contents"]
    assert len(contents) > 150
    for html in contents:
        material, driven, tokenized = _three_ways(html)
        assert isinstance(material, list) and material
        assert driven == material
        assert tokenized == material
        if TOKENIZER_VERIFIED:  # the pages Markdown makes are all plain: the tokenizer, not HTMLParser, read them
            assert searchfast.tokenize(html, searchfast.Sections(plugin)) is True


# Pieces of HTML the tokenizer reads itself (tags, attributes, text, entities).
PLAIN = [
    "text",
    "two words",
    " ",
    "  ",
    "\n",
    "\n\n  \n",
    "\t",
    "\xa0",
    "\u2003",
    "&",
    "& ",
    "&amp;",
    "&lt;",
    "&gt;",
    "&#60;",
    "&#x3c;",
    "&#32;",
    "&#10;",
    "&nbsp;",
    "&nbsp",
    "&copy",
    "&unknown;",
    "&#",
    "&#x;",
    "a&b",
    ">",
    "</P>",
    "<p>",
    "</p>",
    "<P>",
    "<p/>",
    "<p />",
    "<code>",
    "</code>",
    "<pre>",
    "</pre>",
    "<pre>  a\n   b  \n</pre>",
    "<li>",
    "</li>",
    "<ul>",
    "</ul>",
    "<ol>",
    "</ol>",
    "<sub>",
    "</sub>",
    "<sup>",
    "</sup>",
    "<div>",
    "</div>",
    "<DIV>",
    "<span>",
    "</span>",
    "<a>",
    "</a>",
    "<hx>",
    "</hx>",
    "<h1>",
    "</h1>",
    "<h1 id='top'>",
    "<h2 id='s-1'>",
    "</h2>",
    "<H2 ID='Up'>",
    "<h2>",
    "<h3 id='x&amp;y'>",
    "</h3>",
    "<h4 id='d' data-search-exclude>",
    "</h4>",
    "<h5 id=''>",
    "</h5>",
    "<h6 id='q' class=\"c\">",
    "</h6>",
    "<a class='headerlink' href='#s-1' title='Permanent link'>",
    "<a class='headerlink' href='#s-1' title='Permanent link'>&para;</a>",
    "<a class='headerlink'>",
    "<a href='x' class='headerlink other'>",
    "<div data-search-exclude>",
    "<div data-search-exclude=''>",
    "<div Data-Search-Exclude='1'>",
    "<code data-search-exclude='true'>",
    "<p data-search-exclude data-search-exclude='x'>",
    "<div class='linenodiv'>",
    "<td class='linenodiv'>",
    "</td>",
    "<span class='linenodiv'/>",
    "</script>",
    "</style>",
    "<object>",
    "</object>",
    "<object data='x'>o</object>",
    "<br>",
    "<br/>",
    "<br />",
    "</br>",
    "<img src='a.png' alt='a > b'>",
    "<input type='checkbox' checked>",
    "<input disabled/>",
    "<hr>",
    "<wbr>",
    "<a href='a>b' title=\"c'd\">",
    "<a\thref='x'\n>",
    "<span title='1 &lt; 2 &amp; 3'>",
    "<span title='&quot;'>",
    "<span title='&#34;' lang=\"en\">",
    "<my-element>",
    "</my-element>",
    "<table>",
    "</table>",
    "<tr>",
    "</tr>",
    "<td>",
]

# Pieces it leaves to HTMLParser: comments, declarations, a bare <, unquoted or odd attributes, script, style.
ODD = [
    "<",
    " < ",
    "<3",
    "< p>",
    "<!-- comment -->",
    "<!-- <p>x</p> -->",
    "<!---->",
    "<!DOCTYPE html>",
    "<!x>",
    "<?pi x?>",
    "<![CDATA[x<y]]>",
    "</>",
    "</ p>",
    "</p >",
    "</p x>",
    "</3>",
    "<h3 id=bare>",
    "<script>",
    "<script>if (a < b && c) { x = '</p>' }</script>",
    "<SCRIPT>x</SCRIPT>",
    "<style>p { }</style>",
    "<style>",
    "<img src=a.png>",
    "<a href='x'title='y'>",
    "<a href = 'x'>",
    "<a href=='x'>",
    "<a\x0bhref='x'>",
    "<a\xa0href='x'>",
    "<a href='x' / >",
    "<a href='x",
    "<span",
    "<a:b>",
]


def _snippet(rng: random.Random) -> str:
    """Mostly plain pieces, now and then an odd one."""
    return "".join(rng.choice(ODD if rng.random() < 0.05 else PLAIN) for _ in range(rng.randint(1, 30)))


def test_the_same_calls_as_htmlparser_where_the_tokenizer_reads(restored: None) -> None:
    rng = random.Random(23)
    read = 0
    for _ in range(4000):
        html = _snippet(rng)
        recorder = _Recorder()
        if searchfast.tokenize(html, recorder):
            read += 1
            assert recorder.calls == _htmlparser_calls(html), html
    assert read > 300  # plain enough often enough to mean something


def test_the_same_sections_for_generated_html() -> None:
    rng = random.Random(29)
    for _ in range(4000):
        html = _snippet(rng)
        material, driven, tokenized = _three_ways(html)
        assert driven == material, html
        assert tokenized == material, html


def test_the_same_error_where_material_raises() -> None:
    # A <p> or <code> opened while skipped, closed after an inner end tag took its tag out of the
    # skip set: Material looks for "<p>" it never kept and raises ValueError; so does the build here.
    for html in [
        "<div data-search-exclude><p><div></div></p></div>",
        '<h2 id="a"><div data-search-exclude><code><div></div>x</code></div></h2>',
    ]:
        material, driven, tokenized = _three_ways(html)
        assert material == ("raised", "ValueError", f"'<{'p' if '<p>' in html else 'code'}>' is not in list")
        assert driven == material
        assert tokenized == material


def test_the_same_sections_for_pages_of_headings_and_code() -> None:
    pages = [
        '<h1 id="t">Title<a class="headerlink" href="#t">&para;</a></h1>\n<p>Intro &amp; more</p>\n'
        '<div class="admonition"><h2 id="n">Nested</h2><p>in</p></div><p>after</p>\n'
        '<h2 id="c">Code <code>x &lt; y</code></h2><pre><code>  a\n\n  b &gt; c\n</code></pre>\n'
        '<table class="highlighttable"><tr><td class="linenodiv"><pre>1\n2</pre></td>'
        '<td class="code"><pre>x\ny</pre></td></tr></table>\n'
        '<div data-search-exclude><h3 id="hid">Hidden</h3><p>secret</p><div>inner</div><p>shown</p></div>'
        "<ul>\n<li>\n</li>\n<li>one</li>\n</ul><p> </p><p>\n</p>",
        "plain text with no tags & an ampersand",
        "trailing &amp",
        "<p>x</p>trailing &nbsp",
        "",
        '<h3 id="first">Not h1</h3><p>a</p><h1 id="late">h1</h1>',
        "<pre>  \n  </pre><pre>x</pre>\n\n\n<p>a</p>",
    ]
    for html in pages:
        material, driven, tokenized = _three_ways(html)
        assert driven == material, html
        assert tokenized == material, html


@settings(max_examples=300, deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PLAIN + ODD), min_size=1, max_size=40))
def test_the_same_sections_for_any_html(pieces: list[str]) -> None:
    html = "".join(pieces)
    material, driven, tokenized = _three_ways(html)
    assert driven == material
    assert tokenized == material
