"""The advisor's overview page: escaped values, rows from records, sorting and search in a real browser."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from generator import overview, records

HOSTILE = '<script>alert("x")</script> & Co'


def summary(name: str, **values: Any) -> dict[str, Any]:
    return {
        "name": name,
        "as_of": "2026-11-23",
        "phase": "mid",
        "years_to_application": 1.79,
        "research_tier": "solid",
        "letters": {"total": 2, "us_based": 1, "radiology": 1},
        "warnings": 3,
        "errors": 0,
        **values,
    }


def built(out: Path, folder: str, record: records.Record) -> None:
    records.write(out, folder, record)
    if record.summary:
        (out / folder).mkdir(parents=True)
        (out / folder / "index.html").write_text("<p>handbook</p>")


def test_every_profile_value_is_escaped_and_links_are_encoded(tmp_path: Path) -> None:
    built(tmp_path, "ana #1", records.Record("ana #1.yaml", "key", summary=summary(HOSTILE)))
    page = overview.render(overview.rows(tmp_path, [("ana #1", "ana #1.yaml")]))
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in page
    assert '<a href="ana%20%231/index.html">' in page


def test_rows_show_failures_and_profiles_never_built(tmp_path: Path) -> None:
    built(tmp_path, "ana", records.Record("ana.yaml", "key", summary=summary("Ana"), error="ana.yaml:3: goal: <missing>"))
    built(tmp_path, "bo", records.Record("bo.yaml", error="bo.yaml:1: not valid YAML"))
    found = overview.rows(tmp_path, [("ana", "ana.yaml"), ("bo", "bo.yaml"), ("cy", "cy.yaml")])
    assert [(r.folder, r.built, r.error) for r in found] == [
        ("ana", True, "ana.yaml:3: goal: <missing>"),
        ("bo", False, "bo.yaml:1: not valid YAML"),
        ("cy", False, None),
    ]
    page = overview.render(found)
    assert "Last build failed; the handbook shown is the previous one" in page
    assert "<pre>ana.yaml:3: goal: &lt;missing&gt;</pre>" in page
    assert "not built yet" in page and "3 advisees, 3 warnings, <strong>2 failed builds</strong>." in page


def test_rows_are_sorted_by_name_and_key_phases_in_cycle_order(tmp_path: Path) -> None:
    built(tmp_path, "z", records.Record("z.yaml", "k", summary=summary("Ada", phase="in_season", research_tier="none")))
    built(tmp_path, "a", records.Record("a.yaml", "k", summary=summary("Zoe", phase="early", research_tier="strong")))
    found = overview.rows(tmp_path, [("a", "a.yaml"), ("z", "z.yaml")])
    assert [r.label for r in found] == ["Ada", "Zoe"]
    assert [(r.sort_keys["phase"], r.sort_keys["tier"]) for r in found] == [(3, 0), (0, 3)]


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")
def test_sorting_and_search_work_from_disk(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    people = [("ana", "Ana", "late", 0.5, 4), ("bo", "Bo", "early", 2.5, 0), ("cy", "Cy", "mid", 1.5, 9)]
    for folder, name, phase, years, warnings in people:
        values = summary(name, phase=phase, years_to_application=years, warnings=warnings)
        built(tmp_path, folder, records.Record(f"{folder}.yaml", "k", summary=values))
    page = overview.write(tmp_path, overview.rows(tmp_path, [(f, f"{f}.yaml") for f, *_ in people]))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.goto(page.as_uri())

        def names() -> list[str]:
            return [text.strip() for text in tab.locator("tbody tr:not([hidden]) th a").all_inner_texts()]

        assert names() == ["Ana", "Bo", "Cy"]
        tab.get_by_role("button", name="Phase").click()
        assert names() == ["Bo", "Cy", "Ana"], "phases sort in the order of the cycle, not alphabetically"
        tab.get_by_role("button", name="Warnings").click()
        tab.get_by_role("button", name="Warnings").click()
        assert names() == ["Cy", "Ana", "Bo"]
        assert tab.locator("th", has_text="Warnings").get_attribute("aria-sort") == "descending"
        tab.fill("#filter", "  EARLY ")
        assert names() == ["Bo"] and tab.inner_text("#shown") == "1 of 3 shown"
        tab.fill("#filter", "")
        assert len(names()) == 3 and errors == []
        browser.close()


def test_names_sort_as_people_expect_accents_aside(tmp_path: Path) -> None:
    for folder, name in (("z", "Zhang Wei"), ("s", "Şebnem Kaya"), ("a", "Ángel Ruiz"), ("b", "bo Li")):
        built(tmp_path, folder, records.Record(f"{folder}.yaml", "k", summary=summary(name)))
    found = overview.rows(tmp_path, [(f, f"{f}.yaml") for f in "zsab"])
    assert [r.label for r in found] == ["Ángel Ruiz", "bo Li", "Şebnem Kaya", "Zhang Wei"]


def test_visa_match_year_and_what_needs_attention_with_a_filter(tmp_path: Path) -> None:
    findings = [
        {"code": "LOR-TOO-FEW", "severity": "warning", "title": "Only 1 usable letter"},
        {"code": "NOT-IN-CATALOG", "severity": "error", "title": "Something <odd>"},
    ]
    built(
        tmp_path,
        "2027/ana",
        records.Record("ana.yaml", "k", summary=summary("Ana", visa="j1", match_year=2027, findings=findings)),
    )
    found = overview.rows(tmp_path, [("2027/ana", "ana.yaml")])
    page = overview.render(found)
    assert '<a href="2027/ana/index.html">Ana</a>' in page
    assert "<td>J-1</td>" in page and '<td class="number">2027</td>' in page
    assert '<li class="warning">Only 1 usable letter</li>' in page and "Something &lt;odd&gt;" in page
    assert 'data-codes="LOR-TOO-FEW NOT-IN-CATALOG"' in page
    assert (
        '<option value="LOR-TOO-FEW">where fewer than 3 ' in page
        and '<option value="NOT-IN-CATALOG">where NOT-IN-CATALOG' in page
    )
    assert '<td data-sort="2027">2027</td>' in page


def test_an_old_record_without_the_new_values_still_renders(tmp_path: Path) -> None:
    built(tmp_path, "ana", records.Record("ana.yaml", "k", summary=summary("Ana")))
    page = overview.render(overview.rows(tmp_path, [("ana", "ana.yaml")]))
    assert ">Ana</a>" in page and "<select" not in page


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)")
def test_filter_by_finding_csv_and_sort_in_the_address(tmp_path: Path) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    few = [{"code": "LOR-TOO-FEW", "severity": "warning", "title": "Only 1 usable letter"}]
    people = [("ana", "Ana", few, "=HYPERLINK(1)"), ("bo", "Bo", [], "Bo"), ("cy", "Cy", few, 'Cy "C", Jr')]
    for folder, name, found, label in people:
        built(
            tmp_path,
            folder,
            records.Record(f"{folder}.yaml", "k", summary=summary(label if folder != "bo" else name, findings=found)),
        )
    page = overview.write(tmp_path, overview.rows(tmp_path, [(f, f"{f}.yaml") for f, *_ in people]))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        tab = browser.new_page(viewport={"width": 390, "height": 800})
        tab.goto(page.as_uri())

        def names() -> list[str]:
            return [text.strip() for text in tab.locator("tbody tr:not([hidden]) th a").all_inner_texts()]

        tab.select_option("#finding", "LOR-TOO-FEW")
        assert len(names()) == 2 and "Bo" not in names() and tab.inner_text("#shown") == "2 of 3 shown"
        with tab.expect_download() as download:
            tab.click("#csv")
        saved = tmp_path / "advisees.csv"
        download.value.save_as(saved)
        lines = saved.read_text(encoding="utf-8-sig").splitlines()
        assert lines[0].startswith("Advisee,Folder,Visa,Match,Phase,")
        assert len(lines) == 3 and lines[1].startswith("'=HYPERLINK(1),") and lines[2].startswith('"Cy ""C"", Jr",')
        tab.get_by_role("button", name="Warnings").click()
        tab.get_by_role("button", name="Warnings").click()
        assert tab.url.endswith("#sort=warnings-desc")
        tab.reload()
        assert tab.locator("th", has_text="Warnings").get_attribute("aria-sort") == "descending"
        tab.evaluate("document.querySelector('.scroll').scrollLeft = 2000")
        box = tab.locator("tbody th").first.bounding_box()
        assert box is not None and box["x"] < 50, "the name column stays in view when the table scrolls sideways"
        browser.close()


def test_the_page_is_made_again_only_when_what_it_is_made_from_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    built(tmp_path, "ana", records.Record("ana.yaml", "k", summary=summary("Ana")))
    found = overview.rows(tmp_path, [("ana", "ana.yaml")])
    page = overview.write(tmp_path, found, "shared-1")
    first = page.read_text()
    assert 'name="handbook-overview-key"' in first and first == overview.render(found, overview.made_from(found, "shared-1"))
    made = []
    render = overview.render

    def counted(rows: list[overview.Row], key: str | None = None) -> str:
        made.append(key)
        return render(rows, key)

    monkeypatch.setattr(overview, "render", counted)
    overview.write(tmp_path, found, "shared-1")
    assert made == [] and page.read_text() == first  # nothing changed: not made, not written
    overview.write(tmp_path, found, "shared-2")  # a template, content or the code changed
    assert len(made) == 1
    records.write(tmp_path, "ana", records.Record("ana.yaml", "k", summary=summary("Ana B")))
    overview.write(tmp_path, overview.rows(tmp_path, [("ana", "ana.yaml")]), "shared-2")  # a row changed
    assert len(made) == 2 and "Ana B" in page.read_text()
