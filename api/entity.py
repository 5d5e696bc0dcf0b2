"""One resource as a planner reads it: its facts with German labels, who points at it, where it came from."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse

from api.prepared import PreparedQuery
from sozialgraph.namespaces import DCT, RDF, RDFS
from sozialgraph.space_closure import ROW_GRAPHS
from sozialgraph.store import GraphInfo, GraphStore, Term

_FACTS = PreparedQuery.load("entity-facts.rq")
_LINKS = PreparedQuery.load("entity-links.rq")
_TYPE, _LABEL, _IDENTIFIER = RDF.type, RDFS.label, DCT.identifier


def _display_labels() -> dict[str, str]:
    found: dict[str, str] = {}
    with (Path(__file__).parent / "display-labels.ttl").open("rb") as stream:
        for triple in parse(stream, format=RdfFormat.TURTLE):
            if triple.predicate == RDFS.label and isinstance(triple.object, Literal):
                found[triple.subject.value] = triple.object.value
    return found


DISPLAY_LABELS = _display_labels()


@dataclass
class Value:
    term: Term
    label: str | None = None
    identifier: str | None = None

    @property
    def text(self) -> str:
        if self.label:
            return self.label
        if isinstance(self.term, Literal | NamedNode | BlankNode):
            return self.term.value
        return str(self.term)

    @property
    def iri(self) -> str | None:
        return self.term.value if isinstance(self.term, NamedNode) else None


@dataclass
class Fact:
    property: str
    property_label: str
    values: list[Value] = field(default_factory=list)


@dataclass
class Link:
    subject: str
    subject_label: str
    property: str
    property_label: str


@dataclass
class Entity:
    iri: str
    label: str
    identifier: str | None
    types: list[Value]
    facts: list[Fact]
    links: list[Link]
    sources: list[GraphInfo]
    triples: list[Triple]


def _local(iri: str) -> str:
    if iri in DISPLAY_LABELS:
        return DISPLAY_LABELS[iri]
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(term: Term | None) -> str | None:
    return term.value if isinstance(term, Literal) else None


def describe(store: GraphStore, iri: str, include_internal: bool) -> Entity | None:
    """None when no visible graph says anything about `iri`."""
    versions = {info.version.value: info for info in store.graphs(include_internal)}
    node = NamedNode(iri)
    rows = store.select(_FACTS.bind([{"_entity": node}]), include_internal=include_internal).rows
    if not rows:
        return None
    values = [row.get("value") for row in rows]
    children = sorted({value.value for value in values
                       if isinstance(value, NamedNode) and value.value.startswith(iri + "#")})
    if children:
        rows += store.select(_FACTS.bind([{"_entity": NamedNode(child)} for child in children]),
                             include_internal=include_internal).rows
    facts: dict[str, Fact] = {}
    seen: set[tuple[str, str, str]] = set()
    triples: list[Triple] = []
    sources: dict[str, GraphInfo] = {}
    types: list[Value] = []
    label = identifier = None
    for row in rows:
        subject, prop, value = row["_entity"], row["property"], row["value"]
        assert isinstance(subject, NamedNode) and isinstance(prop, NamedNode)
        key = (subject.value, prop.value, str(value))
        graph = row.get("graph")
        if isinstance(graph, NamedNode) and graph.value in versions:
            sources[graph.value] = versions[graph.value]
        if key in seen:
            continue
        seen.add(key)
        triples.append(Triple(subject, prop, value))
        if subject.value != iri:
            continue
        item = Value(value, _text(row.get("value_label")), _text(row.get("value_id")))
        if prop == _TYPE:
            types.append(item)
            continue
        if prop == _LABEL and label is None:
            label = _text(value)
        if prop == _IDENTIFIER and identifier is None:
            identifier = _text(value)
        fact = facts.setdefault(prop.value, Fact(prop.value, _text(row.get("property_label")) or _local(prop.value)))
        fact.values.append(item)
    links = []
    link_seen: set[tuple[str, str]] = set()
    answers = {version for version, info in versions.items() if info.name in ROW_GRAPHS}
    for row in store.select(_LINKS.bind([{"_entity": node}]), include_internal=include_internal).rows:
        subject, prop, graph = row["subject"], row["property"], row.get("graph")
        if not isinstance(subject, NamedNode) or not isinstance(prop, NamedNode):
            continue
        if isinstance(graph, NamedNode) and graph.value in answers:
            continue
        if (subject.value, prop.value) in link_seen:
            continue
        link_seen.add((subject.value, prop.value))
        links.append(Link(subject.value, _text(row.get("subject_label")) or _text(row.get("subject_id"))
                          or _local(subject.value), prop.value,
                          _text(row.get("property_label")) or _local(prop.value)))
    ordered = sorted(facts.values(), key=lambda fact: (fact.property != _LABEL.value, fact.property_label))
    return Entity(iri, label or identifier or _local(iri), identifier, types, ordered, links,
                  sorted(sources.values(), key=lambda info: info.name), triples)
