"""Loading ward boundaries from GeoJSON, with checks, into British National Grid.

A file is accepted only if it is GeoJSON in WGS84 (RFC 7946; the legacy
``crs`` member may name CRS84 or EPSG:4326) or in EPSG:27700, each ward
polygon is valid, codes are unique, and the wards neither overlap nor leave
gaps between them. Any failure raises :class:`BoundaryFileError` naming the
file and the problem.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray
from pyproj import Transformer
from shapely.geometry import shape

from geo.errors import BoundaryFileError
from geo.types import Ward

WGS84_NAMES = {
    "urn:ogc:def:crs:OGC:1.3:CRS84",
    "urn:ogc:def:crs:OGC::CRS84",
    "urn:ogc:def:crs:EPSG::4326",
    "EPSG:4326",
}
BNG_NAMES = {"urn:ogc:def:crs:EPSG::27700", "EPSG:27700"}
# Below these areas, overlaps and gaps are treated as rounding noise (m²).
OVERLAP_TOLERANCE_M2 = 1.0
GAP_TOLERANCE_M2 = 1.0


@dataclass(frozen=True)
class WardBoundaries:
    """Ward polygons in EPSG:27700, sorted by ONS code.

    ``version`` identifies the data: the file name and the first 12 hex digits
    of its SHA-256, so an answer can say which boundaries produced it.
    """

    wards: tuple[Ward, ...]
    polygons_bng: NDArray[np.object_]
    version: str
    source: Path

    def index_of(self, code: str) -> int:
        """Position of the ward with this ONS code."""
        for i, ward in enumerate(self.wards):
            if ward.code == code:
                return i
        raise KeyError(code)


def _crs_of(doc: dict[str, Any], path: Path) -> str:
    crs = doc.get("crs")
    if crs is None:
        return "WGS84"  # RFC 7946: GeoJSON without a crs member is WGS84.
    name = str(crs.get("properties", {}).get("name", ""))
    if name in WGS84_NAMES:
        return "WGS84"
    if name in BNG_NAMES:
        return "BNG"
    raise BoundaryFileError(
        f"{path}: expected CRS WGS84 (CRS84/EPSG:4326) or EPSG:27700, got {name or crs!r}."
    )


def load_wards(path: Path, *, code_property: str, name_property: str) -> WardBoundaries:
    """Load and check a ward boundary file.

    Parameters
    ----------
    path
        GeoJSON FeatureCollection of ward polygons.
    code_property, name_property
        Feature properties holding the ONS code and the ward name (``WD13CD``, ``WD13NM``).

    Returns
    -------
    WardBoundaries
        Polygons in EPSG:27700, sorted by code.
    """
    try:
        raw = path.read_bytes()
        doc = json.loads(raw)
    except OSError as exc:
        raise BoundaryFileError(f"{path}: cannot be read ({exc.strerror}).") from exc
    except ValueError as exc:
        raise BoundaryFileError(f"{path}: is not valid JSON ({exc}).") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise BoundaryFileError(f"{path}: expected a GeoJSON FeatureCollection.")
    crs = _crs_of(doc, path)
    features = doc.get("features") or []
    if not features:
        raise BoundaryFileError(f"{path}: holds no features.")

    rows: list[tuple[Ward, Any]] = []
    for n, feature in enumerate(features):
        props = feature.get("properties") or {}
        code, name = props.get(code_property), props.get(name_property)
        if not code or not name:
            raise BoundaryFileError(
                f"{path}: feature {n} lacks {code_property!r} or {name_property!r}."
            )
        try:
            geom = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BoundaryFileError(
                f"{path}: ward {code} has no readable geometry ({exc})."
            ) from exc
        if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
            raise BoundaryFileError(f"{path}: ward {code} is a {geom.geom_type}, not a polygon.")
        rows.append((Ward(code=str(code), name=str(name)), geom))

    codes = [ward.code for ward, _ in rows]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise BoundaryFileError(f"{path}: ward codes appear more than once: {duplicates}.")
    rows.sort(key=lambda row: row[0].code)
    geoms = np.array([geom for _, geom in rows], dtype=object)
    if crs == "WGS84":
        bounds = shapely.total_bounds(geoms)
        if not (-180 <= bounds[0] <= bounds[2] <= 180 and -90 <= bounds[1] <= bounds[3] <= 90):
            raise BoundaryFileError(
                f"{path}: says WGS84 but its coordinates {bounds.tolist()} are not degrees."
            )
        transformer = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
        geoms = shapely.transform(geoms, lambda xy: np.column_stack(transformer.transform(*xy.T)))
    _check_topology(path, [ward for ward, _ in rows], geoms)
    version = f"{path.name}#sha256:{hashlib.sha256(raw).hexdigest()[:12]}"
    return WardBoundaries(
        wards=tuple(ward for ward, _ in rows), polygons_bng=geoms, version=version, source=path
    )


def _check_topology(path: Path, wards: list[Ward], geoms: NDArray[np.object_]) -> None:
    for ward, geom in zip(wards, geoms, strict=True):
        if not shapely.is_valid(geom):
            reason = shapely.is_valid_reason(geom)
            raise BoundaryFileError(f"{path}: ward {ward.code} ({ward.name}) is invalid: {reason}.")
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i < j:
            area = shapely.area(shapely.intersection(geoms[i], geoms[j]))
            if area > OVERLAP_TOLERANCE_M2:
                raise BoundaryFileError(
                    f"{path}: wards {wards[i].code} and {wards[j].code} overlap by {area:.0f} m²."
                )
    union = shapely.union_all(geoms)
    parts = shapely.get_parts(union)
    for part in parts:
        for ring in part.interiors:
            hole = shapely.Polygon(ring)
            if hole.area > GAP_TOLERANCE_M2:
                x, y = hole.representative_point().coords[0]
                raise BoundaryFileError(
                    f"{path}: a gap of {hole.area:.0f} m² lies between wards near "
                    f"easting {x:.0f}, northing {y:.0f}."
                )
