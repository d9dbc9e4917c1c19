"""After a build: no script, event handler or script URL in any page's content.

Our own content never has these, so one found in the content area (Material's
`<article class="md-content__inner ...">`) came from profile data that escaped
escaping. The build stops and the previous site is kept.
"""

from __future__ import annotations

import re
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
    return [] if plainly_inert(html) else parse(html)


def parse(html: str) -> list[str]:
    """scan() by the HTML parser alone, for any fragment."""
    scanner = _Scanner()
    scanner.feed(html)
    scanner.close()
    return scanner.found


# The fast path: one regular expression for the plain HTML that Markdown writes. A fragment
# that it matches in full is made of text without `<`, end tags `</name>`, and start tags
# whose attributes are each `name` or `name="value"` (ASCII names, no `<`, `>` or `"` in a
# value), set apart by ASCII spaces, tabs or line breaks. Every `<` then begins one of these
# tags, and any HTML parser reads exactly these start tags, with the names lowercased and
# the values unescaped. The expression also requires what makes them inert: no tag name
# starting with one that scan() reports, or with one whose content a parser reads as raw
# text (which would only hide tags); no attribute name starting with `on`, in any case; and
# every value of a URL attribute free of `&`, tabs and line breaks (so unescaping and
# dropping characters change nothing), not starting with a space or a control character,
# and not starting with a script scheme in any case. Anything else goes to the parser.
_SPACE = "[ \\t\\n\\r\\f]"
_NAME = "[a-zA-Z_:][-a-zA-Z0-9_:.]*+"
_URL = f"(?i:{'|'.join(URL_ATTRIBUTES)})"
_ATTRIBUTE = (
    f'(?!{_URL}=)(?!(?i:on)){_NAME}(?:="[^"<>]*+")?+|{_URL}="(?![\\x00-\\x20])(?!(?i:{"|".join(SCHEMES)}))[^"<>&\\t\\n\\r]*+"'
)
_RAW_TEXT = ("style", "textarea", "title", "xmp", "noembed", "noframes", "noscript", "plaintext")
_START_TAG = f"<(?!(?i:{'|'.join(ELEMENTS + _RAW_TEXT)}))[a-zA-Z][a-zA-Z0-9-]*+(?:{_SPACE}++(?:{_ATTRIBUTE}))*+{_SPACE}*+/?>"
_INERT = re.compile(f"(?:[^<]++|</[a-zA-Z][a-zA-Z0-9-]*+{_SPACE}*+>|{_START_TAG})*+")


def plainly_inert(html: str) -> bool:
    """True only when the fragment is plain HTML in which scan() provably finds nothing (see above)."""
    return _INERT.fullmatch(html) is not None


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
