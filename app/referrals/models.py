"""Tables: referrals, their events, weekly shares, idempotency keys, the ledger, placements, audit.

Hours are stored as whole minutes. Times are stored in UTC; dates are UK local dates.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db import Base, UtcDateTime


class Source(enum.StrEnum):
    hospital_discharge = "hospital_discharge"
    community = "community"
    urgent_community_response = "urgent_community_response"


class Status(enum.StrEnum):
    accepted = "accepted"
    started = "started"
    ended = "ended"


class EventKind(enum.StrEnum):
    accepted = "accepted"
    started = "started"
    hours_changed = "hours_changed"
    ended = "ended"


class Outcome(enum.StrEnum):
    no_ongoing_support = "no_ongoing_support"
    reduced_need = "reduced_need"
    ongoing_support = "ongoing_support"
    readmitted = "readmitted"
    died = "died"


class Referral(Base):
    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_provider_status", "provider_id", "status"),
        Index("ix_referrals_day_zone", "day_zone"),
        Index("ix_referrals_created_by", "created_by_key_id"),
        Index("ix_referrals_nhs_number", "nhs_number"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nhs_number: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    # The name folded for searching (app/referrals/names.py); casefolding may lengthen it.
    name_search: Mapped[str | None] = mapped_column(String(400), nullable=True)
    postcode: Mapped[str | None] = mapped_column(String(16), nullable=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    easting_m: Mapped[float] = mapped_column(Float)
    northing_m: Mapped[float] = mapped_column(Float)
    in_area: Mapped[bool] = mapped_column(Boolean)
    ward_code: Mapped[str] = mapped_column(String(16))
    home_day_zone: Mapped[str] = mapped_column(String(16))
    day_zone: Mapped[str] = mapped_column(String(16))
    night_zone: Mapped[str] = mapped_column(String(16))
    provider_id: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(40))
    requested_start: Mapped[datetime] = mapped_column(UtcDateTime())
    planned_end: Mapped[datetime] = mapped_column(UtcDateTime())
    start_date: Mapped[date] = mapped_column(Date)
    planned_end_date: Mapped[date] = mapped_column(Date)
    minutes_per_week: Mapped[int] = mapped_column(Integer)
    night_support: Mapped[bool] = mapped_column(Boolean)
    night_visits: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    capacity_override_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_by_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ReferralEvent(Base):
    """One status change; the history of a referral is its events in id order."""

    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    effective_on: Mapped[date] = mapped_column(Date)
    minutes_before: Mapped[int | None] = mapped_column(Integer, nullable=True)
    minutes_after: Mapped[int | None] = mapped_column(Integer, nullable=True)
    outcome: Mapped[str | None] = mapped_column(String(32), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    by_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))


class ReferralWeek(Base):
    """The minutes one referral holds in one week of its provider's ledger."""

    __tablename__ = "referral_weeks"

    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    provider_id: Mapped[str] = mapped_column(String(64))
    minutes: Mapped[int] = mapped_column(Integer)
    ucr: Mapped[bool] = mapped_column(Boolean)


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("key_id", "idempotency_key", name="uq_idempotency"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    body_sha256: Mapped[str] = mapped_column(String(64))
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LedgerWeek(Base):
    """One provider's hours in one week (Monday). The row is the lock for allocation."""

    __tablename__ = "ledger_weeks"

    provider_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    commissioned_minutes: Mapped[int] = mapped_column(Integer)
    block_minutes: Mapped[int] = mapped_column(Integer)
    allocated_minutes: Mapped[int] = mapped_column(Integer, default=0)
    ucr_minutes: Mapped[int] = mapped_column(Integer, default=0)
    delivered_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    delivered_recorded_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    delivered_by_key_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_keys.id"), nullable=True
    )


class UcrWeek(Base):
    """Urgent Community Response minutes held council-wide in one week, against the cap."""

    __tablename__ = "ucr_weeks"

    week_start: Mapped[date] = mapped_column(Date, primary_key=True)
    allocated_minutes: Mapped[int] = mapped_column(Integer, default=0)


class CrossZonePlacement(Base):
    __tablename__ = "cross_zone_placements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    home_day_zone: Mapped[str] = mapped_column(String(16))
    placed_day_zone: Mapped[str] = mapped_column(String(16))
    provider_id: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    by_key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime())


class AuditEntry(Base):
    """Who created, read or changed which referral, and when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("api_keys.id"))
    action: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UtcDateTime())
