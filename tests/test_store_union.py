"""Reads over the union default graph: used only when it is exactly the current data, and never a mix of loads."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from pyoxigraph import Literal, NamedNode, Quad, Store

from bench.examples import ERFURT_ENTITIES, example_values
from sozialgraph.catalog import Catalog, SavedQuery
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.store import GraphContent, GraphStore, SelectResult, open_store
from sozialgraph.store.backend import META_GRAPH_SUFFIX
from sozialgraph.store.embedded import META_DIRECTORY, EmbeddedBackend
from tests.test_store import ids, triples

CATALOG = Catalog()


def required_values(query: SavedQuery) -> dict[str, str]:
    return example_values(query, ERFURT_ENTITIES)


def _reads_meta(default_graphs: Sequence[NamedNode] | None) -> bool:
    return default_graphs is not None and default_graphs[0].value.endswith(META_GRAPH_SUFFIX)


class RecordingBackend(EmbeddedBackend):
    """The real in-memory backend, noting which default graph each read asked for."""

    def __init__(self) -> None:
        super().__init__(None)
        self.reads: list[Sequence[NamedNode] | None] = []

    def select(self, query: str, default_graphs: Sequence[NamedNode] | None) -> SelectResult:
        if not _reads_meta(default_graphs):
            self.reads.append(default_graphs)
        return super().select(query, default_graphs)


def test_reads_use_the_union_only_when_it_is_exactly_the_graphs_asked_for() -> None:
    backend = RecordingBackend()
    store = GraphStore(backend, DEFAULT_BASE_URI)
    store.replace([GraphContent("a.csv", triples("1")),
                   GraphContent("a.csv/internal", triples("geheim"), internal=True)])
    backend.reads.clear()
    assert ids(store) == ["1", "geheim"]
    assert backend.reads == [None]
    backend.reads.clear()
    public = store.select("SELECT ?id WHERE { ?s <http://purl.org/dc/terms/identifier> ?id }",
                          include_internal=False)
    assert [row["id"].value for row in public.rows] == ["1"]
    assert backend.reads and backend.reads[-1] is not None, "the internal graph must be left out by name"
    store.drop(["a.csv/internal"])
    backend.reads.clear()
    store.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1", include_internal=False)
    assert backend.reads[-1] is None, "nothing internal left to hide: the union is the public data"
    store.close()


class PausingBackend(EmbeddedBackend):
    """One union read, once chosen, waits until a writer has written its new graph but not committed it: the
    union then holds the old and the new version."""

    def __init__(self) -> None:
        super().__init__(None)
        self.pause_next_union = False
        self.union_chosen = threading.Event()
        self.graph_written = threading.Event()
        self.reads: list[Sequence[NamedNode] | None] = []

    def select(self, query: str, default_graphs: Sequence[NamedNode] | None) -> SelectResult:
        if default_graphs is None and self.pause_next_union:
            self.pause_next_union = False
            self.union_chosen.set()
            assert self.graph_written.wait(timeout=30)
        if not _reads_meta(default_graphs):
            self.reads.append(default_graphs)
        return super().select(query, default_graphs)

    def write_graph(self, graph: NamedNode, triples: object) -> int:
        count = super().write_graph(graph, triples)  # type: ignore[arg-type]
        self.graph_written.set()
        return count


def test_a_union_read_overlapping_a_write_is_read_again_by_name() -> None:
    backend = PausingBackend()
    store = GraphStore(backend, DEFAULT_BASE_URI)
    store.replace([GraphContent("a.csv", triples("alt"))])
    backend.graph_written.clear()
    backend.reads.clear()
    backend.pause_next_union = True
    seen: list[list[str]] = []
    reader = threading.Thread(target=lambda: seen.append(ids(store)))
    reader.start()
    assert backend.union_chosen.wait(timeout=30)
    writer = threading.Thread(target=lambda: store.replace([GraphContent("a.csv", triples("neu"))]))
    writer.start()
    reader.join(timeout=30)
    writer.join(timeout=30)
    assert seen in ([["alt"]], [["neu"]]), f"old or new data, never a mix: {seen}"
    assert backend.reads[0] is None and backend.reads[1] is not None, "the overlapped union read is repeated"
    assert ids(store) == ["neu"]
    store.close()


def test_every_saved_query_answers_the_same_over_the_union_and_over_named_graphs(
        erfurt_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    by_union = {query.name: CATALOG.run(erfurt_store, query.name, required_values(query)).rows
                for query in CATALOG.queries()}
    monkeypatch.setattr(erfurt_store.backend, "union_is_data_only", False)
    erfurt_store._versions = None
    for query in CATALOG.queries():
        by_name = CATALOG.run(erfurt_store, query.name, required_values(query)).rows
        assert by_union[query.name] == by_name, query.name
    erfurt_store._versions = None


def test_a_store_from_before_the_meta_store_is_moved_over_on_open(tmp_path: Path) -> None:
    path = tmp_path / "store"
    settings = Settings(store_path=path, base_uri=DEFAULT_BASE_URI)
    store = open_store(settings)
    store.replace([GraphContent("a.csv", triples("1"))])
    meta = list(store.backend.graph_triples(store.meta_graph))
    store.close()
    # Rebuild the old layout: the meta graph among the data graphs, no meta store.
    old = Store(str(path))
    old.extend([Quad(t.subject, t.predicate, t.object, NamedNode(f"{DEFAULT_BASE_URI}graph/_meta")) for t in meta])
    old.flush()
    del old
    for child in (path / META_DIRECTORY).iterdir():
        child.unlink()
    (path / META_DIRECTORY).rmdir()

    snapshot = GraphStore(EmbeddedBackend.read_only(path), DEFAULT_BASE_URI, maintain=False)
    assert ids(snapshot) == ["1"], "a read-only snapshot of the old layout still reads"
    snapshot.close()
    reopened = open_store(settings)
    assert ids(reopened) == ["1"]
    assert reopened.meta_graph not in reopened.backend._store.named_graphs()
    assert reopened.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"] == Literal(
        str(reopened.triple_count()), datatype=NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    reopened.close()


def test_meta_graph_quads_stay_out_of_the_data(memory_store: GraphStore) -> None:
    memory_store.replace([GraphContent("a.csv", triples("1"))])
    rows = memory_store.select("SELECT ?s WHERE { ?s a <http://www.w3.org/ns/prov#Entity> }").rows
    assert rows == []
    with pytest.raises(ValueError):
        memory_store.backend.commit([Quad(NamedNode("http://example.org/x"), NamedNode("http://example.org/p"),
                                          Literal("y"), NamedNode("http://example.org/g"))])
