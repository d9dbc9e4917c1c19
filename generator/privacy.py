"""The last gate of a public build: no private value of the profile in any output file.

`public_view` empties every private field before anything is rendered. This scan
checks the result, so that neither a bug nor a private value typed into a public
field (an AAMC ID in a letter's `context`) reaches a published site. It reads every
file of the built site, as text, with `.gz` files decompressed, HTML entities
decoded and calendar lines unfolded, and runs before the new site replaces the old.
"""

from __future__ import annotations

import contextlib
import gzip
import html
import re
import typing
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

from pydantic import BaseModel

from generator.errors import BuildError
from generator.models import Profile, is_private

MIN_LENGTH = 4
"""Shorter text is too common to search for (and too short to identify anyone)."""

NUMBER_LABELS = {"usmle_step2_ck": r"step\s*2(?:\s*ck)?|usmle_step2_ck|step2_ck"}
"""A bare `251` is in every script and stylesheet; a score is a leak when it follows its name."""

_GAP = r"(?:<[^>]*>|[^\w<]|\b(?:ck|usmle|score|scored|result|of|was|is|your)\b){0,40}?"
_SPACE = r"\s+"


@dataclass(frozen=True)
class Secret:
    """One private value of the profile, as the pattern that finds it in output text."""

    path: str
    pattern: re.Pattern[str]
    hints: tuple[str, ...] = ("",)
    """Lower-case text of which every match contains one: a fast test before the pattern runs."""

    def found_in(self, text: str, lowered: str) -> bool:
        return any(hint in lowered for hint in self.hints) and self.pattern.search(text) is not None


@dataclass(frozen=True)
class Leak:
    file: str
    path: str


def check_public_site(site_dir: Path, profile: Profile) -> None:
    """Fail the build when a private value of the full profile is in any file of site_dir."""
    leaks = scan(site_dir, secrets(profile))
    if leaks:
        raise BuildError(message(leaks))


def secrets(profile: Profile) -> list[Secret]:
    """A search pattern for every private value worth searching for, named by its key path."""
    found = []
    for path, value in private_values(profile):
        secret = _number(path, value) if isinstance(value, int | float) else _text(path, str(value))
        if secret is not None:
            found.append(secret)
    return found


def private_values(model: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(key path, value) of every value under a private field; choices and yes/no are left out."""
    if isinstance(model, list):
        for index, item in enumerate(model):
            yield from private_values(item, f"{path}[{index}]")
    elif isinstance(model, BaseModel):
        for name, field in type(model).model_fields.items():
            sub = f"{path}.{name}" if path else name
            if is_private(field):
                yield from _leaves(sub, getattr(model, name), field.annotation)
            else:
                yield from private_values(getattr(model, name), sub)


def scan(site_dir: Path, found: list[Secret]) -> list[Leak]:
    """Every (file, key path) where a secret appears, files in sorted order."""
    leaks = []
    for file in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        texts = [(text, text.lower()) for text in _texts(file)]
        name = file.relative_to(site_dir).as_posix()
        leaks += [Leak(name, s.path) for s in found if any(s.found_in(*text) for text in texts)]
    return leaks


def message(leaks: list[Leak]) -> str:
    """Names the files and the key paths, never the private values themselves."""
    files: dict[str, list[str]] = {}
    for leak in leaks:
        files.setdefault(leak.path, []).append(leak.file)
    where = "; ".join(f"the value of {path} is in {_listed(names)}" for path, names in files.items())
    return (
        f"private data found in the public build, so the previous site was left as it was: {where}. "
        "Take these values out of the profile's other fields: a private value typed into a title, "
        "a context or a note is published with it."
    )


def _leaves(path: str, value: Any, annotation: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(value, BaseModel):
        for name, field in type(value).model_fields.items():
            yield from _leaves(f"{path}.{name}", getattr(value, name), field.annotation)
    elif isinstance(value, list):
        inner = next(iter(typing.get_args(annotation)), Any)
        for index, item in enumerate(value):
            yield from _leaves(f"{path}[{index}]", item, inner)
    elif value is not None and not isinstance(value, bool) and not _is_choice(annotation):
        yield path, value


def _is_choice(annotation: Any) -> bool:
    """An enumeration: its values (`pass`, `not_taken`) are words every handbook prints."""
    return typing.get_origin(annotation) is Literal or any(_is_choice(arg) for arg in typing.get_args(annotation))


def _text(path: str, value: str) -> Secret | None:
    text = " ".join(value.split())
    if len(text) < MIN_LENGTH or re.fullmatch(r"[^\W\d_]+", text):
        return None  # too short, or one plain word such as "none" or "pending": it identifies no one
    digits = re.sub(r"\D", "", text)
    if path.endswith("phone") and len(digits) >= 7:
        # However it is written: +91 98 7654 3210, +91-9876-543210, (91) 98765 43210. The first
        # digit leads the pattern (its look-behind follows it) so that the search skips ahead fast.
        rest = "".join(r"[\s().\-/]{0,3}" + digit for digit in digits[1:])
        return Secret(path, re.compile(rf"{digits[0]}(?<!\d{digits[0]}){rest}(?!\d)"))
    forms = dict.fromkeys([text, quote(text, safe="@"), quote(text, safe="")])
    spaced = "|".join(_SPACE.join(re.escape(word) for word in form.split(" ")) for form in forms)
    before = r"(?<!\w)" if text[0].isalnum() else ""
    after = r"(?!\w)" if text[-1].isalnum() else ""
    hints = tuple(max(form.lower().split(" "), key=len) for form in forms)
    return Secret(path, re.compile(f"{before}(?:{spaced}){after}", re.IGNORECASE), hints)


def _number(path: str, value: float) -> Secret:
    name = path.rsplit(".", 1)[-1]
    label = NUMBER_LABELS.get(name, re.escape(name).replace("_", r"[\s_]*"))
    number = str(value) if isinstance(value, int) else f"{value:g}"
    return Secret(path, re.compile(rf"(?:{label}){_GAP}(?<![\d.]){re.escape(number)}(?!\.?\d)", re.IGNORECASE), (number,))


def _texts(file: Path) -> list[str]:
    """The file's text as written and as a reader sees it (entities decoded, lines unfolded)."""
    data = file.read_bytes()
    if file.suffix == ".gz":
        with contextlib.suppress(OSError, EOFError, zlib.error):  # not gzip after all: read as is
            data = gzip.decompress(data)
    text = data.decode("utf-8", errors="ignore")
    if ".ics" in file.suffixes:
        text = re.sub(r"\r?\n[ \t]", "", text)
        text = re.sub(r"\\([\\,;nN])", lambda m: "\n" if m[1] in "nN" else m[1], text)
    texts = dict.fromkeys([text, html.unescape(text)])
    if ".json" in file.suffixes or ".js" in file.suffixes:
        texts.update(dict.fromkeys(_json_unescaped(t) for t in list(texts)))
    return list(texts)


def _json_unescaped(text: str) -> str:
    """`\\n`, `\\"` and `\\u00e9` inside JSON strings as the characters they stand for."""
    simple = {"n": "\n", "t": "\t", "r": "\r", "b": " ", "f": " "}
    return re.sub(
        r'\\(u[0-9a-fA-F]{4}|["\\/bfnrt])',
        lambda m: chr(int(m[1][1:], 16)) if m[1][0] == "u" else simple.get(m[1], m[1]),
        text,
    )


def _listed(names: list[str]) -> str:
    if len(names) > 3:
        more = len(names) - 3
        return f"{', '.join(names[:3])} and {more} more {'file' if more == 1 else 'files'}"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
