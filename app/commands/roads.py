"""``carezones roads build --osm FILE [-o GRAPHML]``: the drive graph for the night planner."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from app.settings import PROJECT_ROOT, get_settings
from routing.roads import build_graph, save_graph

roads_app = typer.Typer(help="Road network for travel times.", no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True)


@roads_app.command("build")
def build(
    osm: Path = typer.Option(
        ..., "--osm", exists=True, dir_okay=False, help=".osm.pbf (pyrosm) or .osm XML (osmnx)"
    ),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="GraphML file to write [default: var/roads/<council>.graphml]"
    ),
) -> None:
    """Build the drive graph with night travel times and save it as GraphML.

    Point the service at it with CAREZONES_ROAD_GRAPH_PATH=<file>.
    """
    if output is None:  # var/ is not committed: a graph is built where it is used
        output = PROJECT_ROOT / "var" / "roads" / f"{get_settings().council}.graphml"
    with err.status(f"Building the drive graph from {osm.name}"):
        graph = build_graph(osm)  # an unreadable file: one line from app.cli.main
        path = save_graph(graph, output)
    err.print(
        f"Wrote {path}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges. "
        f"Set CAREZONES_ROAD_GRAPH_PATH={path} to plan on it."
    )
