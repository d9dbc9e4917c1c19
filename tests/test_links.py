"""Every link of every example handbook goes to a primary source, over https."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.build import build
from generator.profile import load_profile
from tests.conftest import EXAMPLES, ROOT

BLOCKED = ("pages.dev", "booksci.cn", "wikipedia.org", "blogspot.com", "oundleprimary.com", "usdentalcaretips.com")
# The primary sources content may cite: official bodies, the journals, the US government,
# and the one program whose own page is quoted for its own requirement.
PRIMARY = (
    "aamc.org",
    "residencyexplorer.org",  # the AAMC's own tool
    "nrmp.org",
    "ecfmg.org",
    "ama-assn.org",
    "doi.org",
    "academicradiology.org",
    "state.gov",
    "usembassy.gov",
    "uscis.gov",
    "whitehouse.gov",
    "federalregister.gov",
    "uiowa.edu",
    "acr.org",  # the American College of Radiology
    "apdr.memberclicks.net",  # the Association of Program Directors in Radiology's own site
    "thalamusgme.com",  # the interview platform's own help
    "fsmb.org",  # the Federation of State Medical Boards
)
# Links the site itself makes: its theme and the handbook's own files.
SITE = ("squidfunk.github.io", "www.mkdocs.org", "mkdocs.org", "127.0.0.1")
LINK = re.compile(r"""(?:href|src)=["']?([^"'\s>]+)""")


def links(site: Path) -> set[str]:
    found: set[str] = set()
    for page in site.rglob("*.html"):
        found |= {link for link in LINK.findall(page.read_text(encoding="utf-8")) if "://" in link}
    return found


def host_in(url: str, domains: tuple[str, ...]) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == d or host.endswith("." + d) for d in domains)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    out = tmp_path_factory.mktemp("sites")
    result = {}
    for profile in EXAMPLES:
        build(profile, out / profile.stem)
        result[profile.stem] = links(out / profile.stem)
    return result


def test_no_example_site_links_a_blocked_domain_or_plain_http(built: dict[str, set[str]]) -> None:
    for name, found in built.items():
        assert found, name
        assert [u for u in found if host_in(u, BLOCKED)] == [], name
        assert [u for u in found if u.startswith("http://")] == [], name


def own_sources(name: str) -> set[str]:
    """The program pages the applicant noted as the source of each program's requirements: their primary source."""
    return {p.source for p in load_profile(ROOT / "profiles" / f"{name}.yaml").profile.programs if p.source}


def test_every_link_goes_to_a_primary_source(built: dict[str, set[str]]) -> None:
    for name, found in built.items():
        assert sorted(u for u in found - own_sources(name) if not host_in(u, PRIMARY + SITE)) == [], name


def test_content_links_only_primary_sources_over_https() -> None:
    """Links in content/ that a given profile may not show still follow the rule."""
    pattern = re.compile(r"https?://[^\s)\"'<>]+")
    for path in sorted((ROOT / "content").rglob("*")):
        if path.suffix in (".md", ".yaml"):
            for url in pattern.findall(path.read_text(encoding="utf-8")):
                assert url.startswith("https://") and host_in(url, PRIMARY), f"{path.relative_to(ROOT)}: {url}"
