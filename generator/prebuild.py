"""What a wheel ships so that the first run after an install does not compile or parse the content.

Run when the wheel is built (hatch_build.py, hatchling's build hook), on the content that
goes into it: every content template's compiled code as a module of its own, for pip to
byte-compile at install for the user's Python (generator.compiled reads it), and the parsed
content files, pickled in one file (generator.diskcache reads it). Each entry is keyed as
the per-user caches key theirs (the source, the loader or Jinja's version and settings), so
an edited file or another Jinja never uses it; without the folder everything still works.
"""

from __future__ import annotations

import compileall
import pickle
import shutil
from pathlib import Path

import jinja2

from generator import compiled, diskcache, paths, yamlsafe


def write(target: Path, content: Path = paths.CONTENT, base_config: Path = paths.BASE_CONFIG, byte_compile: bool = False) -> str:
    """Write the folder (replacing it); byte_compile: also the modules' .pyc for this Python. A one-line summary."""
    from generator.content import environments, load_content, template_sources

    diskcache.fresh()  # parse every file here and now, not from a cache
    load_content(content)  # every content file parsed (and checked)
    diskcache.load_yaml(yamlsafe.read_text(base_config), base_config)  # read by every build (generator.site)
    parsed = diskcache.parsed()
    if target.exists():
        shutil.rmtree(target)
    templates = target / "templates"
    templates.mkdir(parents=True)
    written: dict[str, set[str]] = {"content": set(), "theme": set()}
    found: list[tuple[str, jinja2.Environment, str | None, str]] = [
        ("content", env, None, source) for env, source in template_sources(content)
    ]
    found += [("content", env, name, source) for env, name, source in _loaded(list(environments(content).values()))]
    found += [("theme", env, name, source) for env, name, source in _theme(base_config)]
    for kind, env, name, source in found:
        try:
            module, code = compiled.prebuilt_module(env, source, name)
        except jinja2.TemplateSyntaxError:  # not shipped: a build compiles it and reports the error
            continue
        if module not in written[kind]:
            (templates / module).write_text(code, encoding="utf-8")
            written[kind].add(module)
    (target / diskcache.PREBUILT.name).write_bytes(pickle.dumps(parsed, protocol=diskcache.PROTOCOL))
    if byte_compile:
        compileall.compile_dir(templates, quiet=2)
    return (
        f"prebuilt {len(written['content'])} content templates, {len(written['theme'])} theme templates"
        f" and {len(parsed)} parsed content files into {target}"
    )


def _loaded(envs: list[jinja2.Environment]) -> list[tuple[jinja2.Environment, str, str]]:
    """Every template each environment's loader finds (not in hidden folders): (environment, name, source)."""
    found = []
    for env in envs:
        assert env.loader is not None
        for name in env.loader.list_templates():
            if not any(part.startswith(".") for part in name.split("/")) and name.endswith((".md", ".html", ".xml")):
                found.append((env, name, env.loader.get_source(env, name)[0]))
    return found


def _theme(base_config: Path) -> list[tuple[jinja2.Environment, str, str]]:
    """The theme's templates as MkDocs' environment for a handbook reads them; none where MkDocs is not installed."""
    try:
        from mkdocs.theme import Theme
    except ImportError:
        return []
    from generator.themecache import ListingLoader

    base, _ = diskcache.load_yaml(yamlsafe.read_text(base_config), base_config)
    options = {key: value for key, value in base["theme"].items() if key != "name"}
    theme = Theme(name=base["theme"]["name"], custom_dir=str(paths.TEMPLATES / "overrides"), **options)
    env = theme.get_env()
    env.loader = ListingLoader(theme.dirs)  # lists the folders without walking the hidden icon folders
    return _loaded([env])
