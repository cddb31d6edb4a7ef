"""Turn a car's visit sequence and start times into a timed :class:`Route`.

The timeline of one leg: the car leaves the previous place when the visit there
finishes (or at ``depart_s`` from its start), drives ``leg_travel_s`` and arrives.
When the crew break falls in a leg it is taken either before arriving (the car
pulls over or leaves later, so ``arrival = departure + travel + break``) or while
waiting at the door (``arrival = departure + travel``), whichever matches the
break's start time. The solver guarantees that a gap holding the break has at
least ``travel + break`` seconds in it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from routing.night import Night
from routing.types import Break, Car, Point, Route, Stop, Visit

Leg = Callable[[Point, Point], tuple[int, int]]
"""``leg(a, b) -> (duration_s, distance_m)``."""


def _arrival(departure: int, travel: int, brk: tuple[int, int] | None) -> int:
    if brk is not None and brk[0] < departure + travel:
        return departure + travel + (brk[1] - brk[0])
    return departure + travel


def build_route(
    *,
    car: Car,
    zone_of_car: str,
    night: Night,
    start_location: Point,
    depart_s: int,
    visits: Sequence[Visit],
    starts_s: Sequence[int],
    leg: Leg,
    break_start_s: int | None,
    fixed_stops: Sequence[Stop] = (),
    fixed_break: Break | None = None,
    depart_base_s: int | None = None,
) -> Route:
    """Time a route.

    Parameters
    ----------
    car
        The car; its base is where the route ends.
    zone_of_car
        The car's own night zone (visits elsewhere are marked ``out_of_zone``).
    night
        Converts elapsed seconds to local datetimes.
    start_location, depart_s
        Where and when the (re)planned part of the route begins.
    visits, starts_s
        The visits in order and the start of service of each.
    leg
        Travel duration and distance between two points.
    break_start_s
        Start of the crew break in the planned part, or ``None`` if not taken there.
    fixed_stops, fixed_break, depart_base_s
        Stops and break already done (re-planning); kept unchanged in front.
    """
    brk = None if break_start_s is None else (break_start_s, break_start_s + car.break_duration_s)
    stops: list[Stop] = list(fixed_stops)
    crew_break = fixed_break
    place, free_at = start_location, depart_s
    for visit, start in zip(visits, starts_s, strict=True):
        travel, distance = leg(place, visit.location)
        in_gap = brk if brk is not None and free_at <= brk[0] and brk[1] <= start else None
        if in_gap is not None:
            crew_break = Break(
                start_s=in_gap[0],
                end_s=in_gap[1],
                after_order=len(stops),
                start_at=night.at(in_gap[0]),
                end_at=night.at(in_gap[1]),
            )
        arrival = _arrival(free_at, travel, in_gap)
        finish = start + visit.duration_s
        stops.append(
            Stop(
                visit_id=visit.id,
                order=len(stops) + 1,
                location=visit.location,
                leg_from=place,
                zone=visit.zone,
                out_of_zone=visit.zone != zone_of_car,
                strict=visit.strict,
                departure_s=free_at,
                leg_travel_s=travel,
                leg_distance_m=distance,
                arrival_s=arrival,
                wait_s=start - arrival,
                start_s=start,
                finish_s=finish,
                requested_s=visit.requested_s,
                lateness_s=max(0, start - visit.requested_s),
                deviation_s=start - visit.requested_s,
                beyond_tolerance_s=max(0, start - visit.latest_s),
                arrival_at=night.at(arrival),
                start_at=night.at(start),
                finish_at=night.at(finish),
            )
        )
        place, free_at = visit.location, finish
    travel, distance = leg(place, car.base)
    last_gap = brk if brk is not None and free_at <= brk[0] else None
    if last_gap is not None:
        crew_break = Break(
            start_s=last_gap[0],
            end_s=last_gap[1],
            after_order=len(stops),
            start_at=night.at(last_gap[0]),
            end_at=night.at(last_gap[1]),
        )
    return_s = _arrival(free_at, travel, last_gap)
    route_travel = sum(s.leg_travel_s for s in stops) + travel
    base_departure = depart_s if depart_base_s is None else depart_base_s
    return Route(
        car_id=car.id,
        zone=zone_of_car,
        start_location=start_location if not fixed_stops else car.base,
        base=car.base,
        depart_base_s=base_departure,
        stops=tuple(stops),
        crew_break=crew_break,
        return_departure_s=free_at,
        return_travel_s=travel,
        return_distance_m=distance,
        return_s=return_s,
        travel_s=route_travel,
        distance_m=sum(s.leg_distance_m for s in stops) + distance,
        wait_s=sum(s.wait_s for s in stops),
        service_s=sum(s.finish_s - s.start_s for s in stops),
        lateness_s=sum(s.lateness_s for s in stops),
        out_of_zone_stops=sum(1 for s in stops if s.out_of_zone),
        depart_base_at=night.at(base_departure),
        return_at=night.at(return_s),
    )
