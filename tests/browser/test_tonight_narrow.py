"""Tonight on a phone (375 px wide): wide run sheets scroll in their own region.

A made-up plan (checked against the API's PlanOut) is served to the page in place of
the server's, so no solve is needed.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.test_tonight_print import PLAN_ID, big_plan, serve_plan

WIDTH = 375


def page_width(page: Any) -> dict[str, int]:
    sizes: dict[str, int] = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, "
        "client: document.documentElement.clientWidth})"
    )
    return sizes


def test_run_sheets_scroll_in_their_own_region_on_a_narrow_screen(
    page: Any, server: Server
) -> None:
    page.set_viewport_size({"width": WIDTH, "height": 800})
    sign_in(page, server.keys[Role.night_coordinator])
    serve_plan(page, big_plan(stops_per_car=4, unassigned=2))
    for path in (f"/tonight?plan={PLAN_ID}", f"/tonight/print?plan={PLAN_ID}"):
        page.goto(path)
        expect(page.locator("body")).to_have_attribute("data-plan-ready", re.compile(".+"))
        # The page itself does not scroll sideways...
        sizes = page_width(page)
        assert sizes["scroll"] <= sizes["client"], f"{path}: {sizes}"
        # ...each run sheet does, in a region a keyboard can reach and scroll.
        regions = page.get_by_role("region", name="Run sheet for Car 1")
        expect(regions).to_have_count(1)
        region = regions.first
        expect(region).to_have_attribute("tabindex", "0")
        expect(region.locator("table")).to_have_count(1)
        assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the table fits already?"
        region.focus()
        page.keyboard.press("ArrowRight")
        page.keyboard.press("ArrowRight")
        expect(region).to_be_focused()
        page.wait_for_function(
            "() => document.querySelector('[aria-label=\"Run sheet for Car 1\"]').scrollLeft > 0"
        )
        check_page(page, "tonight-narrow" + ("-print" if "print" in path else ""))
