"""Schemas for the weekly hours ledger."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class DeliveredIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    delivered_hours: float = Field(ge=0, le=10_000, description="Hours delivered that week")


class LedgerRow(BaseModel):
    provider_id: str
    provider_name: str
    week_start: date
    iso_week: str
    commissioned_hours: float
    block_hours: float
    allocated_hours: float
    spare_hours: float = Field(description="Commissioned minus allocated (negative if overridden)")
    ucr_hours: float
    delivered_hours: float | None


class LedgerOut(BaseModel):
    week_start: date
    iso_week: str
    providers: list[LedgerRow]
    ucr_allocated_hours: float
    ucr_cap_hours: float
