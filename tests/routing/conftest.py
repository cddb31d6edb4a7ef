"""Shared builders for the routing tests.

``GridTravel`` makes hand-checking easy: 0.001 degree of latitude or longitude
costs 100 s and 1,000 m (Manhattan), so a visit 0.003 degree north of base is
300 s and 3,000 m away.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np
import pytest

from routing.night import Night
from routing.search import SearchSettings
from routing.settings import PlanSettings
from routing.types import Car, Point, TravelMatrix, Visit

BASE = Point(52.400, -1.500)
NIGHT = Night(date(2026, 1, 10))
SEARCH = SearchSettings(solution_limit=60, time_limit_s=120.0, branch_limit=50_000)


class GridTravel:
    """0.001 degree (lat or lon) = 100 s = 1,000 m, Manhattan."""

    source = "grid(test)"

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        lat = np.array([p.lat for p in points])
        lon = np.array([p.lon for p in points])
        steps = np.abs(lat[:, None] - lat[None, :]) + np.abs(lon[:, None] - lon[None, :])
        units = np.rint(steps * 1000).astype(np.int64)
        return TravelMatrix(duration_s=units * 100, distance_m=units * 1000, source=self.source)


def north(k: int) -> Point:
    """A point ``k`` grid units (k × 100 s) north of BASE."""
    return Point(round(BASE.lat + 0.001 * k, 6), BASE.lon)


def car(
    cid: str = "A",
    zone: str = "1",
    *,
    base: Point = BASE,
    end: int = 32_400,
    brk: tuple[int, int] | None = (3 * 3600, 6 * 3600),
    break_s: int = 1200,
) -> Car:
    return Car(
        cid,
        zone,
        base,
        0,
        end,
        break_duration_s=break_s,
        break_window_start_s=None if brk is None else brk[0],
        break_window_end_s=None if brk is None else brk[1],
    )


def visit(vid: str, k: int, requested_s: int, **kw: object) -> Visit:
    kw.setdefault("duration_s", 600)
    kw.setdefault("zone", "1")
    return Visit(vid, north(k), requested_s, **kw)  # type: ignore[arg-type]


def settings(**kw: object) -> PlanSettings:
    return PlanSettings(search=SEARCH, **kw)  # type: ignore[arg-type]


@pytest.fixture
def grid() -> GridTravel:
    return GridTravel()
