"""The network of actors and plans, assembled from the saved queries in `queries/network/`.

The graph is never read from triples here: what counts as a node or an edge is decided by SPARQL that planners can
run and read themselves (`sozialgraph query run network-edges`). Python only joins the rows into a networkx graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from sozialgraph.catalog import Catalog, Value
from sozialgraph.errors import SozialgraphError
from sozialgraph.store import GraphStore

NODE_QUERY = "network-nodes"
EDGE_QUERIES = {
    "bipartite": ("network-edges", "network-supply"),
    "actors": ("network-edges", "network-supply", "network-plan-links"),
}
PROJECTIONS = tuple(EDGE_QUERIES)
PLAN_KIND = "plan"
MEMBER_KIND = "member"


@dataclass
class NetworkRows:
    """What the saved queries returned, before it becomes a graph (kept apart so benchmarks can time both)."""

    projection: str
    nodes: list[dict[str, Value]] = field(default_factory=list)
    edges: list[dict[str, Value]] = field(default_factory=list)


def check_projection(projection: str) -> None:
    if projection not in PROJECTIONS:
        raise SozialgraphError(f"unbekannte Projektion '{projection}'. Erlaubt: {', '.join(PROJECTIONS)}")


def fetch_rows(store: GraphStore, projection: str = "bipartite", include_internal: bool = True,
               catalog: Catalog | None = None) -> NetworkRows:
    check_projection(projection)
    catalog = catalog or Catalog()
    rows = NetworkRows(projection, catalog.run(store, NODE_QUERY, include_internal=include_internal).rows)
    for name in EDGE_QUERIES[projection]:
        rows.edges.extend(catalog.run(store, name, include_internal=include_internal).rows)
    return rows


def _ids(value: Value) -> list[str]:
    return [item for item in str(value or "").split(";") if item]


def _join(values: Iterable[str]) -> str:
    return ";".join(sorted(set(values)))


def assemble(rows: NetworkRows) -> nx.Graph:
    """An undirected graph keyed by entity IRI. Two nodes linked in several ways get one edge whose `kind` lists
    every relation (`;`-joined, sorted) and whose `weight` is their sum. In the `actors` projection plans are not
    nodes; actors meeting at a plan are linked by `network-plan-links` instead."""
    check_projection(rows.projection)
    graph = nx.Graph(name="sozialgraph Netzwerk", projection=rows.projection)
    for row in rows.nodes:
        key = str(row["node_iri"])
        kind = str(row["kind"])
        if key in graph or (rows.projection == "actors" and kind == PLAN_KIND):
            continue
        identifier = str(row["node"])
        graph.add_node(
            key,
            identifier=identifier,
            label=str(row.get("node_label") or identifier),
            kind=kind,
            kind_label=str(row.get("kind_label") or kind),
            iri=key,
            fields=_join(_ids(row.get("field_of_action_ids"))),
            bipartite=1 if kind == PLAN_KIND else 0,
        )
    for row in rows.edges:
        source, target = str(row["source_iri"]), str(row["target_iri"])
        if source in graph and target in graph and source != target:
            _add_relation(graph, source, target, row)
    return graph


def _add_relation(graph: nx.Graph, source: str, target: str, row: dict[str, Value]) -> None:
    kind = str(row["kind"])
    label = str(row.get("kind_label") or kind)
    weight = int(row.get("weight") or 1)
    fields = _ids(row.get("field_of_action_ids"))
    plans = _ids(row.get("plan_ids"))
    member_of = source if kind == MEMBER_KIND else ""
    if not graph.has_edge(source, target):
        graph.add_edge(source, target, kind=kind, kind_label=label, weight=weight, fields=_join(fields),
                       member_of=member_of, plans=_join(plans))
        return
    data = graph.edges[source, target]
    kinds = dict(zip(_ids(data["kind"]), data["kind_label"].split("; "), strict=True))
    kinds[kind] = label
    ordered = sorted(kinds)
    data["kind"] = ";".join(ordered)
    data["kind_label"] = "; ".join(kinds[name] for name in ordered)
    data["weight"] += weight
    data["fields"] = _join([*_ids(data["fields"]), *fields])
    data["plans"] = _join([*_ids(data["plans"]), *plans])
    data["member_of"] = data["member_of"] or member_of


def build_network(store: GraphStore, projection: str = "bipartite", include_internal: bool = True) -> nx.Graph:
    return assemble(fetch_rows(store, projection, include_internal))
