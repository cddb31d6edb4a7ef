"""Request and response schemas for night plans and re-plans.

Responses are built from ``routing`` domain objects by explicit conversion; local
times are ISO 8601 with the UK offset of that instant, and every ``*_s`` is real
seconds elapsed since the shift started.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.schemas.night_users import MAX_ID, LocalTime, LocationIn, NightClock
from routing.replan import Change
from routing.search import SearchSettings
from routing.types import Break, Plan, Route, Stop


def _night_minutes(clock: str) -> int:
    """Minutes after 22:00 of a night clock time (22:00 -> 0, 07:00 -> 540)."""
    hours, minutes = (int(p) for p in clock.split(":"))
    return ((hours - 22) % 24) * 60 + minutes


_CORE_LIMIT = SearchSettings().solution_limit
assert _CORE_LIMIT is not None, "the routing core stops on a solution limit by default"
DEFAULT_SOLUTION_LIMIT: int = _CORE_LIMIT
"""The API's default stopping rule: the routing core's own (chosen on the night benchmark)."""


class PlanOverrides(BaseModel):
    """Optional knobs for one plan; anything left out takes the service default."""

    model_config = ConfigDict(extra="forbid")

    night_speed_kmh: float | None = Field(
        None, ge=5, le=130, description="Straight-line estimate only (no road graph configured)"
    )
    cross_zone_cost_s: int | None = Field(
        None, ge=0, le=36_000, description="Cost of a car entering another zone, in driving seconds"
    )
    lateness_cost_per_s: int | None = Field(None, ge=0, le=1000)
    strict_lateness_cost_per_s: int | None = Field(
        None,
        ge=0,
        le=1000,
        description="Cost per second a time-critical visit starts after its requested time",
    )
    max_late_minutes: int | None = Field(None, ge=0, le=240)
    min_gap_minutes: int | None = Field(
        None, ge=0, le=480, description="One gap for everybody; default: each person's own"
    )
    break_window_start: NightClock = "01:00"
    break_window_end: NightClock = "05:00"
    break_minutes: int = Field(20, ge=0, le=120)
    solution_limit: int = Field(
        DEFAULT_SOLUTION_LIMIT, ge=1, le=10_000, description="Stop after this many solutions"
    )

    @model_validator(mode="after")
    def _window(self) -> Self:
        span = _night_minutes(self.break_window_end) - _night_minutes(self.break_window_start)
        if span < self.break_minutes:
            raise ValueError(
                f"Expected a break window of at least break_minutes={self.break_minutes}, got "
                f"{self.break_window_start}-{self.break_window_end}."
            )
        return self


NightDate = Annotated[date, Field(ge=date(2000, 1, 1), le=date(2100, 12, 31))]
"""The evening a night starts; far dates overflow the calendar a night's end is in."""


class PlanRequest(BaseModel):
    """Plan the night that starts at 22:00 on ``date`` (local) and ends 07:00 next day."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"date": "2026-10-24"}]}
    )

    date: NightDate
    overrides: PlanOverrides = Field(default_factory=PlanOverrides)


class AddedVisitIn(BaseModel):
    """A call added during the night: for a stored user (``user_id``) or a new place."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9_.:-]+$")] | None = (
        None
    )
    user_id: int | None = Field(None, ge=1, le=MAX_ID)
    location: LocationIn | None = None
    label: str = Field("", max_length=200)
    requested_time: NightClock
    tolerance_minutes: int = Field(30, ge=0, le=180)
    strict: bool = False
    duration_minutes: int = Field(ge=1, le=240)
    priority: int = Field(1, ge=1, le=10)
    notes: str = Field("", max_length=2000)

    @model_validator(mode="after")
    def _one_place(self) -> Self:
        if (self.user_id is None) == (self.location is None):
            raise ValueError("Expected exactly one of user_id or location.")
        return self


class PositionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class ReplanRequest(BaseModel):
    """What has happened since the plan was made; the rest of the night is planned again."""

    model_config = ConfigDict(extra="forbid")

    now: str = Field(
        description="Local time now: 'HH:MM' on the plan's night, or ISO 8601 with offset",
        examples=["01:00", "2026-10-25T01:00:00+01:00"],
    )
    done: list[str] = Field(default_factory=list, max_length=500)
    cancelled: list[str] = Field(default_factory=list, max_length=500)
    added: list[AddedVisitIn] = Field(default_factory=list, max_length=100)
    positions: dict[str, PositionIn] = Field(default_factory=dict)


class PlaceOut(BaseModel):
    lat: float
    lon: float


class StopOut(BaseModel):
    order: int
    visit_id: str
    user_id: int | None
    label: str
    notes: str
    zone: str
    out_of_zone: bool
    strict: bool
    fixed: bool = Field(description="Already done (re-plans)")
    lat: float
    lon: float
    requested_at: LocalTime
    arrival_at: LocalTime
    start_at: LocalTime
    finish_at: LocalTime
    departure_s: int
    arrival_s: int
    start_s: int
    finish_s: int
    leg_travel_s: int
    leg_distance_m: int
    wait_s: int
    lateness_s: int = Field(description="Start after the requested time (0 if not late)")
    beyond_tolerance_s: int

    @classmethod
    def from_domain(cls, stop: Stop, meta: dict[str, Any], requested_at: datetime) -> Self:
        return cls(
            order=stop.order,
            visit_id=stop.visit_id,
            user_id=meta.get("user_id"),
            label=meta.get("label", ""),
            notes=meta.get("notes", ""),
            zone=stop.zone,
            out_of_zone=stop.out_of_zone,
            strict=stop.strict,
            fixed=stop.fixed,
            lat=stop.location.lat,
            lon=stop.location.lon,
            requested_at=requested_at,
            arrival_at=stop.arrival_at,
            start_at=stop.start_at,
            finish_at=stop.finish_at,
            departure_s=stop.departure_s,
            arrival_s=stop.arrival_s,
            start_s=stop.start_s,
            finish_s=stop.finish_s,
            leg_travel_s=stop.leg_travel_s,
            leg_distance_m=stop.leg_distance_m,
            wait_s=stop.wait_s,
            lateness_s=stop.lateness_s,
            beyond_tolerance_s=stop.beyond_tolerance_s,
        )


class BreakOut(BaseModel):
    start_at: LocalTime
    end_at: LocalTime
    start_s: int
    end_s: int
    after_order: int = Field(description="Taken after this stop (0: before the first)")

    @classmethod
    def from_domain(cls, brk: Break) -> Self:
        return cls(
            start_at=brk.start_at,
            end_at=brk.end_at,
            start_s=brk.start_s,
            end_s=brk.end_s,
            after_order=brk.after_order,
        )


class RouteOut(BaseModel):
    car_id: str
    zone: str
    provider: str
    base: PlaceOut
    base_label: str
    depart_base_at: LocalTime
    depart_base_s: int
    return_at: LocalTime
    return_s: int
    return_travel_s: int
    return_distance_m: int
    stops: list[StopOut]
    crew_break: BreakOut | None
    travel_s: int
    distance_m: int
    wait_s: int
    service_s: int
    lateness_s: int
    out_of_zone_stops: int


class UnassignedOut(BaseModel):
    visit_id: str
    user_id: int | None
    label: str
    strict: bool
    requested_at: LocalTime | None = Field(None, description="The time asked for (UK time)")
    reason: str


class TotalsOut(BaseModel):
    visits: int
    served: int
    unassigned: int
    strict_unassigned: int
    travel_s: int
    distance_m: int
    wait_s: int
    lateness_s: int
    beyond_tolerance_s: int
    out_of_zone_stops: int


class SolverOut(BaseModel):
    first_solution: str
    metaheuristic: str
    solution_limit: int
    status: str
    objective: int
    wall_time_s: float


class ChangeOut(BaseModel):
    kind: str = Field(description="moved, added, dropped, cancelled or time_shifted")
    visit_id: str
    label: str = Field("", description="The person, as the crew know them")
    requested_at: LocalTime | None = Field(None, description="The time asked for (UK time)")
    from_car: str | None
    to_car: str | None
    shift_s: int
    reason: str

    @classmethod
    def from_domain(cls, change: Change) -> Self:
        return cls(
            kind=change.kind,
            visit_id=change.visit_id,
            from_car=change.from_car,
            to_car=change.to_car,
            shift_s=change.shift_s,
            reason=change.reason,
        )


class PlanOut(BaseModel):
    id: int
    parent_id: int | None = Field(description="The plan this one re-planned")
    date: date
    night_start_at: LocalTime
    night_end_at: LocalTime
    night_duration_s: int
    created_at: LocalTime
    travel_source: str = Field(description="How travel times were made, e.g. straight_line(...)")
    travel_note: str = Field(description="travel_source in plain words, for people")
    settings: dict[str, Any]
    cars: list[RouteOut]
    unassigned: list[UnassignedOut]
    totals: TotalsOut
    solver: SolverOut
    changes: list[ChangeOut] = Field(default_factory=list)


def routes_out(
    plan: Plan, meta: dict[str, dict[str, Any]], bases: dict[str, dict[str, Any]]
) -> list[RouteOut]:
    """Per-car routes of a domain plan, with person labels from ``meta``."""
    out = []
    for route in plan.routes:
        out.append(_route_out(route, meta, bases.get(route.car_id, {})))
    return out


def _route_out(route: Route, meta: dict[str, dict[str, Any]], base: dict[str, Any]) -> RouteOut:
    stops = []
    for stop in route.stops:
        m = meta.get(stop.visit_id, {})
        requested_at = datetime.fromisoformat(m["requested_at"]) if "requested_at" in m else None
        stops.append(StopOut.from_domain(stop, m, requested_at or stop.start_at))
    return RouteOut(
        car_id=route.car_id,
        zone=route.zone,
        provider=base.get("provider", ""),
        base=PlaceOut(lat=route.base.lat, lon=route.base.lon),
        base_label=base.get("label", ""),
        depart_base_at=route.depart_base_at,
        depart_base_s=route.depart_base_s,
        return_at=route.return_at,
        return_s=route.return_s,
        return_travel_s=route.return_travel_s,
        return_distance_m=route.return_distance_m,
        stops=stops,
        crew_break=BreakOut.from_domain(route.crew_break) if route.crew_break else None,
        travel_s=route.travel_s,
        distance_m=route.distance_m,
        wait_s=route.wait_s,
        service_s=route.service_s,
        lateness_s=route.lateness_s,
        out_of_zone_stops=route.out_of_zone_stops,
    )


class PlanSummary(BaseModel):
    """A stored plan in a list: enough to pick one."""

    id: int
    parent_id: int | None
    date: date
    created_at: LocalTime
    travel_source: str
    served: int
    unassigned: int


class PlanList(BaseModel):
    items: list[PlanSummary]
