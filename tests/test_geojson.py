"""GeoJSON social spaces: the spaces.csv graph plus geometry, reprojected from ETRS89/UTM, refused when broken."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import shapely

from loaders import load_sources, source_for
from sozialgraph.errors import InputError
from sozialgraph.store import GraphStore
from tests.conftest import FIXTURES, run_cli

GEO_PREFIXES = ("PREFIX geo: <http://www.opengis.net/ont/geosparql#> "
                "PREFIX sg: <https://w3id.org/sozialgraph/ontology#> PREFIX dct: <http://purl.org/dc/terms/> ")


def square(x: float, y: float, size: float) -> dict[str, Any]:
    return {"type": "Polygon",
            "coordinates": [[[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]]}


def feature(properties: dict[str, Any], geometry: dict[str, Any] | None) -> dict[str, Any]:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def tiny_collection() -> dict[str, Any]:
    """The tiny fixture's spaces (tests/fixtures/tiny/spaces.csv) as nested squares in lon/lat."""
    return {"type": "FeatureCollection", "features": [
        feature({"id": "k", "name": "Teststadt", "level": "kommune", "parent": None, "code": "00"},
                square(10.0, 50.0, 0.4)),
        feature({"id": "sr-a", "name": "Sozialraum A", "level": "sozialraum", "parent": "k", "code": "10"},
                square(10.0, 50.0, 0.2)),
        feature({"id": "sr-b", "name": "Sozialraum B", "level": "sozialraum", "parent": "k", "code": 20},
                square(10.2, 50.0, 0.2)),
        feature({"id": "st-a1", "name": "Stadtteil A1", "level": "stadtteil", "parent": "sr-a", "code": "11"},
                square(10.0, 50.0, 0.1)),
        feature({"id": "st-a2", "name": "Stadtteil A2", "level": "stadtteil", "parent": "sr-a", "code": "12"},
                square(10.1, 50.0, 0.1)),
        feature({"id": "st-b1", "name": "Stadtteil B1", "level": "stadtteil", "parent": "sr-b", "code": "21"},
                None),
    ]}


def write_json(path: Path, data: object) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def state(store: GraphStore) -> list[tuple[str, int]]:
    return [(g.name, g.triples) for g in store.graphs()]


def test_geojson_gives_the_csv_triples_plus_geometry(memory_store: GraphStore, disk_store: GraphStore,
                                                     tmp_path: Path) -> None:
    load_sources(memory_store, [source_for(FIXTURES / "tiny" / "spaces.csv", name="spaces")])
    load_sources(disk_store, [source_for(write_json(tmp_path / "spaces.geojson", tiny_collection()), name="spaces")])
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    csv_triples = {tuple(t.value for t in (r["s"], r["p"], r["o"]))
                   for r in memory_store.select(query, include_vocabulary=False).rows}
    geo_triples = {tuple(t.value for t in (r["s"], r["p"], r["o"]))
                   for r in disk_store.select(query, include_vocabulary=False).rows}
    geometry = {t for t in geo_triples if "#geometry" in t[0] or "#geometry" in t[2]}
    assert geo_triples - geometry == csv_triples
    assert len(geometry) == 5 * 3  # st-b1 has no geometry: hasGeometry, a geo:Geometry, asWKT for five spaces
    rows = disk_store.select(GEO_PREFIXES + "SELECT ?id ?wkt WHERE { ?s dct:identifier ?id ; "
                             "geo:hasGeometry/geo:asWKT ?wkt }").rows
    shapes = {r["id"].value: shapely.from_wkt(r["wkt"].value) for r in rows}
    assert shapes["st-a1"].equals(shapely.box(10.0, 50.0, 10.1, 50.1))
    assert shapes["k"].contains(shapes["sr-b"])
    assert rows[0]["wkt"].datatype.value == "http://www.opengis.net/ont/geosparql#wktLiteral"


# --- reprojection -----------------------------------------------------------------------------------------------
GRS80_A = 6378137.0
GRS80_F = 1 / 298.257222101


def meridian_arc(latitude: float) -> float:
    """Distance on the GRS80 ellipsoid from the equator to `latitude` (Simpson's rule, independent of pyproj)."""
    e2 = GRS80_F * (2 - GRS80_F)
    phi = math.radians(latitude)
    steps = 2000
    h = phi / steps
    total = 0.0
    for i in range(steps + 1):
        weight = 1 if i in (0, steps) else (4 if i % 2 else 2)
        total += weight * (1 - e2 * math.sin(i * h) ** 2) ** -1.5
    return GRS80_A * (1 - e2) * total * h / 3


def utm_on_central_meridian(latitude: float) -> tuple[float, float]:
    """On a UTM zone's central meridian the easting is 500 000 m and the northing k0 times the meridian arc."""
    return 500000.0, 0.9996 * meridian_arc(latitude)


def metres_between(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    dy = (lat2 - lat1) * 111_320
    dx = (lon2 - lon1) * 111_320 * math.cos(math.radians(lat1))
    return math.hypot(dx, dy)


def first_vertex(store: GraphStore, identifier: str) -> tuple[float, float]:
    rows = store.select(GEO_PREFIXES + "SELECT ?wkt WHERE { ?s dct:identifier ?id ; geo:hasGeometry/geo:asWKT ?wkt }",
                        [{"id": _literal(identifier)}]).rows
    polygon = shapely.from_wkt(rows[0]["wkt"].value)
    x, y = polygon.exterior.coords[0]
    return x, y


def _literal(text: str) -> Any:
    from pyoxigraph import Literal

    return Literal(text)


def test_legacy_crs_member_epsg_25832_is_reprojected_within_a_metre(memory_store: GraphStore,
                                                                    tmp_path: Path) -> None:
    easting, northing = utm_on_central_meridian(51.0)  # 9°E, 51°N: near Kassel, in zone 32
    collection = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::25832"}},
        "features": [feature({"id": "k", "name": "Kassel-Test", "level": "kommune"},
                             square(easting, northing, 500.0))],
    }
    load_sources(memory_store, [source_for(write_json(tmp_path / "raeume.geojson", collection))])
    lon, lat = first_vertex(memory_store, "k")
    assert metres_between(lon, lat, 9.0, 51.0) < 1.0


def test_crs_option_epsg_25833_via_cli(tmp_path: Path) -> None:
    easting, northing = utm_on_central_meridian(52.5)  # 15°E, 52.5°N: zone 33 (Brandenburg)
    collection = {"type": "FeatureCollection",
                  "features": [feature({"id": "k", "name": "Ost-Test", "level": "kommune"},
                                       square(easting, northing, 500.0))]}
    path = write_json(tmp_path / "spaces.geojson", collection)
    store = tmp_path / "store"
    refused = run_cli("load", str(path), store=store)
    assert refused.returncode == 2
    assert "Feature 1 (Id 'k'), Feld 'geometry'" in refused.stderr and "--crs" in refused.stderr
    loaded = run_cli("load", str(path), "--crs", "EPSG:25833", store=store)
    assert loaded.returncode == 0, loaded.stderr
    from sozialgraph.config import DEFAULT_BASE_URI, Settings
    from sozialgraph.store import open_store

    opened = open_store(Settings(store_path=store, base_uri=DEFAULT_BASE_URI))
    try:
        lon, lat = first_vertex(opened, "k")
    finally:
        opened.close()
    assert metres_between(lon, lat, 15.0, 52.5) < 1.0


def test_crs_member_and_option_that_disagree_are_refused(memory_store: GraphStore, tmp_path: Path) -> None:
    collection = {**tiny_collection(), "crs": {"type": "name", "properties": {"name": "EPSG:25832"}}}
    path = write_json(tmp_path / "spaces.geojson", collection)
    with pytest.raises(InputError, match=r"EPSG:25832.*--crs aber 'EPSG:25833'"):
        load_sources(memory_store, [source_for(path)], crs="EPSG:25833")


# --- refusals ---------------------------------------------------------------------------------------------------
def bowtie() -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [[[10.0, 50.0], [10.1, 50.1], [10.1, 50.0], [10.0, 50.1], [10.0, 50.0]]]}


@pytest.mark.parametrize(("change", "expected"), [
    (lambda c: c["features"][3].__setitem__("geometry", bowtie()),
     "spaces.geojson, Feature 4 (Id 'st-a1'), Feld 'geometry': ungültige Geometrie: Selbstüberschneidung bei ["),
    (lambda c: c["features"][2]["properties"].pop("level"),
     "spaces.geojson, Feature 3 (Id 'sr-b'), Feld 'level': Pflichtangabe fehlt"),
    (lambda c: c["features"][4]["properties"].__setitem__("level", "bezirk"),
     "spaces.geojson, Feature 5 (Id 'st-a2'), Feld 'level': unbekannter Code 'bezirk' (Wert: 'bezirk'). Erlaubt: "),
    (lambda c: c["features"][1].__setitem__("geometry", {"type": "Point", "coordinates": [10.0, 50.0]}),
     "Feature 2 (Id 'sr-a'), Feld 'geometry': ein Raum braucht eine Fläche (Wert: 'Point'). Erlaubt: Polygon"),
    (lambda c: c["features"][1]["properties"].__setitem__("name", {"de": "A"}),
     "Feature 2 (Id 'sr-a'), Feld 'name': muss Text oder eine Zahl sein"),
    (lambda c: c["features"][5]["properties"].__setitem__("id", "st-a1"),
     "Feature 6 (Id 'st-a1'), Feld 'id': die Id kommt doppelt vor (schon in Feature 4)"),
    (lambda c: c["features"][0].__setitem__("geometry", {"type": "Polygon", "coordinates": [[[10, 50], [11, 50]]]}),
     "Feature 1 (Id 'k'), Feld 'geometry': Geometrie nicht lesbar"),
    (lambda c: c.__setitem__("type", "Feature"), "GeoJSON muss eine FeatureCollection sein"),
])
def test_broken_feature_names_feature_and_field_and_changes_nothing(
        disk_store: GraphStore, tmp_path: Path, change: Any, expected: str) -> None:
    load_sources(disk_store, [source_for(write_json(tmp_path / "spaces.geojson", tiny_collection()))])
    before = state(disk_store)
    collection = tiny_collection()
    change(collection)
    broken = write_json(tmp_path / "spaces.geojson", collection)
    with pytest.raises(InputError) as caught:
        load_sources(disk_store, [source_for(broken)])
    assert expected in caught.value.message
    assert state(disk_store) == before


def test_unknown_parent_is_refused_like_in_csv(memory_store: GraphStore, tmp_path: Path) -> None:
    collection = tiny_collection()
    collection["features"][3]["properties"]["parent"] = "sr-x"
    with pytest.raises(InputError, match=r"spaces\.geojson, Feature 4 \(Id 'st-a1'\), Feld 'parent'"):
        load_sources(memory_store, [source_for(write_json(tmp_path / "spaces.geojson", collection))])
