"""Allocation benchmark: batch throughput against shapely's STRtree, and HTTP latency.

Run: ``.venv/bin/python benchmarks/bench_allocation.py`` (``--points``, ``--requests``).

1. Batch: N random points (default 1,000,000) uniform over Coventry's ward
   bounding box in EPSG:27700. The project's grid index and shapely's
   ``STRtree.query(points, predicate="intersects")`` (ties to the lowest ward
   code, as the service's rule) run on the same points, pinned to one core;
   every point's answer is compared. Best of several runs.
2. HTTP: a real uvicorn server on 127.0.0.1 with a temporary SQLite database;
   single ``POST /v1/allocations`` requests over one keep-alive connection,
   p50 and p99 latency, with ``GET /health`` measured alongside as the floor
   of the HTTP stack.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import httpx
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from live_server import live_server  # noqa: E402

from app.security import Role  # noqa: E402
from geo.area import load_area  # noqa: E402


def pin_to_one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def best_of(repeats: int, fn):  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def bench_batch(n: int) -> None:
    area = load_area(ROOT / "data/councils/coventry.toml", data_dir=ROOT / "data")
    polygons = area.boundaries.polygons_bng
    xmin, ymin, xmax, ymax = shapely.total_bounds(polygons)
    rng = np.random.default_rng(20261124)
    x, y = rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n)

    grid_s, ours = best_of(7, lambda: area.locate_many(x, y))
    tree = shapely.STRtree(polygons)

    def strtree() -> np.ndarray:
        points = shapely.points(x, y)
        idx_point, idx_ward = tree.query(points, predicate="intersects")
        answer = np.full(n, -1, dtype=np.int16)
        order = np.argsort(-idx_ward, kind="stable")  # lowest code written last
        answer[idx_point[order]] = idx_ward[order]
        return answer

    tree_s, reference = best_of(3, strtree)
    disagree = int(np.count_nonzero(ours != reference))
    print(f"Batch allocation, {n:,} random points over Coventry's bounding box, one core")
    print(f"  border cells: {area.grid.border_share:.2%} of {area.grid.nx}x{area.grid.ny} grid")
    print(f"  in area: {np.mean(ours >= 0):.1%}")
    print(f"  grid index:          {n / grid_s / 1e6:8.2f} M points/s  ({grid_s * 1e3:.1f} ms)")
    print(f"  shapely STRtree:     {n / tree_s / 1e6:8.2f} M points/s  ({tree_s * 1e3:.1f} ms)")
    print(f"  speed-up:            {tree_s / grid_s:8.1f} x")
    print(f"  disagreements:       {disagree} of {n:,}")
    if disagree:
        raise SystemExit("FAIL: the grid index disagrees with shapely")


def percentile_ms(samples: list[float], q: float) -> float:
    return float(np.percentile(np.array(samples) * 1e3, q))


def bench_http(requests: int) -> None:
    with (
        live_server(Role.brokerage) as server,
        httpx.Client(base_url=server.base_url, headers={"X-API-Key": server.api_key}) as client,
    ):
        area = load_area(ROOT / "data/councils/coventry.toml", data_dir=ROOT / "data")
        assert area.postcodes is not None
        coventry = [r.postcode for r in area.postcodes if r.district_code == "E08000026"]
        postcodes = coventry[:: len(coventry) // 50][:50]
        for _ in range(200):  # warm-up
            client.post("/v1/allocations", json={"postcode": postcodes[0]})
        timings: dict[str, list[float]] = {"health": [], "postcode": [], "lat/lon": []}
        for i in range(requests):
            calls = (
                ("health", "GET", "/health", None),
                ("postcode", "POST", "/v1/allocations", {"postcode": postcodes[i % 50]}),
                (
                    "lat/lon",
                    "POST",
                    "/v1/allocations",
                    {"lat": 52.4 + i % 50 / 1e3, "lon": -1.5},
                ),
            )
            for label, method, path, body in calls:
                start = time.perf_counter()
                response = client.request(method, path, json=body)
                timings[label].append(time.perf_counter() - start)
                assert response.status_code == 200, response.text
    print(
        f"\nHTTP latency, {requests:,} requests each, uvicorn on 127.0.0.1, one keep-alive client"
    )
    for label, samples in timings.items():
        what = "GET /health (stack floor)" if label == "health" else f"POST /v1/allocations {label}"
        print(
            f"  {what:38s} p50 {percentile_ms(samples, 50):6.2f} ms   "
            f"p99 {percentile_ms(samples, 99):6.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2_000)
    args = parser.parse_args()
    pin_to_one_core()
    bench_batch(args.points)
    bench_http(args.requests)


if __name__ == "__main__":
    main()
