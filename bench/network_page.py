"""The Netzwerk page with 2,000 nodes in real Chromium: how long the layout takes (goal: under 3 s).

    /work/main/.venv/bin/python bench/network_page.py [--nodes 2000] [--repeat 3] [--no-cose]

A synthetic network (networkx `powerlaw_cluster_graph`: few hubs, many small actors, local clusters – the shape of
committees, departments and providers) gets the real metrics (`analyse`) and the real Cytoscape.js JSON
(`to_cytoscape`); Playwright serves it in place of `GET /api/network`, so the page, its scripts and the browser are
the production ones. The page reports the layout time itself (`data-layout-ms`, performance.now() around
`layout.run()`), and the time from navigation start to a drawn, laid-out graph (`data-ready-ms`).

Ours: fcose (cytoscape-fcose, the page's default; above 500 nodes the page uses its spectral "draft" quality, since
the force refinement of the "default" quality took 100 s for 2,000 nodes in Node.js on the shared test machine).
Baselines in the same run and browser: Cytoscape's `grid` layout
(no force computation: the cost of drawing alone) and Cytoscape's built-in force layout `cose`.
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import statistics
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import networkx as nx
import uvicorn
from playwright.sync_api import Route, sync_playwright

from api.app import create_app
from api.settings import WebSettings
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.network import analyse
from sozialgraph.network.export import to_cytoscape
from sozialgraph.store import open_store
from sozialgraph.vocabulary import code_list

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
GOAL_MS = 3000
KINDS = {"provider": 0.5, "department": 0.1, "committee": 0.06, "network": 0.03, "external": 0.08,
         "municipality": 0.03, "plan": 0.2}
FIELDS = ("HF1", "HF2", "HF3", "HF4", "HF5", "HF6")


def synthetic(nodes: int, seed: int = 42) -> bytes:
    rng = random.Random(seed)
    shape = nx.powerlaw_cluster_graph(nodes, 2, 0.3, seed=seed)
    labels = {code: entry.label_de for code, entry in code_list("actor-kind").codes.items()}
    labels["plan"] = "Fachplanung"
    graph = nx.Graph(projection="bipartite")
    kinds = rng.choices(list(KINDS), weights=list(KINDS.values()), k=nodes)
    for index, kind in enumerate(kinds):
        key = f"{DEFAULT_BASE_URI}{'plan' if kind == 'plan' else 'actor'}/n{index}"
        graph.add_node(key, identifier=f"n{index}", label=f"{labels.get(kind, kind)} {index}", kind=kind,
                       kind_label=labels.get(kind, kind), iri=key, bipartite=int(kind == "plan"),
                       fields=";".join(sorted(rng.sample(FIELDS, rng.randint(0, 3)))))
    keys = list(graph.nodes)
    for first, second in shape.edges:
        source, target = keys[first], keys[second]
        forum = graph.nodes[source]["kind"] in ("committee", "network")
        graph.add_edge(source, target, kind="member" if forum else "supply",
                       kind_label="Mitgliedschaft" if forum else "Angebote im Planungsfeld des Amtes", weight=1,
                       fields="", member_of=source if forum else "", plans="")
    data = to_cytoscape(graph, analyse(graph, exact_up_to=500))  # sampled betweenness: the page only sizes by it
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def serve() -> tuple[uvicorn.Server, threading.Thread, str]:
    store = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(store, WebSettings(base_uri=DEFAULT_BASE_URI)),
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    return server, thread, f"http://127.0.0.1:{listener.getsockname()[1]}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-cose", action="store_true", help="skip the slow built-in cose baseline")
    args = parser.parse_args()
    started = time.perf_counter()
    body = synthetic(args.nodes)
    data = json.loads(body)
    print(f"synthetic network: {len(data['elements']['nodes'])} nodes, {len(data['elements']['edges'])} edges, "
          f"{len(body) / 1e6:.1f} MB JSON (built with metrics in {time.perf_counter() - started:.1f} s)")

    def answer(route: Route) -> None:
        route.fulfill(status=200, content_type="application/json", body=body)

    server, thread, base = serve()
    results: dict[str, list[tuple[int, int]]] = {}
    layouts = [("fcose", args.repeat), ("grid", args.repeat)] + ([] if args.no_cose else [("cose", 1)])
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for layout, repeat in layouts:
                for _ in range(repeat):
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    page.route("**/api/network?*", answer)
                    page.goto(f"{base}/netzwerk?layout={layout}")
                    graph = page.locator("#network-graph[data-ready='1']")
                    graph.wait_for(state="attached", timeout=600_000)
                    shown = int(page.locator("#network-count").inner_text())
                    assert shown == args.nodes, f"{shown} of {args.nodes} nodes drawn"
                    results.setdefault(layout, []).append((int(graph.get_attribute("data-layout-ms") or 0),
                                                           int(graph.get_attribute("data-ready-ms") or 0)))
                    page.close()
            browser.close()
    finally:
        server.should_exit = True
        thread.join(timeout=10)

    baseline = statistics.median(ms for ms, _ in results["grid"])
    print(f"\n{'layout':<28}{'layout ms (median)':>20}{'page ready ms':>16}{'× grid':>9}")
    names = {"fcose": "fcose (ours, page default)", "grid": "grid (baseline: draw only)",
             "cose": "cose (baseline: built-in)"}
    for layout, runs in results.items():
        layout_ms = statistics.median(ms for ms, _ in runs)
        ready_ms = statistics.median(ms for _, ms in runs)
        print(f"{names[layout]:<28}{layout_ms:>20.0f}{ready_ms:>16.0f}{layout_ms / max(baseline, 1):>9.1f}")
    ours = statistics.median(ms for ms, _ in results["fcose"])
    if "cose" in results:
        print(f"fcose is {results['cose'][0][0] / max(ours, 1):.1f}× faster than built-in cose")
    print(f"goal: fcose layout under {GOAL_MS} ms for {args.nodes} nodes – {'met' if ours < GOAL_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
