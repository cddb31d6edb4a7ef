"""Shared bits for the referral tests: valid NHS numbers and a referral body."""

from __future__ import annotations

from typing import Any


def nhs_number(serial: int) -> str:
    """A valid NHS number built from a nine-digit serial (skipping check digit 10)."""
    while True:
        digits = f"{400_000_000 + serial:09d}"
        total = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True))
        check = (11 - total % 11) % 11
        if check != 10:
            return digits + str(check)
        serial += 1


def body(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "nhs_number": "9434765919",
        "name": "Ada Testperson",
        "address": {"postcode": "CV1 5FB"},
        "source": "hospital_discharge",
        # A Monday, so the six weeks are six whole ledger weeks.
        "requested_start": "2026-11-30T09:00:00Z",
        "hours_per_week": 10,
        "night_support": False,
        "night_visits": [],
        "notes": "Lives alone; key safe 1234.",
    }
    data.update(overrides)
    return data
