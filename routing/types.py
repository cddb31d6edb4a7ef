"""Domain types of the night planner: frozen dataclasses that validate on creation.

Times are integer seconds elapsed since the shift started (``*_s``), distances are
integer metres (``*_m``). Plans also carry timezone-aware local datetimes (``*_at``)
for run sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from routing.errors import RoutingError

MAX_VALUE = 1 << 40
"""Upper bound for any integer solver quantity (seconds, metres, costs)."""


def _check_int(name: str, value: object, low: int = 0, high: int = MAX_VALUE) -> None:
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        msg = f"Expected {name} to be an integer, got {value!r}."
        raise RoutingError(msg)
    if value < low:
        msg = f"Expected {name} >= {low}, got {value}."
        raise RoutingError(msg)
    if value > high:
        msg = f"Expected {name} <= {high}, got {value}."
        raise RoutingError(msg)


def _check_id(name: str, value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"Expected {name} to be a non-empty string, got {value!r}."
        raise RoutingError(msg)


@dataclass(frozen=True)
class Point:
    """A WGS84 location, latitude first (as in the API's ``lat``/``lon`` fields)."""

    lat: float
    lon: float

    def __post_init__(self) -> None:
        if not -90.0 <= self.lat <= 90.0:
            msg = f"Expected -90 <= lat <= 90, got {self.lat}."
            raise RoutingError(msg)
        if not -180.0 <= self.lon <= 180.0:
            msg = f"Expected -180 <= lon <= 180, got {self.lon}."
            raise RoutingError(msg)


@dataclass(frozen=True)
class Visit:
    """One call at a person's home during the night.

    Parameters
    ----------
    id
        Unique visit id.
    location
        Where the person lives.
    requested_s
        Requested start, seconds since shift start (see :meth:`routing.night.Night.elapsed_s`).
    duration_s
        Time spent in the home.
    zone
        Night zone code of the person ("1", "2", "3").
    tolerance_s
        Allowed deviation either side of the requested time (default 30 minutes).
    strict
        Time-critical (medication): the window ``requested_s ± tolerance_s`` is hard.
    priority
        1 (lowest) to 10; scales the cost of leaving the visit unserved.
    person_id
        Visits with the same person id are kept at least a minimum gap apart.
    min_gap_s
        The least time between the end of this visit and the start of the same
        person's next visit; ``None`` takes :attr:`PlanSettings.min_gap_s`.
    """

    id: str
    location: Point
    requested_s: int
    duration_s: int
    zone: str
    tolerance_s: int = 1800
    strict: bool = False
    priority: int = 1
    person_id: str | None = None
    min_gap_s: int | None = None

    def __post_init__(self) -> None:
        _check_id("id", self.id)
        if not isinstance(self.location, Point):
            msg = f"Expected location to be a Point, got {self.location!r}."
            raise RoutingError(msg)
        _check_int("requested_s", self.requested_s)
        _check_int("duration_s", self.duration_s)
        _check_int("tolerance_s", self.tolerance_s)
        _check_int("priority", self.priority, 1, 10)
        _check_id("zone", self.zone)
        if not isinstance(self.strict, bool):
            msg = f"Expected strict to be a bool, got {self.strict!r}."
            raise RoutingError(msg)
        if self.person_id is not None:
            _check_id("person_id", self.person_id)
        if self.min_gap_s is not None:
            _check_int("min_gap_s", self.min_gap_s)

    @property
    def earliest_s(self) -> int:
        """Start of the tolerance window, ``requested_s - tolerance_s`` (not below 0)."""
        return max(0, self.requested_s - self.tolerance_s)

    @property
    def latest_s(self) -> int:
        """End of the tolerance window, ``requested_s + tolerance_s``."""
        return self.requested_s + self.tolerance_s


@dataclass(frozen=True)
class Car:
    """A double-crewed night car.

    The crew's break of ``break_duration_s`` must lie wholly inside
    ``[break_window_start_s, break_window_end_s]``; ``None`` means the shift bound.
    """

    id: str
    zone: str
    base: Point
    shift_start_s: int
    shift_end_s: int
    break_duration_s: int = 1200
    break_window_start_s: int | None = None
    break_window_end_s: int | None = None

    def __post_init__(self) -> None:
        _check_id("id", self.id)
        _check_id("zone", self.zone)
        if not isinstance(self.base, Point):
            msg = f"Expected base to be a Point, got {self.base!r}."
            raise RoutingError(msg)
        _check_int("shift_start_s", self.shift_start_s)
        _check_int("shift_end_s", self.shift_end_s, self.shift_start_s)
        _check_int("break_duration_s", self.break_duration_s)
        for name in ("break_window_start_s", "break_window_end_s"):
            value = getattr(self, name)
            if value is not None:
                _check_int(name, value, self.shift_start_s, self.shift_end_s)
        if self.break_end_s - self.break_start_s < self.break_duration_s:
            msg = (
                f"Expected a break window of at least break_duration_s={self.break_duration_s}, "
                f"got [{self.break_start_s}, {self.break_end_s}]."
            )
            raise RoutingError(msg)

    @property
    def break_start_s(self) -> int:
        """Earliest break start (resolved window)."""
        return (
            self.shift_start_s if self.break_window_start_s is None else self.break_window_start_s
        )

    @property
    def break_end_s(self) -> int:
        """Latest break end (resolved window)."""
        return self.shift_end_s if self.break_window_end_s is None else self.break_window_end_s


IntMatrix = npt.NDArray[np.int64]


@dataclass(frozen=True)
class TravelMatrix:
    """Many-to-many travel between points: ``duration_s[i, j]`` and ``distance_m[i, j]``.

    ``source`` names how it was made, e.g. ``"road_network:coventry.graphml"`` or
    ``"straight_line(circuity=1.35, speed_kmh=40)"``. Arrays are read-only int64.
    """

    duration_s: IntMatrix
    distance_m: IntMatrix
    source: str

    def __post_init__(self) -> None:
        for name in ("duration_s", "distance_m"):
            arr = np.asarray(getattr(self, name))
            if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
                msg = f"Expected {name} to be a square matrix, got shape {arr.shape}."
                raise RoutingError(msg)
            if not np.issubdtype(arr.dtype, np.integer):
                msg = f"Expected {name} to hold integers, got dtype {arr.dtype}."
                raise RoutingError(msg)
            if arr.size and (arr.min() < 0 or arr.max() > MAX_VALUE):
                msg = f"Expected 0 <= {name} <= {MAX_VALUE}, got [{arr.min()}, {arr.max()}]."
                raise RoutingError(msg)
            fixed = arr.astype(np.int64, copy=True)
            fixed.setflags(write=False)
            object.__setattr__(self, name, fixed)
        if self.duration_s.shape != self.distance_m.shape:
            msg = (
                f"Expected duration_s and distance_m of one shape, got "
                f"{self.duration_s.shape} and {self.distance_m.shape}."
            )
            raise RoutingError(msg)
        _check_id("source", self.source)

    @property
    def size(self) -> int:
        """Number of points."""
        return int(self.duration_s.shape[0])


@dataclass(frozen=True)
class Stop:
    """One visit served by a car, with the leg that leads to it.

    The car leaves the previous place at ``departure_s`` (when the previous visit
    finishes, or when it leaves base), drives ``leg_travel_s``, and arrives at
    ``arrival_s = departure_s + leg_travel_s`` (plus the break when the crew takes
    it on this leg before arriving). It waits ``wait_s`` and starts at ``start_s``.
    """

    visit_id: str
    order: int
    location: Point
    leg_from: Point
    zone: str
    out_of_zone: bool
    strict: bool
    departure_s: int
    leg_travel_s: int
    leg_distance_m: int
    arrival_s: int
    wait_s: int
    start_s: int
    finish_s: int
    requested_s: int
    lateness_s: int
    deviation_s: int
    beyond_tolerance_s: int
    arrival_at: datetime
    start_at: datetime
    finish_at: datetime
    fixed: bool = False


@dataclass(frozen=True)
class Break:
    """The crew break, taken after stop ``after_order`` (0 = after leaving base)."""

    start_s: int
    end_s: int
    after_order: int
    start_at: datetime
    end_at: datetime


@dataclass(frozen=True)
class Route:
    """One car's night: stops in order, its break, the drive home and totals."""

    car_id: str
    zone: str
    start_location: Point
    base: Point
    depart_base_s: int
    stops: tuple[Stop, ...]
    crew_break: Break | None
    return_departure_s: int
    return_travel_s: int
    return_distance_m: int
    return_s: int
    travel_s: int
    distance_m: int
    wait_s: int
    service_s: int
    lateness_s: int
    out_of_zone_stops: int
    depart_base_at: datetime
    return_at: datetime


@dataclass(frozen=True)
class Unassigned:
    """A visit that no car serves, and why."""

    visit_id: str
    reason: str


@dataclass(frozen=True)
class SolverStats:
    """How the plan was found."""

    first_solution: str
    metaheuristic: str
    solution_limit: int
    time_limit_s: float
    status: str
    objective: int
    wall_time_s: float


@dataclass(frozen=True)
class Plan:
    """A night plan: routes, unassigned visits, the travel source used and solver stats."""

    night_start_at: datetime
    routes: tuple[Route, ...]
    unassigned: tuple[Unassigned, ...]
    travel_source: str
    stats: SolverStats

    @property
    def total_travel_s(self) -> int:
        """Travel seconds over all cars."""
        return sum(r.travel_s for r in self.routes)

    @property
    def total_distance_m(self) -> int:
        """Metres driven over all cars."""
        return sum(r.distance_m for r in self.routes)

    @property
    def total_lateness_s(self) -> int:
        """Seconds late against requested times, over all stops."""
        return sum(r.lateness_s for r in self.routes)

    def route(self, car_id: str) -> Route:
        """The route of car ``car_id``."""
        for r in self.routes:
            if r.car_id == car_id:
                return r
        msg = f"Expected a car id of this plan, got {car_id!r}."
        raise LookupError(msg)
