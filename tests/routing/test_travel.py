from __future__ import annotations

import math
from pathlib import Path

import pyrosm
import pytest

from routing.errors import TravelSourceError
from routing.roads import RoadNetwork, build_graph, load_graph, parse_maxspeed, save_graph
from routing.travel import (
    StraightLine,
    TravelSource,
    describe_source,
    haversine_m,
    travel_source,
)
from routing.types import Point

DATA = Path(__file__).parent / "data"


def test_straight_line_hand_checked() -> None:
    # 0.01 degree of latitude = 1,111.95 m; x 1.35 = 1,501.1 m; at 40 km/h (11.11 m/s) = 135.1 s
    a, b = Point(52.40, -1.50), Point(52.41, -1.50)
    m = StraightLine().matrix([a, b])
    assert abs(haversine_m(a, b) - 1111.95) < 0.1
    assert m.distance_m[0, 1] == 1501 and m.duration_s[0, 1] == 135
    assert m.duration_s[0, 0] == 0 and m.source == "straight_line(circuity=1.35, speed_kmh=40)"


def test_each_source_is_described_in_plain_words() -> None:
    assert describe_source(StraightLine(circuity=1.5, speed_kmh=32).source) == (
        "estimated, not from roads: straight-line distance × 1.5 at 32 km/h, "
        "because no road network is configured"
    )
    assert describe_source("road_network:coventry.graphml") == (
        "shortest drives on the OpenStreetMap road network (coventry.graphml)"
    )
    assert describe_source("something else") == "something else"


def test_travel_source_without_graph_is_straight_line() -> None:
    src = travel_source(None)
    assert isinstance(src, TravelSource) and src.source.startswith("straight_line")
    with pytest.raises(TravelSourceError):
        travel_source("/nonexistent/graph.graphml")
    with pytest.raises(ValueError, match="circuity"):
        StraightLine(circuity=0.5)


@pytest.mark.parametrize(
    ("value", "kmh"),
    [
        ("30 mph", 48.28),
        ("50", 50.0),
        ("50 km/h", 50.0),
        ("GB:nsl_single", 96.56),
        ("FI:urban", 50.0),
        (["30 mph", "40 mph"], 48.28),
        ("['30 mph', '40 mph']", 48.28),
        ("30;50", 30.0),
        ("none", None),
        (None, None),
        (math.nan, None),
    ],
)
def test_parse_maxspeed(value: object, kmh: float | None) -> None:
    got = parse_maxspeed(value)
    assert got == kmh if kmh is None else abs(got - kmh) < 0.01  # type: ignore[operator]


@pytest.fixture(scope="module")
def pbf_graph():  # type: ignore[no-untyped-def]
    return build_graph(pyrosm.get_data("test_pbf"))


def test_graph_from_real_pyrosm_extract(pbf_graph) -> None:  # type: ignore[no-untyped-def]
    assert pbf_graph.number_of_nodes() > 100
    assert all(d["travel_time"] > 0 for _, _, d in pbf_graph.edges(data=True))
    network = RoadNetwork(pbf_graph, "test.osm.pbf")
    # two points inside the extract (Kotka, Finland)
    m = network.matrix([Point(60.522, 26.940), Point(60.535, 26.960)])
    assert m.source == "road_network:test.osm.pbf"
    assert 60 < m.duration_s[0, 1] < 1200 and 60 < m.duration_s[1, 0] < 1200
    # road distance is at least the straight-line distance (1.7 km here)
    assert m.distance_m[0, 1] >= haversine_m(Point(60.522, 26.940), Point(60.535, 26.960))


def test_graphml_round_trip(pbf_graph, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = save_graph(pbf_graph, tmp_path / "kotka.graphml")
    loaded = load_graph(path)
    assert loaded.number_of_nodes() == pbf_graph.number_of_nodes()
    pts = [Point(60.522, 26.940), Point(60.535, 26.960), Point(60.530, 26.950)]
    before = RoadNetwork(pbf_graph, "x").matrix(pts)
    after = travel_source(path).matrix(pts)
    assert (before.duration_s == after.duration_s).all()
    assert after.source == "road_network:kotka.graphml"


def test_graph_from_osm_xml_skips_footways() -> None:
    graph = build_graph(DATA / "tiny_grid.osm")
    assert "footway" not in str([d["highway"] for _, _, d in graph.edges(data=True)])
    # the ring 1-2-3-4-1 survives; 20 mph = 32.19 km/h is the slowest posted speed
    assert graph.number_of_nodes() >= 2
    speeds = [d["speed_kph"] for _, _, d in graph.edges(data=True)]
    assert min(speeds) < 45.0
    m = RoadNetwork(graph, "tiny_grid.osm").matrix([Point(52.408, -1.51), Point(52.414, -1.50)])
    assert m.duration_s[0, 1] > 0


def test_bad_osm_path() -> None:
    with pytest.raises(TravelSourceError, match="missing"):
        build_graph("/nonexistent.osm.pbf")
