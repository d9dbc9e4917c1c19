"""Jinja environments: one for Markdown (values escaped where they land), one for plain text.

Profile text is data. Templates come only from content/; values are inserted into
their output and never compiled, so `{{ 7*7 }}` typed in a profile stays as typed.
In Markdown every value is escaped so that it cannot become markup, HTML or a link.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from generator.compiled import CachedEnvironment, bytecode_cache
from generator.words import duration, human_date, join_words, plural, salutation, with_article

_SPACES = re.compile(r"\s+")
# HTML's special characters as entities, then Markdown's behind a backslash (the entities hold none of them).
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"} | {ch: f"\\{ch}" for ch in "\\`*_[]{}#|!"})
_FOLD = re.compile(r"\?(?=\?\?)")  # "???" starts a folded note (pymdownx.details); "&#63;??" does not


def md_escape(value: Any) -> str:
    """Text that renders literally in Markdown and HTML, on one line."""
    text = _SPACES.sub(" ", str(value)).translate(_ESCAPES)
    return _FOLD.sub("&#63;", text) if "???" in text else text


def _finalize(value: Any) -> Any:
    if isinstance(value, Markup):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return human_date(value)
    return md_escape(value)


def _plain(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return human_date(value)
    return value


def dated(value: Any) -> Markup:
    """A cycle date with its status: expected dates say so, reported ones say where to verify."""
    get = value.get if isinstance(value, dict) else lambda name, default=None: getattr(value, name, default)
    date, expected, verify = get("date"), get("expected"), get("verify")
    shown = human_date(date) if date else str(get("window"))
    if get("reported", False):
        return Markup(f"{md_escape(shown)} (reported, verify at [{site_name(verify)}]({url(verify)}))")
    if not expected:
        return Markup(md_escape(shown))
    return Markup(f"{md_escape(shown)} (expected; [verify]({url(verify)}))")


def site_name(address: Any) -> str:
    """The host of a web address without `www.`: `https://www.nrmp.org/x` -> `nrmp.org`."""
    host = str(address).split("://", 1)[-1].split("/", 1)[0]
    return md_escape(host.removeprefix("www."))


def url(value: Any) -> Markup:
    """A web address from our data, safe as a Markdown link target (parentheses encoded)."""
    text = str(value)
    if not re.fullmatch(r"https?://[^\s<>\"'`\\]+", text):
        raise ValueError(f"{text!r} is not an http(s) address")
    return Markup(text.replace("(", "%28").replace(")", "%29"))


def code(value: Any) -> Markup:
    """Any text as a Markdown code span, shown exactly (no escape characters inside)."""
    text = " ".join(str(value).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{fence}{pad}{text}{pad}{fence}")


_PLAIN_YAML = re.compile(r"[A-Za-z][A-Za-z0-9 _.,()'/-]*")


def yaml_text(value: Any, fallback: str) -> Markup:
    """A profile value as a plain YAML scalar in a code block, exactly as typed; the fallback when quoting would change it."""
    if isinstance(value, bool):
        return Markup("true" if value else "false")
    text = str(value)
    plain = _PLAIN_YAML.fullmatch(text) and text == text.strip() and text.lower() not in ("true", "false", "null")
    return Markup(text if plain else fallback)


def anchor(value: Any) -> Markup:
    """A heading's id in Markdown, `{#lor-writer-dr-jane-smith}`, from a slug we made."""
    text = str(value)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", text):
        raise ValueError(f"{text!r} is not a valid anchor")
    return Markup(f"{{#{text}}}")


def humanize(value: Any) -> str:
    """`data_collection` -> `data collection`."""
    return str(value).replace("_", " ")


def environment(partials: Path, markdown: bool) -> Environment:
    """Markdown (values escaped) or plain text (emails); `{% include %}` reads partials/."""
    env = CachedEnvironment(
        undefined=StrictUndefined,
        bytecode_cache=bytecode_cache(),
        finalize=_finalize if markdown else _plain,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        loader=FileSystemLoader(partials),
    )
    env.filters.update(
        date=human_date,
        dated=dated,
        plural=plural,
        humanize=humanize,
        url=url,
        duration=duration,
        join_words=join_words,
        code=code,
        salutation=salutation,
        yaml_text=yaml_text,
        with_article=with_article,
        site=site_name,
    )
    env.globals.update(plural=plural, duration=duration, anchor=anchor)
    return env
