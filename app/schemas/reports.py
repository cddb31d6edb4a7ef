"""Schemas for the commissioners' and brokers' reports."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class WeeklyRow(BaseModel):
    provider_id: str
    provider_name: str
    iso_week: str
    week_start: date
    commissioned_hours: float
    block_hours: float
    allocated_hours: float
    delivered_hours: float | None = Field(description="None until recorded")
    averaged_delivered_hours: float | None = Field(
        description="Mean delivered hours over the averaging window's recorded weeks"
    )
    averaged_over_weeks: int
    payable_hours: float = Field(description="max(block, averaged delivered)")
    block_utilisation: float | None = Field(description="delivered / block, this week")


class WeeklyReport(BaseModel):
    iso_week: str
    week_start: date
    payable_averaging_weeks: int
    providers: list[WeeklyRow]


class KpiRow(BaseModel):
    provider_id: str
    provider_name: str
    quarter: str
    ended: int
    no_ongoing_support: int
    reduced_need: int
    no_ongoing_support_share: float | None
    reduced_need_share: float | None
    no_ongoing_support_target: float
    reduced_need_target: float
    no_ongoing_support_met: bool | None
    reduced_need_met: bool | None


class KpiReport(BaseModel):
    quarter: str
    first_day: date
    last_day: date
    providers: list[KpiRow]


class FiveWeekRow(BaseModel):
    referral_id: int
    provider_id: str
    day_zone: str
    status: str
    start_date: date
    planned_end_date: date
    days_since_start: int
    days_to_planned_end: int = Field(description="Negative when past the six-week limit")


class FiveWeekReport(BaseModel):
    on: date
    people: list[FiveWeekRow]
