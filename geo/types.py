"""Frozen, validated domain types of the geo core."""

from __future__ import annotations

import math
from dataclasses import dataclass

from geo.errors import GeoError


@dataclass(frozen=True, slots=True)
class Ward:
    """An electoral ward: ONS code (e.g. ``E05001228``) and name."""

    code: str
    name: str

    def __post_init__(self) -> None:
        if not self.code or not self.name:
            raise GeoError(
                f"Expected a ward with a code and a name, got {self.code!r}/{self.name!r}."
            )


@dataclass(frozen=True, slots=True)
class Provider:
    """A care provider on a contract of commissioned hours a week."""

    id: str
    name: str
    commissioned_hours_per_week: float
    block_hours_per_week: float
    runs_night_car: bool

    def __post_init__(self) -> None:
        if self.commissioned_hours_per_week <= 0:
            raise GeoError(
                f"Expected commissioned_hours_per_week > 0 for provider {self.id!r}, "
                f"got {self.commissioned_hours_per_week}."
            )
        if not 0 <= self.block_hours_per_week <= self.commissioned_hours_per_week:
            raise GeoError(
                f"Expected 0 <= block_hours_per_week <= commissioned_hours_per_week for provider "
                f"{self.id!r}, got {self.block_hours_per_week} and "
                f"{self.commissioned_hours_per_week}."
            )


@dataclass(frozen=True, slots=True)
class DayZone:
    """A day zone: a set of wards served by one provider."""

    code: str
    ward_codes: tuple[str, ...]
    provider_id: str


@dataclass(frozen=True, slots=True)
class NightZone:
    """A night zone: the union of day zones covered by one night car."""

    code: str
    day_zone_codes: tuple[str, ...]
    provider_id: str
    base_lat: float
    base_lon: float
    base_label: str


@dataclass(frozen=True, slots=True)
class BngPoint:
    """A point in British National Grid (EPSG:27700), metres."""

    easting_m: float
    northing_m: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.easting_m) and math.isfinite(self.northing_m)):
            raise GeoError(
                f"Expected finite easting/northing, got {self.easting_m}, {self.northing_m}."
            )


@dataclass(frozen=True, slots=True)
class Allocation:
    """Where a point falls: its ward and zones, or the nearest ones when out of area.

    In area, ``distance_m`` is 0. Out of area, ``ward``/``day_zone``/``night_zone``
    are the nearest ones and ``distance_m`` is the straight-line distance to
    that ward's boundary.
    """

    in_area: bool
    ward: Ward
    day_zone: DayZone
    night_zone: NightZone
    point: BngPoint
    lat: float
    lon: float
    distance_m: float

    def __post_init__(self) -> None:
        if self.distance_m < 0 or (self.in_area and self.distance_m != 0):
            raise GeoError(
                f"Expected distance_m 0 in area and >= 0 outside, got {self.distance_m}."
            )
