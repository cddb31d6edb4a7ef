"""Night service users: locate, store, read, update and delete (with their visits)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.errors import Conflict, InvalidInput, NotFound
from app.night.models import NightUser, NightVisit
from app.referrals import audit
from app.referrals.models import Referral, Status
from app.referrals.queries import lock_referral
from app.schemas.night_users import LocationIn, NightUserFromReferralIn, NightUserIn, VisitIn
from app.schemas.referrals import NightVisit as ReferralNightVisit
from app.security import Principal
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


def claim_referral(session: Session, referral_id: int, *, user_id: int | None = None) -> Referral:
    """The referral a night user will point at, locked for this transaction.

    Refused on ``body.referral_id``: an unknown referral (404) and one that already
    has a night user other than ``user_id`` (409). The lock makes parallel requests
    for one referral run one after the other, so the second sees the first's user.
    """
    field = "body.referral_id"
    try:
        referral = lock_referral(session, referral_id)
    except NotFound as exc:
        raise NotFound(exc.message, field=field) from exc
    query = select(NightUser.id).where(NightUser.referral_id == referral_id)
    if user_id is not None:
        query = query.where(NightUser.id != user_id)
    earlier = session.scalar(query)
    if earlier is not None:
        msg = (
            f"Expected a referral without a night user, got referral {referral_id}, "
            f"already night user {earlier}."
        )
        raise Conflict(msg, field=field, code="night_user_exists")
    return referral


def create_user(session: Session, area: Area, body: NightUserIn) -> NightUser:
    """Store a night user; a ``referral_id`` must name a referral without one (404, 409)."""
    if body.referral_id is not None:
        claim_referral(session, body.referral_id)
    return _insert(session, area, body)


def _insert(session: Session, area: Area, body: NightUserIn) -> NightUser:
    allocation = locate(area, body.location)
    row = NightUser(active=True, created_at=datetime.now(UTC))
    _fill(row, body, allocation)
    session.add(row)
    session.flush()
    return row


def create_from_referral(
    session: Session, area: Area, principal: Principal, body: NightUserFromReferralIn
) -> NightUser:
    """Make a night service user from a referral with night support (one per referral).

    Refused: an unknown referral (404), one without night support or already ended
    (422), and one that already has a night user (409); each on ``body.referral_id``.
    The referral is locked for the transaction, so parallel requests make one user.
    """
    field = "body.referral_id"
    referral = claim_referral(session, body.referral_id)
    audit.record(session, key_id=principal.key_id, action="read", referral_ids=[referral.id])
    if not referral.night_support or not referral.night_visits:
        msg = f"Expected a referral with night support, got referral {referral.id} without."
        raise InvalidInput(msg, field=field)
    if referral.status == Status.ended.value:
        msg = f"Expected a referral still open, got referral {referral.id}, which has ended."
        raise InvalidInput(msg, field=field)
    user = NightUserIn(
        label=body.label or referral.name,
        referral_id=referral.id,
        location=_referral_location(referral),
        min_gap_minutes=body.min_gap_minutes,
        visits=[_referral_visit(v, body) for v in referral.night_visits],
    )
    try:
        return _insert(session, area, user)
    except (NotFound, InvalidInput) as exc:  # the place: the referral's, not the body's
        raise type(exc)(f"The referral's place: {exc.message}", field=field) from exc


def _referral_location(referral: Referral) -> LocationIn:
    if referral.postcode is not None:
        return LocationIn(postcode=referral.postcode)
    return LocationIn(lat=referral.lat, lon=referral.lon)


def _referral_visit(stored: dict[str, object], body: NightUserFromReferralIn) -> VisitIn:
    visit = ReferralNightVisit.model_validate(stored)
    strict = visit.time_critical
    return VisitIn(
        requested_time=visit.time.strftime("%H:%M"),
        tolerance_minutes=body.strict_tolerance_minutes if strict else body.tolerance_minutes,
        strict=strict,
        duration_minutes=visit.duration_minutes,
        notes=visit.purpose,
    )


def get_user(session: Session, user_id: int, *, field: str = "path.id") -> NightUser:
    row = session.get(NightUser, user_id)
    if row is None:
        raise NotFound(f"Expected a night user id, got {user_id} (no such user).", field=field)
    return row


def list_users(session: Session, *, night_zone: str | None = None) -> list[NightUser]:
    query = select(NightUser).order_by(NightUser.id)
    if night_zone is not None:
        query = query.where(NightUser.night_zone == night_zone)
    return list(session.scalars(query))


def replace_user(session: Session, area: Area, user_id: int, body: NightUserIn) -> NightUser:
    row = get_user(session, user_id)
    if body.referral_id is not None and body.referral_id != row.referral_id:
        claim_referral(session, body.referral_id, user_id=user_id)
    allocation = locate(area, body.location)
    _fill(row, body, allocation)
    session.flush()
    return row


def delete_user(session: Session, user_id: int) -> None:
    session.delete(get_user(session, user_id))
    session.flush()
