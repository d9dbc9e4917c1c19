"""After a build: remove the theme's files that an offline handbook never loads.

An engine copies its whole theme into the site, but a handbook read from disk loads only a
part of it. Removed here, for every engine, and only what is verified unused in this site:

- source maps (`*.map`): read only by a browser's developer tools;
- lunr's language support (`assets/javascripts/lunr/`) beyond what the search worker loads
  for the search languages written in this site's search index: for English alone it loads
  none (Material's worker imports `lunr.stemmer.support`, `lunr.LANG`, `lunr.multi`,
  `tinyseg` or `wordcut` only for other languages);
- a theme variant's stylesheet folder (`assets/stylesheets/NAME/`, Zensical ships `classic`
  and `modern`) that no page links to;
- the search index's JSON copy (`search/search_index.json`), when `search/search_index.js` holds
  the same index and every page loads our shim, which answers the theme's request for the JSON
  from the script when the site is served over http(s) (a page opened from disk loads the script).

And the pages' indentation: in each `.html` file, the spaces, tabs and blank lines that follow
a line break in text go, the line break stays. A browser renders both alike: where white space
collapses (CSS `white-space: normal` or `nowrap`, everywhere but the elements below), a run of
white space with a line break in it is one segment break, so the theme's 13.8 kB 404 page
looks the same at 10.9 kB (tests/test_browser_squeeze.py compares the pixels). Never
touched: tags and attribute values, comments, and the whole of every element whose white
space may matter: `pre`, `textarea`, `code`, `kbd`, `script`, `style`, `svg`, `math` and the
like, and every element the site's own stylesheets give a `white-space` that keeps spaces or
line breaks (found in the shipped `.css` files, not assumed). A site whose stylesheets or
scripts say something this cannot follow, or a page that names `white-space` itself, is left
as it was.

Runs on the staged folder, before the safety and privacy scans, so that they see the site
as it is shipped; outside `assets/`, only the `.html` files' white space is touched.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

LUNR = Path("assets/javascripts/lunr")
STYLESHEETS = Path("assets/stylesheets")
SEARCH_INDEXES = ("search/search_index.json", "search.json", "search/search_index.js")
# The search index is written twice by Material: as JSON (fetched over http) and inlined into a
# script (loaded from disk); the JSON goes when our shim answers its request from the script.
INDEX_DATA = Path("search/search_index.json")
INDEX_SCRIPT = Path("search/search_index.js")
INDEX_PREFIX = b"var __index = "
SHIM = Path("assets/javascripts/iframe-worker.js")
SHIM_ANSWERS = "answerIndexFromScript"
_BUNDLE = "assets/javascripts/bundle."
# Scripts of lunr/ that Material's search worker imports for a language other than English.
_SEGMENTERS = {"ja": "tinyseg.js", "jp": "tinyseg.js", "hi": "wordcut.js", "th": "wordcut.js"}


def trim_site(site_dir: Path) -> list[str]:
    """Remove what the site never loads; the removed files' paths, relative to site_dir."""
    assets = site_dir / "assets"
    if not assets.is_dir() or assets.is_symlink():
        return []
    removed = [p for p in assets.rglob("*.map") if p.is_file() and not p.is_symlink()]
    lunr = site_dir / LUNR
    needed = lunr_needed(search_languages(site_dir))
    if needed is not None and lunr.is_dir() and not lunr.is_symlink():
        removed += [p for p in lunr.rglob("*") if p.is_file() and p.relative_to(lunr).as_posix() not in needed]
    removed += _unlinked_variants(site_dir)
    removed += _index_shipped_twice(site_dir)
    for path in removed:
        path.unlink()
    for folder in sorted((p for p in assets.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    squeeze_pages(site_dir)
    return sorted(p.relative_to(site_dir).as_posix() for p in removed)


def _index_shipped_twice(site_dir: Path) -> list[Path]:
    """search/search_index.json, when search/search_index.js holds the very same index and every page
    loads our shim (site_templates/assets/javascripts/iframe-worker.js), which answers the theme's
    request for the .json from the .js when the site is served over http(s)."""
    data, script, shim = (site_dir / name for name in (INDEX_DATA, INDEX_SCRIPT, SHIM))
    try:
        if not all(p.is_file() and not p.is_symlink() for p in (data, script, shim)):
            return []
        if SHIM_ANSWERS not in shim.read_text(encoding="utf-8", errors="replace"):
            return []
        if script.read_bytes() != INDEX_PREFIX + data.read_bytes():
            return []
        pages = [p for p in site_dir.rglob("*.html") if p.is_file() and not p.is_symlink()]
        for page in pages:
            text = page.read_text(encoding="utf-8", errors="replace")
            if INDEX_DATA.name in text or (_BUNDLE in text and f'{SHIM.as_posix()}"' not in text):
                return []
    except OSError:
        return []
    return [data] if pages else []


def unused_theme_file(path: str, needed: set[str] | None) -> bool:
    """Whether trim_site removes the theme's file at this path in the site (`assets/...`) whatever the pages say."""
    if not path.startswith("assets/"):
        return False
    if path.endswith(".map"):
        return True
    lunr = LUNR.as_posix() + "/"
    return needed is not None and path.startswith(lunr) and path[len(lunr) :] not in needed


def search_languages(site_dir: Path) -> list[str] | None:
    """The languages of the site's search index (its `config.lang`), or None when unknown."""
    for name in SEARCH_INDEXES:
        try:
            text = (site_dir / name).read_text(encoding="utf-8")
            config = json.loads(text.removeprefix(INDEX_PREFIX.decode())).get("config", {})
        except (OSError, ValueError, AttributeError):
            continue
        lang = config.get("lang") if isinstance(config, dict) else None
        if isinstance(lang, list) and lang and all(isinstance(one, str) for one in lang):
            return lang
    return None


def lunr_needed(languages: list[str] | None) -> set[str] | None:
    """The files of lunr/ the search worker imports for these languages (None: keep them all)."""
    if languages is None:
        return None
    needed = {f"min/lunr.{lang}.min.js" for lang in languages if lang != "en"}
    needed |= {_SEGMENTERS[lang] for lang in languages if lang in _SEGMENTERS}
    if len(languages) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


def _unlinked_variants(site_dir: Path) -> list[Path]:
    """The files of each folder of assets/stylesheets/ that no page names (none when there is no page)."""
    folders = [p for p in (site_dir / STYLESHEETS).glob("*") if p.is_dir() and not p.is_symlink()]
    pages = [p for p in site_dir.rglob("*.html") if p.is_file()]
    if not folders or not pages:
        return []
    texts = [page.read_text(encoding="utf-8", errors="replace") for page in pages]
    unlinked = [f for f in folders if not any(f"{STYLESHEETS.as_posix()}/{f.name}/" in text for text in texts)]
    return [p for folder in unlinked for p in folder.rglob("*") if p.is_file()]


# Elements whose white space the browser keeps or treats in a way of its own (the HTML standard's
# user-agent styles, raw and escapable raw text, SVG and MathML), and Material's `code` and `kbd`.
KEPT_ELEMENTS = frozenset(
    {"pre", "textarea", "listing", "xmp", "plaintext", "code", "kbd", "samp", "script", "style", "title"}
    | {"svg", "math", "noscript", "iframe", "noembed", "noframes", "template"}
)
_COLLAPSING = frozenset({"normal", "nowrap", "collapse", "initial"})
_RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")
_WHITE_SPACE = re.compile(r"white-space(?:-collapse)?\s*:\s*([^;]*)", re.IGNORECASE)
_MENTION = re.compile(r"white-?space", re.IGNORECASE)
_COLLAPSING_DECLARATION = re.compile(r"white-space\s*:\s*(?:normal|nowrap)\b")
_COMBINATOR = re.compile(r"\s*[\s>+~]\s*")
_COMPOUND = re.compile(r"(?P<tag>[a-zA-Z][\w-]*)?(?P<rest>(?:\.[\w-]+|\[[^\]]*\]|#[\w-]+|::?[\w-]+(?:\([^()]*\))?)*)")
_START_TAG = re.compile(rb"""<([a-z][a-z0-9-]*)(?:[^>"']|"[^"]*"|'[^']*')*>""")
# A tag in which a line break may stand (between attributes, or in a value): then the page is left as it is.
# Runs of plain characters are taken at once (++): the same matches as one character a step, a third faster.
_TAG_WITH_BREAK = re.compile(rb"""<[a-zA-Z/](?:[^>"'\n]++|"[^"\n]*+"|'[^'\n]*+')*+[\n"']""")
_FOREIGN_STYLESHEET = re.compile(rb"<link\b[^>]*stylesheet[^>]*//|<link\b[^>]*//[^>]*stylesheet")
_RUN = re.compile(rb"\n[ \t\n]+")


@dataclass(frozen=True)
class Kept:
    """What squeeze leaves as it is: comments and the elements of these names or classes (lower case)."""

    tags: frozenset[str]
    classes: frozenset[str]

    @cached_property
    def elements(self) -> re.Pattern[bytes]:
        names = "|".join(sorted(map(re.escape, self.tags)))
        return re.compile(rf"<!--.*?-->|<plaintext\b.*|<(?P<tag>{names})(?=[\s/>])[^>]*>.*?</(?P=tag)\s*>".encode(), re.DOTALL)


_SHEETS: dict[str, tuple[set[str], set[str]] | None] = {}  # a stylesheet's names, the theme's parsed once per process
_SCRIPTS: dict[str, bool] = {}  # whether a script names white-space, likewise


def squeeze_pages(site_dir: Path) -> None:
    """Collapse the white space around line breaks in the site's pages, where no browser can tell."""
    files = [p for p in site_dir.rglob("*") if p.suffix in {".css", ".js", ".html"} and p.is_file() and not p.is_symlink()]
    if any(_sets_white_space(p.read_text(encoding="utf-8", errors="replace")) for p in files if p.suffix == ".js"):
        return  # a script could give any element a white-space of its own
    kept = kept_names(p.read_text(encoding="utf-8", errors="replace") for p in files if p.suffix == ".css")
    if kept is None:
        return
    for page in (p for p in files if p.suffix == ".html"):
        html = page.read_bytes()
        squeezed = squeeze(html, kept)
        if squeezed != html:
            page.write_bytes(squeezed)


def kept_names(stylesheets: Iterable[str]) -> Kept | None:
    """Element names and classes that cover every element the stylesheets may give a white-space
    that keeps spaces or line breaks (None when a selector names neither, or a sheet imports another)."""
    tags, classes = set(KEPT_ELEMENTS), set()
    for text in stylesheets:
        if text not in _SHEETS:
            if len(_SHEETS) > 32:
                _SHEETS.clear()
            _SHEETS[text] = _sheet_names(text)
        names = _SHEETS[text]
        if names is None:
            return None
        tags |= names[0]
        classes |= names[1]
    return Kept(frozenset(tags), frozenset(classes))


def _sheet_names(text: str) -> tuple[set[str], set[str]] | None:
    tags: set[str] = set()
    classes: set[str] = set()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    if "@import" in text:
        return None
    for selectors, body in _RULE.findall(text):
        values = [v.lower().replace("!important", "").strip() for v in _WHITE_SPACE.findall(body)]
        if all(value in _COLLAPSING for value in values):
            continue
        for selector in selectors.split(","):
            found = _COMPOUND.fullmatch(_COMBINATOR.split(selector.strip())[-1])
            names = re.findall(r"\.([\w-]+)", found.group("rest")) if found else []
            if found and found.group("tag"):
                tags.add(found.group("tag").lower())
            elif names:
                classes.add(names[0].lower())  # an element the selector matches has them all
            else:
                return None
    return tags, classes


def squeeze(html: bytes, kept: Kept) -> bytes:
    """The page with each run of white space that holds a line break, outside the kept parts, as one line break.

    Unchanged when the page names white-space itself (a style of its own), links a stylesheet
    from elsewhere, has a line break inside a tag, or has a kept element whose end is not
    certain (one that holds another of its name, whose end tag would be found too early).
    Works on the UTF-8 bytes, matching names on an ASCII-lowered copy of the same length.
    """
    low = html.lower()
    if b"white-space" in low or b"whitespace" in low or _FOREIGN_STYLESHEET.search(low):
        return html
    regions = []
    for element in kept.elements.finditer(low):
        name = element.group("tag")
        if name and b"<" + name in low[element.start() + 1 : element.end()]:
            return html
        regions.append((element.start(), element.end()))
    for word in (name.encode() for name in kept.classes):
        position = low.find(word)
        while position >= 0:
            after, closing = low.find(b"<", position), low.find(b">", position)
            if closing >= 0 and (after < 0 or closing < after):  # in a tag: keep its element, or keep the page
                region = _element_around(low, position)
                if region is None:
                    return html
                regions.append(region)
            position = low.find(word, position + 1)
    parts, start = [], 0
    for begin, end in sorted(regions):
        if end > start:
            parts += [html[start : max(begin, start)], html[max(begin, start) : end]]
            start = end
    parts.append(html[start:])
    texts = parts[::2]
    if any(_TAG_WITH_BREAK.search(text) for text in texts):
        return html
    parts[::2] = [_RUN.sub(b"\n", text) for text in texts]
    return b"".join(parts)


def _element_around(low: bytes, position: int) -> tuple[int, int] | None:
    """Start and end of the element whose start tag holds position (None when that is not certain)."""
    start = low.rfind(b"<", 0, position)
    tag = _START_TAG.match(low, start) if start >= 0 else None
    if tag is None or tag.end() <= position:
        return None
    close = re.compile(rb"</" + re.escape(tag.group(1)) + rb"\s*>").search(low, tag.end())
    if close is None or b"<" + tag.group(1) in low[tag.end() : close.start()]:
        return None
    return start, close.end()


def _sets_white_space(script: str) -> bool:
    """Whether a script names white-space other than in a declaration `white-space: normal` or `nowrap`
    (Zensical's bundle styles its own widgets with `nowrap`). The theme's scripts are read once per process."""
    if script not in _SCRIPTS:
        if len(_SCRIPTS) > 32:
            _SCRIPTS.clear()
        _SCRIPTS[script] = any(not _COLLAPSING_DECLARATION.match(script, m.start()) for m in _MENTION.finditer(script))
    return _SCRIPTS[script]
