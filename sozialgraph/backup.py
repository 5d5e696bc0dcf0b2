"""Dump and restore: every graph with its provenance in one N-Quads file, restored all at once.

The dump names graphs by their logical names and describes each in the graph `{base}graph/_meta` with the same
PROV-O terms the store uses, so a restore reproduces graph names, contents, file names, checksums, loaders, load
times and access. The vocabulary is not dumped: the store rebuilds it from ontology/ when it opens.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse, serialize

from sozialgraph.errors import InputError
from sozialgraph.namespaces import PROV, RDF, SG
from sozialgraph.space_closure import with_space_closure
from sozialgraph.store import GraphContent, GraphInfo, GraphStore
from sozialgraph.store.graphs import INTERNAL, VOCABULARY_GRAPH, provenance_facts


def _provenance(info: GraphInfo, meta: NamedNode) -> Iterator[Quad]:
    for predicate, obj in [(RDF.type, SG.SourceGraph), *provenance_facts(info)]:
        yield Quad(info.iri, predicate, obj, meta)


def dump(store: GraphStore, path: Path) -> int:
    """Write every graph but the vocabulary, with provenance; returns the number of quads."""
    count = 0

    def quads() -> Iterator[Quad]:
        nonlocal count
        for info in store.graphs():
            if info.name == VOCABULARY_GRAPH:
                continue
            yield from _provenance(info, store.meta_graph)
            for triple in store.backend.graph_triples(info.version):
                count += 1
                yield Quad(triple.subject, triple.predicate, triple.object, info.iri)

    with path.open("wb") as stream:
        serialize(quads(), stream, format=RdfFormat.N_QUADS)
    return count


def restore(store: GraphStore, path: Path) -> list[GraphInfo]:
    """Make the store hold exactly what the dump holds, in one commit; the store is unchanged on error."""
    data: dict[str, list[Triple]] = defaultdict(list)
    facts: dict[str, dict[str, str]] = defaultdict(dict)
    prefix = f"{store.base_uri}graph/"
    try:
        with path.open("rb") as stream:
            for quad in parse(stream, format=RdfFormat.N_QUADS):
                graph = quad.graph_name
                if not isinstance(graph, NamedNode) or not graph.value.startswith(prefix):
                    raise InputError(path.name, f"Quad ohne Graph dieses Speichers ({graph}); erwartet wird ein "
                                     f"Graph unter {prefix}")
                if graph == store.meta_graph:
                    subject = quad.subject
                    if isinstance(subject, NamedNode) and isinstance(quad.object, Literal | NamedNode):
                        facts[subject.value][quad.predicate.value] = quad.object.value
                    continue
                data[graph.value].append(quad.triple)
    except SyntaxError as error:
        line = error.args[1][1] if len(error.args) > 1 and error.args[1] else None
        raise InputError(path.name, f"keine gültige N-Quads-Sicherung: {error.args[0]}", row=line) from error
    names = set(data) | {graph for graph, described in facts.items() if RDF.type.value in described}
    contents = []
    for graph in sorted(names):
        described = facts.get(graph, {})
        contents.append(
            GraphContent(
                name=store.graph_name(NamedNode(graph)),
                triples=data.get(graph, []),
                file_name=described.get(SG.fileName.value),
                source=described.get(PROV.wasDerivedFrom.value),
                sha256=described.get(SG.sha256.value),
                loader=described.get(SG.loader.value, "sozialgraph.backup"),
                internal=described.get(SG.access.value) == INTERNAL.value,
                generated_at=described.get(PROV.generatedAtTime.value),
            )
        )
    keep = {content.name for content in contents} | {VOCABULARY_GRAPH}
    stale = [info.name for info in store.graphs() if info.name not in keep]
    written, dropped = with_space_closure(store, contents, drop=stale)
    return store.replace(written, drop=dropped)
