"""`sg:withinSpace`: the reflexive-transitive closure of `sg:parentSpace`, kept as derived graphs.

Saved queries count a fact for every space above the one it is in. Walking `sg:parentSpace*` at query time is
slow at state scale and Virtuoso 7 answers `*` paths inside FILTER EXISTS wrongly, so every load or drop that
changes the spaces rewrites the closure in the same all-or-nothing commit: `?inside sg:withinSpace ?space` holds
for every social space `?inside` and every space reachable from it over `sg:parentSpace`, itself included, which
is exactly what `?inside a sg:SocialSpace . ?inside sg:parentSpace* ?space` matches.

Pairs that only exist because of internal graphs go into an internal derived graph, so the public graphs give the
closure of the public spaces alone and public answers and publications say nothing about internal spaces.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from pyoxigraph import Literal, NamedNode, Triple

from sozialgraph.completeness import (
    CANDIDATES_GRAPH,
    COMPLETENESS_GRAPHS,
    COMPLETENESS_INPUTS,
    SourceEntries,
    candidate_triples,
    kept_candidates,
    row_derivations,
)
from sozialgraph.namespaces import DCT, PROV, RDF, SG
from sozialgraph.offer_cells import (
    ATTRIBUTES,
    CELL_GRAPHS,
    CELLS_GRAPH,
    INTERNAL_CELLS_GRAPH,
    Offers,
    all_cells,
    any_offer_or_plan,
    cell_triples,
    feeds_cells,
    provider_key,
)
from sozialgraph.offer_cells import read_store as read_offers
from sozialgraph.overlap_rows import OVERLAP_GRAPHS, OVERLAPS_GRAPH
from sozialgraph.overlap_rows import derivations as overlap_derivations
from sozialgraph.store import GraphContent, GraphInfo, GraphStore
from sozialgraph.store.graphs import VOCABULARY_GRAPH, Derivation, DerivedContent
from sozialgraph.supply_rows import SUPPLY_GRAPH, SUPPLY_GRAPHS
from sozialgraph.supply_rows import derivations as supply_derivations

CLOSURE_GRAPH = "_derived/space-closure"
INTERNAL_CLOSURE_GRAPH = CLOSURE_GRAPH + "/internal"
DERIVED_GRAPHS = (frozenset((CLOSURE_GRAPH, INTERNAL_CLOSURE_GRAPH)) | CELL_GRAPHS | OVERLAP_GRAPHS
                  | SUPPLY_GRAPHS | COMPLETENESS_GRAPHS)
ROW_GRAPHS = OVERLAP_GRAPHS | SUPPLY_GRAPHS | COMPLETENESS_GRAPHS
"""Derived answers of saved queries: they name the entities they count, but are no links between them."""
LOADER = "sozialgraph.space_closure"
_ROW_SOURCE = {OVERLAPS_GRAPH: "sg:OverlapTable", SUPPLY_GRAPH: "sg:SupplyTable"}
_HIERARCHY = (Path(__file__).parent / "rq" / "space-hierarchy.rq").read_text(encoding="utf-8")
_TYPE, _SPACE, _PARENT = RDF.type.value, SG.SocialSpace.value, SG.parentSpace.value
_IDENTIFIER, _PROVIDER, _IN = DCT.identifier.value, SG.provider.value, SG.socialSpace.value


@dataclass
class _Hierarchy:
    """Spaces and parent edges of one visibility (public, or internal on top of public), and their graphs."""

    spaces: set[str] = field(default_factory=set)
    edges: set[tuple[str, str]] = field(default_factory=set)
    graphs: set[str] = field(default_factory=set)

    def add(self, graph: str, space: str, parent: str | None) -> None:
        self.graphs.add(graph)
        if parent is None:
            self.spaces.add(space)
        else:
            self.edges.add((space, parent))

    def closure(self) -> set[tuple[str, str]]:
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_edges_from(self.edges)
        pairs: set[tuple[str, str]] = set()
        for space in self.spaces:
            pairs.add((space, space))
            if space in graph:
                pairs.update((space, above) for above in nx.descendants(graph, space))
        return pairs


def with_space_closure(store: GraphStore, contents: Sequence[GraphContent],
                       drop: Iterable[str] = ()) -> tuple[list[GraphContent], list[str]]:
    """`contents` and `drop` plus the derived graphs (closure, offer cells, rows of overlaps and network-supply,
    completeness) as they must read once committed.

    Derived graphs among `contents` (a restore) are computed afresh. All derived graphs go to the store as
    `DerivedContent`, which writes one only when it changed and drops one that became empty. The offer cells
    and the overlap and supply rows are only recomputed when the change can alter them: it adds, replaces or
    drops offers, plans, their attributes (ids, providers and departments included) or spaces, or the store
    lacks one of their tables.
    """
    own = [content for content in contents if content.name not in DERIVED_GRAPHS]
    dropping = [name for name in drop if name not in DERIVED_GRAPHS]
    changed = {content.name for content in own} | set(dropping)
    current = {info.name: info for info in store.graphs()}
    public, internal = _Hierarchy(), _Hierarchy()
    public_offers, internal_offers = Offers(), Offers()
    kept = [info for name, info in current.items()
            if name not in changed and name not in DERIVED_GRAPHS and name != VOCABULARY_GRAPH]
    _read_store(store, kept, public, internal)
    structural, attributed = False, set[str]()
    candidates = kept_candidates(store, current, kept)
    wanted = {entry for found in candidates.values() for _, entry in found}
    written_entries: dict[str, SourceEntries] = {}
    for content in own:
        offers = internal_offers if content.internal else public_offers
        entries = SourceEntries()
        structural = _read_content(content, internal if content.internal else public, offers, attributed,
                                   store.graph_iri(content.name).value, entries) or structural
        candidates[content.name] = entries.finish(wanted)
        written_entries[content.name] = entries
    # The cells and the overlap and supply rows are recomputed only when the change can alter them: reading every
    # offer of the store costs seconds at state scale, and most loads (needs, indicators) touch no offer, plan or
    # space.
    data = [info for name, info in current.items() if name not in DERIVED_GRAPHS and name != VOCABULARY_GRAPH]
    relevant = (structural or public_offers.feeds_network() or internal_offers.feeds_network()
                or not CELL_GRAPHS & current.keys() or not {OVERLAPS_GRAPH, SUPPLY_GRAPH} <= current.keys()
                or any(content.name in CELL_GRAPHS | OVERLAP_GRAPHS | SUPPLY_GRAPHS for content in contents)
                or feeds_cells(store, data, [info for info in data if info.name in changed])
                or any_offer_or_plan(store, kept, attributed - public_offers.typed - internal_offers.typed))
    everything = _Hierarchy(public.spaces | internal.spaces, public.edges | internal.edges,
                            public.graphs | internal.graphs)
    public_pairs = public.closure()
    every_pair = everything.closure()
    graph_names = {store.graph_iri(name).value for name in candidates}
    derived = [
        _closure(CLOSURE_GRAPH, public_pairs, public.graphs, False),
        _closure(INTERNAL_CLOSURE_GRAPH, every_pair - public_pairs, everything.graphs, True),
        _Derived(CANDIDATES_GRAPH, _fixed(candidate_triples(candidates)), "sg:completenessCandidate", graph_names,
                 True),
    ]
    if relevant:
        read_offers(store, kept, public_offers, internal_offers)
        for offers in (public_offers, internal_offers):
            offers.keep_offer_ids(public_offers.typed | internal_offers.typed)
        public_cells = public_offers.cells(public_pairs)
        sources = public.graphs | public_offers.graphs
        public_triples = cell_triples(public_cells, set())
        internal_cells = all_cells(public_offers, internal_offers, public_pairs, every_pair, public_cells)
        internal_triples = cell_triples(internal_cells - public_cells,
                                        {(field_, group) for _, field_, group in public_cells})
        derived.append(_Derived(CELLS_GRAPH, _fixed(public_triples), "sg:offerCell", sources, False))
        planners_sources = sources | everything.graphs | internal_offers.graphs
        derived.append(_Derived(INTERNAL_CELLS_GRAPH, _fixed(internal_triples), "sg:offerCell", planners_sources,
                                True))
        rows = [*overlap_derivations(public_offers, internal_offers, public_pairs, every_pair),
                *supply_derivations(public_offers, internal_offers, public_pairs, every_pair)]
        derived += [_Derived(name, derive, _ROW_SOURCE[name.removesuffix("/internal")],
                             planners_sources if internal else sources, internal)
                    for name, internal, derive in rows]
    derived += [_Derived(name, derive, "sg:completenessCandidate", graph_names, internal)
                for name, internal, derive in row_derivations(candidates, written_entries)]
    given = {content.name: content for content in contents}
    return [*own, *(item.content(given.get(item.name)) for item in derived)], dropping


@dataclass
class _Derived:
    name: str
    derive: Derivation
    source: str
    graphs: set[str]
    internal: bool

    def content(self, given: GraphContent | None) -> DerivedContent:
        """The graph to write; the store writes it only when it changed, and a restore (`given`) of the same
        content keeps its original load time."""
        return DerivedContent(self.name, [], source=self.source, loader=LOADER, internal=self.internal,
                              sha256=given.sha256 if given else None,
                              generated_at=given.generated_at if given else None,
                              provenance=[(PROV.wasDerivedFrom, NamedNode(graph)) for graph in sorted(self.graphs)],
                              derive=self.derive)


def _fixed(triples: list[Triple]) -> Derivation:
    """A derivation computed before the write."""
    return lambda store, visible: triples


def _closure(name: str, pairs: set[tuple[str, str]], graphs: set[str], internal: bool) -> _Derived:
    triples = [Triple(NamedNode(inside), SG.withinSpace, NamedNode(space)) for inside, space in sorted(pairs)]
    return _Derived(name, _fixed(triples), "sg:parentSpace", graphs, internal)


def _read_store(store: GraphStore, kept: list[GraphInfo], public: _Hierarchy, internal: _Hierarchy) -> None:
    if not kept:
        return
    by_version = {info.version.value: info for info in kept}
    for row in store.backend.select(_HIERARCHY, [info.version for info in kept]).rows:
        graph, space, parent = row.get("graph"), row.get("space"), row.get("parent")
        if not isinstance(graph, NamedNode) or not isinstance(space, NamedNode):
            continue
        if "parent" in row and not isinstance(parent, NamedNode):
            continue
        info = by_version.get(graph.value)
        if info is None:
            continue
        target = internal if info.internal else public
        target.add(info.iri.value, space.value, parent.value if isinstance(parent, NamedNode) else None)


def _read_content(content: GraphContent, target: _Hierarchy, offers: Offers, attributed: set[str],
                  graph: str, entries: SourceEntries) -> bool:
    """Read spaces, offer attributes and what the completeness check needs, noting the entities with
    attributes; True when the content holds offers or spaces."""
    structural = False
    for triple in content.triples:
        predicate = triple.predicate.value
        if predicate in COMPLETENESS_INPUTS:
            subject = triple.subject
            if isinstance(subject, NamedNode):
                entries.add(subject.value, predicate, triple.object)
        if predicate == _TYPE:
            subject, kind = triple.subject, triple.object
            if kind == SG.SocialSpace and isinstance(subject, NamedNode):
                target.add(graph, subject.value, None)
                structural = True
            elif kind == SG.Offer and isinstance(subject, NamedNode):
                offers.typed.add(subject.value)
                offers.graphs.add(graph)
                structural = True
        elif predicate == _PARENT:
            subject, parent = triple.subject, triple.object
            if isinstance(subject, NamedNode) and isinstance(parent, NamedNode):
                target.add(graph, subject.value, parent.value)
                structural = True
        elif predicate in ATTRIBUTES:
            subject, value = triple.subject, triple.object
            if isinstance(subject, NamedNode) and isinstance(value, NamedNode):
                offers.add(graph, subject.value, predicate, value.value)
                attributed.add(subject.value)
            elif predicate == _PROVIDER and isinstance(subject, NamedNode):
                offers.add(graph, subject.value, predicate, provider_key(value))
                attributed.add(subject.value)
            elif predicate == _IN and isinstance(subject, NamedNode):
                offers.placed_otherwise.add(subject.value)
                attributed.add(subject.value)
        elif predicate == _IDENTIFIER:  # an offer's id shows in the overlap rows
            subject, value = triple.subject, triple.object
            if isinstance(subject, NamedNode) and isinstance(value, Literal):
                offers.add_identifier(subject.value, value.value)
                attributed.add(subject.value)
    return structural


def drop_sources(store: GraphStore, names: Iterable[str]) -> list[str]:
    """Remove logical graphs and bring the closure up to date in the same commit. Returns what existed."""
    current = {info.name for info in store.graphs()}
    existing = [name for name in names if name in current and name not in DERIVED_GRAPHS]
    if existing:
        written, dropped = with_space_closure(store, [], drop=existing)
        store.replace(written, drop=dropped)
    return existing


def ensure_derived(store: GraphStore) -> bool:
    """Derive what a store loaded by an older version does not keep yet (offer cells, rows of overlaps and
    network-supply, completeness). Returns whether it did.

    The gap queries read the cells, `overlaps`, `network-supply` and `incomplete-entities` their rows: without
    them every space would show as a gap, and no overlap, link or incomplete entry would show, until the next
    load. Every store this version writes keeps the completeness candidates (an empty graph when there are none)
    and the overlap and supply tables (their table node when there are no rows), so their absence tells an
    older store, and a store without offers is not read again on every open.
    """
    names = {info.name for info in store.graphs()}
    if {CANDIDATES_GRAPH, OVERLAPS_GRAPH, SUPPLY_GRAPH} <= names or not names - DERIVED_GRAPHS - {VOCABULARY_GRAPH}:
        return False
    written, dropped = with_space_closure(store, [])
    store.replace(written, drop=dropped)
    return True
