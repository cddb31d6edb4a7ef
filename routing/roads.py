"""Road-network travel times from an OpenStreetMap file.

Build a drive graph (``.osm.pbf`` through pyrosm, ``.osm`` XML through osmnx), give
every edge a night travel time, cache it as GraphML, snap points to the nearest
node and answer many-to-many queries with ``scipy.sparse.csgraph.dijkstra``.
"""

from __future__ import annotations

import ast
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra
from scipy.spatial import cKDTree

from routing.errors import TravelSourceError
from routing.travel import EARTH_RADIUS_M, haversine_m
from routing.types import Point, TravelMatrix

MPH_TO_KMH = 1.609344

NIGHT_SPEED_KMH: dict[str, float] = {
    "motorway": 100.0,
    "trunk": 80.0,
    "primary": 55.0,
    "secondary": 50.0,
    "tertiary": 45.0,
    "unclassified": 40.0,
    "residential": 32.0,
    "living_street": 15.0,
    "service": 15.0,
    "road": 30.0,
}
"""Night driving speeds (km/h) by ``highway`` tag when ``maxspeed`` is missing.

Empty night roads let a car run near the limit on main roads; residential and
service roads stay slow (parked cars, speed humps, 20 mph zones).
``*_link`` roads take 70% of their parent's speed."""

FALLBACK_SPEED_KMH = 30.0
"""Speed for an untagged or unknown highway type."""

ACCESS_SPEED_KMH = 15.0
"""Speed for the stretch between a point and its nearest graph node."""

_NAMED_SPEEDS_KMH = {
    "gb:nsl_single": 60 * MPH_TO_KMH,
    "gb:nsl_dual": 70 * MPH_TO_KMH,
    "gb:motorway": 70 * MPH_TO_KMH,
    "uk:nsl_single": 60 * MPH_TO_KMH,
    "uk:nsl_dual": 70 * MPH_TO_KMH,
    "walk": 6.0,
    "living_street": 15.0,
}
_NUMBER = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?\s*$")
_URBAN = re.compile(r"^[a-z]{2}:urban$")
_RURAL = re.compile(r"^[a-z]{2}:rural$")


def parse_maxspeed(value: object) -> float | None:
    """Parse an OSM ``maxspeed`` value into km/h, or ``None`` when it gives no speed.

    Understands ``"30 mph"``, ``"50"``, ``"50 km/h"``, ``"GB:nsl_single"``,
    ``"FI:urban"``, lists (``["30 mph", "40 mph"]`` or its string form from GraphML,
    and ``"30;40"``), taking the lowest speed in a list.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, list | tuple):
        speeds = [s for s in (parse_maxspeed(v) for v in value) if s is not None]
        return min(speeds) if speeds else None
    text = str(value).strip().lower()
    if text.startswith("["):
        try:
            items = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return None
        return parse_maxspeed(list(items)) if isinstance(items, list) else None
    if ";" in text or "|" in text:
        return parse_maxspeed(re.split(r"[;|]", text))
    match = _NUMBER.match(text)
    if match:
        speed = float(match.group(1))
        speed = speed * MPH_TO_KMH if match.group(2) == "mph" else speed
        return speed if speed > 0 else None
    if text in _NAMED_SPEEDS_KMH:
        return _NAMED_SPEEDS_KMH[text]
    if _URBAN.match(text):
        return 50.0
    if _RURAL.match(text):
        return 80.0
    return None


def highway_speed_kmh(highway: object) -> float:
    """Default night speed for a ``highway`` tag (a string or a list of them)."""
    if isinstance(highway, list | tuple):
        return max((highway_speed_kmh(h) for h in highway), default=FALLBACK_SPEED_KMH)
    text = str(highway).strip().lower()
    if text.startswith("["):
        try:
            items = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return FALLBACK_SPEED_KMH
        return highway_speed_kmh(list(items))
    if text.endswith("_link"):
        return 0.7 * NIGHT_SPEED_KMH.get(text.removesuffix("_link"), FALLBACK_SPEED_KMH)
    return NIGHT_SPEED_KMH.get(text, FALLBACK_SPEED_KMH)


def add_travel_times(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """Set ``speed_kph`` and ``travel_time`` (seconds) on every edge, in place.

    The speed is the posted ``maxspeed`` when it parses, capped by nothing, else the
    highway-type night default. Edges need a ``length`` in metres.
    """
    for _, _, data in graph.edges(data=True):
        length = float(data.get("length", 0.0))
        speed = parse_maxspeed(data.get("maxspeed"))
        if speed is None:
            speed = highway_speed_kmh(data.get("highway"))
        data["speed_kph"] = speed
        data["travel_time"] = length / (speed / 3.6)
    return graph


def _largest_strong_component(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    if graph.number_of_nodes() == 0:
        msg = "Expected a road graph with at least one drivable way, got none."
        raise TravelSourceError(msg)
    nodes = max(nx.strongly_connected_components(graph), key=len)
    return graph.subgraph(nodes).copy()


def build_graph(osm_path: str | Path) -> nx.MultiDiGraph:
    """Build the night drive graph from an OpenStreetMap file.

    Parameters
    ----------
    osm_path
        ``.osm.pbf`` (read with pyrosm) or ``.osm``/``.xml`` (read with osmnx).

    Returns
    -------
    networkx.MultiDiGraph
        The largest strongly connected part of the drivable network, in WGS84
        (``x`` = longitude, ``y`` = latitude), with ``length`` (m), ``speed_kph``
        and ``travel_time`` (s) on every edge.

    Raises
    ------
    TravelSourceError
        If the file is missing, of an unknown kind, unreadable (damaged or empty),
        or holds no drivable roads.
    """
    path = Path(osm_path)
    if not path.is_file():
        msg = f"Expected an OpenStreetMap file, got missing path {str(path)!r}."
        raise TravelSourceError(msg)
    name = path.name.lower()
    if not name.endswith((".pbf", ".osm", ".xml")):
        msg = f"Expected an .osm.pbf or .osm file, got {path.name!r}."
        raise TravelSourceError(msg)
    try:
        graph = _read_drive_network(path)
    except TravelSourceError:
        raise
    except Exception as exc:
        # pyrosm, protobuf, expat and osmnx each raise their own kinds on a damaged or
        # empty file; to the caller they all mean the same thing.
        msg = (
            f"Expected a readable OpenStreetMap file, got {path.name}: {type(exc).__name__}: {exc}"
        )
        raise TravelSourceError(msg) from exc
    graph = _largest_strong_component(graph)
    graph.graph.setdefault("crs", "EPSG:4326")
    graph.graph["carezones_source"] = path.name
    return add_travel_times(graph)


def _read_drive_network(path: Path) -> nx.MultiDiGraph:
    """The drivable roads of an ``.osm.pbf`` (pyrosm) or ``.osm`` XML file (osmnx)."""
    if path.name.lower().endswith(".pbf"):
        import pyrosm

        osm = pyrosm.OSM(str(path))
        network = osm.get_network(network_type="driving", nodes=True)
        if network is None:
            msg = f"Expected drivable roads in {path.name}, got none."
            raise TravelSourceError(msg)
        nodes, edges = network
        return osm.to_graph(nodes, edges, graph_type="networkx", osmnx_compatible=True)
    import osmnx as ox

    graph = ox.graph_from_xml(path, retain_all=True)
    drivable = {
        (u, v, k)
        for u, v, k, d in graph.edges(keys=True, data=True)
        if _is_drivable(d.get("highway"))
    }
    return graph.edge_subgraph(drivable).copy()


_NOT_DRIVABLE = {
    "footway",
    "cycleway",
    "path",
    "pedestrian",
    "steps",
    "track",
    "bridleway",
    "corridor",
    "proposed",
    "construction",
    "platform",
}


def _is_drivable(highway: object) -> bool:
    if highway is None:
        return False
    values = highway if isinstance(highway, list) else [highway]
    return any(str(v) not in _NOT_DRIVABLE for v in values)


def save_graph(graph: nx.MultiDiGraph, path: str | Path) -> Path:
    """Write ``graph`` as GraphML (osmnx format) and return the path."""
    import osmnx as ox

    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    ox.save_graphml(graph, out)
    return out


def load_graph(path: str | Path) -> nx.MultiDiGraph:
    """Read a GraphML road graph written by :func:`save_graph`."""
    import osmnx as ox

    src = Path(path)
    try:
        graph = ox.load_graphml(src)
    except (OSError, ValueError, KeyError) as exc:
        msg = f"Expected a GraphML road graph in {src.name!r}, got an unreadable file: {exc}"
        raise TravelSourceError(msg) from exc
    if graph.number_of_nodes() == 0:
        msg = f"Expected a road graph with nodes in {src.name!r}, got none."
        raise TravelSourceError(msg)
    if any("travel_time" not in d for _, _, d in graph.edges(data=True)):
        add_travel_times(graph)
    return graph


class RoadNetwork:
    """A :class:`~routing.travel.TravelSource` on a road graph.

    Each point snaps to its nearest node (KD-tree on a local equirectangular
    projection, accurate to well under a metre across a city), reached at
    :data:`ACCESS_SPEED_KMH`. Durations are time-shortest paths; distances are the
    lengths of those same paths.
    """

    def __init__(self, graph: nx.MultiDiGraph, name: str) -> None:
        if graph.number_of_nodes() == 0:
            msg = "Expected a road graph with nodes, got an empty graph."
            raise TravelSourceError(msg)
        self._name = name
        ids = list(graph.nodes)
        index = {node: i for i, node in enumerate(ids)}
        self._lon = np.array([float(graph.nodes[n]["x"]) for n in ids])
        self._lat = np.array([float(graph.nodes[n]["y"]) for n in ids])
        self._lat0 = math.radians(float(np.mean(self._lat)))
        self._tree = cKDTree(self._project(self._lat, self._lon))
        best: dict[tuple[int, int], tuple[float, float]] = {}
        for u, v, data in graph.edges(data=True):
            if u == v:
                continue
            key = (index[u], index[v])
            cand = (max(float(data["travel_time"]), 1e-3), float(data.get("length", 0.0)))
            if key not in best or cand < best[key]:
                best[key] = cand
        n = len(ids)
        rows = np.array([k[0] for k in best], dtype=np.int64)
        cols = np.array([k[1] for k in best], dtype=np.int64)
        times = np.array([v[0] for v in best.values()])
        lengths = np.array([v[1] for v in best.values()])
        self._time = csr_matrix((times, (rows, cols)), shape=(n, n))
        self._length = csr_matrix((lengths, (rows, cols)), shape=(n, n))
        self.node_count = n

    @classmethod
    def from_graphml(cls, path: str | Path) -> RoadNetwork:
        """Load a cached graph; the source reads ``road_network:<file name>``."""
        return cls(load_graph(path), Path(path).name)

    @classmethod
    def from_osm(cls, osm_path: str | Path) -> RoadNetwork:
        """Build straight from an OpenStreetMap file (no cache)."""
        return cls(build_graph(osm_path), Path(osm_path).name)

    @property
    def source(self) -> str:
        """``road_network:<file name>``."""
        return f"road_network:{self._name}"

    def _project(self, lat: npt.ArrayLike, lon: npt.ArrayLike) -> npt.NDArray[np.float64]:
        x = EARTH_RADIUS_M * np.radians(np.asarray(lon, dtype=float)) * math.cos(self._lat0)
        y = EARTH_RADIUS_M * np.radians(np.asarray(lat, dtype=float))
        return np.column_stack([x, y])

    def snap(self, points: Sequence[Point]) -> tuple[npt.NDArray[np.int64], list[float]]:
        """Nearest node index of each point and the great-circle metres to it."""
        xy = self._project([p.lat for p in points], [p.lon for p in points])
        _, idx = self._tree.query(xy)
        nodes = np.asarray(idx, dtype=np.int64)
        gaps = [
            haversine_m(p, Point(float(self._lat[i]), float(self._lon[i])))
            for p, i in zip(points, nodes, strict=True)
        ]
        return nodes, gaps

    def matrix(self, points: Sequence[Point]) -> TravelMatrix:
        """Travel durations (s) and distances (m) between all pairs of ``points``."""
        n = len(points)
        if n == 0:
            empty = np.zeros((0, 0), dtype=np.int64)
            return TravelMatrix(empty, empty.copy(), self.source)
        nodes, gaps = self.snap(points)
        sources, inverse = np.unique(nodes, return_inverse=True)
        times, preds = dijkstra(
            self._time, directed=True, indices=sources, return_predecessors=True
        )
        lengths = np.vstack([self._along(preds[k], int(s)) for k, s in enumerate(sources)])
        gap = np.asarray(gaps)
        access_s = gap / (ACCESS_SPEED_KMH / 3.6)
        t = times[inverse][:, nodes] + access_s[:, None] + access_s[None, :]
        d = lengths[inverse][:, nodes] + gap[:, None] + gap[None, :]
        if not np.all(np.isfinite(t)):
            msg = "Expected every point to reach every other on the road graph, got a gap."
            raise TravelSourceError(msg)
        np.fill_diagonal(t, 0.0)
        np.fill_diagonal(d, 0.0)
        return TravelMatrix(
            duration_s=np.rint(t).astype(np.int64),
            distance_m=np.rint(d).astype(np.int64),
            source=self.source,
        )

    def _along(self, pred: npt.NDArray[Any], root: int) -> npt.NDArray[np.float64]:
        """Metres from ``root`` to every node along the shortest-time tree ``pred``.

        Pointer doubling: each round adds the parent's partial sum and jumps to the
        grandparent, so a tree of depth D takes log2(D) vectorised rounds.
        """
        n = pred.shape[0]
        reached = pred >= 0
        parent = np.where(reached, pred, np.arange(n))
        weight = np.zeros(n)
        idx = np.nonzero(reached)[0]
        weight[idx] = np.asarray(self._length[parent[idx], idx]).ravel()
        while (parent != parent[parent]).any():
            weight, parent = weight + weight[parent], parent[parent]
        weight[parent != root] = np.inf
        weight[root] = 0.0
        return weight
