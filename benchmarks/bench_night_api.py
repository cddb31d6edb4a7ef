"""Night plans through the HTTP API: two solver workers against one, in the same run.

The 35 people and 70 visits of ``bench_night.py`` (seed 7, real Coventry postcodes)
are stored as night service users through ``POST /v1/night-users`` on a real
uvicorn server with a temporary SQLite database; then ``POST /v1/night-plans`` is
timed with the default overrides (the cars and bases of ``data/councils/coventry.toml``,
break window 01:00-04:00 as in ``bench_night.py``). While a plan is being made,
``GET /health`` is called in a loop from another thread to show that the server
keeps answering.

Baseline: the same server with ``CAREZONES_SOLVER_WORKERS=1``, where the plan's two
searches run one after the other. The plans must be identical.

Usage::

    PYTHONPATH=. .venv/bin/python benchmarks/bench_night_api.py [--plans 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_night import build_night  # noqa: E402
from live_server import live_server  # noqa: E402

from app.security import Role  # noqa: E402

DATE = "2026-11-24"
OVERRIDES = {"break_window_start": "01:00", "break_window_end": "04:00"}


def night_users() -> list[dict[str, object]]:
    """bench_night.py's people as API bodies: lat/lon, clock times, minutes."""
    visits, _cars, night = build_night(7)
    people: dict[str, dict[str, object]] = {}
    for v in visits:
        assert v.person_id is not None
        body = people.setdefault(
            v.person_id,
            {
                "label": f"Benchmark {v.person_id}",
                "location": {"lat": v.location.lat, "lon": v.location.lon},
                "visits": [],
            },
        )
        body["visits"].append(  # type: ignore[union-attr]
            {
                "requested_time": night.at(v.requested_s).strftime("%H:%M"),
                "tolerance_minutes": v.tolerance_s // 60,
                "strict": v.strict,
                "duration_minutes": v.duration_s // 60,
                "priority": v.priority,
            }
        )
    return list(people.values())


def run_server(workers: int, plans: int) -> tuple[list[float], list[float], list[dict]]:
    """Plan ``plans`` times on a fresh server; (plan seconds, health ms during, plans)."""
    env = {"CAREZONES_SOLVER_WORKERS": str(workers)}
    with live_server(Role.night_coordinator, env) as server:
        base = server.base_url
        auth = {"X-API-Key": server.api_key}
        with httpx.Client(base_url=base, headers=auth, timeout=120) as client:
            for body in night_users():
                response = client.post("/v1/night-users", json=body)
                assert response.status_code == 201, response.text
            seconds: list[float] = []
            health_ms: list[float] = []
            made: list[dict] = []
            for _ in range(plans):
                done = threading.Event()

                def probe(done: threading.Event = done) -> None:
                    with httpx.Client(base_url=base, timeout=10) as other:
                        while not done.is_set():
                            start = time.perf_counter()
                            assert other.get("/health").status_code == 200
                            health_ms.append((time.perf_counter() - start) * 1e3)
                            time.sleep(0.05)

                prober = threading.Thread(target=probe)
                prober.start()
                start = time.perf_counter()
                response = client.post(
                    "/v1/night-plans", json={"date": DATE, "overrides": OVERRIDES}
                )
                seconds.append(time.perf_counter() - start)
                done.set()
                prober.join()
                assert response.status_code == 201, response.text
                made.append(response.json())
    return seconds, health_ms, made


def summary(plan: dict) -> tuple[object, ...]:
    routes = tuple(tuple(s["visit_id"] for s in car["stops"]) for car in plan["cars"])
    return plan["solver"]["objective"], routes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plans", type=int, default=3, help="plans per server")
    args = parser.parse_args()
    results = {}
    for workers in (2, 1):
        seconds, health, plans = run_server(workers, args.plans)
        results[workers] = plans
        first = plans[0]
        print(
            f"{workers} worker(s): plan {', '.join(f'{s:.2f}' for s in seconds)} s "
            f"(first includes worker start-up); objective {first['solver']['objective']}, "
            f"first solution {first['solver']['first_solution']}, "
            f"{first['totals']['unassigned']} unassigned; "
            f"/health during solves: {len(health)} calls, p50 {statistics.median(health):.1f} ms, "
            f"max {max(health):.1f} ms",
            flush=True,
        )
    same = {summary(p) for p in results[2] + results[1]}
    print(f"same plan from every run: {len(same) == 1}")
    return 0 if len(same) == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
