"""The public part of the store, with its IRIs moved to the published base.

Internal graphs are left out whole. An entity marked internal, or defined only in an internal source, is also
cut out of the public graphs: no triple about it and none pointing at it (a committee in a public table may name
an internal actor as a member; the membership goes, the committee stays).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, RdfFormat, Store, Triple, parse

from sozialgraph.publish.layout import Layout
from sozialgraph.publish.queries import iri, query_text
from sozialgraph.space_closure import DERIVED_GRAPHS
from sozialgraph.store import GraphStore
from sozialgraph.vocabulary import vocabulary_files

VOCABULARY = NamedNode("urn:sozialgraph:publish:vocabulary")
"""Where the working copy keeps the ontology and code lists, apart from the data (the default graph)."""


@dataclass
class PublicGraph:
    store: Store
    layout: Layout
    withheld_entities: int = 0
    withheld_triples: int = 0
    documents: list[str] = field(default_factory=list)
    """Every entity IRI under the published base (without #fragment), sorted."""

    def triples(self) -> Iterator[Triple]:
        for quad in self.store.quads_for_pattern(None, None, None, DefaultGraph()):
            yield quad.triple

    @property
    def size(self) -> int:
        return sum(1 for _ in self.store.quads_for_pattern(None, None, None, DefaultGraph()))


def internal_entities(store: GraphStore) -> set[str]:
    def entities(name: str, include_internal: bool) -> set[str]:
        rows = store.select(query_text(name), include_internal=include_internal).rows
        return {value for row in rows if (value := iri(row, "entity")) is not None}

    identified_in_public = entities("identified", include_internal=False)
    only_internal = entities("identified", include_internal=True) - identified_in_public
    return entities("internal-marked", include_internal=True) | only_internal


def public_graph(store: GraphStore, layout: Layout) -> PublicGraph:
    withheld = internal_entities(store)
    source_base = store.base_uri
    target_base = layout.base

    def hidden(term: object) -> bool:
        return isinstance(term, NamedNode) and (term.value in withheld or term.value.split("#", 1)[0] in withheld)

    def moved(term: NamedNode) -> NamedNode:
        if term.value.startswith(source_base):
            return NamedNode(target_base + term.value[len(source_base):])
        return term

    kept: set[Triple] = set()
    dropped = 0
    derived = {store.graph_iri(name) for name in DERIVED_GRAPHS}
    for quad in store.quads(include_internal=False, include_vocabulary=False):
        if quad.graph_name in derived:  # the sg:withinSpace closure: recomputed by whoever loads the dump
            continue
        subject, predicate, obj = quad.subject, quad.predicate, quad.object
        if hidden(subject) or hidden(obj):
            dropped += 1
            continue
        new_subject = moved(subject) if isinstance(subject, NamedNode) else subject
        new_object = moved(obj) if isinstance(obj, NamedNode) else obj
        assert isinstance(new_subject, NamedNode | BlankNode)
        assert isinstance(new_object, NamedNode | BlankNode | Literal)
        kept.add(Triple(new_subject, predicate, new_object))
    working = Store()
    working.bulk_extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in kept)
    working.bulk_extend(_vocabulary_quads())
    documents = sorted(_documents(kept, layout))
    return PublicGraph(working, layout, len(withheld), dropped, documents)


REUSED_LABELS = Path(__file__).parent / "vocab" / "reused-labels.ttl"


def _vocabulary_quads() -> Iterator[Quad]:
    for path in [*vocabulary_files(), REUSED_LABELS]:
        with path.open("rb") as stream:
            for triple in parse(stream, format=RdfFormat.TURTLE):
                yield Quad(triple.subject, triple.predicate, triple.object, VOCABULARY)


def _documents(triples: Iterable[Triple], layout: Layout) -> set[str]:
    documents: set[str] = set()
    for triple in triples:
        for term in (triple.subject, triple.object):
            if isinstance(term, NamedNode):
                document = layout.document(term.value)
                if document is not None:
                    documents.add(document)
    return documents
