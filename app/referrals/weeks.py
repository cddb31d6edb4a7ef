"""Weeks (Monday to Sunday, UK local), episodes and the minutes each week carries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_ISO_WEEK = re.compile(r"(\d{4})-W(\d{2})", re.ASCII)


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_utc(moment: datetime) -> datetime:
    """An aware UTC datetime; a naive one is read as UK local time."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return moment.astimezone(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite returns naive datetimes for stored UTC values; make them aware again."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def to_london(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(LONDON)


def uk_date_text(day: date) -> str:
    """A date as staff read it: "6 January 2027"."""
    return f"{day.day} {day:%B %Y}"


def uk_time_text(moment: datetime) -> str:
    """A moment as staff read it: "25 November 2026, 09:00 GMT" (UK local time)."""
    local = to_london(moment)
    return f"{uk_date_text(local.date())}, {local:%H:%M} {local.tzname()}"


def london_date(moment: datetime) -> date:
    return to_london(moment).date()


def today_london() -> date:
    return london_date(now_utc())


def week_start(day: date) -> date:
    """The Monday of the week holding ``day``."""
    return day - timedelta(days=day.weekday())


def parse_week(text: str) -> date:
    """``YYYY-Www`` (ISO week) or a date ``YYYY-MM-DD`` -> that week's Monday."""
    match = _ISO_WEEK.fullmatch(text)
    if match:
        year, week = int(match.group(1)), int(match.group(2))
        try:
            return date.fromisocalendar(year, week, 1)
        except ValueError as exc:
            raise ValueError(f"Expected an ISO week like 2026-W48, got {text!r}.") from exc
    try:
        return week_start(date.fromisoformat(text))
    except ValueError as exc:
        raise ValueError(f"Expected YYYY-Www or YYYY-MM-DD, got {text!r}.") from exc


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def add_weeks_local(start: datetime, weeks: int) -> datetime:
    """``start`` plus whole weeks at the same UK wall-clock time (DST-safe), in UTC."""
    local = to_london(start)
    later = datetime.combine(local.date() + timedelta(weeks=weeks), local.time(), LONDON)
    return later.astimezone(UTC)


def local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time(0), LONDON).astimezone(UTC)


def weekly_minutes(
    first_day: date, end_day: date, rates: Iterable[tuple[date, int]]
) -> dict[date, int]:
    """Minutes each week carries for an episode of days ``[first_day, end_day)``.

    ``rates`` are (effective from, minutes a week) in the order they were set; a later
    rate from the same day replaces an earlier one. A week that the
    episode covers only partly carries the share of its days in it: a rate of
    7 h a week over 3 days of a week gives 3 h that week.
    """
    schedule = sorted(rates, key=lambda rate: rate[0])  # stable: later wins
    sevenths: dict[date, int] = {}
    day = first_day
    while day < end_day:
        rate = 0
        for since, minutes in schedule:
            if since <= day:
                rate = minutes
        monday = week_start(day)
        sevenths[monday] = sevenths.get(monday, 0) + rate
        day += timedelta(days=1)
    return {monday: (total + 3) // 7 for monday, total in sevenths.items()}
