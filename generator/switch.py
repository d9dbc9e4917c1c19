"""The on/off switch of a change made to library code in this process (generator.mdfast, generator.searchfast).

Such a change is made before a build, for the library versions it was read for; the tests turn
it off to build both ways and compare. state holds "installed" (made now) and "wanted" (asked for).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def ensure(state: dict[str, Any], install: Callable[[], bool]) -> None:
    """Before a build: the change, unless use(False) asked for the library's own code."""
    if state["wanted"] and not state["installed"]:
        install()


def use(state: dict[str, Any], install: Callable[[], bool], uninstall: Callable[[], None], fast: bool) -> None:
    """The change (True) or the library's own code (False) for the builds that follow."""
    state["wanted"] = fast
    if fast:
        install()
    else:
        uninstall()
