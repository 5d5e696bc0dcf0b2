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
from dataclasses import dataclass
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from sozialgraph.namespaces import SG, XSD
from sozialgraph.offer_cells import Offers, either
from sozialgraph.store import GraphStore
from sozialgraph.store.graphs import Derivation, Visible
from sozialgraph.view_rows import Key, Values, ViewRows

OVERLAPS_GRAPH = "_derived/overlaps"
INTERNAL_OVERLAPS_GRAPH = OVERLAPS_GRAPH + "/internal"
OVERLAP_GRAPHS = frozenset((OVERLAPS_GRAPH, INTERNAL_OVERLAPS_GRAPH))
MINIMUM_OFFERS = 2
"""Rows exist from this many offers on: one offer is no overlap, and rows for every single offer would add more
triples than the offers themselves."""
TABLE = NamedNode("urn:sozialgraph:overlaps")
_IDENTIFIERS = (Path(__file__).parent / "rq" / "offer-identifiers.rq").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Row:
    offers: int
    providers: int
    ids: str


def derivations(public: Offers, internal: Offers, public_pairs: set[tuple[str, str]],
                every_pair: set[tuple[str, str]]) -> list[tuple[str, bool, Derivation]]:
    """(graph name, internal, derivation) of the public rows and the planners' rows that differ from them."""

    def compute(store: GraphStore, visible: Visible, planners: bool) -> dict[Key, Values]:
        identifiers = _identifiers(store, visible)
        found = (rows(public, every_pair, identifiers, adding=internal) if planners
                 else rows(public, public_pairs, identifiers))
        return {key: row_values(key, row) for key, row in found.items()}

    return ViewRows(TABLE, SG.OverlapTable, compute).derivations(OVERLAPS_GRAPH, INTERNAL_OVERLAPS_GRAPH)


def rows(offers: Offers, within: Iterable[tuple[str, str]], identifiers: Mapping[str, set[str]],
         adding: Offers | None = None) -> dict[tuple[str, str, str], Row]:
    """The rows of every (space, field, group) with at least `MINIMUM_OFFERS` offers that have an id; with
    `adding`, an offer's type and attributes are those of both visibilities."""
    above: defaultdict[str, list[str]] = defaultdict(list)
    for inside, space in within:
        above[inside].append(space)
    extra = adding or Offers()
    members: defaultdict[tuple[str, str, str], list[str]] = defaultdict(list)
    for offer in offers.typed | extra.typed:
        if offer not in identifiers:
            continue
        fields = either(offers.fields, extra.fields, offer)
        groups = either(offers.groups, extra.groups, offer)
        spaces = {space for inside in either(offers.spaces, extra.spaces, offer) for space in above.get(inside, ())}
        for space in spaces:
            for field_ in fields:
                for group in groups:
                    members[(space, field_, group)].append(offer)
    found: dict[tuple[str, str, str], Row] = {}
    for key, among in members.items():
        if len(among) < MINIMUM_OFFERS:
            continue
        providers: set[str] = set()
        ids: set[str] = set()
        for offer in among:
            providers |= either(offers.providers, extra.providers, offer)
            ids |= identifiers[offer]
        found[key] = Row(len(among), len(providers), ";".join(sorted(ids)))
    return found



def row_values(key: Key, row: Row) -> Values:
    space, field_, group = key
    return ((SG.overlapSpace, NamedNode(space)), (SG.overlapFieldOfAction, NamedNode(field_)),
            (SG.overlapTargetGroup, NamedNode(group)),
            (SG.overlapOffers, Literal(str(row.offers), datatype=XSD.integer)),
            (SG.overlapProviders, Literal(str(row.providers), datatype=XSD.integer)),
            (SG.overlapOfferIds, Literal(row.ids)))


def _identifiers(store: GraphStore, visible: Visible) -> dict[str, set[str]]:
    """The ids of every offer, as the graphs of `visible` (without derived graphs) give them."""
    versions = [version for name, (version, _) in visible.items() if not name.startswith("_")]
    found: defaultdict[str, set[str]] = defaultdict(set)
    if not versions:
        return found
    for row in store.backend.select(_IDENTIFIERS, versions).rows:
        offer, identifier = row.get("offer"), row.get("id")
        if isinstance(offer, NamedNode) and isinstance(identifier, Literal):
            found[offer.value].add(identifier.value)
    return found
