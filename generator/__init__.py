"""Personal residency handbook: from one applicant's profile to a searchable site."""

from __future__ import annotations

import os
import sys
import types
from typing import Any

__version__ = "0.1.0"

_PLUGIN_FINDER = "pydantic.plugin._loader"


def _no_pydantic_plugins() -> None:
    """No pydantic plugin sees what this tool validates: a profile, private values included.

    Pydantic hands every value it validates to the plugins installed beside it (observability
    tools register one); PYDANTIC_DISABLE_PLUGINS=__all__ is its documented switch to turn them
    off. Its plugin finder is also stood in for by one that finds none, before pydantic loads it,
    so that no start reads the entry points of every installed package (importing importlib.metadata
    and the scan were about a tenth of `handbook check`). Any other name pydantic asks of the finder
    comes from pydantic's own module, loaded then.
    """
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    if _PLUGIN_FINDER in sys.modules:
        return
    finder = types.ModuleType(_PLUGIN_FINDER)
    finder.__dict__["get_plugins"] = lambda: ()
    finder.__dict__["__getattr__"] = _from_pydantic
    sys.modules[_PLUGIN_FINDER] = finder


def _from_pydantic(name: str) -> Any:
    if name.startswith("__"):  # what the import system asks of any module (__path__: not a package)
        raise AttributeError(name)
    finder = sys.modules[_PLUGIN_FINDER]
    if "_own" not in finder.__dict__:  # pydantic's own module, loaded once
        import importlib.util
        from pathlib import Path

        import pydantic.plugin

        where = Path(pydantic.plugin.__file__).parent / "_loader.py"
        spec = importlib.util.spec_from_file_location(f"{_PLUGIN_FINDER}_own", where)
        if spec is None or spec.loader is None:
            raise AttributeError(name)
        own = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(own)
        finder.__dict__["_own"] = own
    return getattr(finder.__dict__["_own"], name)


_no_pydantic_plugins()
