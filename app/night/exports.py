"""A stored plan as GeoJSON, CSV and a printable HTML run sheet (one page per crew)."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from app.schemas.night_plans import PlanOut
from routing.export import CSV_FIELDS, plan_geojson, plan_rows
from routing.types import Plan

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_env = Environment(
    loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]), trim_blocks=True
)
CSV_EXTRA = ("label", "requested", "notes")


def geojson(plan: Plan, plan_id: int) -> dict[str, Any]:
    """RFC 7946 FeatureCollection (longitude first); no personal labels, visit ids only."""
    data = plan_geojson(plan)
    # Foreign members (RFC 7946 section 6.1): which plan, and how travel was estimated.
    data["plan_id"] = plan_id
    data["travel_source"] = plan.travel_source
    return data


def csv_text(plan: Plan, meta: dict[str, dict[str, Any]]) -> str:
    """One row per stop, local clock times, with the person and requested time for the crew."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=(*CSV_FIELDS, *CSV_EXTRA), lineterminator="\n")
    writer.writeheader()
    for row in plan_rows(plan):
        m = meta.get(row["visit"], {})
        writer.writerow(
            {
                **row,
                "label": m.get("label", ""),
                "requested": m.get("requested_time", ""),
                "notes": m.get("notes", ""),
            }
        )
    return out.getvalue()


def runsheet_html(plan: PlanOut, council_name: str) -> str:
    """Printable HTML: one page per car (CSS page breaks), no external assets."""
    return _env.get_template("night/runsheet.html").render(plan=plan, council=council_name)
