"""A council's whole geography, loaded once: wards, zones, the grid index and postcodes.

This is what the API, the command line and the benchmarks call.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import shapely
from numpy.typing import NDArray

from geo.boundaries import WardBoundaries, load_wards
from geo.coords import bng_to_lat_lon, check_bng, lat_lon_to_bng
from geo.council import Council, load_council
from geo.errors import CouncilConfigError
from geo.grid import OUTSIDE, GridIndex
from geo.postcodes import PostcodeTable
from geo.types import Allocation, BngPoint


@dataclass(frozen=True, eq=False)
class Area:
    """Everything needed to allocate a point for one council."""

    council: Council
    boundaries: WardBoundaries
    grid: GridIndex
    postcodes: PostcodeTable | None
    day_zone_shapes: dict[str, shapely.Geometry]
    night_zone_shapes: dict[str, shapely.Geometry]

    @property
    def version(self) -> str:
        """The boundary data's version, as stated in every answer."""
        return self.boundaries.version

    def allocate_bng(self, easting: float, northing: float) -> Allocation:
        """Allocate a British National Grid point (metres)."""
        check_bng(easting, northing)
        return self._allocate(BngPoint(easting, northing), None)

    def allocate_lat_lon(self, lat: float, lon: float) -> Allocation:
        """Allocate a WGS84 point (degrees)."""
        point = lat_lon_to_bng(lat, lon)
        return self._allocate(point, (lat, lon))

    def allocate_postcode(self, postcode: str) -> Allocation:
        """Allocate a postcode through the offline table."""
        if self.postcodes is None:
            raise CouncilConfigError(f"Council {self.council.id} has no postcode table.")
        record = self.postcodes.lookup(postcode)
        return self._allocate(record.point, (record.lat, record.lon))

    def locate_many(
        self, easting: NDArray[np.float64], northing: NDArray[np.float64]
    ) -> NDArray[np.int16]:
        """Ward index (into ``boundaries.wards``) of many BNG points; -1 outside. Unchecked."""
        return self.grid.locate(easting, northing)

    def zone_distances_m(self, point: BngPoint) -> dict[str, float]:
        """Distance in metres from the point to each day zone (0 inside)."""
        geom = shapely.Point(point.easting_m, point.northing_m)
        return {code: float(shape.distance(geom)) for code, shape in self.day_zone_shapes.items()}

    def allocation_for_ward(
        self, index: int, point: BngPoint, lat_lon: tuple[float, float] | None, distance_m: float
    ) -> Allocation:
        ward = self.boundaries.wards[index]
        day_zone = self.council.day_zone_of_ward(ward.code)
        lat, lon = lat_lon if lat_lon is not None else bng_to_lat_lon(point)
        return Allocation(
            in_area=distance_m == 0,
            ward=ward,
            day_zone=day_zone,
            night_zone=self.council.night_zone_of_day_zone(day_zone.code),
            point=point,
            lat=lat,
            lon=lon,
            distance_m=distance_m,
        )

    def _allocate(self, point: BngPoint, lat_lon: tuple[float, float] | None) -> Allocation:
        index = int(self.grid.locate(np.array([point.easting_m]), np.array([point.northing_m]))[0])
        if index != OUTSIDE:
            return self.allocation_for_ward(index, point, lat_lon, 0.0)
        geom = shapely.Point(point.easting_m, point.northing_m)
        distances = shapely.distance(self.boundaries.polygons_bng, geom)
        nearest = int(np.argmin(distances))
        # Keep a strictly positive distance: a point outside is never "0 m away".
        distance = max(float(distances[nearest]), 0.01)
        return self.allocation_for_ward(nearest, point, lat_lon, round(distance, 2))


def load_area(council_file: Path, *, data_dir: Path) -> Area:
    """Load a council's configuration, its ward boundaries and its postcodes."""
    try:
        raw = tomllib.loads(council_file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CouncilConfigError(f"{council_file}: cannot be read ({exc.strerror}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise CouncilConfigError(f"{council_file}: is not valid TOML ({exc}).") from exc
    spec = raw.get("boundaries")
    if not isinstance(spec, dict) or "file" not in spec:
        raise CouncilConfigError(f"{council_file}: expected a [boundaries] table with a file.")
    boundaries = load_wards(
        data_dir / spec["file"],
        code_property=spec.get("code_property", "WD13CD"),
        name_property=spec.get("name_property", "WD13NM"),
    )
    council = load_council(council_file, boundaries.wards)
    postcodes = None
    if "postcodes" in raw:
        postcodes = PostcodeTable.load(data_dir / raw["postcodes"]["file"])
    polygons = boundaries.polygons_bng
    index = {ward.code: i for i, ward in enumerate(boundaries.wards)}
    day_shapes = {
        zone.code: shapely.union_all(polygons[[index[c] for c in zone.ward_codes]])
        for zone in council.day_zones
    }
    night_shapes = {
        zone.code: shapely.union_all([day_shapes[c] for c in zone.day_zone_codes])
        for zone in council.night_zones
    }
    return Area(
        council=council,
        boundaries=boundaries,
        grid=GridIndex.build(polygons),
        postcodes=postcodes,
        day_zone_shapes=day_shapes,
        night_zone_shapes=night_shapes,
    )
