"""Answer rows a load derives for a saved query, per access level: the public rows and the planners' changes.

The public graph holds the rows the public graphs give, and a table node that is there even without rows. The
planners' (internal) graph holds each row whose answer differs for them, and marks the public row it replaces
with `sg:replacedForPlannersBy` (pointing to the table when planners have no such row), so a query reads the
rows it sees that nothing replaces, at either access level, with an OPTIONAL and a FILTER (a MINUS there made
Virtuoso drop every row).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from pyoxigraph import Literal, NamedNode, Triple

from sozialgraph.namespaces import RDF, SG, XSD
from sozialgraph.store import GraphStore, Term
from sozialgraph.store.graphs import Derivation, Visible

Key = tuple[str, ...]
Values = tuple[tuple[NamedNode, Term], ...]
"""A row's (property, value) pairs."""
Compute = Callable[[GraphStore, Visible, bool], Mapping[Key, Values]]
"""The rows of the graphs in `visible`; the flag tells the planners' view."""


@lru_cache(maxsize=1 << 16)
def node(iri: str) -> NamedNode:
    """A named node, made once: rows name the same spaces, fields and actors many times, and pyoxigraph checks
    every IRI it is given."""
    return NamedNode(iri)


@lru_cache(maxsize=1 << 12)
def integer(value: int) -> Literal:
    return Literal(str(value), datatype=XSD.integer)


@dataclass
class ViewRows:
    table: NamedNode
    table_class: NamedNode
    compute: Compute
    public_rows: Mapping[Key, Values] | None = None

    def derivations(self, public_graph: str, planners_graph: str) -> list[tuple[str, bool, Derivation]]:
        """(graph name, internal, derivation); the public rows are derived first, as the store derives in order."""
        return [(public_graph, False, self._public), (planners_graph, True, self._planners)]

    def row_iri(self, view: str, key: Key) -> NamedNode:
        digest = hashlib.sha256("\n".join(key).encode()).hexdigest()[:32]
        return NamedNode(f"{self.table.value}:{view}:{digest}")

    def _public(self, store: GraphStore, visible: Visible) -> list[Triple]:
        self.public_rows = self.compute(store, visible, False)
        return [Triple(self.table, RDF.type, self.table_class), *self._triples(self.public_rows, "public")]

    def _planners(self, store: GraphStore, visible: Visible) -> list[Triple]:
        if not any(internal for name, (_, internal) in visible.items() if not name.startswith("_")):
            return []  # without internal graphs planners see the public rows
        if self.public_rows is None:
            raise RuntimeError("the public rows are derived before the planners' rows")
        public, planners = self.public_rows, self.compute(store, visible, True)
        changed = {key: values for key, values in planners.items() if public.get(key) != values}
        triples = self._triples(changed, "planners")
        for key in sorted(public.keys() - planners.keys() | changed.keys() & public.keys()):
            replacement = self.row_iri("planners", key) if key in changed else self.table
            triples.append(Triple(self.row_iri("public", key), SG.replacedForPlannersBy, replacement))
        return triples

    def _triples(self, rows: Mapping[Key, Values], view: str) -> list[Triple]:
        triples = []
        for key in sorted(rows):
            row = self.row_iri(view, key)
            triples += [Triple(row, predicate, value) for predicate, value in rows[key]]
        return triples
