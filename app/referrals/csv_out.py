"""CSV downloads of report rows, chosen by ``?format=csv`` or ``Accept: text/csv``."""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request, Response
from pydantic import BaseModel

from app.schemas.referrals import ReferralOut
from app.spreadsheet import csv_text

CSV_RESPONSE = {200: {"content": {"text/csv": {}}, "description": "JSON, or CSV on request"}}


def wants_csv(request: Request, format_: str | None) -> bool:
    if format_ is not None:
        return format_ == "csv"
    return "text/csv" in request.headers.get("accept", "")


def csv_response(rows: Sequence[BaseModel], columns: list[str], filename: str) -> Response:
    return _attachment(csv_text(columns, (row.model_dump(mode="json") for row in rows)), filename)


def _attachment(text: str, filename: str) -> Response:
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# The referrals list as staff read it in a spreadsheet: one flat row per referral.
REFERRAL_COLUMNS = [
    "id",
    "status",
    "nhs_number",
    "name",
    "postcode",
    "ward_code",
    "home_day_zone",
    "day_zone",
    "cross_zone",
    "provider_id",
    "provider_name",
    "night_zone",
    "source",
    "start_date",
    "planned_end_date",
    "hours_per_week",
    "night_support",
    "outcome",
    "ended_at",
]


def referrals_csv(referrals: Sequence[ReferralOut], filename: str) -> Response:
    rows = [
        {
            **r.model_dump(mode="json", include=set(REFERRAL_COLUMNS)),
            "provider_id": r.provider.id,
            "provider_name": r.provider.name,
        }
        for r in referrals
    ]
    return _attachment(csv_text(REFERRAL_COLUMNS, rows), filename)
