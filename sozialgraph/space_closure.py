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

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
from pyoxigraph import NamedNode, Triple

from sozialgraph.namespaces import PROV, RDF, SG
from sozialgraph.store import GraphContent, GraphInfo, GraphStore
from sozialgraph.store.graphs import VOCABULARY_GRAPH

CLOSURE_GRAPH = "_derived/space-closure"
INTERNAL_CLOSURE_GRAPH = CLOSURE_GRAPH + "/internal"
DERIVED_GRAPHS = frozenset((CLOSURE_GRAPH, INTERNAL_CLOSURE_GRAPH))
LOADER = "sozialgraph.space_closure"
_HIERARCHY = (Path(__file__).parent / "rq" / "space-hierarchy.rq").read_text(encoding="utf-8")
_TYPE, _SPACE, _PARENT = RDF.type.value, SG.SocialSpace.value, SG.parentSpace.value


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
    """`contents` and `drop` plus the closure graphs as they must read once this change is committed.

    Closure graphs among `contents` (a restore) are computed afresh; a closure that did not change is not
    rewritten, and one that became empty is dropped.
    """
    own = [content for content in contents if content.name not in DERIVED_GRAPHS]
    dropping = [name for name in drop if name not in DERIVED_GRAPHS]
    changed = {content.name for content in own} | set(dropping)
    current = {info.name: info for info in store.graphs()}
    public, internal = _Hierarchy(), _Hierarchy()
    kept = [info for name, info in current.items()
            if name not in changed and name not in DERIVED_GRAPHS and name != VOCABULARY_GRAPH]
    _read_store(store, kept, public, internal)
    for content in own:
        _read_content(content, internal if content.internal else public, store.graph_iri(content.name).value)
    everything = _Hierarchy(public.spaces | internal.spaces, public.edges | internal.edges,
                            public.graphs | internal.graphs)
    public_pairs = public.closure()
    internal_pairs = everything.closure() - public_pairs
    result_contents, result_drop = list(own), list(dropping)
    for name, pairs, hierarchy, is_internal in ((CLOSURE_GRAPH, public_pairs, public, False),
                                                (INTERNAL_CLOSURE_GRAPH, internal_pairs, everything, True)):
        existing = current.get(name)
        if not pairs:
            if existing is not None:
                result_drop.append(name)
            continue
        triples = [Triple(NamedNode(inside), SG.withinSpace, NamedNode(space)) for inside, space in sorted(pairs)]
        sha = hashlib.sha256("\n".join(f"{inside} {space}" for inside, space in sorted(pairs)).encode()).hexdigest()
        given = next((content for content in contents if content.name == name), None)
        if given is not None and given.sha256 == sha:
            result_contents.append(given)  # a restore of an unchanged closure keeps its original load time
            continue
        if given is None and existing is not None and existing.sha256 == sha:
            continue
        provenance: list[tuple[NamedNode, NamedNode]] = [
            (PROV.wasDerivedFrom, NamedNode(graph)) for graph in sorted(hierarchy.graphs)]
        result_contents.append(GraphContent(name, triples, source="sg:parentSpace", sha256=sha, loader=LOADER,
                                            internal=is_internal, provenance=list(provenance)))
    return result_contents, result_drop


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


def _read_content(content: GraphContent, target: _Hierarchy, graph: str) -> None:
    for triple in content.triples:
        predicate = triple.predicate.value
        if predicate == _TYPE:
            if isinstance(triple.subject, NamedNode) and triple.object == SG.SocialSpace:
                target.add(graph, triple.subject.value, None)
        elif predicate == _PARENT and isinstance(triple.subject, NamedNode) and isinstance(triple.object, NamedNode):
            target.add(graph, triple.subject.value, triple.object.value)


def drop_sources(store: GraphStore, names: Iterable[str]) -> list[str]:
    """Remove logical graphs and bring the closure up to date in the same commit. Returns what existed."""
    current = {info.name for info in store.graphs()}
    existing = [name for name in names if name in current and name not in DERIVED_GRAPHS]
    if existing:
        written, dropped = with_space_closure(store, [], drop=existing)
        store.replace(written, drop=dropped)
    return existing
