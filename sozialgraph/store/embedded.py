"""Embedded backend: pyoxigraph on disk (RocksDB, crash-safe transactions) or in memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence, Sized
from pathlib import Path
from typing import BinaryIO

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    serialize,
)

from sozialgraph.errors import SozialgraphError
from sozialgraph.store import limits
from sozialgraph.store.backend import META_GRAPH_SUFFIX, SelectResult, Term
from sozialgraph.store.ntriples import NTriples

BULK_THRESHOLD = 5_000
BULK_CHUNK = 200_000


META_DIRECTORY = "meta"


class EmbeddedBackend:
    """Data graphs in one pyoxigraph store, the meta graph in a second one beside it.

    Kept apart, the union of all named graphs of the data store is exactly the current data whenever no load is
    in flight, so queries can read Oxigraph's union default graph instead of a list of graphs (5-7x faster at
    state scale). The commit that makes a load visible is still one transaction, now in the meta store.
    """

    _read_only = False
    _bulk_written = False
    """Set by a bulk write: its files overlap every other graph's in the indexes union reads scan, until compacted."""
    union_is_data_only = True

    def __init__(self, path: Path | None) -> None:
        if path is None:
            self._store = Store()
            self._meta = Store()
            return
        path.mkdir(parents=True, exist_ok=True)
        self._store = _open(path)
        self._meta = _open(path / META_DIRECTORY)
        self._move_meta_out_of_data()

    @classmethod
    def read_only(cls, path: Path) -> EmbeddedBackend:
        """A read-only view of a store another process has open (a snapshot as of now): for backups."""
        backend = cls.__new__(cls)
        try:
            backend._store = Store.read_only(str(path))
            meta = path / META_DIRECTORY
            # A store written before the meta store existed keeps its meta graph among the data.
            backend._meta = Store.read_only(str(meta)) if meta.is_dir() else backend._store
        except OSError as error:
            raise SozialgraphError(f"Der Datenspeicher {path} lässt sich nicht lesen ({error}).") from error
        backend._read_only = True
        backend.union_is_data_only = backend._meta is not backend._store
        return backend

    def _move_meta_out_of_data(self) -> None:
        """Stores from before the meta store kept the meta graph among the data graphs: move it, crash-safely
        (copy in one transaction unless an interrupted earlier move already did, then remove the original)."""
        for graph in list(self._store.named_graphs()):
            if isinstance(graph, NamedNode) and graph.value.endswith(META_GRAPH_SUFFIX):
                if not self._meta.contains_named_graph(graph):
                    self._meta.extend(list(self._store.quads_for_pattern(None, None, None, graph)))
                self._store.remove_graph(graph)

    def _holder(self, graph: NamedNode) -> Store:
        return self._meta if graph.value.endswith(META_GRAPH_SUFFIX) else self._store

    def _run(self, query: str, default_graphs: Sequence[NamedNode] | None) -> object:
        if default_graphs is None:
            return self._store.query(query, use_default_graph_as_union=True)
        store = self._holder(default_graphs[0]) if len(default_graphs) == 1 else self._store
        graphs: list[NamedNode | BlankNode | DefaultGraph] = list(default_graphs)
        named: list[NamedNode | BlankNode] = list(default_graphs)
        return store.query(query, default_graph=graphs, named_graphs=named)

    def select(self, query: str, default_graphs: Sequence[NamedNode] | None) -> SelectResult:
        solutions = self._run(query, default_graphs)
        if not isinstance(solutions, QuerySolutions):
            raise SozialgraphError("Die Abfrage ist keine SELECT-Abfrage.")
        columns = [variable.value for variable in solutions.variables]
        rows: list[dict[str, Term]] = []
        for solution in solutions:
            limits.check(len(rows) + 1)
            # A solution yields its values in the order of the variables: cheaper than a lookup by name each.
            rows.append({name: value for name, value in zip(columns, solution, strict=True) if value is not None})
        return SelectResult(columns, rows)

    def ask(self, query: str, default_graphs: Sequence[NamedNode] | None) -> bool:
        result = self._run(query, default_graphs)
        if not isinstance(result, QueryBoolean):
            raise SozialgraphError("Die Abfrage ist keine ASK-Abfrage.")
        return bool(result)

    def construct(self, query: str, default_graphs: Sequence[NamedNode] | None) -> list[Triple]:
        result = self._run(query, default_graphs)
        if not isinstance(result, QueryTriples):
            raise SozialgraphError("Die Abfrage ist keine CONSTRUCT- oder DESCRIBE-Abfrage.")
        triples: list[Triple] = []
        for triple in result:
            limits.check(len(triples) + 1)
            triples.append(triple)
        return triples

    def write_graph(self, graph: NamedNode, triples: Iterable[Triple]) -> int:
        if isinstance(triples, NTriples):
            blocks = triples.blocks()
            if blocks is not None:
                if len(triples) < BULK_THRESHOLD:
                    for block in blocks:
                        self._store.load(block, format=RdfFormat.N_TRIPLES, to_graph=graph)
                else:
                    self._bulk_written = True
                    # One bulk_load per graph: each call writes and ingests its own files, so fewer calls load
                    # faster (state scale: 10 calls cost ~35% more CPU than one). The text is valid by
                    # construction (NTriples.add_statements), so Oxigraph may skip re-validating it (~8% CPU).
                    self._store.bulk_load(NTriples.stream(blocks), format=RdfFormat.N_TRIPLES, to_graph=graph,
                                          lenient=True)
                return len(triples)
        count = 0

        def quads() -> Iterator[Quad]:
            nonlocal count
            for triple in triples:
                count += 1
                yield Quad(triple.subject, triple.predicate, triple.object, graph)

        # Neither path needs to be transactional: the graph becomes visible only through `commit`.
        # A bulk write creates new files on every call, which costs ~25 ms; below a few thousand quads a plain
        # transactional extend is faster (measured: extend wins at 2,000 quads, bulk_load at 5,000 and above).
        if isinstance(triples, Sized) and len(triples) < BULK_THRESHOLD:
            self._store.extend(list(quads()))
            return count
        # Large graphs: N-Triples written and parsed by Oxigraph itself, in chunks, is ~1.5x faster than
        # bulk_extend of Python Quad objects (bench/run.py: load throughput vs bulk_load).
        chunk: list[Triple] = []
        for triple in triples:
            chunk.append(triple)
            if len(chunk) == BULK_CHUNK:
                count += self._bulk_write(graph, chunk)
                chunk = []
        if chunk:
            count += self._bulk_write(graph, chunk)
        return count

    def _bulk_write(self, graph: NamedNode, triples: list[Triple]) -> int:
        self._bulk_written = True
        # Parsing gives blank nodes new labels, which would split one blank node across chunks and graphs:
        # chunks with blank nodes (or triple terms) keep going through bulk_extend.
        if any(not isinstance(t.subject, NamedNode) or isinstance(t.object, BlankNode | Triple) for t in triples):
            self._store.bulk_extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        else:
            self._store.bulk_load(serialize(triples, format=RdfFormat.N_TRIPLES), format=RdfFormat.N_TRIPLES,
                                  to_graph=graph)
        return len(triples)

    def compact(self) -> None:
        """Merge the files bulk writes left beside each other (and drop what removed graphs left behind).

        Each bulk load adds its own sorted files; the subject-, predicate- and object-first indexes that union
        reads use then hold one overlapping run per loaded graph, and every lookup seeks in each of them. One
        compaction after the load makes lookups about twice as fast (state: 2.8 s of compaction after a 1 M
        triple load; nation: 5.3 s after 9.4 M; bench/compaction.py).
        """
        if self._bulk_written and not self._read_only:
            self._store.optimize()
            self._bulk_written = False

    def commit(self, quads: Sequence[Quad]) -> None:
        if not all(self._is_meta(quad) for quad in quads):
            raise ValueError("a commit holds quads of the meta graph only")
        self._meta.extend(quads)

    def remove_quads(self, quads: Sequence[Quad]) -> None:
        for quad in quads:
            (self._meta if self._is_meta(quad) else self._store).remove(quad)

    def drop_graph(self, graph: NamedNode) -> None:
        store = self._holder(graph)
        if store.contains_named_graph(graph):
            store.remove_graph(graph)

    def graph_names(self) -> list[NamedNode]:
        names = [graph for graph in self._store.named_graphs() if isinstance(graph, NamedNode)]
        if self._meta is not self._store:
            names.extend(graph for graph in self._meta.named_graphs() if isinstance(graph, NamedNode))
        return names

    def graph_triples(self, graph: NamedNode) -> Iterator[Triple]:
        for quad in self._holder(graph).quads_for_pattern(None, None, None, graph):
            yield quad.triple

    def dump_graph(self, graph: NamedNode, output: BinaryIO) -> None:
        # Oxigraph writes the text itself: no Python object per triple.
        self._holder(graph).dump(output, format=RdfFormat.N_TRIPLES, from_graph=graph)

    def count(self, graph: NamedNode) -> int:
        return sum(1 for _ in self._holder(graph).quads_for_pattern(None, None, None, graph))

    def close(self) -> None:
        if not self._read_only:
            self._store.flush()
            if self._meta is not self._store:
                self._meta.flush()
        del self._store, self._meta

    @staticmethod
    def _is_meta(quad: Quad) -> bool:
        return isinstance(quad.graph_name, NamedNode) and quad.graph_name.value.endswith(META_GRAPH_SUFFIX)


def _open(path: Path) -> Store:
    try:
        return Store(str(path))
    except OSError as error:
        raise SozialgraphError(
            f"Der Datenspeicher {path} lässt sich nicht öffnen ({error}). "
            "Läuft schon ein anderer sozialgraph-Prozess mit diesem Speicher?"
        ) from error
