"""The app's solver runs a plan's searches side by side; the plan is the routing core's own."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import date

from app.night.solver import NightSolver, TravelSpec
from routing.night import Night
from routing.search import SearchSettings
from routing.settings import PlanSettings
from routing.solve import plan_night, plan_variants
from routing.travel import StraightLine
from routing.types import Car, Point, Visit

NIGHT = Night(date(2026, 1, 14))
BASE = Point(52.4081, -1.5106)


def _night() -> tuple[list[Visit], list[Car]]:
    # 16 visits around Coventry city centre, some time-critical, two cars.
    visits = [
        Visit(
            f"v{i}",
            Point(round(52.38 + 0.006 * (i % 8), 6), round(-1.56 + 0.011 * (i // 2), 6)),
            1800 + 1500 * i,
            900,
            "1" if i % 2 else "2",
            tolerance_s=900 if i % 4 == 0 else 1800,
            strict=i % 4 == 0,
            person_id=f"p{i % 8}",
        )
        for i in range(16)
    ]
    cars = [
        Car(c, c, BASE, 0, NIGHT.duration_s, break_window_start_s=10_800, break_window_end_s=21_600)
        for c in ("1", "2")
    ]
    return visits, cars


def test_two_workers_give_the_core_plan() -> None:
    visits, cars = _night()
    # Three solutions per search: the two searches stop at different plans (5,401 for
    # LOCAL_CHEAPEST_INSERTION and 4,830 for PARALLEL with OR-Tools 9.15), so which one
    # is kept matters.
    settings = PlanSettings(search=SearchSettings(solution_limit=3))
    singles = [
        plan_night(visits, cars, StraightLine(), night=NIGHT, settings=v)
        for v in plan_variants(settings)
    ]
    objectives = [p.stats.objective for p in singles]
    assert objectives[0] != objectives[1]
    expected = plan_night(visits, cars, StraightLine(), night=NIGHT, settings=settings)
    assert expected.stats.objective == min(objectives)

    solver = NightSolver(TravelSpec(None, 1.35, 40.0), workers=2)
    try:
        # A thread of its own: another test in this process may have left an event loop
        # running on the main thread (asyncio.run refuses to nest).
        with ThreadPoolExecutor(max_workers=1) as thread:
            plan = solver.plan(visits, cars, night=NIGHT, settings=settings)
            got = thread.submit(asyncio.run, plan).result()
    finally:
        solver.close()
    assert got.routes == expected.routes
    assert got.unassigned == expected.unassigned
    assert got.stats.objective == expected.stats.objective
    assert got.stats.first_solution == expected.stats.first_solution
