from __future__ import annotations

import dataclasses
import json
import pickle
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from routing.check import check_plan, plan_problems
from routing.errors import PlanCheckError, RoutingError, SolomonFormatError, UnknownVisitError
from routing.export import plan_csv, plan_geojson
from routing.replan import CarPosition, Replan, best_replan, replan
from routing.search import SearchSettings
from routing.solomon import read_solomon, solomon_problems, solve_solomon
from routing.solve import best_plan, plan_night
from routing.types import Plan, Point, Visit

from .conftest import NIGHT, GridTravel, car, north, settings, visit

SOLOMON = Path("/work/shared/data/vrptw/solomon")


def _night_plan(grid: GridTravel):  # type: ignore[no-untyped-def]
    visits = [visit(f"v{i}", i + 1, 1800 + 2400 * i) for i in range(4)]
    cars = [car("A"), car("B", base=north(10))]
    return visits, cars, plan_night(visits, cars, grid, night=NIGHT, settings=settings())


def test_checker_accepts_solver_plan_and_catches_corruption(grid: GridTravel) -> None:
    visits, cars, plan = _night_plan(grid)
    assert plan_problems(plan, visits, cars, settings=settings()) == []
    route = next(r for r in plan.routes if r.stops)
    bad_stop = dataclasses.replace(route.stops[0], arrival_s=route.stops[0].arrival_s - 60)
    bad_route = dataclasses.replace(route, stops=(bad_stop, *route.stops[1:]))
    bad = dataclasses.replace(
        plan, routes=tuple(bad_route if r is route else r for r in plan.routes)
    )
    with pytest.raises(PlanCheckError, match="departure") as info:
        check_plan(bad, visits, cars, settings=settings())
    assert isinstance(info.value, RuntimeError)
    # The app's solver worker sends errors back pickled: the problems must survive.
    again = pickle.loads(pickle.dumps(info.value))
    assert again.problems == info.value.problems
    assert str(again) == str(info.value)


def test_checker_catches_double_service_and_short_break(grid: GridTravel) -> None:
    visits, cars, plan = _night_plan(grid)
    route = next(r for r in plan.routes if r.stops)
    assert route.crew_break is not None
    short = dataclasses.replace(route.crew_break, end_s=route.crew_break.start_s + 600)
    twice = dataclasses.replace(route, stops=route.stops + route.stops[:1], crew_break=short)
    bad = dataclasses.replace(plan, routes=(twice,))
    problems = plan_problems(bad, visits, cars, settings=settings())
    assert any("served twice" in p for p in problems)
    assert any("break lasts 600" in p for p in problems)


def test_replan_keeps_done_visits_and_reports_changes(grid: GridTravel) -> None:
    visits, cars, plan = _night_plan(grid)
    first = min((s for r in plan.routes for s in r.stops), key=lambda s: s.start_s)
    owner = next(r.car_id for r in plan.routes if first in r.stops)
    now = first.finish_s
    new = visit("new", 2, now + 1800, zone="1")
    cancelled = next(v.id for v in visits if v.id != first.visit_id)
    result = replan(
        plan,
        visits,
        cars,
        grid,
        night=NIGHT,
        now_s=now,
        done=[first.visit_id],
        cancelled=[cancelled],
        added=[new],
        settings=settings(),
    )
    kept = result.plan.route(owner).stops[0]
    assert kept.visit_id == first.visit_id and kept.fixed and kept.start_s == first.start_s
    kinds = {(c.kind, c.visit_id) for c in result.changes}
    assert ("added", "new") in kinds and ("cancelled", cancelled) in kinds
    served = [s.visit_id for r in result.plan.routes for s in r.stops]
    assert cancelled not in served and "new" in served
    assert all(s.start_s >= now for r in result.plan.routes for s in r.stops if not s.fixed)


def test_replan_moves_visits_off_a_stranded_car(grid: GridTravel) -> None:
    visits, cars, plan = _night_plan(grid)
    busy = next(r for r in plan.routes if r.stops)
    other = next(c.id for c in cars if c.id != busy.car_id)
    # the busy car is stuck until 5 hours in: its remaining visits must move
    result = replan(
        plan,
        visits,
        cars,
        grid,
        night=NIGHT,
        now_s=600,
        positions={busy.car_id: CarPosition(busy.start_location, 18_000)},
        settings=settings(),
    )
    moved = [c for c in result.changes if c.kind == "moved"]
    assert moved and all(c.from_car == busy.car_id and c.to_car == other for c in moved)


def test_replan_rejects_unknown_ids(grid: GridTravel) -> None:
    visits, cars, plan = _night_plan(grid)
    with pytest.raises(UnknownVisitError):
        replan(plan, visits, cars, grid, night=NIGHT, now_s=0, done=["nope"])


def test_geojson_is_longitude_first_and_csv_has_rows(grid: GridTravel) -> None:
    visits, cars, plan = _night_plan(grid)
    doc = plan_geojson(plan)
    json.dumps(doc)
    lines = [f for f in doc["features"] if f["geometry"]["type"] == "LineString"]
    points = [f for f in doc["features"] if f["geometry"]["type"] == "Point"]
    assert len(lines) == 2 and len(points) == 4
    assert lines[0]["geometry"]["coordinates"][0] == [-1.5, 52.4]  # lon, lat
    assert points[0]["properties"]["arrival"].endswith("+00:00")
    assert plan_csv(plan).count("\n") == 5


def test_solomon_reader_and_checker() -> None:
    if not (SOLOMON / "C101.txt").is_file():
        pytest.skip("Solomon instances not available")
    inst = read_solomon(SOLOMON / "C101.txt")
    assert (inst.size, inst.vehicles, inst.capacity) == (101, 25, 200)
    one_each = tuple((c,) for c in range(1, inst.size))
    problems = solomon_problems(inst, one_each)
    assert any("routes, expected at most 25" in p for p in problems)


def test_solomon_solve_small_is_feasible(tmp_path: Path) -> None:
    if not (SOLOMON / "C101.txt").is_file():
        pytest.skip("Solomon instances not available")
    text = (SOLOMON / "C101.txt").read_text().splitlines()
    depot_row = 9  # lines 0-8: name, VEHICLE block, CUSTOMER header
    small = tmp_path / "C101_20.txt"
    small.write_text("\n".join(text[: depot_row + 21]) + "\n")  # depot + 20 customers
    inst = read_solomon(small)
    assert inst.size == 21
    sol = solve_solomon(inst, SearchSettings(solution_limit=200, branch_limit=200_000))
    assert sol.routes and solomon_problems(inst, sol.routes) == []


def test_solomon_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("nothing here\n")
    with pytest.raises(SolomonFormatError):
        read_solomon(bad)


@hsettings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(st.integers(1, 12), st.integers(0, 30_000), st.booleans()),
        min_size=1,
        max_size=6,
    )
)
def test_property_each_visit_once_and_no_route_past_shift(
    specs: list[tuple[int, int, bool]],
) -> None:
    visits = [Visit(f"v{i}", north(k), t, 900, "1", strict=s) for i, (k, t, s) in enumerate(specs)]
    cars = [car("A", end=30_000, brk=(0, 30_000)), car("B", "2", base=Point(52.41, -1.5))]
    plan = plan_night(visits, cars, GridTravel(), night=NIGHT, settings=settings())
    served = [s.visit_id for r in plan.routes for s in r.stops]
    assert len(served) == len(set(served))
    assert set(served) | {u.visit_id for u in plan.unassigned} == {v.id for v in visits}
    for route, c in zip(plan.routes, cars, strict=True):
        assert route.return_s <= c.shift_end_s


def test_best_plan_and_best_replan_pick_the_lowest_objective_first_on_ties(
    grid: GridTravel,
) -> None:
    _visits, _cars, plan = _night_plan(grid)

    def costing(objective: int) -> Plan:
        return dataclasses.replace(plan, stats=dataclasses.replace(plan.stats, objective=objective))

    low, high, tie = costing(10), costing(20), costing(10)
    assert best_plan([high, low, tie]) is low
    assert best_replan([Replan(high, ()), Replan(tie, ()), Replan(low, ())]).plan is tie
    with pytest.raises(RoutingError, match="at least one plan"):
        best_plan([])
    with pytest.raises(RoutingError, match="at least one re-plan"):
        best_replan([])
