"""A planner's path through the web app in a real Chromium against a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from sozialgraph.catalog import Catalog
from sozialgraph.store import GraphStore
from tests.conftest import ARTIFACTS, ERFURT
from tests.webapp_support import EDITOR, fresh_erfurt_store, running, snapshot

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Browser, web_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=web_server, accept_downloads=True, locale="de-DE",
                                  viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"webapp-{name}.png"), full_page=True)


def test_from_overview_to_gaps_csv_and_entity(page: Page, web_server: str, erfurt_store: GraphStore) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/")
    expect(page.locator("h1")).to_have_text("Übersicht")
    expect(page.locator("#per-class")).to_contain_text("Angebot")
    shot(page, "1-uebersicht")

    page.select_option("#overview-target-group", "senioren")
    page.get_by_role("button", name="Lücken zeigen").click()
    page.wait_for_url("**/abfragen/coverage-gaps?**")
    expected = Catalog().run(erfurt_store, "coverage-gaps", {"target_group": "senioren"}, include_internal=False)
    rows = page.locator("#result-table tbody tr")
    expect(rows).to_have_count(len(expected.rows))
    expect(page.locator("#param-target_group")).to_have_value("senioren")
    shot(page, "2-abfrage-coverage-gaps")

    with page.expect_download() as download_info:
        page.click("#download-csv")
    download = download_info.value
    assert download.suggested_filename == "coverage-gaps.csv"
    content = Path(download.path()).read_bytes()
    assert content.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert len(table) == len(expected.rows)
    assert {row["target_group_label"] for row in table} == {"Seniorinnen und Senioren"}
    assert table[0]["social_space"] == expected.rows[0]["social_space"]

    first = page.locator('#result-table a[href^="/id/"]').first
    label = first.inner_text()
    first.click()
    page.wait_for_url(f"**/id/**/{label}")
    expect(page.locator("#facts")).to_contain_text("Kennung")
    expect(page.locator("#provenance")).to_contain_text("erfurt/spaces.geojson")
    shot(page, "3-entitaet")
    assert all(url.startswith(web_server) for url in requests), [u for u in requests if not u.startswith(web_server)]


def test_heatmap_for_a_target_group(page: Page, erfurt_store: GraphStore) -> None:
    page.goto("/lueckenmatrix")
    page.select_option("#matrix-target_group", "senioren")
    page.get_by_role("button", name="Zeigen").click()
    page.wait_for_url("**/lueckenmatrix?**target_group=senioren**")
    heatmap = page.locator("#heatmap")
    expect(heatmap).to_be_visible()
    gaps = Catalog().run(erfurt_store, "coverage-gaps", {"target_group": "senioren"}, include_internal=False)
    expect(heatmap.locator("td.gap")).to_have_count(len(gaps.rows))
    expect(heatmap.locator("tbody tr")).to_have_count(6)
    colours = {heatmap.locator("td.gap").first.evaluate("cell => getComputedStyle(cell).backgroundColor"),
               heatmap.locator("td.heat-1").first.evaluate("cell => getComputedStyle(cell).backgroundColor")}
    assert len(colours) == 2  # a gap looks different from a covered cell
    shot(page, "4-lueckenmatrix")

    covered = heatmap.locator("td:not(.gap) a").first
    count = int(covered.inner_text())
    covered.click()
    expect(page.locator("#cell-offers li")).to_have_count(count)
    page.locator("#cell-offers a").first.click()
    expect(page.locator("#facts")).to_contain_text("Handlungsfeld")


def test_sparql_editor_runs_against_the_local_endpoint(page: Page, web_server: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/sparql-editor")
    expect(page.locator(".CodeMirror")).to_be_visible()
    page.locator(".yasqe_queryButton").click()
    expect(page.locator(".yasr")).to_contain_text("ThEKiZ Kita Altstadt", timeout=20_000)
    shot(page, "5-sparql")
    assert any(url == f"{web_server}/sparql" for url in requests)
    assert all(url.startswith((web_server, "data:", "blob:")) for url in requests), \
        [u for u in requests if not u.startswith(web_server)]


def test_api_docs_are_served_by_the_app(page: Page, web_server: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/docs")
    expect(page.locator("#swagger-ui")).to_contain_text("/api/queries/{name}", timeout=20_000)
    expect(page.locator("#swagger-ui")).to_contain_text("/sparql")
    shot(page, "6-api")
    assert all(url.startswith((web_server, "data:", "blob:")) for url in requests), \
        [u for u in requests if not u.startswith(web_server)]


def test_upload_checks_first_then_commits(browser: Browser) -> None:
    store = fresh_erfurt_store()
    offers = (ERFURT / "offers.csv").read_text(encoding="utf-8").rstrip("\n") + (
        "\nof-ui-test,Offener Seniorentreff,begegnungsstaette,awo,HF6,senioren,st-altstadt,,,,lsz,"
        "2025-01-01,2026-12-31,,Beispiel: neu\n")
    file = {"name": "offers.csv", "mimeType": "text/csv", "buffer": offers.encode("utf-8")}
    try:
        with running(store) as base:
            context = browser.new_context(base_url=base, locale="de-DE")
            page = context.new_page()
            page.set_default_timeout(30_000)  # a dry run loads and checks a copy of the store: seconds when busy
            page.goto("/quellen")
            expect(page.locator("#sources")).to_contain_text("erfurt/offers.csv")
            page.set_input_files("#upload-file", files=[file])
            page.fill("#upload-name", "erfurt/offers.csv")
            page.fill("#upload-token", "falsch")
            page.click("#upload-check")
            refused = page.locator("#upload-result .error")
            expect(refused).to_have_text("Das Zugriffstoken ist ungültig.", timeout=30_000)

            before = snapshot(store)
            page.fill("#upload-token", EDITOR)
            page.click("#upload-check")
            result = page.locator("#upload-result")
            expect(result).to_contain_text("Ergebnis der Prüfung (noch nichts gespeichert)", timeout=30_000)
            expect(result).to_contain_text("erfurt/offers.csv: ersetzt")
            expect(result).to_contain_text("Einträge neu: 1")
            expect(result).to_contain_text("Prüfung danach: 3 Fehler")
            shot(page, "7-hochladen-pruefung")
            assert snapshot(store) == before

            page.click("#upload-commit")
            expect(result).to_contain_text("Übernommen", timeout=30_000)
            expect(page.locator("#upload-commit")).to_be_disabled()
            page.goto("/id/offer/of-ui-test")
            expect(page.locator("h1")).to_have_text("Offener Seniorentreff")
            context.close()
    finally:
        store.close()
