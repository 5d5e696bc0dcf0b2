"""The remote backend on an Oxigraph server: load throughput and saved-query latency, each beside a baseline.

Load (same N-Triples file, a fresh server or directory for every run):
- ours: `GraphStore.replace` through `RemoteBackend` (parse the file as a stream, send chunks over the Graph Store
  Protocol into a new version's graph, two at a time, commit the provenance in one update);
- baseline 1, the server's own bulk loader: `oxigraph load --location DIR --file F` (offline);
- baseline 2, the server's standard upload: one Graph Store POST of the whole file to /store.
Queries: every saved query (default parameters) on the server beside the embedded store on disk (the default
mode), same data (data/erfurt plus a smaller synthetic set, `--query-offers`) loaded the same way, median of several
runs each.

Data: data/erfurt plus a synthetic inventory as CSV tables, from the small generator below (`--offers N`) or from
bench/generate.py (`--scale city|state|nation`); the N-Triples file is what our loaders make of those tables.

    .venv/bin/python bench/remote.py [--offers 20000 | --scale state] [--repeat 3] [--query-runs 5]
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pyoxigraph import RdfFormat, parse, serialize

from bench.examples import ERFURT_ENTITIES, example_values
from loaders import load_sources, source_for
from sozialgraph.catalog import Catalog
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.store import GraphContent, GraphStore, open_store
from sozialgraph.vocabulary import code_list
from tests.sparql_servers import OXIGRAPH, start_oxigraph

ROOT = Path(__file__).resolve().parents[1]
ERFURT = ROOT / "data" / "erfurt"
GENERATOR = ROOT / "bench" / "generate.py"


def tables(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".xlsx", ".geojson"))


def synthetic(folder: Path, offers: int, scale: str | None, seed: int = 7) -> list[Path]:
    """Spaces (Kommune > Sozialräume > Stadtteile), providers, offers and indicator series."""
    if scale is not None:
        if not GENERATOR.exists():
            raise SystemExit("--scale needs bench/generate.py")
        subprocess.run([sys.executable, str(GENERATOR), "--scale", scale, "--out", str(folder), "--seed", str(seed)],
                       check=True, capture_output=True)
        return tables(folder)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    districts = max(4, offers // 200)
    quarters = [f"syn-st-{d}-{q}" for d in range(districts) for q in range(4)]

    def write(name: str, header: list[str], rows: list[list[object]]) -> None:
        with (folder / name).open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream)
            writer.writerow(header)
            writer.writerows(rows)

    write("spaces.csv", ["id", "name", "level", "parent", "code"],
          [["syn-stadt", "Beispielstadt", "kommune", "", "99999000"]]
          + [[f"syn-sr-{d}", f"Sozialraum {d}", "sozialraum", "syn-stadt", d] for d in range(districts)]
          + [[q, f"Stadtteil {q[7:]}", "stadtteil", f"syn-sr-{q.split('-')[2]}", ""] for q in quarters])
    providers = [f"syn-traeger-{i}" for i in range(max(10, offers // 50))]
    write("actors.csv", ["id", "name", "kind", "parent", "members", "access"],
          [["syn-kommune", "Beispielstadt", "municipality", "", "", ""]]
          + [[p, f"Träger {p[12:]}", "provider", "", "", ""] for p in providers])
    fields = list(code_list("field-of-action").codes)
    groups = list(code_list("target-group").codes)
    types = list(code_list("offer-type").codes)
    funding = list(code_list("funding-programme").codes)
    write("offers.csv", ["id", "name", "offer_type", "provider", "field_of_action", "target_groups", "social_space",
                         "funding_programme", "start_date", "description"],
          [[f"syn-of-{i}", f"Angebot {i}", rng.choice(types), rng.choice(providers), rng.choice(fields),
            ";".join(rng.sample(groups, rng.randint(1, 3))), rng.choice(quarters), rng.choice(funding),
            f"{rng.randint(2005, 2024)}-0{rng.randint(1, 9)}-01", f"Beispielangebot Nummer {i} für die Bank"]
           for i in range(offers)])
    indicators = list(code_list("indicator").codes)
    write("indicators.csv", ["social_space", "indicator", "period", "value"],
          [[f"syn-sr-{d}", indicator, year, rng.randint(100, 90_000)]
           for d in range(districts) for indicator in indicators for year in range(2015, 2025)])
    return tables(folder)


def n_triples_of(files: list[Path], target: Path) -> int:
    store = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    load_sources(store, [source_for(path) for path in files])
    triples = [quad.triple for quad in store.quads(include_vocabulary=False)]
    target.write_bytes(serialize(triples, format=RdfFormat.N_TRIPLES) or b"")
    store.close()
    return len(triples)


def load_ours(nt: Path, work: Path) -> float:
    server = start_oxigraph(work)
    try:
        store = open_store(server.settings(base_uri=DEFAULT_BASE_URI))
        start = time.perf_counter()
        with nt.open("rb") as stream:
            # The backend streams: parsing the next chunk overlaps with the server storing the last ones.
            triples = (quad.triple for quad in parse(stream, format=RdfFormat.N_TRIPLES))
            store.replace([GraphContent("synthetic.nt", triples, file_name=nt.name)])  # type: ignore[arg-type]
        elapsed = time.perf_counter() - start
        store.close()
        return elapsed
    finally:
        server.stop()


def load_ours_from_tables(files: list[Path], work: Path) -> float:
    """The planners' path: the CSV tables converted and posted as N-Triples text, then committed."""
    server = start_oxigraph(work)
    try:
        store = open_store(server.settings(base_uri=DEFAULT_BASE_URI))
        start = time.perf_counter()
        load_sources(store, [source_for(path) for path in files])
        elapsed = time.perf_counter() - start
        store.close()
        return elapsed
    finally:
        server.stop()


def load_bulk_loader(nt: Path, work: Path) -> float:
    start = time.perf_counter()
    subprocess.run([str(OXIGRAPH), "load", "--location", str(work), "--file", str(nt)], check=True,
                   capture_output=True)
    return time.perf_counter() - start


def load_one_post(nt: Path, work: Path) -> float:
    server = start_oxigraph(work)
    try:
        start = time.perf_counter()
        with nt.open("rb") as stream:
            response = httpx.post(f"{server.base_url}/store", params={"graph": "https://bench.example/g"},
                                  content=stream.read(), headers={"Content-Type": "application/n-triples"},
                                  timeout=3600)
        response.raise_for_status()
        return time.perf_counter() - start
    finally:
        server.stop()


def median_ms(store: GraphStore, catalog: Catalog, name: str, runs: int) -> tuple[float, int]:
    values = example_values(catalog.get(name), ERFURT_ENTITIES)
    rows = len(catalog.run(store, name, values).rows)  # warm-up, and the size of the answer
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        catalog.run(store, name, values)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--offers", type=int, default=20_000, help="offers in the synthetic set for the load")
    parser.add_argument("--query-offers", type=int, default=2_000,
                        help="offers in the synthetic set beside data/erfurt for the query latencies")
    parser.add_argument("--scale", choices=["city", "state", "nation"], help="use bench/generate.py instead")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--query-runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        files = synthetic(work / "synthetic", args.offers, args.scale)
        nt = work / "synthetic.nt"
        count = n_triples_of(files, nt)
        print(f"synthetic set: {count:,} triples from {', '.join(p.name for p in files)} "
              f"({nt.stat().st_size / 1e6:.1f} MB N-Triples)")

        runs: dict[str, list[float]] = {"ours": [], "tables": [], "bulk": [], "post": []}
        for round_ in range(args.repeat):
            runs["ours"].append(load_ours(nt, work / f"ours-{round_}"))
            runs["tables"].append(load_ours_from_tables(files, work / f"tables-{round_}"))
            runs["bulk"].append(load_bulk_loader(nt, work / f"bulk-{round_}"))
            runs["post"].append(load_one_post(nt, work / f"post-{round_}"))
        ours, from_tables, bulk, post = (statistics.median(runs[key]) for key in ("ours", "tables", "bulk", "post"))
        print(f"\nload into Oxigraph server {OXIGRAPH.name} (median of {args.repeat}):")
        print(f"  ours (RemoteBackend, chunked GSP + commit): {ours:7.2f} s  {count / ours:10,.0f} triples/s")
        print(f"  baseline `oxigraph load` (bulk, offline):   {bulk:7.2f} s  {count / bulk:10,.0f} triples/s")
        print(f"  baseline one POST of the file to /store:    {post:7.2f} s  {count / post:10,.0f} triples/s")
        print(f"  ours from the CSV tables (convert + post):  {from_tables:7.2f} s  "
              f"{count / from_tables:10,.0f} triples/s")
        print(f"  ratio ours / bulk loader: {bulk / ours:.2f} (goal >= 0.5);  ours / one POST: {post / ours:.2f}")
        print(f"  ratio ours from the tables / bulk loader of their N-Triples: {bulk / from_tables:.2f}")

        server = start_oxigraph(work / "queries")
        try:
            query_files = synthetic(work / "synthetic-queries", args.query_offers, args.scale)
            sources = [source_for(path) for path in tables(ERFURT) + query_files]
            remote = open_store(server.settings(base_uri=DEFAULT_BASE_URI))
            embedded = open_store(Settings(store_path=work / "embedded", base_uri=DEFAULT_BASE_URI))
            start = time.perf_counter()
            load_sources(remote, sources)
            pipeline = time.perf_counter() - start
            start = time.perf_counter()
            load_sources(embedded, sources)
            pipeline_embedded = time.perf_counter() - start
            total = remote.triple_count(include_vocabulary=False)
            print(f"\nwhole `load` pipeline from the CSV tables (erfurt + synthetic, {total:,} triples): server "
                  f"{pipeline:.2f} s, embedded {pipeline_embedded:.2f} s, ratio {pipeline_embedded / pipeline:.2f}")
            catalog = Catalog()
            print(f"\nsaved queries, median of {args.query_runs} runs (baseline: embedded store on disk, same data):")
            print(f"  {'query':28} {'rows':>7} {'server ms':>10} {'embedded ms':>12} {'server/embedded':>16}")
            for query in catalog.queries():
                on_server, rows = median_ms(remote, catalog, query.name, args.query_runs)
                locally, _ = median_ms(embedded, catalog, query.name, args.query_runs)
                print(f"  {query.name:28} {rows:7} {on_server:10.1f} {locally:12.1f} {on_server / locally:16.2f}")
            remote.close()
            embedded.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
