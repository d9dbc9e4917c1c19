from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import build as pipeline
from generator import safety
from generator.cli import cli
from generator.errors import BuildError
from tests.conftest import PROFILES

PROFILE = PROFILES / "us-late-applying.yaml"
TODAY = dt.date(2026, 11, 23)
KEPT = "; the build was stopped and the previous site kept"


def page(content: str, outside: str = "") -> str:
    """A page shaped like Material's: scripts of the theme around the content article."""
    return (
        f'<html><head><script src="assets/bundle.js"></script>{outside}</head><body>'
        f'<article class="md-content__inner md-typeset">{content}</article>'
        '<script>var theme = 1</script><a href="javascript:void(0)">theme</a></body></html>'
    )


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ("<img src=x onerror=alert(1)>", ["an event-handler attribute onerror="]),
        ('<p ONMOUSEOVER="x">a</p>', ["an event-handler attribute onmouseover="]),
        ("<details ontoggle>", ["an event-handler attribute ontoggle="]),
        ("<script>alert(1)</script>", ["a <script> element"]),
        ("<SCRIPT SRC=//x></SCRIPT>", ["a <script> element"]),
        (
            '<iframe srcdoc="x"></iframe><object></object><embed/>',
            ["a <iframe> element", "a <object> element", "a <embed> element"],
        ),
        ('<a href="javascript:alert(1)">x</a>', ["a javascript: URL in href="]),
        ('<a href="  JaVaScRiPt:alert(1)">x</a>', ["a javascript: URL in href="]),
        ('<a href="java&#x09;script:alert(1)">x</a>', ["a javascript: URL in href="]),
        ('<a href="&#106;avascript:alert(1)">x</a>', ["a javascript: URL in href="]),
        ('<img src="data:text/html;base64,PHNjcmlwdD4=">', ["a data: URL in src="]),
        (
            '<form action="vbscript:x"><button formaction="javascript:x">b</button></form>',
            ["a vbscript: URL in action=", "a javascript: URL in formaction="],
        ),
        ('<svg><a xlink:href="javascript:x">x</a></svg>', ["a javascript: URL in xlink:href="]),
    ],
)
def test_scan_finds_live_script(html: str, found: list[str]) -> None:
    assert safety.scan(html) == found


def test_scan_passes_escaped_text_and_ordinary_links() -> None:
    html = (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=alert(1) javascript:alert(1) {{ 7*7 }}</p>"
        '<a href="https://example.org/a?b=javascript:x">ok</a><a href="letters.html#dr-a">ok</a>'
        '<a class="headerlink" href="#x" title="Permanent link">&para;</a>'
        '<pre><code>&lt;img src=x onerror=alert(1)&gt;</code></pre><input type="checkbox" disabled checked>'
    )
    assert safety.scan(html) == []


def test_only_the_content_article_is_read_up_to_its_last_end_tag() -> None:
    assert (
        safety.content_area(page("<p>a</p>", outside="<script>1</script>"))
        == '<article class="md-content__inner md-typeset"><p>a</p>'
    )
    hostile = page("<p>x</p></article><img src=x onerror=alert(1)><p>y</p>")
    assert safety.scan(safety.content_area(hostile)) == ["an event-handler attribute onerror="]
    assert safety.content_area("<html><body>no article</body></html>") == ""


def test_check_site_names_every_page_and_finding(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "index.html").write_text(page("<p>fine</p>"))
    (tmp_path / "letters.html").write_text(page("<img src=x onerror=alert(1)>"))
    (tmp_path / "sub" / "a.html").write_text(page('<a href="javascript:x">x</a><script>x</script>'))
    with pytest.raises(BuildError) as info:
        safety.check_site(tmp_path)
    assert str(info.value).splitlines() == [
        f"the built page letters.html contains an event-handler attribute onerror= in its content{KEPT}",
        f"the built page sub/a.html contains a javascript: URL in href= in its content{KEPT}",
        f"the built page sub/a.html contains a <script> element in its content{KEPT}",
    ]


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def inject(monkeypatch: pytest.MonkeyPatch, page_file: str, html: str) -> None:
    """Make rendering put raw HTML into one page, as an escaping bug would."""
    original = pipeline.render

    def render(inputs: Any) -> dict[str, str]:
        pages = original(inputs)
        pages[page_file] += f"\n{html}\n"
        return pages

    monkeypatch.setattr(pipeline, "render", render)


def test_a_build_with_live_script_in_a_page_stops_and_keeps_the_previous_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    pipeline.build(PROFILE, out, TODAY)
    before = snapshot(out)
    assert "index.html" in before and "letters.html" in before
    inject(monkeypatch, "letters.md", "<img src=x onerror=alert(1)>")
    with pytest.raises(BuildError) as info:
        pipeline.build(PROFILE, out, TODAY)
    assert str(info.value) == (  # the page itself, and the print page that holds it
        f"the built page letters.html contains an event-handler attribute onerror= in its content{KEPT}\n"
        f"the built page print.html contains an event-handler attribute onerror= in its content{KEPT}"
    )
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_cli_reports_it_and_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inject(monkeypatch, "index.md", '<a href="javascript:alert(1)">prize</a>')
    result = CliRunner().invoke(cli, ["build", str(PROFILE), "-o", str(tmp_path / "site"), "--today", "2026-11-23"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        "error: the input has problems:\n"
        f"the built page index.html contains a javascript: URL in href= in its content{KEPT}\n"
        f"the built page print.html contains a javascript: URL in href= in its content{KEPT}\n"
    )
    assert list(tmp_path.iterdir()) == []


# The fast path (safety.plainly_inert) must never pass what the parser reports.
TAG_NAMES = ["a", "p", "img", "A", "script", "SCRIPT", "scripts", "iframe", "object", "embed", "style", "title", "svg", "x-y"]
ATTRIBUTE_NAMES = [
    "href",
    "HREF",
    "src",
    "Src",
    "action",
    "formaction",
    "xlink:href",
    "title",
    "class",
    "onclick",
    "ONerror",
    "on",
    "o",
    "data-href",
    "hrefs",
    ":on",
    "_x",
]
VALUES = [
    "",
    "x",
    "../visa.html",
    "visa.html",
    "#a",
    "https://example.org/",
    "javascript:x",
    "JaVaScRiPt:x",
    " javascript:x",
    "\x01javascript:x",
    "java\tscript:x",
    "java\nscript:x",
    "&#106;avascript:x",
    "&amp;",
    "data:x",
    "DATA:",
    "vbscript:x",
    "v",
    "d",
    "j",
    "javascript",
    "a&b",
    "<",
    ">",
    "a > b",
    "\x0bjavascript:x",
    "\u0130",
    "\u212a",
]
SPACES = [" ", "  ", "\t", "\n", "\r", "\f", "\x0b", "\xa0", "/", "", " / "]


@st.composite
def attribute(draw: st.DrawFn) -> str:
    name, value, space = draw(st.sampled_from(ATTRIBUTE_NAMES)), draw(st.sampled_from(VALUES)), draw(st.sampled_from(SPACES))
    quote = draw(st.sampled_from(['"', "'", "", None]))
    if quote is None:
        return f"{space}{name}"
    return f"{space}{name}{draw(st.sampled_from(['=', ' =', '= ', '==']))}{quote}{value}{quote}"


@st.composite
def fragment(draw: st.DrawFn) -> str:
    tag = st.builds(
        lambda name, attributes, end: f"<{name}{''.join(attributes)}{end}",
        st.sampled_from(TAG_NAMES),
        st.lists(attribute(), max_size=3),
        st.sampled_from([">", " >", "/>", " />", "", "\n>"]),
    )
    end_tag = st.builds(lambda name, space: f"</{name}{space}>", st.sampled_from(TAG_NAMES), st.sampled_from(["", " ", "\n"]))
    text = st.sampled_from(["text", " on x", "onclick=x", "&lt;", "&", "<", ">", '"', "'", "<!-- x -->", "<!x>", "<?x>", "< a>"])
    return "".join(draw(st.lists(st.one_of(tag, tag, end_tag, text), max_size=8)))


@settings(max_examples=3000, deadline=None, database=None)
@given(html=fragment())
def test_the_fast_path_never_passes_what_the_parser_reports(html: str) -> None:
    assert safety.scan(html) == safety.parse(html)
    if safety.plainly_inert(html):
        assert safety.parse(html) == []


@pytest.mark.parametrize(
    "html",
    [
        '<p>a</p><a href="../visa.html#x" title="Permanent link">&para;</a><img src="x.png" alt="a"/><br />',
        '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<input type="checkbox" disabled checked>\n</div>',
        '<a href="https://example.org/a?b=javascript:x">ok</a><svg viewBox="0 0 24 24"><path d="M1 2z"/></svg>',
    ],
)
def test_plain_markdown_html_takes_the_fast_path(html: str) -> None:
    assert safety.plainly_inert(html)


@pytest.mark.parametrize(
    "html",
    [
        '<a href="visa.html" onclick="x">a</a>',
        '<a title="x" href="javascript:x">a</a>',
        '<a href=" javascript:x">a</a>',
        '<a href="&#106;avascript:x">a</a>',
        "<a href='javascript:x'>a</a>",
        '<a title="<b>" onclick=x>a</a>',
        "<style><img src=x onerror=alert(1)></style>",
        '<a href ="javascript:x">a</a>',
        "<!-- x --><p>a</p>",
    ],
)
def test_anything_else_goes_to_the_parser(html: str) -> None:
    assert not safety.plainly_inert(html)


def test_every_page_we_build_takes_the_fast_path(tmp_path: Path) -> None:
    pipeline.build(PROFILES / "h1b-strong-in-season.yaml", tmp_path / "site", TODAY)
    pages = sorted((tmp_path / "site").rglob("*.html"))
    assert len(pages) >= 10
    assert [p.name for p in pages if not safety.plainly_inert(safety.content_area(p.read_text(encoding="utf-8")))] == []
