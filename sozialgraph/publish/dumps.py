"""The whole public graph as files: Turtle, gzipped N-Triples, and JSON-LD with a published @context."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import DefaultGraph, Literal, RdfFormat, Triple, parse

from sozialgraph.namespaces import CODE_BASE
from sozialgraph.publish.files import Written, gzip_bytes, rdf_bytes, write_bytes, write_text
from sozialgraph.publish.jsonld import compact_jsonld
from sozialgraph.publish.prefixes import prefixes_for
from sozialgraph.publish.queries import iri, query_text, select_text
from sozialgraph.publish.subset import PublicGraph
from sozialgraph.sparql_values import bind

TURTLE = "dumps/sozialgraph.ttl"
NTRIPLES_GZ = "dumps/sozialgraph.nt.gz"
JSONLD = "dumps/sozialgraph.jsonld"
CONTEXT = "context.jsonld"


@dataclass
class Dumps:
    turtle: Written
    ntriples: Written
    jsonld: Written
    context: Written
    triples: int
    prefixes: dict[str, str]


def sorted_ntriples(graph: PublicGraph) -> bytes:
    """The data as N-Triples, lines sorted: a stable order, so that publishing unchanged data gives byte-identical
    files (and checksums). Oxigraph writes the lines and Python sorts bytes, which for a million triples is
    several times faster than sorting Triple objects by their text."""
    data = graph.store.dump(format=RdfFormat.N_TRIPLES, from_graph=DefaultGraph())
    assert data is not None  # no output stream given: pyoxigraph returns the bytes
    lines = data.splitlines()
    lines.sort()
    return b"".join(line + b"\n" for line in lines)


def sorted_triples(ntriples: bytes) -> list[Triple]:
    return list(parse(ntriples, format=RdfFormat.N_TRIPLES))


def write_dumps(root: Path, graph: PublicGraph, ntriples: bytes, triples: list[Triple]) -> Dumps:
    """`ntriples` and `triples` are the same data in the same order (see `sorted_ntriples`)."""
    layout = graph.layout
    prefixes = prefixes_for(layout.base, [*graph.documents, *_iris_under(graph, CODE_BASE)])
    turtle = rdf_bytes(triples, RdfFormat.TURTLE, prefixes)
    context = write_text(root, CONTEXT, json.dumps({"@context": prefixes}, ensure_ascii=False, indent=2) + "\n")
    return Dumps(
        turtle=write_bytes(root, TURTLE, turtle),
        ntriples=write_bytes(root, NTRIPLES_GZ, gzip_bytes(ntriples)),
        jsonld=write_text(root, JSONLD, compact_jsonld(triples, prefixes, layout.url(CONTEXT), indent=False)),
        context=context,
        triples=len(triples),
        prefixes=prefixes,
    )


def _iris_under(graph: PublicGraph, namespace: str) -> list[str]:
    query = bind(query_text("base-iris"), [{"base": Literal(namespace)}])
    return sorted(text for row in select_text(graph.store, query, with_vocabulary=False)
                  if (text := iri(row, "iri")) is not None)
