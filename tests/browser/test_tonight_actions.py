"""Tonight's slow actions: a plan or re-plan takes 5-30 s, so the buttons wait for it.

The requests are held in the browser (Playwright routes) while the page is checked,
then let through to the real server. The people here have Saturday visits only and
are removed at the end, so no other test's night sees them.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import night_users

NIGHT = date(2026, 12, 5)  # a Saturday
PEOPLE = (
    ("Action A", "CV2 1QB", "22:30"),
    ("Action B", "CV6 4AF", "23:30"),
    ("Action C", "CV5 6PA", "02:00"),
    ("Action D", "CV1 1AH", "04:00"),
)


def saturday_people(server: Server) -> AbstractContextManager[None]:
    visits = [
        (label, postcode, {"requested_time": at, "duration_minutes": 20, "days": ["sat"]})
        for label, postcode, at in PEOPLE
    ]
    return night_users(server, visits)


class Held:
    """POSTs to a path, held until released; counts every one made."""

    def __init__(self, page: Any, pattern: str) -> None:
        self.routes: list[Any] = []
        page.route(re.compile(pattern), self._hold)

    def _hold(self, route: Any) -> None:
        if route.request.method == "POST":
            self.routes.append(route)
        else:
            route.continue_()

    def release(self) -> None:
        for route in self.routes:
            route.continue_()


def test_plan_and_replan_buttons_wait_for_the_answer(page: Any, server: Server) -> None:
    with saturday_people(server):
        sign_in(page, server.keys[Role.night_coordinator])
        plans = Held(page, r"/v1/night-plans$")
        page.get_by_label("Night starting on").fill(NIGHT.isoformat())
        plan_button = page.get_by_role("button", name="Plan the night")
        plan_button.dblclick()
        expect(plan_button).to_be_disabled()
        status = page.get_by_test_id("plan-status")
        expect(status).to_contain_text("Planning the night")
        expect(status).to_have_attribute("aria-live", "polite")
        expect(status).to_be_in_viewport()
        page.wait_for_timeout(300)  # a second click, had it got through, would be here by now
        assert len(plans.routes) == 1, f"{len(plans.routes)} plans asked for"
        check_page(page, "tonight-planning")
        plans.release()
        expect(status).to_contain_text("ready", timeout=60_000)
        expect(plan_button).to_be_enabled()
        assert len(plans.routes) == 1

        # Re-plan: tick one done, cancel one, add one.
        page.get_by_label("Time now").fill("23:50")
        page.get_by_test_id("done-list").locator("input").first.check()
        page.get_by_label("Cancel a visit (optional)").select_option(index=2)
        page.get_by_label("Postcode").fill("CV1 5FB")
        page.get_by_label("Who (as the crew know them)").fill("Action G")
        page.get_by_label("Requested time").fill("03:00")
        page.get_by_label("Minutes", exact=True).fill("25")
        page.get_by_label("Time-critical (medication)").check()
        replans = Held(page, r"/replan$")
        replan_button = page.get_by_role("button", name="Re-plan the rest of the night")
        replan_button.click()
        expect(replan_button).to_be_disabled()
        expect(plan_button).to_be_disabled()
        progress = page.get_by_test_id("replan-status")
        expect(progress).to_contain_text("Re-planning the rest of the night")
        expect(progress).to_have_attribute("aria-live", "polite")
        expect(progress).to_be_in_viewport()
        replan_button.click(force=True)  # a disabled button sends nothing
        page.wait_for_timeout(300)
        assert len(replans.routes) == 1, f"{len(replans.routes)} re-plans asked for"
        check_page(page, "tonight-replanning")
        replans.release()

        changes = page.get_by_role("heading", name=re.compile("What changed"))
        expect(changes).to_be_focused(timeout=60_000)
        expect(changes).to_be_in_viewport()
        expect(progress).to_contain_text("Re-planned")
        expect(replan_button).to_be_enabled()
        expect(page.locator("#runsheets")).to_contain_text("Action G")
        # The form is ready for the next change: nothing added, ticked or cancelled twice.
        for label in ("Postcode", "Who (as the crew know them)", "Requested time"):
            expect(page.get_by_label(label)).to_have_value("")
        expect(page.get_by_label("Minutes", exact=True)).to_have_value("20")
        expect(page.get_by_label("Time-critical (medication)")).not_to_be_checked()
        expect(page.get_by_test_id("done-list").locator("input:checked")).to_have_count(0)
        expect(page.get_by_label("Cancel a visit (optional)")).to_have_value("")
        replan_button.click()
        expect(page.locator("#error-summary")).to_contain_text(
            "Tick a visit done, choose one to cancel, or add one"
        )
        assert len(replans.routes) == 1
        check_page(page, "tonight-replanned-form-cleared")
