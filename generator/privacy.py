"""The last gate of a public build: no private value of the profile in any output file.

`public_view` empties every private field before anything is rendered. This scan
checks the result, so that neither a bug nor a private value typed into a public
field (an AAMC ID in a letter's `context`) reaches a published site. It reads every
file of the built site (or generated project), as text, with `.gz` files decompressed,
HTML entities, Markdown backslash escapes and JSON escapes undone, tags removed and
calendar lines unfolded, and runs before the new site replaces the old.

What it compares is normalised: an ID or phone number by its digits, however they are
spaced or punctuated, a phone number also without its country code; a score next to
its exam's name, before or after it; an email in any case.
"""

from __future__ import annotations

import contextlib
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote

import yaml
from pydantic import BaseModel

from generator.errors import BuildError, HandbookError, InputError
from generator.models import Profile, is_private

MIN_LENGTH = 4
"""Shorter text is too common to search for (and too short to identify anyone)."""
MIN_DIGITS = 7
"""An ID or phone number is searched for by its digits alone from this many digits: shorter runs are everywhere."""

NUMBER_LABELS = {"usmle_step2_ck": r"step[\s_]*(?:2|ii|two)(?:[\s_]*ck)?|\bck\b"}
"""A bare `251` is in every script and stylesheet; a score is a leak when it is next to its name."""

_GAP = r"(?:<[^>]*>|[^\w<]|\b(?:ck|usmle|score|scored|result|of|was|is|your|my|a|an|the)\b){0,40}?"
_GAP_AFTER = r"(?:<[^>]*>|/\s*300\b|[^\w<]|\b(?:on|in|at|for|from|the|my|usmle|points?|score|scored|was|is)\b){0,40}?"
_SPACE = r"\s+"
_DIGIT_GAP = r"[\s().\-/]{0,3}"
_SEPARATORS = re.compile(r"[\s().\-/+]")


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
        found += [_number(path, value)] if isinstance(value, int | float) else _text(path, str(value))
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


REDACTED = "[a private value]"


def redacted(error: HandbookError, profile_path: Path | None) -> str:
    """The error's text with every private value of the profile replaced: the last guard of a message written
    after the profile loaded. Problems of an input file never quote a private value (generator.profile)."""
    text = str(error)
    if profile_path is None or isinstance(error, InputError):
        return text
    from generator.profile import load_profile

    try:
        profile = load_profile(profile_path).profile
    except HandbookError:
        return text
    for secret in secrets(profile):
        text = secret.pattern.sub(REDACTED, text)
    return text


def published_warning(profile_path: Path, profile: Profile) -> str | None:
    """A warning when the profile holds private values and its git repository has a workflow that publishes
    a site: on a public repository (as GitHub Pages needs on a free account) anyone can read the file itself."""
    fields = private_fields(profile)
    root = next((d for d in Path(profile_path).resolve().parents if (d / ".git").exists()), None)
    if not fields or root is None:
        return None
    workflows = sorted(p for p in (root / ".github" / "workflows").glob("*.y*ml") if _publishes(p))
    if not workflows or _ignored(root, Path(profile_path).resolve()):
        return None
    return (
        f"{profile_path} holds private values ({', '.join(fields)}) and its git repository has a workflow that "
        f"publishes a site ({workflows[0].relative_to(root).as_posix()}): the site leaves them out, but anyone who can "
        "see the repository can read this file. Keep the full profile in a file the repository ignores "
        "(e.g. profile.private.yaml) and these values out of the profile you push."
    )


def private_fields(model: Any, path: str = "") -> list[str]:
    """The key paths of the private fields that hold a value (`exams` as a whole)."""
    if isinstance(model, list):
        return [found for index, item in enumerate(model) for found in private_fields(item, f"{path}[{index}]")]
    if not isinstance(model, BaseModel):
        return []
    found = []
    for name, field in type(model).model_fields.items():
        sub = f"{path}.{name}" if path else name
        value = getattr(model, name)
        if is_private(field):
            found += [sub] if value is not None else []
        else:
            found += private_fields(value, sub)
    return found


def _publishes(workflow: Path) -> bool:
    try:
        return re.search(r"handbook|pages", workflow.read_text(encoding="utf-8", errors="replace"), re.IGNORECASE) is not None
    except OSError:
        return False


def _ignored(root: Path, path: Path) -> bool:
    """The file is ignored by git (never pushed), e.g. profile.private.yaml with the .gitignore init writes."""
    from generator import gitrepo

    if not gitrepo.installed():
        return False
    try:
        gitrepo.run(["check-ignore", "--quiet", str(path)], cwd=root)
    except gitrepo.GitError:
        return False
    return True


def scan(site_dir: Path, found: list[Secret]) -> list[Leak]:
    """Every (file, key path) where a secret appears, files in sorted order."""
    leaks: dict[Leak, None] = {}
    if not found:  # nothing private to look for
        return []
    for file in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        name = file.relative_to(site_dir).as_posix()
        texts = _readings(file, name)
        leaks.update(dict.fromkeys(Leak(name, s.path) for s in found if any(s.found_in(*text) for text in texts)))
    return list(leaks)


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


def _text(path: str, value: str) -> list[Secret]:
    text = " ".join(value.split())
    if len(text) < MIN_LENGTH or re.fullmatch(r"[^\W\d_]+", text):
        return []  # too short, or one plain word such as "none" or "pending": it identifies no one
    bare = _SEPARATORS.sub("", text)
    phone = path.endswith("phone")
    if (bare.isdigit() or phone) and sum(c.isdigit() for c in text) >= MIN_DIGITS:
        return [_digits(path, digits, phone) for digits in _digit_forms(text, phone)]
    forms = dict.fromkeys([text, quote(text, safe="@"), quote(text, safe="")])
    spaced = "|".join(_SPACE.join(re.escape(word) for word in form.split(" ")) for form in forms)
    before = r"(?<!\w)" if text[0].isalnum() else ""
    after = r"(?!\w)" if text[-1].isalnum() else ""
    hints = tuple(max(form.lower().split(" "), key=len) for form in forms)
    return [Secret(path, re.compile(f"{before}(?:{spaced}){after}", re.IGNORECASE), hints)]


def _digit_forms(text: str, phone: bool) -> list[str]:
    """The digit runs an ID or phone number may be written as: all its digits; for a phone, also without
    the country code (+91 98765 43210 as 98765 43210 or 098765 43210) or without the trunk 0."""
    digits = re.sub(r"\D", "", text)
    nationals = []
    if phone and re.match(r"\s*(?:\+|00)", text):
        international = digits[2:] if text.lstrip().startswith("00") else digits
        written = re.match(r"\s*(?:\+|00)\s*(\d{1,3})[\s().\-/]", text)
        lengths = [len(written[1])] if written else [1, 2, 3]  # +919876543210: the code could be 1 to 3 digits
        nationals = [international[length:] for length in lengths]
    elif phone and digits.startswith("0"):
        nationals = [digits[1:]]
    nationals = [number for number in nationals if len(number) >= MIN_DIGITS]
    return list(dict.fromkeys([digits, *nationals, *("0" + number for number in nationals)]))


def _digits(path: str, digits: str, phone: bool = False) -> Secret:
    """Digits with any spacing or punctuation between them (1555 0123, 1555-0123, (1555) 01.23), never
    inside a longer number (a phone number may follow a country code: +15550100123). The first digit
    leads the pattern (its look-behind follows it): the search skips ahead fast."""
    first, rest = digits[0], "".join(_DIGIT_GAP + digit for digit in digits[1:])
    alone = f"(?<!\\d{first})"
    if phone:
        alone = f"(?:{alone}|(?<=\\+\\d{first})|(?<=\\+\\d\\d{first})|(?<=\\+\\d\\d\\d{first}))"
    return Secret(path, re.compile(rf"{first}{alone}{rest}(?!\d)"))


def _number(path: str, value: float) -> Secret:
    """A number next to its name: `Step 2 CK: 248`, `Step 2 CK score of 248`, `248 on Step 2`."""
    name = path.rsplit(".", 1)[-1]
    label = re.escape(name).replace("_", r"[\s_]*") + (f"|{NUMBER_LABELS[name]}" if name in NUMBER_LABELS else "")
    number = str(value) if isinstance(value, int) else f"{value:g}"
    alone = rf"(?<![\d.]){re.escape(number)}(?!\.?\d)"
    pattern = rf"(?:{label}){_GAP}{alone}|{alone}{_GAP_AFTER}(?:{label})"
    return Secret(path, re.compile(pattern, re.IGNORECASE), (number,))


_SAME_IN_EVERY_SITE = ("assets/",)
"""The theme's and our own scripts, stylesheets and images: the same bytes in every handbook of a batch."""
_READ: dict[tuple[tuple[str, ...], bytes], list[tuple[str, str]]] = {}
_READ_AT_MOST = 256


def _readings(file: Path, name: str) -> list[tuple[str, str]]:
    """Each text of _texts with its lower case; for an asset, kept per process by its bytes (not read again
    for the next handbook of a batch)."""
    data = file.read_bytes()
    if not name.startswith(_SAME_IN_EVERY_SITE):
        return [(text, text.lower()) for text in _texts(file, data)]
    key = (tuple(file.suffixes), data)
    if key not in _READ:
        if len(_READ) >= _READ_AT_MOST:
            _READ.clear()
        _READ[key] = [(text, text.lower()) for text in _texts(file, data)]
    return _READ[key]


def _texts(file: Path, data: bytes) -> list[str]:
    """The file's text as written and as a reader sees it: entities decoded, Markdown and JSON escapes undone,
    tags removed, calendar lines unfolded, YAML values read."""
    import gzip  # the scan's own imports: `handbook check` loads this module for its warning only
    import html
    import zlib

    if file.suffix == ".gz":
        with contextlib.suppress(OSError, EOFError, zlib.error):  # not gzip after all: read as is
            data = gzip.decompress(data)
    text = data.decode("utf-8", errors="ignore")
    if ".ics" in file.suffixes:
        text = re.sub(r"\r?\n[ \t]", "", text)
        text = re.sub(r"\\([\\,;nN])", lambda m: "\n" if m[1] in "nN" else m[1], text)
    unescaped = _markdown_unescaped(text) if file.suffix == ".md" else text  # generate's Markdown: `priv\\_email`
    texts = dict.fromkeys([text, unescaped])
    if "&" in text:
        texts.update(dict.fromkeys([html.unescape(text), html.unescape(unescaped)]))
    if ".json" in file.suffixes or ".js" in file.suffixes:
        texts.update(dict.fromkeys(_json_unescaped(t) for t in list(texts)))
    if {".html", ".htm", ".xml", ".md", ".svg"} & set(file.suffixes):
        texts.update(dict.fromkeys(re.sub(r"<[^>]*>", "", t) for t in list(texts) if "<" in t))
    if file.suffix in (".yml", ".yaml"):
        texts.update(dict.fromkeys([_yaml_values(text)]))
    return list(texts)


def _markdown_unescaped(text: str) -> str:
    """`priv\\_email` as `priv_email`: a backslash before ASCII punctuation is Markdown's escape."""
    return re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", text)


def _yaml_values(text: str) -> str:
    """Every text value of a YAML file, one a line (a long value may be folded over lines)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    values: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend([*item.keys(), *item.values()])
        elif isinstance(item, list):
            stack.extend(item)
        elif item is not None:
            values.append(str(item))
    return "\n".join(values)


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
