"""Constraint pairs: one satisfied, one violated, with the arithmetic in comments.

Travel is GridTravel: k grid units north of base = k × 100 s. Solves stop on a
solution limit (conftest.SEARCH), never on wall-clock time.
"""

from __future__ import annotations

from datetime import date

from routing.night import Night
from routing.solve import (
    REASON_DROPPED,
    REASON_OUTSIDE_SHIFT,
    REASON_UNREACHABLE,
    best_plan,
    plan_night,
    plan_variants,
)
from routing.types import Point, Visit

from .conftest import NIGHT, GridTravel, car, north, settings, visit


def _stop(plan, vid):  # type: ignore[no-untyped-def]
    return next(s for r in plan.routes for s in r.stops if s.visit_id == vid)


def test_window_met_without_lateness(grid: GridTravel) -> None:
    # travel 300 s; window 3600 ± 1800 = [1800, 5400]; leave base late enough to start at 1800+
    plan = plan_night([visit("v", 3, 3600)], [car()], grid, night=NIGHT, settings=settings())
    stop = _stop(plan, "v")
    assert 1800 <= stop.start_s <= 5400
    assert stop.leg_travel_s == 300 and stop.leg_distance_m == 3000
    assert stop.arrival_s == stop.departure_s + 300
    assert stop.beyond_tolerance_s == 0


def test_window_missed_reports_lateness(grid: GridTravel) -> None:
    # requested 0, tolerance 0: earliest arrival 0 + 300 s travel -> 300 s late (soft)
    v = visit("v", 3, 0, tolerance_s=0)
    plan = plan_night([v], [car()], grid, night=NIGHT, settings=settings())
    stop = _stop(plan, "v")
    assert stop.start_s == 300
    assert stop.lateness_s == 300 and stop.beyond_tolerance_s == 300
    assert plan.total_lateness_s == 300


def test_strict_window_met(grid: GridTravel) -> None:
    # strict 600 ± 300 = [300, 900]; reachable at 300
    v = visit("v", 3, 600, tolerance_s=300, strict=True)
    stop = _stop(plan_night([v], [car()], grid, night=NIGHT, settings=settings()), "v")
    assert 300 <= stop.start_s <= 900


def _medication_and_turn() -> list[Visit]:
    # Both 3 units north (300 s from base), 600 s each, one after the other (travel 0).
    # Turn "n": requested 300 ± 300, soft.  Medication "s": requested 600 ± 600, strict,
    # so its hard window is [0, 1200]. The car arrives at 300.
    return [visit("n", 3, 300, tolerance_s=300), visit("s", 3, 600, tolerance_s=600, strict=True)]


def test_strict_visit_pulled_to_its_requested_time(grid: GridTravel) -> None:
    # lateness 1/s beyond tolerance, strict lateness 2/s after the requested time:
    #   s first: s at 300 (on time), n at 900 = 300 s beyond its window -> cost 300
    #   n first: n at 300, s at 900 = 300 s after its requested 600     -> cost 600
    # so the medication goes first and starts by its requested time.
    s = settings(lateness_cost_per_s=1, strict_lateness_cost_per_s=2)
    plan = plan_night(_medication_and_turn(), [car()], grid, night=NIGHT, settings=s)
    assert [st.visit_id for st in plan.routes[0].stops] == ["s", "n"]
    assert _stop(plan, "s").start_s <= 600 and _stop(plan, "s").lateness_s == 0
    assert _stop(plan, "n").beyond_tolerance_s == 300


def test_strict_visit_left_at_window_edge_without_the_pull(grid: GridTravel) -> None:
    # strict lateness cost 0: n first costs 0 (s at 900 is inside its hard window
    # [0, 1200]) and s first costs 300, so the medication is served 300 s late.
    s = settings(lateness_cost_per_s=1, strict_lateness_cost_per_s=0)
    plan = plan_night(_medication_and_turn(), [car()], grid, night=NIGHT, settings=s)
    assert [st.visit_id for st in plan.routes[0].stops] == ["n", "s"]
    assert _stop(plan, "s").start_s == 900 and _stop(plan, "s").lateness_s == 300
    assert _stop(plan, "n").beyond_tolerance_s == 0


def test_strict_window_unreachable_is_unassigned_with_reason(grid: GridTravel) -> None:
    # strict 100 ± 0 but the earliest arrival is 0 + 300 s: no car can make it
    v = visit("v", 3, 100, tolerance_s=0, strict=True)
    plan = plan_night([v], [car()], grid, night=NIGHT, settings=settings())
    assert not plan.routes[0].stops
    assert plan.unassigned[0].visit_id == "v"
    assert plan.unassigned[0].reason.startswith(REASON_UNREACHABLE)


def test_break_taken_in_window_and_not_over_a_visit(grid: GridTravel) -> None:
    # break window [10800, 21600]; strict visit at 14400 ± 0 for 600 s
    v = visit("v", 3, 14_400, tolerance_s=0, strict=True)
    plan = plan_night([v], [car()], grid, night=NIGHT, settings=settings())
    brk = plan.routes[0].crew_break
    assert brk is not None and brk.end_s - brk.start_s == 1200
    assert brk.start_s >= 10_800 and brk.end_s <= 21_600
    assert brk.end_s <= 14_400 or brk.start_s >= 15_000


def test_break_window_clashing_with_strict_visit_drops_the_visit(grid: GridTravel) -> None:
    # break must be exactly [3600, 4800]; strict visit must run [3600, 4200]: cannot both
    c = car(brk=(3600, 4800))
    v = visit("v", 3, 3600, tolerance_s=0, strict=True)
    plan = plan_night([v], [c], grid, night=NIGHT, settings=settings())
    brk = plan.routes[0].crew_break
    assert brk is not None and (brk.start_s, brk.end_s) == (3600, 4800)
    assert [(u.visit_id, u.reason) for u in plan.unassigned] == [("v", REASON_DROPPED)]


def test_shift_end_met(grid: GridTravel) -> None:
    # shift 9,000 s; visit at 7,000 (±0 strict): 7,000 + 600 + 300 home = 7,900 <= 9,000
    c = car(end=9000, brk=(0, 9000))
    v = visit("v", 3, 7000, tolerance_s=0, strict=True)
    plan = plan_night([v], [c], grid, night=NIGHT, settings=settings())
    assert plan.routes[0].return_s <= 9000
    assert _stop(plan, "v").start_s == 7000


def test_shift_end_would_be_exceeded(grid: GridTravel) -> None:
    # visit at 8,200 (strict ±0): ends 8,800 inside the shift, but 8,800 + 300 home = 9,100
    c = car(end=9000, brk=(0, 9000))
    v = visit("v", 3, 8200, tolerance_s=0, strict=True)
    plan = plan_night([v], [c], grid, night=NIGHT, settings=settings())
    assert plan.unassigned[0].reason.startswith(REASON_UNREACHABLE)


def test_visit_outside_every_shift(grid: GridTravel) -> None:
    c = car(end=9000, brk=(0, 9000))
    v = visit("v", 3, 20_000, tolerance_s=0, strict=True)
    plan = plan_night([v], [c], grid, night=NIGHT, settings=settings())
    assert plan.unassigned[0].reason == REASON_OUTSIDE_SHIFT


def test_min_gap_kept(grid: GridTravel) -> None:
    # same person at 3600 and 4200 (±1800), 600 s each, gap 3600:
    # second start >= first start + 600 + 3600 >= 1800 + 4200 = 6000 = 4200 + 1800 (on time)
    a = visit("a", 3, 3600, person_id="p")
    b = visit("b", 3, 4200, person_id="p")
    plan = plan_night([a, b], [car()], grid, night=NIGHT, settings=settings(min_gap_s=3600))
    sa, sb = _stop(plan, "a"), _stop(plan, "b")
    assert sb.start_s - sa.finish_s >= 3600


def test_min_gap_impossible_drops_one(grid: GridTravel) -> None:
    # strict at 3600 and 4200 (±300): best gap 4500 - 3900 = 600 s < 3600 -> one is dropped
    a = visit("a", 3, 3600, person_id="p", strict=True, tolerance_s=300)
    b = visit("b", 3, 4200, person_id="p", strict=True, tolerance_s=300)
    plan = plan_night([a, b], [car()], grid, night=NIGHT, settings=settings(min_gap_s=3600))
    assert len(plan.unassigned) == 1
    assert plan.unassigned[0].reason == REASON_DROPPED


def test_own_zone_preferred(grid: GridTravel) -> None:
    # zone-2 visit 300 s from car A (zone 1) and 500 s from car B (zone 2):
    # A costs 300 + 300 + 900 cross-zone = 1500 > B's 500 + 500 = 1000 -> B serves it
    a = car("A", "1")
    b = car("B", "2", base=north(8))
    v = visit("v", 3, 3600, zone="2")
    plan = plan_night([v], [a, b], grid, night=NIGHT, settings=settings())
    assert plan.route("B").stops[0].visit_id == "v"
    assert not plan.route("B").stops[0].out_of_zone


def test_cross_zone_visit_is_marked(grid: GridTravel) -> None:
    # only car A (zone 1) exists: it serves the zone-2 visit and the plan marks it
    v = visit("v", 3, 3600, zone="2")
    plan = plan_night([v], [car("A", "1")], grid, night=NIGHT, settings=settings())
    route = plan.route("A")
    assert route.stops[0].out_of_zone and route.out_of_zone_stops == 1


def test_capacity_drop_reason_and_priority(grid: GridTravel) -> None:
    # shift 4,000 s (break 1,200 s): room for about two 1,000 s visits; five asked for
    c = car(end=4000, brk=(0, 4000))
    visits = [
        visit(f"v{i}", 1, 1800, duration_s=1000, priority=5 if i == 4 else 1) for i in range(5)
    ]
    plan = plan_night(visits, [c], grid, night=NIGHT, settings=settings())
    served = {s.visit_id for s in plan.routes[0].stops}
    assert "v4" in served  # the priority-5 visit is kept
    assert {u.reason for u in plan.unassigned} == {REASON_DROPPED}
    assert len(served) + len(plan.unassigned) == 5


def test_clock_change_night_plans_in_real_time(grid: GridTravel) -> None:
    night = Night(date(2026, 10, 24))
    c = car(end=night.duration_s, brk=(0, night.duration_s))
    v = Visit("v", north(3), night.elapsed_s("01:30"), 600, "1", tolerance_s=0, strict=True)
    late = Visit("w", north(3), night.elapsed_s("06:30"), 600, "1", tolerance_s=0, strict=True)
    plan = plan_night([v, late], [c], grid, night=night, settings=settings())
    stop = plan.route("A").stops[0]
    assert stop.start_at.strftime("%H:%M %Z") == "01:30 BST"
    # 06:30 GMT is 9.5 real hours after 22:00 BST
    assert plan.route("A").stops[1].start_s == 34_200
    assert plan.travel_source == "grid(test)"


def test_same_input_same_plan(grid: GridTravel) -> None:
    visits = [visit(f"v{i}", i % 5 + 1, 1800 + 900 * i) for i in range(8)]
    cars = [car("A"), car("B", base=Point(52.405, -1.5))]
    one = plan_night(visits, cars, grid, night=NIGHT, settings=settings())
    two = plan_night(visits, cars, grid, night=NIGHT, settings=settings())
    assert one.routes == two.routes and one.unassigned == two.unassigned


def test_plan_is_the_best_of_its_search_variants(grid: GridTravel) -> None:
    # The app runs each variant (one first-solution strategy each) in its own worker
    # and keeps best_plan; that must be exactly what plan_night gives on one core.
    visits = [visit(f"v{i}", (7 * i) % 11 + 1, 1800 + 600 * i, tolerance_s=600) for i in range(14)]
    cars = [car("A"), car("B", base=north(6))]
    s = settings()
    variants = plan_variants(s)
    assert [v.search.first_solution for v in variants] == [
        "LOCAL_CHEAPEST_INSERTION",
        "PARALLEL_CHEAPEST_INSERTION",
    ]
    singles = [plan_night(visits, cars, grid, night=NIGHT, settings=v) for v in variants]
    whole = plan_night(visits, cars, grid, night=NIGHT, settings=s)
    assert whole.stats.objective == min(p.stats.objective for p in singles)
    assert whole.routes == best_plan(singles).routes
    assert whole.stats.first_solution == best_plan(singles).stats.first_solution
