"""After a build: no script, event handler or script URL in any page's content.

Our own content never has these, so one found in the content area (Material's
`<article class="md-content__inner ...">`) came from profile data that escaped
escaping. The build stops and the previous site is kept.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from generator.errors import BuildError

ELEMENTS = ("script", "iframe", "object", "embed")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href")
SCHEMES = ("javascript:", "data:", "vbscript:")
_START = '<article class="md-content__inner'
_END = "</article>"


def check_site(site_dir: Path) -> None:
    """Raise BuildError naming every page whose content holds live script."""
    messages = []
    for page in sorted(site_dir.rglob("*.html")):
        name = page.relative_to(site_dir).as_posix()
        messages += [
            f"the built page {name} contains {found} in its content"
            for found in scan(content_area(page.read_text(encoding="utf-8")))
        ]
    if messages:
        raise BuildError("\n".join(f"{m}; the build was stopped and the previous site kept" for m in messages))


def content_area(html: str) -> str:
    """The article of a page, up to the last `</article>` so that data cannot end it early ('' without one)."""
    start = html.find(_START)
    return html[start : html.rfind(_END)] if start >= 0 else ""


def scan(html: str) -> list[str]:
    """What is live in an HTML fragment, e.g. `an event-handler attribute onerror=`."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ELEMENTS:
            self.found.append(f"a <{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"an event-handler attribute {name}=")
            elif name in URL_ATTRIBUTES and _scheme(value or ""):
                self.found.append(f"a {_scheme(value or '')} URL in {name}=")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _scheme(value: str) -> str | None:
    """The script-capable scheme a URL starts with, read as a browser does (tabs, newlines and leading controls ignored)."""
    url = "".join(ch for ch in value if ch not in "\t\n\r").lstrip("".join(map(chr, range(33)))).lower()
    return next((scheme for scheme in SCHEMES if url.startswith(scheme)), None)
