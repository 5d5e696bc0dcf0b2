"""The rows each load derives answer `overlaps` and `network-supply` exactly as joining every offer at query time
did (tests/queries/direct), on both access levels, through loads, partial reloads, drops and old stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Literal, NamedNode, Triple

from loaders import source_for
from sozialgraph.catalog import Catalog
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.namespaces import DCT, SG
from sozialgraph.overlap_rows import INTERNAL_OVERLAPS_GRAPH, OVERLAP_GRAPHS, OVERLAPS_GRAPH
from sozialgraph.params import QueryParameterError
from sozialgraph.space_closure import drop_sources
from sozialgraph.store import GraphContent, GraphStore, open_store
from sozialgraph.supply_rows import INTERNAL_SUPPLY_GRAPH, SUPPLY_GRAPHS
from tests.conftest import assert_cli_derives_once, load_files, server_and_memory_stores, write_with_derived
from tests.planted import planted_graphs

SAVED = Catalog()
DIRECT = Catalog(Path(__file__).parent / "queries" / "direct")
OVERLAPS = [
    {},
    {"min_providers": "1"},
    {"level": "stadtteil", "min_offers": "3", "min_providers": "1"},
    {"level": "kommune", "min_providers": "1"},
    {"level": "kommune", "municipality": "erfurt"},
    {"level": "stadtteil", "field_of_action": "HF4", "min_providers": "1"},
]
SUPPLY = "network-supply"
EXAMPLES = [("overlaps", values) for values in OVERLAPS] + [(SUPPLY, {})]
TOWNS = [("overlaps", {"level": "kommune", "min_providers": "1"}), (SUPPLY, {})]
"""Queries whose answers are not empty on the two towns (fixtures/towns)."""


def rows(catalog: Catalog, store: GraphStore, internal: bool, values: dict[str, str],
         name: str = "overlaps") -> list[dict[str, Any]]:
    # The catalogue sorts the ids in `_ids` columns, which GROUP_CONCAT gives in any order.
    found = catalog.run(store, name, values, include_internal=internal).rows
    return sorted(found, key=lambda row: [str(value) for value in row.values()])


def assert_same_as_direct(store: GraphStore, values: dict[str, str] | None = None,
                          name: str = "overlaps") -> list[dict[str, Any]]:
    """Both levels agree with the direct query; returns the planners' rows."""
    for internal in (False, True):
        saved = rows(SAVED, store, internal, values or {}, name)
        assert saved == rows(DIRECT, store, internal, values or {}, name), f"{name}, internal={internal}"
    return rows(SAVED, store, True, values or {}, name)


def assert_all_same_as_direct(store: GraphStore, cases: list[tuple[str, dict[str, str]]]) -> list[list[Any]]:
    return [assert_same_as_direct(store, values, name) for name, values in cases]


def offer(identifier: str) -> NamedNode:
    return NamedNode(f"{DEFAULT_BASE_URI}offer/{identifier}")


@pytest.mark.parametrize(("name", "values"), EXAMPLES,
                         ids=[name + "".join(f",{k}={v}" for k, v in values.items()) for name, values in EXAMPLES])
def test_the_example_data_gives_the_direct_answer(erfurt_store: GraphStore, name: str, values: dict[str, str]) -> None:
    assert_same_as_direct(erfurt_store, values, name)


def test_the_example_data_has_overlaps_and_supply(erfurt_store: GraphStore) -> None:
    assert all(assert_all_same_as_direct(erfurt_store, TOWNS))


@pytest.mark.parametrize(("seed", "kinds"), [(11, ("offer",)), (5, ("offer", "plan")), (23, ("offer", "plan", "space")),
                                            (7, ("offer",))])
def test_offers_split_over_sources_and_internal_graphs(memory_store: GraphStore, seed: int,
                                                       kinds: tuple[str, ...]) -> None:
    """A quarter of the offers (and plans and spaces, in turn), and some providers of the others, are internal;
    the planted graphs also split an entity's facts over two sources and leave some out. Internal offers alone
    change only the rows they count in; internal plans and spaces make the planners' rows counted afresh."""
    graphs = planted_graphs(seed=seed, size=160, error_rate=0.1)
    every = graphs["planted-a"] + graphs["planted-b"]
    hidden = {triple for triple in every if _hidden(triple, kinds)}
    public = [triple for triple in every if triple not in hidden]
    internal = GraphContent("b", sorted(hidden, key=str), internal=True)
    write_with_derived(memory_store, [GraphContent("a", public), internal])
    cases = [("overlaps", {"level": level, "min_providers": "1"}) for level in ("sozialraum", "stadtteil", "kommune")]
    cases.append((SUPPLY, {}))
    assert any(assert_all_same_as_direct(memory_store, cases))
    assert [name for name, values in cases
            if rows(SAVED, memory_store, False, values, name) != rows(SAVED, memory_store, True, values, name)]
    assert {INTERNAL_OVERLAPS_GRAPH, INTERNAL_SUPPLY_GRAPH} <= {info.name for info in memory_store.graphs()}
    # A reload of one source: the other's offers and plans now come from the store.
    write_with_derived(memory_store, [GraphContent("a", public[::2])])
    assert_all_same_as_direct(memory_store, cases)
    assert drop_sources(memory_store, ["b"]) == ["b"]
    assert_all_same_as_direct(memory_store, cases)
    assert not {INTERNAL_OVERLAPS_GRAPH, INTERNAL_SUPPLY_GRAPH} & {info.name for info in memory_store.graphs()}


def _hidden(triple: Triple, kinds: tuple[str, ...]) -> bool:
    subject = triple.subject.value
    if not any(f"/{kind}/" in subject for kind in kinds):
        return False
    return subject.endswith(("0", "3")) or (triple.predicate == SG.provider and subject.endswith("5"))


def test_an_id_from_another_file_shows_until_that_file_goes(memory_store: GraphStore, towns_copy: Path,
                                                            tmp_path: Path) -> None:
    load_files(memory_store, sorted(towns_copy.iterdir()))
    values = {"level": "kommune", "min_providers": "1"}
    before = assert_same_as_direct(memory_store, values)
    assert any("o1" in row["offer_ids"].split(";") for row in before)
    extra = tmp_path / "extra" / "ids.nt"
    extra.parent.mkdir()
    extra.write_text(f'{offer("o1")} <{DCT.identifier.value}> "o1-alt" .\n', encoding="utf-8")
    load_files(memory_store, [extra])
    assert any("o1-alt" in row["offer_ids"].split(";") for row in assert_same_as_direct(memory_store, values))
    drop_sources(memory_store, [source_for(extra).name])
    assert assert_same_as_direct(memory_store, values) == before


def test_an_internal_provider_changes_the_rows_for_planners_only(memory_store: GraphStore, towns_copy: Path) -> None:
    load_files(memory_store, sorted(towns_copy.iterdir()))
    before = assert_all_same_as_direct(memory_store, TOWNS)
    provider = NamedNode(f"{DEFAULT_BASE_URI}actor/intern-traeger")
    internal = [Triple(offer("o1"), SG.provider, provider), Triple(provider, DCT.identifier, Literal("intern-traeger")),
                Triple(offer("o-intern"), DCT.identifier, Literal("o-intern"))]
    write_with_derived(memory_store, [GraphContent("intern.ttl", internal, internal=True)])
    planners = assert_all_same_as_direct(memory_store, TOWNS)
    assert [rows(SAVED, memory_store, False, values, name) for name, values in TOWNS] == before
    assert all(now != then for now, then in zip(planners, before, strict=True))
    names = {info.name for info in memory_store.graphs()}
    assert {OVERLAPS_GRAPH, INTERNAL_OVERLAPS_GRAPH, INTERNAL_SUPPLY_GRAPH} <= names


def test_one_offer_is_no_overlap(erfurt_store: GraphStore) -> None:
    with pytest.raises(QueryParameterError, match="ganze Zahl ab 2"):
        SAVED.run(erfurt_store, "overlaps", {"min_offers": "1"})


def test_a_store_from_before_the_rows_gets_them_when_opened(towns_copy: Path, tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = open_store(Settings(store_path=path, base_uri=DEFAULT_BASE_URI))
    load_files(store, sorted(towns_copy.iterdir()))
    expected = assert_all_same_as_direct(store, TOWNS)
    store.replace([], drop=sorted(OVERLAP_GRAPHS | SUPPLY_GRAPHS))  # what an older version left behind
    assert [rows(SAVED, store, True, values, name) for name, values in TOWNS] == [[], []]
    store.close()
    assert_cli_derives_once(path, "Parallelstrukturen")
    reopened = open_store(Settings(store_path=path, base_uri=DEFAULT_BASE_URI))
    assert assert_all_same_as_direct(reopened, TOWNS) == expected
    assert all(expected)
    reopened.close()


@pytest.mark.server
@pytest.mark.parametrize("kind", ["oxigraph", "virtuoso"])
def test_reloads_on_a_sparql_server_give_the_embedded_rows(request: pytest.FixtureRequest, towns_copy: Path,
                                                           tmp_path: Path, kind: str) -> None:
    """A reload of one file reads the kept graphs' offers and ids from the server."""
    base, stores = server_and_memory_stores(request, kind, "overlaps")
    extra = tmp_path / "extra" / "ids.nt"
    extra.parent.mkdir()
    extra.write_text(f'<{base}offer/o2> <{DCT.identifier.value}> "o2-alt" .\n', encoding="utf-8")
    for store in stores:
        load_files(store, sorted(towns_copy.iterdir()))
        load_files(store, [extra])
    remote, embedded = stores
    for internal in (False, True):
        for name, values in TOWNS:
            found = rows(SAVED, remote, internal, values, name)
            assert found == rows(SAVED, embedded, internal, values, name) == rows(DIRECT, embedded, internal, values,
                                                                                  name) != []
        assert any("o2-alt" in row["offer_ids"].split(";") for row in rows(SAVED, remote, internal, TOWNS[0][1]))
    for store in stores:
        store.close()
