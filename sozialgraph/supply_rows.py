"""Supply rows: the answers of `network-supply` (which provider offers in fields a department plans for), kept as
derived graphs.

`network-supply` links a provider to a department when the provider has an offer in a field of action a plan of
the department covers, in the plan's space or a space inside it (a plan without a space covers every space),
weighted by the number of such offers. At nation scale the query joined about a million offer-department pairs
(15 s), so each load that recomputes the offer cells also writes, inside the same commit, one row per pair:

    ?row sg:supplyProvider ?provider ; sg:supplyDepartment ?department ; sg:supplyOffers ?weight ;
         sg:supplyFieldIds "HF1;HF4" .

Offers and plans are read as the direct query (`tests/queries/direct/network-supply.rq`) reads them: an offer is
any entity with a provider and a field of action, a plan any entity with a responsible department and a field.
The fields' notations are read inside the write from the graphs the readers will see; everything else comes from
what the closure pass already holds in memory. The rows per access level follow `view_rows.py`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from sozialgraph.namespaces import SG, XSD
from sozialgraph.offer_cells import Offers, either
from sozialgraph.store import GraphStore
from sozialgraph.store.graphs import Derivation, Visible
from sozialgraph.view_rows import Key, Values, ViewRows

SUPPLY_GRAPH = "_derived/network-supply"
INTERNAL_SUPPLY_GRAPH = SUPPLY_GRAPH + "/internal"
SUPPLY_GRAPHS = frozenset((SUPPLY_GRAPH, INTERNAL_SUPPLY_GRAPH))
TABLE = NamedNode("urn:sozialgraph:network-supply")
_NOTATIONS = (Path(__file__).parent / "rq" / "notations.rq").read_text(encoding="utf-8")


def derivations(public: Offers, internal: Offers, public_pairs: set[tuple[str, str]],
                every_pair: set[tuple[str, str]]) -> list[tuple[str, bool, Derivation]]:
    """(graph name, internal, derivation) of the public rows and the planners' rows that differ from them."""

    def compute(store: GraphStore, visible: Visible, planners: bool) -> dict[Key, Values]:
        notations = _notations(store, visible)
        found = (rows(public, every_pair, notations, adding=internal) if planners
                 else rows(public, public_pairs, notations))
        return {key: _values(key, weight, fields) for key, (weight, fields) in found.items()}

    return ViewRows(TABLE, SG.SupplyTable, compute).derivations(SUPPLY_GRAPH, INTERNAL_SUPPLY_GRAPH)


def rows(offers: Offers, within: Iterable[tuple[str, str]], notations: Mapping[str, set[str]],
         adding: Offers | None = None) -> dict[tuple[str, str], tuple[int, set[str]]]:
    """(provider, department) -> (offers, notations of the fields that link them); with `adding`, an entity's
    attributes are those of both visibilities."""
    extra = adding or Offers()
    below: defaultdict[str, list[str]] = defaultdict(list)
    for inside, space in within:
        below[space].append(inside)
    # Which departments plan for a field in a space, or everywhere.
    planned: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    everywhere: defaultdict[str, set[str]] = defaultdict(set)
    for plan in offers.departments.keys() | extra.departments.keys():
        departments = either(offers.departments, extra.departments, plan)
        fields = either(offers.fields, extra.fields, plan)
        spaces = either(offers.spaces, extra.spaces, plan)
        for field_ in fields:
            if not spaces and plan not in offers.placed_otherwise and plan not in extra.placed_otherwise:
                everywhere[field_] |= departments
            for space in spaces:
                for inside in below.get(space, ()):
                    planned[(field_, inside)] |= departments
    weights: defaultdict[tuple[str, str], int] = defaultdict(int)
    linking: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
    for offer in offers.providers.keys() | extra.providers.keys():
        providers = [provider for provider in either(offers.providers, extra.providers, offer)
                     if not provider.startswith(('"', "_:"))]  # a literal or blank node has no id to link
        spaces = either(offers.spaces, extra.spaces, offer)
        pairs: set[tuple[str, str]] = set()
        for field_ in either(offers.fields, extra.fields, offer):
            if field_ not in notations:
                continue
            departments = set(everywhere.get(field_, ()))
            for space in spaces:
                departments |= planned.get((field_, space), set())
            for department in departments:
                for provider in providers:
                    if provider != department:
                        pairs.add((provider, department))
                        linking[(provider, department)] |= notations[field_]
        for pair in pairs:
            weights[pair] += 1
    return {pair: (weight, linking[pair]) for pair, weight in weights.items()}



def _values(key: Key, weight: int, fields: set[str]) -> Values:
    provider, department = key
    return ((SG.supplyProvider, NamedNode(provider)), (SG.supplyDepartment, NamedNode(department)),
            (SG.supplyOffers, Literal(str(weight), datatype=XSD.integer)),
            (SG.supplyFieldIds, Literal(";".join(sorted(fields)))))


def _notations(store: GraphStore, visible: Visible) -> dict[str, set[str]]:
    """The notations of every concept, as the graphs of `visible` (the vocabulary included) give them."""
    versions = [version for name, (version, _) in visible.items() if not name.startswith("_derived/")]
    found: defaultdict[str, set[str]] = defaultdict(set)
    for row in store.backend.select(_NOTATIONS, versions).rows:
        concept, notation = row.get("concept"), row.get("notation")
        if isinstance(concept, NamedNode) and isinstance(notation, Literal):
            found[concept.value].add(notation.value)
    return found
