"""Request and response schemas for referrals."""

from __future__ import annotations

from datetime import UTC, date, datetime
from datetime import time as clock_time
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.referrals.models import EventKind, Outcome, Source, Status
from app.referrals.nhs import nhs_number_error, normalise_nhs_number
from app.schemas.allocation import AllocationIn

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
NIGHT_START, NIGHT_END = clock_time(22, 0), clock_time(7, 0)

Hours = Annotated[float, Field(ge=0.25, le=112, description="Hours a week (07:00-23:00 service)")]
Reason = Annotated[str, Field(min_length=3, max_length=1000)]


def _valid_nhs_number(value: str) -> str:
    """The NHS number as 10 digits, or ValueError saying what is wrong with it."""
    error = nhs_number_error(value)
    if error:
        raise ValueError(error)
    return normalise_nhs_number(value)


def _in_range(value: datetime) -> datetime:
    probe = value if value.tzinfo else value.replace(tzinfo=UTC)
    if not EARLIEST <= probe < LATEST:
        raise ValueError("Expected a time between 2000-01-01 and 2100-01-01.")
    return value


class NightVisit(BaseModel):
    """A night-time call (22:00 to 07:00, UK local time)."""

    model_config = ConfigDict(extra="forbid")

    time: clock_time = Field(description="UK local time of the visit, e.g. 02:00")
    duration_minutes: int = Field(ge=5, le=240)
    time_critical: bool = Field(False, description="Medication: no tolerance around the time")
    purpose: str = Field("", max_length=200)

    @field_validator("time")
    @classmethod
    def _at_night(cls, value: clock_time) -> clock_time:
        if value.tzinfo is not None:
            raise ValueError("Expected a local time without an offset.")
        if NIGHT_END <= value < NIGHT_START:
            raise ValueError("Expected a night time between 22:00 and 07:00.")
        return value


class ReferralIn(BaseModel):
    """A new referral. ``provider_id`` with ``cross_zone_reason`` places it outside its zone;
    ``capacity_override_reason`` accepts it over the provider's commissioned hours. Both are
    for brokerage only."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "nhs_number": "9434765919",
                    "name": "A Person",
                    "address": {"postcode": "CV1 5FB"},
                    "source": "hospital_discharge",
                    "requested_start": "2026-11-30T09:00:00+00:00",
                    "hours_per_week": 10.5,
                    "night_support": False,
                    "night_visits": [],
                    "notes": "",
                }
            ]
        },
    )

    nhs_number: str = Field(min_length=10, max_length=12, description="10 digits, modulus 11")
    name: str = Field(min_length=1, max_length=200)
    address: AllocationIn
    source: Source
    requested_start: datetime = Field(description="With an offset; without one, UK local time")
    hours_per_week: Hours
    night_support: bool = False
    night_visits: list[NightVisit] = Field(default_factory=list, max_length=12)
    notes: str = Field("", max_length=4000)
    provider_id: str | None = Field(None, min_length=1, max_length=64)
    cross_zone_reason: Reason | None = None
    capacity_override_reason: Reason | None = None

    @field_validator("nhs_number")
    @classmethod
    def _nhs(cls, value: str) -> str:
        return _valid_nhs_number(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("Expected a name.")
        return value.strip()

    @field_validator("requested_start")
    @classmethod
    def _start(cls, value: datetime) -> datetime:
        return _in_range(value)

    @model_validator(mode="after")
    def _night(self) -> Self:
        if self.night_support and not self.night_visits:
            raise ValueError("Expected at least one night visit when night_support is true.")
        if self.night_visits and not self.night_support:
            raise ValueError("Expected night_support true when night visits are given.")
        return self


class EventIn(BaseModel):
    """A status change: ``started``, ``hours_changed`` (with ``hours_per_week``) or ``ended``
    (with ``outcome``). ``at`` defaults to now."""

    model_config = ConfigDict(extra="forbid")

    kind: EventKind
    at: datetime | None = None
    hours_per_week: Hours | None = None
    outcome: Outcome | None = None
    note: str = Field("", max_length=2000)
    capacity_override_reason: Reason | None = None

    @field_validator("at")
    @classmethod
    def _at(cls, value: datetime | None) -> datetime | None:
        return None if value is None else _in_range(value)

    @model_validator(mode="after")
    def _fields_for_kind(self) -> Self:
        if self.kind is EventKind.accepted:
            raise ValueError("Expected started, hours_changed or ended; accepted is set on create.")
        if (self.kind is EventKind.hours_changed) != (self.hours_per_week is not None):
            raise ValueError("Expected hours_per_week with hours_changed, and only with it.")
        if (self.kind is EventKind.ended) != (self.outcome is not None):
            raise ValueError("Expected outcome with ended, and only with it.")
        return self


class ProviderOut(BaseModel):
    id: str
    name: str


class EventOut(BaseModel):
    kind: EventKind
    at: datetime = Field(description="UK local time")
    effective_on: date
    hours_before: float | None
    hours_after: float | None
    outcome: Outcome | None
    note: str
    override_reason: str | None
    recorded_by: str = Field(description="The name of the API key that recorded it")


class ReferralOut(BaseModel):
    id: int
    status: Status
    nhs_number: str
    name: str
    postcode: str | None
    lat: float
    lon: float
    in_area: bool
    ward_code: str
    home_day_zone: str = Field(description="The day zone of the address")
    day_zone: str = Field(description="The day zone of the provider placed with")
    night_zone: str
    provider: ProviderOut
    cross_zone: bool
    source: Source
    requested_start: datetime = Field(description="UK local time")
    planned_end: datetime = Field(description="Six weeks after the start, UK local time")
    start_date: date
    planned_end_date: date
    hours_per_week: float
    night_support: bool
    night_visits: list[NightVisit]
    notes: str
    outcome: Outcome | None
    ended_at: datetime | None
    capacity_override_reason: str | None
    created_at: datetime
    history: list[EventOut] | None = None


class ReferralSearch(BaseModel):
    """Find a person's referrals by NHS number, or by any part of the name (any case).

    Sent in a POST body so that personal details stay out of URLs and access logs."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"nhs_number": "943 476 5919"}]}
    )

    nhs_number: str | None = Field(None, min_length=10, max_length=12)
    name: str | None = Field(None, min_length=2, max_length=200)
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)

    @field_validator("nhs_number")
    @classmethod
    def _nhs(cls, value: str | None) -> str | None:
        return None if value is None else _valid_nhs_number(value)

    @field_validator("name")
    @classmethod
    def _name(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if len(value.strip()) < 2:
            raise ValueError("Expected at least 2 letters of the name.")
        return value.strip()

    @model_validator(mode="after")
    def _something(self) -> Self:
        if self.nhs_number is None and self.name is None:
            raise ValueError("Expected an NHS number or a name to search for.")
        return self


class ReferralPage(BaseModel):
    items: list[ReferralOut]
    total: int
    limit: int
    offset: int


class Alternative(BaseModel):
    provider: ProviderOut
    day_zone: str
    distance_m: float
    spare_hours_per_week: float
