"""One page that holds the whole handbook, for printing: built from the other pages' Markdown.

No plugin does this (print-site plugins do not run on every engine): each page's Markdown is
copied in menu order with its headings one level down, its heading ids made unique by a
prefix (`print-letters--lor-why`), and its links to other pages turned into links within
this page, so a strict build finds no duplicate id and no broken link.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.site import generated_template

FILE = "print.md"
TITLE = "Print the whole handbook"

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_HEADING = re.compile(r"^(#{1,6})(\s+)(.*?)(?:\s+\{([^}]*)\})?\s*$")
_ID = re.compile(r"(?<![\w-])#([\w-]+)")
_LINK = re.compile(r"(?<!\\)\]\(([^)\s]*)")
_HREF = re.compile(r'(?<=href=")(#[\w-]+)(?=")')  # in-page links in raw HTML (the timeline's month strip)
_COLLAPSED = re.compile(r"^(\s*)\?\?\?(\s)")
_PERMALINK = re.compile(r'<a class="headerlink" href="#[\w-]+" title="Permanent link">&para;</a>')
_FRONT_MATTER = re.compile(r"---\n.*?^---\n", re.DOTALL | re.MULTILINE)


@dataclass(frozen=True)
class Source:
    """A page of the handbook, as the print page takes it."""

    file: str
    title: str
    text: str

    @property
    def stem(self) -> str:
        return self.file.removesuffix(".md")


def render(sources: list[Source]) -> str:
    """The Markdown of the print page: every source in order."""
    ids = {source.stem: set(explicit_ids(source.text)) for source in sources}
    sections = [section(source, ids) for source in sources]
    return generated_template("print.md.j2").render(sections=sections).rstrip("\n") + "\n"


def section(source: Source, ids: dict[str, set[str]]) -> str:
    """One page's Markdown as a part of the print page."""
    lines: list[str] = []
    titled = False
    for line, fenced in _lines(source.text):
        if fenced:
            lines.append(line)
            continue
        heading = _HEADING.match(line) if line.startswith("#") else None
        if heading and not titled and heading[1] == "#":
            titled = True
            lines.append(f"## {heading[3]} {{#print-{source.stem} .handbook-print-page}}")
            continue
        if heading:
            attributes = _ID.sub(lambda m: f"#print-{source.stem}--{m[1]}", heading[4] or "")
            level = "#" * min(6, len(heading[1]) + 1)
            lines.append(f"{level}{heading[2]}{heading[3]}" + (f" {{{attributes}}}" if attributes else ""))
            continue
        # Each pattern is tried only on a line that holds what it needs (most lines are plain text).
        if "???" in line:
            line = _COLLAPSED.sub(r"\1???+\2", line)  # a folded block prints folded: open it
        if 'href="#' in line:
            line = _HREF.sub(lambda m: target(m[1], source.stem, ids), line)
        lines.append(_LINK.sub(lambda m: "](" + target(m[1], source.stem, ids), line) if "](" in line else line)
    if not titled:
        lines.insert(0, f"## {source.title} {{#print-{source.stem} .handbook-print-page}}\n")
    return "\n".join(lines).strip("\n") + "\n"


def target(link: str, stem: str, ids: dict[str, set[str]]) -> str:
    """Where a link of page `stem` points within the print page (unchanged when outside it)."""
    page, _, anchor = link.partition("#")
    if page and not page.endswith(".md"):
        return link
    page = page.removesuffix(".md") or stem
    if page not in ids:
        return link
    if anchor in ids[page]:
        return f"#print-{page}--{anchor}"
    if anchor and page == stem:
        return link  # an id the heading's text gave it, left as it is here too
    return f"#print-{page}"


def drop_permalinks(page: Path) -> None:
    """Take the permanent-link marks (the ¶ after each heading) out of the built print page.

    Paper cannot follow them and nobody links to a part of the print page (every part is a page of
    its own, with its marks); they were a sixth of its size. Only the toc extension's exact mark goes.
    """
    try:
        html = page.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return
    dropped = _PERMALINK.sub("", html)
    if dropped != html:
        page.write_text(dropped, encoding="utf-8")


def body(text: str) -> str:
    """A page's Markdown without its front matter (what MkDocs converts)."""
    match = _FRONT_MATTER.match(text)
    return text[match.end() :] if match else text


def explicit_ids(text: str) -> Iterator[str]:
    """The ids given to headings with `{#id}`, outside code fences."""
    for line, fenced in _lines(text):
        heading = None if fenced or not line.startswith("#") else _HEADING.match(line)
        if heading and heading[4]:
            yield from _ID.findall(heading[4])


def _lines(text: str) -> Iterator[tuple[str, bool]]:
    """Each line, and whether it is inside (or opens or closes) a code fence."""
    fence: str | None = None
    for line in text.split("\n"):
        match = _FENCE.match(line) if "```" in line or "~~~" in line else None
        if fence is None and match:
            fence = match[1]
            yield line, True
        elif fence is not None:
            if match and match[1][0] == fence[0] and len(match[1]) >= len(fence) and not line.strip()[len(match[1]) :].strip():
                fence = None
            yield line, True
        else:
            yield line, False
