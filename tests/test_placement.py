"""Point in polygon: entries with coordinates but no social space land in the smallest space containing them, and
land again when the spaces are reloaded."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import Literal

from loaders import load_sources, source_for
from sozialgraph.errors import InputError
from sozialgraph.store import GraphStore
from tests.conftest import FIXTURES
from tests.test_geojson import square, tiny_collection, write_json

PREFIXES = ("PREFIX sg: <https://w3id.org/sozialgraph/ontology#> PREFIX dct: <http://purl.org/dc/terms/> "
            "PREFIX prov: <http://www.w3.org/ns/prov#> ")


def spaces_of(store: GraphStore) -> dict[str, tuple[str, ...]]:
    """Each entry's spaces by id, with '*' after a derived one."""
    rows = store.select(PREFIXES + "SELECT ?id ?space ?derived WHERE { ?e dct:identifier ?id ; sg:socialSpace ?s . "
                        "?s dct:identifier ?space . OPTIONAL { ?e sg:placementDerived ?derived } }").rows
    found: dict[str, list[str]] = {}
    for row in rows:
        found.setdefault(row["id"].value, []).append(row["space"].value + ("*" if "derived" in row else ""))
    return {key: tuple(sorted(value)) for key, value in found.items()}


def derived_from(store: GraphStore, graph: str) -> set[str]:
    info = next(g for g in store.graphs() if g.name == graph)
    rows = [r for r in store.backend.select(
        PREFIXES + "SELECT ?v ?g WHERE { ?v prov:wasDerivedFrom ?g FILTER(isIRI(?g)) }", [store.meta_graph]).rows
        if r["v"] == info.version]
    return {store.graph_name(r["g"]) for r in rows}


def offers(tmp_path: Path, rows: str, name: str = "offers.csv") -> Path:
    path = tmp_path / name
    path.write_text("id,name,social_space,lat,lon,access\n" + rows, encoding="utf-8")
    return path


def spaces_file(tmp_path: Path, collection: dict[str, object] | None = None) -> Path:
    folder = tmp_path / "geo"
    folder.mkdir(exist_ok=True)
    return write_json(folder / "spaces.geojson", collection or tiny_collection())


def state(store: GraphStore) -> list[tuple[str, int, str | None]]:
    return [(g.name, g.triples, g.loaded_at) for g in store.graphs()]


def test_smallest_space_wins_and_the_placement_is_marked_derived(memory_store: GraphStore, tmp_path: Path) -> None:
    path = offers(tmp_path, "o-in-a1,Mitte A1,,50.05,10.05,\n"
                            "o-in-b,Nur Sozialraum B,,50.15,10.25,\n"      # st-b1 has no area: sr-b is smallest
                            "o-given,Angegeben,sr-a,50.05,10.05,\n")       # a given space is never overridden
    report = load_sources(memory_store, [source_for(spaces_file(tmp_path)), source_for(path)])
    assert spaces_of(memory_store) == {"o-in-a1": ("st-a1*",), "o-in-b": ("sr-b*",), "o-given": ("sr-a",)}
    assert derived_from(memory_store, f"{tmp_path.name}/offers.csv") == {
        "geo/spaces.geojson"}
    assert not report.warnings


def test_boundary_counts_as_inside(memory_store: GraphStore, tmp_path: Path) -> None:
    # (10.1, 50.05) is on the line between st-a1 and st-a2 (equal areas, same depth): the lower IRI wins.
    # (10.0, 50.3) is on the west edge of the city k and inside no smaller space.
    path = offers(tmp_path, "o-line,Auf der Grenze,,50.05,10.1,\no-edge,Am Stadtrand,,50.3,10.0,\n")
    load_sources(memory_store, [source_for(spaces_file(tmp_path)), source_for(path)])
    assert spaces_of(memory_store) == {"o-line": ("st-a1*",), "o-edge": ("k*",)}


def test_point_outside_every_space_names_file_and_row(disk_store: GraphStore, tmp_path: Path) -> None:
    load_sources(disk_store, [source_for(spaces_file(tmp_path))])
    before = state(disk_store)
    path = offers(tmp_path, "o-ok,Drin,,50.05,10.05,\no-out,Draußen,,51.5,10.05,\n")
    with pytest.raises(InputError) as caught:
        load_sources(disk_store, [source_for(path)])
    assert caught.value.message.startswith(
        "offers.csv, Zeile 3, Spalten lat, lon: der Punkt (lat 51.5, lon 10.05) liegt in keinem der 5 Räume")
    assert state(disk_store) == before


def test_needs_and_internal_offers_are_placed_too(memory_store: GraphStore, tmp_path: Path) -> None:
    needs = tmp_path / "needs.csv"
    needs.write_text("id,social_space,target_group,field_of_action,lat,lon\nn1,,familien,HF3,50.05,10.15\n",
                     encoding="utf-8")
    path = offers(tmp_path, "o-secret,Schutzwohnung,,50.05,10.05,internal\n")
    load_sources(memory_store, [source_for(spaces_file(tmp_path)), source_for(path), source_for(needs)])
    assert spaces_of(memory_store) == {"n1": ("st-a2*",), "o-secret": ("st-a1*",)}
    public = memory_store.select(PREFIXES + "SELECT ?e WHERE { ?e sg:placementDerived true }",
                                 include_internal=False).rows
    assert {r["e"].value.rsplit("/", 1)[1] for r in public} == {"n1"}  # the internal offer stays internal


def test_facility_from_turtle_is_placed(memory_store: GraphStore, tmp_path: Path) -> None:
    turtle = tmp_path / "facilities.ttl"
    turtle.write_text(
        "@prefix sg: <https://w3id.org/sozialgraph/ontology#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        "@prefix geo: <http://www.opengis.net/ont/geosparql#> .\n"
        "<https://sozialgraph.example/id/facility/f1> a sg:Facility ; dct:identifier \"f1\" ;\n"
        "  geo:hasGeometry <https://sozialgraph.example/id/facility/f1#geometry> .\n"
        "<https://sozialgraph.example/id/facility/f1#geometry> geo:asWKT "
        "\"<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(10.25 50.05)\"^^geo:wktLiteral .\n",
        encoding="utf-8")
    load_sources(memory_store, [source_for(spaces_file(tmp_path))])
    load_sources(memory_store, [source_for(turtle)])
    assert spaces_of(memory_store) == {"f1": ("sr-b*",)}


def test_points_wait_for_areas_and_are_placed_when_spaces_with_areas_arrive(
        disk_store: GraphStore, tmp_path: Path) -> None:
    csv_spaces = FIXTURES / "tiny" / "spaces.csv"
    load_sources(disk_store, [source_for(csv_spaces, name="spaces")])
    report = load_sources(disk_store, [source_for(offers(tmp_path, "o1,Eins,,50.05,10.05,\n"), name="offers")])
    assert spaces_of(disk_store) == {}
    assert any("kein geladener Raum eine Fläche" in w for w in report.warnings)
    # The GeoJSON replaces the CSV (same graph name): the waiting offer is placed in the same commit.
    report = load_sources(disk_store, [source_for(spaces_file(tmp_path), name="spaces")])
    assert spaces_of(disk_store) == {"o1": ("st-a1*",)}
    assert {g.name for g in report.graphs} == {"spaces", "offers"}
    assert derived_from(disk_store, "offers") == {"spaces"}
    pending = disk_store.backend.select(PREFIXES + "SELECT ?v WHERE { ?v sg:placementPending true }",
                                        [disk_store.meta_graph]).rows
    assert not [r for r in pending if r["v"] in {g.version for g in disk_store.graphs()}]


def test_reloading_spaces_places_points_again(disk_store: GraphStore, tmp_path: Path) -> None:
    first_offer = offers(tmp_path, "o1,Eins,,50.05,10.05,\n")
    load_sources(disk_store, [source_for(spaces_file(tmp_path)), source_for(first_offer)])
    assert spaces_of(disk_store) == {"o1": ("st-a1*",)}
    moved = tiny_collection()
    moved["features"][3]["geometry"] = square(10.0, 50.1, 0.1)  # st-a1 moves north; the point is now only in sr-a
    load_sources(disk_store, [source_for(spaces_file(tmp_path, moved))])
    assert spaces_of(disk_store) == {"o1": ("sr-a*",)}
    unchanged = disk_store.select(PREFIXES + "SELECT (COUNT(*) AS ?n) WHERE { ?e sg:socialSpace ?s }").rows
    assert unchanged[0]["n"] == Literal("1", datatype=unchanged[0]["n"].datatype)


def test_reload_that_leaves_a_point_outside_is_refused_and_changes_nothing(
        disk_store: GraphStore, tmp_path: Path) -> None:
    first_offer = offers(tmp_path, "o1,Eins,,50.05,10.05,\n")
    load_sources(disk_store, [source_for(spaces_file(tmp_path)), source_for(first_offer)])
    before = state(disk_store)
    shrunk = tiny_collection()
    for item, box in zip(shrunk["features"][:5], [(10.2, 50.2, 0.2), (10.2, 50.2, 0.1), (10.3, 50.2, 0.1),
                                                  (10.2, 50.3, 0.05), (10.25, 50.3, 0.05)], strict=True):
        item["geometry"] = square(*box)
    with pytest.raises(InputError) as caught:
        load_sources(disk_store, [source_for(spaces_file(tmp_path, shrunk))])
    assert caught.value.message.startswith(
        "offers.csv: Angebot 'o1': der Punkt (lat 50.05, lon 10.05) liegt in keinem der 5 Räume mit Fläche mit den "
        "neu geladenen Räumen")
    assert state(disk_store) == before
    assert spaces_of(disk_store) == {"o1": ("st-a1*",)}


def test_placements_restored_from_a_dump_are_placed_again(disk_store: GraphStore, memory_store: GraphStore,
                                                          tmp_path: Path) -> None:
    # A dump keeps the data and the usual provenance, not the derivation: the marks in the data still count.
    from sozialgraph.backup import dump, restore

    first_offer = offers(tmp_path, "o1,Eins,,50.05,10.05,\n")
    load_sources(disk_store, [source_for(spaces_file(tmp_path)), source_for(first_offer)])
    dump(disk_store, tmp_path / "backup.nq")
    restore(memory_store, tmp_path / "backup.nq")
    assert spaces_of(memory_store) == {"o1": ("st-a1*",)}
    moved = tiny_collection()
    moved["features"][3]["geometry"] = square(10.0, 50.1, 0.1)
    load_sources(memory_store, [source_for(spaces_file(tmp_path, moved))])
    assert spaces_of(memory_store) == {"o1": ("sr-a*",)}
