"""What the compaction after a load costs and gains: every saved query on the same loaded store, before and after.

    .venv/bin/python bench/compaction.py --data /tmp/sg-bench/state [--repeat 3]

Loads the generated CSV tables into a store on disk with compaction held back (baseline: the store as the bulk
loads leave it), runs every saved query (planners' level, median of --repeat runs), compacts, and runs them again
in the same process. Prints each query's time before and after and the ratio, and the compaction's own time beside
the load's.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.examples import GENERATED_ENTITIES, example_values  # noqa: E402  (after the path set-up above)
from loaders.pipeline import load_sources, source_for  # noqa: E402
from sozialgraph.catalog import Catalog  # noqa: E402
from sozialgraph.config import DEFAULT_BASE_URI  # noqa: E402
from sozialgraph.store import GraphStore  # noqa: E402
from sozialgraph.store.embedded import EmbeddedBackend  # noqa: E402


class HeldBack(EmbeddedBackend):
    """The embedded backend with the compaction after each load left out, to measure the store without it."""

    def compact(self) -> None:
        pass


def query_times(store: GraphStore, repeat: int) -> dict[str, float]:
    catalog = Catalog()
    times = {}
    for query in catalog.queries():
        values = example_values(query, GENERATED_ENTITIES)
        runs = []
        for _ in range(repeat):
            started = time.perf_counter()
            catalog.run(store, query.name, values)
            runs.append(time.perf_counter() - started)
        times[query.name] = statistics.median(runs)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="folder of generated CSV tables (bench/generate.py)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sg-compaction-") as folder:
        backend = HeldBack(Path(folder))
        store = GraphStore(backend, DEFAULT_BASE_URI)
        started = time.perf_counter()
        load_sources(store, [source_for(path) for path in sorted(args.data.glob("*.csv"))])
        load = time.perf_counter() - started
        before = query_times(store, args.repeat)
        started = time.perf_counter()
        EmbeddedBackend.compact(backend)
        compaction = time.perf_counter() - started
        after = query_times(store, args.repeat)
        triples = store.triple_count()
        store.close()
    print(f"{'query':28} {'uncompacted s':>14} {'compacted s':>12} {'ratio':>7}")
    for name, seconds in before.items():
        print(f"{name:28} {seconds:14.3f} {after[name]:12.3f} {seconds / after[name]:6.2f}x")
    total_before, total_after = sum(before.values()), sum(after.values())
    print(f"{'all queries':28} {total_before:14.3f} {total_after:12.3f} {total_before / total_after:6.2f}x")
    print(f"{triples} triples from {args.data}: load {load:.1f} s without compaction, compaction {compaction:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
