"""Night service users for the night API tests: real Coventry places, one zone each."""

from __future__ import annotations

from typing import Any

# (label, location, night zone): postcodes from the offline table, points inside wards.
PLACES: tuple[tuple[str, dict[str, Any], str], ...] = (
    ("Person A", {"postcode": "CV2 1QB"}, "1"),
    ("Person B", {"postcode": "CV6 4AF"}, "1"),
    ("Person C", {"postcode": "CV3 6PH"}, "2"),
    ("Person D", {"lat": 52.41001, "lon": -1.55068}, "2"),
    ("Person E", {"postcode": "CV1 1AH"}, "3"),
    ("Person F", {"lat": 52.40679, "lon": -1.46649}, "3"),
)


def visit(time: str, *, minutes: int = 20, **kw: Any) -> dict[str, Any]:
    return {"requested_time": time, "duration_minutes": minutes, **kw}


def user(label: str, location: dict[str, Any], visits: list[dict[str, Any]], **kw: Any) -> dict:
    return {"label": label, "location": location, "visits": visits, **kw}


def night_users() -> list[dict[str, Any]]:
    """Six people, two per night zone; each has a time-critical call and a turn."""
    strict_times = ("23:00", "00:30", "02:00", "03:30", "05:00", "06:00")
    turn_times = ("02:30", "04:00", "23:30", "01:00", "22:30", "02:45")
    out = []
    for k, (label, location, _zone) in enumerate(PLACES):
        out.append(
            user(
                label,
                location,
                [
                    visit(strict_times[k], strict=True, tolerance_minutes=15, notes="medication"),
                    visit(turn_times[k], minutes=30, notes="turn"),
                ],
            )
        )
    return out
