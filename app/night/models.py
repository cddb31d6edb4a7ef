"""Tables of the night service: users, their visits, and stored plans."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db import Base, UtcDateTime


class NightUser(Base):
    """A person the night cars visit. ``label`` is personal data: never logged."""

    __tablename__ = "night_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    # The referral this person came from, when there is one (no FK: another branch);
    # at most one night user per referral (migration 0005).
    referral_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True, unique=True)
    postcode: Mapped[str | None] = mapped_column(String(10), nullable=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    night_zone: Mapped[str] = mapped_column(String(10))
    ward_code: Mapped[str] = mapped_column(String(12))
    min_gap_minutes: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    visits: Mapped[list[NightVisit]] = relationship(
        back_populates="user",
        cascade="all, delete-orphan",
        order_by="NightVisit.id",
        lazy="selectin",
    )


class NightVisit(Base):
    """One regular call: requested local time, tolerance, duration and days of the week."""

    __tablename__ = "night_visits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("night_users.id", ondelete="CASCADE"), index=True
    )
    requested_time: Mapped[str] = mapped_column(String(5))
    tolerance_minutes: Mapped[int] = mapped_column(Integer)
    strict: Mapped[bool] = mapped_column(Boolean)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    # Nights as comma-separated day names ("mon,tue"); a night is named by its start day.
    days: Mapped[str] = mapped_column(String(40))
    priority: Mapped[int] = mapped_column(Integer, default=1)
    notes: Mapped[str] = mapped_column(Text, default="")
    user: Mapped[NightUser] = relationship(back_populates="visits")


class NightPlan(Base):
    """A plan as returned (JSON), with the inputs it was made from, for re-planning."""

    __tablename__ = "night_plans"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    night_date: Mapped[date] = mapped_column(Date, index=True)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("night_plans.id", ondelete="SET NULL"), nullable=True
    )
    travel_source: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    inputs: Mapped[dict[str, Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    changes: Mapped[list[Any]] = mapped_column(JSON, default=list)
