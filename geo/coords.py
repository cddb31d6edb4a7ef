"""Coordinate checks and conversions between WGS84 and British National Grid.

WGS84 is EPSG:4326 with latitude/longitude in degrees; metric work is in
EPSG:27700 (easting, northing in metres). Conversions use pyproj with
``always_xy=True`` so the axis order is explicit: (lon, lat) and (easting, northing).
"""

from __future__ import annotations

import math
from functools import lru_cache

from pyproj import Transformer

from geo.errors import CoordinateError
from geo.types import BngPoint

# Great Britain with its islands, generously: Scilly to Shetland, Ireland excluded.
GB_LAT_RANGE = (49.8, 61.0)
GB_LON_RANGE = (-8.7, 2.0)
# The national grid's own extent.
BNG_EASTING_RANGE = (0.0, 700_000.0)
BNG_NORTHING_RANGE = (0.0, 1_300_000.0)


@lru_cache(maxsize=1)
def _to_bng() -> Transformer:
    return Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)


@lru_cache(maxsize=1)
def _to_wgs84() -> Transformer:
    return Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)


def _in(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def check_lat_lon(lat: float, lon: float) -> None:
    """Raise :class:`CoordinateError` unless (lat, lon) can be a place in Great Britain.

    Parameters
    ----------
    lat, lon
        WGS84 degrees.
    """
    for field, value in (("lat", lat), ("lon", lon)):
        if not math.isfinite(value):
            raise CoordinateError(field, f"Expected a finite {field}, got {value}.")
    if not -90 <= lat <= 90:
        raise CoordinateError("lat", f"Expected lat between -90 and 90 degrees, got {lat}.")
    if not -180 <= lon <= 180:
        raise CoordinateError("lon", f"Expected lon between -180 and 180 degrees, got {lon}.")
    if _in(lat, GB_LAT_RANGE) and _in(lon, GB_LON_RANGE):
        return
    if _in(lon, GB_LAT_RANGE) and _in(lat, GB_LON_RANGE):
        raise CoordinateError(
            "lat",
            f"lat {lat} and lon {lon} look swapped: latitude in Great Britain is "
            f"{GB_LAT_RANGE[0]} to {GB_LAT_RANGE[1]}, longitude {GB_LON_RANGE[0]} to "
            f"{GB_LON_RANGE[1]}.",
        )
    field = "lat" if not _in(lat, GB_LAT_RANGE) else "lon"
    raise CoordinateError(
        field,
        f"Expected a place in Great Britain (lat {GB_LAT_RANGE[0]} to {GB_LAT_RANGE[1]}, "
        f"lon {GB_LON_RANGE[0]} to {GB_LON_RANGE[1]}), got lat {lat}, lon {lon}.",
    )


def check_bng(easting_m: float, northing_m: float) -> None:
    """Raise :class:`CoordinateError` unless the point lies on the British National Grid."""
    for field, value, bounds in (
        ("easting", easting_m, BNG_EASTING_RANGE),
        ("northing", northing_m, BNG_NORTHING_RANGE),
    ):
        if not math.isfinite(value):
            raise CoordinateError(field, f"Expected a finite {field}, got {value}.")
        if not _in(value, bounds):
            raise CoordinateError(
                field,
                f"Expected {field} between {bounds[0]:.0f} and {bounds[1]:.0f} metres on the "
                f"British National Grid, got {value}.",
            )


def lat_lon_to_bng(lat: float, lon: float) -> BngPoint:
    """Check and convert one WGS84 point to British National Grid."""
    check_lat_lon(lat, lon)
    easting, northing = _to_bng().transform(lon, lat)
    return BngPoint(easting_m=float(easting), northing_m=float(northing))


def bng_to_lat_lon(point: BngPoint) -> tuple[float, float]:
    """Convert a British National Grid point to WGS84 ``(lat, lon)``."""
    lon, lat = _to_wgs84().transform(point.easting_m, point.northing_m)
    return float(lat), float(lon)
