"""Point in polygon at city-state scale: 100,000 points into 20,000 nested polygons.

Ours: `loaders.placement.SpaceIndex` (shapely 2 STRtree, one vectorised query, smallest space per point).
Baselines, measured in the same run:
- "loop": the obvious code (for each point, test every polygon with `covers`, keep the smallest), timed on a
  sample of points and extrapolated to all of them;
- "tree per point": the same STRtree, but queried point by point from Python (what one writes first with
  shapely 2), timed on all points.

    /work/main/.venv/bin/python bench/spatial.py [--points 100000] [--sample 100]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from loaders.placement import SpaceIndex

GOAL_SECONDS = 10.0


def grid(cells: int, mids: int) -> tuple[dict[str, shapely.Polygon], dict[str, str]]:
    """`cells`² small squares nested in `mids`² larger ones (each side a multiple), 0.001° apart, near Erfurt."""
    size, factor = 0.001, cells // mids
    west, south = 10.9, 50.9
    shapes: dict[str, shapely.Polygon] = {}
    parents: dict[str, str] = {}
    for i in range(mids):
        for j in range(mids):
            x, y = west + i * factor * size, south + j * factor * size
            shapes[f"m{i}-{j}"] = shapely.box(x, y, x + factor * size, y + factor * size)
    for i in range(cells):
        for j in range(cells):
            x, y = west + i * size, south + j * size
            key = f"s{i}-{j}"
            shapes[key] = shapely.box(x, y, x + size, y + size)
            parents[key] = f"m{i // factor}-{j // factor}"
    return shapes, parents


def naive(shapes: dict[str, shapely.Polygon], lons: np.ndarray, lats: np.ndarray) -> list[str | None]:
    ordered = sorted(shapes.items(), key=lambda item: item[1].area)
    found: list[str | None] = []
    for lon, lat in zip(lons, lats, strict=True):
        point = shapely.Point(lon, lat)
        found.append(next((key for key, polygon in ordered if polygon.covers(point)), None))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=100, help="points the baseline loop is timed on")
    args = parser.parse_args()
    shapes, parents = grid(cells=140, mids=20)  # 19,600 + 400 = 20,000 polygons
    extent = 140 * 0.001
    rng = np.random.default_rng(2025)
    lons = 10.9 + rng.uniform(0, extent, args.points)
    lats = 50.9 + rng.uniform(0, extent, args.points)
    lons[:1000] = np.round(lons[:1000], 3)  # a thousand points exactly on cell edges

    start = time.perf_counter()
    index = SpaceIndex(shapes, parents)
    built = time.perf_counter() - start
    start = time.perf_counter()
    found = index.place(lons, lats)
    placed = time.perf_counter() - start
    ours = built + placed

    start = time.perf_counter()
    per_point = []
    for point in shapely.points(lons, lats):
        hits = index.tree.query(point, predicate="intersects")
        per_point.append(int(hits.min()) if len(hits) else -1)
    tree_loop = time.perf_counter() - start + built
    assert per_point == found.tolist()

    sample = min(args.sample, args.points)
    start = time.perf_counter()
    expected = naive(shapes, lons[:sample], lats[:sample])
    baseline_sample = time.perf_counter() - start
    baseline = baseline_sample * args.points / sample

    ours_sample = [index.iris[i] if i >= 0 else None for i in found[:sample]]
    agree = sum(a == b or (a is not None and b is not None and shapes[a].area == shapes[b].area)
                for a, b in zip(ours_sample, expected, strict=True))
    print(f"{len(shapes):,} polygons, {args.points:,} points ({int((found >= 0).sum()):,} placed)")
    print(f"ours  (STRtree, vectorised): index {built:6.2f} s + placing {placed:6.2f} s = {ours:6.2f} s")
    print(f"baseline (loop over polygons, covers): {baseline_sample:.2f} s for {sample} points, "
          f"extrapolated {baseline:,.0f} s")
    print(f"baseline (same STRtree, queried point by point): index + placing {tree_loop:6.2f} s")
    print(f"ratio loop / ours: {baseline / ours:,.0f}x; tree per point / ours: {tree_loop / ours:.1f}x; "
          f"same space as the loop for {agree}/{sample} sampled points")
    print(f"goal < {GOAL_SECONDS:.0f} s: {'met' if ours < GOAL_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
