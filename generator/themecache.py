"""The theme's compiled templates and its file listing, kept between builds.

MkDocs makes a new Jinja environment, and so compiles Material's templates again, for
every build: a third of a handbook's build time, paid again by every handbook of a batch.
It also lists every file of the theme for every build (14,500, most of them icons in
hidden folders that it then filters out) to find the theme's static files. This plugin
object is added to the configuration in memory by site.build_site (the generated
mkdocs.yml stays plain); it gives that environment a bytecode cache (after the compiled
templates the wheel ships, see generator.compiled), and a loader whose
listing of an installed theme's folder is kept per theme version (in memory and in the
per-user cache folder of generator.diskcache); and it leaves out of the build the theme's
files that generator.trim would remove afterwards (source maps, unused lunr languages).
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from pathlib import Path
from typing import Any

import jinja2
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

from generator import compiled, diskcache, trim

# Installed packages whose folders a theme's search path holds, with the distribution that versions them.
PACKAGES = {"material": "mkdocs-material", "mkdocs": "mkdocs"}
_LISTINGS: dict[str, list[str]] = {}
_VERSIONS: dict[str, str | None] = {}


class _NoOptions(Config):  # type: ignore[no-untyped-call]  # (mkdocs: untyped __init_subclass__)
    """The plugin has no options."""


class ThemeCache(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Gives the theme's Jinja environment a bytecode cache and a kept listing of the theme's files."""

    def on_config(self, config: Any) -> Any:
        theme = config.theme
        make_env = theme.get_env

        def get_env() -> jinja2.Environment:
            env: jinja2.Environment = make_env()
            loader = env.loader
            if type(loader) is jinja2.FileSystemLoader:
                env.loader = ListingLoader(loader.searchpath, loader.encoding, loader.followlinks)
            if isinstance(env.cache, jinja2.utils.LRUCache) and env.cache.capacity >= 400:
                # What Jinja makes for cache_size=-1: a dict. Material's templates include each other
                # about 700 times a build; each lookup in the LRU cache took a lock and moved its key in
                # a queue. The environment lives one build and uses fewer than 400 templates, so the LRU
                # cache never dropped one: the same templates are found.
                env.cache = {}
            return env

        theme.get_env = get_env
        return config

    def on_files(self, files: Any, /, *, config: Any) -> Any:
        """Leave out the theme's files that generator.trim would remove after the build: MkDocs need not copy them."""
        search = config.plugins.get("material/search") or config.plugins.get("search")
        lang = getattr(getattr(search, "config", None), "lang", None)
        needed = trim.lunr_needed(lang if isinstance(lang, list) and all(isinstance(x, str) for x in lang) else None)
        docs = os.path.realpath(config.docs_dir)
        for file in list(files):
            source = file.abs_src_path
            if source is None or not trim.unused_theme_file(file.src_uri, needed):
                continue
            if not os.path.realpath(source).startswith(docs + os.sep):
                files.remove(file)
        return files

    def on_env(self, env: jinja2.Environment, /, *, config: Any, files: Any) -> jinja2.Environment:
        if env.bytecode_cache is None:
            env.bytecode_cache = compiled.bytecode_cache(f"theme_{compiled.signature(env)}")
        return env


class ListingLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader whose listing leaves out hidden files and folders and keeps an installed theme's.

    MkDocs is the listing's only user (Files.add_files_from_theme), and it drops every path with
    a part that starts with a dot ('.*' and '*/.*'), so leaving those out changes nothing it does.
    """

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            found.update(listing(folder, self.followlinks))
        return sorted(found)


def listing(folder: str, followlinks: bool = False) -> list[str]:
    """The files under folder but in hidden folders, as `a/b.ext`: kept when an installed package's version names it."""
    version = _installed_version(folder)
    if version is None:
        return _walk(folder, followlinks)
    key = hashlib.sha256(f"{os.path.realpath(folder)}\0{version}\0{followlinks}".encode()).hexdigest()[:32]
    if key in _LISTINGS:
        return _LISTINGS[key]
    where = diskcache.folder()
    path = where / f"{diskcache.PREFIX}theme_files_{key}.json" if where else None
    names = _read(path) if path else None
    if names is None:
        names = _walk(folder, followlinks)
        if path:
            diskcache.write(path, json.dumps(names).encode())
    _LISTINGS[key] = names
    return names


def _installed_version(folder: str) -> str | None:
    """`mkdocs-material 9.7.7` for a folder inside that installed package, else None (found once per process)."""
    if folder not in _VERSIONS:
        _VERSIONS[folder] = _find_version(folder)
    return _VERSIONS[folder]


def _find_version(folder: str) -> str | None:
    real = Path(os.path.realpath(folder))
    for package, distribution in PACKAGES.items():
        try:
            module = __import__(package)
            root = Path(os.path.realpath(os.path.dirname(module.__file__ or "")))
            if real != root and root not in real.parents:
                continue
            version = getattr(module, "__version__", None) or metadata.version(distribution)
        except (ImportError, metadata.PackageNotFoundError):
            continue
        return f"{distribution} {version}"
    return None


def _walk(folder: str, followlinks: bool) -> list[str]:
    names = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=followlinks):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        relative = os.path.relpath(dirpath, folder).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        names += [prefix + name for name in filenames if not name.startswith(".")]
    return sorted(names)


def _read(path: Path) -> list[str] | None:
    try:
        names = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return names if isinstance(names, list) and all(isinstance(n, str) for n in names) else None
