"""From stored night users to a stored plan: inputs, solve (in the worker), persist, read.

Visit ids in plans are ``v<visit row id>``; the person id that keeps two visits
apart is ``u<user id>``; cars are ``car-<night zone>``, one per night zone of the
council, starting and ending at the zone's base.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput, NotFound
from app.night import codec
from app.night.models import NightPlan
from app.night.solver import NightSolver
from app.night.users import list_users
from app.schemas.night_plans import (
    ChangeOut,
    PlanOut,
    PlanOverrides,
    PlanRequest,
    PlanSummary,
    SolverOut,
    TotalsOut,
    UnassignedOut,
    routes_out,
)
from app.schemas.night_users import DAYS
from geo.area import Area
from routing.night import Night
from routing.search import SearchSettings
from routing.settings import PlanSettings
from routing.travel import describe_source
from routing.types import Car, Plan, Point, Visit

log = logging.getLogger("carezones.night")
DEFAULT_MIN_GAP_MINUTES = PlanSettings().min_gap_s // 60


@dataclass
class Inputs:
    """Everything a plan is made from, kept with the plan so it can be re-planned."""

    night: Night
    visits: list[Visit]
    cars: list[Car]
    settings: PlanSettings
    speed_kmh: float | None
    meta: dict[str, dict[str, Any]]
    bases: dict[str, dict[str, Any]]
    effective: dict[str, Any]
    done: list[str] = field(default_factory=list)
    now_s: int = 0
    """The time a re-plan was made for (0: planned before the night began)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.night.day.isoformat(),
            "visits": codec.dump(self.visits),
            "cars": codec.dump(self.cars),
            "settings": codec.dump(self.settings),
            "speed_kmh": self.speed_kmh,
            "meta": self.meta,
            "bases": self.bases,
            "effective": self.effective,
            "done": self.done,
            "now_s": self.now_s,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Inputs:
        return cls(
            night=Night(date.fromisoformat(data["date"])),
            visits=[codec.load(Visit, v) for v in data["visits"]],
            cars=[codec.load(Car, c) for c in data["cars"]],
            settings=codec.load(PlanSettings, data["settings"]),
            speed_kmh=data["speed_kmh"],
            meta=data["meta"],
            bases=data["bases"],
            effective=data["effective"],
            done=list(data.get("done", [])),
            now_s=int(data.get("now_s", 0)),
        )


def visit_meta(
    night: Night,
    *,
    user_id: int | None,
    label: str,
    visit: Any,
    requested_s: int | None = None,
) -> dict[str, Any]:
    """What the run sheet shows beside a stop; ``label`` is personal data."""
    at = night.elapsed_s(visit.requested_time) if requested_s is None else requested_s
    return {
        "user_id": user_id,
        "label": label,
        "notes": visit.notes,
        "strict": visit.strict,
        "requested_time": visit.requested_time,
        "requested_at": night.at(at).isoformat(),
    }


def cars_for(
    area: Area, night: Night, overrides: PlanOverrides
) -> tuple[list[Car], dict[str, dict[str, Any]]]:
    """One double-crewed car per night zone, at the zone's base, 22:00 to 07:00."""
    council = area.council
    window_start = night.elapsed_s(overrides.break_window_start)
    window_end = night.elapsed_s(overrides.break_window_end)
    if window_end - window_start < overrides.break_minutes * 60:
        # Only on the night the clocks go forward: the missing hour shortens the window.
        raise InvalidInput(
            f"Expected a break window of at least {overrides.break_minutes} minutes of real "
            f"time; on this night the clocks go forward, and "
            f"{overrides.break_window_start}-{overrides.break_window_end} lasts "
            f"{(window_end - window_start) // 60} minutes.",
            field="body.overrides.break_window_end",
        )
    cars: list[Car] = []
    bases: dict[str, dict[str, Any]] = {}
    for zone in council.night_zones:
        car_id = f"car-{zone.code}"
        cars.append(
            Car(
                id=car_id,
                zone=zone.code,
                base=Point(zone.base_lat, zone.base_lon),
                shift_start_s=0,
                shift_end_s=night.duration_s,
                break_duration_s=overrides.break_minutes * 60,
                break_window_start_s=window_start,
                break_window_end_s=window_end,
            )
        )
        bases[car_id] = {
            "label": zone.base_label,
            "provider": council.provider(zone.provider_id).name,
        }
    return cars, bases


class VisitSpec(Protocol):
    """A visit as stored or as added in a re-plan: local time and minutes."""

    requested_time: str
    duration_minutes: int
    tolerance_minutes: int
    strict: bool
    priority: int


def to_visit(
    vid: str,
    spec: VisitSpec,
    *,
    night: Night,
    location: Point,
    zone: str,
    person_id: str | None,
    min_gap_s: int | None,
    requested_s: int | None = None,
) -> Visit:
    """The routing core's visit for one stored or added visit on ``night``.

    ``requested_s`` overrides the first occurrence of ``spec.requested_time``."""
    return Visit(
        id=vid,
        location=location,
        requested_s=night.elapsed_s(spec.requested_time) if requested_s is None else requested_s,
        duration_s=spec.duration_minutes * 60,
        zone=zone,
        tolerance_s=spec.tolerance_minutes * 60,
        strict=spec.strict,
        priority=spec.priority,
        person_id=person_id,
        min_gap_s=min_gap_s,
    )


def night_inputs(session: Session, area: Area, request: PlanRequest) -> Inputs:
    """Tonight's visits (users whose visit days include the night's start day) and cars."""
    night = Night(request.date)
    o = request.overrides
    day = DAYS[request.date.weekday()]
    visits: list[Visit] = []
    meta: dict[str, dict[str, Any]] = {}
    for user in list_users(session):
        if not user.active:
            continue
        # Each person's own gap, unless the request sets one for everybody.
        gap_s = None if o.min_gap_minutes is not None else user.min_gap_minutes * 60
        for row in (v for v in user.visits if day in v.days.split(",")):
            vid = f"v{row.id}"
            visits.append(
                to_visit(
                    vid,
                    row,
                    night=night,
                    location=Point(user.lat, user.lon),
                    zone=user.night_zone,
                    person_id=f"u{user.id}",
                    min_gap_s=gap_s,
                )
            )
            meta[vid] = visit_meta(night, user_id=user.id, label=user.label, visit=row)
    min_gap = _pick(o.min_gap_minutes, DEFAULT_MIN_GAP_MINUTES)
    base = PlanSettings()
    settings = PlanSettings(
        lateness_cost_per_s=_pick(o.lateness_cost_per_s, base.lateness_cost_per_s),
        strict_lateness_cost_per_s=_pick(
            o.strict_lateness_cost_per_s, base.strict_lateness_cost_per_s
        ),
        max_late_s=_pick(o.max_late_minutes, base.max_late_s // 60) * 60,
        cross_zone_cost=_pick(o.cross_zone_cost_s, base.cross_zone_cost),
        min_gap_s=min_gap * 60,
        search=SearchSettings(solution_limit=o.solution_limit),
    )
    cars, bases = cars_for(area, night, o)
    effective = {
        "night_speed_kmh": o.night_speed_kmh,
        "cross_zone_cost_s": settings.cross_zone_cost,
        "lateness_cost_per_s": settings.lateness_cost_per_s,
        "strict_lateness_cost_per_s": settings.strict_lateness_cost_per_s,
        "max_late_minutes": settings.max_late_s // 60,
        "min_gap_minutes": o.min_gap_minutes,  # None: each person's own
        "break_window_start": o.break_window_start,
        "break_window_end": o.break_window_end,
        "break_minutes": o.break_minutes,
        "solution_limit": o.solution_limit,
        "day_of_week": day,
    }
    return Inputs(night, visits, cars, settings, o.night_speed_kmh, meta, bases, effective)


def _pick(value: int | None, default: int) -> int:
    return default if value is None else value


def check_speed_override(solver: NightSolver, speed_kmh: float | None) -> None:
    if speed_kmh is not None and not solver.straight_line:
        raise InvalidInput(
            f"Expected no night_speed_kmh with a road graph ({solver.travel.source}), "
            f"got {speed_kmh}.",
            field="body.overrides.night_speed_kmh",
        )


def store(
    session: Session,
    inputs: Inputs,
    plan: Plan,
    *,
    parent_id: int | None = None,
    changes: list[dict[str, Any]] | None = None,
) -> NightPlan:
    row = NightPlan(
        night_date=inputs.night.day,
        parent_id=parent_id,
        travel_source=plan.travel_source,
        created_at=datetime.now(UTC),
        inputs=inputs.to_json(),
        plan=codec.dump(plan),
        changes=changes or [],
    )
    session.add(row)
    session.flush()
    return row


def get_plan(session: Session, plan_id: int) -> NightPlan:
    row = session.get(NightPlan, plan_id)
    if row is None:
        raise NotFound(f"Expected a night plan id, got {plan_id} (no such plan).", field="path.id")
    return row


def list_plans(session: Session, *, night_date: date | None, limit: int) -> list[PlanSummary]:
    """Newest first; ``served`` and ``unassigned`` counted from the stored plan."""
    query = select(NightPlan).order_by(NightPlan.id.desc()).limit(limit)
    if night_date is not None:
        query = query.where(NightPlan.night_date == night_date)
    out = []
    for row in session.scalars(query):
        routes = row.plan.get("routes", [])
        out.append(
            PlanSummary(
                id=row.id,
                parent_id=row.parent_id,
                date=row.night_date,
                created_at=row.created_at,
                travel_source=row.travel_source,
                served=sum(len(r["stops"]) for r in routes),
                unassigned=len(row.plan.get("unassigned", [])),
            )
        )
    return out


def domain_plan(row: NightPlan) -> Plan:
    return codec.load(Plan, row.plan)


def _requested_at(meta: dict[str, dict[str, Any]], visit_id: str) -> datetime | None:
    text = meta.get(visit_id, {}).get("requested_at")
    return None if text is None else datetime.fromisoformat(text)


def plan_out(row: NightPlan) -> PlanOut:
    """The API's view of a stored plan."""
    plan = domain_plan(row)
    inputs = row.inputs
    meta: dict[str, dict[str, Any]] = inputs["meta"]
    night = Night(row.night_date)
    stops = [s for r in plan.routes for s in r.stops]
    unassigned = [
        UnassignedOut(
            visit_id=u.visit_id,
            user_id=meta.get(u.visit_id, {}).get("user_id"),
            label=meta.get(u.visit_id, {}).get("label", ""),
            strict=bool(meta.get(u.visit_id, {}).get("strict", False)),
            requested_at=_requested_at(meta, u.visit_id),
            reason=u.reason,
        )
        for u in plan.unassigned
    ]
    return PlanOut(
        id=row.id,
        parent_id=row.parent_id,
        date=row.night_date,
        night_start_at=night.start,
        night_end_at=night.end,
        night_duration_s=night.duration_s,
        created_at=row.created_at,
        travel_source=plan.travel_source,
        travel_note=describe_source(plan.travel_source),
        settings=inputs["effective"],
        cars=routes_out(plan, meta, inputs["bases"]),
        unassigned=unassigned,
        totals=TotalsOut(
            visits=len(stops) + len(unassigned),
            served=len(stops),
            unassigned=len(unassigned),
            strict_unassigned=sum(1 for u in unassigned if u.strict),
            travel_s=plan.total_travel_s,
            distance_m=plan.total_distance_m,
            wait_s=sum(r.wait_s for r in plan.routes),
            lateness_s=plan.total_lateness_s,
            beyond_tolerance_s=sum(s.beyond_tolerance_s for s in stops),
            out_of_zone_stops=sum(r.out_of_zone_stops for r in plan.routes),
        ),
        solver=SolverOut(
            first_solution=plan.stats.first_solution,
            metaheuristic=plan.stats.metaheuristic,
            solution_limit=plan.stats.solution_limit,
            status=plan.stats.status,
            objective=plan.stats.objective,
            wall_time_s=plan.stats.wall_time_s,
        ),
        changes=[
            ChangeOut(
                **c,
                label=meta.get(c["visit_id"], {}).get("label", ""),
                requested_at=_requested_at(meta, c["visit_id"]),
            )
            for c in row.changes
        ],
    )


async def create_plan(
    session: Session, area: Area, solver: NightSolver, request: PlanRequest
) -> PlanOut:
    """Plan the night in the solver's worker process, store it, and return it."""
    check_speed_override(solver, request.overrides.night_speed_kmh)
    inputs = night_inputs(session, area, request)
    plan = await solver.plan(
        inputs.visits,
        inputs.cars,
        night=inputs.night,
        settings=inputs.settings,
        speed_kmh=inputs.speed_kmh,
    )
    row = store(session, inputs, plan)
    # Counts only: labels and places are personal data and stay out of the log.
    log.info(
        "night plan %d for %s: %d visits, %d unassigned, %s, %.2f s",
        row.id,
        inputs.night.day.isoformat(),
        len(inputs.visits),
        len(plan.unassigned),
        plan.travel_source,
        plan.stats.wall_time_s,
    )
    return plan_out(row)
