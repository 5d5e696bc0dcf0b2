"""Network view at state scale: queries + graph + metrics, beside networkx alone on the same edge list.

    .venv/bin/python bench/network.py [--offers 20000] [--municipalities 23] [--repeat 3] [--exact]

The inventory comes from `bench/generate.py --scale state` when that generator is present, otherwise from a
small generator in this script with the same shape (23 municipalities, about 1,000 spaces, 20,000 offers, one
provider per 8 offers, 7 departments and 4–5 committees/networks per municipality, a statistics office that sits in
no committee in every other municipality). Either way it is loaded through our loaders into an in-memory store;
loading is not timed here (bench/load.py does that).

Ours: `fetch_rows` (the saved queries in queries/network/ through the catalogue), `assemble` (networkx graph) and
`analyse` (degree, betweenness, Louvain, bridges, articulation points, isolates, department reach, silos).
Above `EXACT_BETWEENNESS_UP_TO` nodes betweenness is estimated from `BETWEENNESS_SAMPLES` sampled sources (fixed
seed); the script also reports how well the estimate ranks the top brokers against the exact values.
Baselines (same run): per query, the same SPARQL on a plain pyoxigraph Store with every triple in its default
graph (pure engine time); for the whole, networkx building the same graph from a ready edge list (`nx.Graph(edges)`)
and computing the same metrics with exact betweenness — what a script that already had the edges would spend.
Goal: ours under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx
from pyoxigraph import DefaultGraph, Quad, Store

from loaders import load_sources, source_for
from sozialgraph.catalog import Catalog
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.network import analyse, assemble, fetch_rows
from sozialgraph.network.build import EDGE_QUERIES, NODE_QUERY
from sozialgraph.network.metrics import EXACT_BETWEENNESS_UP_TO, SEED
from sozialgraph.store import GraphStore, open_store

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
FIELDS = ("HF1", "HF2", "HF3", "HF4", "HF5", "HF6")
GROUPS = ("familien", "kinder", "jugendliche", "eltern", "senioren", "zugewanderte")
OFFER_TYPES = ("beratungsstelle", "familienzentrum", "begegnungsstaette", "kita", "jugendeinrichtung", "sonstiges")
DEPARTMENTS = ("ob-buero", "amt-soziales", "jugendamt", "abt-statistik", "gesundheitsamt", "amt-stadtentwicklung",
               "lsz-koordinierung")


def own_inventory(folder: Path, municipalities: int, offers: int, seed: int = SEED) -> None:
    """CSV tables in the planners' formats (see DESIGN.md), deterministic for a seed."""
    rng = random.Random(seed)
    sizes = [1 / (rank + 1) for rank in range(municipalities)]  # Zipf: a few big cities, many small places
    total = sum(sizes)
    tables: dict[str, list[list[str]]] = {name: [] for name in ("spaces", "actors", "offers", "plans", "measures")}
    for m, share in enumerate(sizes, start=1):
        prefix = f"k{m:03d}"
        count = max(20, round(offers * share / total))
        quarters = max(2, round(1000 * share / total) // 4)
        tables["spaces"].append([prefix, f"Kommune {m}", "kommune", "", ""])
        leaves = []
        for q in range(quarters):
            region = f"{prefix}-sr{q}"
            tables["spaces"].append([region, f"Sozialraum {m}.{q}", "sozialraum", prefix, ""])
            for t in range(3):
                leaf = f"{region}-st{t}"
                tables["spaces"].append([leaf, f"Stadtteil {m}.{q}.{t}", "stadtteil", region, ""])
                leaves.append(leaf)
        departments = [f"{prefix}-{key}" for key in DEPARTMENTS]
        actors = tables["actors"]
        actors.append([prefix + "-kommune", f"Kommune {m}", "municipality", "", ""])
        actors.extend([d, f"{d} Amt", "department", prefix + "-kommune", ""] for d in departments)
        providers = [f"{prefix}-tr-{k:04d}" for k in range(max(3, count // 8))]
        actors.extend([p, f"Träger {p}", "provider", "", ""] for p in providers)
        actors.append([prefix + "-jobcenter", f"Jobcenter {m}", "external", "", ""])
        actors.append([prefix + "-liga", f"Liga {m}", "network", "", ";".join(providers[:40])])
        connected = [d for d in departments if not (d.endswith("abt-statistik") and m % 2 == 1)]
        committees = {
            "stadtrat": [departments[0], departments[1]],
            "jugendhilfeausschuss": [departments[2], *providers[:3], prefix + "-liga"],
            "sozialausschuss": [departments[1], departments[6], *providers[3:5]],
            "steuerungsgremium": connected,
        }
        for key, members in committees.items():
            actors.append([f"{prefix}-{key}", f"{key} {m}", "committee", prefix + "-kommune", ";".join(members)])
        actors.append([prefix + "-buendnis", f"Bündnis {m}", "network", "",
                       ";".join([departments[0], prefix + "-jobcenter", prefix + "-liga"])])
        for p in range(10):
            plan = f"{prefix}-plan-{p}"
            space = prefix if p % 3 else rng.choice(leaves).rsplit("-st", 1)[0]
            tables["plans"].append([plan, f"Plan {m}.{p}", "konzept", rng.choice(departments),
                                    ";".join(rng.sample(FIELDS, 2)), ";".join(rng.sample(GROUPS, 2)), space,
                                    f"{prefix}-stadtrat" if p % 4 == 0 else ""])
            tables["measures"].append([f"{plan}-m", f"Maßnahme {plan}", plan, rng.choice(departments), "geplant"])
        weights = [1 / (rank + 1) for rank in range(len(providers))]
        for o in range(count):
            tables["offers"].append([f"{prefix}-of-{o:05d}", f"Angebot {m}.{o}", rng.choice(OFFER_TYPES),
                                     rng.choices(providers, weights)[0], rng.choice(FIELDS),
                                     ";".join(rng.sample(GROUPS, 2)), rng.choice(leaves)])
    headers = {
        "spaces": ["id", "name", "level", "parent", "code"],
        "actors": ["id", "name", "kind", "parent", "members"],
        "offers": ["id", "name", "offer_type", "provider", "field_of_action", "target_groups", "social_space"],
        "plans": ["id", "title", "kind", "department", "fields_of_action", "target_groups", "social_spaces",
                  "decision_body"],
        "measures": ["id", "title", "plan", "responsible", "status"],
    }
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(headers[name])
            writer.writerows(rows)


def inventory(folder: Path, municipalities: int, offers: int) -> str:
    generator = ROOT / "bench" / "generate.py"
    if generator.exists() and offers == 20_000 and municipalities == 23:
        from bench.generate import generate  # type: ignore[import-not-found,unused-ignore]

        generate("state", folder, seed=SEED, ntriples=False)
        return "bench/generate.py --scale state"
    own_inventory(folder, municipalities, offers)
    return f"own generator in bench/network.py ({municipalities} municipalities, {offers} offers)"


@dataclass
class Timing:
    wall: float
    cpu: float


def measure(repeat: int, work: Callable[[], T]) -> tuple[Timing, T]:
    """Median wall-clock and CPU seconds; CPU time is printed too because the machine may be shared."""
    walls, cpus = [], []
    result: T | None = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    assert result is not None
    return Timing(statistics.median(walls), statistics.median(cpus)), result


def baseline_metrics(graph: nx.Graph) -> dict[str, float]:
    """The same metrics as `analyse`, straight from networkx, with exact betweenness."""
    betweenness: dict[str, float] = nx.betweenness_centrality(graph)
    nx.degree_centrality(graph)
    nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    list(nx.bridges(graph))
    list(nx.articulation_points(graph))
    list(nx.isolates(graph))
    return betweenness


def row(name: str, ours: Timing | None, base: Timing | None, note: str = "") -> str:
    def cell(t: Timing | None) -> str:
        return f"{t.wall:7.2f}s ({t.cpu:5.2f})" if t else " " * 17

    return f"{name:34} {cell(ours)}  {cell(base)}  {note}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--offers", type=int, default=20_000)
    parser.add_argument("--municipalities", type=int, default=23)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    store: GraphStore = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        source = inventory(folder, args.municipalities, args.offers)
        start = time.perf_counter()
        load_sources(store, [source_for(p) for p in sorted(folder.iterdir()) if p.suffix == ".csv"])
        load_s = time.perf_counter() - start
    catalog = Catalog()
    # Pure query time: the same SPARQL on a plain pyoxigraph Store holding every triple in its default graph
    # (no versioned named graphs, no catalogue, no conversion of the rows).
    raw = Store()
    raw.extend(Quad(q.subject, q.predicate, q.object, DefaultGraph()) for q in store.quads())
    per_query: dict[str, tuple[Timing, Timing]] = {}
    for query in (NODE_QUERY, *EDGE_QUERIES["bipartite"]):
        text = catalog.get(query).text
        ours_q, _ = measure(args.repeat, lambda q=query: catalog.run(store, q))  # type: ignore[misc]
        raw_q, _ = measure(args.repeat, lambda t=text: list(raw.query(t)))  # type: ignore[misc,arg-type]
        per_query[query] = (ours_q, raw_q)
    fetch_t, rows = measure(args.repeat, lambda: fetch_rows(store, catalog=catalog))
    build_t, graph = measure(args.repeat, lambda: assemble(rows))
    metrics_t, metrics = measure(args.repeat, lambda: analyse(graph))
    ours = Timing(fetch_t.wall + build_t.wall + metrics_t.wall, fetch_t.cpu + build_t.cpu + metrics_t.cpu)

    edges = [(a, b, {"weight": d["weight"]}) for a, b, d in graph.edges(data=True)]
    nodes = list(graph.nodes)

    def plain_graph() -> nx.Graph:
        built = nx.Graph(edges)
        built.add_nodes_from(nodes)
        return built

    base_build_t, plain = measure(args.repeat, plain_graph)
    base_metrics_t, exact = measure(1, lambda: baseline_metrics(plain))
    baseline = Timing(base_build_t.wall + base_metrics_t.wall, base_build_t.cpu + base_metrics_t.cpu)

    counts: dict[str, int] = {}
    for _, kind in graph.nodes(data="kind"):
        counts[kind] = counts.get(kind, 0) + 1
    print(f"inventory: {source}; loaded in {load_s:.1f} s (not timed below); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"graph: {graph.number_of_nodes()} nodes ({', '.join(f'{k} {v}' for k, v in sorted(counts.items()))}), "
          f"{graph.number_of_edges()} edges, from {store.triple_count(include_vocabulary=False)} triples")
    sampled = metrics.betweenness_samples
    print("betweenness: " + (f"estimated from {sampled} sampled sources (graph above {EXACT_BETWEENNESS_UP_TO} "
                             f"nodes), seed {SEED}" if sampled else "exact"))
    print(f"median of {args.repeat}; wall seconds (CPU seconds)")
    print(f"{'step':34} {'ours':>17}  {'baseline':>17}  baseline is")
    for query, (timing, raw_timing) in per_query.items():
        print(row(f"  query {query}", timing, raw_timing, "same SPARQL, plain pyoxigraph Store, default graph"))
    print(row("saved queries (catalogue)", fetch_t, None, "none: the baseline starts from the edge list"))
    print(row("graph assembly", build_t, base_build_t, "nx.Graph(edge list)"))
    print(row("metrics", metrics_t, base_metrics_t, "same metrics in networkx, exact betweenness"))
    print(row("total", ours, baseline, f"ratio ours/baseline {ours.wall / baseline.wall:.2f} wall, "
                                       f"{ours.cpu / baseline.cpu:.2f} CPU"))
    if sampled:
        estimate = {node: data["betweenness"] for node, data in graph.nodes(data=True)}
        top_exact = sorted(exact, key=lambda n: -exact[n])[:20]
        top_estimate = sorted(estimate, key=lambda n: -estimate[n])[:20]
        print(f"estimated vs exact betweenness: {len(set(top_exact) & set(top_estimate))} of the top 20 brokers "
              "agree")
    print(f"silos: {len(metrics.silos)}, communities: {len(metrics.communities)}, bridges: {len(metrics.bridges)}")
    print(f"goal under 10 s: {'met' if ours.wall < 10 else 'NOT met'} ({ours.wall:.2f} s wall, {ours.cpu:.2f} s CPU)")
    store.close()


if __name__ == "__main__":
    main()
