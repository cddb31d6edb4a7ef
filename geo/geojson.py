"""GeoJSON (RFC 7946: WGS84, longitude first) of a council's wards and zones."""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from pyproj import Transformer

from geo.area import Area

COORDINATE_DECIMALS = 6  # about 0.1 m


def _to_wgs84(geom: shapely.Geometry) -> dict[str, Any]:
    transformer = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    moved = shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(*xy.T)))
    rounded = shapely.set_precision(moved, 10**-COORDINATE_DECIMALS, mode="pointwise")
    mapping: dict[str, Any] = shapely.geometry.mapping(rounded)
    return mapping


def zones_feature_collection(area: Area) -> dict[str, Any]:
    """Wards, day zones and night zones as one FeatureCollection.

    Every feature has ``kind`` (``ward``, ``day_zone`` or ``night_zone``) and its
    zone codes and providers, so a map can style each layer from one document.
    """
    council = area.council
    features: list[dict[str, Any]] = []

    def provider(provider_id: str) -> dict[str, str]:
        p = council.provider(provider_id)
        return {"id": p.id, "name": p.name}

    for ward, polygon in zip(area.boundaries.wards, area.boundaries.polygons_bng, strict=True):
        day = council.day_zone_of_ward(ward.code)
        night = council.night_zone_of_day_zone(day.code)
        features.append(
            {
                "type": "Feature",
                "id": ward.code,
                "geometry": _to_wgs84(polygon),
                "properties": {
                    "kind": "ward",
                    "ward_code": ward.code,
                    "ward_name": ward.name,
                    "day_zone": day.code,
                    "night_zone": night.code,
                    "day_provider": provider(day.provider_id),
                    "night_provider": provider(night.provider_id),
                },
            }
        )
    names = {ward.code: ward.name for ward in area.boundaries.wards}
    for day in council.day_zones:
        features.append(
            {
                "type": "Feature",
                "id": f"day-{day.code}",
                "geometry": _to_wgs84(area.day_zone_shapes[day.code]),
                "properties": {
                    "kind": "day_zone",
                    "day_zone": day.code,
                    "night_zone": council.night_zone_of_day_zone(day.code).code,
                    "wards": [{"code": c, "name": names[c]} for c in day.ward_codes],
                    "day_provider": provider(day.provider_id),
                },
            }
        )
    for night in council.night_zones:
        features.append(
            {
                "type": "Feature",
                "id": f"night-{night.code}",
                "geometry": _to_wgs84(area.night_zone_shapes[night.code]),
                "properties": {
                    "kind": "night_zone",
                    "night_zone": night.code,
                    "day_zones": list(night.day_zone_codes),
                    "night_provider": provider(night.provider_id),
                    "base": {
                        "lat": night.base_lat,
                        "lon": night.base_lon,
                        "label": night.base_label,
                    },
                },
            }
        )
    return {
        "type": "FeatureCollection",
        "features": features,
        "boundary_version": area.version,
        "attribution": (
            "Contains National Statistics data © Crown copyright and database right. "
            "Contains Ordnance Survey data © Crown copyright and database right."
        ),
    }
