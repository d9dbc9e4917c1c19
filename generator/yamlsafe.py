"""Safe, strict YAML: plain data only, every key's line remembered.

Rejects what a hand-written profile never needs and an attacker might use: anchors
and aliases (alias bombs), duplicate keys (the second silently wins in plain YAML),
tags, deep nesting, control characters (also those written as escapes such as "\\e"),
non-UTF-8 bytes and files over the size limit.

Plain values are read as YAML 1.2 reads them, as the editors' YAML language server
and the JSON Schema do: only `true` and `false` are booleans (`yes`, `no`, `on` and `off`
are text), `0123` is the number 123 (never octal), `1:20` is text.
"""

from __future__ import annotations

import importlib
import math
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from generator.errors import CONTROL, InputError, Problem, problem

MAX_BYTES = 256 * 1024
MAX_DEPTH = 50
Key = tuple[str | int, ...]
Lines = dict[Key, int]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


_CORE = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:null"}
_CORE_SCHEMA = [  # YAML 1.2's core schema: (tag, pattern, the characters a match can start with)
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
]


class _Refusing:
    """What every composer of ours refuses: anchors, aliases and deep nesting."""

    depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[attr-defined]  # the parser's, beside this in the loader
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark.line + 1, "anchors and aliases (& and *) are not allowed; write the value out")
        if self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark.line + 1, f"lists and mappings nest more than {MAX_DEPTH} levels deep here")
        self.depth += 1
        try:
            return super().compose_node(parent, index)  # type: ignore[misc, no-any-return]
        finally:
            self.depth -= 1


class _NoAliasLoader(_Refusing, yaml.SafeLoader):
    """SafeLoader that reads YAML 1.2 plain values and refuses anchors, aliases and deep nesting."""

    yaml_implicit_resolvers = {  # noqa: RUF012 (PyYAML's own class attribute, replaced)
        first: [(tag, pattern) for tag, pattern in resolvers if tag not in _CORE]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_yaml_int(self, node: ScalarNode) -> int:
        """Decimal unless written 0o (octal) or 0x (hexadecimal): `01234567` is 1234567."""
        value = str(self.construct_scalar(node))
        if value.startswith(("0o", "0x")):
            return int(value[2:], 8 if value[1] == "o" else 16)
        return int(value, 10)


for _tag, _pattern, _first in _CORE_SCHEMA:
    _NoAliasLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
_NoAliasLoader.add_constructor("tag:yaml.org,2002:int", _NoAliasLoader.construct_yaml_int)

# What libyaml reads otherwise than PyYAML (found by comparing them on generated text): a tab, a carriage
# return, a line break of Unicode's own, a byte order mark, a comment right after a block scalar's indicator,
# a document marker or a directive after the first line (PyYAML ends a document there, even inside
# brackets). A text with one of them is read the careful way.
_LENIENT = re.compile(r"[\t\r\x85\u2028\u2029\ufeff]|[|>][-+0-9]*#|\n(?:---|\.\.\.|%)")
# libyaml's parser, when PyYAML was built with it; else every file takes the careful path.
CParser: Any = importlib.import_module("yaml.cyaml").CParser if yaml.__with_libyaml__ else None

if CParser is not None:

    class _FastLoader(_Refusing, Composer, CParser, SafeConstructor, Resolver):  # type: ignore[misc]
        """libyaml's scanner and parser (a tenth of the time), with our composer, resolvers and constructors.

        Used only when it reads the whole document without a complaint; anything it or our checks refuse is
        read again by _NoAliasLoader, whose messages (and plain words for them) are the ones users see.
        tests/test_yamlsafe.py compares both on every profile and content file and on generated text.
        """

        yaml_implicit_resolvers = _NoAliasLoader.yaml_implicit_resolvers
        yaml_constructors = _NoAliasLoader.yaml_constructors

        def __init__(self, stream: str) -> None:
            CParser.__init__(self, stream)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)


Private = Callable[[Key], bool]
"""Whether a key path holds a private value: its value is then never quoted in a message."""


def _public(key: Key) -> bool:
    return False


class _Refused(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, or a located error for a missing, huge or non-UTF-8 file."""
    try:
        data = _read_regular(path, max_bytes)
    except OSError as exc:
        raise problem(path, None, "", f"cannot read the file ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise problem(path, None, "", f"the file is {len(data):,} bytes; at most {max_bytes:,} bytes are allowed")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise problem(path, line, "", f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8") from None


def _read_regular(path: Path, max_bytes: int) -> bytes:
    """At most max_bytes + 1 bytes of a regular file; a folder, pipe or device is refused without reading it."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))  # a pipe must not block
    try:
        found = os.fstat(fd)
        mode = found.st_mode
        if not stat.S_ISREG(mode):
            what = "a folder" if stat.S_ISDIR(mode) else "a pipe" if stat.S_ISFIFO(mode) else "a device or special file"
            raise problem(path, None, "", f"this is {what}, not a profile file; give the path of a .yaml file")
        if found.st_size > max_bytes:
            raise problem(path, None, "", f"the file is {found.st_size:,} bytes; at most {max_bytes:,} bytes are allowed")
        chunks, size = [], 0
        while size <= max_bytes and (chunk := os.read(fd, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def load(text: str, file: str | Path, private: Private = _public) -> tuple[Any, Lines]:
    """Parse one YAML document into plain data and a map from key path to line.

    A problem with a value under a key path that `private` names says what kind of
    value was found, never the value itself.
    """
    loader, node = _fast(text) if CParser is not None and _plain_for_libyaml(text) else (None, None)
    if loader is None:
        loader, node = _careful(text, file)
    lines: Lines = {}
    problems: list[Problem] = []
    if node is None:
        return None, lines
    value = _build(node, (), lines, problems, _Context(str(file), loader, private))
    if problems:
        raise InputError(problems)
    return value, lines


def _plain_for_libyaml(text: str) -> bool:
    """Whether libyaml reads this text as PyYAML does: none of _LENIENT, no mapping in braces, and no list in
    brackets left open at the end of a line (such lists and mappings read differently in places)."""
    if _LENIENT.search(text) or "{" in text:
        return False
    return "[" not in text or all(line.count("[") <= line.count("]") for line in text.split("\n"))


def _fast(text: str) -> tuple[Any, Node | None]:
    """libyaml's reading of the document, or (None, None) when it or our checks refuse anything."""
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
    except Exception:  # read again by the careful loader, which says what is wrong
        return None, None
    finally:
        loader.dispose()
    # A document that is no mapping or list (empty, or one value) is refused by every reader of ours; the
    # careful loader's lines for it are the ones its messages have always named.
    return (loader, node) if isinstance(node, (MappingNode, SequenceNode)) else (None, None)


def _careful(text: str, file: str | Path) -> tuple[Any, Node | None]:
    """PyYAML's own reading of the document, with located errors in plain words."""
    try:
        loader = _NoAliasLoader(text)
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        raise problem(file, at, "", f"the character U+{exc.character:04X} is not allowed in YAML; remove it") from None
    try:
        node = loader.get_single_node()
    except _Refused as exc:
        raise problem(file, exc.line, "", exc.message) from None
    except yaml.MarkedYAMLError as exc:
        line, said = _plain(exc, text)
        refused = problem(file, line, "", f"not valid YAML: {said}")
        refused.add_note(f"YAML parser: {_reason(exc)}")  # shown with --debug
        raise refused from None
    except yaml.YAMLError as exc:
        raise problem(file, None, "", f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return loader, node


class _Context:
    """What every node of one document is read with."""

    def __init__(self, file: str, loader: yaml.SafeLoader, private: Private) -> None:
        self.file, self.loader, self.private = file, loader, private


def _build(node: Node, key: Key, lines: Lines, problems: list[Problem], ctx: _Context) -> Any:
    lines.setdefault(key, node.start_mark.line + 1)
    line = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        problems.append(Problem(ctx.file, line, dotted(key), f"the tag {node.tag} is not allowed; write plain values"))
        return None
    if isinstance(node, MappingNode):
        return _mapping(node, key, lines, problems, ctx)
    if isinstance(node, SequenceNode):
        return [_build(child, (*key, i), lines, problems, ctx) for i, child in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    hidden = ctx.private(key)
    try:
        value = ctx.loader.construct_object(node, deep=True)
    except yaml.MarkedYAMLError as exc:
        found = "a value that cannot be read" if hidden else repr(node.value)
        problems.append(Problem(ctx.file, line, dotted(key), f"found {found}; {exc.problem}"))
        return None
    except ValueError:  # a date such as 2027-02-30, or an integer too long to convert
        said, kind, allowed = _UNREADABLE.get(node.tag, ("which cannot be read", "a value that cannot be read", "write it out"))
        found = kind if hidden else f"{_shown(node.value)}, {said}"
        problems.append(Problem(ctx.file, line, dotted(key), f"found {found}; {allowed}"))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        found = "a number that is infinite or not a number" if hidden else node.value
        problems.append(Problem(ctx.file, line, dotted(key), f"found {found}; expected an ordinary number"))
        return None
    if isinstance(value, str) and (bad := CONTROL.search(value)):
        problems.append(Problem(ctx.file, line, dotted(key), f"found {_control(bad[0])}; remove it"))
        return None
    return value


def _control(char: str) -> str:
    return f"a control character (U+{ord(char):04X})"


_UNREADABLE = {  # tag: (what is said after the value, what is said instead of a private value, what is allowed)
    "tag:yaml.org,2002:timestamp": (
        "which is not a date that exists",
        "a date that does not exist",
        "expected a date YYYY-MM-DD",
    ),
    "tag:yaml.org,2002:int": ("a number too long to read", "a number too long to read", "expected a shorter number"),
}


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _plain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """The line and, in plain words, the usual mistakes behind PyYAML's messages (never a value)."""
    problem, context = exc.problem or "", exc.context or ""
    mark, opened = exc.problem_mark or exc.context_mark, exc.context_mark
    line = mark.line + 1 if mark else None
    start = opened.line + 1 if opened else line
    rows = text.splitlines()
    if "'\\t'" in problem or "'\t'" in problem:
        return line, "a tab is used for indentation here; indent with spaces only (2 per level)"
    if "quoted scalar" in context:
        return start, "a quote opened on this line is never closed; end the text with the same quote mark"
    if "flow sequence" in context or "flow mapping" in context:
        pair = "'[' ... ']'" if "sequence" in context else "'{' ... '}'"
        return start, f"a list opened on this line is not closed ({pair}), or an item in it holds ': ' and needs quotes"
    if "single document" in problem + context:
        return line, "the file holds a second document after a '---' line; keep one profile per file"
    if "mapping values are not allowed" in problem and line is not None:
        before = next((rows[i] for i in range(line - 2, -1, -1) if rows[i].strip() and not rows[i].lstrip().startswith("#")), "")
        here = rows[line - 1] if line - 1 < len(rows) else ""
        if re.match(r"^\s*(- )?[A-Za-z_][\w-]*:[^\s:]", before):
            return line - 1, "a key has no space after its colon; write `key: value`"
        if re.match(r"^\s*(- )?[A-Za-z_][\w-]*: [^'\"].*: ", here):
            return line, "the value on this line holds ': ' (a colon and a space); put the value in quotes"
        return line, "this line is indented more than the key above it; line it up with the keys of its section"
    if "<block sequence start>" in problem or "'-'" in problem:
        return line, "a list item ('-') is indented differently from the items above it; line it up with them"
    if "<block mapping start>" in problem or "<block end>" in problem:
        return line, "this line is indented differently from the lines above it; keys of one section line up"
    return line, _reason(exc)


def _reason(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem, with its context: the line where an unclosed list, mapping or quote began."""
    problem, context, mark = exc.problem, exc.context, exc.context_mark
    if problem and context and problem.startswith("but "):
        return f"{context}, {problem}"
    if problem and context and mark and exc.problem_mark and mark.line != exc.problem_mark.line:
        return f"{problem} ({context} that starts on line {mark.line + 1})"
    return str(problem or context)


def _mapping(node: MappingNode, key: Key, lines: Lines, problems: list[Problem], ctx: _Context) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            shown = repr(key_node.value) if isinstance(key_node, ScalarNode) else "written as a list or mapping"
            if ctx.private(key) and isinstance(key_node, ScalarNode):  # a private value typed as a key: never quoted
                shown = "written as a number, a date or true/false"
            problems.append(Problem(ctx.file, line, dotted(key), f"the key {shown} must be a word; quote it or rename it"))
            continue
        name = key_node.value
        if bad := CONTROL.search(name):
            problems.append(Problem(ctx.file, line, dotted(key), f"a key holds {_control(bad[0])}; remove it"))
            continue
        child: Key = (*key, name)
        if name in result:
            problems.append(Problem(ctx.file, line, dotted(child), f"duplicate key; it is first set on line {lines[child]}"))
            continue
        lines[child] = line
        result[name] = _build(value_node, child, lines, problems, ctx)
    return result


def dotted(key: Key) -> str:
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def line_of(lines: Lines, key: Key) -> int | None:
    """The line of a key path, or of its closest ancestor that has one."""
    for end in range(len(key), -1, -1):
        if key[:end] in lines:
            return lines[key[:end]]
    return None
