"""Speed at city, state and nation scale: every operation beside a baseline measured in the same run.

    .venv/bin/python bench/run.py --scale state --out bench/out/state.json [--repeat 3] [--baseline-timeout 600]

- load: `load_sources` of the generated CSV tables into a store on disk; baseline rdflib's in-memory
  `Graph.parse` of the same triples (N-Triples); engine limit pyoxigraph `bulk_load` of them (into the default
  graph, and into one named graph: what a load writes, indexed six ways instead of three).
- validate: the fast engine (`sozialgraph.shacl`, shapes compiled to SPARQL); baseline pySHACL.
- query:NAME: `Catalog.run` of every saved query (default parameters; an example value for required ones, from
  bench/examples.py); baseline the same bound SPARQL text in rdflib's in-memory engine.
- network, publish: measured when those modules are on main.

Each operation runs in its own child process, several times; the table shows the median. Peak RSS is the child's
own high-water mark (VmHWM, read by the child at the end; `ru_maxrss` from `os.wait4` where /proc is missing), so it
is the memory of that one operation plus the interpreter and its imports (40-60 MB), not of the whole benchmark.
A baseline that does not finish within `--baseline-timeout` seconds is reported as such. The machine is shared:
compare the ratios, not the absolute times.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NTRIPLES = Path("rdf") / "inventory.nt"

from bench.examples import GENERATED_ENTITIES, example_values  # noqa: E402  (after the path set-up above)

# --- workers: one operation in a fresh process ---------------------------------------------------------------


def _emit(payload: dict[str, object]) -> None:
    print(json.dumps({**payload, "peak_rss_mb": _peak_rss_mb()}), flush=True)


def _peak_rss_mb() -> float | None:
    """VmHWM of this process since its exec. (ru_maxrss of a child also counts the parent pages it had before
    exec, so small operations would all show the parent's size.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return None


def _timed(action: Callable[[], object], repeat: int, budget: float = 90.0) -> list[float]:
    """Up to `repeat` runs; fewer when the runs so far took longer than `budget` seconds (at least one)."""
    times: list[float] = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
        if sum(times) > budget:
            break
    return times


def _open(path: Path):  # type: ignore[no-untyped-def]
    from sozialgraph.config import DEFAULT_BASE_URI, Settings
    from sozialgraph.store import open_store

    return open_store(Settings(store_path=path, base_uri=DEFAULT_BASE_URI))


def worker(name: str, args: argparse.Namespace) -> None:
    data, store_path, repeat = Path(args.data), Path(args.store), args.repeat
    if name == "load":
        from loaders import load_sources, source_for

        files = sorted(p for p in data.iterdir() if p.suffix in (".csv", ".xlsx", ".geojson"))
        times = []
        for run in range(repeat):
            target = store_path.with_name(f"{store_path.name}.run{run}")
            shutil.rmtree(target, ignore_errors=True)
            store = _open(target)
            vocabulary = store.triple_count()
            start = time.perf_counter()
            load_sources(store, [source_for(path) for path in files])
            times.append(time.perf_counter() - start)
            triples = store.triple_count() - vocabulary
            store.close()
            shutil.rmtree(store_path, ignore_errors=True)
            target.rename(store_path)
        _emit({"times": times, "triples": triples})
    elif name in ("load-limit", "load-limit-named"):
        from pyoxigraph import NamedNode, RdfFormat, Store

        # A named graph's quads are indexed six ways, the default graph's three: bulk_load into one named graph
        # is the limit for what a load (named graphs, one per file and version) has to write.
        graph = NamedNode("https://sozialgraph.example/graph/all") if name == "load-limit-named" else None
        times = []
        for run in range(repeat):
            target = store_path.with_name(f"{store_path.name}.limit{run}")
            shutil.rmtree(target, ignore_errors=True)
            raw = Store(str(target))
            start = time.perf_counter()
            raw.bulk_load(path=str(data / NTRIPLES), format=RdfFormat.N_TRIPLES, to_graph=graph)
            raw.flush()
            times.append(time.perf_counter() - start)
            del raw
            shutil.rmtree(target, ignore_errors=True)
        _emit({"times": times})
    elif name == "load-rdflib":
        import rdflib

        def parse() -> None:
            rdflib.Graph().parse(str(data / NTRIPLES), format="nt")

        _emit({"times": _timed(parse, repeat)})
    elif name in ("validate", "validate-pyshacl"):
        from sozialgraph.validation import validate_store

        store = _open(store_path)
        engine = "fast" if name == "validate" else "pyshacl"
        results: list[int] = []
        times = _timed(lambda: results.append(len(validate_store(store, engine=engine).results)), repeat)
        _emit({"times": times, "results": results[-1]})
    elif name == "query":
        from sozialgraph.catalog import Catalog

        store = _open(store_path)
        catalog = Catalog()
        rows: list[int] = []
        values = example_values(catalog.get(args.query), GENERATED_ENTITIES)
        times = _timed(lambda: rows.append(len(catalog.run(store, args.query, values).rows)), repeat)
        _emit({"times": times, "rows": rows[-1]})
    elif name == "network":
        from sozialgraph.catalog import Catalog
        from sozialgraph.network import analyse, assemble, fetch_rows

        store = _open(store_path)
        catalog = Catalog()
        sizes: list[int] = []

        def network() -> None:
            graph = assemble(fetch_rows(store, catalog=catalog))
            analyse(graph)
            sizes.append(graph.number_of_nodes())

        _emit({"times": _timed(network, repeat), "nodes": sizes[-1]})
    elif name == "network-baseline":
        import networkx as nx

        from bench.network import baseline_metrics
        from sozialgraph.network import assemble, fetch_rows

        store = _open(store_path)
        graph = assemble(fetch_rows(store))
        edges = [(a, b, {"weight": d["weight"]}) for a, b, d in graph.edges(data=True)]
        nodes = list(graph.nodes)

        def plain() -> None:
            built = nx.Graph(edges)
            built.add_nodes_from(nodes)
            baseline_metrics(built)

        _emit({"times": _timed(plain, repeat)})
    elif name == "publish":
        from sozialgraph.publish import PublishOptions, publish

        store = _open(store_path)
        target = store_path.parent / "publish"
        runs = [0]

        def once() -> None:
            runs[0] += 1
            shutil.rmtree(target, ignore_errors=True)
            os.environ["SOZIALGRAPH_CACHE"] = str(store_path.parent / "publish-cache")
            # The generated inventories have one Kommune per municipality; m001 is the first.
            publish(store, target, PublishOptions(base_uri="https://daten.example.de/sozialgraph/id/",
                                                  publisher="m001-stadt"))

        _emit({"times": _timed(once, repeat)})
    elif name == "publish-baseline":
        import rdflib
        from pyoxigraph import RdfFormat, serialize

        from sozialgraph.publish.layout import Layout
        from sozialgraph.publish.subset import public_graph

        store = _open(store_path)
        graph = public_graph(store, Layout.for_base("https://daten.example.de/sozialgraph/id/"))
        rdf = rdflib.Graph()
        rdf.parse(data=serialize(graph.triples(), format=RdfFormat.N_TRIPLES), format="nt")
        _emit({"times": _timed(lambda: rdf.serialize(format="turtle"), repeat)})
    elif name == "queries-rdflib":
        import rdflib
        from pyoxigraph import RdfFormat, serialize

        from sozialgraph.catalog import Catalog
        from sozialgraph.sparql_values import bind

        store = _open(store_path)
        graph = rdflib.Graph()
        graph.parse(data=serialize((q.triple for q in store.quads()), format=RdfFormat.N_TRIPLES), format="nt")
        catalog = Catalog()
        for query in catalog.queries():
            bound = catalog.bindings(query, example_values(query, GENERATED_ENTITIES), store.base_uri)
            text = bind(query.text, [bound]) if bound else query.text
            counted: list[int] = []
            # rdflib's engine is pure Python, so an alarm can stop one query without losing the others.
            signal.signal(signal.SIGALRM, _give_up)
            signal.alarm(int(args.query_timeout))
            try:
                times = _timed(lambda text=text, counted=counted: counted.append(len(list(graph.query(text)))),
                               repeat)
                _emit({"query": query.name, "times": times, "rows": counted[-1]})
            except TimeoutError:
                _emit({"query": query.name, "times": [], "timed_out": True})
            except Exception as error:  # rdflib's engine fails on some valid SPARQL 1.1; say so, go on
                _emit({"query": query.name, "times": [], "error": f"{type(error).__name__}: {error}"[:160]})
            finally:
                signal.alarm(0)
    else:
        raise SystemExit(f"unknown worker {name}")


def _give_up(*_: object) -> None:
    raise TimeoutError


# --- the parent: run workers, measure memory, write the table and JSON ---------------------------------------


class Outcome:
    def __init__(self, lines: list[dict[str, object]], peak_rss_mb: float, timed_out: bool, error: str) -> None:
        self.lines, self.timed_out, self.error = lines, timed_out, error
        reported = [line["peak_rss_mb"] for line in lines if isinstance(line.get("peak_rss_mb"), int | float)]
        self.peak_rss_mb = float(max(reported)) if reported else peak_rss_mb  # type: ignore[arg-type]

    @property
    def first(self) -> dict[str, object]:
        return self.lines[0] if self.lines else {}


def run_worker(name: str, args: argparse.Namespace, repeat: int, timeout: float | None = None,
               query: str | None = None) -> Outcome:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--data", str(args.data),
               "--store", str(args.store), "--repeat", str(repeat), "--scale", args.scale,
               "--query-timeout", str(args.query_timeout)]
    if query:
        command += ["--query", query]
    output = Path(args.store).parent / f"worker-{os.getpid()}.out"
    with output.open("wb") as stream:
        process = subprocess.Popen(command, stdout=stream, stderr=subprocess.PIPE, cwd=ROOT)
        deadline = time.monotonic() + timeout if timeout else None
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if deadline and time.monotonic() > deadline:
                process.send_signal(signal.SIGKILL)
                pid, status, usage = os.wait4(process.pid, 0)
                timed_out = True
                break
            time.sleep(0.2)
    error = process.stderr.read().decode(errors="replace")[-2000:] if process.stderr else ""
    lines = [json.loads(line) for line in output.read_text().splitlines() if line.startswith("{")]
    output.unlink()
    if os.waitstatus_to_exitcode(status) not in (0, -9) and not lines:
        print(f"worker {name} failed:\n{error}", file=sys.stderr)
    return Outcome(lines, usage.ru_maxrss / 1024, timed_out, error)


def median(times: object) -> float | None:
    return statistics.median(times) if isinstance(times, list) and times else None  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--scale", default="city", choices=["city", "state", "nation"])
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--data", type=Path, default=None, help="generated inventory (default bench/data/SCALE)")
    parser.add_argument("--store", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-timeout", type=float, default=600.0, help="seconds before a baseline gives up")
    parser.add_argument("--query-timeout", type=float, default=120.0,
                        help="seconds one saved query may take in the rdflib baseline")
    parser.add_argument("--no-baselines", action="store_true", help="skip rdflib and pySHACL (e.g. at nation scale)")
    parser.add_argument("--operations", default="load,validate,queries,network,publish",
                        help="which to measure, e.g. load,queries (nation scale)")
    parser.add_argument("--queries", default="", help="only these saved queries (comma-separated names)")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--query", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args)
        return

    from bench.generate import generate

    args.data = args.data or ROOT / "bench" / "data" / args.scale
    if not (args.data / NTRIPLES).exists():
        print(f"generating the {args.scale} inventory into {args.data} …", flush=True)
        generate(args.scale, args.data)
    work = ROOT / "bench" / "out" / f"work-{args.scale}"
    work.mkdir(parents=True, exist_ok=True)
    args.store = work / "store"
    args.out = args.out or ROOT / "bench" / "out" / f"{args.scale}.json"
    baselines = not args.no_baselines
    slow_repeat = 1
    report: dict[str, object] = {"scale": args.scale, "load_average_before": os.getloadavg(),
                                 "cpus": os.cpu_count()}

    def record(operation: str, ours: Outcome, baseline: Outcome | None, label: str, **extra: object) -> None:
        entry: dict[str, object] = {
            "ours_s": median(ours.first.get("times")),
            "baseline_s": median(baseline.first.get("times")) if baseline else None,
            "baseline": label,
            "peak_rss_mb": round(ours.peak_rss_mb, 1),
        }
        if baseline is not None:
            entry["baseline_peak_rss_mb"] = round(baseline.peak_rss_mb, 1)
            if baseline.timed_out:
                limit = extra.get("timeout_s", args.baseline_timeout)
                entry["baseline_note"] = f"did not finish within {limit:.0f} s"
            elif baseline.first.get("error"):
                entry["baseline_note"] = f"rdflib fails on this query: {baseline.first['error']}"
            elif not baseline.lines:
                entry["baseline_note"] = "no result (see stderr)"
        if ours.timed_out:
            entry["ours_note"] = f"did not finish within {args.baseline_timeout:.0f} s"
        entry.update(extra)
        report[operation] = entry
        print(_row(operation, entry), flush=True)

    wanted = set(args.operations.split(","))
    print(_header(), flush=True)
    load = run_worker("load", args, args.repeat)
    report["triples"] = load.first.get("triples")
    limit = run_worker("load-limit", args, args.repeat)
    limit_named = run_worker("load-limit-named", args, args.repeat)
    rdflib_load = run_worker("load-rdflib", args, slow_repeat, args.baseline_timeout) if baselines else None
    limit_s = median(limit.first.get("times"))
    named_s = median(limit_named.first.get("times"))
    ours_load = median(load.first.get("times"))
    record("load", load, rdflib_load, "rdflib Graph.parse (N-Triples, in memory)",
           limit_s=limit_s, limit="pyoxigraph bulk_load (N-Triples, on disk)",
           limit_peak_rss_mb=round(limit.peak_rss_mb, 1),
           throughput_vs_limit=round(limit_s / ours_load, 3) if limit_s and ours_load else None,
           limit_named_graph_s=named_s,
           throughput_vs_named_graph_limit=round(named_s / ours_load, 3) if named_s and ours_load else None)

    if "validate" in wanted:
        validate = run_worker("validate", args, args.repeat, args.baseline_timeout)
        reference = run_worker("validate-pyshacl", args, slow_repeat, args.baseline_timeout) if baselines else None
        record("validate", validate, reference, "pySHACL over the same store",
               results=validate.first.get("results"),
               baseline_results=reference.first.get("results") if reference else None)

    from sozialgraph.catalog import Catalog

    chosen = [q for q in Catalog().queries() if "queries" in wanted and (not args.queries or q.name in
                                                                          args.queries.split(","))]
    budget = args.baseline_timeout + len(chosen) * args.query_timeout * args.repeat
    rdflib_queries = run_worker("queries-rdflib", args, args.repeat, budget) if baselines and chosen else None
    by_name = {str(line["query"]): line for line in rdflib_queries.lines} if rdflib_queries else {}
    for query in chosen:
        ours = run_worker("query", args, args.repeat, args.baseline_timeout, query=query.name)
        baseline = None
        if rdflib_queries is not None:
            line = by_name.get(query.name, {})
            baseline = Outcome([line] if line else [], rdflib_queries.peak_rss_mb,
                               bool(line.get("timed_out")) or (rdflib_queries.timed_out and not line), "")
        record(f"query:{query.name}", ours, baseline, "rdflib in-memory SPARQL (same bound query)",
               rows=ours.first.get("rows"), timeout_s=args.query_timeout)

    labels = {
        "network": "networkx from the ready edge list, same metrics, exact betweenness (bench/network.py)",
        "publish": "rdflib serialising the public graph as one Turtle file (bench/publish.py)",
    }
    for module, operation in (("sozialgraph.network", "network"), ("sozialgraph.publish", "publish")):
        if operation not in wanted:
            continue
        if importlib.util.find_spec(module) is None:
            report[operation] = {"skipped": f"{module} is not on this branch yet"}
            print(f"{operation:<32} skipped: {module} is not on this branch yet", flush=True)
            continue
        ours = run_worker(operation, args, args.repeat, args.baseline_timeout)
        baseline = run_worker(f"{operation}-baseline", args, args.repeat, args.baseline_timeout) if baselines \
            else None
        record(operation, ours, baseline, labels[operation], **({"nodes": ours.first["nodes"]}
                                                               if "nodes" in ours.first else {}))
    report["load_average_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{report['triples']} triples; load average {report['load_average_before']} -> "
          f"{report['load_average_after']} on {report['cpus']} CPUs (shared machine: read the ratios)")
    print(f"written {args.out}")


def _header() -> str:
    return (f"{'operation':<32} {'ours s':>9} {'baseline s':>11} {'ratio':>8} {'peak MB':>8}  baseline\n"
            + "-" * 110)


def _row(operation: str, entry: dict[str, object]) -> str:
    ours, base = entry.get("ours_s"), entry.get("baseline_s")
    ratio = f"{base / ours:7.1f}x" if isinstance(ours, float) and isinstance(base, float) and ours else "      -"
    base_text = f"{base:11.3f}" if isinstance(base, float) else f"{'-':>11}"
    ours_text = f"{ours:9.3f}" if isinstance(ours, float) else f"{'-':>9}"
    label = str(entry.get("baseline", ""))
    if entry.get("baseline_note"):
        label += f" ({entry['baseline_note']})"
    line = f"{operation:<32} {ours_text} {base_text} {ratio} {entry.get('peak_rss_mb', 0):8.0f}  {label}"
    if "limit_s" in entry and isinstance(entry["limit_s"], float):
        line += (f"\n{'':<32} engine limit {entry['limit_s']:.3f} s ({entry['limit']}); "
                 f"our throughput = {entry['throughput_vs_limit']} of it (goal >= 0.3)")
        if isinstance(entry.get("limit_named_graph_s"), float):
            line += (f"\n{'':<32} into one named graph {entry['limit_named_graph_s']:.3f} s; "
                     f"our throughput = {entry['throughput_vs_named_graph_limit']} of it")
    return line


if __name__ == "__main__":
    main()
