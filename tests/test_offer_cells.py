"""The derived offer cells: the gap queries' "is there an offer here" stays right through every kind of change."""

from __future__ import annotations

from pathlib import Path

import pytest

from loaders import load_sources, source_for
from sozialgraph.completeness import COMPLETENESS_GRAPHS
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.offer_cells import CELL_GRAPHS, CELLS_GRAPH, INTERNAL_CELLS_GRAPH
from sozialgraph.space_closure import drop_sources
from sozialgraph.store import GraphStore, open_store
from tests.conftest import assert_cli_derives_once

PREFIXES = "PREFIX sg: <https://w3id.org/sozialgraph/ontology#>\nPREFIX dct: <http://purl.org/dc/terms/>\n"
CELLS = PREFIXES + """SELECT ?space ?field ?group WHERE {
  ?s sg:offerCell ?cell . ?cell sg:cellFieldOfAction ?f ; sg:cellTargetGroup ?g .
  ?s dct:identifier ?space . ?f dct:identifier|<http://www.w3.org/2004/02/skos/core#notation> ?field .
  ?g <http://www.w3.org/2004/02/skos/core#notation> ?group .
}"""
OFFERS = PREFIXES + """SELECT DISTINCT ?space ?field ?group WHERE {
  ?offer a sg:Offer ; sg:fieldOfAction ?f ; sg:targetGroup ?g ; sg:socialSpace ?inside .
  ?inside sg:withinSpace ?s .
  ?s dct:identifier ?space . ?f dct:identifier|<http://www.w3.org/2004/02/skos/core#notation> ?field .
  ?g <http://www.w3.org/2004/02/skos/core#notation> ?group .
}"""


def triples(store: GraphStore, query: str, include_internal: bool) -> set[tuple[str, str, str]]:
    rows = store.select(query, include_internal=include_internal).rows
    return {(row["space"].value, row["field"].value, row["group"].value) for row in rows}


def assert_cells_match_offers(store: GraphStore) -> None:
    for include_internal in (True, False):
        assert triples(store, CELLS, include_internal) == triples(store, OFFERS, include_internal)


@pytest.fixture
def store(towns_copy: Path) -> GraphStore:
    opened = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    load_sources(opened, [source_for(path) for path in sorted(towns_copy.iterdir())])
    return opened


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_family_offer_in_a_district_counts_for_its_social_space_and_town(store: GraphStore) -> None:
    cells = triples(store, CELLS, True)
    assert {("ka-st1", "HF4", "kinder"), ("ka-sr1", "HF4", "kinder"), ("ka", "HF4", "kinder")} <= cells
    assert ("ka-sr2", "HF4", "kinder") not in cells
    assert_cells_match_offers(store)


def test_reloading_the_offers_or_the_spaces_alone_updates_the_cells(store: GraphStore, towns_copy: Path) -> None:
    offers = towns_copy / "offers.csv"
    edit(offers, "familien;kinder,ka-st1", "familien,ka-sr2")  # o1: no longer for children, moved south
    load_sources(store, [source_for(offers)])
    assert ("ka-sr1", "HF4", "kinder") not in triples(store, CELLS, True)
    assert ("ka-sr2", "HF4", "familien") in triples(store, CELLS, True)
    assert_cells_match_offers(store)
    edit(towns_copy / "spaces.csv", "ka-st2,A-Hafen,stadtteil,ka-sr1", "ka-st2,A-Hafen,stadtteil,ka-sr2")
    load_sources(store, [source_for(towns_copy / "spaces.csv")])
    assert ("ka-sr2", "HF4", "familien") in triples(store, CELLS, True)
    assert_cells_match_offers(store)
    assert drop_sources(store, [source_for(offers).name]) == [source_for(offers).name]
    assert triples(store, CELLS, True) == set()
    assert not {CELLS_GRAPH, INTERNAL_CELLS_GRAPH} & {info.name for info in store.graphs()}


def test_an_internal_offer_fills_a_gap_for_planners_only(store: GraphStore, towns_copy: Path) -> None:
    offers = towns_copy / "offers.csv"
    with offers.open("a", encoding="utf-8") as out:
        out.write("o-geheim,Schutzwohnung,beratungsstelle,p-awo,HF5,frauen,ka-st2,Weg 9,,,lsz,2020-01-01,,"
                  "internal,Test\n")
    load_sources(store, [source_for(offers)])
    assert ("ka-sr1", "HF5", "frauen") in triples(store, CELLS, True)
    assert not any(field == "HF5" and group == "frauen" for _, field, group in triples(store, CELLS, False))
    graphs = {info.name: info for info in store.graphs()}
    assert graphs[INTERNAL_CELLS_GRAPH].internal and not graphs[CELLS_GRAPH].internal
    assert_cells_match_offers(store)


def test_a_load_without_offers_or_spaces_keeps_the_cells_as_they_are(store: GraphStore, towns_copy: Path) -> None:
    before = {info.name: info for info in store.graphs()}[CELLS_GRAPH]
    edit(towns_copy / "indicators.csv", "ka-sr1,einwohner-unter-18,2023,1200", "ka-sr1,einwohner-unter-18,2023,1300")
    load_sources(store, [source_for(towns_copy / "indicators.csv")])
    assert {info.name: info for info in store.graphs()}[CELLS_GRAPH].version == before.version


def test_an_rdf_file_that_adds_a_target_group_to_an_offer_adds_its_cells(store: GraphStore, tmp_path: Path) -> None:
    extra = tmp_path / "extra" / "zielgruppen.ttl"
    extra.parent.mkdir()
    extra.write_text(f"<{DEFAULT_BASE_URI}offer/o3> <https://w3id.org/sozialgraph/ontology#targetGroup> "
                     "<https://w3id.org/sozialgraph/code/target-group/pflegende-angehoerige> .\n", encoding="utf-8")
    load_sources(store, [source_for(extra)])
    assert ("ka-sr2", "HF6", "pflegende-angehoerige") in triples(store, CELLS, True)
    assert_cells_match_offers(store)
    drop_sources(store, [source_for(extra).name])
    assert ("ka-sr2", "HF6", "pflegende-angehoerige") not in triples(store, CELLS, True)
    assert_cells_match_offers(store)


def test_a_store_from_before_the_cells_gets_them_when_opened(towns_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    with_cells = open_store(Settings(store_path=path, base_uri=DEFAULT_BASE_URI))
    load_sources(with_cells, [source_for(csv) for csv in sorted(towns_copy.iterdir())])
    expected = triples(with_cells, CELLS, True)
    # What an older version left behind: no cells, nor what this version derives beside them.
    with_cells.replace([], drop=sorted(CELL_GRAPHS | COMPLETENESS_GRAPHS))
    assert triples(with_cells, CELLS, True) == set()
    with_cells.close()
    assert_cli_derives_once(path, "Angebotszellen")
    reopened = open_store(Settings(store_path=path, base_uri=DEFAULT_BASE_URI))
    assert triples(reopened, CELLS, True) == expected != set()
    assert_cells_match_offers(reopened)
    reopened.close()
