"""Tonight lists the night's plans, newest first, so a coordinator can go back to one."""

from __future__ import annotations

from datetime import date
from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import api, night_users

NIGHT = date(2026, 12, 19)  # a Saturday no other test plans
PEOPLE = [
    ("List A", "CV2 1QB", {"requested_time": "23:00", "duration_minutes": 20, "days": ["sat"]}),
    ("List B", "CV6 4AF", {"requested_time": "02:00", "duration_minutes": 20, "days": ["sat"]}),
]


def test_the_nights_plans_are_listed_and_each_can_be_opened(page: Any, server: Server) -> None:
    with night_users(server, PEOPLE):
        body = {"date": NIGHT.isoformat(), "overrides": {"solution_limit": 5}}
        status, first = api(server, "POST", "/v1/night-plans", body, Role.night_coordinator)
        assert status == 201, first
        status, second = api(
            server,
            "POST",
            f"/v1/night-plans/{first['id']}/replan",
            {"now": "23:30", "done": []},
            Role.night_coordinator,
        )
        assert status == 201, second
    sign_in(page, server.keys[Role.night_coordinator], f"/tonight?plan={second['id']}")
    plans = page.get_by_test_id("night-plans")
    expect(plans).to_contain_text(f"Plans for the night of {NIGHT.isoformat()}")
    expect(plans.locator("li")).to_have_count(2)
    expect(plans.locator("li").first).to_contain_text(
        f"Plan {second['id']} (re-plan of {first['id']})"
    )
    expect(plans.locator("li").first).to_contain_text("(shown)")
    check_page(page, "tonight-plans-list")
    plans.get_by_role("link", name=f"Plan {first['id']},").click()
    expect(page.locator("#plan-heading")).to_contain_text(f"Plan {first['id']} for the night")
    expect(plans.locator("li").nth(1)).to_contain_text("(shown)")


def test_the_date_box_starts_at_the_night_in_progress_in_uk_time(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.night_coordinator], "/map")
    cases = [
        ("2026-11-25T00:30:00Z", "2026-11-24"),  # 00:30 GMT: the night began yesterday
        ("2026-07-01T23:30:00Z", "2026-07-01"),  # 00:30 BST on 2 July: began 1 July
        ("2026-07-02T12:00:00Z", "2026-07-02"),  # midday: tonight's
    ]
    for instant, night in cases:
        page.clock.set_fixed_time(instant)
        page.goto("/tonight")
        expect(page.get_by_label("Night starting on")).to_have_value(night)


def test_a_missing_plan_or_a_far_date_is_said_plainly(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.night_coordinator], "/tonight?plan=999999")
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("There is no such plan")
    expect(page.locator("#night-date-error")).to_be_hidden()  # not the date's fault
    page.get_by_label("Night starting on").fill("1999-01-01")
    page.get_by_role("button", name="Plan the night").click()
    expect(page.locator("#night-date-error")).to_contain_text(
        "Enter a date between 1 January 2000 and 31 December 2100"
    )
    check_page(page, "tonight-far-date")
