"""Check a plan independently of the solver.

Nothing here trusts OR-Tools: every time is recomputed from the plan's own legs and
the inputs. A plan with any problem is never returned to a caller.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from routing.errors import PlanCheckError
from routing.schedule import Leg
from routing.settings import PlanSettings, hard_window
from routing.types import Car, Plan, Route, Stop, Visit


def plan_problems(
    plan: Plan,
    visits: Sequence[Visit],
    cars: Sequence[Car],
    *,
    settings: PlanSettings,
    leg: Leg | None = None,
    fixed_visit_ids: Collection[str] = (),
) -> list[str]:
    """Every violation in ``plan``, one sentence each (empty when the plan is sound).

    Checks: each visit served at most once and accounted for; known cars; shift
    start and end; ``arrival = departure + travel`` (+ break when taken on the leg)
    for every leg, including the drive home; leg travel equals the travel source
    (when ``leg`` is given); waiting and finish times; hard windows (strict and
    non-strict) and the reported lateness; the break's length, window and place;
    minimum gaps between visits to the same person.
    """
    problems: list[str] = []
    by_id = {v.id: v for v in visits}
    car_by_id = {c.id: c for c in cars}
    seen: dict[str, str] = {}
    for route in plan.routes:
        car = car_by_id.get(route.car_id)
        if car is None:
            problems.append(f"route for unknown car {route.car_id!r}")
            continue
        for stop in route.stops:
            if stop.visit_id in seen:
                problems.append(f"visit {stop.visit_id!r} served twice")
            seen[stop.visit_id] = route.car_id
            visit = by_id.get(stop.visit_id)
            if visit is None:
                problems.append(f"stop for unknown visit {stop.visit_id!r}")
                continue
            fixed = stop.visit_id in fixed_visit_ids
            problems += _stop_problems(stop, visit, car, settings, leg, fixed)
        problems += _route_problems(route, car, leg)
    for item in plan.unassigned:
        if item.visit_id in seen:
            problems.append(f"visit {item.visit_id!r} both served and unassigned")
        if not item.reason:
            problems.append(f"visit {item.visit_id!r} unassigned without a reason")
    accounted = set(seen) | {u.visit_id for u in plan.unassigned}
    for visit in visits:
        if visit.id not in accounted:
            problems.append(f"visit {visit.id!r} neither served nor unassigned")
    problems += _gap_problems(plan, by_id, settings.min_gap_s)
    return problems


def check_plan(
    plan: Plan,
    visits: Sequence[Visit],
    cars: Sequence[Car],
    *,
    settings: PlanSettings,
    leg: Leg | None = None,
    fixed_visit_ids: Collection[str] = (),
    now_s: int = 0,
) -> None:
    """Raise :class:`PlanCheckError` listing every problem of ``plan``; return if sound.

    ``now_s`` is accepted for re-planning callers; stops before it are judged by the
    same rules as the rest.
    """
    del now_s
    problems = plan_problems(
        plan, visits, cars, settings=settings, leg=leg, fixed_visit_ids=fixed_visit_ids
    )
    if problems:
        raise PlanCheckError(problems)


def _stop_problems(
    stop: Stop, visit: Visit, car: Car, settings: PlanSettings, leg: Leg | None, fixed: bool
) -> list[str]:
    out: list[str] = []
    name = f"visit {visit.id!r}"
    if leg is not None and not fixed:
        travel, distance = leg(stop.leg_from, stop.location)
        if (travel, distance) != (stop.leg_travel_s, stop.leg_distance_m):
            out.append(
                f"{name}: leg travel {stop.leg_travel_s} s / {stop.leg_distance_m} m, "
                f"expected {travel} s / {distance} m"
            )
    if stop.wait_s != stop.start_s - stop.arrival_s or stop.wait_s < 0:
        out.append(f"{name}: starts at {stop.start_s} before arriving at {stop.arrival_s}")
    if stop.finish_s != stop.start_s + visit.duration_s:
        out.append(f"{name}: finish {stop.finish_s} != start {stop.start_s} + {visit.duration_s}")
    if fixed:
        return out
    low, high = hard_window(visit, settings)
    kind = "strict window" if visit.strict else "window"
    if not low <= stop.start_s <= high:
        out.append(f"{name}: start {stop.start_s} outside its {kind} [{low}, {high}]")
    if stop.lateness_s != max(0, stop.start_s - visit.requested_s):
        out.append(f"{name}: lateness {stop.lateness_s} misreported")
    if stop.beyond_tolerance_s != max(0, stop.start_s - visit.latest_s):
        out.append(f"{name}: lateness beyond tolerance {stop.beyond_tolerance_s} misreported")
    if stop.out_of_zone != (visit.zone != car.zone):
        out.append(f"{name}: out-of-zone mark {stop.out_of_zone} is wrong for car {car.id!r}")
    return out


def _arrival_ok(route: Route, departure: int, travel: int, arrival: int, gap: int) -> bool:
    brk = route.crew_break
    # A break on this leg starts at or after the departure (one already taken before a
    # re-plan's departure, e.g. while the car stood at a done visit, is not on the leg).
    if brk is not None and brk.after_order == gap and departure <= brk.start_s < departure + travel:
        return arrival == departure + travel + (brk.end_s - brk.start_s)
    return arrival == departure + travel


def _route_problems(route: Route, car: Car, leg: Leg | None) -> list[str]:
    out: list[str] = []
    name = f"car {car.id!r}"
    if route.depart_base_s < car.shift_start_s:
        out.append(
            f"{name}: leaves at {route.depart_base_s} before shift start {car.shift_start_s}"
        )
    if route.return_s > car.shift_end_s:
        out.append(f"{name}: returns at {route.return_s} after shift end {car.shift_end_s}")
    free_at = route.depart_base_s
    for k, stop in enumerate(route.stops):
        if stop.departure_s < free_at:
            out.append(
                f"{name}: leaves for {stop.visit_id!r} at {stop.departure_s}, busy to {free_at}"
            )
        if not _arrival_ok(route, stop.departure_s, stop.leg_travel_s, stop.arrival_s, k):
            out.append(
                f"{name}: arrival {stop.arrival_s} at {stop.visit_id!r} != departure "
                f"{stop.departure_s} + travel {stop.leg_travel_s} (+ break)"
            )
        if stop.order != k + 1:
            out.append(f"{name}: stop {stop.visit_id!r} has order {stop.order}, expected {k + 1}")
        free_at = stop.finish_s
    if route.return_departure_s < free_at:
        out.append(f"{name}: leaves for base at {route.return_departure_s}, busy to {free_at}")
    last = len(route.stops)
    if not _arrival_ok(
        route, route.return_departure_s, route.return_travel_s, route.return_s, last
    ):
        out.append(f"{name}: return {route.return_s} != departure + travel (+ break)")
    if leg is not None and route.stops:
        expected = leg(route.stops[-1].location, car.base)
        if expected != (route.return_travel_s, route.return_distance_m):
            out.append(f"{name}: drive home {route.return_travel_s} s, expected {expected[0]} s")
    travel = sum(s.leg_travel_s for s in route.stops) + route.return_travel_s
    if travel != route.travel_s:
        out.append(f"{name}: total travel {route.travel_s} != sum of legs {travel}")
    out += _break_problems(route, car)
    return out


def _break_problems(route: Route, car: Car) -> list[str]:
    name = f"car {car.id!r}"
    brk = route.crew_break
    if car.break_duration_s == 0:
        return []
    if brk is None:
        return [f"{name}: no break taken"]
    out: list[str] = []
    if brk.end_s - brk.start_s != car.break_duration_s:
        out.append(
            f"{name}: break lasts {brk.end_s - brk.start_s} s, expected {car.break_duration_s}"
        )
    if brk.start_s < car.break_start_s or brk.end_s > car.break_end_s:
        out.append(
            f"{name}: break [{brk.start_s}, {brk.end_s}] outside its window "
            f"[{car.break_start_s}, {car.break_end_s}]"
        )
    if brk.start_s < route.depart_base_s or brk.end_s > car.shift_end_s:
        out.append(f"{name}: break [{brk.start_s}, {brk.end_s}] outside the shift")
    stops = route.stops
    if not 0 <= brk.after_order <= len(stops):
        return [*out, f"{name}: break placed after unknown stop {brk.after_order}"]
    gap_start = stops[brk.after_order - 1].finish_s if brk.after_order else route.depart_base_s
    gap_end = stops[brk.after_order].start_s if brk.after_order < len(stops) else car.shift_end_s
    if brk.start_s < gap_start or brk.end_s > gap_end:
        out.append(
            f"{name}: break [{brk.start_s}, {brk.end_s}] overlaps a visit "
            f"(free from {gap_start} to {gap_end})"
        )
    return out


def _gap_problems(plan: Plan, by_id: dict[str, Visit], min_gap_s: int) -> list[str]:
    timeline: dict[str, list[Stop]] = {}
    for route in plan.routes:
        for stop in route.stops:
            visit = by_id.get(stop.visit_id)
            if visit is not None and visit.person_id is not None:
                timeline.setdefault(visit.person_id, []).append(stop)
    out: list[str] = []
    for person, stops in timeline.items():
        stops.sort(key=lambda s: s.start_s)
        for a, b in zip(stops, stops[1:], strict=False):
            own = by_id[a.visit_id].min_gap_s
            gap = min_gap_s if own is None else own
            if b.start_s < a.finish_s + gap:
                out.append(
                    f"person {person!r}: visits {a.visit_id!r} and {b.visit_id!r} are "
                    f"{b.start_s - a.finish_s} s apart, expected >= {gap}"
                )
    return out
