"""Re-plan errors land on the control they are about, in plain words.

The API names the field of each error (body.added.0.location.postcode,
body.added.0.requested_time, body.done.0, body.now, ...). The people here have
Saturday visits only and are removed at the end, so no other test's night sees them.
"""

from __future__ import annotations

import json
import re
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import api, night_users

NIGHT = date(2026, 12, 12)  # a Saturday
PEOPLE = (
    ("Error A", "CV2 1QB", "22:30"),
    ("Error B", "CV6 4AF", "23:15"),
    ("Error C", "CV5 6PA", "04:30"),
)
FIELDS = ("now", "add-postcode", "add-time", "add-minutes", "cancel", "done")


def saturday_people(server: Server) -> AbstractContextManager[None]:
    visits = [
        (label, postcode, {"requested_time": at, "duration_minutes": 20, "days": ["sat"]})
        for label, postcode, at in PEOPLE
    ]
    return night_users(server, visits)


def replan(page: Any) -> None:
    page.get_by_role("button", name="Re-plan the rest of the night").click()


def only_error_on(page: Any, field: str, text: str) -> None:
    """The error shows on ``field`` (and in the summary), and on no other control."""
    expect(page.locator(f"#{field}-error")).to_contain_text(text, timeout=60_000)
    expect(page.locator("#error-summary")).to_contain_text(text)
    for other in FIELDS:
        if other != field:
            expect(page.locator(f"#{other}-error")).to_be_hidden()


def refuse_next_replan(page: Any, field: str, reason: str) -> None:
    """Answer the next re-plan with the API's 422 naming ``field``."""
    body = {
        "error": {
            "status": 422,
            "code": "invalid_input",
            "message": f"{field}: {reason}",
            "fields": [{"field": field, "reason": reason}],
        }
    }

    def answer(route: Any) -> None:
        route.fulfill(status=422, content_type="application/json", body=json.dumps(body))

    page.route(re.compile(r"/replan$"), answer, times=1)


def test_replan_errors_name_the_control_in_plain_words(page: Any, server: Server) -> None:
    with saturday_people(server):
        status, plan = api(
            server, "POST", "/v1/night-plans", {"date": NIGHT.isoformat()}, Role.night_coordinator
        )
    assert status == 201, plan
    sign_in(page, server.keys[Role.night_coordinator])
    page.goto(f"/tonight?plan={plan['id']}")
    expect(page.get_by_test_id("plan-status")).to_contain_text("ready", timeout=60_000)
    now = page.get_by_label("Time now")
    postcode = page.get_by_label("Postcode")
    asked = page.get_by_label("Requested time")
    minutes = page.get_by_label("Minutes", exact=True)

    # The page's own check: minutes out of range.
    now.fill("23:00")
    postcode.fill("CV1 5FB")
    asked.fill("03:00")
    minutes.fill("500")
    replan(page)
    only_error_on(page, "add-minutes", "Enter minutes between 1 and 240")

    # The API's: a requested time outside the night (body.added.0.requested_time).
    minutes.fill("20")
    asked.fill("12:00")
    replan(page)
    only_error_on(page, "add-time", "Enter a requested time between 22:00 and 07:00")

    # A postcode the table lacks, and one outside the council (body.added.0.location.postcode).
    asked.fill("03:00")
    postcode.fill("CV99 9ZZ")
    replan(page)
    only_error_on(page, "add-postcode", "We do not hold the postcode CV99 9ZZ: check it")
    postcode.fill("CV21 2AA")
    replan(page)
    only_error_on(page, "add-postcode", "CV21 2AA is outside Coventry")
    check_page(page, "tonight-replan-postcode-error")

    # A visit ticked done before it was due (body.done.0): named, on the done list.
    postcode.fill("")
    asked.fill("")
    page.get_by_test_id("done-list").get_by_label(re.compile("Error C")).check()
    replan(page)
    only_error_on(page, "done", "Error C is planned to start at 04:")
    expect(page.locator("#error-summary a")).to_have_attribute("href", re.compile("^#done-"))
    check_page(page, "tonight-replan-done-error")
    page.get_by_test_id("done-list").get_by_label(re.compile("Error C")).uncheck()

    # Minutes and a cancelled visit refused by the API.
    cancel = page.get_by_label("Cancel a visit (optional)")
    cancel.select_option(index=1)
    refuse_next_replan(
        page,
        "body.cancelled.0",
        "Expected a visit not yet done, got 'v1': an earlier re-plan recorded it as done.",
    )
    replan(page)
    only_error_on(page, "cancel", "was recorded as done in an earlier re-plan")
    postcode.fill("CV1 5FB")
    asked.fill("03:00")
    refuse_next_replan(
        page, "body.added.0.duration_minutes", "Input should be less than or equal to 240"
    )
    replan(page)
    only_error_on(page, "add-minutes", "Enter minutes between 1 and 240")

    # A time earlier than the re-plan being followed (body.now).
    postcode.fill("")
    asked.fill("")
    now.fill("23:50")
    replan(page)
    expect(page.get_by_test_id("changes")).to_contain_text("What changed", timeout=60_000)
    now.fill("23:10")
    page.get_by_label("Cancel a visit (optional)").select_option(index=1)
    replan(page)
    only_error_on(page, "now", "Enter a time at or after 23:50")

    # The connection lost: said in staff words on the re-plan button, not "Failed to fetch".
    page.route("**/replan", lambda route: route.abort())
    now.fill("23:55")
    replan(page)
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("The service could not be reached", timeout=60_000)
    expect(summary).not_to_contain_text("The re-plan was refused")
    expect(summary).not_to_contain_text("Failed to fetch")
    page.unroute("**/replan")
