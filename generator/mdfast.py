"""Python-Markdown's inline pass, the same work without the calls that cannot match.

Markdown's InlineProcessor tries every inline pattern (about thirty with our extensions) on
every piece of text, each through a Python call that sets up a regular-expression scan and
returns "no match" for nearly all of them: a tenth of a handbook's build. Here, the pattern's
own compiled expression is first asked, in C, whether it matches anywhere from the place the
scan would start; only when it does is Markdown's own step run. A pattern whose scan finds
nothing is, in Markdown's code, skipped with its scan position reset to 0, which is what
happens here too, so the output is the same text, byte for byte (tests/test_mdfast.py builds
handbooks with and without it and compares every file).

Only patterns of Markdown's new style whose expression comes from Markdown's own
getCompiledRegExp are asked first; any other pattern goes through Markdown's step as before.
The change is made only for the Python-Markdown versions whose inline pass we read
(VERIFIED); with any other version Markdown runs untouched.
"""

from __future__ import annotations

from typing import Any

from generator import switch

# Python-Markdown versions whose InlineProcessor.__handleInline and __applyPattern were read for this.
VERIFIED = frozenset({"3.11.3"})

_state: dict[str, Any] = {"installed": False, "wanted": True}


def ensure() -> None:
    """Before a build: the faster pass, unless use(False) asked for the library's own (the tests compare both)."""
    switch.ensure(_state, install)


def use(fast: bool) -> None:
    """The faster pass (True) or the library's own (False) for the builds that follow."""
    switch.use(_state, install, uninstall, fast)


def install() -> bool:
    """Use the faster inline pass from now on in this process; False when Markdown's version was not verified."""
    if _state["installed"]:
        return True
    import markdown  # type: ignore[import-untyped]
    from markdown import inlinepatterns, treeprocessors, util

    if markdown.__version__ not in VERIFIED:
        return False
    processor = treeprocessors.InlineProcessor
    apply_pattern = processor._InlineProcessor__applyPattern
    base_regexp = inlinepatterns.Pattern.getCompiledRegExp
    new_style = inlinepatterns.InlineProcessor
    atomic = util.AtomicString
    original_run = processor.run

    def prepared(self: Any) -> list[tuple[Any, Any]]:
        registry = self.inlinePatterns
        patterns = [registry[index] for index in range(len(registry))]
        return [
            (p, p.compiled_re if isinstance(p, new_style) and type(p).getCompiledRegExp is base_regexp else None)
            for p in patterns
        ]

    def handle_inline(self: Any, data: str, patternIndex: int = 0) -> str:
        if not isinstance(data, atomic):
            patterns = self._handbook_patterns
            count = len(patterns)
            start = 0
            while patternIndex < count:
                pattern, expression = patterns[patternIndex]
                if expression is not None and expression.search(data, start) is None:
                    patternIndex += 1
                    start = 0
                    continue
                data, matched, start = apply_pattern(self, pattern, data, patternIndex, start)
                if not matched:
                    patternIndex += 1
        return data

    def run(self: Any, tree: Any, ancestors: list[str] | None = None) -> Any:
        self._handbook_patterns = prepared(self)
        return original_run(self, tree, ancestors)

    _state["saved"] = (processor._InlineProcessor__handleInline, original_run)
    processor._InlineProcessor__handleInline = handle_inline
    processor.run = run
    _state["installed"] = True
    return True


def uninstall() -> None:
    """Markdown's own inline pass again (the tests compare both)."""
    if not _state["installed"]:
        return
    from markdown import treeprocessors

    processor = treeprocessors.InlineProcessor
    processor._InlineProcessor__handleInline, processor.run = _state.pop("saved")
    _state["installed"] = False
