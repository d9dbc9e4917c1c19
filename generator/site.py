"""Write the MkDocs project and build it, never harming the previous site."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
import yaml

from generator import diskcache, yamlsafe
from generator.errors import BuildError
from generator.paths import BASE_CONFIG, TEMPLATES

# libyaml's emitter where PyYAML has it: the same text as the pure-Python one, ten times faster.
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def project_files(pages: dict[str, str], config: dict[str, Any], plan: dict[str, Any]) -> dict[str, bytes]:
    """Every file of the generated project, keyed by its path in the project."""
    files = {f"docs/{name}": text.encode() for name, text in pages.items()}
    handbook = config["extra"]["handbook"]
    stamp = css_string(f"{handbook['name']} \u00b7 advice as of {handbook['as_of']}")
    files["docs/assets/stylesheets/stamp.css"] = generated_template("stamp.css.j2").render(stamp=stamp).encode()
    for path in sorted(p for p in (TEMPLATES / "assets").rglob("*") if p.is_file()):
        files[f"docs/assets/{path.relative_to(TEMPLATES / 'assets').as_posix()}"] = path.read_bytes()
    for path in sorted(p for p in (TEMPLATES / "overrides").rglob("*") if p.is_file()):
        files[f"overrides/{path.relative_to(TEMPLATES / 'overrides').as_posix()}"] = path.read_bytes()
    files["mkdocs.yml"] = yaml.dump(config, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=100).encode()
    files["plan.json"] = (json.dumps(plan, indent=2, ensure_ascii=False) + "\n").encode()
    return files


def generated_template(name: str) -> jinja2.Template:
    """A template of site_templates/generated/, compiled once per text (a batch builds many handbooks; an edit
    made while `serve` runs is read at the next build)."""
    return _compiled((TEMPLATES / "generated" / name).read_text())


@functools.lru_cache(maxsize=16)
def _compiled(source: str) -> jinja2.Template:
    return jinja2.Template(source, keep_trailing_newline=True)


def mkdocs_config(site_name: str, nav: list[dict[str, str]], handbook: dict[str, str]) -> dict[str, Any]:
    """The base configuration with what is personal to one handbook."""
    base, _ = diskcache.load_yaml(yamlsafe.read_text(BASE_CONFIG), BASE_CONFIG)
    config: dict[str, Any] = {"site_name": site_name, "docs_dir": "docs", **base}
    config["theme"] = {**base["theme"], "custom_dir": "overrides"}
    config["nav"] = nav
    config["extra"] = {**base.get("extra", {}), "handbook": handbook}
    return config


def css_string(text: str) -> str:
    """A CSS string literal: every character but letters, digits and spaces as a hex escape."""
    return '"' + "".join(ch if ch.isascii() and (ch.isalnum() or ch == " ") else f"\\{ord(ch):06x}" for ch in text) + '"'


def plain_name(text: str) -> str:
    """Letters, digits, spaces and . , ' - only: the theme puts site_name into HTML unescaped."""
    kept = "".join(ch if ch.isalnum() or ch in " .,'-" else " " for ch in text)
    return " ".join(kept.split()) or "applicant"


def write_files(root: Path, files: dict[str, bytes]) -> None:
    """Write files under root, leaving a file untouched when its bytes are unchanged.

    Each file is replaced whole (written beside it, then renamed), so the live preview
    never reads half a page.
    """
    for name, data in files.items():
        path = root / name
        if path.is_file() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.writing")
        temporary.write_bytes(data)
        os.replace(temporary, path)


DOCS_IN_MEMORY = True  # the tests turn it off to build from the written pages, and compare
MKDOCS_VERIFIED = frozenset({"1.6.1"})  # MkDocs versions whose get_files _pages_from makes the same files as


def build_site(project: Path, site_dir: Path, epoch: int, files: dict[str, bytes] | None = None) -> None:
    """Run MkDocs (strict) on a generated project into site_dir.

    files: the project's files, written first; its pages (docs/) are then given to MkDocs from
    memory (see _pages_from) rather than written and read back: the same site, a few dozen file
    writes and reads less per handbook.
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from generator import mdfast, searchfast
    from generator.printbuild import PrintBuild
    from generator.sections import Sections
    from generator.themecache import ThemeCache

    pages = None
    if files is not None:
        docs = {name.removeprefix("docs/"): data for name, data in files.items() if name.startswith("docs/")}
        if _in_memory(docs):
            pages = docs
            files = {name: data for name, data in files.items() if not name.startswith("docs/") and name != "plan.json"}
            (project / "docs").mkdir(parents=True, exist_ok=True)
        write_files(project, files)
    mdfast.ensure()
    searchfast.ensure()
    with _mkdocs_log() as warnings, _source_date_epoch(epoch), _pages_from(pages):
        try:
            config = _load_config(project / "mkdocs.yml", site_dir)
            config.plugins["handbook-theme-cache"] = ThemeCache()
            config.plugins["handbook-print"] = PrintBuild()
            config.plugins["handbook-sections"] = Sections()
            build(config)
        except (MkDocsException, SystemExit) as exc:
            details = "\n".join(f"  {w}" for w in warnings) or f"  {exc}"
            raise BuildError(f"MkDocs could not build the handbook:\n{details}") from None


@contextlib.contextmanager
def _pages_from(pages: dict[str, bytes] | None) -> Iterator[None]:
    """While MkDocs builds: its list of the docs folder's files made from pages (path under docs/ -> bytes).

    mkdocs.structure.files.get_files (MkDocs 1.6.1, read for this) walks the docs folder and makes
    a File of each file found; here the same Files are made, in the same order (each folder's
    files with index first, then its subfolders in order), with the same exclusions and the same
    handling of two files for one address, each with its content set from memory: MkDocs reads
    (and copies) a File's content in place of the file's. The docs folder itself is left empty.
    """
    if pages is None:
        yield
        return
    from mkdocs.commands import build as built
    from mkdocs.structure.files import File, Files, _file_sort_key, set_exclusions

    command: Any = built  # (its get_files is imported, not exported)
    walked = command.get_files

    def get_files(config: Any) -> Any:
        files: list[Any] = []
        conflicting_files: list[tuple[Any, Any]] = []
        for relative_dir, filenames in _walk(pages, _file_sort_key):
            files_by_dest: dict[str, Any] = {}
            for filename in filenames:
                file = File(
                    os.path.join(relative_dir, filename), config["docs_dir"], config["site_dir"], config["use_directory_urls"]
                )
                file.content_bytes = pages[filename if relative_dir == "." else f"{relative_dir}/{filename}"]
                prev_file = files_by_dest.setdefault(file.dest_uri, file)
                if prev_file is not file:
                    conflicting_files.append((prev_file, file))
                files.append(file)
        set_exclusions(files, config)
        for a, b in conflicting_files:  # as get_files: the index page wins over README, with a warning
            if b.inclusion.is_included():
                if a.inclusion.is_included():
                    logging.getLogger("mkdocs.structure.files").warning(
                        f"Excluding '{a.src_uri}' from the site because it conflicts with '{b.src_uri}'."
                    )
                with contextlib.suppress(ValueError):
                    files.remove(a)
            else:
                with contextlib.suppress(ValueError):
                    files.remove(b)
        return Files(files)

    command.get_files = get_files
    try:
        yield
    finally:
        command.get_files = walked


def _in_memory(pages: dict[str, bytes]) -> bool:
    """MkDocs is the version whose get_files was read, and every page's path is plain (no empty, . or .. part)."""
    import mkdocs

    plain = all(part not in ("", ".", "..") for name in pages for part in name.split("/"))
    return DOCS_IN_MEMORY and mkdocs.__version__ in MKDOCS_VERIFIED and plain


def _walk(pages: dict[str, bytes], key: Any) -> list[tuple[str, list[str]]]:
    """(folder, names) as os.walk gives them, top down, folders sorted and names sorted by key."""
    tree: dict[str, Any] = {}
    for path in pages:
        *folders, name = path.split("/")
        node = tree
        for folder in folders:
            node = node.setdefault(folder + "/", {})
        node[name] = None
    found: list[tuple[str, list[str]]] = []

    def visit(node: dict[str, Any], where: str) -> None:
        found.append((where, sorted((n for n, v in node.items() if v is None), key=key)))
        for sub in sorted((n for n, v in node.items() if v is not None), key=lambda n: n[:-1]):  # by name, as os.walk
            visit(node[sub], sub[:-1] if where == "." else f"{where}/{sub[:-1]}")

    visit(tree, ".")
    return found


def _load_config(path: Path, site_dir: Path) -> Any:
    """MkDocs' configuration of the generated project, read with libyaml.

    The file is plain YAML that we wrote (no MkDocs tag, no INHERIT), so it is read with
    libyaml's parser rather than MkDocs' pure-Python one; anything else, and any
    configuration error or warning, goes through MkDocs' own load_config, in its own words.
    """
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig

    def by_mkdocs() -> Any:
        return load_config(config_file=str(path), site_dir=str(site_dir))

    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return by_mkdocs()
    try:
        data = yaml.load(path.read_bytes(), Loader=loader)  # libyaml's safe loader
    except (OSError, yaml.YAMLError):
        return by_mkdocs()
    if not isinstance(data, dict) or "INHERIT" in data:
        return by_mkdocs()
    config = MkDocsConfig(config_file_path=str(path))
    config.load_dict(data)
    config.load_dict({"site_dir": str(site_dir)})
    errors, warnings = config.validate()
    if errors or warnings:
        return by_mkdocs()
    return config


def epoch_of(day: dt.date) -> int:
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


@contextlib.contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if saved is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def _mkdocs_log() -> Iterator[list[str]]:
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    saved = (logger.level, logger.propagate, logger.handlers[:])
    logger.handlers = [handler]
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler.messages
    finally:
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        logger.handlers = saved[2]
