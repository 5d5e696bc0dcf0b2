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

    ours: list[float] = []
    triples = 0
    nt = b""
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(Settings(store_path=Path(folder) / "s", base_uri=DEFAULT_BASE_URI))
            vocabulary = store.triple_count()
            start = time.perf_counter()
            load_sources(store, [source_for(path) for path in files])
            ours.append(time.perf_counter() - start)
            triples = store.triple_count() - vocabulary
            nt = serialize((q.triple for q in store.quads(include_vocabulary=False)), format=RdfFormat.N_TRIPLES)
            store.close()

    baseline: list[float] = []
    named: list[float] = []
    for _ in range(args.repeat):
        for graph, times in ((None, baseline), (NamedNode("https://sozialgraph.example/graph/all"), named)):
            with tempfile.TemporaryDirectory() as folder:
                raw = Store(folder)
                start = time.perf_counter()
                raw.bulk_load(nt, RdfFormat.N_TRIPLES, to_graph=graph)
                raw.flush()
                times.append(time.perf_counter() - start)
                del raw

    ours_s, base_s, named_s = statistics.median(ours), statistics.median(baseline), statistics.median(named)
    print(f"triples: {triples} from {len(files)} files in {args.folder}")
    print(f"ours (sozialgraph load):           {ours_s * 1000:8.1f} ms  {triples / ours_s:12,.0f} triples/s")
    print(f"baseline (pyoxigraph bulk_load):   {base_s * 1000:8.1f} ms  {triples / base_s:12,.0f} triples/s")
    print(f"  same, into one named graph:      {named_s * 1000:8.1f} ms  {triples / named_s:12,.0f} triples/s")
    print(f"ratio ours/baseline throughput: {base_s / ours_s:.2f} (goal >= 0.3); "
          f"against the named-graph bulk_load: {named_s / ours_s:.2f}")


if __name__ == "__main__":
    main()
