"""Undo what a server does to literals on its own, so answers read the same as from the embedded store.

Virtuoso 7 turns every `geo:wktLiteral` into its internal `virtrdf:Geometry`, keeping coordinates as 32-bit floats
and printing them with twelve decimals (`11.0289` comes back as `11.028900146484`; openlink/virtuoso-opensource
issues #456, #803, #808, open). We give the literal its GeoSPARQL datatype back and print each coordinate as the
shortest decimal that is the same 32-bit float: coordinates with up to seven significant digits come back exactly
as written; finer ones stay rounded to within a metre, which no reading can undo.

Virtuoso also stores booleans as numbers and answers `"1"^^xsd:boolean`: a valid but not the canonical form, which
compares unequal to the `"true"` everyone else returns. We give the canonical form. And its JSON results name
blank nodes `nodeID://b10000`, which is no blank node label; we drop the prefix before parsing.
"""

from __future__ import annotations

import re
import struct
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Triple

from sozialgraph.store.backend import Term

VIRTUOSO_GEOMETRY = "http://www.openlinksw.com/schemas/virtrdf#Geometry"
WKT_LITERAL = NamedNode("http://www.opengis.net/ont/geosparql#wktLiteral")
BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"
_CANONICAL_BOOLEAN = {"1": "true", "0": "false"}
_VIRTUOSO_BNODE = re.compile(rb'("type":\s*"bnode",\s*"value":\s*")nodeID://')
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


def _float32(value: float) -> float:
    result: float = struct.unpack("f", struct.pack("f", value))[0]
    return result


def shortest_float32(text: str) -> str:
    """The shortest plain decimal that rounds to the same 32-bit float as `text`."""
    target = _float32(float(text))
    for digits in range(1, 10):
        candidate = f"{target:.{digits}g}"
        if _float32(float(candidate)) == target:
            return format(Decimal(candidate).normalize(), "f")
    return text


def from_server(term: Term) -> Term:
    if not isinstance(term, Literal):
        return term
    datatype = term.datatype.value
    if datatype == VIRTUOSO_GEOMETRY:
        return Literal(_NUMBER.sub(lambda match: shortest_float32(match.group()), term.value), datatype=WKT_LITERAL)
    if datatype == BOOLEAN and term.value in _CANONICAL_BOOLEAN:
        return Literal(_CANONICAL_BOOLEAN[term.value], datatype=term.datatype)
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
