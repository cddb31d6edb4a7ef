"""ORM rows to response schemas (UK local times for people, minutes to hours)."""

from __future__ import annotations

from app.referrals.models import Referral, ReferralEvent
from app.referrals.weeks import to_london
from app.schemas.referrals import EventOut, NightVisit, ProviderOut, ReferralOut
from geo.council import Council


def _hours(minutes: int | None) -> float | None:
    return None if minutes is None else round(minutes / 60, 2)


def referral_out(
    referral: Referral,
    council: Council,
    events: list[ReferralEvent] | None = None,
    key_names: dict[int, str] | None = None,
) -> ReferralOut:
    """The referral as the API gives it; with ``events``, its history, each event naming
    the key that recorded it (``key_names``: key id -> name)."""
    provider = council.provider(referral.provider_id)
    history = None
    if events is not None:
        history = [
            EventOut(
                kind=e.kind,
                at=to_london(e.at),
                effective_on=e.effective_on,
                hours_before=_hours(e.minutes_before),
                hours_after=_hours(e.minutes_after),
                outcome=e.outcome,
                note=e.note,
                override_reason=e.override_reason,
                recorded_by=(key_names or {}).get(e.by_key_id, f"key {e.by_key_id}"),
            )
            for e in events
        ]
    return ReferralOut(
        id=referral.id,
        status=referral.status,
        nhs_number=referral.nhs_number,
        name=referral.name,
        postcode=referral.postcode,
        lat=round(referral.lat, 6),
        lon=round(referral.lon, 6),
        in_area=referral.in_area,
        ward_code=referral.ward_code,
        home_day_zone=referral.home_day_zone,
        day_zone=referral.day_zone,
        night_zone=referral.night_zone,
        provider=ProviderOut(id=provider.id, name=provider.name),
        cross_zone=referral.day_zone != referral.home_day_zone,
        source=referral.source,
        requested_start=to_london(referral.requested_start),
        planned_end=to_london(referral.planned_end),
        start_date=referral.start_date,
        planned_end_date=referral.planned_end_date,
        hours_per_week=_hours(referral.minutes_per_week) or 0.0,
        night_support=referral.night_support,
        night_visits=[NightVisit.model_validate(v) for v in referral.night_visits],
        notes=referral.notes,
        outcome=referral.outcome,
        ended_at=None if referral.ended_at is None else to_london(referral.ended_at),
        capacity_override_reason=referral.capacity_override_reason,
        created_at=to_london(referral.created_at),
        history=history,
    )
