"""Night benchmark on real Coventry postcodes: default settings vs a two-minute search.

35 people picked with a fixed seed from Coventry's postcodes (E08000026), about 70
visits across the night (every fifth person has time-critical medication calls,
strict ±15 min), night zones from ward codes, three cars with bases in their zones,
straight-line travel. Target: the default settings within 0.5% of the two-minute
objective in at most 5 s.

The reference is the same search (default settings) with no solution or branch
limit, stopped by a ``--long`` second time limit; it runs once. ``--before`` also
runs the settings that were the defaults before the tuning (for the table in
docs/routing.md). Each line splits the objective into its parts: travel seconds,
lateness cost (beyond the tolerance window), lateness of strict visits after their
requested time, out-of-zone cost and drop penalties.

Usage::

    nice .venv/bin/python benchmarks/bench_night.py [--long 120] [--seed 7] [--before]
        [--sequential]

Each plan is two independent searches (``SearchSettings.variants``: one per
first-solution strategy), run side by side on two processes as the app runs them,
best kept; ``--sequential`` runs them one after the other (same plans, about twice
the time).
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from routing.night import Night  # noqa: E402
from routing.search import SearchSettings  # noqa: E402
from routing.settings import PlanSettings  # noqa: E402
from routing.solve import best_plan, plan_night, plan_variants  # noqa: E402
from routing.travel import StraightLine  # noqa: E402
from routing.types import Car, Plan, Point, Visit  # noqa: E402

POSTCODES = Path(__file__).resolve().parents[1] / "data" / "postcodes" / "cv_postcodes_2025-10.csv"
ZONES = {
    "1": "E05001218 E05001229 E05001227 E05001225 E05001224 E05001222",
    "2": "E05001234 E05001233 E05001232 E05001220 E05001221 E05001231",
    "3": "E05001223 E05001230 E05001235 E05001228 E05001226 E05001219",
}
ZONE_OF_WARD = {w: z for z, wards in ZONES.items() for w in wards.split()}


def build_night(seed: int) -> tuple[list[Visit], list[Car], Night]:
    night = Night(date(2026, 1, 14))
    with POSTCODES.open() as fh:
        rows = [
            r
            for r in csv.DictReader(fh)
            if r["admin_district_code"] == "E08000026" and r["admin_ward_code"] in ZONE_OF_WARD
        ]
    rng = random.Random(seed)
    people = rng.sample(rows, 35)
    visits: list[Visit] = []
    for p, row in enumerate(people):
        loc = Point(float(row["lat"]), float(row["lon"]))
        zone = ZONE_OF_WARD[row["admin_ward_code"]]
        strict = p % 5 == 0
        first = rng.randrange(1800, 4 * 3600, 900)
        for k, start in enumerate((first, first + rng.randrange(3 * 3600, 4 * 3600 + 1, 900))):
            visits.append(
                Visit(
                    f"p{p:02d}-{k}",
                    loc,
                    min(start, night.duration_s - 3600),
                    600 if strict else 900,
                    zone,
                    tolerance_s=900 if strict else 1800,
                    strict=strict,
                    priority=3 if strict else 1,
                    person_id=f"p{p:02d}",
                )
            )
    cars: list[Car] = []
    for zone in ("1", "2", "3"):
        mine = [r for r in rows if ZONE_OF_WARD[r["admin_ward_code"]] == zone]
        base = Point(
            statistics.median(float(r["lat"]) for r in mine),
            statistics.median(float(r["lon"]) for r in mine),
        )
        cars.append(
            Car(
                f"car{zone}",
                zone,
                base,
                0,
                night.duration_s,
                break_window_start_s=3 * 3600,
                break_window_end_s=6 * 3600,
            )
        )
    return visits, cars, night


BEFORE = SearchSettings(
    first_solution="PARALLEL_CHEAPEST_INSERTION",
    solution_limit=100,
    guided_local_search_lambda=0.1,
    insertion_lns=True,
    then_metaheuristics=(),
)
"""The default search before tuning (commit d67d2f1), kept for comparison."""


def _warm(pool: ProcessPoolExecutor, workers: int) -> None:
    # Start every worker before the clock runs (each sleeps while the others start).
    for future in [pool.submit(time.sleep, 0.5) for _ in range(workers)]:
        future.result()


def run(
    label: str,
    visits: list[Visit],
    cars: list[Car],
    night: Night,
    s: PlanSettings,
    pool: ProcessPoolExecutor | None,
) -> tuple[Plan, float]:
    """Plan as the app does: one search per variant, side by side in ``pool``; keep the best.

    Without a pool the variants run one after the other (``plan_night``); the plan is
    the same, only the wall time differs.
    """
    started = time.perf_counter()
    if pool is None:
        plan = plan_night(visits, cars, StraightLine(), night=night, settings=s)
    else:
        futures = [
            pool.submit(plan_night, visits, cars, StraightLine(), night=night, settings=v)
            for v in plan_variants(s)
        ]
        plan = best_plan([f.result() for f in futures])
    took = time.perf_counter() - started
    late = sum(st.beyond_tolerance_s for r in plan.routes for st in r.stops if not st.strict)
    strict_late = sum(st.lateness_s for r in plan.routes for st in r.stops if st.strict)
    zone = sum(r.out_of_zone_stops for r in plan.routes)
    by_id = {v.id: v for v in visits}
    dropped = sum(
        s.strict_drop_penalty
        if by_id[u.visit_id].strict
        else s.drop_penalty_per_priority * by_id[u.visit_id].priority
        for u in plan.unassigned
    )
    print(
        f"{label:30} objective {plan.stats.objective:>7} = travel {plan.total_travel_s:>5}"
        f" + late {s.lateness_cost_per_s * late:>6}"
        f" + strict late {s.strict_lateness_cost_per_s * strict_late:>5}"
        f" + zone {s.cross_zone_cost * zone:>5}"
        f" + drops {dropped:>6}  (late>tol {late:>5} s, out-of-zone {zone:>2},"
        f" unassigned {len(plan.unassigned)})  {took:6.2f} s  [{plan.stats.first_solution}]",
        flush=True,
    )
    return plan, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--long", type=float, default=120.0, help="seconds for the long run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--before", action="store_true", help="also run the old defaults")
    parser.add_argument(
        "--solution-limit", type=int, default=None, help="override the default solution limit"
    )
    parser.add_argument(
        "--sequential",
        action="store_true",
        help="run the search variants one after the other on one core (default: side by side)",
    )
    args = parser.parse_args()
    variants = len(SearchSettings().variants())
    pool = None if args.sequential else ProcessPoolExecutor(max_workers=variants)
    if pool is not None:
        _warm(pool, variants)
    visits, cars, night = build_night(args.seed)
    print(f"{len(visits)} visits ({sum(v.strict for v in visits)} strict), {len(cars)} cars")
    search = SearchSettings()
    if args.solution_limit is not None:
        search = replace(search, solution_limit=args.solution_limit)
    print(
        f"default search: {search.first_solution} + "
        f"{'/'.join((search.metaheuristic, *search.then_metaheuristics))} "
        f"(switch every {search.local_optima_per_metaheuristic} local optima), "
        f"lambda {search.guided_local_search_lambda}, insertion LNS {search.insertion_lns}, "
        f"solution limit {search.solution_limit}, time cap {search.time_limit_s:g} s"
    )
    print(
        f"variants: {', '.join(v.first_solution for v in search.variants())}, "
        + ("one after the other" if pool is None else f"side by side on {variants} processes")
    )
    default, took = run("default settings", visits, cars, night, PlanSettings(search=search), pool)
    if args.before:
        old, _ = run(
            "before tuning (d67d2f1)", visits, cars, night, PlanSettings(search=BEFORE), pool
        )
    long_search = replace(search, solution_limit=None, time_limit_s=args.long, branch_limit=None)
    best, _ = run(
        f"{args.long:g} s search", visits, cars, night, PlanSettings(search=long_search), pool
    )
    if args.before:
        ratio = old.stats.objective / best.stats.objective
        print(f"before-tuning / long objective = {ratio:.4f}")
    ratio = default.stats.objective / best.stats.objective
    print(f"default / long objective = {ratio:.4f} in {took:.2f} s (target <= 1.005 within 5 s)")
    if pool is not None:
        pool.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
