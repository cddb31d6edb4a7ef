"""Night service users: locate, store, read, update and delete (with their visits)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import InvalidInput, NotFound
from app.night.models import NightUser, NightVisit
from app.schemas.night_users import LocationIn, NightUserIn, VisitIn
from geo.area import Area
from geo.errors import GeoError, PostcodeNotFoundError
from geo.postcodes import normalise
from geo.types import Allocation


def locate(area: Area, location: LocationIn, *, field: str = "body.location") -> Allocation:
    """Allocate the location; a person outside the council's area is refused (422).

    The night cars serve the council's residents only; a point outside every ward
    is refused rather than given the nearest zone, so no car is sent out of town
    by a typing mistake.
    """
    where = f"{field}.postcode" if location.postcode is not None else f"{field}.lat"
    try:
        if location.postcode is not None:
            allocation = area.allocate_postcode(location.postcode)
        else:
            assert location.lat is not None and location.lon is not None
            allocation = area.allocate_lat_lon(location.lat, location.lon)
    except PostcodeNotFoundError as exc:
        raise NotFound(str(exc), field=where) from exc
    except GeoError as exc:
        raise InvalidInput(str(exc), field=where) from exc
    if not allocation.in_area:
        raise InvalidInput(
            f"Expected a place inside {area.council.name}, got one "
            f"{allocation.distance_m:.0f} m outside its nearest ward.",
            field=where,
        )
    return allocation


def _visit_row(visit: VisitIn) -> NightVisit:
    return NightVisit(
        requested_time=visit.requested_time,
        tolerance_minutes=visit.tolerance_minutes,
        strict=visit.strict,
        duration_minutes=visit.duration_minutes,
        days=",".join(visit.days),
        priority=visit.priority,
        notes=visit.notes,
    )


def _fill(row: NightUser, body: NightUserIn, allocation: Allocation) -> None:
    row.label = body.label
    row.referral_id = body.referral_id
    postcode = body.location.postcode
    row.postcode = normalise(postcode) if postcode is not None else None
    row.lat = round(allocation.lat, 6)
    row.lon = round(allocation.lon, 6)
    row.night_zone = allocation.night_zone.code
    row.ward_code = allocation.ward.code
    row.min_gap_minutes = body.min_gap_minutes
    row.visits = [_visit_row(v) for v in body.visits]
    row.updated_at = datetime.now(UTC)


def create_user(session: Session, area: Area, body: NightUserIn) -> NightUser:
    allocation = locate(area, body.location)
    row = NightUser(active=True, created_at=datetime.now(UTC))
    _fill(row, body, allocation)
    session.add(row)
    session.flush()
    return row


def get_user(session: Session, user_id: int) -> NightUser:
    row = session.get(NightUser, user_id)
    if row is None:
        raise NotFound(f"Expected a night user id, got {user_id} (no such user).", field="path.id")
    return row


def list_users(session: Session, *, night_zone: str | None = None) -> list[NightUser]:
    query = select(NightUser).order_by(NightUser.id)
    if night_zone is not None:
        query = query.where(NightUser.night_zone == night_zone)
    return list(session.scalars(query))


def replace_user(session: Session, area: Area, user_id: int, body: NightUserIn) -> NightUser:
    row = get_user(session, user_id)
    allocation = locate(area, body.location)
    _fill(row, body, allocation)
    session.flush()
    return row


def delete_user(session: Session, user_id: int) -> None:
    session.delete(get_user(session, user_id))
    session.flush()
