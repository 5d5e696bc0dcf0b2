"""What a server does to terms on its own, undone, so answers read the same as from the embedded store.

Virtuoso 7 turns every `geo:wktLiteral` it stores into its internal `virtrdf:Geometry`: coordinates become 32-bit
floats (`11.0289` comes back as `11.028900146484`), the text is respelt, and a literal with the CRS IRI GeoSPARQL
allows in front (`<http://www.opengis.net/def/crs/OGC/1.3/CRS84> POINT(…)`) is refused, failing the whole upload
(openlink/virtuoso-opensource issues #456, #773, #803, #808, all open; it cannot be switched off). So on Virtuoso we
store WKT under a datatype of our own, which it leaves alone, and give it back as `geo:wktLiteral`: the text stays as
written. Queries sent to Virtuoso name that datatype where they name `geo:wktLiteral` (a datatype check of the
completeness check, a WKT constant), so they find what they would find elsewhere. (Virtuoso's own geo functions do
not see these literals; sozialgraph does its geometry itself.)

Virtuoso also keeps booleans as numbers and answers `"1"^^xsd:boolean`: a valid but not the canonical form, unequal
to the `"true"` the others return; we give the canonical form. And its JSON results name blank nodes
`nodeID://b10000`, which is no blank node label; we drop the prefix before parsing.
"""

from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode, Triple

from sozialgraph.store.backend import Term

WKT_LITERAL = NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")
STORED_WKT = NamedNode("urn:x-sozialgraph:geosparql-wktLiteral")
BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}
_GEO = "http://www.opengis.net/ont/geosparql#"
_GEO_PREFIX = re.compile(r"PREFIX\s+([A-Za-z][\w.-]*)?:\s*<" + re.escape(_GEO) + ">", re.IGNORECASE)
_VIRTUOSO_BNODE = re.compile(rb'("type":\s*"bnode",\s*"value":\s*")nodeID://')


def for_virtuoso(triple: Triple) -> Triple:
    obj = triple.object
    if isinstance(obj, Literal) and obj.datatype == WKT_LITERAL:
        return Triple(triple.subject, triple.predicate, Literal(obj.value, datatype=STORED_WKT))
    return triple


def virtuoso_query(query: str) -> str:
    """The query with `geo:wktLiteral` (as an IRI or a prefixed name) naming the datatype WKT is stored under."""
    text = query.replace(f"<{WKT_LITERAL.value}>", f"<{STORED_WKT.value}>")
    for prefix in {match.group(1) or "" for match in _GEO_PREFIX.finditer(text)}:
        text = re.sub(rf"(?<![\w:.-]){re.escape(prefix)}:wktLiteral(?![\w.-])", f"<{STORED_WKT.value}>", text)
    return text


def from_server(term: Term) -> Term:
    if not isinstance(term, Literal):
        return term
    datatype = term.datatype
    if datatype == STORED_WKT:
        return Literal(term.value, datatype=WKT_LITERAL)
    if datatype.value == BOOLEAN and term.value in _CANONICAL_BOOLEAN:
        return Literal(_CANONICAL_BOOLEAN[term.value], datatype=datatype)
    return term


def triple_from_server(triple: Triple) -> Triple:
    obj = triple.object
    if isinstance(obj, Literal):
        mapped = from_server(obj)
        if mapped is not obj:
            return Triple(triple.subject, triple.predicate, mapped)
    return triple


def virtuoso_json(data: bytes) -> bytes:
    """Virtuoso's SPARQL JSON results with blank node labels any parser takes (one binding per line, so this works
    line by line too)."""
    return _VIRTUOSO_BNODE.sub(rb"\1", data)
