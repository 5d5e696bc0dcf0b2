"""Logical graphs with versions: how a load becomes visible all at once, or not at all.

A source (say `offers.csv`) is one logical graph. Each load writes a new physical graph nobody reads yet, then
commits one small set of provenance quads naming it the newest version. Queries read only the newest version of
every graph, so concurrent readers see the old data or the new, never a mix; a crash before the commit leaves an
orphan graph that the next open removes, and the previous data intact.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableSequence, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO, TypeVar
from urllib.parse import quote, unquote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse

from sozialgraph.namespaces import DCT, PROV, RDF, SG, XSD, code_iri
from sozialgraph.sparql_values import bind
from sozialgraph.store.backend import META_GRAPH_SUFFIX, Backend, SelectResult, Term
from sozialgraph.store.read_write_lock import ReadWriteLock
from sozialgraph.vocabulary import vocabulary_files

_QUERIES = Path(__file__).parent / "queries"
_VERSIONS_QUERY = (_QUERIES / "versions.rq").read_text(encoding="utf-8")
_EXISTING_QUERY = (_QUERIES / "existing.rq").read_text(encoding="utf-8")
VOCABULARY_GRAPH = "_vocabulary"
INTERNAL = code_iri("access", "internal")
_Answer = TypeVar("_Answer")


@dataclass
class GraphContent:
    """A logical graph to write, with what PROV-O should say about where it came from."""

    name: str
    triples: MutableSequence[Triple]
    """The triples; loaders hand big tables over as `NTriples` text, which the embedded backend bulk-loads as is."""
    file_name: str | None = None
    source: str | None = None
    sha256: str | None = None
    loader: str = "sozialgraph"
    internal: bool = False
    generated_at: str | None = None
    """When the source was loaded; now, unless a restore keeps the original time."""
    provenance: list[tuple[NamedNode, Term]] = field(default_factory=list)
    """More facts about this version, e.g. prov:wasDerivedFrom the graphs a derived placement came from."""


Visible = Mapping[str, tuple[NamedNode, bool]]
"""Graph name -> (version, internal) of every graph a reader will see once a write commits."""
Derivation = Callable[["GraphStore", Visible], list[Triple]]
"""Computes a derived graph's triples from the graphs its readers will see."""


@dataclass
class DerivedContent(GraphContent):
    """A derived graph computed inside the write: after the other graphs' new versions are written, before the
    commit makes them visible, so it reads exactly what its readers will see and shows up in the same commit.
    It is written only when it changed, and dropped when it became empty."""

    derive: Derivation | None = None

    def compute(self, store: GraphStore, visible: Visible) -> list[Triple]:
        assert self.derive is not None
        return self.derive(store, visible)


@dataclass
class GraphInfo:
    iri: NamedNode
    name: str
    version: NamedNode
    sequence: int
    file_name: str | None = None
    source: str | None = None
    loaded_at: str | None = None
    triples: int = 0
    sha256: str | None = None
    loader: str | None = None
    internal: bool = False
    deleted: bool = False

    def as_dict(self) -> dict[str, object]:
        return {
            "name": self.name,
            "graph": self.iri.value,
            "source": self.source or self.file_name,
            "file_name": self.file_name,
            "loaded_at": self.loaded_at,
            "triples": self.triples,
            "sha256": self.sha256,
            "loader": self.loader,
            "access": "internal" if self.internal else "public",
        }


@dataclass
class _Versions:
    current: dict[str, GraphInfo] = field(default_factory=dict)
    stale: list[GraphInfo] = field(default_factory=list)
    physical: frozenset[str] = frozenset()
    """Every data graph the backend holds: when these are exactly the graphs a query reads, it reads the union."""


class GraphStore:
    """The one store interface the rest of sozialgraph uses, over any `Backend`."""

    def __init__(self, backend: Backend, base_uri: str, maintain: bool = True) -> None:
        self.backend = backend
        self.base_uri = base_uri
        self.meta_graph = NamedNode(f"{base_uri}{META_GRAPH_SUFFIX}")
        self._versions: _Versions | None = None
        self._generation = 0
        """Counts invalidations: a version lookup that overlapped one is returned but never cached."""
        self._cache_lock = threading.Lock()
        self._writers = 0
        self._dropping = ReadWriteLock()
        """Reads share it; dropping superseded graphs takes it alone, so no read loses a graph it is reading."""
        self._writes_started = 0
        """Counts writes begun: a union read that overlapped one may have seen half a load, and is read again."""
        self._sequence = 0
        if maintain:  # False for a read-only snapshot: it shows the current versions and writes nothing
            self.collect_garbage()
            self.ensure_vocabulary()

    # --- names -------------------------------------------------------------------------------------------
    def graph_iri(self, name: str) -> NamedNode:
        return NamedNode(f"{self.base_uri}graph/{quote(name, safe='-._~/')}")

    def graph_name(self, iri: NamedNode) -> str:
        prefix = f"{self.base_uri}graph/"
        return unquote(iri.value.removeprefix(prefix))

    # --- reading -----------------------------------------------------------------------------------------
    def _invalidate(self) -> None:
        with self._cache_lock:
            self._generation += 1
            self._versions = None

    def _load_versions(self) -> _Versions:
        cached = self._versions
        if cached is not None:
            return cached
        generation = self._generation
        physical: frozenset[str] = frozenset()
        if self.backend.union_is_data_only:
            physical = frozenset(graph.value for graph in self.backend.graph_names()) - {self.meta_graph.value}
        result = self.backend.select(_VERSIONS_QUERY, [self.meta_graph])
        newest: dict[str, GraphInfo] = {}
        every: list[GraphInfo] = []
        for row in result.rows:
            info = _info_from_row(row, self)
            every.append(info)
            known = newest.get(info.iri.value)
            if known is None or (info.sequence, info.version.value) > (known.sequence, known.version.value):
                newest[info.iri.value] = info
        current = {key: info for key, info in newest.items() if not info.deleted}
        kept = {info.version.value for info in newest.values()}
        stale = [info for info in every if info.version.value not in kept]
        versions = _Versions(current, stale, physical)
        with self._cache_lock:
            if self._generation == generation:
                self._versions = versions
        return versions

    def graphs(self, include_internal: bool = True) -> list[GraphInfo]:
        infos = self._load_versions().current.values()
        return sorted(
            (info for info in infos if include_internal or not info.internal), key=lambda info: info.name
        )

    def default_graphs(self, include_internal: bool = True, include_vocabulary: bool = True) -> list[NamedNode]:
        return [info.version for info in self.graphs(include_internal)
                if include_vocabulary or info.name != VOCABULARY_GRAPH]

    def select(
        self,
        query: str,
        bindings: Sequence[Mapping[str, Term | None]] | None = None,
        include_internal: bool = True,
        include_vocabulary: bool = True,
    ) -> SelectResult:
        text = bind(query, bindings) if bindings else query
        return self._read(lambda graphs: self.backend.select(text, graphs), include_internal, include_vocabulary)

    def ask(self, query: str, include_internal: bool = True) -> bool:
        return self._read(lambda graphs: self.backend.ask(query, graphs), include_internal)

    def construct(self, query: str, include_internal: bool = True) -> list[Triple]:
        return self._read(lambda graphs: self.backend.construct(query, graphs), include_internal)

    def _read(self, run: Callable[[Sequence[NamedNode] | None], _Answer], include_internal: bool = True,
              include_vocabulary: bool = True) -> _Answer:
        """Run a read over the current graphs: over the backend's union default graph when that is exactly them
        (no write under way, nothing internal to hide), else over the list of their current versions."""
        with self._dropping.reading():
            with self._cache_lock:
                writes_started, writing = self._writes_started, self._writers > 0
            graphs = self.default_graphs(include_internal, include_vocabulary)
            physical = self._load_versions().physical
            if not writing and physical and physical == {graph.value for graph in graphs}:
                answer = run(None)
                with self._cache_lock:
                    if self._writes_started == writes_started:
                        return answer
                graphs = self.default_graphs(include_internal, include_vocabulary)
            return run(graphs)

    def existing_entities(self, iris: Iterable[str], excluding: Iterable[str] = ()) -> set[str]:
        """Those of `iris` that some current graph (other than the `excluding` names) gives an id."""
        skip = {self.graph_iri(name).value for name in excluding}
        graphs = [info.version for info in self.graphs() if info.iri.value not in skip]
        wanted = sorted(set(iris))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            rows = [{"entity": NamedNode(iri)} for iri in wanted[start : start + 500]]
            result = self.backend.select(bind(_EXISTING_QUERY, rows), graphs)
            found.update(row["entity"].value for row in result.rows if isinstance(row["entity"], NamedNode))
        return found

    def quads(self, include_internal: bool = True, include_vocabulary: bool = True) -> Iterator[Quad]:
        """Every current quad, named by its logical graph (what users and exports see)."""
        for info in self.graphs(include_internal):
            if not include_vocabulary and info.name == VOCABULARY_GRAPH:
                continue
            for triple in self.backend.graph_triples(info.version):
                yield Quad(triple.subject, triple.predicate, triple.object, info.iri)

    def dump_ntriples(self, output: BinaryIO, include_internal: bool = True, include_vocabulary: bool = True,
                      leave_out: Collection[str] = ()) -> None:
        """The current data as N-Triples into the stream, graph after graph (the `leave_out` names skipped)."""
        for info in self.graphs(include_internal):
            if info.name in leave_out or (not include_vocabulary and info.name == VOCABULARY_GRAPH):
                continue
            self.backend.dump_graph(info.version, output)

    def triple_count(self, include_vocabulary: bool = True) -> int:
        return sum(
            info.triples for info in self.graphs() if include_vocabulary or info.name != VOCABULARY_GRAPH
        )

    # --- writing -----------------------------------------------------------------------------------------
    def replace(self, contents: Sequence[GraphContent], drop: Iterable[str] = ()) -> list[GraphInfo]:
        """Write every graph, then make all of them visible (and the `drop` ones gone) in one commit."""
        with self._writing():
            written = self._replace(contents, drop)
        # After the commit, outside the write: reads go on meanwhile, over the union, as the content is the same.
        self.backend.compact()
        return written

    def _replace(self, contents: Sequence[GraphContent], drop: Iterable[str]) -> list[GraphInfo]:
        commit: list[Quad] = []
        written: list[NamedNode] = []
        drop = list(drop)
        plain = [content for content in contents if not isinstance(content, DerivedContent)]
        derived = [content for content in contents if isinstance(content, DerivedContent)]
        try:
            visible = {name: (info.version, info.internal) for name, info in self._current_by_name().items()
                       if name not in drop}
            for content in plain:
                visible[content.name] = (self._write_version(content, written, commit), content.internal)
            derived_names = {content.name for content in derived}
            for content in derived:
                readers = {name: (version, internal) for name, (version, internal) in visible.items()
                           if (content.internal or not internal) and name not in derived_names}
                triples = content.compute(self, readers)
                existing = self._current_by_name().get(content.name)
                if not triples:
                    if existing is not None:
                        drop.append(content.name)
                    continue
                sha = hashlib.sha256("\n".join(sorted(str(triple) for triple in triples)).encode()).hexdigest()
                if existing is not None and existing.sha256 == sha:
                    continue
                if content.sha256 != sha:  # a restore of the same rows keeps their original load time
                    content.generated_at = None
                content.triples, content.sha256 = triples, sha
                self._write_version(content, written, commit)
            commit.extend(self._tombstones(drop))
            self.backend.commit(commit)
        except BaseException:
            # A server that failed the write may fail the clean-up too; the orphans then go at the next open,
            # and the error the user sees stays the first one.
            with contextlib.suppress(Exception):
                for version in written:
                    self.backend.drop_graph(version)
            self._invalidate()
            raise
        self._invalidate()
        self.collect_garbage()
        current = self._load_versions().current
        return [current[self.graph_iri(content.name).value] for content in contents
                if self.graph_iri(content.name).value in current]

    def _write_version(self, content: GraphContent, written: list[NamedNode], commit: list[Quad]) -> NamedNode:
        """Write the content as a new version nobody reads yet; its provenance joins the commit."""
        logical = self.graph_iri(content.name)
        version = self._new_version(logical)
        written.append(version)
        count = self.backend.write_graph(version, content.triples)
        commit.extend(self._provenance(logical, version, content, count))
        return version

    def _current_by_name(self) -> dict[str, GraphInfo]:
        return {info.name: info for info in self._load_versions().current.values()}

    def drop(self, names: Iterable[str]) -> list[str]:
        """Remove logical graphs (a tombstone version, then garbage collection). Returns what existed."""
        current = self._load_versions().current
        existing = [name for name in names if self.graph_iri(name).value in current]
        if existing:
            with self._writing():
                self.backend.commit(self._tombstones(existing))
                self._invalidate()
                self.collect_garbage()
        return existing

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Mark a write under way: until it ends, reads name the current versions instead of reading the union."""
        with self._cache_lock:
            self._writers += 1
            self._writes_started += 1
        try:
            yield
        finally:
            with self._cache_lock:
                self._writers -= 1
            self._invalidate()

    def _tombstones(self, names: Iterable[str]) -> list[Quad]:
        current = self._load_versions().current
        quads: list[Quad] = []
        for name in names:
            logical = self.graph_iri(name)
            if logical.value not in current:
                continue
            version = self._new_version(logical)
            quads.extend(
                [
                    Quad(logical, SG.hasVersion, version, self.meta_graph),
                    Quad(version, SG.sequence, Literal(str(self._sequence), datatype=XSD.integer),
                         self.meta_graph),
                    Quad(version, SG.deleted, Literal("true", datatype=XSD.boolean), self.meta_graph),
                ]
            )
        return quads

    def collect_garbage(self) -> None:
        """Drop superseded versions and orphans of interrupted loads."""
        with self._writing():
            self._collect_garbage()

    def _collect_garbage(self) -> None:
        versions = self._load_versions()
        if versions.stale:
            # Forget the versions first, then drop their graphs: a crash in between leaves orphans, which the
            # orphan sweep below removes on the next open.
            stale_versions = {info.version.value for info in versions.stale}
            about_stale = [
                Quad(t.subject, t.predicate, t.object, self.meta_graph)
                for t in self.backend.graph_triples(self.meta_graph)
                if (isinstance(t.subject, NamedNode) and t.subject.value in stale_versions)
                or (isinstance(t.object, NamedNode) and t.object.value in stale_versions)
            ]
            with self._dropping.writing():
                self.backend.remove_quads(about_stale)
                for info in versions.stale:
                    self.backend.drop_graph(info.version)
                self._invalidate()
            versions = self._load_versions()
        known = {info.version.value for info in versions.current.values()}
        prefix = f"{self.base_uri}graph/"
        for graph in self.backend.graph_names():
            if graph.value.startswith(prefix) and "/v/" in graph.value and graph.value not in known:
                self.backend.drop_graph(graph)

    def ensure_vocabulary(self) -> None:
        """Keep the code lists and ontology in the store, reloading them when the Turtle files change."""
        files = vocabulary_files()
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.read_bytes())
        sha = digest.hexdigest()
        current = self._load_versions().current.get(self.graph_iri(VOCABULARY_GRAPH).value)
        if current is not None and current.sha256 == sha:
            return
        triples: list[Triple] = []
        for path in files:
            with path.open("rb") as stream:
                triples.extend(parse(stream, format=RdfFormat.TURTLE))
        self.replace([GraphContent(VOCABULARY_GRAPH, triples, sha256=sha, loader="sozialgraph.vocabulary",
                                   source="ontology/")])

    def close(self) -> None:
        self.backend.close()

    # --- helpers -----------------------------------------------------------------------------------------
    def _new_version(self, logical: NamedNode) -> NamedNode:
        self._sequence = max(self._sequence + 1, time.time_ns())
        return NamedNode(f"{logical.value}/v/{self._sequence}")

    def _provenance(self, logical: NamedNode, version: NamedNode, content: GraphContent,
                    count: int) -> list[Quad]:
        meta = self.meta_graph
        now = content.generated_at or datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
        described = GraphInfo(iri=logical, name=content.name, version=version, sequence=self._sequence_of(version),
                              file_name=content.file_name, source=content.source, loaded_at=now, triples=count,
                              sha256=content.sha256, loader=content.loader, internal=content.internal)
        facts: list[tuple[NamedNode, Term]] = [
            (SG.sequence, Literal(str(described.sequence), datatype=XSD.integer)),
            (RDF.type, PROV.Entity),
            *provenance_facts(described),
            *content.provenance,
        ]
        quads = [Quad(logical, RDF.type, SG.SourceGraph, meta), Quad(logical, SG.hasVersion, version, meta)]
        quads.extend(Quad(version, predicate, obj, meta) for predicate, obj in facts)
        return quads

    @staticmethod
    def _sequence_of(version: NamedNode) -> int:
        return int(version.value.rsplit("/v/", 1)[1])


def provenance_facts(info: GraphInfo) -> list[tuple[NamedNode, Term]]:
    """What PROV-O says about one version of a graph: in the meta graph, and in a dump (`sozialgraph.backup`)."""
    facts: list[tuple[NamedNode, Term]] = [
        (DCT.title, Literal(info.name)),
        (SG.tripleCount, Literal(str(info.triples), datatype=XSD.integer)),
    ]
    if info.loaded_at:
        facts.append((PROV.generatedAtTime, Literal(info.loaded_at, datatype=XSD.dateTime)))
    if info.loader:
        facts.append((SG.loader, Literal(info.loader)))
    if info.file_name:
        facts.append((SG.fileName, Literal(info.file_name)))
    if info.source:
        facts.append((PROV.wasDerivedFrom, Literal(info.source)))
    if info.sha256:
        facts.append((SG.sha256, Literal(info.sha256)))
    if info.internal:
        facts.append((SG.access, INTERNAL))
    return facts


def _info_from_row(row: Mapping[str, Term], store: GraphStore) -> GraphInfo:
    def text(name: str) -> str | None:
        value = row.get(name)
        return value.value if isinstance(value, Literal | NamedNode) else None

    graph = row["graph"]
    version = row["version"]
    assert isinstance(graph, NamedNode) and isinstance(version, NamedNode)
    return GraphInfo(
        iri=graph,
        name=store.graph_name(graph),
        version=version,
        sequence=int(text("sequence") or 0),
        file_name=text("file"),
        source=text("source"),
        loaded_at=text("loaded"),
        triples=int(text("triples") or 0),
        sha256=text("sha"),
        loader=text("loader"),
        internal=row.get("access") == INTERNAL,
        deleted=text("deleted") == "true",
    )
