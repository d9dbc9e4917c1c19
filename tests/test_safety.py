from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

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
