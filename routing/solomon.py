"""Solomon VRPTW instances: read, solve with the project's OR-Tools machinery, check.

Convention (as in ``solomon_bks.csv``): Euclidean distances, travel time equals
distance, windows, service times and capacity from the file, objective = distance.
The solver works on integers scaled by ``scale`` (default 1000): travel *times* are
rounded up, so every integer-feasible route is feasible in exact arithmetic, and arc
*costs* are rounded to nearest. Reported distances are recomputed in double
precision from the routes.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from pathlib import Path

from ortools.constraint_solver import pywrapcp

from routing.errors import SolomonFormatError
from routing.search import SearchSettings, status_name

EPS = 1e-6


@dataclass(frozen=True)
class SolomonInstance:
    """One instance; index 0 is the depot."""

    name: str
    vehicles: int
    capacity: int
    x: tuple[float, ...]
    y: tuple[float, ...]
    demand: tuple[int, ...]
    ready: tuple[int, ...]
    due: tuple[int, ...]
    service: tuple[int, ...]

    def __post_init__(self) -> None:
        n = len(self.x)
        for name in ("y", "demand", "ready", "due", "service"):
            if len(getattr(self, name)) != n:
                msg = f"Expected {n} values of {name}, got {len(getattr(self, name))}."
                raise SolomonFormatError(msg)
        if n < 2:
            msg = f"Expected a depot and at least one customer, got {n} rows."
            raise SolomonFormatError(msg)
        if self.vehicles < 1 or self.capacity < 1:
            msg = f"Expected vehicles >= 1 and capacity >= 1, got {self.vehicles}, {self.capacity}."
            raise SolomonFormatError(msg)

    @property
    def size(self) -> int:
        """Depot plus customers."""
        return len(self.x)

    def distance(self, i: int, j: int) -> float:
        """Euclidean distance in double precision."""
        return math.hypot(self.x[i] - self.x[j], self.y[i] - self.y[j])


def read_solomon(path: str | Path) -> SolomonInstance:
    """Read a Solomon text file (name, ``VEHICLE`` block, ``CUSTOMER`` table).

    Raises
    ------
    SolomonFormatError
        If the file does not follow the format.
    """
    src = Path(path)
    lines = [ln.strip() for ln in src.read_text().splitlines() if ln.strip()]
    try:
        v_at = next(i for i, ln in enumerate(lines) if ln.upper().startswith("VEHICLE"))
        vehicles, capacity = (int(t) for t in lines[v_at + 2].split()[:2])
        c_at = next(i for i, ln in enumerate(lines) if ln.upper().startswith("CUSTOMER"))
    except (StopIteration, ValueError, IndexError) as exc:
        msg = f"Expected a Solomon VEHICLE block and CUSTOMER table in {src.name}, got neither."
        raise SolomonFormatError(msg) from exc
    rows: list[list[float]] = []
    for ln in lines[c_at + 1 :]:
        parts = ln.split()
        if not parts[0].isdigit():
            continue
        if len(parts) != 7:
            msg = f"Expected 7 columns per customer row in {src.name}, got {ln!r}."
            raise SolomonFormatError(msg)
        rows.append([float(p) for p in parts])
    if [int(r[0]) for r in rows] != list(range(len(rows))):
        msg = f"Expected customers numbered 0..n in {src.name}, got a gap or reordering."
        raise SolomonFormatError(msg)
    return SolomonInstance(
        name=lines[0],
        vehicles=vehicles,
        capacity=capacity,
        x=tuple(r[1] for r in rows),
        y=tuple(r[2] for r in rows),
        demand=tuple(int(r[3]) for r in rows),
        ready=tuple(int(r[4]) for r in rows),
        due=tuple(int(r[5]) for r in rows),
        service=tuple(int(r[6]) for r in rows),
    )


def scaled_matrices(
    inst: SolomonInstance, scale: int = 1000
) -> tuple[list[list[int]], list[list[int]]]:
    """``(cost, time)``: distances × scale, rounded to nearest and rounded up."""
    n = inst.size
    exact = [[inst.distance(i, j) * scale for j in range(n)] for i in range(n)]
    cost = [[round(d) for d in row] for row in exact]
    travel = [[math.ceil(d - EPS) for d in row] for row in exact]
    return cost, travel


@dataclass(frozen=True)
class SolomonSolution:
    """Routes as customer-index sequences (depot excluded) and their exact distance."""

    routes: tuple[tuple[int, ...], ...]
    distance: float
    status: str
    wall_time_s: float

    @property
    def vehicles(self) -> int:
        """Number of non-empty routes."""
        return sum(1 for r in self.routes if r)


def route_distance(inst: SolomonInstance, routes: tuple[tuple[int, ...], ...]) -> float:
    """Total Euclidean length of ``routes`` (each from and back to the depot)."""
    total = 0.0
    for route in routes:
        path = (0, *route, 0)
        total += sum(inst.distance(a, b) for a, b in zip(path, path[1:], strict=False))
    return total


def solve_solomon(
    inst: SolomonInstance, search: SearchSettings, *, scale: int = 1000
) -> SolomonSolution:
    """Solve ``inst`` with OR-Tools: capacity and time dimensions, distance as cost.

    Returns a solution with no routes and ``distance = inf`` when the search finds
    nothing (the status says why).
    """
    clock = time.perf_counter()
    n = inst.size
    manager = pywrapcp.RoutingIndexManager(n, inst.vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)
    cost, travel = scaled_matrices(inst, scale)
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost))
    demand_cb = routing.RegisterUnaryTransitVector(list(inst.demand))
    routing.AddDimension(demand_cb, 0, inst.capacity, True, "load")
    transit = [[inst.service[i] * scale + travel[i][j] for j in range(n)] for i in range(n)]
    horizon = inst.due[0] * scale
    routing.AddDimension(routing.RegisterTransitMatrix(transit), horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for node in range(1, n):
        time_dim.CumulVar(manager.NodeToIndex(node)).SetRange(
            inst.ready[node] * scale, inst.due[node] * scale
        )
    for v in range(inst.vehicles):
        for index in (routing.Start(v), routing.End(v)):
            time_dim.CumulVar(index).SetRange(inst.ready[0] * scale, inst.due[0] * scale)
    solution = routing.SolveWithParameters(search.parameters())
    status = status_name(routing)
    if solution is None:
        return SolomonSolution((), math.inf, status, time.perf_counter() - clock)
    routes: list[tuple[int, ...]] = []
    for v in range(inst.vehicles):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        route: list[int] = []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(tuple(route))
    found = tuple(routes)
    return SolomonSolution(found, route_distance(inst, found), status, time.perf_counter() - clock)


def solomon_problems(inst: SolomonInstance, routes: tuple[tuple[int, ...], ...]) -> list[str]:
    """Every violation of ``routes`` in exact arithmetic (empty list when feasible).

    Checks: each customer exactly once, at most ``vehicles`` routes, capacity, every
    service starting by its due time (waiting allowed), back at the depot by its due time.
    """
    out: list[str] = []
    served = [c for r in routes for c in r]
    if sorted(served) != list(range(1, inst.size)):
        missing = sorted(set(range(1, inst.size)) - set(served))
        twice = sorted({c for c in served if served.count(c) > 1})
        out.append(f"customers missing {missing[:10]} or served twice {twice[:10]}")
    if len([r for r in routes if r]) > inst.vehicles:
        out.append(f"{len(routes)} routes, expected at most {inst.vehicles}")
    for k, route in enumerate(routes):
        load = sum(inst.demand[c] for c in route)
        if load > inst.capacity:
            out.append(f"route {k}: load {load} > capacity {inst.capacity}")
        t, prev = float(inst.ready[0]), 0
        for c in route:
            t = max(t + inst.service[prev] + inst.distance(prev, c), float(inst.ready[c]))
            if t > inst.due[c] + EPS:
                out.append(f"route {k}: customer {c} starts at {t:.3f} > due {inst.due[c]}")
            prev = c
        back = t + inst.service[prev] + inst.distance(prev, 0)
        if back > inst.due[0] + EPS:
            out.append(f"route {k}: back at depot {back:.3f} > due {inst.due[0]}")
    return out
