"""Every saved query on data/erfurt and on a generated state-size inventory, beside rdflib's in-memory Graph.

    python bench/queries.py [--scales erfurt,state] [--runs 5] [--rdflib-timeout 60] [--json FILE]

For each query and data set it prints the median of several runs through `Catalog.run` on our embedded store
(wall time, and CPU time of this process, which stays honest on a busy machine), the median of the same query
text on rdflib's in-memory Graph holding the same triples (the baseline, measured in the same run), and the ratio
rdflib / ours. A baseline run that takes longer than the timeout is stopped and reported as skipped: rdflib runs
in a forked child so a runaway query can be killed. Goals: every query under 100 ms on data/erfurt (city size) and
under 1 s at state size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import select
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import rdflib
from pyoxigraph import RdfFormat, serialize

from bench.examples import ERFURT_ENTITIES, GENERATED_ENTITIES, example_values
from bench.generate import NTRIPLES, generate
from loaders import load_sources, source_for
from sozialgraph.catalog import Catalog, bind_parameters
from sozialgraph.config import DEFAULT_BASE_URI, Settings
from sozialgraph.paths import data_dir
from sozialgraph.store import GraphStore, open_store

TODAY = dt.date(2026, 1, 1)
GOALS_MS = {"erfurt": 100.0, "city": 100.0, "state": 1000.0, "nation": 10000.0}


@dataclass
class Measurement:
    data: str
    query: str
    rows: int
    ours_ms: float
    ours_cpu_ms: float
    baseline_ms: float | None = None
    baseline_rows: int | None = None
    baseline_note: str = ""
    goal_ms: float | None = None

    @property
    def ratio(self) -> float | None:
        return self.baseline_ms / self.ours_ms if self.baseline_ms and self.ours_ms else None


@dataclass
class DataSet:
    name: str
    store: GraphStore
    triples: int
    entities: dict[str, str] = field(default_factory=lambda: dict(GENERATED_ENTITIES))
    """Ids for the entity parameters a query requires."""


def load_erfurt() -> DataSet:
    store = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    folder = data_dir() / "erfurt"
    paths = sorted(path for path in folder.iterdir() if path.suffix in (".csv", ".geojson"))
    load_sources(store, [source_for(path) for path in paths])
    return DataSet("erfurt", store, store.triple_count(), dict(ERFURT_ENTITIES))


def load_generated(scale: str, cache: Path) -> DataSet:
    folder = cache / scale
    if not (folder / NTRIPLES).exists():
        print(f"generating {scale} into {folder} …", flush=True)
        generate(scale, folder)
    store = open_store(Settings(base_uri=DEFAULT_BASE_URI), in_memory=True)
    started = time.perf_counter()
    # The CSV tables, as a planner loads them: the load pipeline also writes the derived graphs (the sg:withinSpace
    # closure) the saved queries read; one N-Triples file of the inventory would lack them.
    load_sources(store, [source_for(path) for path in sorted(folder.glob("*.csv"))])
    print(f"loaded {scale}: {store.triple_count()} triples in {time.perf_counter() - started:.1f} s", flush=True)
    return DataSet(scale, store, store.triple_count())


def parameters(data: DataSet, name: str) -> dict[str, str]:
    return example_values(Catalog().get(name), data.entities)


def median_run(action: Callable[[], int], runs: int) -> tuple[float, float, int]:
    walls, cpus, rows = [], [], 0
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        rows = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000, rows


def rdflib_graph(store: GraphStore) -> rdflib.Graph:
    """The same triples (data, internal graphs and vocabulary) in one rdflib Graph, as the default graph."""
    graph = rdflib.Graph()
    with tempfile.NamedTemporaryFile(suffix=".nt") as dump:
        serialize((quad.triple for quad in store.quads()), dump, RdfFormat.N_TRIPLES)
        dump.flush()
        graph.parse(dump.name, format="nt")
    return graph


def rdflib_median(graph: rdflib.Graph, text: str, runs: int, timeout: float) -> tuple[float | None, int | None, str]:
    """Median wall time on rdflib in a forked child; (None, None, note) when it errs or exceeds `timeout`."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:
        os.close(reader)
        try:
            for _ in range(runs):
                started = time.perf_counter()
                rows = len(list(graph.query(text)))
                os.write(writer, f"{(time.perf_counter() - started) * 1000} {rows}\n".encode())
        except Exception as error:  # rdflib raises many kinds; the bench reports them
            os.write(writer, f"error {type(error).__name__}: {str(error)[:80]}\n".encode())
        os._exit(0)
    os.close(writer)
    lines: list[str] = []
    buffer = b""
    started = time.monotonic()
    try:
        while len(lines) < runs and not (lines and lines[-1].startswith("error")):
            # The first run gets `timeout`; the rest together at most as long again per run.
            limit = started + timeout * (len(lines) + 1)
            ready, _, _ = select.select([reader], [], [], max(0.0, limit - time.monotonic()))
            if not ready:
                os.kill(child, signal.SIGKILL)
                return None, None, f"skipped: > {timeout:.0f} s"
            chunk = os.read(reader, 4096)
            if not chunk:
                break
            buffer += chunk
            *complete, rest = buffer.split(b"\n")
            lines += [item.decode() for item in complete]
            buffer = rest
    finally:
        os.close(reader)
        os.waitpid(child, 0)
    if not lines:
        return None, None, "error: no answer"
    if lines[-1].startswith("error"):
        return None, None, lines[-1]
    times = [float(item.split()[0]) for item in lines]
    return statistics.median(times), int(lines[-1].split()[1]), ""


def bench(data: DataSet, runs: int, timeout: float, with_rdflib: bool) -> list[Measurement]:
    catalog = Catalog()
    graph = rdflib_graph(data.store) if with_rdflib else None
    results = []
    for query in catalog.queries():
        params = parameters(data, query.name)
        catalog.run(data.store, query.name, params, today=TODAY)  # warm-up
        def action(name: str = query.name, values: dict[str, str] = params) -> int:
            return len(catalog.run(data.store, name, values, today=TODAY).rows)

        ours, cpu, rows = median_run(action, runs)
        measurement = Measurement(data.name, query.name, rows, ours, cpu, goal_ms=GOALS_MS.get(data.name))
        if graph is not None:
            text = bind_parameters(query.text, catalog.bindings(query, params, data.store.base_uri, TODAY))
            base, base_rows, note = rdflib_median(graph, text, max(1, runs // 2), timeout)
            measurement.baseline_ms, measurement.baseline_rows, measurement.baseline_note = base, base_rows, note
        results.append(measurement)
        print(line(measurement), flush=True)
    return results


def line(m: Measurement) -> str:
    goal = "" if m.goal_ms is None else ("ok " if m.ours_ms < m.goal_ms else "SLOW")
    baseline = f"{m.baseline_ms:10.1f}" if m.baseline_ms is not None else f"{'–':>10}"
    ratio = f"{m.ratio:8.1f}×" if m.ratio is not None else f"{'–':>9}"
    differs = " (rdflib rows differ)" if m.baseline_rows is not None and m.baseline_rows != m.rows else ""
    return (f"{m.data:7} {m.query:22} {m.ours_ms:9.1f} {m.ours_cpu_ms:9.1f} {goal:4} {baseline} {ratio} "
            f"{m.rows:6} {m.baseline_note}{differs}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--scales", default="erfurt,state", help="comma list of erfurt, city, state, nation")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rdflib-timeout", type=float, default=60.0)
    parser.add_argument("--no-rdflib", action="store_true")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "sozialgraph-bench")
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    print("baseline: rdflib", rdflib.__version__, "in-memory Graph, same triples, same query text")
    print(f"{'data':7} {'query':22} {'ours ms':>9} {'cpu ms':>9} goal {'rdflib ms':>10} {'ratio':>9} {'rows':>6}")
    measurements: list[Measurement] = []
    for scale in args.scales.split(","):
        data = load_erfurt() if scale == "erfurt" else load_generated(scale, args.cache)
        print(f"-- {scale}: {data.triples} triples", flush=True)
        measurements += bench(data, args.runs, args.rdflib_timeout, not args.no_rdflib)
        data.store.close()
    slow = [m for m in measurements if m.goal_ms is not None and m.ours_ms >= m.goal_ms]
    print(f"{len(measurements) - len(slow)} of {len(measurements)} measurements within their goal"
          + (": slow " + ", ".join(f"{m.data}/{m.query}" for m in slow) if slow else ""))
    if args.json:
        args.json.write_text(json.dumps([{**asdict(m), "ratio": m.ratio} for m in measurements], indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
