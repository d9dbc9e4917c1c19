"""Compiled content templates kept between runs, so loading content/ is fast after the first time.

Compiling the content's ~200 Jinja templates was most of the time `handbook build` spent
before MkDocs started. Jinja's own bytecode cache (a private folder in the system's temp
folder) skips that, but only for templates read through a loader; content templates are
made from strings, so this environment caches those too. A cache entry is keyed by the
template's source and the environment's syntax settings: an edited file is compiled again.
MkDocs compiles the theme's templates anew for every build; generator.themecache gives
them the same cache.
"""

from __future__ import annotations

import hashlib
from collections.abc import MutableMapping
from typing import Any

import jinja2
from jinja2.bccache import BytecodeCache, FileSystemBytecodeCache


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
        bucket = cache.get_bucket(self, _name(self, source), None, source)
        if bucket.code is None:
            bucket.code = self.compile(source)
            cache.set_bucket(bucket)
        return (template_class or self.template_class).from_code(self, bucket.code, self.make_globals(globals), None)


def bytecode_cache(kind: str = "content") -> BytecodeCache | None:
    """Jinja's per-user cache folder; None (compile every time) where it cannot be made safely."""
    try:
        return FileSystemBytecodeCache(pattern=f"__handbook_{kind}_%s.cache")
    except (OSError, RuntimeError):
        return None


def signature(env: jinja2.Environment) -> str:
    """What, besides a template's source, decides its compiled code."""
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
        getattr(env.finalize, "__qualname__", None),
        sorted(env.extensions),
        jinja2.__version__,
    )
    return hashlib.sha256(repr(syntax).encode()).hexdigest()[:16]


def _name(env: jinja2.Environment, source: str) -> str:
    return hashlib.sha256(f"{signature(env)}\0{source}".encode()).hexdigest()
