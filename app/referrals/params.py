"""Parsing query parameters into domain values, with the field named on failure."""

from __future__ import annotations

import re
from datetime import date

from app.errors import InvalidInput, NotFound
from app.referrals.weeks import parse_week, today_london, week_start
from geo.council import Council

_QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.ASCII)


def week_param(text: str | None, field: str = "query.week") -> date:
    """The Monday of ``YYYY-Www`` or of a date; this week (UK) if not given."""
    if text is None:
        return week_start(today_london())
    try:
        monday = parse_week(text)
    except ValueError as exc:
        raise InvalidInput(str(exc), field=field) from None
    if not 2000 <= monday.year <= 2100:
        raise InvalidInput("Expected a week between 2000 and 2100.", field=field)
    return monday


def quarter_param(text: str) -> tuple[date, date]:
    """``2026-Q4`` -> [first day, first day of the next quarter); calendar quarters."""
    match = _QUARTER.fullmatch(text)
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise InvalidInput(
            f"Expected a quarter like 2026-Q4 (2000 to 2100), got {text!r}.", field="query.quarter"
        )
    year, q = int(match.group(1)), int(match.group(2))
    first = date(year, 3 * q - 2, 1)
    after = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return first, after


def provider_param(council: Council, provider_id: str) -> str:
    if provider_id not in {p.id for p in council.providers}:
        raise NotFound(f"Provider {provider_id!r} not found.", field="path.provider_id")
    return provider_id
