"""Namespace IRIs. Terms themselves are declared in ontology/; this only spells their prefixes."""

from __future__ import annotations

from pyoxigraph import NamedNode


class Namespace:
    def __init__(self, base: str) -> None:
        self.base = base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        # Kept as an attribute, so the loaders' per-cell RDF.type etc. skip this method from then on.
        node = NamedNode(self.base + name)
        setattr(self, name, node)
        return node

    def __getitem__(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)


SG_BASE = "https://w3id.org/sozialgraph/ontology#"
CODE_BASE = "https://w3id.org/sozialgraph/code/"

SG = Namespace(SG_BASE)
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
DCT = Namespace("http://purl.org/dc/terms/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
GEO = Namespace("http://www.opengis.net/ont/geosparql#")
QB = Namespace("http://purl.org/linked-data/cube#")
SCHEMA = Namespace("http://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")


def code_iri(scheme: str, notation: str) -> NamedNode:
    return NamedNode(f"{CODE_BASE}{scheme}/{notation}")


def scheme_iri(scheme: str) -> NamedNode:
    return NamedNode(f"{CODE_BASE}{scheme}")


PREFIXES: dict[str, str] = {
    "sg": SG_BASE,
    "rdf": RDF.base,
    "rdfs": RDFS.base,
    "xsd": XSD.base,
    "skos": SKOS.base,
    "dct": DCT.base,
    "org": ORG.base,
    "prov": PROV.base,
    "geo": GEO.base,
    "qb": QB.base,
    "schema": SCHEMA.base,
    "foaf": FOAF.base,
}
