"""This week: providers' hours as bars, delivered hours, payable hours, five weeks, CSV."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import api, nhs_number

# CV3 6PH is in Earlsdon (E05001221 in the postcode table), zone 2B.
EARLSDON = "CV3 6PH"


def refer(server: Server, *, start: date, hours: float) -> dict[str, Any]:
    status, body = api(
        server,
        "POST",
        "/v1/referrals",
        {
            "nhs_number": nhs_number(),
            "name": "Week Person",
            "address": {"postcode": EARLSDON},
            "source": "hospital_discharge",
            "requested_start": f"{start}T09:00:00",
            "hours_per_week": hours,
        },
    )
    assert status == 201, body
    return body


def test_broker_sees_hours_records_delivered_and_five_weeks(page: Any, server: Server) -> None:
    long_ago = refer(server, start=date.today() - timedelta(days=37), hours=7)
    refer(server, start=date.today(), hours=12)
    sign_in(page, server.keys[Role.brokerage], "/week")
    expect(page.locator("body[data-week-ready]")).to_have_count(1)
    table = page.get_by_test_id("hours-table")
    expect(table.locator("tbody tr")).to_have_count(6)
    row = table.locator('tr[data-provider="provider-2b"]')
    expect(row.locator(".cz-bar__track")).to_have_count(2)
    expect(table.locator("th", has_text="Payable")).to_have_count(0)
    row.get_by_label(re.compile("Delivered hours for")).fill("321.5")
    row.get_by_role("button", name="Save").click()
    expect(page.locator("#error-summary")).to_be_hidden()
    expect(row).to_contain_text("321.5")
    five = page.get_by_test_id("five-weeks")
    expect(five).to_contain_text(str(long_ago["id"]))
    expect(five).to_contain_text("days left")
    check_page(page, "week-broker")
    href = five.get_by_role("link", name="Download this list as CSV").get_attribute("href")
    assert href is not None
    csv = page.request.get(href)
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert str(long_ago["id"]) in csv.text()


def test_commissioner_sees_payable_hours_and_only_their_pages(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.commissioner])
    expect(page).to_have_url(re.compile(r"/week$"))
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="This week")).to_have_count(1)
    expect(nav.get_by_role("link", name="Tonight")).to_have_count(0)
    expect(nav.get_by_role("link", name="New referral")).to_have_count(0)
    table = page.get_by_test_id("hours-table")
    expect(table.locator("th", has_text="Payable")).to_have_count(1)
    # Payable is at least the 300-hour block for every provider.
    expect(table.locator("tbody tr")).to_have_count(6)
    check_page(page, "week-commissioner")
    link = page.get_by_role("link", name="Download the payable hours as CSV")
    csv = page.request.get(link.get_attribute("href") or "")
    assert csv.status == 200 and "payable_hours" in csv.text()

    response = page.goto("/tonight")
    assert response is not None and response.status == 403
    check_page(page, "forbidden")
    page.goto("/map")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    expect(page.get_by_label("Postcode")).to_have_count(0)  # commissioners do not allocate


def test_delivered_hours_errors_sit_on_the_field_enter_saves_and_a_save_is_confirmed(
    page: Any, server: Server
) -> None:
    sign_in(page, server.keys[Role.brokerage], "/week")
    expect(page.locator("body[data-week-ready]")).to_have_count(1)
    row = page.get_by_test_id("hours-table").locator('tr[data-provider="provider-3a"]')
    field = row.get_by_label(re.compile("Delivered hours for"))
    field_id = field.get_attribute("id")
    error = page.locator(f"#{field_id}-error")
    summary = page.locator("#error-summary")

    field.fill("99999")
    field.press("Enter")  # a real form: Enter saves, as the Save button does
    expect(summary).to_contain_text("Enter delivered hours between 0 and 10,000")
    expect(summary).not_to_contain_text("body.")
    expect(error).to_be_visible()
    expect(error).to_contain_text("Enter delivered hours between 0 and 10,000")
    expect(page.locator(f"#{field_id}-group")).to_have_class(re.compile("govuk-form-group--error"))
    expect(field).to_have_class(re.compile("govuk-input--error"))
    check_page(page, "week-delivered-error")
    summary.get_by_role("link").click()
    expect(field).to_be_focused()

    # Not a number; and hex or an exponent, which JavaScript's Number() would take
    # as 16 and 1000 hours.
    for text in ("many", "0x10", "1e3"):
        field.fill(text)
        row.get_by_role("button", name="Save").click()
        expect(error).to_contain_text("Enter delivered hours between 0 and 10,000")
        expect(page.get_by_test_id("delivered-saved")).to_be_hidden()

    field.fill("12.5")
    field.press("Enter")
    saved = page.get_by_test_id("delivered-saved")
    expect(saved).to_be_visible()
    expect(saved).to_contain_text("12.5 delivered hours saved")
    expect(summary).to_be_hidden()
    row = page.get_by_test_id("hours-table").locator('tr[data-provider="provider-3a"]')
    expect(row).to_contain_text("12.5")
    expect(page.locator(".govuk-error-message:visible")).to_have_count(0)
    check_page(page, "week-delivered-saved")


def test_the_pages_start_at_the_uk_date_not_the_browsers_utc_one(page: Any, server: Server) -> None:
    # 23:30 UTC on 1 July is 00:30 BST on 2 July: the UK date is the 2nd.
    page.clock.set_fixed_time("2026-07-01T23:30:00Z")
    sign_in(page, server.keys[Role.brokerage], "/week")
    expect(page.get_by_label("Week containing")).to_have_value("2026-07-02")
    page.goto("/referrals/new")
    expect(page.locator("#start")).to_have_value("2026-07-02")
