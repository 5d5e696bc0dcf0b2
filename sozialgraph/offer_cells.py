"""`sg:offerCell`: for which field of action and target group a space has an offer, kept as derived graphs.

The gap queries ask, for every space, field and target group, whether an offer lies in the space or in a space
inside it. Joining every offer with the space closure at query time took 10-15 s of CPU at nation scale (400 000
offers), so the load that changes offers or spaces also rewrites, in the same commit, one triple per space and
(field, group) pair, the "cell":

    ?space sg:offerCell ?cell .  ?cell sg:cellFieldOfAction ?field ;  sg:cellTargetGroup ?group .

holds exactly when

    ?offer a sg:Offer ; sg:fieldOfAction ?field ; sg:targetGroup ?group ; sg:socialSpace ?inside .
    ?inside sg:withinSpace ?space .

has a match. As for the closure, cells that only exist because of internal graphs (an internal offer, a public
offer in an internal space, an attribute from an internal graph) go into an internal derived graph, so public
answers never show them.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Triple

from sozialgraph.namespaces import RDF, SG
from sozialgraph.sparql_values import bind
from sozialgraph.store import GraphInfo, GraphStore, Term

CELLS_GRAPH = "_derived/offer-cells"
INTERNAL_CELLS_GRAPH = CELLS_GRAPH + "/internal"
CELL_GRAPHS = frozenset((CELLS_GRAPH, INTERNAL_CELLS_GRAPH))
CELL_PREFIX = "urn:sozialgraph:offer-cell:"
_ATTRIBUTES = (Path(__file__).parent / "rq" / "offer-attributes.rq").read_text(encoding="utf-8")
_INPUTS = (Path(__file__).parent / "rq" / "offer-inputs.rq").read_text(encoding="utf-8")
_OFFERS_AMONG = (Path(__file__).parent / "rq" / "offers-or-plans-among.rq").read_text(encoding="utf-8")
_OFFERS = (Path(__file__).parent / "rq" / "offers-and-plans.rq").read_text(encoding="utf-8")
_IDENTIFIERS = (Path(__file__).parent / "rq" / "identifiers.rq").read_text(encoding="utf-8")
_CHUNK = 1000
_CHUNKS_TO_ASK = 5
_NONE: frozenset[str] = frozenset()
_TYPE, _OFFER = RDF.type.value, SG.Offer.value
_FIELD, _GROUP, _IN = SG.fieldOfAction.value, SG.targetGroup.value, SG.socialSpace.value
_PROVIDER, _DEPARTMENT = SG.provider.value, SG.responsibleDepartment.value
ATTRIBUTES = frozenset((_FIELD, _GROUP, _IN, _PROVIDER, _DEPARTMENT))
"""The attributes the cells, the overlap rows (`overlap_rows.py`) and the supply rows (`supply_rows.py`) are made
of: an offer's, and a plan's (any entity with a responsible department)."""


@dataclass
class Offers:
    """Offers and their fields, groups, spaces and providers, and plans and their departments, as one
    visibility sees them, and the graphs they came from. Fields and spaces are kept for every entity."""

    typed: set[str] = field(default_factory=set)
    fields: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    groups: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    spaces: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    providers: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    departments: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    placed_otherwise: set[str] = field(default_factory=set)
    """Entities with a space that is no IRI: the supply query takes them for plans with a space."""
    identifiers: dict[str, str] = field(default_factory=dict)
    """An entity's id (its first, when it has several): kept for every entity until `keep_offer_ids`."""
    more_identifiers: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    graphs: set[str] = field(default_factory=set)

    def add(self, graph: str, subject: str, predicate: str, value: str) -> None:
        if predicate == _TYPE:
            if value != _OFFER:
                return
            self.typed.add(subject)
        elif predicate == _FIELD:
            self.fields[subject].add(value)
        elif predicate == _GROUP:
            self.groups[subject].add(value)
        elif predicate == _IN:
            self.spaces[subject].add(value)
        elif predicate == _PROVIDER:
            self.providers[subject].add(value)
        elif predicate == _DEPARTMENT:
            self.departments[subject].add(value)
        else:
            return
        self.graphs.add(graph)

    def add_identifier(self, subject: str, value: str) -> None:
        first = self.identifiers.setdefault(subject, value)
        if first != value:
            self.more_identifiers[subject].add(value)

    def ids(self, entity: str) -> set[str]:
        """The entity's ids in this visibility."""
        first = self.identifiers.get(entity)
        if first is None:
            return set()
        more = self.more_identifiers.get(entity)
        return {first, *more} if more else {first}

    def keep_offer_ids(self, offers: set[str]) -> None:
        """Forget the ids of everything that is no offer (the overlap rows list offers' ids only)."""
        self.identifiers = {entity: value for entity, value in self.identifiers.items() if entity in offers}
        for entity in [entity for entity in self.more_identifiers if entity not in offers]:
            del self.more_identifiers[entity]

    def touched(self) -> set[str]:
        """Every entity this visibility says something about."""
        return (self.typed | self.fields.keys() | self.groups.keys() | self.spaces.keys() | self.providers.keys()
                | self.departments.keys() | self.placed_otherwise | self.identifiers.keys())

    def feeds_network(self) -> bool:
        """Whether these offers or plans name a provider or a responsible department."""
        return bool(self.providers or self.departments)

    def cells(self, within: Iterable[tuple[str, str]], only: set[str] | None = None,
              adding: Offers | None = None) -> set[tuple[str, str, str]]:
        """(space, field, group) for every offer (of `only`, if given), in its spaces and every space they lie
        within; with `adding`, an offer's type and attributes are those of both visibilities."""
        above = spaces_above(within)
        if not above:
            return set()
        extra = adding or Offers()
        found: set[tuple[str, str, str]] = set()
        for offer in (self.typed | extra.typed) if only is None else only:
            if offer not in self.typed and offer not in extra.typed:
                continue
            fields = self.fields.get(offer, set()) | extra.fields.get(offer, set())
            groups = self.groups.get(offer, set()) | extra.groups.get(offer, set())
            if not fields or not groups:
                continue
            pairs = [(field_, group) for field_ in fields for group in groups]
            for inside in self.spaces.get(offer, set()) | extra.spaces.get(offer, set()):
                for space in above.get(inside, ()):
                    found.update((space, field_, group) for field_, group in pairs)
        return found


def spaces_above(within: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Closure pairs (inside, space) as: space -> every space it lies within, itself included."""
    above: defaultdict[str, list[str]] = defaultdict(list)
    for inside, space in within:
        above[inside].append(space)
    return above


def all_cells(public: Offers, internal: Offers, public_pairs: set[tuple[str, str]],
              every_pair: set[tuple[str, str]], public_cells: set[tuple[str, str, str]]) -> set[tuple[str, str, str]]:
    """The cells planners see: the public ones, those of offers internal graphs say something about, and those
    of public offers through spaces only internal graphs place them in."""
    found = set(public_cells)
    found |= public.cells(every_pair, only=internal.touched(), adding=internal)
    found |= public.cells(every_pair - public_pairs)
    return found


@lru_cache(maxsize=4096)
def cell_iri(field_: str, group: str) -> str:
    return CELL_PREFIX + hashlib.sha256(f"{field_} {group}".encode()).hexdigest()[:32]


def cell_triples(cells: set[tuple[str, str, str]], described: set[tuple[str, str]]) -> list[Triple]:
    """The triples of these cells; a (field, group) pair in `described` has its node in another graph already."""
    triples = []
    pairs: set[tuple[str, str]] = set()
    for space, field_, group in sorted(cells):
        triples.append(Triple(NamedNode(space), SG.offerCell, NamedNode(cell_iri(field_, group))))
        pairs.add((field_, group))
    for field_, group in sorted(pairs - described):
        node = NamedNode(cell_iri(field_, group))
        triples.append(Triple(node, SG.cellFieldOfAction, NamedNode(field_)))
        triples.append(Triple(node, SG.cellTargetGroup, NamedNode(group)))
    return triples


def read_store(store: GraphStore, kept: list[GraphInfo], public: Offers, internal: Offers) -> None:
    """Add the offer attributes and ids of graphs this change keeps, each to the visibility of its graph."""
    if not kept:
        return
    for graph_info in kept:  # one graph at a time: Oxigraph reads one graph much faster than a list of them
        target = internal if graph_info.internal else public
        for row in store.backend.select(_IDENTIFIERS, [graph_info.version]).rows:
            entity, identifier = row.get("entity"), row.get("id")
            if isinstance(entity, NamedNode) and isinstance(identifier, Literal):
                target.add_identifier(entity.value, identifier.value)
    by_version = {info.version.value: info for info in kept}
    for row in store.backend.select(_ATTRIBUTES, [info.version for info in kept]).rows:
        graph, entity, predicate, value = row.get("graph"), row.get("entity"), row.get("property"), row.get("value")
        if not (isinstance(graph, NamedNode) and isinstance(entity, NamedNode) and isinstance(predicate, NamedNode)):
            continue
        info = by_version.get(graph.value)
        if info is None or value is None:
            continue
        target = internal if info.internal else public
        if isinstance(value, NamedNode):
            target.add(info.iri.value, entity.value, predicate.value, value.value)
        elif predicate.value == _PROVIDER:
            target.add(info.iri.value, entity.value, predicate.value, provider_key(value))
        elif predicate.value == _IN:
            target.placed_otherwise.add(entity.value)


def either(first: Mapping[str, set[str]], second: Mapping[str, set[str]], entity: str) -> set[str] | frozenset[str]:
    """An entity's values in two visibilities."""
    one, other = first.get(entity, _NONE), second.get(entity, _NONE)
    return one | other if other else one


def provider_key(value: Term) -> str:
    """What tells providers apart: an IRI's text, or the N-Triples of a literal or blank node a provider column
    should not hold but the overlap rows count as the direct query does."""
    return value.value if isinstance(value, NamedNode) else str(value)


def feeds_cells(store: GraphStore, current: list[GraphInfo], changed: list[GraphInfo]) -> bool:
    """Whether the current versions of `changed` (replaced or dropped) hold offers, spaces or offer attributes."""
    if not changed:
        return False
    query = bind(_INPUTS, [{"graph": info.version} for info in changed])
    return store.backend.ask(query, [info.version for info in current])


def any_offer_or_plan(store: GraphStore, graphs: list[GraphInfo], entities: set[str]) -> bool:
    """Whether one of `entities` is typed an offer, or names a provider or responsible department, in `graphs`
    (in chunks: a server takes a query of any size; past a few chunks, reading them all once is cheaper)."""
    if not graphs or not entities:
        return False
    versions = [info.version for info in graphs]
    if len(entities) > _CHUNKS_TO_ASK * _CHUNK:
        offers = store.backend.select(_OFFERS, versions).rows
        return any(isinstance(term := row.get("entity"), NamedNode) and term.value in entities for row in offers)
    ordered = sorted(entities)
    for start in range(0, len(ordered), _CHUNK):
        rows = [{"entity": NamedNode(entity)} for entity in ordered[start:start + _CHUNK]]
        if store.backend.ask(bind(_OFFERS_AMONG, rows), versions):
            return True
    return False
