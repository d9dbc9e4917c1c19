"""Real MkDocs builds: the site, its search index, offline use, safety of the previous site."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from generator import site as sites
from generator.build import build, generate
from generator.errors import BuildError, HandbookError
from tests.conftest import EXAMPLES, MINIMAL, PROFILES, search_index

TODAY = dt.date(2026, 11, 23)
J1 = PROFILES / "j1-letters-in-progress.yaml"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("built") / "site"
    build(J1, out, TODAY)
    return out


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_site_has_every_page_and_a_search_index(site: Path) -> None:
    assert {p.name for p in site.glob("*.html")} >= {"index.html", "research.html", "letters.html", "visa.html", "about.html"}
    index = search_index(site)
    texts = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    assert "Priya Natarajan" in texts and "Dr. Helen Park" in texts
    # Shipped once, inlined into the script a page opened from disk loads (served pages read it too).
    assert (site / "search" / "search_index.js").read_text().startswith("var __index = ")
    assert not (site / "search" / "search_index.json").exists()


def test_no_request_leaves_the_machine(site: Path) -> None:
    for page in site.glob("*.html"):
        html = page.read_text()
        loaded = re.findall(r'<(?:script|link|img|iframe)\b[^>]*(?:src|href)="([^"]+)"', html)
        assert loaded and not [url for url in loaded if re.match(r"(https?:)?//", url)], page.name
        assert "fonts.googleapis" not in html and "unpkg.com" not in html


def test_our_worker_shim_replaces_the_cdn_one(site: Path) -> None:
    html = (site / "index.html").read_text()
    assert '<script src="assets/javascripts/iframe-worker.js"></script>' in html


def test_private_fields_never_reach_a_public_build(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(J1, out, TODAY, public=True)
    text = "\n".join(p.read_text(errors="replace") for p in out.rglob("*") if p.is_file() and p.suffix != ".gz")
    for private in ("priya.n@example.org", "+91 98 7654 3210", "15550123", "hpark@example.edu", "achu@example.edu"):
        assert private not in text


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.stem)
def test_two_builds_are_byte_identical(tmp_path: Path, profile: Path) -> None:
    build(profile, tmp_path / "a", TODAY)
    build(profile, tmp_path / "b", TODAY)
    first, second = _snapshot(tmp_path / "a"), _snapshot(tmp_path / "b")
    assert {"sitemap.xml", "sitemap.xml.gz", "search/search_index.js", "timeline.ics"} <= set(first)
    assert first == second


def test_failed_build_leaves_the_previous_site_byte_identical(
    tmp_path: Path, write: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    build(J1, out, TODAY)
    before = _snapshot(out)
    with pytest.raises(HandbookError):
        build(write(MINIMAL.replace("match_year: 2029", "match_year: 1999")), out, TODAY)

    def broken(*args: object) -> None:
        raise BuildError("MkDocs could not build the handbook")

    monkeypatch.setattr("generator.site.build_site", broken)
    with pytest.raises(BuildError):
        build(J1, out, TODAY)
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["profile.yaml", "site"]


def test_profile_text_is_data_not_markup(tmp_path: Path, write: Callable[..., Path]) -> None:
    hostile = '"<script>alert(1)</script> {{ 7*7 }} [x](javascript:alert(1)) <img src=x onerror=alert(1)>"'
    path = write(MINIMAL.replace("name: Test Person", f"name: {hostile}"))
    build(path, tmp_path / "site", TODAY)
    for page in (tmp_path / "site").glob("*.html"):
        html = page.read_text()
        assert "<script>alert" not in html and "<img src=x" not in html and 'href="javascript:' not in html
    index = (tmp_path / "site" / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} [x](javascript:alert(1))" in index


def _visible_text(html: str) -> str:
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.parametrize("profile", ["us-late-applying", "us-early-no-research"])
def test_a_us_citizen_site_has_no_visa_content(tmp_path: Path, profile: str) -> None:
    out = tmp_path / "site"
    build(PROFILES / f"{profile}.yaml", out, TODAY)
    assert not (out / "visa.html").exists()
    for page in out.glob("*.html"):
        text = _visible_text(page.read_text())
        assert not re.search(r"(?i)\b(visas?|j-1|h-1b|sponsors?|sponsorship)\b", text), page.name
    index = (out / "search" / "search_index.js").read_text()
    assert not re.search(r"(?i)\b(visas?|j-1|h-1b)\b", index)


def test_a_foreign_nationals_site_has_the_visa_page(site: Path) -> None:
    text = _visible_text((site / "visa.html").read_text())
    assert "J-1" in text and "Statement of Need" in text


def test_the_generated_project_builds_with_plain_mkdocs(tmp_path: Path) -> None:
    """The project `handbook generate` writes needs nothing of ours: plain `mkdocs build --strict` builds it."""
    project = tmp_path / "project"
    generate(J1, project, TODAY)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    result = subprocess.run(
        [str(mkdocs), "build", "--strict", "-q", "-f", str(project / "mkdocs.yml")], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load((project / "mkdocs.yml").read_text())
    # Only MkDocs' and Material's own plugins; the search options are the theme's English defaults, written out.
    search = {"lang": "en", "separator": r"[\s\-]+", "pipeline": ["stopWordFilter"]}
    assert config["plugins"] == [{"search": search}, "offline"] and "hooks" not in config
    assert (project / "site" / "index.html").is_file() and (project / "site" / "timeline.ics").is_file()


def test_a_generated_template_is_read_again_when_its_text_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import site

    (tmp_path / "generated").mkdir()
    template = tmp_path / "generated" / "stamp.css.j2"
    template.write_text("a {{ stamp }}\n")
    monkeypatch.setattr(site, "TEMPLATES", tmp_path)
    assert site.generated_template("stamp.css.j2").render(stamp="x") == "a x\n"
    template.write_text("b {{ stamp }}\n")  # edited while `serve` runs
    assert site.generated_template("stamp.css.j2").render(stamp="x") == "b x\n"


def test_pages_given_from_memory_build_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    profiles = sorted(PROFILES.glob("*.yaml"))[:4]
    built = {}
    for in_memory in (False, True):
        monkeypatch.setattr(sites, "DOCS_IN_MEMORY", in_memory)
        for path in profiles:
            build(path, tmp_path / f"{in_memory}" / path.stem, dt.date(2026, 11, 23))
        folder = tmp_path / f"{in_memory}"
        built[in_memory] = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    assert built[True].keys() == built[False].keys()
    assert [name for name in built[True] if built[True][name] != built[False][name]] == []


def test_files_made_from_memory_are_those_mkdocs_finds_on_disk(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    pages = {
        name: name.encode()
        for name in [
            "index.md", "b.md", "a.md", "README.md", "x/index.md", "x/README.md", "x/y/z.md", "x-y/a.md", "x.md",
            "assets/s.css", "assets/a.js", ".hidden.md", "_private/p.md", "A.md", "page.html", "page.md",
        ]
    }  # fmt: skip
    docs = tmp_path / "docs"
    for name, data in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_bytes(data)
    (tmp_path / "mkdocs.yml").write_text("site_name: t\n")
    config = load_config(config_file=str(tmp_path / "mkdocs.yml"))

    def described(files: Any) -> list[tuple[str, str, str, bytes]]:
        return [(f.src_uri, f.dest_uri, str(f.inclusion), f.content_bytes) for f in files]

    on_disk = described(get_files(config))
    from mkdocs.commands import build as command

    with sites._pages_from(pages):
        from_memory = described(command.get_files(config))  # type: ignore[attr-defined]
    assert from_memory == on_disk
