"""The whole public graph as files: Turtle, gzipped N-Triples, and JSON-LD with a published @context."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from sozialgraph.publish.files import Written, gzip_bytes, rdf_bytes, write_bytes, write_text
from sozialgraph.publish.jsonld import compact_jsonld
from sozialgraph.publish.prefixes import prefixes_for
from sozialgraph.publish.subset import PublicGraph

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


def sorted_triples(graph: PublicGraph) -> list[Triple]:
    """A stable order, so that publishing unchanged data gives byte-identical files (and checksums)."""
    return sorted(graph.triples(), key=lambda t: (_key(t.subject), t.predicate.value, _key(t.object)))


def _key(term: NamedNode | BlankNode | Literal | Triple) -> str:
    return str(term)


def write_dumps(root: Path, graph: PublicGraph, triples: list[Triple]) -> Dumps:
    layout = graph.layout
    prefixes = prefixes_for(layout.base, (t.value for triple in triples for t in (triple.subject, triple.object)
                                          if isinstance(t, NamedNode)))
    turtle = rdf_bytes(triples, RdfFormat.TURTLE, prefixes)
    ntriples = rdf_bytes(triples, RdfFormat.N_TRIPLES)
    context = write_text(root, CONTEXT, json.dumps({"@context": prefixes}, ensure_ascii=False, indent=2) + "\n")
    return Dumps(
        turtle=write_bytes(root, TURTLE, turtle),
        ntriples=write_bytes(root, NTRIPLES_GZ, gzip_bytes(ntriples)),
        jsonld=write_text(root, JSONLD, compact_jsonld(triples, prefixes, layout.url(CONTEXT))),
        context=context,
        triples=len(triples),
        prefixes=prefixes,
    )
