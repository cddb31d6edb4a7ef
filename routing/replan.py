"""Re-planning during the night: keep what has happened, re-plan the rest.

Visits reported done stay where they were (fixed, in front of each route). Every
other visit is planned again from each car's current position and time. A visit
that moves to another car costs ``settings.move_cost``, so the new plan changes no
more than it must. The answer lists what changed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from routing.errors import RoutingError, UnknownVisitError
from routing.night import Night
from routing.settings import PlanSettings
from routing.solve import CarStart, FixedPart, _Problem, solve_problem, validate_inputs
from routing.travel import TravelSource
from routing.types import Car, Plan, Point, Visit


@dataclass(frozen=True)
class CarPosition:
    """Where a car is now and when it is free to drive on (seconds since shift start)."""

    location: Point
    available_s: int


@dataclass(frozen=True)
class Change:
    """One difference between the old and the new plan.

    ``kind`` is one of ``"moved"``, ``"added"``, ``"dropped"``, ``"cancelled"``,
    ``"time_shifted"``.
    """

    kind: str
    visit_id: str
    from_car: str | None = None
    to_car: str | None = None
    shift_s: int = 0
    reason: str = ""


@dataclass(frozen=True)
class Replan:
    """The new plan and what changed against the old one."""

    plan: Plan
    changes: tuple[Change, ...]


def best_replan(replans: Sequence[Replan]) -> Replan:
    """The re-plan whose new plan has the lowest objective; ties go to the first."""
    if not replans:
        msg = "Expected at least one re-plan to choose from, got none."
        raise RoutingError(msg)
    return min(enumerate(replans), key=lambda item: (item[1].plan.stats.objective, item[0]))[1]


def replan(
    plan: Plan,
    visits: Sequence[Visit],
    cars: Sequence[Car],
    travel: TravelSource,
    *,
    night: Night,
    now_s: int,
    done: Collection[str] = (),
    cancelled: Collection[str] = (),
    added: Sequence[Visit] = (),
    positions: Mapping[str, CarPosition] | None = None,
    settings: PlanSettings | None = None,
    shift_threshold_s: int = 600,
) -> Replan:
    """Re-plan the rest of the night.

    Parameters
    ----------
    plan
        The plan being followed.
    visits, cars
        The inputs ``plan`` was made from.
    travel
        Travel-time source (normally the same as the original plan's).
    night
        The night.
    now_s
        Seconds since shift start.
    done, cancelled
        Visit ids completed and cancelled so far.
    added
        New visits.
    positions
        Current position and free time per car id; a car not listed is taken to be
        at its last done visit (or its base) and free at ``max(now, its finish)``.
    settings
        Costs and search (``move_cost`` applies here).
    shift_threshold_s
        Report a ``time_shifted`` change when a start moves by more than this.

    Returns
    -------
    Replan
        The checked new plan and the list of changes.

    Raises
    ------
    UnknownVisitError
        If ``done`` or ``cancelled`` names a visit not in ``visits``.
    """
    settings = settings or PlanSettings()
    positions = positions or {}
    if now_s < 0:
        msg = f"Expected now_s >= 0, got {now_s}."
        raise RoutingError(msg)
    known = {v.id for v in visits}
    for name, ids in (("done", done), ("cancelled", cancelled)):
        unknown = sorted(set(ids) - known)
        if unknown:
            msg = f"Expected {name} visit ids from the plan's visits, got unknown {unknown}."
            raise UnknownVisitError(msg)
    done_set, cancelled_set = set(done), set(cancelled)
    pending = [v for v in visits if v.id not in done_set and v.id not in cancelled_set]
    pending += list(added)
    validate_inputs([*pending, *(v for v in visits if v.id in done_set)], cars)

    old_car: dict[str, str] = {}
    old_start: dict[str, int] = {}
    for old in plan.routes:
        for stop in old.stops:
            old_car[stop.visit_id] = old.car_id
            old_start[stop.visit_id] = stop.start_s

    starts: dict[str, CarStart] = {}
    fixed: dict[str, FixedPart] = {}
    for car in cars:
        route = next((r for r in plan.routes if r.car_id == car.id), None)
        kept = [s for s in route.stops if s.visit_id in done_set] if route else []
        kept = [dataclasses.replace(s, order=k + 1, fixed=True) for k, s in enumerate(kept)]
        brk = route.crew_break if route else None
        taken = brk is not None and brk.start_s < now_s
        fixed_break = None
        if taken and brk is not None:
            after = sum(1 for s in kept if s.finish_s <= brk.start_s)
            fixed_break = dataclasses.replace(brk, after_order=after)
        last_place = kept[-1].location if kept else car.base
        last_free = kept[-1].finish_s if kept else car.shift_start_s
        if taken and brk is not None:
            # Re-planned during the break: the crew goes on when it ends.
            last_free = max(last_free, brk.end_s)
        pos = positions.get(car.id, CarPosition(last_place, max(now_s, last_free)))
        starts[car.id] = CarStart(
            car.id, pos.location, max(now_s, pos.available_s, last_free), not taken
        )
        fixed[car.id] = FixedPart(
            stops=tuple(kept),
            crew_break=fixed_break,
            # A car that has taken its break has left base, even with no visit done yet.
            depart_base_s=route.depart_base_s if route and (kept or taken) else None,
        )

    done_visits = [v for v in visits if v.id in done_set and v.id in old_car]
    problem = _Problem(
        visits=pending,
        fixed_visits=done_visits,
        cars=_able_to_return(cars, starts, travel),
        night=night,
        settings=settings,
        travel=travel,
        starts=starts,
        previous_car={v.id: old_car[v.id] for v in pending if v.id in old_car},
        fixed=fixed,
        now_s=now_s,
    )
    new_plan = solve_problem(problem)
    return Replan(
        new_plan,
        tuple(
            _changes(new_plan, pending, added, cancelled_set, old_car, old_start, shift_threshold_s)
        ),
    )


def _able_to_return(
    cars: Sequence[Car], starts: dict[str, CarStart], travel: TravelSource
) -> list[Car]:
    """The cars, each with its shift end moved to when it can be back at base if that
    is later: re-planned near 07:00, a car still out cannot be back by then, and the
    plan says when it will be rather than failing."""
    out = []
    for car in cars:
        start = starts[car.id]
        back = start.available_s + int(travel.matrix([start.location, car.base]).duration_s[0, 1])
        out.append(dataclasses.replace(car, shift_end_s=max(car.shift_end_s, back)))
    return out


def _changes(
    new_plan: Plan,
    pending: Sequence[Visit],
    added: Sequence[Visit],
    cancelled: set[str],
    old_car: dict[str, str],
    old_start: dict[str, int],
    threshold_s: int,
) -> list[Change]:
    new_car: dict[str, str] = {}
    new_start: dict[str, int] = {}
    for route in new_plan.routes:
        for stop in route.stops:
            new_car[stop.visit_id] = route.car_id
            new_start[stop.visit_id] = stop.start_s
    reasons = {u.visit_id: u.reason for u in new_plan.unassigned}
    added_ids = {v.id for v in added}
    out: list[Change] = [
        Change("cancelled", vid, from_car=old_car.get(vid)) for vid in sorted(cancelled)
    ]
    for visit in pending:
        vid = visit.id
        before, after = old_car.get(vid), new_car.get(vid)
        if vid in added_ids:
            out.append(Change("added", vid, to_car=after, reason=reasons.get(vid, "")))
        elif before is not None and after is None:
            out.append(Change("dropped", vid, from_car=before, reason=reasons.get(vid, "")))
        elif before is None and after is not None:
            out.append(Change("moved", vid, from_car=None, to_car=after))
        elif before is not None and after is not None:
            if before != after:
                out.append(Change("moved", vid, from_car=before, to_car=after))
            shift = new_start[vid] - old_start[vid]
            if abs(shift) > threshold_s:
                out.append(Change("time_shifted", vid, before, after, shift_s=shift))
    return out
