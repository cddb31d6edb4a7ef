"""Solomon VRPTW benchmark: the project's OR-Tools solver against PyVRP.

Both solvers get the same integer data (distances × 1000, travel time = distance,
times rounded up), the same wall-clock limit per instance, one core each. Distances
are recomputed in double precision from the routes and every solution is checked
with :func:`routing.solomon.solomon_problems`.

Usage::

    nice .venv/bin/python benchmarks/bench_solver.py [--instances DIR] [--time-limit 10]
        [--only R101,C101] [--first-solution SAVINGS] [--metaheuristic NAME]
        [--gls-lambda 0.2] [--no-insertion-lns] [--then-metaheuristics TABU_SEARCH]
        [--first-solutions R101,RC101]   # only measure first-solution strategies

The defaults are the best Solomon settings measured (docs/routing.md): SAVINGS, then
guided local search alone at lambda 0.2 with OR-Tools' insertion LNS operators on.
They differ from the night planner's (LOCAL/PARALLEL_CHEAPEST_INSERTION, GLS/tabu
alternation at lambda 0.3, insertion LNS off), which were chosen on the night benchmark.
Earlier full runs used ``--first-solution PARALLEL_CHEAPEST_INSERTION --gls-lambda 0.1``.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from routing.search import SearchSettings  # noqa: E402
from routing.solomon import (  # noqa: E402
    SolomonInstance,
    read_solomon,
    route_distance,
    scaled_matrices,
    solomon_problems,
    solve_solomon,
)

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "vrptw" / "solomon"
SCALE = 1000
STRATEGIES = (
    "AUTOMATIC",
    "PATH_CHEAPEST_ARC",
    "PARALLEL_CHEAPEST_INSERTION",
    "LOCAL_CHEAPEST_INSERTION",
    "SEQUENTIAL_CHEAPEST_INSERTION",
    "SAVINGS",
)


def solve_pyvrp(
    inst: SolomonInstance, seconds: float, seed: int = 1
) -> tuple[tuple[int, ...], ...]:
    """Solve with PyVRP on the same scaled integer data; routes of customer indices."""
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    cost, travel = scaled_matrices(inst, SCALE)
    model = Model()
    locs = [model.add_location(x, y) for x, y in zip(inst.x, inst.y, strict=True)]
    depot = model.add_depot(locs[0], tw_early=inst.ready[0] * SCALE, tw_late=inst.due[0] * SCALE)
    model.add_vehicle_type(
        num_available=inst.vehicles,
        capacity=inst.capacity,
        start_depot=depot,
        end_depot=depot,
        tw_early=inst.ready[0] * SCALE,
        tw_late=inst.due[0] * SCALE,
    )
    for c in range(1, inst.size):
        model.add_client(
            locs[c],
            delivery=inst.demand[c],
            service_duration=inst.service[c] * SCALE,
            tw_early=inst.ready[c] * SCALE,
            tw_late=inst.due[c] * SCALE,
        )
    for i, a in enumerate(locs):
        for j, b in enumerate(locs):
            model.add_edge(a, b, distance=cost[i][j], duration=travel[i][j])
    result = model.solve(stop=MaxRuntime(seconds), seed=seed, display=False)
    if not result.is_feasible():
        return ()
    # Activities index clients among clients (0-based); Solomon customers start at 1.
    return tuple(
        tuple(int(a.idx) + 1 for a in route if a.is_client()) for route in result.best.routes()
    )


def read_bks(folder: Path) -> dict[str, tuple[int, float]]:
    path = folder.parent / "solomon_bks.csv"
    if not path.is_file():
        return {}
    with path.open() as fh:
        return {
            r["instance"]: (int(r["vehicles"]), float(r["distance"])) for r in csv.DictReader(fh)
        }


def geomean(values: list[float]) -> float:
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else math.nan


def measure_first_solutions(folder: Path, names: list[str], seconds: float) -> None:
    print(f"first-solution strategies + GUIDED_LOCAL_SEARCH, {seconds:g} s each")
    print(f"{'instance':8} {'strategy':32} {'distance':>10} {'veh':>4}  status")
    for name in names:
        inst = read_solomon(folder / f"{name}.txt")
        for strategy in STRATEGIES:
            search = SearchSettings(
                first_solution=strategy, solution_limit=None, time_limit_s=seconds
            )
            sol = solve_solomon(inst, search, scale=SCALE)
            bad = solomon_problems(inst, sol.routes) if sol.routes else ["no solution"]
            dist = f"{sol.distance:10.2f}" if sol.routes else f"{'-':>10}"
            ok = "feasible" if not bad else bad[0]
            print(
                f"{name:8} {strategy:32} {dist} {sol.vehicles:4}  {sol.status} ({ok})", flush=True
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--only", default="")
    parser.add_argument("--first-solution", default="SAVINGS")
    parser.add_argument("--metaheuristic", default="GUIDED_LOCAL_SEARCH")
    parser.add_argument("--first-solutions", default="", help="only compare strategies here")
    parser.add_argument("--gls-lambda", type=float, default=0.2)
    parser.add_argument(
        "--insertion-lns",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="keep the cheapest-insertion LNS operators (--no-insertion-lns drops them)",
    )
    parser.add_argument(
        "--then-metaheuristics",
        default="",
        help="comma-separated metaheuristics to alternate with --metaheuristic ('' for none)",
    )
    args = parser.parse_args()
    folder: Path = args.instances
    if args.first_solutions:
        measure_first_solutions(folder, args.first_solutions.split(","), args.time_limit)
        return 0
    names = sorted(p.stem for p in folder.glob("*.txt"))
    if args.only:
        wanted = set(args.only.split(","))
        names = [n for n in names if n in wanted]
    bks = read_bks(folder)
    search = SearchSettings(
        first_solution=args.first_solution,
        metaheuristic=args.metaheuristic,
        solution_limit=None,
        time_limit_s=args.time_limit,
        guided_local_search_lambda=args.gls_lambda,
        insertion_lns=args.insertion_lns,
        then_metaheuristics=tuple(m for m in args.then_metaheuristics.split(",") if m),
    )
    print(
        f"OR-Tools {search.first_solution} + "
        f"{'/'.join((search.metaheuristic, *search.then_metaheuristics))} "
        f"(lambda {search.guided_local_search_lambda}, insertion LNS {search.insertion_lns}) "
        "vs PyVRP, "
        f"{args.time_limit:g} s each, scale x{SCALE}"
    )
    header = (
        f"{'inst':6} {'BKS':>8} {'ort dist':>9} {'veh':>3} {'gap%':>6} "
        f"{'pyvrp':>9} {'veh':>3} {'gap%':>6} {'ort/pyvrp':>9}  feasible"
    )
    print(header)
    ratios: list[float] = []
    gaps_ort: list[float] = []
    gaps_pv: list[float] = []
    infeasible = 0
    for name in names:
        inst = read_solomon(folder / f"{name}.txt")
        ort = solve_solomon(inst, search, scale=SCALE)
        started = time.perf_counter()
        pv_routes = solve_pyvrp(inst, args.time_limit)
        del started
        pv_dist = route_distance(inst, pv_routes) if pv_routes else math.inf
        ok_ort = bool(ort.routes) and not solomon_problems(inst, ort.routes)
        ok_pv = bool(pv_routes) and not solomon_problems(inst, pv_routes)
        infeasible += (not ok_ort) + (not ok_pv)
        best = bks.get(name, (0, math.nan))[1]
        gap_o = 100 * (ort.distance / best - 1)
        gap_p = 100 * (pv_dist / best - 1)
        ratio = ort.distance / pv_dist
        if ok_ort and ok_pv:
            ratios.append(ratio)
            gaps_ort.append(ort.distance / best)
            gaps_pv.append(pv_dist / best)
        print(
            f"{name:6} {best:8.2f} {ort.distance:9.2f} {ort.vehicles:3} {gap_o:6.2f} "
            f"{pv_dist:9.2f} {len(pv_routes):3} {gap_p:6.2f} {ratio:9.4f}  "
            f"{'ok' if ok_ort else 'NO'}/{'ok' if ok_pv else 'NO'}",
            flush=True,
        )
    print(
        f"geometric means over {len(ratios)} instances: OR-Tools/PyVRP = {geomean(ratios):.4f}, "
        f"gap to BKS OR-Tools {100 * (geomean(gaps_ort) - 1):.2f}%, "
        f"PyVRP {100 * (geomean(gaps_pv) - 1):.2f}%; infeasible solutions: {infeasible}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
