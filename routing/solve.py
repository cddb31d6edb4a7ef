"""The night planner: an OR-Tools routing model over visits, cars and a travel matrix.

Model
-----
* Nodes: one start and one end per car (its base, or its position when
  re-planning), then one node per visit.
* Time dimension: transit ``i -> j`` is the service time at ``i`` plus travel; slack
  is waiting. Each car's start and end cumuls lie inside its shift.
* Windows: strict visits get a hard window ``requested ± tolerance`` and a soft upper
  bound at the requested time (``strict_lateness_cost_per_s``), which pulls a late
  medication call toward its time instead of the window's edge; others get a
  wider hard window and soft bounds with a per-second cost (see
  :class:`routing.settings.PlanSettings`), so lateness trades against travel.
* Breaks: one interval per car via ``SetBreakIntervalsOfVehicle``, constrained to lie
  between the car's departure and return.
* Same-person gaps: ``AddNodePrecedence`` on the time dimension, which binds only
  when both visits are served.
* Costs: travel seconds, plus ``cross_zone_cost`` when a car enters a visit outside
  its zone, plus ``move_cost`` when re-planning moves a visit to another car.
* Drops: one disjunction per visit, penalty by priority; strict visits highest.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ortools.constraint_solver import pywrapcp

from routing.check import check_plan
from routing.errors import RoutingError
from routing.night import Night
from routing.schedule import Leg, build_route
from routing.search import solve_with_limits, status_name
from routing.settings import PlanSettings, hard_window
from routing.travel import TravelSource
from routing.types import (
    Break,
    Car,
    Plan,
    Point,
    Route,
    SolverStats,
    Stop,
    TravelMatrix,
    Unassigned,
    Visit,
)

REASON_UNREACHABLE = "no car can reach it inside its window"
REASON_OUTSIDE_SHIFT = "its window lies outside every car's shift"
REASON_PASSED = "its window has already passed"
REASON_DROPPED = "dropped by solver: not enough capacity in the night"


@dataclass(frozen=True)
class CarStart:
    """Where and when a car begins the part of the night being planned."""

    car_id: str
    location: Point
    available_s: int
    needs_break: bool = True


@dataclass(frozen=True)
class FixedPart:
    """What a car has already done (re-planning): kept in front of the new route."""

    stops: tuple[Stop, ...] = ()
    crew_break: Break | None = None
    depart_base_s: int | None = None


@dataclass
class _Problem:
    visits: list[Visit]
    cars: list[Car]
    night: Night
    settings: PlanSettings
    travel: TravelSource
    starts: dict[str, CarStart] = field(default_factory=dict)
    previous_car: dict[str, str] = field(default_factory=dict)
    fixed: dict[str, FixedPart] = field(default_factory=dict)
    now_s: int = 0
    fixed_visits: list[Visit] = field(default_factory=list)


def validate_inputs(visits: Sequence[Visit], cars: Sequence[Car]) -> None:
    """Raise :class:`RoutingError` on duplicate ids or an empty fleet."""
    if not cars:
        msg = "Expected at least one car, got none."
        raise RoutingError(msg)
    for kind, ids in (("visit", [v.id for v in visits]), ("car", [c.id for c in cars])):
        seen: set[str] = set()
        for i in ids:
            if i in seen:
                msg = f"Expected unique {kind} ids, got {i!r} twice."
                raise RoutingError(msg)
            seen.add(i)


def plan_night(
    visits: Sequence[Visit],
    cars: Sequence[Car],
    travel: TravelSource,
    *,
    night: Night,
    settings: PlanSettings | None = None,
) -> Plan:
    """Plan a night: which car serves which visit, in what order, and when.

    Parameters
    ----------
    visits
        Tonight's visits; ``requested_s`` in seconds since the shift start of ``night``.
    cars
        The cars, with shift bounds in the same elapsed seconds.
    travel
        The travel-time source (see :func:`routing.travel.travel_source`); its
        ``source`` is copied into the plan.
    night
        The night being planned (for local clock times in the plan).
    settings
        Costs and search; defaults to :class:`PlanSettings()`.

    Returns
    -------
    Plan
        Checked by :func:`routing.check.check_plan` before it is returned. Visits
        that cannot be served are in ``plan.unassigned`` with a reason.

    Raises
    ------
    RoutingError
        On inconsistent input (duplicate ids, no cars).
    PlanCheckError
        If the solver's answer fails the independent check (never expected).
    """
    validate_inputs(visits, cars)
    problem = _Problem(
        visits=list(visits),
        cars=list(cars),
        night=night,
        settings=settings or PlanSettings(),
        travel=travel,
    )
    return solve_problem(problem)


def plan_variants(settings: PlanSettings) -> tuple[PlanSettings, ...]:
    """One :class:`PlanSettings` per independent search in ``settings.search``.

    Planning with each variant (one solve each, possibly in parallel) and keeping
    :func:`best_plan` of the results gives the same plan as planning with ``settings``.
    """
    return tuple(replace(settings, search=s) for s in settings.search.variants())


def best_plan(plans: Sequence[Plan]) -> Plan:
    """The plan with the lowest objective (drop penalties included); ties go to the first."""
    if not plans:
        msg = "Expected at least one plan to choose from, got none."
        raise RoutingError(msg)
    return min(enumerate(plans), key=lambda item: (item[1].stats.objective, item[0]))[1]


def solve_problem(problem: _Problem) -> Plan:
    """Solve ``problem`` once per search variant and keep the best plan.

    Which first-solution strategy leads to the better plan depends on the night (see
    ``SearchSettings.also_first_solution``). Every run is deterministic, so the answer
    is too, whether the variants run here one after the other or in parallel.
    """
    return best_plan(
        [
            _solve_once(replace(problem, settings=variant))
            for variant in plan_variants(problem.settings)
        ]
    )


def _solve_once(problem: _Problem) -> Plan:
    """Build, solve, time and check the model of ``problem``."""
    clock = time.perf_counter()
    settings = problem.settings
    cars = problem.cars
    starts = [
        problem.starts.get(c.id) or CarStart(c.id, c.base, c.shift_start_s, True) for c in cars
    ]
    points = [s.location for s in starts] + [c.base for c in cars]
    points += [v.location for v in problem.visits]
    matrix = problem.travel.matrix(points)
    leg = _leg_lookup(points, matrix)
    n_cars = len(cars)
    offset = 2 * n_cars

    unassigned: list[Unassigned] = []
    served: list[int] = []
    for k, visit in enumerate(problem.visits):
        reason = _reachability(visit, k + offset, cars, starts, matrix, problem)
        if reason is None:
            served.append(k)
        else:
            unassigned.append(Unassigned(visit.id, reason))

    nodes = list(range(offset)) + [k + offset for k in served]
    visits = [problem.visits[k] for k in served]
    manager = pywrapcp.RoutingIndexManager(
        len(nodes), n_cars, list(range(n_cars)), list(range(n_cars, offset))
    )
    routing = pywrapcp.RoutingModel(manager)
    dur = matrix.duration_s
    service = [0] * offset + [v.duration_s for v in visits]
    transit = [
        [service[a] + int(dur[na, nb]) for b, nb in enumerate(nodes)] for a, na in enumerate(nodes)
    ]
    time_cb = routing.RegisterTransitMatrix(transit)
    horizon = max(c.shift_end_s for c in cars)
    routing.AddDimension(time_cb, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")

    for v, car in enumerate(cars):
        cost = [[int(dur[na, nb]) for nb in nodes] for na in nodes]
        for b, visit in enumerate(visits, start=offset):
            extra = settings.cross_zone_cost if visit.zone != car.zone else 0
            previous = problem.previous_car.get(visit.id)
            if previous is not None and previous != car.id:
                extra += settings.move_cost
            if extra:
                for row in cost:
                    row[b] += extra
        routing.SetArcCostEvaluatorOfVehicle(routing.RegisterTransitMatrix(cost), v)

    for v, (car, start) in enumerate(zip(cars, starts, strict=True)):
        begin = max(car.shift_start_s, start.available_s)
        time_dim.CumulVar(routing.Start(v)).SetRange(begin, car.shift_end_s)
        time_dim.CumulVar(routing.End(v)).SetRange(begin, car.shift_end_s)
        routing.AddVariableMaximizedByFinalizer(time_dim.CumulVar(routing.Start(v)))
        routing.AddVariableMinimizedByFinalizer(time_dim.CumulVar(routing.End(v)))

    for a, visit in enumerate(visits, start=offset):
        index = manager.NodeToIndex(a)
        low, high = hard_window(visit, settings)
        cumul = time_dim.CumulVar(index)
        cumul.SetRange(low, high)
        if visit.strict and settings.strict_lateness_cost_per_s and high > visit.requested_s:
            time_dim.SetCumulVarSoftUpperBound(
                index, visit.requested_s, settings.strict_lateness_cost_per_s
            )
        if not visit.strict:
            if high > visit.latest_s:
                time_dim.SetCumulVarSoftUpperBound(
                    index, visit.latest_s, settings.lateness_cost_per_s
                )
            if low < visit.earliest_s:
                time_dim.SetCumulVarSoftLowerBound(
                    index, visit.earliest_s, settings.earliness_cost_per_s
                )
        penalty = (
            settings.strict_drop_penalty
            if visit.strict
            else settings.drop_penalty_per_priority * visit.priority
        )
        routing.AddDisjunction([index], penalty)

    _add_min_gaps(visits, offset, manager, time_dim, settings.min_gap_s)

    solver = routing.solver()
    node_visit_transit = [0] * routing.Size()
    for index in range(routing.Size()):
        node_visit_transit[index] = service[manager.IndexToNode(index)]
    break_vars: dict[int, pywrapcp.IntervalVar] = {}
    for v, (car, start) in enumerate(zip(cars, starts, strict=True)):
        if not start.needs_break or car.break_duration_s == 0:
            continue
        earliest = max(car.break_start_s, start.available_s)
        latest = car.break_end_s - car.break_duration_s
        interval = solver.FixedDurationIntervalVar(
            earliest, max(earliest, latest), car.break_duration_s, False, f"break {car.id}"
        )
        solver.Add(interval.StartExpr() >= time_dim.CumulVar(routing.Start(v)))
        solver.Add(interval.EndExpr() <= time_dim.CumulVar(routing.End(v)))
        time_dim.SetBreakIntervalsOfVehicle([interval], v, node_visit_transit)
        routing.AddIntervalToAssignment(interval)
        break_vars[v] = interval

    search = settings.search
    solution = solve_with_limits(routing, search)
    status = status_name(routing)
    if solution is None:
        msg = (
            f"Expected the solver to find a plan (every visit may be dropped), got {status}; "
            "the cars' shifts or break windows are infeasible on their own."
        )
        raise RoutingError(msg)

    routes: list[Route] = []
    for v, (car, start) in enumerate(zip(cars, starts, strict=True)):
        index = routing.Start(v)
        depart = solution.Min(time_dim.CumulVar(index))
        seq: list[Visit] = []
        times: list[int] = []
        index = solution.Value(routing.NextVar(index))
        while not routing.IsEnd(index):
            seq.append(visits[manager.IndexToNode(index) - offset])
            times.append(solution.Min(time_dim.CumulVar(index)))
            index = solution.Value(routing.NextVar(index))
        brk = break_vars.get(v)
        fixed = problem.fixed.get(car.id, FixedPart())
        routes.append(
            build_route(
                car=car,
                zone_of_car=car.zone,
                night=problem.night,
                start_location=start.location,
                depart_s=depart,
                visits=seq,
                starts_s=times,
                leg=leg,
                break_start_s=None if brk is None else solution.StartMin(brk),
                fixed_stops=fixed.stops,
                fixed_break=fixed.crew_break,
                depart_base_s=fixed.depart_base_s,
            )
        )
    on_route = {s.visit_id for r in routes for s in r.stops}
    for visit in visits:
        if visit.id not in on_route:
            unassigned.append(Unassigned(visit.id, REASON_DROPPED))
    plan = Plan(
        night_start_at=problem.night.start,
        routes=tuple(routes),
        unassigned=tuple(unassigned),
        travel_source=matrix.source,
        stats=SolverStats(
            first_solution=search.first_solution,
            metaheuristic=search.metaheuristic,
            solution_limit=search.solution_limit or 0,
            time_limit_s=search.time_limit_s,
            status=status,
            objective=int(solution.ObjectiveValue()),
            wall_time_s=round(time.perf_counter() - clock, 3),
        ),
    )
    check_plan(
        plan,
        [*problem.visits, *problem.fixed_visits],
        cars,
        settings=settings,
        leg=leg,
        fixed_visit_ids={s.visit_id for f in problem.fixed.values() for s in f.stops},
        now_s=problem.now_s,
    )
    return plan


def _leg_lookup(points: Sequence[Point], matrix: TravelMatrix) -> Leg:
    index: dict[Point, int] = {}
    for i, p in enumerate(points):
        index.setdefault(p, i)
    dur, dist = matrix.duration_s, matrix.distance_m

    def leg(a: Point, b: Point) -> tuple[int, int]:
        i, j = index[a], index[b]
        return int(dur[i, j]), int(dist[i, j])

    return leg


def _reachability(
    visit: Visit,
    node: int,
    cars: Sequence[Car],
    starts: Sequence[CarStart],
    matrix: TravelMatrix,
    problem: _Problem,
) -> str | None:
    """``None`` if some car can serve ``visit`` alone inside its hard window, else why not."""
    low, high = hard_window(visit, problem.settings)
    if problem.now_s > 0 and high < problem.now_s:
        return REASON_PASSED
    dur = matrix.duration_s
    n_cars = len(cars)
    opens = [max(c.shift_start_s, s.available_s) for c, s in zip(cars, starts, strict=True)]
    if all(
        high < o or low + visit.duration_s > c.shift_end_s for c, o in zip(cars, opens, strict=True)
    ):
        return REASON_OUTSIDE_SHIFT
    best = None
    for v, (car, open_s) in enumerate(zip(cars, opens, strict=True)):
        arrive = open_s + int(dur[v, node])
        begin = max(arrive, low)
        best = arrive if best is None else min(best, arrive)
        if (
            begin <= high
            and begin + visit.duration_s + int(dur[node, n_cars + v]) <= car.shift_end_s
        ):
            return None
    night = problem.night
    return (
        f"{REASON_UNREACHABLE} (latest start {night.clock(high)}, "
        f"earliest arrival {night.clock(best or 0)})"
    )


def _add_min_gaps(
    visits: Sequence[Visit],
    offset: int,
    manager: pywrapcp.RoutingIndexManager,
    time_dim: pywrapcp.RoutingDimension,
    min_gap_s: int,
) -> None:
    """Same person: each visit starts >= the gap after the previous one finishes.

    The gap is the earlier visit's own ``min_gap_s`` when set, else ``min_gap_s``.
    """
    by_person: dict[str, list[int]] = {}
    for node, visit in enumerate(visits, start=offset):
        if visit.person_id is not None:
            by_person.setdefault(visit.person_id, []).append(node)
    for nodes in by_person.values():
        nodes.sort(key=lambda n: (visits[n - offset].requested_s, visits[n - offset].id))
        for first, second in zip(nodes, nodes[1:], strict=False):
            earlier = visits[first - offset]
            own = earlier.min_gap_s
            gap = earlier.duration_s + (min_gap_s if own is None else own)
            time_dim.AddNodePrecedence(manager.NodeToIndex(first), manager.NodeToIndex(second), gap)
