"""The store's promises: versions become visible at once, crashes leave no trace, disk survives reopen."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.store import GraphContent, GraphStore, open_store

DCT_ID = NamedNode("http://purl.org/dc/terms/identifier")


def triples(*ids: str) -> list[Triple]:
    return [Triple(NamedNode(f"http://example.org/{i}"), DCT_ID, Literal(i)) for i in ids]


def ids(store: GraphStore) -> list[str]:
    rows = store.select("SELECT ?id WHERE { ?s <http://purl.org/dc/terms/identifier> ?id } ORDER BY ?id").rows
    return [row["id"].value for row in rows]


def test_replace_and_drop(memory_store: GraphStore) -> None:
    memory_store.replace([GraphContent("a.csv", triples("1", "2"))])
    memory_store.replace([GraphContent("a.csv", triples("3"))])
    assert ids(memory_store) == ["3"]
    assert memory_store.drop(["a.csv", "missing"]) == ["a.csv"]
    assert ids(memory_store) == []
    physical = [g.value for g in memory_store.backend.graph_names()]
    assert not [g for g in physical if "a.csv" in g], "superseded versions must be removed"


def test_provenance_is_recorded(memory_store: GraphStore) -> None:
    info = memory_store.replace([GraphContent("x/a.csv", triples("1"), file_name="a.csv", sha256="ab" * 32,
                                              loader="test")])[0]
    assert info.name == "x/a.csv"
    assert info.triples == 1 and info.file_name == "a.csv" and info.sha256 == "ab" * 32
    assert info.loaded_at and info.loaded_at.endswith("Z")


def test_interrupted_load_leaves_previous_data(tmp_path: Path) -> None:
    settings = Settings(store_path=tmp_path / "s", base_uri=DEFAULT_BASE_URI)
    store = open_store(settings)
    store.replace([GraphContent("a.csv", triples("old"))])
    # A load that died after writing its graph but before the commit:
    orphan = NamedNode(store.graph_iri("a.csv").value + "/v/99999999999999999999")
    store.backend.write_graph(orphan, triples("new"))
    store.close()
    reopened = open_store(settings)
    assert ids(reopened) == ["old"]
    assert orphan not in reopened.backend.graph_names()
    reopened.close()


def test_vocabulary_is_in_the_store_and_not_reloaded_needlessly(tmp_path: Path) -> None:
    settings = Settings(store_path=tmp_path / "s", base_uri=DEFAULT_BASE_URI)
    store = open_store(settings)
    first = store.graphs()[0]
    store.close()
    store = open_store(settings)
    assert store.graphs()[0].version == first.version
    assert store.ask("ASK { <https://w3id.org/sozialgraph/code/field-of-action/HF1> ?p ?o }")
    store.close()


def test_quads_use_logical_graph_names(memory_store: GraphStore) -> None:
    memory_store.replace([GraphContent("a.csv", triples("1"))])
    graphs = {quad.graph_name.value for quad in memory_store.quads(include_vocabulary=False)}
    assert graphs == {f"{DEFAULT_BASE_URI}graph/a.csv"}


def test_export_round_trip(memory_store: GraphStore, tmp_path: Path) -> None:
    from pyoxigraph import serialize

    memory_store.replace([GraphContent("a.csv", triples("1", "2"))])
    path = tmp_path / "all.nq"
    path.write_bytes(serialize(memory_store.quads(), format=RdfFormat.N_QUADS))
    assert len(list(parse(path.read_bytes(), format=RdfFormat.N_QUADS))) == memory_store.triple_count()
