"""The advisor's overview, OUT/index.html: one row per advisee, from the handbooks' records.

The page is site_templates/overview/index.html.j2 rendered with autoescape, so every
value from a profile is escaped; sorting and search are our small script beside it.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from generator import records
from generator.errors import HandbookError
from generator.paths import CONTENT, TEMPLATES

if TYPE_CHECKING:
    from generator.build import Handbook

FILE = "index.html"
GENERATOR = '<meta name="generator" content="handbook build-all">'  # in every overview: we replace only our own
PHASES = ("early", "mid", "late", "in_season")
TIERS = ("none", "minimal", "solid", "strong")
VISAS = {"us": "US citizen", "none": "none needed", "j1": "J-1", "h1b": "H-1B", "undecided": "undecided"}


def summary(handbook: Handbook) -> dict[str, Any]:
    """What the overview shows of one handbook, saved in its record when it is built."""
    a, findings = handbook.checked.assessment, handbook.checked.findings
    applicant = handbook.checked.loaded.profile.applicant
    return {
        "name": applicant.name,
        "as_of": a.as_of.isoformat(),
        "visa": "us" if applicant.citizenship == "us" else applicant.visa_path,
        "match_year": handbook.checked.loaded.profile.goal.match_year,
        "phase": a.phase,
        "years_to_application": a.years_to_application,
        "research_tier": a.research_tier,
        # the letters that count (letters.usable), never the active total
        "letters": {"total": a.letters["usable"]["count"], **{k: a.letters["usable"][k] for k in ("us_based", "radiology")}},
        "programs": a.program_list.summary(),
        "warnings": sum(f.severity == "warning" for f in findings),
        "errors": sum(f.severity == "error" for f in findings),
        "findings": [
            {"code": f.code, "severity": f.severity, "title": f.title} for f in findings if f.severity in ("error", "warning")
        ],
    }


@dataclass(frozen=True)
class Row:
    """One advisee: the folder name, the last good build's summary (if any) and the last error."""

    folder: str
    profile: str
    summary: dict[str, Any] | None
    error: str | None
    built: bool

    @property
    def label(self) -> str:
        """The applicant's name once built, else the folder name."""
        return str(self.summary["name"]) if self.summary else self.folder.rpartition("/")[2]

    @property
    def group(self) -> str:
        """The subfolder of the advisees' folder the profile is in ('' at the top)."""
        return self.folder.rpartition("/")[0]

    @property
    def href(self) -> str:
        """The handbook's address relative to the overview, each path segment encoded."""
        return "/".join(quote(part, safe="") for part in self.folder.split("/")) + "/index.html"

    @property
    def codes(self) -> str:
        """The codes of the warnings and errors, for the filter."""
        return " ".join(sorted({f["code"] for f in (self.summary or {}).get("findings", [])}))

    @property
    def sort_keys(self) -> dict[str, Any]:
        """The value each column sorts by (phases and tiers in their natural order)."""
        s = self.summary or {}
        letters = s.get("letters", {})
        return {
            "phase": PHASES.index(s["phase"]) if s.get("phase") in PHASES else -1,
            "tier": TIERS.index(s["research_tier"]) if s.get("research_tier") in TIERS else -1,
            "letters": letters.get("total", -1),
            "us": letters.get("us_based", -1),
            "radiology": letters.get("radiology", -1),
            "match_year": s.get("match_year", -1),
            "name": collation(self.label),
        }


def rows(out: Path, names: list[tuple[str, str]]) -> list[Row]:
    """A row per (folder name, profile file name), from the records under out."""
    found = []
    for name, profile in names:
        record = records.read(out, name) or records.Record(profile)
        built = record.summary is not None and (out / name / "index.html").is_file()
        found.append(Row(name, record.profile, record.summary if built else None, record.error, built))
    return sorted(found, key=lambda row: (collation(row.label), row.folder))


def collation(text: str) -> str:
    """Sorts names as people expect: accents and case aside ('Şebnem' with the S names, before 'Zhang')."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return plain.casefold()


def render(found: list[Row], key: str | None = None) -> str:
    """The overview page's HTML (key: what it was made from, see write)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined  # only when the page is made

    from generator import compiled

    env = Environment(
        loader=FileSystemLoader(TEMPLATES / "overview"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=compiled.bytecode_cache("overview"),  # compiled once, not on every build-all
    )
    counts = {
        "advisees": len(found),
        "failed": sum(row.error is not None for row in found),
        "warnings": sum((row.summary or {}).get("warnings", 0) for row in found),
    }
    page = env.get_template("index.html.j2").render(rows=found, counts=counts, filters=filters(found), visas=VISAS, key=key)
    return str(page)


def filters(found: list[Row]) -> list[tuple[str, str]]:
    """(code, what it means) of every warning and error some advisee has, for "show advisees who...": in words."""
    triggers = _triggers()
    codes = sorted({f["code"] for row in found for f in (row.summary or {}).get("findings", [])})
    meanings = [(code, _lower_first(triggers[code].rstrip(".")) if code in triggers else code) for code in codes]
    return sorted(meanings, key=lambda x: x[1])


def _triggers() -> dict[str, str]:
    """Each finding's trigger, from the catalog's parsed text: every build checks the catalog, and a run that
    builds nothing (all handbooks up to date) need not load the models to check it again."""
    from generator import diskcache, yamlsafe

    path = CONTENT / "findings.yaml"
    data, _ = diskcache.load_yaml(yamlsafe.read_text(path), path)
    entries = data.items() if isinstance(data, dict) else []
    return {code: d["trigger"] for code, d in entries if isinstance(d, dict) and isinstance(d.get("trigger"), str)}


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def write(out: Path, found: list[Row], shared: str | None = None) -> Path:
    """Write OUT/index.html, leaving the file untouched when it would not change.

    With shared (records.shared_key: the templates, content and code every page is made from),
    the page names the key of what it was made from, and is not made again while that is unchanged:
    a batch with nothing to build then neither loads Jinja nor renders the page.
    """
    path = out / FILE
    out.mkdir(parents=True, exist_ok=True)
    check_ours(out)
    key = made_from(found, shared) if shared else None
    old = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
    if key and old is not None and _key_tag(key) in old:
        return path
    text = render(found, key)
    if old == text:
        return path
    path.write_text(text, encoding="utf-8")
    return path


def made_from(found: list[Row], shared: str) -> str:
    """The key of an overview page: what every page is made from, and its rows."""
    rows = [[row.folder, row.profile, row.summary, row.error, row.built] for row in found]
    data = json.dumps([shared, rows], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()


def _key_tag(key: str) -> str:
    return f'<meta name="handbook-overview-key" content="{key}">'


def check_ours(out: Path) -> None:
    """Refuse when OUT/index.html is there but is not an overview we wrote (it is never replaced)."""
    path = out / FILE
    if not (path.exists() or path.is_symlink()):
        return
    if path.is_symlink() or not path.is_file() or GENERATOR not in path.read_text(encoding="utf-8", errors="replace"):
        raise HandbookError(f"{path} was not made by handbook, so it is not replaced by the overview; move it away")
