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


def build_site(project: Path, site_dir: Path, epoch: int) -> None:
    """Run MkDocs (strict) on a generated project into site_dir."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    from generator import mdfast, searchfast
    from generator.printbuild import PrintBuild
    from generator.sections import Sections
    from generator.themecache import ThemeCache

    mdfast.ensure()
    searchfast.ensure()
    with _mkdocs_log() as warnings, _source_date_epoch(epoch):
        try:
            config = _load_config(project / "mkdocs.yml", site_dir)
            config.plugins["handbook-theme-cache"] = ThemeCache()
            config.plugins["handbook-print"] = PrintBuild()
            config.plugins["handbook-sections"] = Sections()
            build(config)
        except (MkDocsException, SystemExit) as exc:
            details = "\n".join(f"  {w}" for w in warnings) or f"  {exc}"
            raise BuildError(f"MkDocs could not build the handbook:\n{details}") from None


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
