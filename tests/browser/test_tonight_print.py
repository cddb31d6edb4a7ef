"""The printed run sheets for a big night: landscape, one page per crew, rows kept whole.

The plan is made up here (checked against the API's own PlanOut schema) and served
to the page in place of GET /v1/night-plans/{id}, so a 48-visit night with long notes
needs no solve.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import datetime, timedelta
from typing import Any

from playwright.sync_api import expect

from app.schemas.night_plans import PlanOut
from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in

PLAN_ID = 990_001
START = datetime.fromisoformat("2026-11-10T22:00:00+00:00")
LONG_NOTE = (
    "Key safe 4321 by the back door; two carers; check the pressure mattress and fluid chart"
)
TRAVEL_NOTE = (
    "estimated, not from roads: straight-line distance × 1.35 at 40 km/h, because no "
    "road network is configured"
)


def _at(seconds: int) -> str:
    return (START + timedelta(seconds=seconds)).isoformat()


def long_label(car: int, k: int) -> str:
    """A person as a real night's run sheet names them: about 60 characters."""
    return f"Mrs Example-{car}-{k} O'Brien-Müller, {k + 1} Long Street Name Road, Flat {k}"


def big_plan(
    stops_per_car: int = 16,
    unassigned: int = 3,
    long_notes_every: int = 1,
    *,
    long_labels: bool = False,
    note: str = LONG_NOTE,
) -> dict[str, Any]:
    """Three cars with ``stops_per_car`` stops each (a visit every half hour); every
    ``long_notes_every``-th visit has ``note`` as its notes, the others short ones.
    ``long_labels`` names each person as a real night does (``long_label``)."""
    cars = []
    for c in range(1, 4):
        stops = []
        for k in range(stops_per_car):
            start = 900 + k * 1800
            stops.append(
                {
                    "order": k + 1,
                    "visit_id": f"c{c}v{k + 1}",
                    "user_id": None,
                    "label": long_label(c, k)
                    if long_labels
                    else f"Person {c}-{k + 1}, {10 + k} Long Street Name Road",
                    "notes": note if k % long_notes_every == 0 else "Two carers",
                    "zone": str(c),
                    "out_of_zone": False,
                    "strict": k % 3 == 0,
                    "fixed": False,
                    "lat": 52.40 + c / 100,
                    "lon": -1.51 - k / 1000,
                    "requested_at": _at(start),
                    "arrival_at": _at(start - 60),
                    "start_at": _at(start),
                    "finish_at": _at(start + 1200),
                    "departure_s": start - 600,
                    "arrival_s": start - 60,
                    "start_s": start,
                    "finish_s": start + 1200,
                    "leg_travel_s": 540,
                    "leg_distance_m": 6000,
                    "wait_s": 60,
                    "lateness_s": 0,
                    "beyond_tolerance_s": 0,
                }
            )
        end = 900 + stops_per_car * 1800
        cars.append(
            {
                "car_id": f"car-{c}",
                "zone": str(c),
                "provider": f"Zone {c}A provider",
                "base": {"lat": 52.4, "lon": -1.5},
                "base_label": f"Zone {c} base",
                "depart_base_at": _at(300),
                "depart_base_s": 300,
                "return_at": _at(end),
                "return_s": end,
                "return_travel_s": 600,
                "return_distance_m": 7000,
                "stops": stops,
                "crew_break": {
                    "start_at": _at(14_400),
                    "end_at": _at(15_600),
                    "start_s": 14_400,
                    "end_s": 15_600,
                    "after_order": 8,
                },
                "travel_s": 540 * stops_per_car,
                "distance_m": 6000 * stops_per_car,
                "wait_s": 60 * stops_per_car,
                "service_s": 1200 * stops_per_car,
                "lateness_s": 0,
                "out_of_zone_stops": 0,
            }
        )
    left = [
        {
            "visit_id": f"u{k}",
            "user_id": None,
            "label": f"Left Person {k}",
            "strict": k == 1,
            "reason": "no car can reach it inside its window (latest start 22:00, earliest "
            "arrival 22:04)",
        }
        for k in range(1, unassigned + 1)
    ]
    visits = 3 * stops_per_car + unassigned
    plan = {
        "id": PLAN_ID,
        "parent_id": None,
        "date": "2026-11-10",
        "night_start_at": START.isoformat(),
        "night_end_at": _at(32_400),
        "night_duration_s": 32_400,
        "created_at": _at(0),
        "travel_source": "straight_line(circuity=1.35, speed_kmh=40)",
        "travel_note": TRAVEL_NOTE,
        "settings": {},
        "cars": cars,
        "unassigned": left,
        "totals": {
            "visits": visits,
            "served": 3 * stops_per_car,
            "unassigned": unassigned,
            "strict_unassigned": 1 if unassigned else 0,
            "travel_s": 3 * 540 * stops_per_car,
            "distance_m": 3 * 6000 * stops_per_car,
            "wait_s": 0,
            "lateness_s": 0,
            "beyond_tolerance_s": 0,
            "out_of_zone_stops": 0,
        },
        "solver": {
            "first_solution": "LOCAL_CHEAPEST_INSERTION",
            "metaheuristic": "GUIDED_LOCAL_SEARCH",
            "solution_limit": 240,
            "status": "ROUTING_SUCCESS",
            "objective": 1,
            "wall_time_s": 1.0,
        },
        "changes": [],
    }
    checked: dict[str, Any] = PlanOut.model_validate(plan).model_dump(mode="json")
    return checked


def serve_plan(page: Any, plan: dict[str, Any]) -> None:
    """Answer GET /v1/night-plans/{id} with ``plan`` instead of the server."""
    body = json.dumps(plan)
    page.route(
        re.compile(rf"/v1/night-plans/{plan['id']}$"),
        lambda route: route.fulfill(status=200, content_type="application/json", body=body),
    )


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_a_48_visit_night_prints_one_landscape_page_per_crew(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.night_coordinator])
    serve_plan(page, big_plan())
    page.goto(f"/tonight/print?plan={PLAN_ID}")
    crews = page.locator("#runsheets section.cz-crew")
    expect(crews).to_have_count(3)
    sheets = page.locator("#runsheets")
    expect(crews.first).to_contain_text("Travel times: " + TRAVEL_NOTE)
    # The unassigned visits come last, with their reasons.
    left = page.locator("#runsheets section.cz-unassigned")
    expect(left).to_contain_text("Not assigned to any car (3)")
    expect(left.locator("tbody tr")).to_have_count(3)
    expect(left.locator("tbody tr").first).to_contain_text("Left Person 1")
    expect(left.locator("tbody tr").first).to_contain_text("Time-critical")
    expect(left.locator("tbody tr").first).to_contain_text("no car can reach it")
    assert sheets.locator("section").last.get_attribute("class") == "cz-unassigned"

    page.emulate_media(media="print")
    # Rows are kept whole and each crew starts a new page.
    styles = page.evaluate(
        """() => ({
          row: getComputedStyle(document.querySelector('.cz-runsheet tbody tr')).breakInside,
          crew: getComputedStyle(document.querySelectorAll('.cz-crew')[1]).breakBefore,
          left: getComputedStyle(document.querySelector('.cz-unassigned')).breakBefore,
        })"""
    )
    assert styles == {"row": "avoid", "crew": "page", "left": "page"}, styles
    check_page(page, "tonight-print-48")
    # Long notes get a wide column, not one word a line.
    page.set_viewport_size({"width": 1050, "height": 740})  # A4 landscape less margins, in px
    widths = page.evaluate(
        """() => {
          const row = document.querySelector('.cz-runsheet tbody tr');
          const notes = row.querySelector('.cz-notes').getBoundingClientRect();
          return {notes: notes.width, table: row.getBoundingClientRect().width,
                  height: row.getBoundingClientRect().height};
        }"""
    )
    assert widths["notes"] >= 0.3 * widths["table"], widths
    assert widths["height"] < 40, widths  # two lines of notes at most

    pdf = page.pdf(prefer_css_page_size=True)
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    assert box, "no MediaBox in the PDF"
    width, height = float(box.group(1)), float(box.group(2))
    assert width > height, f"expected landscape, got {width} x {height} pt"
    # 3 crews of 16 visits, a page each, and the unassigned visits on a page of their own.
    assert pdf_pages(pdf) == 4, f"expected 4 printed pages, got {pdf_pages(pdf)}"


def fit_of(crews: Any) -> list[float]:
    return [float(crews.nth(i).get_attribute("data-fit") or "0") for i in range(crews.count())]


def test_a_realistic_full_night_prints_one_page_per_crew(page: Any, server: Server) -> None:
    # 24 visits a crew, each person named as a real sheet names them (about 60
    # characters) and notes of about 85 characters on every visit (a third of them
    # "Time-critical; " too). The times and numbers take only the room they need, so
    # the people and notes take a line each at about 7.5 pt: a page per crew.
    sign_in(page, server.keys[Role.night_coordinator])
    serve_plan(page, big_plan(stops_per_car=24, long_labels=True))
    page.goto(f"/tonight/print?plan={PLAN_ID}")
    expect(page.locator("body")).to_have_attribute("data-plan-ready", "true")
    crews = page.locator("#runsheets section.cz-crew")
    expect(crews).to_have_count(3)
    expect(crews.first.locator("tbody tr").first).to_contain_text(long_label(1, 0))
    fits = fit_of(crews)
    # Shrunk, but no further than it must: above the floor (0.75), 7.4 pt type or more.
    assert all(0.78 <= f < 1 for f in fits), fits
    # On screen the sheets stay full size: the fit is for print only.
    assert (
        crews.first.evaluate("s => getComputedStyle(s.querySelector('table')).fontSize") == "19px"
    )  # GOV.UK's table type
    # The sheet's name in the table's head is for print only.
    expect(crews.first.locator("thead tr.cz-print-only")).to_be_hidden()
    pdf = page.pdf(prefer_css_page_size=True)
    # 3 crews of 24 visits, a page each, and the unassigned visits on a page of their own.
    assert pdf_pages(pdf) == 4, f"expected 4 printed pages, got {pdf_pages(pdf)} (fits {fits})"

    page.emulate_media(media="print")
    check_page(page, "tonight-print-24-realistic")
    # The times and numbers are narrow; the person and the notes get the rest.
    page.set_viewport_size({"width": 1062, "height": 740})  # 281 mm, the printed width
    widths = crews.first.evaluate(
        """s => {
          const width = c => s.querySelector('tbody td.cz-' + c).getBoundingClientRect().width;
          const table = s.querySelector('table').getBoundingClientRect().width;
          return {time: width('time'), num: width('num'), person: width('person'),
                  notes: width('notes'), table: table};
        }"""
    )
    assert 4 * widths["time"] + 2 * widths["num"] < 0.3 * widths["table"], widths
    assert widths["person"] + widths["notes"] > 0.7 * widths["table"], widths


def test_a_sheet_too_long_for_a_page_runs_on_with_the_car_named_on_the_next(
    page: Any, server: Server
) -> None:
    # Notes of 300 characters on every visit: too long even at the smallest readable
    # type. The sheet stops shrinking there and runs on to a second page, where the
    # table's head is repeated: the car's name, then the column headings.
    long_note = ("Ring the daughter before leaving; " * 10)[:300]
    sign_in(page, server.keys[Role.night_coordinator])
    serve_plan(page, big_plan(stops_per_car=24, long_labels=True, note=long_note))
    page.goto(f"/tonight/print?plan={PLAN_ID}")
    expect(page.locator("body")).to_have_attribute("data-plan-ready", "true")
    crews = page.locator("#runsheets section.cz-crew")
    expect(crews).to_have_count(3)
    assert fit_of(crews) == [0.75, 0.75, 0.75]
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf_pages(pdf) > 4, f"expected the sheets to run on, got {pdf_pages(pdf)} pages"

    # On screen the heading above the table names the car; the head's own row is hidden.
    name_rows = page.locator("#runsheets thead tr.cz-print-only")
    expect(name_rows).to_have_count(4)  # three crews and the unassigned visits
    expect(name_rows.first).to_be_hidden()
    page.emulate_media(media="print")
    heads = page.evaluate(
        """() => [...document.querySelectorAll('#runsheets table')].map(t => ({
          head: getComputedStyle(t.tHead).display,
          first: t.tHead.rows[0] === t.querySelector('tr.cz-print-only'),
          shown: getComputedStyle(t.tHead.rows[0]).display,
          name: t.tHead.rows[0].textContent,
          columns: t.tHead.rows[1].cells.length,
        }))"""
    )
    assert heads == [
        {
            "head": "table-header-group",
            "first": True,
            "shown": "table-row",
            "name": name,
            "columns": 9,
        }
        for name in ("Car 1 – night zone 1", "Car 2 – night zone 2", "Car 3 – night zone 3")
    ] + [
        {
            "head": "table-header-group",
            "first": True,
            "shown": "table-row",
            "name": "Not assigned to any car",
            "columns": 4,
        }
    ], heads
    expect(name_rows.first).to_be_visible()
    check_page(page, "tonight-print-run-on")
    if shutil.which("pdftotext"):  # where poppler is installed: read the printed pages
        text = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        second = text.split("\f")[1]
        assert second.strip().startswith("Car 1 – night zone 1"), second[:200]


def test_a_short_night_prints_at_full_size(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.night_coordinator])
    serve_plan(page, big_plan(stops_per_car=4))
    page.goto(f"/tonight/print?plan={PLAN_ID}")
    expect(page.locator("body")).to_have_attribute("data-plan-ready", "true")
    crews = page.locator("#runsheets section.cz-crew")
    assert fit_of(crews) == [1, 1, 1]
    page.emulate_media(media="print")
    assert (
        crews.first.evaluate("s => getComputedStyle(s.querySelector('table')).fontSize")
        == "12.6667px"
    )  # 9.5 pt
    assert pdf_pages(page.pdf(prefer_css_page_size=True)) == 4


def test_the_fit_waits_for_the_print_stylesheet(page: Any, server: Server) -> None:
    # The browser loads a print stylesheet without waiting for it. Measured before it
    # arrives, a sheet that fits at full size (16 visits) would be measured in the
    # screen's layout and shrunk to the floor.
    sign_in(page, server.keys[Role.night_coordinator])
    serve_plan(page, big_plan())
    held: list[Any] = []
    page.route("**/static/css/print.css", lambda route: held.append(route))
    with page.expect_response(re.compile(rf"/v1/night-plans/{PLAN_ID}$")):
        page.goto(f"/tonight/print?plan={PLAN_ID}", wait_until="domcontentloaded")
    page.wait_for_timeout(500)
    assert held, "print.css was not asked for"
    assert page.locator("body").get_attribute("data-plan-ready") is None
    held.pop().continue_()
    expect(page.locator("body")).to_have_attribute("data-plan-ready", "true")
    assert fit_of(page.locator("#runsheets section.cz-crew")) == [1, 1, 1]
