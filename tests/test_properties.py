"""Property-based tests: any valid profile gives a handbook, and its text stays text.

Valid profiles are generated from the schema of generator/models.py (hand-written
strategies that respect its cross-field rules). Every free-text value is wrapped in
markers (`QZ7X...XZ7Q`) so that each place it lands in a page can be found and compared
with what was typed: escaped for Markdown, verbatim in an email, never evaluated.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
import tempfile
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from generator import build as pipeline
from generator import safety, yamlsafe
from generator.content import Content, load_content
from generator.errors import CONTROL, InputError
from generator.models import Applicant, Exams, Experience, Goal, Letter, Program, Research
from generator.paths import BASE_CONFIG, CONTENT
from generator.site import plain_name
from generator.templating import md_escape
from tests.conftest import MINIMAL as MINIMAL_PROFILE
from tests.conftest import search_index

TODAY = dt.date(2026, 11, 23)
HOSTILE = [
    "{{ 7*7 }}",
    "{% if true %}evaluated{% endif %}",
    "{# a comment #}",
    "{{ p.applicant.email }}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "[click](javascript:alert(1))",
    "<a href='javascript:alert(1)'>x</a>",
    "![x](data:text/html,<script>alert(1)</script>)",
    "javascript:alert(1)",
    '{: onclick="alert(1)" }',
    "<div markdown>**bold**</div>",
    "``` html\n<script>x</script>\n```",
    "`code` ``more``",
    "| a | b |\n|---|---|",
    "# heading",
    '!!! danger "x"',
    "??? note",
    "- [x] ticked",
    "1. first",
    ": definition",
    "---",
    "&lt;b&gt; &amp; &copy; &#x3C;",
    "\\*not\\* _emphasis_ __strong__",
    "<!-- comment --> <?php x ?> <![CDATA[ x ]]>",
    "wzxhzdk:0 klzzwxh:0",  # Python-Markdown's placeholders (their STX/ETX are refused at load)
    "line one\nline two\nline three",
    "  padded  \t ",
    "\u200b zero width \ufeff \u200f",  # bidi overrides are refused at load (tests/hostile/59-...)
    "Dr. Jos\u00e9 N\u00fa\u00f1ez \u674e\u534e \U0001f600",
    "' OR 1=1; --",
]
TEXT_KEYS = {
    "name",
    "email",
    "phone",
    "aamc_id",
    "school",
    "school_country",
    "institution",
    "title",
    "writer",
    "context",
    "venue",
    "objective",
    "methods",
    "findings",
    "limitations",
    "learned",
    "recent_paper",
    "what_struck_you",
}
WORD_LISTS = {"skills", "interests"}

pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12).map(lambda s: CONTROL.sub("", s)))
text = st.lists(pieces, min_size=1, max_size=3).map("".join).filter(bool)
words = text.filter(lambda s: len(s) <= 80)  # at most 100 characters with the markers
days = st.dates(dt.date(2000, 1, 1), dt.date(2035, 12, 31))


def literals(annotation: Any) -> list[Any]:
    """The values a Literal annotation allows, looking inside `X | None` and `list[X]`."""
    if get_origin(annotation) is Literal:
        return list(get_args(annotation))
    return [value for arg in get_args(annotation) for value in literals(arg)]


def choice(model: type[BaseModel], name: str) -> st.SearchStrategy[Any]:
    """Any allowed value of an enumerated field, read from the model so the two cannot drift apart."""
    return st.sampled_from(literals(model.model_fields[name].annotation))


@st.composite
def applicants(draw: st.DrawFn) -> dict[str, Any]:
    citizenship = draw(choice(Applicant, "citizenship"))
    visas = [None, "none"] if citizenship == "us" else literals(Applicant.model_fields["visa"].annotation)
    applicant = draw(
        st.fixed_dictionaries(
            {"name": text, "school": text, "school_country": text, "graduation_year": st.integers(1950, 2100)},
            optional={"email": text, "phone": text, "aamc_id": text},
        )
    )
    visa = draw(st.sampled_from(visas))
    return {**applicant, "citizenship": citizenship, **({"visa": visa} if visa else {})}


@st.composite
def experiences(draw: st.DrawFn) -> dict[str, Any]:
    start = draw(days)
    item = {
        "kind": draw(choice(Experience, "kind")),
        "specialty": draw(choice(Experience, "specialty")),
        "institution": draw(text),
        "country": draw(st.from_regex(r"\A[A-Z]{2}\Z")),
        "start": start,
    }
    if draw(st.booleans()):
        return {**item, "end": start + dt.timedelta(days=draw(st.integers(0, 800)))}
    return {**item, "weeks": draw(st.floats(0.5, 520))}


research = st.fixed_dictionaries(
    {"title": text, "kind": choice(Research, "kind"), "radiology": st.booleans(), "status": choice(Research, "status")},
    optional={
        "peer_reviewed": st.booleans(),
        "author_position": st.integers(1, 100),
        "us_based": st.booleans(),
        "primary": st.booleans(),
        "venue": text,
        "date": days,
        "role": st.lists(st.sampled_from(["data_collection", "statistics", "manuscript_drafting"]), max_size=2),
        **{name: text for name in ("objective", "methods", "findings", "limitations", "learned")},
    },
)


@st.composite
def letters(draw: st.DrawFn) -> dict[str, Any]:
    status = draw(choice(Letter, "status"))
    item = draw(
        st.fixed_dictionaries(
            {"writer": text, "specialty": choice(Letter, "specialty"), "us_based": st.booleans()},
            optional={
                "title": text,
                "institution": text,
                "email": text,
                "physician": st.booleans(),
                "basis": choice(Letter, "basis"),
                "weeks_worked": st.floats(0, 520),
                "last_worked": days,
                "context": text,
            },
        )
    )
    if status in ("asked", "agreed", "uploaded") or draw(st.booleans()):
        item["asked_on"] = draw(days)
    if status != "not_asked" and draw(st.booleans()):
        item["response"] = draw(choice(Letter, "response"))
    return {**item, "status": status}


contacts = st.fixed_dictionaries(
    {"name": text}, optional={"institution": text, "email": text, "recent_paper": text, "what_struck_you": text}
)
programs = st.fixed_dictionaries(
    {"name": text},
    optional={
        "setting": choice(Program, "setting"),
        "research_heavy": st.booleans(),
        "sponsors": st.lists(choice(Program, "sponsors"), max_size=2, unique=True),
        "signal": choice(Program, "signal"),
    },
)
exams = st.fixed_dictionaries(
    {},
    optional={
        "usmle_step1": choice(Exams, "usmle_step1"),
        "usmle_step2_ck": st.integers(1, 300),
        "usmle_step3": choice(Exams, "usmle_step3"),
        "ecfmg_certified": st.booleans(),
        "oet_medicine": choice(Exams, "oet_medicine"),
    },
)


@cache
def content() -> Content:
    return load_content(CONTENT)


def profiles() -> st.SearchStrategy[dict[str, Any]]:
    """Valid profiles, format 1, with a Match year whose Match Day is after TODAY."""
    goal = st.fixed_dictionaries(
        {"specialty": choice(Goal, "specialty"), "match_year": st.integers(2027, 2031)},
        optional={"program_preference": choice(Goal, "program_preference")},
    )
    return st.fixed_dictionaries(
        {"profile_version": st.just(1), "applicant": applicants(), "goal": goal},
        optional={
            "exams": exams,
            "experience": st.lists(experiences(), max_size=3),
            "research": st.lists(research, max_size=4),
            "letters": st.lists(letters(), max_size=4),
            "contacts": st.lists(contacts, max_size=2),
            "programs": st.lists(programs, max_size=3),
            "skills": st.lists(words, max_size=3),
            "interests": st.lists(words, max_size=3),
            "done": st.lists(st.sampled_from(sorted(content().checklist_items)), max_size=3, unique=True),
        },
    )


def mark(data: Any, count: list[int] | None = None) -> Any:
    """Wrap every free-text value in numbered markers."""
    count = [0] if count is None else count
    if isinstance(data, list):
        return [mark(x, count) for x in data]
    if not isinstance(data, dict):
        return data
    out = {}
    for key, value in data.items():
        if key in TEXT_KEYS and isinstance(value, str):
            value = wrap(value, count)
        elif key in WORD_LISTS:
            value = [wrap(word, count) for word in value]
        out[key] = mark(value, count)
    return out


def wrap(value: str, count: list[int]) -> str:
    count[0] += 1
    return f"QZ{count[0]}X{value}XZ{count[0]}Q"


def typed(path: Path) -> dict[int, str]:
    """The marked values as the loader reads them back from the file (YAML folds some line breaks)."""
    data, _ = yamlsafe.load(path.read_text(encoding="utf-8"), path)
    strings: list[str] = []
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack += item.values()
        elif isinstance(item, list):
            stack += item
        elif isinstance(item, str):
            strings.append(item)
    pairs = (re.fullmatch(r"QZ(\d+)X.*XZ\1Q", text, re.DOTALL) for text in strings)
    return {int(m[1]): m[0] for m in pairs if m}


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _quoted(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    """Every string in double quotes: PyYAML writes `0E0` bare (text in YAML 1.1), which YAML 1.2 reads as a number."""
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')


_Dumper.add_representer(str, _quoted)


def write_profile(folder: str, data: dict[str, Any]) -> Path:
    path = Path(folder) / "hostile.yaml"
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def collapse(text: str) -> str:
    return " ".join(text.split())


def found(text: str, values: dict[int, str]) -> dict[int, list[str]]:
    """Every occurrence of each marked value in a text."""
    hits = {}
    for n in values:
        matches = re.findall(f"QZ{n}X.*?XZ{n}Q", text, re.DOTALL)
        if matches:
            hits[n] = matches
    return hits


def assert_literal_in_markdown(files: dict[str, bytes], values: dict[int, str]) -> int:
    """Each value lands escaped for Markdown, or verbatim (emails), never changed or evaluated."""
    count = 0
    for name, data in files.items():
        if name.startswith("docs/") and name.endswith(".md"):
            for n, matches in found(data.decode(), values).items():
                allowed = {md_escape(values[n]), values[n], collapse(values[n])}
                assert set(matches) <= allowed, f"{name}: {values[n]!r} came out as {matches}"
                count += len(matches)
    return count


PROPERTY = settings(
    max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@PROPERTY
@given(data=profiles(), public=st.booleans())
def test_any_valid_profile_gives_a_plan_and_literal_text(data: dict[str, Any], public: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = write_profile(folder, mark(data))
        values = typed(path)
        handbook = pipeline.prepare(path, TODAY, public, content())
    pages = handbook.plan.pages
    assert pages[0].file == "index.md" and all(f"docs/{p.file}" in handbook.files for p in pages)
    assert all(f.severity in ("error", "warning", "info") for f in handbook.checked.findings)
    assert assert_literal_in_markdown(handbook.files, values) >= 1
    letters_page = handbook.files.get("docs/letters.md", b"").decode()
    assert all(md_escape(x.writer) in letters_page for x in handbook.checked.loaded.profile.letters)


CONTROLS = st.sampled_from([chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]])
CONTROLS |= st.sampled_from([*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u2028", "\u2029"])


@PROPERTY
@given(before=st.text(max_size=8), control=CONTROLS, after=st.text(max_size=8), key=st.sampled_from(["name", "email", "aamc_id"]))
def test_a_control_character_anywhere_in_text_is_refused_where_it_is(before: str, control: str, after: str, key: str) -> None:
    """However it is written in the file (YAML escapes it), the character is refused, located, and never printed."""
    value = json.dumps(CONTROL.sub("", before) + control + CONTROL.sub("", after))  # JSON's escapes are YAML's
    line = f"  {key}: {value}\n"
    text = MINIMAL_PROFILE.replace("  name: Test Person\n", line if key == "name" else "  name: Test Person\n" + line)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "profile.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            pipeline.check(path, TODAY, content=content())
        except InputError as exc:
            problems = [p.message for p in exc.problems if p.path == f"applicant.{key}"]
        else:
            problems = []
    assert problems == [f"found a control character (U+{ord(control):04X}); remove it"]


class _Text(HTMLParser):
    """The text a browser shows (character references decoded), without attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def shown_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    parser.close()
    return collapse(" ".join(parser.parts))


def assert_shown_literally(html: str, values: dict[int, str], where: str) -> int:
    """Each value is shown as typed (Python-Markdown drops the STX and ETX characters it reserves).

    The site name is the one exception: the theme prints it unescaped, so the applicant's
    name goes there as letters, digits and spaces only (site.plain_name).
    """
    hits = found(shown_text(html), values)
    for n, matches in hits.items():
        typed = collapse(values[n].replace("\x02", "").replace("\x03", ""))
        assert set(matches) <= {typed, plain_name(values[n])}, f"{where}: {values[n]!r} is shown as {matches}"
    return sum(len(m) for m in hits.values())


@cache
def markdown_extensions() -> tuple[list[str], dict[str, Any]]:
    """The Markdown extensions and their settings, as the handbook's mkdocs.yml configures them."""
    base, _ = yamlsafe.load(yamlsafe.read_text(BASE_CONFIG), BASE_CONFIG)
    names, configs = [], {}
    for entry in base["markdown_extensions"]:
        name, config = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        configs[name] = config
    return names, configs


def to_html(text: str) -> str:
    names, configs = markdown_extensions()
    return markdown.markdown(text, extensions=names, extension_configs=configs)


@settings(PROPERTY, max_examples=40)
@given(data=profiles(), marked=st.booleans())
def test_no_profile_text_becomes_live_html(data: dict[str, Any], marked: bool) -> None:
    """Unmarked text can also end a heading or a table cell, where an attribute list would act."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_profile(folder, mark(data) if marked else data)
        values = typed(path)
        handbook = pipeline.prepare(path, TODAY, False, content())
    shown = 0
    for name, body in handbook.files.items():
        if name.startswith("docs/") and name.endswith(".md"):
            html = to_html(body.decode())
            assert safety.scan(html) == [], name
            shown += assert_shown_literally(html, values, name)
    assert shown >= 1 or not marked


# Full builds: every text field holds a hostile string; the whole site is read back.
ATTRIBUTE_LISTS = [
    "x {: onclick=alert(1) }",
    '*x*{: onclick="alert(2)" }',
    "[x](#a){: onclick=alert(3) href=javascript:alert(4) }",
]


def hostile_profile(strings: list[str]) -> dict[str, Any]:
    hostile = itertools.cycle(strings).__next__
    return {
        "profile_version": 1,
        "applicant": {
            "name": hostile(),
            "email": hostile(),
            "school": hostile(),
            "school_country": hostile(),
            "graduation_year": 2025,
            "citizenship": "non_us",
            "visa": "j1",
        },
        "goal": {"specialty": "diagnostic_radiology", "match_year": 2028},
        "experience": [
            {
                "kind": "observership",
                "specialty": "radiology",
                "institution": hostile(),
                "country": "US",
                "start": dt.date(2027, 1, 4),
                "weeks": 4,
            }
        ],
        "research": [
            {
                "title": hostile(),
                "kind": kind,
                "radiology": True,
                "status": "published",
                "author_position": 1,
                "venue": hostile(),
                "objective": hostile(),
                "methods": hostile(),
                "findings": hostile(),
                "limitations": hostile(),
                "learned": hostile(),
                "role": ["data_collection"],
            }
            for kind in ("journal_article", "poster", "case_report")
        ],
        "letters": [
            {
                "writer": hostile(),
                "title": hostile(),
                "institution": hostile(),
                "email": hostile(),
                "specialty": "radiology",
                "us_based": True,
                "last_worked": dt.date(2026, 10, 2),
                "context": hostile(),
                "status": status,
                **({"asked_on": dt.date(2026, 10, 5)} if status != "not_asked" else {}),
            }
            for status in ("not_asked", "asked", "agreed")
        ],
        "contacts": [
            {
                "name": hostile(),
                "institution": hostile(),
                "email": hostile(),
                "recent_paper": hostile(),
                "what_struck_you": hostile(),
            }
        ],
        "programs": [{"name": hostile(), "sponsors": ["j1"], "signal": "gold"}],
        "skills": [hostile(), hostile()],
        "interests": [hostile(), hostile()],
    }


@cache
def theme_findings() -> list[str]:
    """What the theme itself has outside the content (its scripts), from an ordinary page."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        pipeline.build(Path(__file__).parent.parent / "profiles" / "us-late-applying.yaml", out, TODAY)
        return safety.scan((out / "index.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("strings", "public"),
    [(HOSTILE, False), (HOSTILE[::-1], True), (ATTRIBUTE_LISTS, False)],
    ids=["private", "public", "attribute-lists-unmarked"],
)
def test_a_full_build_of_hostile_text_has_no_live_html_anywhere(strings: list[str], public: bool, tmp_path: Path) -> None:
    data = hostile_profile(strings)
    path = write_profile(str(tmp_path), mark(data) if strings is HOSTILE or public else data)
    values, out = typed(path), tmp_path / "site"
    pipeline.build(path, out, TODAY, public)
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 8
    shown = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert safety.scan(html) == theme_findings(), page.name
        shown += assert_shown_literally(html, values, page.name)
    index = search_index(out)
    for doc in index["docs"]:
        for field in ("title", "text"):
            assert safety.scan(doc[field]) == [], f"search index {doc['location']} {field}"
            shown += assert_shown_literally(doc[field], values, f"search index {doc['location']} {field}")
    assert shown > 100 or not values
    assert strings[0] in shown_text("".join((out / name).read_text(encoding="utf-8") for name in ("letters.html", "index.html")))
