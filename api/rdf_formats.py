"""The RDF and SPARQL result formats the app speaks, by media type and by file suffix."""

from __future__ import annotations

from pyoxigraph import QueryResultsFormat, RdfFormat

GRAPH_MEDIA_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "application/rdf+xml": RdfFormat.RDF_XML,
}
GRAPH_ALIASES: dict[str, str] = {
    "application/x-turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/xml": "application/rdf+xml",
    "application/json": "application/ld+json",
}
SUFFIXES: dict[str, str] = {
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
}
RESULT_MEDIA_TYPES: dict[str, QueryResultsFormat] = {
    "application/sparql-results+json": QueryResultsFormat.JSON,
    "application/sparql-results+xml": QueryResultsFormat.XML,
    "text/csv": QueryResultsFormat.CSV,
    "text/tab-separated-values": QueryResultsFormat.TSV,
}
RESULT_ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
}
CHARSET_TYPES = {"text/turtle", "application/n-triples", "text/csv", "text/tab-separated-values", "text/plain"}


def content_type(media: str) -> str:
    return f"{media}; charset=utf-8" if media in CHARSET_TYPES else media
