"""Load throughput of `sozialgraph load` against pyoxigraph's own bulk_load of the same triples.

Baseline: pyoxigraph `Store.bulk_load` of the N-Triples our loaders produce (the engine's limit: no parsing of
spreadsheets, no checks, no versioning). Ours: the whole pipeline from CSV files (read, check codes and references,
convert, write a new version, commit provenance). Both on disk, in the same run.

The baseline loads into the default graph, which Oxigraph indexes three ways; every quad of a named graph (and a
load writes named graphs, one per file and version) is indexed six ways, so bulk_load itself takes ~1.6x as long
there. The same bulk_load into one named graph is printed too, as the limit for the work a load has to do.

    .venv/bin/python bench/load.py [--folder data/erfurt] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pyoxigraph import NamedNode, RdfFormat, Store, serialize

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # this checkout's code, not whatever the environment has installed
    sys.path.insert(0, str(ROOT))

from loaders import load_sources, source_for  # noqa: E402
from sozialgraph.config import DEFAULT_BASE_URI, Settings  # noqa: E402
from sozialgraph.store import open_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--folder", type=Path, default=ROOT / "data" / "erfurt")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    files = sorted(p for p in args.folder.iterdir() if p.suffix in (".csv", ".xlsx", ".geojson"))

    # Runs interleaved (ours, then both baselines, per round) and timed by wall clock and by CPU time of this
    # process (all threads): on a shared machine the load of others changes from minute to minute, and the CPU
    # ratio is the steadier one.
    times: dict[str, list[tuple[float, float]]] = {"ours": [], "default": [], "named": []}
    triples = 0
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(Settings(store_path=Path(folder) / "s", base_uri=DEFAULT_BASE_URI))
            vocabulary = store.triple_count()
            clock = _Clock()
            load_sources(store, [source_for(path) for path in files])
            times["ours"].append(clock.stop())
            triples = store.triple_count() - vocabulary
            nt = serialize((q.triple for q in store.quads(include_vocabulary=False)), format=RdfFormat.N_TRIPLES)
            store.close()
        for name, graph in (("default", None), ("named", NamedNode("https://sozialgraph.example/graph/all"))):
            with tempfile.TemporaryDirectory() as folder:
                raw = Store(folder)
                clock = _Clock()
                raw.bulk_load(nt, RdfFormat.N_TRIPLES, to_graph=graph)
                raw.flush()
                times[name].append(clock.stop())
                del raw

    wall = {name: statistics.median(t[0] for t in runs) for name, runs in times.items()}
    cpu = {name: statistics.median(t[1] for t in runs) for name, runs in times.items()}
    print(f"triples: {triples} from {len(files)} files in {args.folder}")
    for name, label in (("ours", "ours (sozialgraph load):        "), ("default", "baseline (pyoxigraph bulk_load):"),
                        ("named", "  same, into one named graph:   ")):
        print(f"{label} {wall[name] * 1000:9.1f} ms ({cpu[name] * 1000:9.1f} ms CPU)  "
              f"{triples / wall[name]:12,.0f} triples/s")
    print(f"ratio ours/baseline throughput: {wall['default'] / wall['ours']:.2f} (goal >= 0.3; by CPU time "
          f"{cpu['default'] / cpu['ours']:.2f}); against the named-graph bulk_load: "
          f"{wall['named'] / wall['ours']:.2f} (by CPU time {cpu['named'] / cpu['ours']:.2f})")


class _Clock:
    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def stop(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall, time.process_time() - self.cpu


if __name__ == "__main__":
    main()
