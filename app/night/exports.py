"""A stored plan as GeoJSON, CSV and a printable HTML run sheet (one page per crew)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app import spreadsheet
from app.schemas.night_plans import PlanOut
from routing.export import CSV_FIELDS, plan_geojson, plan_rows
from routing.night import LONDON
from routing.types import Plan

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True
)
CSV_EXTRA = ("label", "requested", "notes")
CLOCK_COLUMNS = ("arrival", "start", "finish")


def clock(moment: datetime) -> str:
    """Local ``HH:MM``, with ``BST``/``GMT`` when the clock time happens twice that night."""
    local = moment.astimezone(LONDON)
    text = local.strftime("%H:%M")
    other = local.replace(tzinfo=None, fold=1 - local.fold).replace(tzinfo=LONDON)
    if other.utcoffset() != local.utcoffset():
        text += f" {local.tzname()}"
    return text


_env.filters["clock"] = clock


def geojson(plan: Plan, plan_id: int) -> dict[str, Any]:
    """RFC 7946 FeatureCollection (longitude first); no personal labels, visit ids only."""
    data = plan_geojson(plan)
    # Foreign members (RFC 7946 section 6.1): which plan, and how travel was estimated.
    data["plan_id"] = plan_id
    data["travel_source"] = plan.travel_source
    return data


def _requested(meta: dict[str, Any]) -> str:
    """The time asked for, marked ``BST``/``GMT`` like the others in the repeated hour."""
    if "requested_at" in meta:
        return clock(datetime.fromisoformat(meta["requested_at"]))
    return str(meta.get("requested_time", ""))


def csv_text(plan: Plan, meta: dict[str, dict[str, Any]]) -> str:
    """One row per stop, local clock times (``BST``/``GMT`` added in the repeated hour),
    with the person and requested time for the crew; spreadsheet-safe (see
    :mod:`app.spreadsheet`)."""
    stops = {s.visit_id: s for r in plan.routes for s in r.stops}
    rows = []
    for row in plan_rows(plan):
        m = meta.get(row["visit"], {})
        stop = stops[row["visit"]]
        rows.append(
            {
                **row,
                "arrival": clock(stop.arrival_at),
                "start": clock(stop.start_at),
                "finish": clock(stop.finish_at),
                "label": m.get("label", ""),
                "requested": _requested(m),
                "notes": m.get("notes", ""),
            }
        )
    return spreadsheet.csv_text((*CSV_FIELDS, *CSV_EXTRA), rows)


def runsheet_html(plan: PlanOut, council_name: str) -> str:
    """Printable HTML: one page per car (CSS page breaks), no external assets."""
    return _env.get_template("night/runsheet.html").render(plan=plan, council=council_name)
