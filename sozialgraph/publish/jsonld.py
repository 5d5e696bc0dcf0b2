"""Compact JSON-LD: pyoxigraph writes the triples as expanded JSON-LD, and IRIs are then shortened with the
prefixes of the context. rdflib's serializer gives the same result several times slower (it re-parses the
triples first), which mattered for the five-second budget of a publication."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from pyoxigraph import RdfFormat, Triple

from sozialgraph.publish.files import rdf_bytes

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
CACHE_SIZE = 100_000


class Compactor:
    def __init__(self, prefixes: dict[str, str]) -> None:
        # Longest namespace first, so `offer:x` wins over `id:offer/x`.
        self.prefixes = sorted(prefixes.items(), key=lambda item: len(item[1]), reverse=True)
        # Predicates, classes, codes and linked entities recur thousands of times in a large graph.
        self._known: dict[str, str] = {}

    def iri(self, value: str) -> str:
        known = self._known.get(value)
        if known is None:
            if len(self._known) >= CACHE_SIZE:  # every entity IRI passes by once in a dump: keep memory flat
                self._known.clear()
            known = self._known[value] = self._compact(value)
        return known

    def _compact(self, value: str) -> str:
        for prefix, namespace in self.prefixes:
            if value.startswith(namespace):
                local = value[len(namespace):]
                # A suffix starting with // would make the compact IRI read as an absolute one.
                if local and not local.startswith("//"):
                    return f"{prefix}:{local}"
        return value

    def node(self, node: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, values in node.items():
            if key == "@id":
                out["@id"] = self.iri(values)
            elif key == RDF_TYPE:
                out["@type"] = [self.iri(value["@id"]) for value in values]
            elif key.startswith("@"):
                out[key] = values
            else:
                out[self.iri(key)] = [self.value(value) for value in values]
        return out

    def value(self, value: dict[str, Any]) -> dict[str, Any]:
        if "@id" in value:
            return {"@id": self.iri(value["@id"])}
        if "@type" in value:
            return {"@value": value["@value"], "@type": self.iri(value["@type"])}
        return value


def compact_jsonld(triples: Iterable[Triple], prefixes: dict[str, str], context: object,
                   indent: bool = True) -> str:
    """A JSON-LD document `{"@context": context, "@graph": [...]}`; `context` is the prefix map itself or the
    URL of a published file holding it. Without `indent`, one node per line: Python's JSON encoder is written in
    C only for unindented output, which makes the dump of a large graph several times faster."""
    expanded = json.loads(rdf_bytes(triples, RdfFormat.JSON_LD))
    compactor = Compactor(prefixes)
    nodes = [compactor.node(node) for node in expanded]
    if indent:
        return json.dumps({"@context": context, "@graph": nodes}, ensure_ascii=False, indent=1) + "\n"
    lines = [json.dumps(node, ensure_ascii=False) for node in nodes]
    head = json.dumps(context, ensure_ascii=False)
    return '{"@context": ' + head + ', "@graph": [\n' + ",\n".join(lines) + "\n]}\n"
