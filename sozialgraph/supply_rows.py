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

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import Literal, NamedNode

from sozialgraph.namespaces import SG
from sozialgraph.offer_cells import Offers, either
from sozialgraph.store import GraphStore
from sozialgraph.store.graphs import Derivation, Visible
from sozialgraph.view_rows import Key, Values, ViewRows, integer, node

SUPPLY_GRAPH = "_derived/network-supply"
INTERNAL_SUPPLY_GRAPH = SUPPLY_GRAPH + "/internal"
SUPPLY_GRAPHS = frozenset((SUPPLY_GRAPH, INTERNAL_SUPPLY_GRAPH))
TABLE = NamedNode("urn:sozialgraph:network-supply")
_NOTATIONS = (Path(__file__).parent / "rq" / "notations.rq").read_text(encoding="utf-8")


def derivations(public: Offers, internal: Offers, public_pairs: set[tuple[str, str]],
                every_pair: set[tuple[str, str]]) -> list[tuple[str, bool, Derivation]]:
    """(graph name, internal, derivation) of the public rows and the planners' rows that differ from them."""
    supply = _Supply(public, internal, public_pairs, every_pair)
    return ViewRows(TABLE, SG.SupplyTable, supply.compute).derivations(SUPPLY_GRAPH, INTERNAL_SUPPLY_GRAPH)


Link = tuple[str, str]
"""(provider, department)."""


@dataclass
class _Coverage:
    """Which departments plan for a field in a space, or everywhere."""

    planned: defaultdict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    everywhere: defaultdict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def of(cls, offers: Offers, extra: Offers, within: Iterable[tuple[str, str]]) -> _Coverage:
        below: defaultdict[str, list[str]] = defaultdict(list)  # the inverse of spaces_above
        for inside, space in within:
            below[space].append(inside)
        coverage = cls()
        for plan in offers.departments.keys() | extra.departments.keys():
            departments = either(offers.departments, extra.departments, plan)
            spaces = either(offers.spaces, extra.spaces, plan)
            for field_ in either(offers.fields, extra.fields, plan):
                if not spaces and plan not in offers.placed_otherwise and plan not in extra.placed_otherwise:
                    coverage.everywhere[field_] |= departments
                for space in spaces:
                    for inside in below.get(space, ()):
                        coverage.planned[(field_, inside)] |= departments
        return coverage

    def links(self, offers: Offers, extra: Offers, offer: str, notations: Mapping[str, set[str]]
              ) -> dict[Link, set[str]]:
        """The (provider, department) pairs one offer (any entity with a provider) links, with the notations of
        the fields that link them."""
        providers = [provider for provider in either(offers.providers, extra.providers, offer)
                     if not provider.startswith(('"', "_:"))]  # a literal or blank node has no id to link
        spaces = either(offers.spaces, extra.spaces, offer)
        found: defaultdict[Link, set[str]] = defaultdict(set)
        for field_ in either(offers.fields, extra.fields, offer):
            if field_ not in notations:
                continue
            departments = set(self.everywhere.get(field_, ()))
            for space in spaces:
                departments |= self.planned.get((field_, space), set())
            for department in departments:
                for provider in providers:
                    if provider != department:
                        found[(provider, department)] |= notations[field_]
        return found


@dataclass
class _Supply:
    """The rows of both views. The planners' rows start from the public ones: only the offers internal graphs
    say something about are counted again, unless internal graphs add plans, spaces or notations."""

    public: Offers
    internal: Offers
    public_pairs: set[tuple[str, str]]
    every_pair: set[tuple[str, str]]
    notations: dict[str, set[str]] = field(default_factory=dict)
    coverage: _Coverage = field(default_factory=_Coverage)
    weights: dict[Link, int] = field(default_factory=dict)
    linking: dict[Link, Counter[str]] = field(default_factory=dict)
    rows: dict[Key, Values] = field(default_factory=dict)

    def compute(self, store: GraphStore, visible: Visible, planners: bool) -> Mapping[Key, Values]:
        notations = _notations(store, [version for name, (version, _) in visible.items()
                                       if not name.startswith("_derived/")])
        nobody = Offers()
        if not planners:
            self.notations, self.coverage = notations, _Coverage.of(self.public, nobody, self.public_pairs)
            self.weights, self.linking = _count(self.coverage, self.public, nobody, self.public.providers, notations)
            self.rows = _rows(self.weights, self.linking)
            return self.rows
        touched = self.internal.touched()
        plans = self.public.departments.keys() | self.internal.departments.keys()
        if self.every_pair != self.public_pairs or notations != self.notations or touched & plans:
            coverage = _Coverage.of(self.public, self.internal, self.every_pair)
            every = self.public.providers.keys() | self.internal.providers.keys()
            return _rows(*_count(coverage, self.public, self.internal, every, notations))
        weights: dict[Link, int] = {}
        linking: dict[Link, Counter[str]] = {}
        for offer in touched:
            before = self.coverage.links(self.public, nobody, offer, notations)
            after = self.coverage.links(self.public, self.internal, offer, notations)
            for link in before.keys() | after.keys():
                if link not in weights:
                    weights[link] = self.weights.get(link, 0)
                    linking[link] = Counter(self.linking.get(link, Counter()))
                weights[link] += (link in after) - (link in before)
                linking[link].update(after.get(link, ()))
                linking[link].subtract(before.get(link, ()))
        found = dict(self.rows)
        for link, weight in weights.items():
            found.pop(link, None)
            if weight:
                found[link] = _values(link, weight, linking[link])
        return found


def _count(coverage: _Coverage, offers: Offers, extra: Offers, among: Iterable[str],
           notations: Mapping[str, set[str]]) -> tuple[dict[Link, int], dict[Link, Counter[str]]]:
    """How many offers link each pair, and how many of them through each field's notation."""
    weights: defaultdict[Link, int] = defaultdict(int)
    linking: defaultdict[Link, Counter[str]] = defaultdict(Counter)
    for offer in among:
        for link, fields in coverage.links(offers, extra, offer, notations).items():
            weights[link] += 1
            linking[link].update(fields)
    return weights, linking


def _rows(weights: Mapping[Link, int], linking: Mapping[Link, Counter[str]]) -> dict[Key, Values]:
    return {link: _values(link, weight, linking[link]) for link, weight in weights.items()}


def _values(link: Link, weight: int, fields: Counter[str]) -> Values:
    provider, department = link
    return ((SG.supplyProvider, node(provider)), (SG.supplyDepartment, node(department)),
            (SG.supplyOffers, integer(weight)),
            (SG.supplyFieldIds, Literal(";".join(sorted(notation for notation, count in fields.items() if count > 0)))))


def _notations(store: GraphStore, graphs: list[NamedNode]) -> dict[str, set[str]]:
    """The notations of every concept in `graphs` (the loaded ones and the vocabulary, not derived ones)."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    for row in store.backend.select(_NOTATIONS, graphs).rows:
        concept, notation = row.get("concept"), row.get("notation")
        if isinstance(concept, NamedNode) and isinstance(notation, Literal):
            found[concept.value].add(notation.value)
    return dict(found)
