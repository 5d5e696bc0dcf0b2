"""Every saved query's rows on a loaded store, written to JSON or compared with an earlier run.

A query rewritten for speed must give the same rows:

    .venv/bin/python bench/answers.py --store /tmp/sg-state-store --out /tmp/answers-before.json
    … rewrite …
    .venv/bin/python bench/answers.py --store /tmp/sg-state-store --compare /tmp/answers-before.json

The store is opened read-only, so several runs can read one store at once. Both access levels are run (planners'
reads and public reads) with the example values of bench/examples.py; the time each took is printed beside.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.examples import ERFURT_ENTITIES, GENERATED_ENTITIES, example_values
from sozialgraph.catalog import Catalog
from sozialgraph.config import DEFAULT_BASE_URI
from sozialgraph.store import GraphStore
from sozialgraph.store.embedded import EmbeddedBackend


def answers(store: GraphStore, names: Sequence[str], entities: dict[str, str],
            levels: Sequence[bool]) -> dict[str, Any]:
    catalog = Catalog()
    found: dict[str, Any] = {}
    for name in names:
        values = example_values(catalog.get(name), entities)
        for include_internal in levels:
            key = f"{name} ({'internal' if include_internal else 'public'})"
            started = time.perf_counter()
            result = catalog.run(store, name, values, include_internal=include_internal)
            print(f"{key:48} {len(result.rows):8} rows {time.perf_counter() - started:8.3f} s", flush=True)
            found[key] = {"columns": result.columns, "rows": [_plain(row) for row in result.rows]}
    return found


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {column: value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
            for column, value in row.items()}


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    problems = []
    for key, answer in after.items():
        earlier = before.get(key)
        if earlier is None:
            continue
        if earlier["columns"] != answer["columns"]:
            problems.append(f"{key}: columns {earlier['columns']} -> {answer['columns']}")
        elif earlier["rows"] != answer["rows"]:
            # As sets of serialised rows: a list lookup per row takes hours on 100 000-row answers.
            before_rows = {json.dumps(row, sort_keys=True) for row in earlier["rows"]}
            after_rows = {json.dumps(row, sort_keys=True) for row in answer["rows"]}
            gone, new = sorted(before_rows - after_rows), sorted(after_rows - before_rows)
            problems.append(f"{key}: {len(earlier['rows'])} -> {len(answer['rows'])} rows; "
                            f"first missing {gone[:1]}, first new {new[:1]}"
                            + ("" if gone or new else " (same rows, other order)"))
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", type=Path, required=True, help="folder of a loaded embedded store")
    parser.add_argument("--queries", default="", help="comma-separated names (default: all saved queries)")
    parser.add_argument("--erfurt", action="store_true", help="entity ids of the Erfurt example, not generated ones")
    parser.add_argument("--level", choices=("both", "internal", "public"), default="both")
    parser.add_argument("--out", type=Path, help="write the rows here")
    parser.add_argument("--compare", type=Path, help="compare with rows written by an earlier run")
    args = parser.parse_args(argv)
    store = GraphStore(EmbeddedBackend.read_only(args.store), DEFAULT_BASE_URI, maintain=False)
    names = [name for name in args.queries.split(",") if name] or [query.name for query in Catalog().queries()]
    levels = {"both": (True, False), "internal": (True,), "public": (False,)}[args.level]
    found = answers(store, names, dict(ERFURT_ENTITIES if args.erfurt else GENERATED_ENTITIES), levels)
    if args.out:
        args.out.write_text(json.dumps(found, ensure_ascii=False), encoding="utf-8")
    if args.compare:
        problems = differences(json.loads(args.compare.read_text(encoding="utf-8")), found)
        print("\n".join(problems) or "same rows as " + str(args.compare))
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
