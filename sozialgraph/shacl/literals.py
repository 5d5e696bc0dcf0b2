"""sh:datatype and the value-range components, decided exactly as pySHACL decides them.

pySHACL judges literals with rdflib's Python values (is "2023-02-30"^^xsd:date well-formed? is a date greater
than a number?). SPARQL engines judge some corner cases differently, so the compiled query decides only the
literals whose lexical form is unambiguous (a plain date, a short integer or decimal), where rdflib and every
SPARQL engine agree. The rest ("undecided" literals: rare in practice, typically hand-written RDF) are fetched
once and judged here in Python with pySHACL's own rules; the verdicts go back into the query as a list of terms.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

import pyoxigraph
from pyshacl.rdfutil.compare import compare_literal
from rdflib import RDF, RDFS, XSD, Literal, URIRef
from rdflib.term import Node

# Lexical forms both rdflib and SPARQL engines read the same way (no 29th-31st: leap years and short months
# are left to Python).
FAST_PATTERNS: dict[URIRef, str] = {
    XSD.date: "^[1-9][0-9][0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$",
    XSD.integer: "^[+-]?[0-9]{1,15}$",
    XSD.decimal: "^[+-]?[0-9]{1,15}([.][0-9]{1,15})?$",
}
NUMERIC_FAST = (XSD.integer, XSD.decimal)
ALWAYS_VALID = (XSD.string, RDF.langString)
RANGE_OPERATORS = {"minInclusive": ">=", "minExclusive": ">", "maxInclusive": "<=", "maxExclusive": "<"}


def rdflib_knows(datatype: Node) -> bool:
    """rdflib converts literals of this datatype to Python values (and so may find them ill-typed)."""
    with _quiet():
        return Literal("x", datatype=str(datatype)).ill_typed is not None


def to_rdflib(term: pyoxigraph.Literal) -> Literal:
    """The literal as pySHACL sees it after our N-Triples round trip (xsd:string written as a plain literal)."""
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    with _quiet():
        return Literal(term.value, datatype=URIRef(term.datatype.value))


def to_oxigraph(term: Literal) -> pyoxigraph.Literal:
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    datatype = term.datatype or XSD.string
    return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(datatype)))


def datatype_rule(datatype: Node) -> Callable[[Literal], bool]:
    """pySHACL's DatatypeConstraintComponent for one literal value node."""

    def check(value: Literal) -> bool:
        if value.datatype == datatype:
            if getattr(value, "ill_typed", None) is True:
                return False
            return _actual_datatype(value, datatype)
        if datatype == RDFS.Literal:
            return True
        if datatype == RDFS.Datatype and value.datatype:
            return True
        if value.datatype is None and value.language is None and datatype == XSD.string:
            return _actual_datatype(value, datatype)
        if datatype == RDF.langString and value.language:
            return _actual_datatype(value, datatype)
        return False

    return check


def _actual_datatype(value: Literal, datatype: Node) -> bool:
    python = value.value
    expected: dict[Node, type | tuple[type, ...]] = {
        XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
        XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime,
    }  # fmt: skip
    kind = expected.get(datatype)
    return True if kind is None else isinstance(python, kind)


def range_rule(component: str, bound: Literal) -> Callable[[Literal], bool]:
    """pySHACL's value-range components for one literal value node."""
    bound_is_string = isinstance(bound.value, str)

    def check(value: Literal) -> bool:
        if isinstance(value.value, str) != bound_is_string:
            return False
        try:
            order = compare_literal(value, bound)
        except (TypeError, NotImplementedError):
            return False
        return {
            "minInclusive": order >= 0, "minExclusive": order > 0,
            "maxInclusive": order <= 0, "maxExclusive": order < 0,
        }[component]  # fmt: skip

    return check


def fast_numeric_bound(bound: Node) -> bool:
    """A bound the compiled query may compare with directly: a short integer or decimal."""
    import re

    return (
        isinstance(bound, Literal)
        and bound.datatype in NUMERIC_FAST
        and re.match(FAST_PATTERNS[bound.datatype], str(bound)) is not None
    )


class _quiet:
    """rdflib logs every ill-typed literal it meets; here that is expected, not news."""

    def __enter__(self) -> None:
        self.logger = logging.getLogger("rdflib.term")
        self.level = self.logger.level
        self.logger.setLevel(logging.CRITICAL)

    def __exit__(self, *_: object) -> None:
        self.logger.setLevel(self.level)
