"""Plans as GeoJSON (RFC 7946, longitude first) and as CSV run-sheet rows."""

from __future__ import annotations

import csv
import io
from typing import Any

from routing.types import Plan, Point

CSV_FIELDS = (
    "car",
    "order",
    "visit",
    "zone",
    "out_of_zone",
    "strict",
    "lat",
    "lon",
    "arrival",
    "start",
    "finish",
    "travel_s",
    "distance_m",
    "wait_s",
    "lateness_s",
)


def _xy(p: Point) -> list[float]:
    return [p.lon, p.lat]


def plan_geojson(plan: Plan) -> dict[str, Any]:
    """A FeatureCollection: one LineString per car route, one Point per stop.

    Route properties: ``car``, ``zone``, ``stops``, ``travel_s``, ``distance_m``.
    Stop properties: ``car``, ``order``, ``visit``, ``arrival`` (local ISO 8601 with
    offset), ``start``, ``out_of_zone``, ``strict``.
    """
    features: list[dict[str, Any]] = []
    for route in plan.routes:
        line = [_xy(route.start_location), *(_xy(s.location) for s in route.stops)]
        line.append(_xy(route.base))
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {
                    "kind": "route",
                    "car": route.car_id,
                    "zone": route.zone,
                    "stops": len(route.stops),
                    "travel_s": route.travel_s,
                    "distance_m": route.distance_m,
                },
            }
        )
        for stop in route.stops:
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": _xy(stop.location)},
                    "properties": {
                        "kind": "stop",
                        "car": route.car_id,
                        "order": stop.order,
                        "visit": stop.visit_id,
                        "arrival": stop.arrival_at.isoformat(),
                        "start": stop.start_at.isoformat(),
                        "out_of_zone": stop.out_of_zone,
                        "strict": stop.strict,
                    },
                }
            )
    return {"type": "FeatureCollection", "features": features}


def plan_rows(plan: Plan) -> list[dict[str, str]]:
    """One row per stop (all values as text, local clock times ``HH:MM``)."""
    rows: list[dict[str, str]] = []
    for route in plan.routes:
        for s in route.stops:
            values: tuple[object, ...] = (
                route.car_id,
                s.order,
                s.visit_id,
                s.zone,
                "yes" if s.out_of_zone else "no",
                "yes" if s.strict else "no",
                f"{s.location.lat:.6f}",
                f"{s.location.lon:.6f}",
                s.arrival_at.strftime("%H:%M"),
                s.start_at.strftime("%H:%M"),
                s.finish_at.strftime("%H:%M"),
                s.leg_travel_s,
                s.leg_distance_m,
                s.wait_s,
                s.lateness_s,
            )
            rows.append(dict(zip(CSV_FIELDS, (str(v) for v in values), strict=True)))
    return rows


def plan_csv(plan: Plan) -> str:
    """The rows of :func:`plan_rows` as CSV text with a header."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(plan_rows(plan))
    return out.getvalue()
