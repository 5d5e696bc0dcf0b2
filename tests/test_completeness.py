"""The completeness rows each load derives answer `incomplete-entities` exactly as checking every entry at query
time did (tests/queries/direct), on both access levels, through loads, partial reloads, drops and old stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from loaders import source_for
from sozialgraph.catalog import Catalog
from sozialgraph.completeness import CANDIDATES_GRAPH, COMPLETENESS_GRAPHS, INTERNAL_ROWS_GRAPH, ROWS_GRAPH
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.namespaces import RDFS
from sozialgraph.space_closure import drop_sources
from sozialgraph.store import GraphContent, GraphStore, open_store
from tests.conftest import assert_cli_derives_once, load_files, server_and_memory_stores, write_with_derived
from tests.planted import planted_graphs

SAVED = Catalog()
DIRECT = Catalog(Path(__file__).parent / "queries" / "direct")
NAME = "incomplete-entities"


def rows(catalog: Catalog, store: GraphStore, internal: bool, values: dict[str, str]) -> list[dict[str, Any]]:
    found = catalog.run(store, NAME, values, include_internal=internal).rows
    return sorted(found, key=lambda row: [str(value) for value in row.values()])


def assert_same_as_direct(store: GraphStore, values: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Both levels agree with the direct check; returns the planners' rows."""
    for internal in (False, True):
        saved = rows(SAVED, store, internal, values or {})
        assert saved == rows(DIRECT, store, internal, values or {}), f"internal={internal}"
    return rows(SAVED, store, True, values or {})


def test_the_example_data_gives_the_direct_answer(erfurt_store: GraphStore) -> None:
    found = assert_same_as_direct(erfurt_store)
    assert found, "the example data has incomplete entries (it is meant to show the check)"
    assert assert_same_as_direct(erfurt_store, {"municipality": "erfurt"}) != []


@pytest.mark.parametrize("seed", [11, 5, 23])
def test_facts_split_over_sources_and_internal_graphs(memory_store: GraphStore, seed: int) -> None:
    """Entries typed in one source get their fields from another; one source is internal."""
    graphs = planted_graphs(seed=seed, size=120, error_rate=0.3)
    write_with_derived(memory_store, [GraphContent("a", graphs["planted-a"], internal=True),
                                      GraphContent("b", graphs["planted-b"])])
    public, planners = (rows(SAVED, memory_store, internal, {}) for internal in (False, True))
    assert public and planners and public != planners
    assert_same_as_direct(memory_store)
    # A reload of one source: the other's statements now come from the store.
    write_with_derived(memory_store, [GraphContent("b", graphs["planted-b"][::2])])
    assert_same_as_direct(memory_store)
    assert drop_sources(memory_store, ["a"]) == ["a"]
    assert_same_as_direct(memory_store)
    assert INTERNAL_ROWS_GRAPH not in {info.name for info in memory_store.graphs()}


def test_a_field_from_another_file_completes_an_entry_until_that_file_goes(memory_store: GraphStore, towns_copy: Path,
                                                                         tmp_path: Path) -> None:
    offers = towns_copy / "offers.csv"
    offers.write_text(offers.read_text(encoding="utf-8").replace("o1,Familienberatung Altstadt,", "o1,,"),
                      encoding="utf-8")
    load_files(memory_store, sorted(towns_copy.iterdir()))
    unnamed = [row for row in assert_same_as_direct(memory_store) if row["missing"] == "name"]
    assert [row["entity_ids"] for row in unnamed] == ["o1"]
    extra = tmp_path / "extra" / "namen.ttl"
    extra.parent.mkdir()
    extra.write_text(f'<{DEFAULT_BASE_URI}offer/o1> <http://www.w3.org/2000/01/rdf-schema#label> "Beratung"@de .\n',
                     encoding="utf-8")
    load_files(memory_store, [extra])
    assert not [row for row in assert_same_as_direct(memory_store) if row["missing"] == "name"]
    drop_sources(memory_store, [source_for(extra).name])
    assert [row for row in assert_same_as_direct(memory_store) if row["missing"] == "name"] == unnamed


def test_an_internal_row_completes_a_public_entry_for_planners_only(memory_store: GraphStore, towns_copy: Path) -> None:
    offers = towns_copy / "offers.csv"
    offers.write_text(offers.read_text(encoding="utf-8").replace("o1,Familienberatung Altstadt,", "o1,,"),
                      encoding="utf-8")
    load_files(memory_store, sorted(towns_copy.iterdir()))
    named = Triple(NamedNode(f"{DEFAULT_BASE_URI}offer/o1"), RDFS.label, Literal("Beratung intern", language="de"))
    write_with_derived(memory_store, [GraphContent("intern.ttl", [named], internal=True)])
    assert_same_as_direct(memory_store)
    public = [row for row in rows(SAVED, memory_store, False, {}) if row["missing"] == "name"]
    planners = [row for row in rows(SAVED, memory_store, True, {}) if row["missing"] == "name"]
    assert [row["entity_ids"] for row in public] == ["o1"] and planners == []


def test_a_store_from_before_the_rows_gets_them_when_opened(towns_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = open_store(Settings(store_path=path, base_uri=DEFAULT_BASE_URI))
    load_files(store, sorted(towns_copy.iterdir()))
    expected = assert_same_as_direct(store)
    store.replace([], drop=sorted(COMPLETENESS_GRAPHS))  # what an older version left behind
    assert rows(SAVED, store, True, {}) == []
    store.close()
    assert_cli_derives_once(path, "Vollständigkeit")
    reopened = open_store(Settings(store_path=path, base_uri=DEFAULT_BASE_URI))
    assert assert_same_as_direct(reopened) == expected != []
    names = {info.name: info for info in reopened.graphs()}
    assert names[CANDIDATES_GRAPH].internal and not names[ROWS_GRAPH].internal


@pytest.mark.server
@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_reloads_on_a_sparql_server_give_the_embedded_rows(request: pytest.FixtureRequest, towns_copy: Path,
                                                           tmp_path: Path, kind: str) -> None:
    """A reload of one file reads what the kept graphs say about the candidates from the server."""
    base, stores = server_and_memory_stores(request, kind, "completeness")
    offers = towns_copy / "offers.csv"
    extra = tmp_path / "extra" / "namen.ttl"
    extra.parent.mkdir()
    extra.write_text(f'<{base}offer/o2> <http://www.w3.org/2000/01/rdf-schema#label> "Beratung"@de .\n',
                     encoding="utf-8")
    for store in stores:
        load_files(store, sorted(towns_copy.iterdir()))
    offers.write_text(offers.read_text(encoding="utf-8").replace("o1,Familienberatung Altstadt,", "o1,,")
                      .replace("o2,Familienberatung Hafen,", "o2,,"), encoding="utf-8")
    for store in stores:
        load_files(store, [offers])
        load_files(store, [extra])
    remote, embedded = stores
    for internal in (False, True):
        found = rows(SAVED, remote, internal, {})
        assert found == rows(SAVED, embedded, internal, {}) == rows(DIRECT, embedded, internal, {})
        assert [row["entity_ids"] for row in found if row["missing"] == "name"] == ["o1"]
    for store in stores:
        store.close()


def test_a_space_page_does_not_list_the_rows_that_count_in_it(erfurt_store: GraphStore) -> None:
    from api.entity import describe

    counted = [row for row in assert_same_as_direct(erfurt_store) if row["social_space"]]
    assert counted
    space = erfurt_store.select('PREFIX dct: <http://purl.org/dc/terms/> SELECT ?s WHERE { ?s dct:identifier '
                                f'"{counted[0]["social_space"]}" }}').rows[0]["s"].value
    entity = describe(erfurt_store, space, include_internal=True)
    assert entity is not None and entity.links
    assert not [link for link in entity.links if link.subject.startswith("urn:sozialgraph:completeness:")]
