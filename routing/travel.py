"""Travel times: one interface, two implementations (straight line here, roads in ``roads``).

Every plan names the :attr:`TravelSource.source` it used, so a coordinator can tell
an estimate from a road-network answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from routing.errors import TravelSourceError
from routing.types import Point, TravelMatrix

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), metres."""

DEFAULT_CIRCUITY = 1.35
"""Road distance / great-circle distance; typical of British urban road networks."""

DEFAULT_NIGHT_SPEED_KMH = 40.0
"""Mean door-to-door speed at night. Coventry's roads are mostly 30 mph (48 km/h) with
40-50 mph ring and radial roads and little traffic at night; junctions, parking and
finding the door bring the door-to-door mean below the posted 30 mph, hence 40 km/h."""


@runtime_checkable
class TravelSource(Protocol):
    """Anything that turns points into a :class:`TravelMatrix`."""

    @property
    def source(self) -> str:
        """Human-readable name of the method, copied into every plan."""
        ...

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        """Travel durations and distances between every pair of ``points``."""
        ...


def haversine_m(a: Point, b: Point) -> float:
    """Great-circle distance in metres between two WGS84 points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def haversine_matrix_m(points: Sequence[Point]) -> np.ndarray:
    """Great-circle distances in metres between all pairs, as a float array."""
    lat = np.radians(np.array([p.lat for p in points], dtype=float))
    lon = np.radians(np.array([p.lon for p in points], dtype=float))
    dlat = lat[None, :] - lat[:, None]
    dlon = lon[None, :] - lon[:, None]
    h = np.sin(dlat / 2) ** 2 + np.cos(lat)[:, None] * np.cos(lat)[None, :] * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.minimum(1.0, np.sqrt(h))))


@dataclass(frozen=True)
class StraightLine:
    """Estimate: great-circle distance × ``circuity`` driven at ``speed_kmh``.

    Distances round to whole metres and durations to whole seconds, so the matrix
    is symmetric with a zero diagonal.
    """

    circuity: float = DEFAULT_CIRCUITY
    speed_kmh: float = DEFAULT_NIGHT_SPEED_KMH

    def __post_init__(self) -> None:
        if not 1.0 <= self.circuity <= 3.0:
            msg = f"Expected 1 <= circuity <= 3, got {self.circuity}."
            raise TravelSourceError(msg)
        if not 5.0 <= self.speed_kmh <= 130.0:
            msg = f"Expected 5 <= speed_kmh <= 130, got {self.speed_kmh}."
            raise TravelSourceError(msg)

    @property
    def source(self) -> str:
        """``straight_line(circuity=1.35, speed_kmh=40)``."""
        return f"straight_line(circuity={self.circuity:g}, speed_kmh={self.speed_kmh:g})"

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        """Estimated travel between all pairs of ``points``."""
        road_m = haversine_matrix_m(points) * self.circuity
        duration = np.rint(road_m / (self.speed_kmh / 3.6)).astype(np.int64)
        distance = np.rint(road_m).astype(np.int64)
        return TravelMatrix(duration_s=duration, distance_m=distance, source=self.source)


_STRAIGHT_LINE = re.compile(r"^straight_line\(circuity=([\d.]+), speed_kmh=([\d.]+)\)$")


def describe_source(source: str) -> str:
    """A travel source id (``StraightLine.source``, ``RoadNetwork.source``) in plain
    words, for run sheets and pages; an id it does not know comes back as it is."""
    found = _STRAIGHT_LINE.match(source)
    if found:
        circuity, speed = found.groups()
        return (
            f"estimated, not from roads: straight-line distance × {circuity} at {speed} km/h, "
            "because no road network is configured"
        )
    if source.startswith("road_network:"):
        name = source.removeprefix("road_network:")
        return f"shortest drives on the OpenStreetMap road network ({name})"
    return source


def travel_source(
    graph_path: str | Path | None,
    *,
    circuity: float = DEFAULT_CIRCUITY,
    speed_kmh: float = DEFAULT_NIGHT_SPEED_KMH,
) -> TravelSource:
    """The travel source for a deployment: the road graph if configured, else the estimate.

    Parameters
    ----------
    graph_path
        A GraphML file written by :func:`routing.roads.save_graph`, or ``None``.
    circuity, speed_kmh
        Parameters of the straight-line estimate, used when ``graph_path`` is ``None``.

    Raises
    ------
    TravelSourceError
        If ``graph_path`` is given but cannot be loaded.
    """
    if graph_path is None:
        return StraightLine(circuity=circuity, speed_kmh=speed_kmh)
    from routing.roads import RoadNetwork  # heavy imports only when a graph is used

    path = Path(graph_path)
    if not path.is_file():
        msg = f"Expected a GraphML road graph file, got missing path {str(path)!r}."
        raise TravelSourceError(msg)
    return RoadNetwork.from_graphml(path)
