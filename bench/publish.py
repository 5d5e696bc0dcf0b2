"""Time to publish data/erfurt (`sozialgraph publish`) against rdflib serialising the same public graph to Turtle.

Baseline: rdflib (the project's RDF toolkit) writing the public graph as one Turtle file – the least a
publication does. Ours: everything `publish` writes (public subset, Turtle/N-Triples/JSON-LD dumps, CSV per
class, GeoJSON, HSDS, VoID, ontology docs, a page per entity, the DCAT-AP.de catalogue), in process, cold (pyLODE
runs) and warm (its HTML cached by content), plus the whole command in a fresh process as a planner runs it.
Goal: the command under 5 s.

    .venv/bin/python bench/publish.py [--folder data/erfurt] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import rdflib
from pyoxigraph import RdfFormat, serialize

from loaders import load_sources, source_for
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.publish import PublishOptions, publish
from sozialgraph.publish.layout import Layout
from sozialgraph.publish.subset import public_graph
from sozialgraph.store import open_store

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://daten.example.de/sozialgraph/id/"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, default=ROOT / "data" / "erfurt")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(p for p in args.folder.iterdir() if p.suffix in (".csv", ".xlsx", ".geojson", ".ttl"))
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        store_path = work / "store"
        store = open_store(Settings(store_path=store_path, base_uri=DEFAULT_BASE_URI))
        load_sources(store, [source_for(path) for path in files])

        cold, warm = [], []
        for run in range(args.repeat):
            os.environ["SOZIALGRAPH_CACHE"] = str(work / f"cache-cold-{run}")
            start = time.perf_counter()
            report = publish(store, work / f"cold-{run}", PublishOptions(base_uri=BASE))
            cold.append(time.perf_counter() - start)
        os.environ["SOZIALGRAPH_CACHE"] = str(work / "cache-cold-0")
        for run in range(args.repeat):
            start = time.perf_counter()
            publish(store, work / f"warm-{run}", PublishOptions(base_uri=BASE))
            warm.append(time.perf_counter() - start)

        graph = public_graph(store, Layout.for_base(BASE))
        nt = serialize(graph.triples(), format=RdfFormat.N_TRIPLES)
        rdf = rdflib.Graph()
        rdf.parse(data=nt, format="nt")
        baseline = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            rdf.serialize(format="turtle")
            baseline.append(time.perf_counter() - start)
        store.close()

        command, command_cold = [], []
        cpu: dict[str, list[float]] = {"cold": [], "warm": []}
        env = {**os.environ, "SOZIALGRAPH_STORE": str(store_path)}
        env.pop("SOZIALGRAPH_ENDPOINT", None)
        for run in range(args.repeat):
            for kind, times, cache in (("cold", command_cold, work / f"cache-cli-{run}"),
                                       ("warm", command, work / "cache-cold-0")):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                start = time.perf_counter()
                done = subprocess.run([sys.executable, "-m", "sozialgraph.cli", "publish", str(work / f"cli-{run}"),
                                       "--base-uri", BASE], capture_output=True, text=True,
                                      env={**env, "SOZIALGRAPH_CACHE": str(cache)}, cwd=ROOT)
                if done.returncode:
                    sys.exit(f"`sozialgraph publish` failed ({done.returncode}):\n{done.stdout}{done.stderr}")
                times.append(time.perf_counter() - start)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[kind].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)

    base_s = statistics.median(baseline)
    print(f"public graph: {report.triples} triples, {report.entities} entities, {report.files} files "
          f"from {len(files)} files in {args.folder}")
    for name, times in (("ours, in process, cold (pyLODE runs)", cold),
                        ("ours, in process, warm (pyLODE cached)", warm),
                        ("ours, `sozialgraph publish` command, cold", command_cold),
                        ("ours, `sozialgraph publish` command, warm", command)):
        median = statistics.median(times)
        print(f"{name:44s} {median * 1000:8.1f} ms  ({median / base_s:5.1f} x baseline)")
    print(f"{'baseline: rdflib Graph.serialize(turtle)':44s} {base_s * 1000:8.1f} ms")
    for name, times in (("cold", command_cold), ("warm", command)):
        verdict = "met" if statistics.median(times) < 5 else "NOT met"
        print(f"goal: the command under 5000 ms ({name}) -> {verdict}")
    for kind in ("cold", "warm"):
        print(f"CPU time of the command ({kind}): {statistics.median(cpu[kind]) * 1000:.0f} ms "
              "(what it takes when the machine is not shared)")
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
