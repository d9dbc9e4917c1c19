"""The theme's compiled templates, kept between builds.

MkDocs makes a new Jinja environment, and so compiles Material's templates again, for
every build: a third of a handbook's build time, paid again by every handbook of a batch.
This plugin object is added to the configuration in memory by site.build_site (the
generated mkdocs.yml stays plain) and gives that environment a bytecode cache.
"""

from __future__ import annotations

from typing import Any

import jinja2
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin

from generator import compiled


class _NoOptions(Config):  # type: ignore[no-untyped-call]  # (mkdocs: untyped __init_subclass__)
    """The plugin has no options."""


class ThemeCache(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Gives the theme's Jinja environment a bytecode cache."""

    def on_env(self, env: jinja2.Environment, /, *, config: Any, files: Any) -> jinja2.Environment:
        if env.bytecode_cache is None:
            env.bytecode_cache = compiled.bytecode_cache(f"theme_{compiled.signature(env)}")
        return env
