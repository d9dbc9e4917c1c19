"""Read a built handbook as its applicant does: the article text of each page, and what in it is code.

Used by tests/test_language.py to scan for our identifiers, syntax and machine grammar
where plain words belong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from pydantic import BaseModel

from generator.models import Profile

UPDATE_BOX = "Update your profile"
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"}


@dataclass
class Page:
    """One page's article: its words, its headings (and box titles) and its code outside any update box."""

    name: str
    words: list[str] = field(default_factory=list)
    headings: list[str] = field(default_factory=list)
    code: list[str] = field(default_factory=list)
    prose: list[str] = field(default_factory=list)
    folded: int = 0  # words inside closed boxes (read only when opened)

    @property
    def read(self) -> int:
        """The words a reader meets without opening anything."""
        return len(self.words) - self.folded

    @property
    def text(self) -> str:
        return " ".join(self.words)


class _Article(HTMLParser):
    """Collects the text of <article>, skipping the quiet codes and checklist ids."""

    def __init__(self, page: Page) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.stack: list[tuple[str, set[str]]] = []
        self.depth = 0  # >0 inside the article
        self.heading: list[str] | None = None
        self.code: list[str] | None = None
        self.update_depth: int | None = None
        self.pending_title: list[str] | None = None
        self.title_owner: int | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if tag == "article":
            self.depth += 1
        if tag in VOID:
            return
        if tag == "details" and "open" not in dict(attrs):
            classes.add("handbook-folded")
        if tag == "code" and self.stack and "task-list-item" in self.stack[-1][1]:
            classes.add("handbook-id")  # a checklist item's id: shown on hover, not read
        self.stack.append((tag, classes))
        if not self.depth:
            return
        if tag in HEADINGS or "admonition-title" in classes or tag == "summary":
            self.heading = []
        if tag == "code" and not self._quiet():
            self.code = []

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack:
            open_tag, _ = self.stack.pop()
            if open_tag == tag:
                break
        if self.update_depth is not None and len(self.stack) < self.update_depth:
            self.update_depth = None
        if tag == "article":
            self.depth -= 1
        if self.heading is not None and (tag in HEADINGS or tag in ("p", "summary")):
            title = " ".join("".join(self.heading).split())
            self.page.headings.append(title)
            if title == UPDATE_BOX:
                self.update_depth = len(self.stack)  # the box that holds this title
            self.heading = None
        if tag == "code" and self.code is not None:
            text = "".join(self.code)
            if self.update_depth is None and not self._quiet():
                self.page.code.append(text)
            self.code = None

    def _quiet(self) -> bool:
        return any("handbook-code" in c or "handbook-id" in c or "headerlink" in c for _, c in self.stack)

    def handle_data(self, data: str) -> None:
        if not self.depth or self._quiet() or any(t in ("script", "style") for t, _ in self.stack):
            return
        if self.heading is not None:
            self.heading.append(data)
        if self.code is not None:
            self.code.append(data)
        elif not any(t in ("pre", "code") for t, _ in self.stack):
            self.page.prose.append(data)
        self.page.words += data.split()
        if any("handbook-folded" in c for _, c in self.stack) and not any(t == "summary" for t, _ in self.stack):
            self.page.folded += len(data.split())


def read_site(site: Path, skip: tuple[str, ...] = ()) -> list[Page]:
    pages = []
    for path in sorted(site.glob("*.html")):
        if path.name == "404.html" or path.name in skip:
            continue
        page = Page(path.name)
        parser = _Article(page)
        parser.feed(path.read_text(encoding="utf-8"))
        parser.close()
        pages.append(page)
    return pages


def profile_keys() -> set[str]:
    """Every key of the profile format, at any depth."""
    keys: set[str] = set()

    def walk(model: type[BaseModel]) -> None:
        for name, info in model.model_fields.items():
            keys.add(name)
            for kind in _models(info.annotation):
                if kind.__name__ not in seen:
                    seen.add(kind.__name__)
                    walk(kind)

    seen: set[str] = set()
    walk(Profile)
    return keys


def _models(annotation: object) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) for m in _models(arg)]


CODE_SHAPED = re.compile(r"\b[A-Z]{2,}(?:-[A-Z][A-Z0-9]+)+\b")
DEBRIS = re.compile(r"\\[_*`#\[\]{}|!]|&(?:gt|lt|amp|quot);|\{\{|\{%|%\}|\}\}")
GRAMMAR = {
    "a count of one with a plural noun": re.compile(
        r"(?<![\d.,-])\b1 (?:[a-z-]+ ){0,2}(?:writers|letters|items|years|months|weeks|days)\b"
    ),
    "an article before none": re.compile(r"\ban? none\b"),
    "years as a decimal": re.compile(r"\b\d+\.\d+ years?\b"),
    "an ISO date in prose": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "a month with nothing in it": re.compile(r"Nothing dated this month"),
}
DEAR_FULL_NAME = re.compile(r"Dear (?:Dr|Prof)\.? [A-Z][\w'-]+ [A-Z][\w'-]+,")
