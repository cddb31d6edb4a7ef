from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from app.deps import AnyRole, AreaDep
from geo.area import Area
from geo.geojson import zones_feature_collection

router = APIRouter(prefix="/v1/zones", tags=["zones"])


@lru_cache(maxsize=4)
def _collection(area: Area) -> dict[str, Any]:
    return zones_feature_collection(area)


@router.get(
    "",
    summary="Wards, day zones and night zones as GeoJSON (RFC 7946, longitude first)",
    response_class=JSONResponse,
    responses={200: {"content": {"application/geo+json": {}}}},
)
def zones(area: AreaDep, _: AnyRole) -> JSONResponse:
    return JSONResponse(_collection(area), media_type="application/geo+json")
