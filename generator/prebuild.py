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
    from generator.content import load_content, template_sources

    diskcache.fresh()  # parse every file here and now, not from a cache
    load_content(content)  # every content file parsed (and checked)
    diskcache.load_yaml(yamlsafe.read_text(base_config), base_config)
    parsed = diskcache.parsed()
    if target.exists():
        shutil.rmtree(target)
    templates = target / "templates"
    templates.mkdir(parents=True)
    written: set[str] = set()
    for env, source in template_sources(content):
        try:
            name, code = compiled.prebuilt_module(env, source)
        except jinja2.TemplateSyntaxError:  # not shipped: a build compiles it and reports the error
            continue
        if name not in written:
            (templates / name).write_text(code, encoding="utf-8")
            written.add(name)
    (target / diskcache.PREBUILT.name).write_bytes(pickle.dumps(parsed, protocol=diskcache.PROTOCOL))
    if byte_compile:
        compileall.compile_dir(templates, quiet=2)
    return f"prebuilt {len(written)} content templates and {len(parsed)} parsed content files into {target}"
