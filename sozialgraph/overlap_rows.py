"""Overlap rows: the answers of `overlaps` for every space, field of action and target group, kept as derived graphs.

`overlaps` counts, per space, field and target group, the offers in the space or a space inside it and their
providers. Joining every offer with its fields, groups, spaces, providers and ids and with the space closure at
query time took 13-19 s at nation scale (400 000 offers), so each load that recomputes the offer cells also
writes, inside the same commit, one row for every (space, field, group) with at least `MINIMUM_OFFERS` offers:

    ?row sg:overlapSpace ?space ; sg:overlapFieldOfAction ?field ; sg:overlapTargetGroup ?group ;
         sg:overlapOffers ?offers ; sg:overlapProviders ?providers ; sg:overlapOfferIds "id;id;…" .

An offer counts when it is typed `sg:Offer` and has a field, a target group, a space and an id, exactly what the
direct query (`tests/queries/direct/overlaps.rq`) asks. The rows are computed inside the write
(`DerivedContent`) because the offers' ids are read from the graphs the readers will see; everything else comes
from the offers the closure pass already holds in memory.

The rows per access level follow `view_rows.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from sozialgraph.namespaces import SG
from sozialgraph.offer_cells import Offers, either
from sozialgraph.sparql_values import bind
from sozialgraph.store import GraphStore
from sozialgraph.store.graphs import Derivation, Visible
from sozialgraph.view_rows import Key, Values, ViewRows, integer, node, versions

OVERLAPS_GRAPH = "_derived/overlaps"
INTERNAL_OVERLAPS_GRAPH = OVERLAPS_GRAPH + "/internal"
OVERLAP_GRAPHS = frozenset((OVERLAPS_GRAPH, INTERNAL_OVERLAPS_GRAPH))
MINIMUM_OFFERS = 2
"""Rows exist from this many offers on: one offer is no overlap, and rows for every single offer would add more
triples than the offers themselves."""
TABLE = NamedNode("urn:sozialgraph:overlaps")
_RQ = Path(__file__).parent / "rq"
_IDENTIFIERS = (_RQ / "offer-identifiers.rq").read_text(encoding="utf-8")
_ALL_IDENTIFIERS = (_RQ / "identifiers.rq").read_text(encoding="utf-8")
_IDENTIFIERS_AMONG = (_RQ / "identifiers-among.rq").read_text(encoding="utf-8")
_CHUNK = 1000
Cell = tuple[str, str, str]
"""(space, field of action, target group)."""


def derivations(public: Offers, internal: Offers, public_pairs: set[tuple[str, str]],
                every_pair: set[tuple[str, str]]) -> list[tuple[str, bool, Derivation]]:
    """(graph name, internal, derivation) of the public rows and the planners' rows that differ from them."""
    overlaps = _Overlaps(public, internal, public_pairs, every_pair)
    return ViewRows(TABLE, SG.OverlapTable, overlaps.compute).derivations(OVERLAPS_GRAPH, INTERNAL_OVERLAPS_GRAPH)


@dataclass
class _Overlaps:
    """The rows of both views. The planners' rows start from the public ones: only the offers internal graphs
    say something about are counted again, unless internal spaces place offers anew."""

    public: Offers
    internal: Offers
    public_pairs: set[tuple[str, str]]
    every_pair: set[tuple[str, str]]
    identifiers: dict[str, set[str]] = field(default_factory=dict)
    members: dict[Cell, list[str]] = field(default_factory=dict)
    rows: dict[Key, Values] = field(default_factory=dict)

    def compute(self, store: GraphStore, visible: Visible, planners: bool) -> Mapping[Key, Values]:
        if not planners:
            self.identifiers = _identifiers(store, versions(visible))
            self.members = _members(self.public, Offers(), _above(self.public_pairs), self.identifiers,
                                    self.public.typed)
            self.rows = _rows(self.members, self.public, Offers(), self.identifiers)
            return self.rows
        if self.every_pair != self.public_pairs:
            identifiers = _identifiers(store, versions(visible))
            every = self.public.typed | self.internal.typed
            members = _members(self.public, self.internal, _above(self.every_pair), identifiers, every)
            return _rows(members, self.public, self.internal, identifiers)
        changed = self.internal.touched() | _identifiers(store, versions(visible, internal_only=True),
                                                         typed=False).keys()
        identifiers = dict(self.identifiers)
        identifiers.update(_identifiers(store, versions(visible), among=changed))
        added = _members(self.public, self.internal, _above(self.every_pair), identifiers, changed)
        members = {key: sorted(set(self.members.get(key, ())) | set(offers)) for key, offers in added.items()}
        found = dict(self.rows)
        found.update(_rows(members, self.public, self.internal, identifiers))
        return found


def _above(within: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    above: defaultdict[str, list[str]] = defaultdict(list)
    for inside, space in within:
        above[inside].append(space)
    return above


def _members(offers: Offers, extra: Offers, above: Mapping[str, list[str]], identifiers: Mapping[str, set[str]],
             among: Iterable[str]) -> dict[Cell, list[str]]:
    """The offers of `among` that count, under every (space, field, group) they lie in; an offer's type and
    attributes are those of both visibilities."""
    members: defaultdict[Cell, list[str]] = defaultdict(list)
    for offer in among:
        if offer not in identifiers or (offer not in offers.typed and offer not in extra.typed):
            continue
        fields = either(offers.fields, extra.fields, offer)
        groups = either(offers.groups, extra.groups, offer)
        spaces = {space for inside in either(offers.spaces, extra.spaces, offer) for space in above.get(inside, ())}
        for space in spaces:
            for field_ in fields:
                for group in groups:
                    members[(space, field_, group)].append(offer)
    return members


def _rows(members: Mapping[Cell, list[str]], offers: Offers, extra: Offers,
          identifiers: Mapping[str, set[str]]) -> dict[Key, Values]:
    """The rows of the cells with at least `MINIMUM_OFFERS` offers."""
    found: dict[Key, Values] = {}
    for key, among in members.items():
        if len(among) < MINIMUM_OFFERS:
            continue
        providers: set[str] = set()
        ids: set[str] = set()
        for offer in among:
            providers |= either(offers.providers, extra.providers, offer)
            ids |= identifiers[offer]
        space, field_, group = key
        found[key] = ((SG.overlapSpace, node(space)), (SG.overlapFieldOfAction, node(field_)),
                      (SG.overlapTargetGroup, node(group)), (SG.overlapOffers, integer(len(among))),
                      (SG.overlapProviders, integer(len(providers))),
                      (SG.overlapOfferIds, Literal(";".join(sorted(ids)))))
    return found


def _identifiers(store: GraphStore, graphs: list[NamedNode], typed: bool = True,
                 among: set[str] | None = None) -> dict[str, set[str]]:
    """The ids of every offer (of every entity, unless `typed`; of those `among`, if given) in `graphs`."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    if not graphs or (among is not None and not among):
        return found
    if among is None:
        results = [store.backend.select(_IDENTIFIERS if typed else _ALL_IDENTIFIERS, graphs)]
    else:
        ordered = sorted(among)
        results = [store.backend.select(bind(_IDENTIFIERS_AMONG, [{"offer": NamedNode(entity)}
                                                                  for entity in ordered[start:start + _CHUNK]]),
                                        graphs) for start in range(0, len(ordered), _CHUNK)]
    for result in results:
        for row in result.rows:
            offer, identifier = row.get("offer"), row.get("id")
            if isinstance(offer, NamedNode) and isinstance(identifier, Literal):
                found[offer.value].add(identifier.value)
    return found
