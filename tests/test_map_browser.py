"""The Karte page in a real Chromium against a real uvicorn server: one shape per space, legend, colour switch."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import ARTIFACTS, ERFURT

pytestmark = pytest.mark.browser


def spaces_of_level(level: str) -> list[str]:
    collection = json.loads((ERFURT / "spaces.geojson").read_text(encoding="utf-8"))
    return [f["properties"]["name"] for f in collection["features"] if f["properties"]["level"] == level]


@pytest.fixture
def page(browser: Browser, web_server: str) -> Iterator[Page]:
    context = browser.new_context(base_url=web_server, locale="de-DE", viewport={"width": 1280, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(15_000)
    yield opened
    context.close()


def fills(page: Page) -> list[str]:
    return page.locator(".leaflet-overlay-pane path").evaluate_all("paths => paths.map(p => p.getAttribute('fill'))")


def test_map_shows_each_space_with_legend_and_switches_colouring(page: Page, web_server: str) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/karte?level=stadtteil&colour=coverage-gaps")
    expect(page.locator("h1")).to_have_text("Karte")
    shapes = page.locator(".leaflet-overlay-pane path")
    expect(shapes).to_have_count(len(spaces_of_level("stadtteil")))
    legend = page.locator("#karte-legend")
    expect(legend.locator("h2")).to_have_text("Versorgungslücken: Anzahl")
    expect(legend.locator("#karte-legend-classes li").first).to_be_visible()
    expect(page.locator(".leaflet-pane.leaflet-angebote-pane path")).to_have_count(4)
    expect(page.locator(".leaflet-tile")).to_have_count(0)

    page.select_option("#karte-level", "sozialraum")
    expect(shapes).to_have_count(len(spaces_of_level("sozialraum")))
    gap_fills = fills(page)
    page.select_option("#karte-colour", "indikator:sgb2-quote")
    expect(legend.locator("h2")).to_contain_text("SGB-II-Quote")
    expect(legend.locator("h2")).to_contain_text("in %")
    expect(legend).to_contain_text("18,3")
    expect(page).to_have_url(f"{web_server}/karte?level=sozialraum&colour=indikator%3Asgb2-quote")
    assert fills(page) != gap_fills
    legend_colours = legend.locator(".swatch").evaluate_all(
        "items => items.map(i => getComputedStyle(i).backgroundColor)")
    assert len(set(legend_colours)) == len(legend_colours) > 1

    shapes.first.hover()
    expect(page.locator(".leaflet-tooltip")).to_contain_text("%")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "karte.png"), full_page=True)

    name = page.locator(".leaflet-tooltip strong").inner_text()
    assert name in spaces_of_level("sozialraum")
    shapes.first.click()
    page.wait_for_url("**/id/space/**")
    expect(page.locator("h1")).to_contain_text(name)
    assert not errors, errors
    assert all(url.startswith(web_server) for url in requests), [u for u in requests if not u.startswith(web_server)]


def test_bad_choice_shows_the_german_message(page: Page) -> None:
    page.goto("/karte?level=sozialraum&colour=coverage-gaps")
    expect(page.locator(".leaflet-overlay-pane path")).to_have_count(len(spaces_of_level("sozialraum")))
    page.evaluate("""() => {
        const select = document.getElementById('karte-colour');
        select.add(new Option('kaputt', 'indikator:gibt-es-nicht'));
        select.value = 'indikator:gibt-es-nicht';
        select.dispatchEvent(new Event('change'));
    }""")
    expect(page.locator("#karte-error")).to_contain_text("Den Indikator 'gibt-es-nicht' gibt es nicht")
