"""Who brokers, who is cut off: centrality, communities, bridges, isolates and department silos.

The metrics are written onto the graph as node and edge attributes, so every export carries them, and returned
as a summary for the CLI and the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import rustworkx as rx

from sozialgraph.network.build import MEMBER_KIND, PLAN_KIND

DEPARTMENT_KIND = "department"
FORUM_KINDS = ("committee", "network")
SEED = 42
EXACT_BETWEENNESS_UP_TO = 10_000
"""Up to this many nodes betweenness is exact (rustworkx: Brandes in Rust, the same values as networkx, ~60x
faster; 0.2 s for the 3,000 nodes of a state). Exact betweenness costs nodes x edges, so above the threshold it is
estimated from `BETWEENNESS_SAMPLES` source nodes (networkx's `k`), which grows only with the edges."""
BETWEENNESS_SAMPLES = 500


@dataclass
class NetworkMetrics:
    nodes: int
    edges: int
    betweenness_samples: int | None
    """None: exact betweenness; a number: estimated from that many sampled sources (fixed seed)."""
    communities: list[list[str]] = field(default_factory=list)
    bridges: list[tuple[str, str]] = field(default_factory=list)
    articulation_points: list[str] = field(default_factory=list)
    isolates: list[str] = field(default_factory=list)
    reach: dict[str, list[str]] = field(default_factory=dict)
    """Per department, the other departments it shares a committee or network with (node keys, sorted)."""
    silos: list[str] = field(default_factory=list)
    brokers: list[str] = field(default_factory=list)
    """Nodes with betweenness above zero, highest first."""
    fields_without_forum: list[str] = field(default_factory=list)
    """Fields of action some actor works in, but no committee or network has two members working in."""


def analyse(graph: nx.Graph, exact_up_to: int = EXACT_BETWEENNESS_UP_TO, samples: int = BETWEENNESS_SAMPLES,
            seed: int = SEED) -> NetworkMetrics:
    n = graph.number_of_nodes()
    sampled = samples if n > exact_up_to and samples < n else None
    betweenness = (nx.betweenness_centrality(graph, k=sampled, seed=seed, normalized=True) if sampled
                   else exact_betweenness(graph))
    degree_centrality = nx.degree_centrality(graph) if n > 1 else dict.fromkeys(graph, 0.0)
    communities = _communities(graph, seed)
    bridges = sorted(tuple(sorted(edge)) for edge in nx.bridges(graph))
    articulation = sorted(nx.articulation_points(graph))
    isolates = sorted(nx.isolates(graph))
    reach = department_reach(graph)
    silos = sorted(department for department, others in reach.items() if not others)
    metrics = NetworkMetrics(
        nodes=n,
        edges=graph.number_of_edges(),
        betweenness_samples=sampled,
        communities=communities,
        bridges=[(a, b) for a, b in bridges],
        articulation_points=articulation,
        isolates=isolates,
        reach=reach,
        silos=silos,
        brokers=sorted((node for node in graph if betweenness[node] > 0), key=lambda v: (-betweenness[v], v)),
        fields_without_forum=fields_without_forum(graph),
    )
    community_of = {node: index for index, members in enumerate(communities) for node in members}
    cut, alone, silo = set(articulation), set(isolates), set(silos)
    for node, data in graph.nodes(data=True):
        data["degree"] = graph.degree(node)
        data["degree_centrality"] = float(degree_centrality[node])
        data["betweenness"] = float(betweenness[node])
        data["community"] = community_of[node]
        data["articulation_point"] = node in cut
        data["isolate"] = node in alone
        data["silo"] = node in silo
        data["reached_departments"] = ";".join(graph.nodes[other]["identifier"] for other in reach.get(node, []))
    bridge_set = set(bridges)
    for first, second, data in graph.edges(data=True):
        data["bridge"] = tuple(sorted((first, second))) in bridge_set
    graph.graph["betweenness_samples"] = sampled or 0
    return metrics


def exact_betweenness(graph: nx.Graph) -> dict[str, float]:
    """Normalised betweenness of every node, as `nx.betweenness_centrality(graph)` gives it, computed by rustworkx."""
    nodes = list(graph)
    copy = rx.PyGraph(multigraph=False)
    index = dict(zip(nodes, copy.add_nodes_from(nodes), strict=True))
    copy.add_edges_from_no_data([(index[first], index[second]) for first, second in graph.edges()])
    values = rx.betweenness_centrality(copy, normalized=True)
    return {node: float(values[index[node]]) for node in nodes}


def _communities(graph: nx.Graph, seed: int) -> list[list[str]]:
    """Louvain (networkx) with a fixed seed, largest community first, so the numbering is stable."""
    if graph.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    return sorted((sorted(group) for group in found), key=lambda group: (-len(group), group[0]))


def forum_members(graph: nx.Graph, forum: str) -> list[str]:
    """The direct members of a committee or network (edges from `org:hasMember` with the forum as subject)."""
    return sorted(
        other for other in graph[forum]
        if MEMBER_KIND in graph.edges[forum, other]["kind"].split(";")
        and graph.edges[forum, other]["member_of"] == forum
    )


def department_reach(graph: nx.Graph) -> dict[str, list[str]]:
    """Per department the other departments met as fellow direct members of a committee or network."""
    reach: dict[str, set[str]] = {
        node: set() for node, kind in graph.nodes(data="kind") if kind == DEPARTMENT_KIND
    }
    for forum, kind in graph.nodes(data="kind"):
        if kind not in FORUM_KINDS:
            continue
        departments = [member for member in forum_members(graph, forum) if member in reach]
        for department in departments:
            reach[department].update(other for other in departments if other != department)
    return {department: sorted(others) for department, others in sorted(reach.items())}


def fields_without_forum(graph: nx.Graph) -> list[str]:
    worked: set[str] = set()
    shared: set[str] = set()
    for node, data in graph.nodes(data=True):
        if data["kind"] == PLAN_KIND:
            continue
        worked.update(code for code in data["fields"].split(";") if code)
        if data["kind"] in FORUM_KINDS:
            counts: dict[str, int] = {}
            for member in forum_members(graph, node):
                for field_code in graph.nodes[member]["fields"].split(";"):
                    if field_code:
                        counts[field_code] = counts.get(field_code, 0) + 1
            shared.update(code for code, count in counts.items() if count >= 2)
    return sorted(worked - shared)
