"""Re-planning after a crew's break has started: the break is kept, and the plan passes
its check whether or not the car has done a visit (regressions found through the API)."""

from __future__ import annotations

from routing.replan import replan
from routing.solve import plan_night
from tests.routing.conftest import NIGHT, GridTravel, car, settings, visit


def test_replan_after_the_break_with_no_visit_done(grid: GridTravel) -> None:
    # Break window [3 h, 6 h]; the only visit is at 7 h (25,200 s), so the car is free
    # and takes its 20-minute break somewhere in [10,800, 21,600].
    cars = [car("A", brk=(3 * 3600, 6 * 3600))]
    visits = [visit("late", 3, 25_200)]
    plan = plan_night(visits, cars, grid, night=NIGHT, settings=settings())
    brk = plan.routes[0].crew_break
    assert brk is not None
    now = brk.end_s + 60  # the break is over, nothing done yet
    result = replan(plan, visits, cars, grid, night=NIGHT, now_s=now, settings=settings())
    route = result.plan.routes[0]
    assert route.crew_break == brk  # kept, not taken twice
    assert [s.visit_id for s in route.stops] == ["late"]
    assert route.stops[0].departure_s >= now


def test_replan_after_the_break_following_a_done_visit(grid: GridTravel) -> None:
    # Visit "early" at 1 h; the break comes later; re-plan after both.
    cars = [car("A", brk=(3 * 3600, 6 * 3600))]
    visits = [visit("early", 2, 3600), visit("late", 3, 25_200)]
    plan = plan_night(visits, cars, grid, night=NIGHT, settings=settings())
    brk = plan.routes[0].crew_break
    assert brk is not None and brk.start_s > plan.routes[0].stops[0].finish_s
    now = brk.end_s + 60
    result = replan(
        plan, visits, cars, grid, night=NIGHT, now_s=now, done=["early"], settings=settings()
    )
    route = result.plan.routes[0]
    assert [s.visit_id for s in route.stops] == ["early", "late"]
    assert route.stops[0].fixed and route.crew_break == brk
    # The leg to "late" leaves after the break: no break added to its arrival.
    late = route.stops[1]
    assert late.arrival_s == late.departure_s + late.leg_travel_s


def test_replan_during_the_break_waits_for_its_end(grid: GridTravel) -> None:
    # Re-planned ten minutes into the 20-minute break, with a call added for right
    # now: the break is kept as taken, so the car may not leave before it ends. (It
    # was planned from "now", inside the break, and the plan failed its check: a 500
    # through the API.)
    cars = [car("A", brk=(3 * 3600, 6 * 3600))]
    visits = [visit("early", 2, 3600), visit("late", 3, 25_200)]
    plan = plan_night(visits, cars, grid, night=NIGHT, settings=settings())
    brk = plan.routes[0].crew_break
    assert brk is not None
    now = brk.start_s + 600
    urgent = visit("urgent", 1, now, strict=True, tolerance_s=1800)
    result = replan(
        plan,
        visits,
        cars,
        grid,
        night=NIGHT,
        now_s=now,
        done=["early"],
        added=[urgent],
        settings=settings(),
    )
    route = result.plan.routes[0]
    assert route.crew_break == brk
    served = {s.visit_id: s for s in route.stops}
    assert set(served) == {"early", "urgent", "late"}
    # Leaves when the break ends (20 min after it began), not at "now", 10 min in.
    assert served["urgent"].departure_s >= brk.end_s


def test_replan_at_the_end_of_the_night_says_when_a_car_is_back(grid: GridTravel) -> None:
    # Re-planned at 07:00 (32,400 s, the shift's end) with the car at its last done
    # visit, away from base: it cannot be back by 07:00. The plan says when it will
    # be, instead of the solve failing (a 422 naming no field through the API).
    cars = [car("A", brk=(3 * 3600, 6 * 3600))]
    visits = [visit("early", 2, 3600), visit("late", 3, 6 * 3600 + 1800)]
    plan = plan_night(visits, cars, grid, night=NIGHT, settings=settings())
    now = 32_400
    result = replan(
        plan,
        visits,
        cars,
        grid,
        night=NIGHT,
        now_s=now,
        done=["early", "late"],
        settings=settings(),
    )
    route = result.plan.routes[0]
    assert [s.visit_id for s in route.stops] == ["early", "late"]
    assert route.return_departure_s == now
    assert route.return_s == now + route.return_travel_s > 32_400
