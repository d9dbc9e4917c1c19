"""After a build: remove the theme's files that an offline handbook never loads.

An engine copies its whole theme into the site, but a handbook read from disk loads only a
part of it. Removed here, for every engine, and only what is verified unused in this site:

- source maps (`*.map`): read only by a browser's developer tools;
- lunr's language support (`assets/javascripts/lunr/`) beyond what the search worker loads
  for the search languages written in this site's search index: for English alone it loads
  none (Material's worker imports `lunr.stemmer.support`, `lunr.LANG`, `lunr.multi`,
  `tinyseg` or `wordcut` only for other languages);
- a theme variant's stylesheet folder (`assets/stylesheets/NAME/`, Zensical ships `classic`
  and `modern`) that no page links to.

Runs on the staged folder, before the safety and privacy scans, so that they see the site
as it is shipped; nothing outside `assets/` is touched.
"""

from __future__ import annotations

import json
from pathlib import Path

LUNR = Path("assets/javascripts/lunr")
STYLESHEETS = Path("assets/stylesheets")
SEARCH_INDEXES = ("search/search_index.json", "search.json")
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
    for path in removed:
        path.unlink()
    for folder in sorted((p for p in assets.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return sorted(p.relative_to(site_dir).as_posix() for p in removed)


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
            config = json.loads((site_dir / name).read_text(encoding="utf-8")).get("config", {})
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
