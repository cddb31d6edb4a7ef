"""Request and response schemas for night service users and their visits."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    model_validator,
)

from app.night.models import NightUser, NightVisit
from app.referrals.weeks import to_london

MAX_ID = 2_147_483_647  # database INTEGER

# UK local time as ISO 8601 with its offset ("+00:00" in winter, "+01:00" in summer,
# never "Z"); a stored UTC time (naive from SQLite) is converted on the way out.
LocalTime = Annotated[
    datetime,
    PlainSerializer(lambda value: to_london(value).isoformat(), return_type=str, when_used="json"),
]
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK = re.compile(r"([01]\d|2[0-3]):([0-5]\d)", re.ASCII)


def night_clock(value: str) -> str:
    """``"HH:MM"`` (24-hour) between 22:00 and 07:00, the night shift."""
    text = value.strip()
    if len(text) == 4 and text[1] == ":":
        text = "0" + text
    if not _CLOCK.fullmatch(text):
        raise ValueError(f"Expected a 24-hour time 'HH:MM', got {value!r}.")
    if "07:00" < text < "22:00":
        raise ValueError(f"Expected a time between 22:00 and 07:00, got {value!r}.")
    return text


_WHOLE_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_NAMES = {
    **dict(zip(DAYS, DAYS, strict=True)),
    **dict(zip(_WHOLE_DAYS, DAYS, strict=True)),
    **{"tues": "tue", "thur": "thu", "thurs": "thu"},
}


def day_list(value: list[str]) -> list[str]:
    """Day names, short (``mon``) or whole (``Monday``), in week order."""
    names = [_DAY_NAMES.get(d.strip().lower(), "") for d in value]
    unknown = [d for d, n in zip(value, names, strict=True) if not n]
    if unknown:
        raise ValueError(f"Expected day names from {', '.join(DAYS)}, got {unknown}.")
    if not names:
        raise ValueError("Expected at least one day.")
    return [d for d in DAYS if d in names]


NightClock = Annotated[str, AfterValidator(night_clock)]
Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
"""How the crew know the person: blank (or only spaces) would print an empty run sheet row."""
Days = Annotated[list[str], AfterValidator(day_list)]
ToleranceMinutes = Annotated[int, Field(ge=0, le=180)]
GapMinutes = Annotated[int, Field(ge=0, le=480, description="Between two visits, same night")]


class VisitIn(BaseModel):
    """A regular night call. ``days`` name the night by the day it starts (22:00)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"requested_time": "01:30", "duration_minutes": 20, "strict": True, "days": ["mon"]}
            ]
        },
    )

    requested_time: NightClock = Field(description="Local time asked for, 'HH:MM', 22:00-07:00")
    tolerance_minutes: ToleranceMinutes = Field(30, description="Allowed either side")
    strict: bool = Field(False, description="Time-critical (medication): the window is hard")
    duration_minutes: int = Field(ge=1, le=240)
    days: Days = Field(default_factory=lambda: list(DAYS), description="Nights, by start day")
    priority: int = Field(1, ge=1, le=10, description="Cost of leaving it unserved, 1-10")
    notes: str = Field("", max_length=2000)


class LocationIn(BaseModel):
    """Exactly one of ``postcode`` or ``lat`` + ``lon`` (WGS84)."""

    model_config = ConfigDict(extra="forbid")

    postcode: Annotated[str, Field(min_length=1, max_length=16)] | None = None
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        has_point = self.lat is not None or self.lon is not None
        if (self.postcode is not None) == has_point:
            raise ValueError("Expected exactly one of postcode or lat/lon.")
        if has_point and (self.lat is None or self.lon is None):
            raise ValueError("Expected both lat and lon.")
        return self


class NightUserIn(BaseModel):
    """A night service user. ``label`` identifies the person to the crew; it is never logged."""

    model_config = ConfigDict(extra="forbid")

    label: Label
    referral_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="A stored referral with no other night user (404 if unknown, 409 if taken)",
    )
    location: LocationIn
    min_gap_minutes: GapMinutes = 60
    visits: list[VisitIn] = Field(min_length=1, max_length=12)


class NightUserFromReferralIn(BaseModel):
    """A night service user made from a referral with night support.

    The place, the night zone and the visits come from the referral; each of the
    referral's night visits happens every night. ``label`` defaults to the name on
    the referral.
    """

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"referral_id": 1234}]}
    )

    referral_id: int = Field(ge=1, le=MAX_ID)
    label: Label | None = None
    min_gap_minutes: GapMinutes = 60
    tolerance_minutes: ToleranceMinutes = Field(
        30, description="Either side of the time asked for, other visits"
    )
    strict_tolerance_minutes: ToleranceMinutes = Field(
        15, description="Hard window either side, time-critical visits"
    )


class VisitOut(BaseModel):
    id: int
    visit_id: str = Field(description="The id this visit has in plans ('v<id>')")
    requested_time: str
    tolerance_minutes: int
    strict: bool
    duration_minutes: int
    days: list[str]
    priority: int
    notes: str

    @classmethod
    def from_row(cls, row: NightVisit) -> Self:
        return cls(
            id=row.id,
            visit_id=f"v{row.id}",
            requested_time=row.requested_time,
            tolerance_minutes=row.tolerance_minutes,
            strict=row.strict,
            duration_minutes=row.duration_minutes,
            days=row.days.split(","),
            priority=row.priority,
            notes=row.notes,
        )


class NightUserOut(BaseModel):
    id: int
    label: str
    referral_id: int | None
    postcode: str | None
    lat: float
    lon: float
    night_zone: str
    ward_code: str
    min_gap_minutes: int
    visits: list[VisitOut]
    created_at: LocalTime
    updated_at: LocalTime

    @classmethod
    def from_row(cls, row: NightUser) -> Self:
        return cls(
            id=row.id,
            label=row.label,
            referral_id=row.referral_id,
            postcode=row.postcode,
            lat=row.lat,
            lon=row.lon,
            night_zone=row.night_zone,
            ward_code=row.ward_code,
            min_gap_minutes=row.min_gap_minutes,
            visits=[VisitOut.from_row(v) for v in row.visits],
            created_at=row.created_at,
            updated_at=row.updated_at,
        )


class NightUserList(BaseModel):
    items: list[NightUserOut]
