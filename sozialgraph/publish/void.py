"""A VoID description of the published data: sizes, class and property partitions, where the dumps are."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from pyoxigraph import Literal, NamedNode, RdfFormat, Store, Triple

from sozialgraph.namespaces import DCT, RDF, XSD
from sozialgraph.publish.files import Written, rdf_bytes, write_bytes
from sozialgraph.publish.queries import select_data
from sozialgraph.publish.subset import PublicGraph
from sozialgraph.store.backend import Term

VOID_FILE = "void.ttl"
VOID = "http://rdfs.org/ns/void#"
FORMATS = "http://www.w3.org/ns/formats/"


def _void(name: str) -> NamedNode:
    return NamedNode(VOID + name)


def _integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


def _count(row: Mapping[str, Term], name: str) -> int:
    value = row.get(name)
    return int(value.value) if isinstance(value, Literal) else 0


def write_void(root: Path, graph: PublicGraph, dataset: NamedNode, dumps: list[str], licence: str,
               title: str, prefixes: dict[str, str]) -> tuple[Written, int]:
    """Returns the file and the triple count it states (the check compares it with the Turtle dump)."""
    store: Store = graph.store
    layout = graph.layout
    totals = select_data(store, "void-totals")[0]
    triples: list[Triple] = [
        Triple(dataset, RDF.type, _void("Dataset")),
        Triple(dataset, DCT.title, Literal(title, language="de")),
        Triple(dataset, DCT.license, NamedNode(licence)),
        Triple(dataset, _void("triples"), _integer(_count(totals, "triples"))),
        Triple(dataset, _void("distinctSubjects"), _integer(_count(totals, "subjects"))),
        Triple(dataset, _void("distinctObjects"), _integer(_count(totals, "objects"))),
        Triple(dataset, _void("properties"), _integer(_count(totals, "properties"))),
        Triple(dataset, _void("entities"), _integer(len(graph.documents))),
        Triple(dataset, _void("uriSpace"), Literal(layout.base)),
        Triple(dataset, _void("rootResource"), NamedNode(layout.url("index.html"))),
        Triple(dataset, _void("vocabulary"), NamedNode("https://w3id.org/sozialgraph/ontology#")),
    ]
    for name in ("Turtle", "N-Triples", "JSON-LD"):
        triples.append(Triple(dataset, _void("feature"), NamedNode(FORMATS + name.replace("-", "_"))))
    for relative in dumps:
        triples.append(Triple(dataset, _void("dataDump"), NamedNode(layout.url(relative))))
    if graph.documents:
        triples.append(Triple(dataset, _void("exampleResource"), NamedNode(graph.documents[0])))
    classes = select_data(store, "void-classes")
    triples.append(Triple(dataset, _void("classes"), _integer(len(classes))))
    for index, row in enumerate(classes, start=1):
        klass = row.get("class")
        if not isinstance(klass, NamedNode):
            continue
        partition = NamedNode(f"{dataset.value}-class-{index}")
        triples += [
            Triple(dataset, _void("classPartition"), partition),
            Triple(partition, _void("class"), klass),
            Triple(partition, _void("entities"), _integer(_count(row, "entities"))),
        ]
    for index, row in enumerate(select_data(store, "void-properties"), start=1):
        prop = row.get("property")
        if not isinstance(prop, NamedNode):
            continue
        partition = NamedNode(f"{dataset.value}-property-{index}")
        triples += [
            Triple(dataset, _void("propertyPartition"), partition),
            Triple(partition, _void("property"), prop),
            Triple(partition, _void("triples"), _integer(_count(row, "triples"))),
        ]
    data = rdf_bytes(triples, RdfFormat.TURTLE, prefixes)
    return write_bytes(root, VOID_FILE, data), _count(totals, "triples")
