"""Request and response schemas for allocations."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from geo.area import Area
from geo.types import Allocation

MAX_BATCH = 10_000


class AllocationIn(BaseModel):
    """Exactly one of: ``lat`` + ``lon`` (WGS84), ``easting`` + ``northing`` (EPSG:27700),
    or ``postcode``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"postcode": "CV1 5FB"},
                {"lat": 52.4083, "lon": -1.5072},
                {"easting": 433600, "northing": 279000},
            ]
        },
    )

    # allow_inf_nan=False: NaN is "not a finite number", not "more than 90".
    lat: float | None = Field(
        None, ge=-90, le=90, allow_inf_nan=False, description="WGS84 latitude, degrees"
    )
    lon: float | None = Field(
        None, ge=-180, le=180, allow_inf_nan=False, description="WGS84 longitude, degrees"
    )
    easting: float | None = Field(
        None, ge=0, le=700_000, allow_inf_nan=False, description="British National Grid, m"
    )
    northing: float | None = Field(
        None, ge=0, le=1_300_000, allow_inf_nan=False, description="British National Grid, m"
    )
    postcode: Annotated[str, Field(min_length=1, max_length=16)] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        given = [
            name
            for name, fields in (
                ("lat/lon", (self.lat, self.lon)),
                ("easting/northing", (self.easting, self.northing)),
                ("postcode", (self.postcode,)),
            )
            if any(value is not None for value in fields)
        ]
        if len(given) != 1:
            raise ValueError(
                "Expected exactly one of {lat, lon}, {easting, northing} or {postcode}, "
                f"got {', '.join(given) or 'none'}."
            )
        if given[0] == "lat/lon" and (self.lat is None or self.lon is None):
            raise ValueError("Expected both lat and lon.")
        if given[0] == "easting/northing" and (self.easting is None or self.northing is None):
            raise ValueError("Expected both easting and northing.")
        return self

    def allocate(self, area: Area) -> Allocation:
        if self.postcode is not None:
            return area.allocate_postcode(self.postcode)
        if self.lat is not None and self.lon is not None:
            return area.allocate_lat_lon(self.lat, self.lon)
        assert self.easting is not None and self.northing is not None
        return area.allocate_bng(self.easting, self.northing)


class WardOut(BaseModel):
    code: str
    name: str


class ProviderRef(BaseModel):
    id: str
    name: str


class ZoneOut(BaseModel):
    code: str
    provider: ProviderRef


class AllocationOut(BaseModel):
    """Where a point falls. Out of area, the ward and zones are the nearest ones."""

    in_area: bool
    ward: WardOut
    day_zone: ZoneOut
    night_zone: ZoneOut
    distance_m: float = Field(description="0 in area; else metres to the nearest ward")
    lat: float
    lon: float
    easting: float
    northing: float
    postcode: str | None = None
    boundary_version: str

    @classmethod
    def from_domain(cls, allocation: Allocation, area: Area, postcode: str | None = None) -> Self:
        council = area.council

        def zone(code: str, provider_id: str) -> ZoneOut:
            provider = council.provider(provider_id)
            return ZoneOut(code=code, provider=ProviderRef(id=provider.id, name=provider.name))

        return cls(
            in_area=allocation.in_area,
            ward=WardOut(code=allocation.ward.code, name=allocation.ward.name),
            day_zone=zone(allocation.day_zone.code, allocation.day_zone.provider_id),
            night_zone=zone(allocation.night_zone.code, allocation.night_zone.provider_id),
            distance_m=allocation.distance_m,
            lat=round(allocation.lat, 6),
            lon=round(allocation.lon, 6),
            easting=round(allocation.point.easting_m, 2),
            northing=round(allocation.point.northing_m, 2),
            postcode=postcode,
            boundary_version=area.version,
        )


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # Any JSON value: an item that is not an object gets its own error, in its place.
    items: list[object] = Field(max_length=MAX_BATCH, description="Up to 10,000 items")


class ItemError(BaseModel):
    status: int
    code: str
    message: str
    fields: list[dict[str, str]] = []


class BatchItemOut(BaseModel):
    index: int
    allocation: AllocationOut | None = None
    error: ItemError | None = None


class BatchOut(BaseModel):
    items: list[BatchItemOut]
    boundary_version: str
