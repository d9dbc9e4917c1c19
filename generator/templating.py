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

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}#|!])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def md_escape(value: Any) -> str:
    """Text that renders literally in Markdown and HTML, on one line."""
    text = re.sub(r"\s+", " ", str(value))
    text = "".join(_HTML.get(ch, ch) for ch in text)
    return _MD_SPECIAL.sub(r"\\\1", text)


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


def human_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


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


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


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
    env.filters.update(date=human_date, dated=dated, plural=plural, humanize=humanize, url=url, site=site_name)
    env.globals.update(plural=plural)
    return env
