"""Creating referrals and changing their status, with the ledger kept in step."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    PostcodeNotFound,
    ProviderFull,
    UcrCapReached,
)
from app.referrals import audit, idempotency
from app.referrals.contract import Contract
from app.referrals.ledger import Reservation, WeekShortfall, reserve, spare_minutes
from app.referrals.models import (
    CrossZonePlacement,
    EventKind,
    IdempotencyKey,
    Referral,
    ReferralEvent,
    Source,
    Status,
)
from app.referrals.names import fold_name
from app.referrals.queries import lock_referral
from app.referrals.weeks import (
    add_weeks_local,
    london_date,
    now_utc,
    to_utc,
    uk_date_text,
    uk_time_text,
    weekly_minutes,
)
from app.schemas.referrals import Alternative, EventIn, ProviderOut, ReferralIn
from app.security import ApiKey, Principal, Role
from geo.area import Area
from geo.errors import CoordinateError, PostcodeFormatError, PostcodeNotFoundError
from geo.postcodes import normalise
from geo.types import Allocation

log = logging.getLogger("carezones.referrals")
# A start or an end is recorded once it has happened; this much ahead of the server's
# clock is taken as the two clocks disagreeing, not as the future.
CLOCK_SKEW = timedelta(minutes=10)
WORD_OF = {EventKind.started: "start", EventKind.ended: "end"}


@dataclass(frozen=True, slots=True)
class Created:
    referral: Referral
    replayed: bool


def _minutes(hours: float) -> int:
    return round(hours * 60)


def zone_of_provider(area: Area, provider_id: str) -> str:
    for zone in area.council.day_zones:
        if zone.provider_id == provider_id:
            return zone.code
    raise InvalidInput(
        f"Expected a provider with a day zone, got {provider_id!r}.", field="body.provider_id"
    )


def alternatives(
    session: Session, area: Area, point: Allocation, *, exclude: str, weeks: list[date], need: int
) -> list[Alternative]:
    """Other zones' providers with at least ``need`` spare minutes in every week, nearest
    first by straight-line distance from the referral to their zone (0 inside)."""
    distances = area.zone_distances_m(point.point)
    found = []
    for zone in area.council.day_zones:
        if zone.provider_id == exclude:
            continue
        spare = spare_minutes(session, area.council, zone.provider_id, weeks)
        if spare >= need:
            provider = area.council.provider(zone.provider_id)
            found.append(
                Alternative(
                    provider=ProviderOut(id=provider.id, name=provider.name),
                    day_zone=zone.code,
                    distance_m=round(distances[zone.code], 1),
                    spare_hours_per_week=round(spare / 60, 2),
                )
            )
    return sorted(found, key=lambda option: (option.distance_m, option.day_zone))


def _refuse(
    session: Session,
    area: Area,
    referral: Referral,
    allocation: Allocation,
    result: Reservation,
    override: str | None,
) -> None:
    if result.over_ucr_cap:
        short = result.over_ucr_cap[0]
        raise UcrCapReached(
            f"Urgent Community Response hours would pass the weekly cap in the week of "
            f"{short.week_start}: {_hours_text(short.available_minutes)} h left, "
            f"{_hours_text(short.requested_minutes)} h asked.",
            field="body.hours_per_week",
            extra=_shortfall(short),
        )
    if result.over_commissioned and override is None:
        short = result.over_commissioned[0]
        weeks = sorted({s.week_start for s in result.over_commissioned})
        need = max(s.requested_minutes for s in result.over_commissioned)
        options = alternatives(
            session, area, allocation, exclude=referral.provider_id, weeks=weeks, need=need
        )
        raise ProviderFull(
            f"Provider {referral.provider_id} would pass its commissioned hours in the week of "
            f"{short.week_start}: {_hours_text(short.available_minutes)} h left, "
            f"{_hours_text(short.requested_minutes)} h asked. Place with another zone's provider "
            "(provider_id and cross_zone_reason) or give capacity_override_reason.",
            field="body.hours_per_week",
            extra={
                "alternatives": [o.model_dump() for o in options],
                "weeks": [str(w) for w in weeks],
                **_shortfall(short),
            },
        )


def _hours_text(minutes: int) -> str:
    """Hours to at most two decimals, without trailing zeros: 19.28, 36, 0.5."""
    return f"{minutes / 60:.2f}".rstrip("0").rstrip(".")


def _shortfall(short: WeekShortfall) -> dict[str, object]:
    """The first week short, in figures a page can word (the message is for developers).

    ``hours_asked`` is what the referral adds in that week: less than its weekly hours
    when only part of that week is inside the episode (or after the change)."""
    return {
        "week_start": str(short.week_start),
        "hours_left": round(short.available_minutes / 60, 2),
        "hours_asked": round(short.requested_minutes / 60, 2),
    }


def _check_broker_fields(principal: Principal, body: ReferralIn) -> None:
    if principal.may(Role.brokerage):
        return
    for name in ("provider_id", "cross_zone_reason", "capacity_override_reason"):
        if getattr(body, name) is not None:
            raise Forbidden(f"Only brokerage may set {name}.")


def create_referral(
    session: Session,
    area: Area,
    contract: Contract,
    principal: Principal,
    body: ReferralIn,
    idempotency_key: str | None,
) -> Created:
    """Allocate, reserve the provider's hours and store a referral (or replay an earlier one)."""
    digest = idempotency.body_hash(body.model_dump(mode="json"))
    if idempotency_key is not None:
        earlier = idempotency.earlier_referral(
            session, key_id=principal.key_id, key=idempotency_key, digest=digest
        )
        if earlier is not None:
            return Created(_replay(session, principal, earlier), replayed=True)
    _check_broker_fields(principal, body)
    allocation = _allocate_address(area, body)
    if not allocation.in_area:
        raise InvalidInput(
            f"Expected an address in {area.council.name}'s area; this one is "
            f"{allocation.distance_m:.0f} m outside it.",
            field="body.address",
        )
    home_zone = allocation.day_zone.code
    provider_id = body.provider_id or allocation.day_zone.provider_id
    if provider_id not in {p.id for p in area.council.providers}:
        raise InvalidInput(f"Unknown provider {provider_id!r}.", field="body.provider_id")
    placed_zone = (
        home_zone
        if provider_id == allocation.day_zone.provider_id
        else zone_of_provider(area, provider_id)
    )
    if placed_zone != home_zone and body.cross_zone_reason is None:
        raise InvalidInput(
            "Expected cross_zone_reason when placing outside the referral's own zone.",
            field="body.cross_zone_reason",
        )
    now = now_utc()
    start = to_utc(body.requested_start)
    planned_end = add_weeks_local(start, contract.support_weeks_max)
    minutes = _minutes(body.hours_per_week)
    referral = Referral(
        nhs_number=body.nhs_number,
        name=body.name,
        name_search=fold_name(body.name),
        postcode=normalise(body.address.postcode) if body.address.postcode else None,
        lat=allocation.lat,
        lon=allocation.lon,
        easting_m=allocation.point.easting_m,
        northing_m=allocation.point.northing_m,
        in_area=allocation.in_area,
        ward_code=allocation.ward.code,
        home_day_zone=home_zone,
        day_zone=placed_zone,
        night_zone=area.council.night_zone_of_day_zone(placed_zone).code,
        provider_id=provider_id,
        source=body.source.value,
        requested_start=start,
        planned_end=planned_end,
        start_date=london_date(start),
        planned_end_date=london_date(planned_end),
        minutes_per_week=minutes,
        night_support=body.night_support,
        night_visits=[v.model_dump(mode="json") for v in body.night_visits],
        notes=body.notes,
        status=Status.accepted.value,
        capacity_override_reason=body.capacity_override_reason,
        created_by_key_id=principal.key_id,
        created_at=now,
        updated_at=now,
    )
    session.add(referral)
    session.flush()
    session.add(
        ReferralEvent(
            referral_id=referral.id,
            kind=EventKind.accepted.value,
            at=now,
            effective_on=referral.start_date,
            minutes_after=minutes,
            note="",
            override_reason=body.capacity_override_reason,
            by_key_id=principal.key_id,
        )
    )
    shares = weekly_minutes(
        referral.start_date, referral.planned_end_date, [(referral.start_date, minutes)]
    )
    result = reserve(
        session,
        area.council,
        contract,
        referral_id=referral.id,
        provider_id=provider_id,
        ucr=body.source is Source.urgent_community_response,
        shares=shares,
    )
    _refuse(session, area, referral, allocation, result, body.capacity_override_reason)
    if placed_zone != home_zone:
        assert body.cross_zone_reason is not None
        session.add(
            CrossZonePlacement(
                referral_id=referral.id,
                home_day_zone=home_zone,
                placed_day_zone=placed_zone,
                provider_id=provider_id,
                reason=body.cross_zone_reason,
                by_key_id=principal.key_id,
                at=now,
            )
        )
    audit.record(session, key_id=principal.key_id, action="create", referral_ids=[referral.id])
    if idempotency_key is not None:
        replay = _store_key(session, principal, idempotency_key, digest, referral.id, now)
        if replay is not None:
            return replay
    log.info(
        "referral created id=%s zone=%s provider=%s over_commissioned=%s cross_zone=%s",
        referral.id,
        placed_zone,
        provider_id,
        bool(result.over_commissioned),
        placed_zone != home_zone,
    )
    return Created(referral, replayed=False)


def _store_key(
    session: Session, principal: Principal, key: str, digest: str, referral_id: int, now: datetime
) -> Created | None:
    """Store the key; if a parallel request stored it first, undo ours and replay theirs."""
    try:
        with session.begin_nested():
            session.add(
                IdempotencyKey(
                    key_id=principal.key_id,
                    idempotency_key=key,
                    body_sha256=digest,
                    referral_id=referral_id,
                    created_at=now,
                )
            )
    except IntegrityError:
        session.rollback()
        earlier = idempotency.earlier_referral(
            session, key_id=principal.key_id, key=key, digest=digest
        )
        if earlier is None:
            raise Conflict(
                "Idempotency-Key clash; retry the request.", code="idempotency_retry"
            ) from None
        return Created(_replay(session, principal, earlier), replayed=True)
    return None


def _replay(session: Session, principal: Principal, referral_id: int) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(f"Referral {referral_id} not found.")
    audit.record(session, key_id=principal.key_id, action="read", referral_ids=[referral.id])
    return referral


def _check_event_time(
    session: Session, referral: Referral, kind: EventKind, at: datetime, now: datetime
) -> None:
    """A start or an end has happened: not in the future, and an end not before the start.

    An hours change may be dated ahead (a change agreed from next Monday), but not from
    the end of the six weeks on: the ledger holds no hours after it, so such a change
    would change the referral's figure and nothing else. Refused on ``body.at`` with
    the code ``event_time`` and a message in staff words."""
    if kind is EventKind.hours_changed:
        end = referral.planned_end_date
        if max(london_date(at), referral.start_date) >= end:
            raise InvalidInput(
                f"The six weeks end on {uk_date_text(end)}: an hours change from then on "
                "has no hours to change. End the support, or make a new referral.",
                field="body.at",
                code="event_time",
            )
        return
    word = WORD_OF[kind]
    if at > now + CLOCK_SKEW:
        raise InvalidInput(
            f"The {word} cannot be in the future: record it once it has happened.",
            field="body.at",
            code="event_time",
        )
    if kind is EventKind.ended:
        started = session.scalar(
            select(ReferralEvent.at).where(
                ReferralEvent.referral_id == referral.id,
                ReferralEvent.kind == EventKind.started.value,
            )
        )
        if started is not None and at < started:
            raise InvalidInput(
                f"The end cannot be before the start ({uk_time_text(started)}).",
                field="body.at",
                code="event_time",
            )


def key_names(session: Session, events: list[ReferralEvent]) -> dict[int, str]:
    """The name of each API key that recorded one of ``events``."""
    ids = {e.by_key_id for e in events}
    rows = session.execute(select(ApiKey.id, ApiKey.name).where(ApiKey.id.in_(ids)))
    return {key_id: name for key_id, name in rows}


def events_of(session: Session, referral_id: int) -> list[ReferralEvent]:
    return list(
        session.scalars(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == referral_id)
            .order_by(ReferralEvent.id)
        )
    )


def _allocate_address(area: Area, body: ReferralIn) -> Allocation:
    """Allocate the referral's address; a bad one is refused on its own field."""
    try:
        return body.address.allocate(area)
    except PostcodeNotFoundError as exc:
        raise PostcodeNotFound(str(exc), field="body.address.postcode") from exc
    except PostcodeFormatError as exc:
        raise InvalidInput(str(exc), field="body.address.postcode") from exc
    except CoordinateError as exc:
        raise InvalidInput(str(exc), field=f"body.address.{exc.field}") from exc


def change_status(
    session: Session,
    area: Area,
    contract: Contract,
    principal: Principal,
    referral_id: int,
    body: EventIn,
) -> Referral:
    """Start, change the hours of, or end a referral; the ledger follows."""
    referral = lock_referral(session, referral_id)
    status = Status(referral.status)
    kind = body.kind
    if status is Status.ended or (kind is EventKind.started and status is not Status.accepted):
        raise Conflict(
            f"Cannot record {kind.value} on a referral that is {status.value}.",
            field="body.kind",
            code="status_conflict",
        )
    now = now_utc()
    at = to_utc(body.at) if body.at is not None else now
    _check_event_time(session, referral, kind, at, now)
    effective = london_date(at)
    if kind is EventKind.hours_changed:
        # A change made before the episode begins (between acceptance and start, the
        # usual case) holds from its first day; dated earlier, the accepted rate on
        # the start date would outrank it and the ledger would never see it.
        effective = max(effective, referral.start_date)
    event = ReferralEvent(
        referral_id=referral.id,
        kind=kind.value,
        at=at,
        effective_on=effective,
        note=body.note,
        override_reason=body.capacity_override_reason,
        by_key_id=principal.key_id,
    )
    end_day = referral.planned_end_date
    if kind is EventKind.started:
        referral.status = Status.started.value
    elif kind is EventKind.hours_changed:
        assert body.hours_per_week is not None
        event.minutes_before = referral.minutes_per_week
        event.minutes_after = _minutes(body.hours_per_week)
        referral.minutes_per_week = event.minutes_after
    else:
        assert body.outcome is not None
        referral.status = Status.ended.value
        referral.outcome = body.outcome.value
        referral.ended_at = at
        # Ended before it began (readmitted, say): no days, so no hours held.
        end_day = max(referral.start_date, min(effective, referral.planned_end_date))
        event.outcome = body.outcome.value
    referral.updated_at = now
    session.add(event)
    session.flush()
    if kind is not EventKind.started:
        rates = [
            (e.effective_on, e.minutes_after)
            for e in events_of(session, referral.id)
            if e.minutes_after is not None
        ]
        shares = weekly_minutes(referral.start_date, end_day, rates)
        result = reserve(
            session,
            area.council,
            contract,
            referral_id=referral.id,
            provider_id=referral.provider_id,
            ucr=referral.source == Source.urgent_community_response.value,
            shares=shares,
        )
        allocation = area.allocate_bng(referral.easting_m, referral.northing_m)
        _refuse(session, area, referral, allocation, result, body.capacity_override_reason)
    audit.record(session, key_id=principal.key_id, action="change", referral_ids=[referral.id])
    log.info("referral changed id=%s event=%s", referral.id, kind.value)
    return referral
