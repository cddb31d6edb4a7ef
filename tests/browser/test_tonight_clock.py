"""Tonight on the two nights a year the clocks change (Europe/London).

2026-10-24: the clocks go back at 02:00 BST to 01:00 GMT, so 01:00-01:59 happens
twice and the night is ten hours long. 2026-03-28: they go forward at 01:00 GMT to
02:00 BST, so 01:00-01:59 never happens and the night is eight hours long.

The people here have Saturday visits only and are removed once their night is
planned (a plan keeps its own copy), so no other test's night sees them.
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

FALL_BACK = date(2026, 10, 24)  # a Saturday
SPRING_FORWARD = date(2026, 3, 28)  # a Saturday


def saturday_people(
    server: Server, people: list[tuple[str, str, str, int]]
) -> AbstractContextManager[None]:
    """(label, postcode, requested time, minutes): one strict Saturday visit each."""
    visits = [
        (
            label,
            postcode,
            {
                "requested_time": at,
                "duration_minutes": minutes,
                "strict": True,
                "tolerance_minutes": 0,
                "days": ["sat"],
                "notes": "medication",
            },
        )
        for label, postcode, at, minutes in people
    ]
    return night_users(server, visits)


def plan_night(server: Server, night: date, people: list[tuple[str, str, str, int]]) -> int:
    with saturday_people(server, people):
        status, plan = api(
            server, "POST", "/v1/night-plans", {"date": night.isoformat()}, Role.night_coordinator
        )
    assert status == 201, plan
    plan_id: int = plan["id"]
    return plan_id


def open_plan(page: Any, server: Server, plan_id: int) -> None:
    sign_in(page, server.keys[Role.night_coordinator])
    page.goto(f"/tonight?plan={plan_id}")
    expect(page.get_by_test_id("plan-status")).to_contain_text("ready", timeout=60_000)


def test_the_night_the_clocks_go_back_marks_the_repeated_hour(page: Any, server: Server) -> None:
    plan_id = plan_night(
        server,
        FALL_BACK,
        [("Fold A", "CV2 1QB", "01:59", 30), ("Fold B", "CV6 4AF", "00:30", 20)],
    )
    open_plan(page, server, plan_id)
    summary = page.get_by_test_id("plan-summary")
    expect(summary).to_contain_text("The clocks go back tonight: the night is 10 hours long")
    sheets = page.locator("#runsheets")
    fold_a = sheets.locator("tbody tr", has_text="Fold A")
    # Starts at the first 01:59 (BST), ends 30 minutes later at the second 01:29 (GMT).
    expect(fold_a).to_contain_text("01:59 BST")
    expect(fold_a).to_contain_text("01:29 GMT")
    expect(fold_a).to_contain_text("The clocks go back during this visit")
    fold_b = sheets.locator("tbody tr", has_text="Fold B")
    expect(fold_b).to_contain_text("00:30")
    expect(fold_b).not_to_contain_text("BST")
    expect(page.get_by_test_id("done-list")).to_contain_text("01:59 BST Fold A")
    fold_a_option = page.locator("#cancel option", has_text="Fold A")
    expect(fold_a_option).to_have_text(re.compile(r"^01:59 BST Fold A \(Car \d\)$"))

    # The time now: 01:00-01:59 happens twice tonight, so the page asks which.
    fold = page.get_by_role("group", name="Which 01:00 to 01:59 is it?")
    expect(fold).to_be_visible()
    page.get_by_label("Time now").fill("01:30")
    page.get_by_label("Cancel a visit (optional)").select_option(
        fold_a_option.get_attribute("value")
    )
    page.get_by_role("button", name="Re-plan the rest of the night").click()
    expect(page.locator("#error-summary")).to_contain_text(
        "Choose whether 01:30 is the first time (BST) or the second time (GMT)"
    )
    check_page(page, "tonight-clocks-go-back")
    fold.get_by_label("The second time (GMT, after the clocks go back)").check()
    with page.expect_request(lambda r: r.url.endswith("/replan")) as sent:
        page.get_by_role("button", name="Re-plan the rest of the night").click()
    assert json.loads(sent.value.post_data)["now"] == "2026-10-25T01:30:00+00:00"
    expect(page.get_by_test_id("changes")).to_contain_text("What changed", timeout=60_000)

    printed = page.context.new_page()
    printed.goto(f"/tonight/print?plan={plan_id}")
    row = printed.locator("#runsheets tbody tr", has_text="Fold A")
    expect(row).to_contain_text("01:59 BST")
    expect(row).to_contain_text("01:29 GMT")
    expect(printed.locator("#runsheets")).to_contain_text("10 hours")
    printed.close()


def test_the_night_the_clocks_go_forward_says_so(page: Any, server: Server) -> None:
    plan_id = plan_night(server, SPRING_FORWARD, [("Spring A", "CV2 1QB", "00:51", 20)])
    open_plan(page, server, plan_id)
    expect(page.get_by_test_id("plan-summary")).to_contain_text(
        "The clocks go forward tonight: the night is 8 hours long"
    )
    row = page.locator("#runsheets tbody tr", has_text="Spring A")
    expect(row).to_contain_text("00:51")
    expect(row).to_contain_text("02:11")  # 20 minutes later, on the clock after the change
    expect(row).to_contain_text("The clocks go forward during this visit")
    expect(page.locator("#now-fold-group")).to_be_hidden()
    # 01:30 does not happen tonight: the page says so instead of sending it.
    page.get_by_label("Time now").fill("01:30")
    page.get_by_label("Cancel a visit (optional)").select_option(index=1)
    sent: list[str] = []
    page.on("request", lambda r: sent.append(r.url) if r.url.endswith("/replan") else None)
    page.get_by_role("button", name="Re-plan the rest of the night").click()
    expect(page.locator("#now-error")).to_contain_text(
        "There is no 01:30 tonight: the clocks go forward from 01:00 GMT to 02:00 BST"
    )
    assert sent == []
    check_page(page, "tonight-clocks-go-forward")
