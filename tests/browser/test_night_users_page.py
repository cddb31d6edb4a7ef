"""The night users page: adding from a referral once, however often the button is pressed."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.app.referral_helpers import body as referral_body
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import api, nhs_number


def test_a_double_click_adds_from_a_referral_once_and_says_so_once(
    page: Any, server: Server
) -> None:
    # A referral far in the future, so no other page's week or ledger sees it.
    referral = referral_body(
        nhs_number=nhs_number(),
        name="Double Click Person",
        address={"postcode": "CV3 6PH"},
        requested_start="2031-01-06T09:00:00Z",
        hours_per_week=1,
        night_support=True,
        night_visits=[{"time": "00:30", "duration_minutes": 15, "time_critical": False}],
    )
    status, created = api(server, "POST", "/v1/referrals", referral)
    assert status == 201, created
    sign_in(page, server.keys[Role.night_coordinator], "/night-users")
    expect(page.locator("#users-status")).to_contain_text("people have night visits")
    page.get_by_label("Referral number").fill(str(created["id"]))
    page.get_by_role("button", name="Add from the referral").dblclick()
    expect(page.locator("#users-status")).to_contain_text(
        f"Double Click Person added from referral {created['id']}."
    )
    page.wait_for_load_state("networkidle")
    expect(page.locator("#error-summary")).to_be_hidden()
    expect(page.locator("#referral-id-error")).to_be_hidden()
    rows = page.get_by_test_id("users-table").locator("tbody tr")
    expect(rows.filter(has_text="Double Click Person")).to_have_count(1)
    check_page(page, "night-users-from-referral-double-click")
    added = rows.filter(has_text="Double Click Person")
    added.get_by_role("button", name="Remove Double Click Person").click()
    added.get_by_role("button", name="Yes, remove Double Click Person").click()
    expect(rows.filter(has_text="Double Click Person")).to_have_count(0)
    # The keyboard stays on the news of the removal, not back at the top of the page.
    expect(page.locator("#users-status")).to_be_focused()
    expect(page.locator("#users-status")).to_contain_text("Double Click Person removed.")
