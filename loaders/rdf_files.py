"""RDF files as sources: Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML (parsed by pyoxigraph)."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, Triple, parse

from sozialgraph.errors import InputError

RDF_FORMATS: dict[str, RdfFormat] = {
    ".ttl": RdfFormat.TURTLE,
    ".turtle": RdfFormat.TURTLE,
    ".trig": RdfFormat.TRIG,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".jsonld": RdfFormat.JSON_LD,
    ".json": RdfFormat.JSON_LD,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".xml": RdfFormat.RDF_XML,
    ".n3": RdfFormat.N3,
}


def is_rdf_file(path: Path) -> bool:
    return path.suffix.casefold() in RDF_FORMATS


def read_rdf(path: Path, display_name: str, base_iri: str) -> list[Triple]:
    """All triples of the file; the graphs of a TriG or N-Quads file merge into the one source graph."""
    rdf_format = RDF_FORMATS[path.suffix.casefold()]
    try:
        with path.open("rb") as stream:
            return [quad.triple for quad in parse(stream, format=rdf_format, base_iri=base_iri)]
    except SyntaxError as error:
        line = error.args[1][1] if len(error.args) > 1 and error.args[1] else None
        message = str(error.args[0]) if error.args else str(error)
        raise InputError(display_name, f"fehlerhafte RDF-Datei ({rdf_format.name}): {message}",
                         row=line) from error
    except UnicodeDecodeError as error:
        raise InputError(display_name, "die Datei ist nicht UTF-8-kodiert") from error
