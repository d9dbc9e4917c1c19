"""Safe, strict YAML: plain data only, every key's line remembered.

Rejects what a hand-written profile never needs and an attacker might use: anchors
and aliases (alias bombs), duplicate keys (the second silently wins in plain YAML),
tags, deep nesting, control characters, non-UTF-8 bytes and files over the size limit.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator.errors import InputError, Problem, problem

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


class _NoAliasLoader(yaml.SafeLoader):
    """SafeLoader that refuses anchors and aliases, and nesting deep enough to exhaust the stack."""

    depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise _Refused(event.start_mark.line + 1, "anchors and aliases (& and *) are not allowed; write the value out")
        if self.depth >= MAX_DEPTH:
            raise _Refused(event.start_mark.line + 1, f"lists and mappings nest more than {MAX_DEPTH} levels deep here")
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


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


def load(text: str, file: str | Path) -> tuple[Any, Lines]:
    """Parse one YAML document into plain data and a map from key path to line."""
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
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise problem(file, line, "", f"not valid YAML: {_reason(exc)}") from None
    except yaml.YAMLError as exc:
        raise problem(file, None, "", f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: Lines = {}
    problems: list[Problem] = []
    if node is None:
        return None, lines
    value = _build(node, (), lines, problems, str(file), loader)
    if problems:
        raise InputError(problems)
    return value, lines


def _build(node: Node, key: Key, lines: Lines, problems: list[Problem], file: str, loader: yaml.SafeLoader) -> Any:
    lines.setdefault(key, node.start_mark.line + 1)
    if node.tag not in _PLAIN_TAGS:
        problems.append(
            Problem(file, node.start_mark.line + 1, dotted(key), f"the tag {node.tag} is not allowed; write plain values")
        )
        return None
    if isinstance(node, MappingNode):
        return _mapping(node, key, lines, problems, file, loader)
    if isinstance(node, SequenceNode):
        return [_build(child, (*key, i), lines, problems, file, loader) for i, child in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        problems.append(Problem(file, node.start_mark.line + 1, dotted(key), f"found {node.value!r}; {exc}"))
        return None
    except ValueError:  # a date such as 2027-02-30, or an integer too long to convert
        unreadable = _UNREADABLE.get(node.tag, "which cannot be read")
        problems.append(Problem(file, node.start_mark.line + 1, dotted(key), f"found {_shown(node.value)}, {unreadable}"))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(Problem(file, node.start_mark.line + 1, dotted(key), f"found {node.value}; expected an ordinary number"))
        return None
    return value


_UNREADABLE = {
    "tag:yaml.org,2002:timestamp": "which is not a date that exists; expected a date YYYY-MM-DD",
    "tag:yaml.org,2002:int": "a number too long to read; expected a shorter number",
}


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _reason(exc: yaml.MarkedYAMLError) -> str:
    """PyYAML's problem, with its context: the line where an unclosed list, mapping or quote began."""
    problem, context, mark = exc.problem, exc.context, exc.context_mark
    if problem and context and problem.startswith("but "):
        return f"{context}, {problem}"
    if problem and context and mark and exc.problem_mark and mark.line != exc.problem_mark.line:
        return f"{problem} ({context} that starts on line {mark.line + 1})"
    return str(problem or context)


def _mapping(
    node: MappingNode, key: Key, lines: Lines, problems: list[Problem], file: str, loader: yaml.SafeLoader
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        if not isinstance(key_node, ScalarNode) or key_node.tag != "tag:yaml.org,2002:str":
            shown = repr(key_node.value) if isinstance(key_node, ScalarNode) else "written as a list or mapping"
            problems.append(Problem(file, line, dotted(key), f"the key {shown} must be a word; quote it or rename it"))
            continue
        name = key_node.value
        child: Key = (*key, name)
        if name in result:
            problems.append(Problem(file, line, dotted(child), f"duplicate key; it is first set on line {lines[child]}"))
            continue
        lines[child] = line
        result[name] = _build(value_node, child, lines, problems, file, loader)
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
