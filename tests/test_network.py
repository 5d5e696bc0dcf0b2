"""The network view on a hand-built inventory whose metrics were worked out by hand.

tests/fixtures/network, projection `bipartite` (12 nodes, 13 edges):

    k (Kommune) ── a1, a2, a3 (parent)          g1 (Gremium) ── a1, a2 (member), p1 (decision)
    a1 ── p1, a2 ── p3, a3 ── p2 (author; a3–p2 also measure m1)
    n1 (Netzwerk) ── t1, t2, a2 (member)        t1 ── a2 (supply: o1 in st1 ⊂ s1 and o2 in s1, HF3, p3 plans HF3 in s1)
    x1 (Kammer) alone.   o3 (HF4: no plan) and o4 (HF3 in s2, outside p3's space) make no edge.

Betweenness (pairs whose shortest paths run through the node, 55 pairs among 11 other nodes):
- a2 splits {p3}, {n1, t1, t2}, {k, a1, a3, g1, p1, p2}: 1·3 + 1·6 + 3·6 = 27 pairs, plus half of k–g1, a3–g1,
  p2–g1 (also via a1) = 28.5
- k splits {a3, p2} from 8 nodes = 16, plus half of a1–{a2, n1, t1, t2, p3} (also via g1) = 18.5
- a3: p2 to 9 others = 9; n1: t2 to 9 others = 9
- g1: p1–{a2, n1, t1, t2, p3} = 5, half of a1–{a2, n1, t1, t2, p3} = 2.5 → 7.5
- a1: p1–{k, a3, p2} = 3, half of g1–{k, a3, p2} = 1.5 → 4.5
Bridges: a2–p3, a3–k, a3–p2, n1–t2. Articulation points: a2, a3, k, n1. Isolate: x1.
Silo: a3 (no committee); a1 and a2 meet in g1. Fields without a shared forum: HF1 (only a1 in g1), HF4 (only t2
in n1), HF5 (a3, in no forum); HF3 has n1 with t1, t2, a2.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from loaders import load_sources, source_for
from sozialgraph.catalog import Catalog
from sozialgraph.network import NetworkMetrics, analyse, build_network
from sozialgraph.network.metrics import exact_betweenness
from sozialgraph.store import GraphStore
from tests.conftest import FIXTURES

BASE = "https://sozialgraph.example/id/"


def load_csv_folder(store: GraphStore, folder: Path, *extra: Path) -> None:
    load_sources(store, [source_for(p) for p in [*sorted(folder.glob("*.csv")), *extra]])


@pytest.fixture
def fixture_store(memory_store: GraphStore) -> GraphStore:
    load_csv_folder(memory_store, FIXTURES / "network")
    return memory_store


def by_id(graph: nx.Graph) -> dict[str, str]:
    return {data["identifier"]: key for key, data in graph.nodes(data=True)}


def ids(graph: nx.Graph, keys: list[str]) -> list[str]:
    return [graph.nodes[key]["identifier"] for key in keys]


def edge_set(graph: nx.Graph) -> dict[frozenset[str], dict[str, object]]:
    return {frozenset((graph.nodes[a]["identifier"], graph.nodes[b]["identifier"])): data
            for a, b, data in graph.edges(data=True)}


def analysed(store: GraphStore, projection: str = "bipartite") -> tuple[nx.Graph, NetworkMetrics]:
    graph = build_network(store, projection)
    return graph, analyse(graph)


def test_nodes_carry_id_label_kind_and_fields(fixture_store: GraphStore) -> None:
    graph = build_network(fixture_store)
    nodes = {data["identifier"]: data for _, data in graph.nodes(data=True)}
    assert sorted(nodes) == ["a1", "a2", "a3", "g1", "k", "n1", "p1", "p2", "p3", "t1", "t2", "x1"]
    assert nodes["a2"]["label"] == "Amt Zwei"
    assert nodes["a2"]["kind"] == "department" and nodes["a2"]["kind_label"] == "Amt/Fachbereich"
    assert nodes["g1"]["kind_label"] == "Gremium" and nodes["n1"]["kind"] == "network"
    assert nodes["p1"]["kind"] == "plan" and nodes["p1"]["kind_label"] == "Fachplanung"
    assert nodes["a2"]["iri"] == f"{BASE}actor/a2"
    fields = {key: data["fields"] for key, data in nodes.items()}
    assert fields == {"a1": "HF1", "a2": "HF3", "a3": "HF5", "g1": "HF1;HF3", "k": "", "n1": "HF3;HF4",
                      "p1": "HF1", "p2": "HF5", "p3": "HF3", "t1": "HF3", "t2": "HF3;HF4", "x1": ""}


def test_edges_with_kind_and_weight(fixture_store: GraphStore) -> None:
    edges = edge_set(build_network(fixture_store))
    kinds = {tuple(sorted(pair)): (data["kind"], data["weight"]) for pair, data in edges.items()}
    assert kinds == {
        ("a1", "g1"): ("member", 1), ("a2", "g1"): ("member", 1), ("n1", "t1"): ("member", 1),
        ("n1", "t2"): ("member", 1), ("a2", "n1"): ("member", 1),
        ("a1", "k"): ("parent", 1), ("a2", "k"): ("parent", 1), ("a3", "k"): ("parent", 1),
        ("a1", "p1"): ("author", 1), ("a2", "p3"): ("author", 1), ("a3", "p2"): ("author;measure", 2),
        ("g1", "p1"): ("decision", 1),
        ("a2", "t1"): ("supply", 2),
    }
    assert edges[frozenset(("a2", "t1"))]["fields"] == "HF3"
    assert edges[frozenset(("a1", "g1"))]["member_of"] == f"{BASE}actor/g1"


def test_betweenness_and_degree_match_the_hand_count(fixture_store: GraphStore) -> None:
    graph, metrics = analysed(fixture_store)
    assert metrics.betweenness_samples is None
    betweenness = {data["identifier"]: data["betweenness"] for _, data in graph.nodes(data=True)}
    expected = {"a2": 28.5, "k": 18.5, "a3": 9, "n1": 9, "g1": 7.5, "a1": 4.5}
    for node, value in betweenness.items():
        assert value == pytest.approx(expected.get(node, 0) / 55), node
    assert ids(graph, metrics.brokers) == ["a2", "k", "a3", "n1", "g1", "a1"]
    degree = {data["identifier"]: data["degree"] for _, data in graph.nodes(data=True)}
    assert degree == {"k": 3, "a1": 3, "a2": 5, "a3": 2, "t1": 2, "t2": 1, "g1": 3, "n1": 3, "x1": 0,
                      "p1": 2, "p2": 1, "p3": 1}
    assert graph.nodes[by_id(graph)["a2"]]["degree_centrality"] == pytest.approx(5 / 11)


def test_bridges_articulation_points_and_isolates(fixture_store: GraphStore) -> None:
    graph, metrics = analysed(fixture_store)
    assert sorted(tuple(sorted(ids(graph, list(pair)))) for pair in metrics.bridges) == [
        ("a2", "p3"), ("a3", "k"), ("a3", "p2"), ("n1", "t2")]
    assert sorted(ids(graph, metrics.articulation_points)) == ["a2", "a3", "k", "n1"]
    assert ids(graph, metrics.isolates) == ["x1"]
    edges = edge_set(graph)
    assert edges[frozenset(("n1", "t2"))]["bridge"] is True
    assert edges[frozenset(("a1", "g1"))]["bridge"] is False
    assert graph.nodes[by_id(graph)["x1"]]["isolate"] is True


def test_silo_reach_and_fields_without_forum(fixture_store: GraphStore) -> None:
    graph, metrics = analysed(fixture_store)
    assert ids(graph, metrics.silos) == ["a3"]
    reach = {graph.nodes[d]["identifier"]: ids(graph, others) for d, others in metrics.reach.items()}
    assert reach == {"a1": ["a2"], "a2": ["a1"], "a3": []}
    assert graph.nodes[by_id(graph)["a3"]]["silo"] is True
    assert graph.nodes[by_id(graph)["a1"]]["reached_departments"] == "a2"
    assert metrics.fields_without_forum == ["HF1", "HF4", "HF5"]


def test_department_reach_query_gives_the_hand_answer(fixture_store: GraphStore) -> None:
    rows = Catalog().run(fixture_store, "department-reach").rows
    assert [(r["department"], r["department_label"], r["departments"], r["department_ids"], r["forum_ids"])
            for r in rows] == [("a1", "Amt Eins", 1, "a2", "g1"), ("a2", "Amt Zwei", 1, "a1", "g1"),
                               ("a3", "Amt Drei", 0, None, None)]


def test_louvain_communities_are_a_stable_partition(fixture_store: GraphStore) -> None:
    graph, metrics = analysed(fixture_store)
    members = [set(ids(graph, group)) for group in metrics.communities]
    assert sorted(node for group in members for node in group) == sorted(by_id(graph))
    assert {"x1"} in members
    # Modularity never gains from cutting a leaf off its only neighbour.
    community = {node: index for index, group in enumerate(members) for node in group}
    for leaf, neighbour in (("t2", "n1"), ("p2", "a3"), ("p3", "a2")):
        assert community[leaf] == community[neighbour]
    again = analyse(build_network(fixture_store))
    assert again.communities == metrics.communities
    assert graph.nodes[by_id(graph)["x1"]]["community"] == community["x1"]


def test_actors_projection_folds_plans_into_shared_plan_edges(fixture_store: GraphStore) -> None:
    graph, metrics = analysed(fixture_store, "actors")
    assert sorted(by_id(graph)) == ["a1", "a2", "a3", "g1", "k", "n1", "t1", "t2", "x1"]
    edges = edge_set(graph)
    assert len(edges) == 9
    shared = edges[frozenset(("a1", "g1"))]
    assert (shared["kind"], shared["weight"], shared["plans"]) == ("member;plan", 2, "p1")
    # 8 nodes in the component, 28 pairs: a2 splits {n1,t1,t2} from {k,a1,a3,g1} (12) + ½(k–g1) + ½(a3–g1).
    expected = {"a2": 13, "k": 8, "n1": 6, "g1": 2, "a1": 1}
    for _, data in graph.nodes(data=True):
        assert data["betweenness"] == pytest.approx(expected.get(data["identifier"], 0) / 28)
    assert sorted(tuple(sorted(ids(graph, list(p)))) for p in metrics.bridges) == [("a3", "k"), ("n1", "t2")]
    assert ids(graph, metrics.silos) == ["a3"]


def test_plan_references_and_consultations_become_edges(memory_store: GraphStore) -> None:
    load_csv_folder(memory_store, FIXTURES / "network", FIXTURES / "network-links" / "links.ttl")
    edges = edge_set(build_network(memory_store))
    assert (edges[frozenset(("p1", "p2"))]["kind"], edges[frozenset(("p1", "p2"))]["weight"]) == ("reference", 1)
    assert edges[frozenset(("g1", "p3"))]["kind"] == "consultation"
    actors = edge_set(build_network(memory_store, "actors"))
    assert (actors[frozenset(("a2", "g1"))]["kind"], actors[frozenset(("a2", "g1"))]["plans"]) == (
        "member;plan", "p3")


def test_approximate_betweenness_above_the_threshold_is_seeded(fixture_store: GraphStore) -> None:
    graph = nx.barbell_graph(30, 3)
    for node, data in graph.nodes(data=True):
        data.update(identifier=str(node), label=str(node), kind="provider", fields="")
    for _, _, data in graph.edges(data=True):
        data.update(kind="supply", member_of="", weight=1)
    exact = nx.betweenness_centrality(graph)
    metrics = analyse(graph, exact_up_to=20, samples=15)
    assert metrics.betweenness_samples == 15
    assert graph.graph["betweenness_samples"] == 15
    estimate = {node: data["betweenness"] for node, data in graph.nodes(data=True)}
    # The five nodes on the handle carry every path between the two cliques, estimated or not.
    assert sorted(metrics.brokers[:5]) == sorted(sorted(exact, key=lambda n: -exact[n])[:5]) == [29, 30, 31, 32, 33]
    analyse(graph, exact_up_to=20, samples=15)
    assert {node: data["betweenness"] for node, data in graph.nodes(data=True)} == estimate


@pytest.mark.parametrize("graph", [
    nx.gnm_random_graph(300, 700, seed=7),  # several components, isolates, many equal-length paths
    nx.barbell_graph(12, 4),
    nx.les_miserables_graph(),  # string node keys, as in the network view
], ids=["random", "barbell", "les-miserables"])
def test_exact_betweenness_equals_networkx(graph: nx.Graph) -> None:
    """Exact betweenness comes from rustworkx (fast); it must give networkx's values node for node."""
    ours = exact_betweenness(graph)
    theirs = nx.betweenness_centrality(graph)
    assert ours.keys() == theirs.keys()
    assert max(theirs.values()) > 0
    for node, value in theirs.items():
        assert ours[node] == pytest.approx(value, abs=1e-12), node


def test_erfurt_betweenness_equals_networkx(erfurt_store: GraphStore) -> None:
    graph, metrics = analysed(erfurt_store)
    assert metrics.betweenness_samples is None
    expected = nx.betweenness_centrality(build_network(erfurt_store))
    assert {node: data["betweenness"] for node, data in graph.nodes(data=True)} == pytest.approx(expected)


def test_erfurt_silo_agrees_with_the_saved_queries(erfurt_store: GraphStore) -> None:
    catalog = Catalog()
    graph, metrics = analysed(erfurt_store)
    assert ids(graph, metrics.silos) == ["abt-statistik"]
    reach_rows = catalog.run(erfurt_store, "department-reach").rows
    assert sorted(r["department"] for r in reach_rows if r["departments"] == 0) == ["abt-statistik"]
    for row in reach_rows:
        key = by_id(graph)[str(row["department"])]
        assert ";".join(ids(graph, metrics.reach[key])) == (row["department_ids"] or ""), row["department"]
    names = {query.name for query in catalog.queries()}
    if "department-silos" in names:  # the catalogue's own silo query (saved-queries issue)
        rows = catalog.run(erfurt_store, "department-silos").rows
        assert sorted(r["department"] for r in rows) == ids(graph, metrics.silos)
        assert [r["department_label"] for r in rows] == ["Abteilung Statistik und Wahlen"]
    # Both projections find the same silo.
    actors_graph, actors_metrics = analysed(erfurt_store, "actors")
    assert ids(actors_graph, actors_metrics.silos) == ["abt-statistik"]


def test_erfurt_internal_committee_only_without_public_flag(erfurt_store: GraphStore) -> None:
    everything = by_id(build_network(erfurt_store))
    public = by_id(build_network(erfurt_store, include_internal=False))
    assert "dienstberatung-ob" in everything
    assert "dienstberatung-ob" not in public
    assert set(public) == set(everything) - {"dienstberatung-ob"}
