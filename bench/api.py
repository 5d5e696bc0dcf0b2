"""Load generator for the web app on 127.0.0.1, beside the same work done in-process on the store.

    python bench/api.py [--requests 400] [--seconds 4] [--threads 4]

A server process (uvicorn with the real app over an in-memory store holding data/erfurt) listens on a free
port of 127.0.0.1; this process loads the same data into its own store for the baseline. For an entity page,
a saved query and a SPARQL count it prints p50/p99 in-process (baseline) and over HTTP one request at a time,
what HTTP adds at p50, req/s with several client threads for a bounded time, and the server's CPU time per
request. Entity pages are cached until the data changes, so every entity's first view is measured too.
The machine is shared with other work and the client runs on it as well: read throughput as a lower bound.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from loaders import load_sources, source_for  # noqa: E402
from sozialgraph.config import DEFAULT_BASE_URI, Settings  # noqa: E402
from sozialgraph.store import GraphStore, open_store  # noqa: E402

HOST = "127.0.0.1"
ENTITY = "offer/of-thekiz-altstadt"
QUERY, QUERY_PARAMS = "coverage-gaps", {"target_group": "senioren"}
SPARQL_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
ENTITIES = "SELECT DISTINCT ?e WHERE { ?e <http://purl.org/dc/terms/identifier> ?id }"
MAX_PARALLEL_REQUESTS = 50_000


def erfurt_store() -> GraphStore:
    store = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    folder = ROOT / "data" / "erfurt"
    paths = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".geojson", ".xlsx", ".ttl"))
    load_sources(store, [source_for(path) for path in paths])
    return store


def serve(port: int) -> None:
    import uvicorn

    from api.app import create_app
    from api.settings import WebSettings

    store = erfurt_store()
    app = create_app(store, WebSettings(base_uri=store.base_uri))
    uvicorn.run(app, host=HOST, port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux), to see the server's own cost on a shared machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Timing:
    p50: float
    p99: float
    per_second: float
    cpu_ms: float
    """CPU time of this process per call (the baseline's own cost, robust against other load)."""


def timed(work: Callable[[int], object], count: int, warm_up: int = 20) -> Timing:
    for index in range(warm_up):
        work(index)
    samples = []
    cpu_start = time.process_time()
    start = time.perf_counter()
    for index in range(count):
        begin = time.perf_counter()
        work(index)
        samples.append(time.perf_counter() - begin)
    total = time.perf_counter() - start
    cpu = (time.process_time() - cpu_start) * 1000 / count
    samples.sort()
    return Timing(statistics.median(samples) * 1000, samples[int(0.99 * (len(samples) - 1))] * 1000, count / total,
                  cpu)


def concurrent(url: str, params: dict[str, str], headers: dict[str, str], threads: int, seconds: float) -> float:
    done = [0] * threads
    failures: list[str] = []
    stop_at = time.perf_counter() + seconds

    def worker(index: int) -> None:
        with httpx.Client(timeout=30) as client:
            while time.perf_counter() < stop_at and sum(done) < MAX_PARALLEL_REQUESTS:
                answer = client.get(url, params=params, headers=headers)
                if answer.status_code != 200:
                    failures.append(f"{answer.status_code} {url}")
                    return
                done[index] += 1

    start = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    if failures:
        raise SystemExit(f"request failed: {failures[0]}")
    return sum(done) / (time.perf_counter() - start)


def get(client: httpx.Client, path: str, params: dict[str, str], headers: dict[str, str]) -> None:
    answer = client.get(path, params=params, headers=headers)
    if answer.status_code != 200:
        raise SystemExit(f"{answer.status_code} for {path}: {answer.text[:200]}")


def start_server() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve", str(port)], cwd=ROOT)
    base = f"http://{HOST}:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        if time.monotonic() > deadline or server.poll() is not None:
            server.kill()
            raise SystemExit("server did not start")
        time.sleep(0.2)


def row(name: str, baseline: Timing, over_http: Timing, parallel: float | None, cpu_ms: float) -> str:
    return (f"{name:34} {baseline.p50:8.2f}ms {baseline.p99:8.2f}ms {over_http.p50:7.2f}ms {over_http.p99:7.2f}ms "
            f"{over_http.p50 - baseline.p50:8.2f}ms {over_http.p50 / baseline.p50:9.1f}x "
            f"{over_http.per_second:11.0f} {'' if parallel is None else f'{parallel:.0f}':>11} "
            f"{baseline.cpu_ms:8.2f}ms {cpu_ms:8.2f}ms {cpu_ms - baseline.cpu_ms:8.2f}ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="sequential requests per case")
    parser.add_argument("--seconds", type=float, default=4.0, help="time per concurrent case")
    parser.add_argument("--threads", type=int, default=4, help="client threads in the concurrent case")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve)
        return
    if not 1 <= args.requests <= 20_000 or not 0 < args.seconds <= 60 or not 1 <= args.threads <= 32:
        raise SystemExit("bounds: --requests 1..20000, --seconds up to 60, --threads 1..32")

    from api.entity import describe
    from sozialgraph.catalog import Catalog
    from sozialgraph.results import to_json

    store = erfurt_store()
    catalog = Catalog()
    base_uri = store.base_uri
    entities = sorted(term.value[len(base_uri):] for result in store.select(ENTITIES, include_internal=False).rows
                      for term in result.values() if term.value.startswith(base_uri))
    server, base = start_server()
    try:
        load = os.getloadavg()
        print(f"bench/api.py – data/erfurt ({store.triple_count()} triples), {os.cpu_count()} CPUs, load average "
              f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (shared machine: other work competes)")
        print(f"baseline = the same store work in-process, no HTTP; {args.requests} sequential requests per case, "
              f"then {args.threads} client threads for up to {args.seconds:g} s\n")
        header = (f"{'case':34} {'store p50':>10} {'store p99':>10} {'HTTP p50':>9} {'HTTP p99':>9} "
                  f"{'added p50':>10} {'HTTP/store':>10} {'req/s 1 thr':>11} {'req/s N thr':>11} "
                  f"{'store CPU':>10} {'srv CPU':>10} {'CPU added':>10}")
        print(header)
        print("-" * len(header))
        with httpx.Client(base_url=base, timeout=30) as client:
            html = {"Accept": "text/html"}
            first = entities[: args.requests]
            baseline = timed(lambda i: describe(store, base_uri + first[i % len(first)], False), len(first))
            cpu_before = cpu_seconds(server.pid)
            over_http = timed(lambda i: get(client, f"/id/{first[i]}", {}, html), len(first), warm_up=0)
            cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / len(first)
            print(row(f"entity page, first view ({len(first)})", baseline, over_http, None, cpu_ms))

            cases: list[tuple[str, Callable[[int], object], str, dict[str, str], dict[str, str]]] = [
                ("entity page, repeated (HTML)", lambda i: describe(store, base_uri + ENTITY, False),
                 f"/id/{ENTITY}", {}, html),
                (f"saved query {QUERY} (JSON)",
                 lambda i: to_json(catalog.run(store, QUERY, QUERY_PARAMS, include_internal=False)),
                 f"/api/queries/{QUERY}", QUERY_PARAMS, {"Accept": "application/json"}),
                ("SPARQL count (JSON)", lambda i: store.select(SPARQL_COUNT, include_internal=False), "/sparql",
                 {"query": SPARQL_COUNT}, {"Accept": "application/sparql-results+json"}),
            ]
            for name, work, path, params, headers in cases:
                baseline = timed(work, args.requests)
                cpu_before = cpu_seconds(server.pid)
                over_http = timed(lambda i, p=path, q=params, h=headers: get(client, p, q, h), args.requests)
                cpu_ms = (cpu_seconds(server.pid) - cpu_before) * 1000 / (args.requests + 20)
                parallel = concurrent(base + path, params, headers, args.threads, args.seconds)
                print(row(name, baseline, over_http, parallel, cpu_ms))
        print("\nstore CPU: CPU time per call of the in-process baseline; srv CPU: CPU time of the server process"
              "\n  per sequential request (10 ms clock ticks: rough); CPU added: what HTTP and the app cost beyond"
              "\n  the store work. 1000 / srv CPU = requests one free core could serve, whatever else runs.")
        print("goals: saved query adds < 2 ms at p50 over the store; >= 500 entity pages/s on 2 cores")
    finally:
        server.terminate()
        server.wait(timeout=10)
        store.close()


if __name__ == "__main__":
    main()
