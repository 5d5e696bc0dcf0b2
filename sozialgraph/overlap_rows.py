"""Overlap rows: the answers of `overlaps` for every space, field of action and target group, kept as derived graphs.

`overlaps` counts, per space, field and target group, the offers in the space or a space inside it and their
providers. Joining every offer with its fields, groups, spaces, providers and ids and with the space closure at
query time took 13-19 s at nation scale (400 000 offers), so each load that recomputes the offer cells also
writes, inside the same commit, one row for every (space, field, group) with at least `MINIMUM_OFFERS` offers:

    ?row sg:overlapSpace ?space ; sg:overlapFieldOfAction ?field ; sg:overlapTargetGroup ?group ;
         sg:overlapOffers ?offers ; sg:overlapProviders ?providers ; sg:overlapOfferIds "id;id;…" .

An offer counts when it is typed `sg:Offer` and has a field, a target group, a space and an id, exactly what the
direct query (`tests/queries/direct/overlaps.rq`) asks. Everything comes from what the closure pass holds in
memory: the written sources as they were read, the kept graphs as `offer_cells.read_store` read them.

The rows per access level follow `view_rows.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from sozialgraph.namespaces import SG
from sozialgraph.offer_cells import Offers, either, spaces_above
from sozialgraph.store import GraphStore
from sozialgraph.store.graphs import Derivation, Visible
from sozialgraph.view_rows import Key, Values, ViewRows, integer, node

OVERLAPS_GRAPH = "_derived/overlaps"
INTERNAL_OVERLAPS_GRAPH = OVERLAPS_GRAPH + "/internal"
OVERLAP_GRAPHS = frozenset((OVERLAPS_GRAPH, INTERNAL_OVERLAPS_GRAPH))
MINIMUM_OFFERS = 2
"""Rows exist from this many offers on: one offer is no overlap, and rows for every single offer would add more
triples than the offers themselves."""
TABLE = NamedNode("urn:sozialgraph:overlaps")
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
    members: dict[Cell, list[str]] = field(default_factory=dict)
    rows: dict[Key, Values] = field(default_factory=dict)

    def compute(self, store: GraphStore, visible: Visible, planners: bool) -> Mapping[Key, Values]:
        nobody = Offers()
        if not planners:
            self.members = _members(self.public, nobody, spaces_above(self.public_pairs), self.public.typed)
            self.rows = _rows(self.members, self.public, nobody)
            return self.rows
        if self.every_pair != self.public_pairs:
            every = self.public.typed | self.internal.typed
            return _rows(_members(self.public, self.internal, spaces_above(self.every_pair), every), self.public,
                         self.internal)
        added = _members(self.public, self.internal, spaces_above(self.every_pair), self.internal.touched())
        members = {key: sorted(set(self.members.get(key, ())) | set(offers)) for key, offers in added.items()}
        found = dict(self.rows)
        found.update(_rows(members, self.public, self.internal))
        return found


def _members(offers: Offers, extra: Offers, above: Mapping[str, list[str]], among: Iterable[str]
             ) -> dict[Cell, list[str]]:
    """The offers of `among` that count, under every (space, field, group) they lie in; an offer's type,
    attributes and ids are those of both visibilities."""
    members: defaultdict[Cell, list[str]] = defaultdict(list)
    for offer in among:
        if offer not in offers.typed and offer not in extra.typed:
            continue
        if offer not in offers.identifiers and offer not in extra.identifiers:
            continue
        fields = either(offers.fields, extra.fields, offer)
        groups = either(offers.groups, extra.groups, offer)
        spaces = {space for inside in either(offers.spaces, extra.spaces, offer) for space in above.get(inside, ())}
        for space in spaces:
            for field_ in fields:
                for group in groups:
                    members[(space, field_, group)].append(offer)
    return members


def _rows(members: Mapping[Cell, list[str]], offers: Offers, extra: Offers) -> dict[Key, Values]:
    """The rows of the cells with at least `MINIMUM_OFFERS` offers."""
    found: dict[Key, Values] = {}
    simple = not (extra.providers or extra.identifiers or offers.more_identifiers)
    first_id, providers_of = offers.identifiers, offers.providers
    for key, among in members.items():
        if len(among) < MINIMUM_OFFERS:
            continue
        if simple:  # one visibility, one id per offer: the common case, without a set per offer
            ids = {first_id[offer] for offer in among}
            providers = {provider for offer in among for provider in providers_of.get(offer, ())}
        else:
            ids = {identifier for offer in among for identifier in offers.ids(offer) | extra.ids(offer)}
            providers = {provider for offer in among for provider in either(offers.providers, extra.providers, offer)}
        space, field_, group = key
        found[key] = ((SG.overlapSpace, node(space)), (SG.overlapFieldOfAction, node(field_)),
                      (SG.overlapTargetGroup, node(group)), (SG.overlapOffers, integer(len(among))),
                      (SG.overlapProviders, integer(len(providers))),
                      (SG.overlapOfferIds, Literal(";".join(sorted(ids)))))
    return found
