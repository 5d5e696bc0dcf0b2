"""SPARQL results as bytes in the format the client asked for.

The store answers with terms (it may be embedded or remote); SELECT and ASK results are written as SPARQL
JSON here and handed to pyoxigraph's result serialisers for XML, CSV and TSV, so those formats come from the
library rather than from us.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryResultsFormat,
    RdfFormat,
    Triple,
    parse_query_results,
    serialize,
)

from sozialgraph.namespaces import PREFIXES, XSD
from sozialgraph.store import SelectResult, Term

_XSD_STRING = XSD.string.value
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def term_json(term: Term) -> dict[str, object]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        data: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            data["xml:lang"] = term.language
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            data["datatype"] = term.datatype.value
        return data
    return {"type": "triple", "value": {"subject": term_json(term.subject),
                                        "predicate": term_json(term.predicate),
                                        "object": term_json(term.object)}}


def select_json(result: SelectResult) -> bytes:
    bindings = [{name: term_json(value) for name, value in row.items()} for row in result.rows]
    payload = {"head": {"vars": result.columns}, "results": {"bindings": bindings}}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ask_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


def convert_results(json_bytes: bytes, target: QueryResultsFormat) -> bytes:
    if target == QueryResultsFormat.JSON:
        return json_bytes
    parsed = parse_query_results(json_bytes, QueryResultsFormat.JSON)
    data = parsed.serialize(format=target)
    assert data is not None
    return data


def graph_bytes(triples: Iterable[Triple], target: RdfFormat) -> bytes:
    prefixes = PREFIXES if target in (RdfFormat.TURTLE, RdfFormat.RDF_XML, RdfFormat.JSON_LD) else None
    data = serialize(triples, format=target, prefixes=prefixes)
    assert data is not None
    return data
