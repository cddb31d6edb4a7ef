"""Re-plan a stored plan: check the request against it, solve the rest, store the new plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.errors import InvalidInput
from app.night import codec
from app.night.planning import (
    Inputs,
    domain_plan,
    get_plan,
    plan_out,
    store,
    to_visit,
    visit_meta,
)
from app.night.solver import NightSolver
from app.night.users import get_user, locate
from app.schemas.night_plans import AddedVisitIn, PlanOut, ReplanRequest
from geo.area import Area
from geo.errors import GeoError
from routing.errors import NightTimeError
from routing.night import Night, parse_clock
from routing.replan import CarPosition
from routing.types import Plan, Point, Visit

POSITION_MARGIN_M = 5_000
"""How far outside the council's wards a reported car position may be (a car on a
road just over the boundary); further out it is a typing or GPS mistake."""


def now_elapsed_s(night: Night, text: str) -> int:
    """Seconds since the shift started for ``"HH:MM"`` on this night or an ISO instant."""
    value = text.strip()
    try:
        if "T" not in value:
            elapsed = night.elapsed_s(value)
            if night.at(elapsed).time() != parse_clock(value):
                # The hour the clocks skip: no such time tonight, so no guess at one.
                raise InvalidInput(
                    f"Expected a time that happens tonight, got {value}: the clocks go "
                    f"forward and it is {night.clock(elapsed)} then.",
                    field="body.now",
                )
            return elapsed
        instant = datetime.fromisoformat(value)
    except (NightTimeError, ValueError) as exc:
        msg = f"Expected 'HH:MM' or ISO 8601 with offset: {exc}"
        raise InvalidInput(msg, field="body.now") from exc
    if instant.tzinfo is None:
        raise InvalidInput(f"Expected an offset in {value!r} (e.g. +01:00).", field="body.now")
    elapsed = int((instant - night.start).total_seconds())
    if not 0 <= elapsed <= night.duration_s:
        raise InvalidInput(
            f"Expected a time inside the night {night.start.isoformat()} to "
            f"{night.end.isoformat()}, got {value}.",
            field="body.now",
        )
    return elapsed


def _check_ids(body: ReplanRequest, known: set[str], already_done: set[str]) -> None:
    for name in ("done", "cancelled"):
        for k, vid in enumerate(getattr(body, name)):
            if vid not in known:
                raise InvalidInput(
                    f"Expected a visit id of this plan, got {vid!r}.", field=f"body.{name}.{k}"
                )
    for k, vid in enumerate(body.cancelled):
        if vid in already_done:
            raise InvalidInput(
                f"Expected a visit not yet done, got {vid!r}: an earlier re-plan recorded it "
                "as done.",
                field=f"body.cancelled.{k}",
            )
    both = sorted(set(body.done) & set(body.cancelled))
    if both:
        raise InvalidInput(
            f"Expected a visit to be done or cancelled, not both: {both}.", field="body.cancelled"
        )


def _check_times(body: ReplanRequest, night: Night, now_s: int, inputs: Inputs, plan: Plan) -> None:
    """Refuse a time before the plan's own, and a visit done before it was due to start."""
    if now_s < inputs.now_s:
        raise InvalidInput(
            f"Expected a time at or after {night.clock(inputs.now_s)}, when this plan was "
            f"re-planned, got {night.clock(now_s)}.",
            field="body.now",
        )
    starts = {s.visit_id: s.start_s for r in plan.routes for s in r.stops}
    for k, vid in enumerate(body.done):
        start = starts.get(vid)
        if start is not None and start > now_s:
            raise InvalidInput(
                f"Expected visits done by now ({night.clock(now_s)}), got {vid!r}, planned "
                f"to start at {night.clock(start)}; mark it done once it has happened, or "
                "cancel it.",
                field=f"body.done.{k}",
            )


def _positions(
    area: Area, inputs: Inputs, body: ReplanRequest, now_s: int
) -> dict[str, CarPosition]:
    """Each reported car position, checked: a known car, near the council's area."""
    cars = {c.id for c in inputs.cars}
    out = {}
    for car_id, pos in body.positions.items():
        field = f"body.positions.{car_id}"
        if car_id not in cars:
            raise InvalidInput(f"Expected a car id of this plan, got {car_id!r}.", field=field)
        try:
            allocation = area.allocate_lat_lon(pos.lat, pos.lon)
        except GeoError as exc:
            raise InvalidInput(str(exc), field=f"{field}.lat") from exc
        if not allocation.in_area and allocation.distance_m > POSITION_MARGIN_M:
            raise InvalidInput(
                f"Expected the car within {POSITION_MARGIN_M / 1000:.0f} km of "
                f"{area.council.name}, got a place {allocation.distance_m / 1000:,.0f} km "
                "outside it (are lat and lon the right way round?).",
                field=f"{field}.lat",
            )
        out[car_id] = CarPosition(Point(pos.lat, pos.lon), now_s)
    return out


@dataclass(frozen=True)
class _Place:
    user_id: int | None
    label: str
    lat: float
    lon: float
    zone: str
    min_gap_s: int | None


def _added(
    session: Session, area: Area, inputs: Inputs, plan_id: int, body: ReplanRequest, now_s: int
) -> tuple[list[Visit], dict[str, dict[str, Any]]]:
    night = inputs.night
    taken = {v.id for v in inputs.visits}
    visits, meta = [], {}
    for k, spec in enumerate(body.added):
        vid = spec.id or f"p{plan_id}a{k + 1}"
        if vid in taken:
            raise InvalidInput(
                f"Expected a new visit id, got {vid!r} (already used).", field=f"body.added.{k}.id"
            )
        taken.add(vid)
        place = _place(session, area, inputs, spec, k)
        # A call added for 01:40 on the night the clocks go back, when it is already
        # 01:30 GMT, means the 01:40 still to come, not the BST one an hour ago.
        times = night.occurrences_s(spec.requested_time)
        requested_s = next((t for t in times if t >= now_s), times[-1])
        visits.append(
            to_visit(
                vid,
                spec,
                night=night,
                location=Point(place.lat, place.lon),
                zone=place.zone,
                person_id=f"u{place.user_id}" if place.user_id is not None else None,
                min_gap_s=place.min_gap_s,
                requested_s=requested_s,
            )
        )
        meta[vid] = visit_meta(
            night, user_id=place.user_id, label=place.label, visit=spec, requested_s=requested_s
        )
    return visits, meta


def _place(session: Session, area: Area, inputs: Inputs, spec: AddedVisitIn, k: int) -> _Place:
    if spec.user_id is not None:
        user = get_user(session, spec.user_id, field=f"body.added.{k}.user_id")
        # The person's gap as in the plan (None when the plan set one for everybody).
        per_person = inputs.effective.get("min_gap_minutes") is None
        gap_s = user.min_gap_minutes * 60 if per_person else None
        label = spec.label or user.label
        return _Place(user.id, label, user.lat, user.lon, user.night_zone, gap_s)
    assert spec.location is not None
    allocation = locate(area, spec.location, field=f"body.added.{k}.location")
    lat, lon = round(allocation.lat, 6), round(allocation.lon, 6)
    return _Place(None, spec.label, lat, lon, allocation.night_zone.code, None)


async def replan_plan(
    session: Session, area: Area, solver: NightSolver, plan_id: int, body: ReplanRequest
) -> PlanOut:
    """Keep what is done, drop what is cancelled, add the new calls and plan the rest."""
    row = get_plan(session, plan_id)
    inputs = Inputs.from_json(row.inputs)
    night = inputs.night
    now_s = now_elapsed_s(night, body.now)
    known = {v.id for v in inputs.visits}
    _check_ids(body, known, set(inputs.done))
    previous = domain_plan(row)
    _check_times(body, night, now_s, inputs, previous)
    positions = _positions(area, inputs, body, now_s)
    added, added_meta = _added(session, area, inputs, plan_id, body, now_s)
    done = sorted(set(inputs.done) | set(body.done))
    result = await solver.replan(
        previous,
        inputs.visits,
        inputs.cars,
        night=night,
        settings=inputs.settings,
        speed_kmh=inputs.speed_kmh,
        now_s=now_s,
        done=done,
        cancelled=body.cancelled,
        added=added,
        positions=positions,
    )
    cancelled = set(body.cancelled)
    new_inputs = Inputs(
        night=night,
        visits=[v for v in inputs.visits if v.id not in cancelled] + added,
        cars=inputs.cars,
        settings=inputs.settings,
        speed_kmh=inputs.speed_kmh,
        meta={**inputs.meta, **added_meta},
        bases=inputs.bases,
        effective=inputs.effective,
        done=done,
        now_s=now_s,
    )
    changes = [codec.dump(c) for c in result.changes]
    return plan_out(store(session, new_inputs, result.plan, parent_id=row.id, changes=changes))
