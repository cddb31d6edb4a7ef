"""Per-person gaps: a visit's own ``min_gap_s`` overrides the plan's, in solve and check."""

from __future__ import annotations

from routing.solve import plan_night
from tests.routing.conftest import NIGHT, GridTravel, car, settings, visit


def _starts(grid: GridTravel, own_gap_s: int | None) -> dict[str, int]:
    # Same person: "a" at 3,600 s for 600 s, "b" asked 20 min later at 4,800 s (±1,800).
    visits = [
        visit("a", 2, 3600, person_id="p", min_gap_s=own_gap_s, tolerance_s=1800),
        visit("b", 2, 4800, person_id="p", tolerance_s=1800),
    ]
    plan = plan_night(visits, [car("A")], grid, night=NIGHT, settings=settings(min_gap_s=0))
    return {s.visit_id: s.start_s for r in plan.routes for s in r.stops}


def test_the_plan_gap_applies_without_an_own_gap(grid: GridTravel) -> None:
    starts = _starts(grid, None)
    # Plan gap 0: "b" may start as soon as "a" finishes; it starts inside its window.
    assert starts["b"] >= starts["a"] + 600
    assert starts["b"] <= 4800 + 1800


def test_an_own_gap_holds_the_next_visit_back(grid: GridTravel) -> None:
    starts = _starts(grid, 1800)
    # Own gap 30 min: "b" starts >= finish of "a" + 1,800 = start(a) + 600 + 1,800.
    assert starts["b"] >= starts["a"] + 600 + 1800
