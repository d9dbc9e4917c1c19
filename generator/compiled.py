"""Compiled templates: shipped with the package, kept between runs, and made only when rendered.

Compiling the content's ~300 Jinja templates was most of what a first `handbook build` did
before MkDocs started, and MkDocs compiles the theme's templates anew for every build.
Three things spare that work:

- The wheel ships the compiled code of every content template, partial and theme template
  (`generator/_prebuilt/templates/`, one module each, made by generator.prebuild when the
  wheel is built; pip byte-compiles them for the user's Python at install). An editable
  install makes the same folder in the checkout.
- Jinja's own bytecode cache (a private folder in the system's temp folder) keeps what was
  compiled here before. Jinja uses it only for templates read through a loader; content
  templates are made from strings, so this environment caches those too.
- A content template known to compile (its code shipped or cached) is only loaded when a
  page renders it; any other is compiled at once, so a broken one still names its file and
  line and stops the build before anything is written.

Every entry is keyed by the template's source (and name, for one read through a loader),
the environment's syntax settings, its filter and test names and Jinja's version: an
edited file, another theme version, another Jinja or other settings never use it. A missing
or damaged entry is compiled again from the source. generator.themecache gives the theme's
environment the same cache.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import MutableMapping
from importlib.machinery import SourceFileLoader
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache

PREBUILT = Path(__file__).resolve().parent / "_prebuilt"
PREBUILT_TEMPLATES = PREBUILT / "templates"
_LISTED: dict[str, frozenset[str]] = {}


class CachedEnvironment(jinja2.Environment):
    """A Jinja environment whose templates from strings also use the bytecode cache."""

    def from_string(
        self,
        source: str | jinja2.nodes.Template,
        globals: MutableMapping[str, Any] | None = None,
        template_class: type[jinja2.Template] | None = None,
    ) -> jinja2.Template:
        cache = self.bytecode_cache
        if cache is None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        bucket = cache.get_bucket(self, key(self, source), None, source)
        if bucket.code is None:
            bucket.code = self.compile(source)
            cache.set_bucket(bucket)
        return (template_class or self.template_class).from_code(self, bucket.code, self.make_globals(globals), None)


class Deferred:
    """A template known to compile, loaded when it is first rendered (shipped code, then the cache, then compiled)."""

    def __init__(self, env: jinja2.Environment, source: str, name: str) -> None:
        self.env, self.source, self.name = env, source, name
        self._template: jinja2.Template | None = None

    def render(self, *args: Any, **kwargs: Any) -> str:
        return self.template().render(*args, **kwargs)

    def template(self) -> jinja2.Template:
        if self._template is None:
            code = prebuilt_code(self.name)
            made = None
            if code is not None:
                try:
                    made = self.env.template_class.from_code(self.env, code, self.env.make_globals(None), None)
                except Exception:  # shipped code that does not run here: compiled from the source instead
                    made = None
            self._template = made or self.env.from_string(self.source)
        return self._template


def template(env: jinja2.Environment, source: str) -> jinja2.Template | Deferred:
    """source as a template of env: compiled now (its errors raised here), or deferred when known to compile."""
    name = key(env, source)
    if f"t_{name}.py" in listed(PREBUILT_TEMPLATES) or _cached(env, name):
        return Deferred(env, source, name)
    return env.from_string(source)


def _cached(env: jinja2.Environment, name: str) -> bool:
    """Compiled here before: the bytecode cache holds it (Jinja caches only what compiled)."""
    cache = env.bytecode_cache
    if not isinstance(env, CachedEnvironment) or not isinstance(cache, FileSystemBytecodeCache):
        return False
    return cache.pattern % (cache.get_cache_key(name),) in listed(Path(cache.directory))


def listed(folder: Path) -> frozenset[str]:
    """The names of the files in folder, read once per process (empty when it cannot be read)."""
    where = str(folder)
    if where not in _LISTED:
        try:
            _LISTED[where] = frozenset(os.listdir(folder))
        except OSError:
            _LISTED[where] = frozenset()
    return _LISTED[where]


_CODE: dict[tuple[Path, str, str], CodeType | None] = {}


def prebuilt_code(name: str, filename: str = "<template>") -> CodeType | None:
    """The shipped code of the template keyed name (its byte-compiled module, or the module compiled now), or None.

    Its file name is the one Jinja gives the code it compiles (the template's file, or `<template>`), not the module's.
    Kept for the rest of the process (a code object is never changed): a batch's builds load the theme's once.
    """
    kept = (PREBUILT_TEMPLATES, name, filename)
    if kept in _CODE:
        return _CODE[kept]
    code = _shipped_code(name, filename)
    if len(_CODE) > 2048:
        _CODE.clear()
    _CODE[kept] = code
    return code


def _shipped_code(name: str, filename: str) -> CodeType | None:
    module = f"t_{name}"
    if f"{module}.py" not in listed(PREBUILT_TEMPLATES):
        return None
    fullname = f"generator._prebuilt.templates.{module}"
    try:
        code = SourceFileLoader(fullname, str(PREBUILT_TEMPLATES / f"{module}.py")).get_code(fullname)
    except Exception:  # missing, unreadable or damaged: the caller compiles the template's source
        return None
    return _named(code, filename) if isinstance(code, CodeType) else None


def _named(code: CodeType, filename: str) -> CodeType:
    consts = tuple(_named(c, filename) if isinstance(c, CodeType) else c for c in code.co_consts)
    return code.replace(co_filename=filename, co_consts=consts)


def prebuilt_module(env: jinja2.Environment, source: str, name: str | None = None) -> tuple[str, str]:
    """The file name and text of the module that ships the compiled code of a template from a string, or of the
    template `name` read through env's loader (generator.prebuild writes it)."""
    if name is None:
        return f"t_{key(env, source)}.py", env.compile(source, raw=True)
    return f"t_{loader_key(env, name, source)}.py", env.compile(source, name, raw=True)


class ShippedBytecodeCache(FileSystemBytecodeCache):
    """Jinja's per-user bytecode cache, but a template read through a loader is first looked for in the shipped code."""

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None, source: str) -> Bucket:
        if filename is not None:  # from a loader (a partial, the theme); templates from strings come as Deferred
            code = prebuilt_code(loader_key(environment, name, source), filename)
            if code is not None:
                bucket = Bucket(environment, self.get_cache_key(name, filename), self.get_source_checksum(source))
                bucket.code = code
                return bucket
        return super().get_bucket(environment, name, filename, source)

    def load_bytecode(self, bucket: Bucket) -> None:
        """Jinja's, but code read from the folder (or written to it) is kept for the rest of the process:
        a batch's builds read a template that is not shipped (the generated theme override) once."""
        kept = (self.directory, self.pattern, bucket.key, bucket.checksum)
        code = _LOADED.get(kept)
        if code is None:
            super().load_bytecode(bucket)
            _keep_loaded(kept, bucket.code)
        else:
            bucket.code = code

    def dump_bytecode(self, bucket: Bucket) -> None:
        super().dump_bytecode(bucket)
        _keep_loaded((self.directory, self.pattern, bucket.key, bucket.checksum), bucket.code)


_LOADED: dict[tuple[str, str, str, str], CodeType] = {}


def _keep_loaded(kept: tuple[str, str, str, str], code: CodeType | None) -> None:
    if code is not None:
        if len(_LOADED) > 2048:
            _LOADED.clear()
        _LOADED[kept] = code


def bytecode_cache(kind: str = "content") -> BytecodeCache | None:
    """Jinja's per-user cache folder (after the shipped code); None (compile every time) where it cannot be made safely."""
    try:
        return ShippedBytecodeCache(pattern=f"__handbook_{kind}_%s.cache")
    except (OSError, RuntimeError):
        return None


def signature(env: jinja2.Environment) -> str:
    """What, besides a template's source, decides its compiled code (and whether it compiles at all)."""
    syntax = (
        env.block_start_string,
        env.block_end_string,
        env.variable_start_string,
        env.variable_end_string,
        env.comment_start_string,
        env.comment_end_string,
        env.line_statement_prefix,
        env.line_comment_prefix,
        env.trim_blocks,
        env.lstrip_blocks,
        env.newline_sequence,
        env.keep_trailing_newline,
        env.autoescape,
        env.optimized,
        env.is_async,
        getattr(env, "newstyle_gettext", None),
        env.policies.get("ext.i18n.trimmed"),
        env.policies.get("compiler.ascii_str"),
        getattr(env.finalize, "__qualname__", None),
        sorted(env.extensions),
        sorted(env.filters),
        sorted(env.tests),
        jinja2.__version__,
    )
    return hashlib.sha256(repr(syntax).encode()).hexdigest()[:16]


def key(env: jinja2.Environment, source: str) -> str:
    """A template's name in the caches: its source and what else decides its code."""
    return hashlib.sha256(f"{signature(env)}\0{source}".encode()).hexdigest()


def loader_key(env: jinja2.Environment, name: str, source: str) -> str:
    """The shipped code's key of a template read through a loader (its name is in its code)."""
    return hashlib.sha256(f"{signature(env)}\0{name}\0{source}".encode()).hexdigest()
