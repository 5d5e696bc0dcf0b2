"""The map's JSON routes against the Erfurt example: shapes per level, colour values, legend, offers, errors."""

from __future__ import annotations

import csv
import itertools
import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.map_classes import class_of, classify, german_number
from sozialgraph.catalog import Catalog
from sozialgraph.config import Settings
from sozialgraph.store import GraphStore, open_store
from tests.conftest import ERFURT, load_folder
from tests.webapp_support import BASE, READER_AUTH, client_for


@pytest.fixture(scope="module")
def client(erfurt_store: GraphStore) -> Iterator[TestClient]:
    with client_for(erfurt_store) as test_client:
        yield test_client


def spaces_in_file(level: str) -> dict[str, str]:
    collection = json.loads((ERFURT / "spaces.geojson").read_text(encoding="utf-8"))
    return {f["properties"]["id"]: f["properties"]["name"] for f in collection["features"]
            if f["properties"]["level"] == level}


def features(client: TestClient, url: str) -> dict[str, dict[str, object]]:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/geo+json")
    body = response.json()
    assert body["type"] == "FeatureCollection"
    return {f["properties"]["id"]: f for f in body["features"]}


@pytest.mark.parametrize("level", ["sozialraum", "stadtteil"])
def test_one_shape_per_space_of_the_level(client: TestClient, level: str) -> None:
    shapes = features(client, f"/api/map/spaces?level={level}")
    expected = spaces_in_file(level)
    assert set(shapes) == set(expected)
    for identifier, feature in shapes.items():
        assert feature["properties"]["name"] == expected[identifier]  # type: ignore[index]
        assert feature["geometry"]["type"] in ("Polygon", "MultiPolygon")  # type: ignore[index]
        lon, lat = feature["geometry"]["coordinates"][0][0]  # type: ignore[index]
        assert 10.8 < lon < 11.3 and 50.8 < lat < 51.1  # Erfurt, lon/lat order as GeoJSON wants


def test_gap_counts_per_space_follow_the_saved_query(client: TestClient, erfurt_store: GraphStore) -> None:
    response = client.get("/api/map/spaces?level=sozialraum&colour=coverage-gaps&target_group=familien")
    body = response.json()
    gaps = Catalog().run(erfurt_store, "coverage-gaps", {"target_group": "familien"}, include_internal=False)
    per_space = Counter(str(row["social_space"]) for row in gaps.rows)
    assert per_space, "the example should have gaps for families"
    values = {f["properties"]["id"]: f["properties"]["value"] for f in body["features"]}
    assert values == {space: float(per_space.get(space, 0)) for space in spaces_in_file("sozialraum")}
    legend = body["legend"]
    assert legend["title"] == "Versorgungslücken: Anzahl"
    colours = {item["farbe"] for item in legend["classes"]}
    assert {f["properties"]["colour"] for f in body["features"]} <= colours
    highest = max(body["features"], key=lambda f: f["properties"]["value"])
    assert highest["properties"]["colour"] == legend["classes"][-1]["farbe"]


def test_indicator_colours_by_the_latest_period(client: TestClient) -> None:
    body = client.get("/api/map/spaces?level=sozialraum&colour=indikator:sgb2-quote").json()
    with (ERFURT / "indicators.csv").open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["indicator"] == "sgb2-quote"]
    latest = max(row["period"] for row in rows)
    expected = {row["social_space"]: float(row["value"]) for row in rows if row["period"] == latest}
    shown = {f["properties"]["id"]: f["properties"] for f in body["features"]}
    assert {key: value["value"] for key, value in shown.items()} == expected
    assert body["legend"]["title"] == f"SGB-II-Quote ({latest})"
    assert body["legend"]["unit"] == "%"
    sample = next(iter(expected))
    assert shown[sample]["value_text"] == f"{expected[sample]:g}".replace(".", ",") + " %"
    assert body["legend"]["missing"] is None


def test_level_without_indicator_values_says_so(client: TestClient) -> None:
    body = client.get("/api/map/spaces?level=stadtteil&colour=indikator:einwohner").json()
    assert len(body["features"]) == len(spaces_in_file("stadtteil"))
    assert body["legend"]["classes"] == []
    assert body["legend"]["missing"]["text"] == "keine Angabe"
    assert {f["properties"]["value_text"] for f in body["features"]} == {"keine Angabe"}


def test_a_space_links_to_its_entity_page(client: TestClient) -> None:
    shapes = features(client, "/api/map/spaces?level=stadtteil&colour=overlaps")
    feature = shapes["st-altstadt"]
    href = feature["properties"]["href"]  # type: ignore[index]
    assert href == "/id/space/st-altstadt"
    page = client.get(href, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Altstadt" in page.text


@pytest.mark.parametrize(("url", "words"), [
    ("/api/map/spaces?level=bezirk", ["Raumebene 'bezirk'", "sozialraum", "stadtteil"]),
    ("/api/map/spaces?colour=indikator:armut", ["Indikator 'armut'", "indikator:sgb2-quote"]),
    ("/api/map/spaces?colour=network-nodes", ["Färbung 'network-nodes'", "coverage-gaps", "overlaps"]),
    ("/api/map/spaces?colour=coverage-gaps&zielgruppe=familien", ["Parameter 'zielgruppe'"]),
    ("/api/map/spaces?colour=coverage-gaps&target_group=katzen", ["'katzen'", "familien"]),
    ("/api/map/spaces?colour=indikator:einwohner&target_group=familien", ["Indikator", "'target_group'"]),
    ("/api/map/spaces?colour=overlaps&min_offers=viele", ["min_offers"]),
])
def test_bad_choices_get_a_german_400(client: TestClient, url: str, words: list[str]) -> None:
    response = client.get(url)
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    for word in words:
        assert word in detail


@pytest.fixture
def with_internal_offer(tmp_path: Path) -> Iterator[GraphStore]:
    """Erfurt plus one internal offer with coordinates (a shelter whose place must stay unpublished)."""
    folder = tmp_path / "erfurt"
    shutil.copytree(ERFURT, folder, ignore=shutil.ignore_patterns("*.md"))
    with (folder / "offers.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([
            "of-geheim", "Geschützte Unterkunft", "beratung", "awo", "HF4", "frauen", "", "", "50.9700", "11.0300",
            "", "2020-01-01", "", "internal", "Beispiel: Adresse wird nicht veröffentlicht."])
    store = open_store(Settings(base_uri=BASE), in_memory=True)
    load_folder(store, folder)
    yield store
    store.close()


def test_offers_as_points_public_only_without_token(with_internal_offer: GraphStore) -> None:
    with client_for(with_internal_offer) as test_client:
        public = test_client.get("/api/map/offers").json()
        internal = test_client.get("/api/map/offers", headers=READER_AUTH).json()
    with (ERFURT / "offers.csv").open(encoding="utf-8") as handle:
        located = {row["id"] for row in csv.DictReader(handle) if row["lat"] and row["access"] != "internal"}
    assert {f["properties"]["id"] for f in public["features"]} == located
    assert {f["properties"]["id"] for f in internal["features"]} == located | {"of-geheim"}
    secret = next(f for f in internal["features"] if f["properties"]["id"] == "of-geheim")
    assert secret["geometry"] == {"type": "Point", "coordinates": [11.03, 50.97]}
    assert public["without_point"] > 0


def test_page_offers_the_colourings_and_no_tiles_by_default(client: TestClient) -> None:
    page = client.get("/karte")
    assert page.status_code == 200
    assert '<a href="/karte"' in page.text
    for value in ('value="coverage-gaps"', 'value="overlaps"', 'value="indikator:sgb2-quote"', 'value="stadtteil"'):
        assert value in page.text
    assert 'data-tile-url=""' in page.text
    assert "<script>" not in page.text and "style=" not in page.text


def test_tiles_only_from_the_configured_server(erfurt_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOZIALGRAPH_TILE_URL", "https://kacheln.intranet.example/{z}/{x}/{y}.png")
    with client_for(erfurt_store) as test_client:
        page = test_client.get("/karte")
    assert 'data-tile-url="https://kacheln.intranet.example/{z}/{x}/{y}.png"' in page.text


def test_leaflet_is_served_by_the_app(client: TestClient) -> None:
    script = client.get("/assets/vendor/leaflet/leaflet.js")
    assert script.status_code == 200 and "Leaflet" in script.text[:500]
    assert client.get("/assets/vendor/leaflet/leaflet.css").headers["content-type"].startswith("text/css")
    image = client.get("/assets/vendor/leaflet/images/layers.png")
    assert image.headers["content-type"] == "image/png" and image.content.startswith(b"\x89PNG")


def test_class_breaks_cover_every_value_in_order() -> None:
    values = [78400, 79100, 11200, 11400, 15100, 15200, 6.6, 6.8, 100, 300, 12.5]
    classes = classify(values)
    assert len(classes) == 5
    assert all(a.high < b.low for a, b in itertools.pairwise(classes))
    for value in values:
        found = class_of(value, classes)
        assert found is not None and found.low <= value <= found.high
    assert classes[0].label == "6,6 – 12,5"
    assert german_number(78400) == "78.400" and german_number(1234.5) == "1.234,5"
    assert [c.label for c in classify([0, 0, 3])] == ["0", "3"]
