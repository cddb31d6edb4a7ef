"""Reports (commissioner): each provider's episode outcomes in a quarter against the KPI targets."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import api, nhs_number

# CV3 6PH is in Earlsdon, zone 2B (provider-2b). The episodes end in 2025-Q1, a quarter
# no other browser test touches, so the counts below are this test's alone.
EARLSDON = "CV3 6PH"


def ended_episode(server: Server, outcome: str, ended_at: str) -> None:
    status, made = api(
        server,
        "POST",
        "/v1/referrals",
        {
            "nhs_number": nhs_number(),
            "name": "Report Person",
            "address": {"postcode": EARLSDON},
            "source": "hospital_discharge",
            "requested_start": "2025-01-06T09:00:00",
            "hours_per_week": 1,
        },
    )
    assert status == 201, made
    path = f"/v1/referrals/{made['id']}/events"
    status, body = api(server, "POST", path, {"kind": "started", "at": "2025-01-06T09:00:00"})
    assert status == 200, body
    status, body = api(server, "POST", path, {"kind": "ended", "at": ended_at, "outcome": outcome})
    assert status == 200, body


def test_commissioner_reads_a_quarter_against_the_targets(page: Any, server: Server) -> None:
    # Two episodes ended in the quarter: one with no ongoing support, one with a
    # reduced need. Shares 1/2 = 50% each: under the 70% target, over the 20% one.
    ended_episode(server, "no_ongoing_support", "2025-02-10T12:00:00")
    ended_episode(server, "reduced_need", "2025-03-31T23:30:00")  # UK time: still Q1

    sign_in(page, server.keys[Role.commissioner])
    nav = page.get_by_role("navigation", name="Menu")
    nav.get_by_role("link", name="Reports").click()
    expect(page).to_have_url(re.compile(r"/reports"))
    expect(page.locator("body[data-kpi-ready]")).to_have_count(1)
    # The current quarter first: nothing this test made ends in it.
    quarter = page.get_by_label("Quarter")
    expect(quarter.locator("option")).to_have_count(12)
    page.get_by_label("Quarter").select_option("2025-Q1")
    page.get_by_role("button", name="Show the quarter").click()
    expect(page.locator('body[data-kpi-ready="2025-Q1"]')).to_have_count(1)
    expect(page).to_have_url(re.compile(r"\?quarter=2025-Q1$"))

    kpi = page.get_by_test_id("kpi")
    expect(kpi).to_contain_text("2025-01-01 to 2025-03-31")
    expect(kpi).to_contain_text("at least 70% of ended episodes with no ongoing support")
    table = page.get_by_test_id("kpi-table")
    expect(table.locator("tbody tr")).to_have_count(6)  # every provider, from the data file
    row = table.locator('tr[data-provider="provider-2b"]')
    cells = row.locator("td")
    expect(cells.nth(0)).to_have_text("2")
    expect(cells.nth(1)).to_have_text("1 (50%)")
    expect(cells.nth(2)).to_have_text("Not met")
    expect(cells.nth(3)).to_have_text("1 (50%)")
    expect(cells.nth(4)).to_have_text("Met")
    other = table.locator('tr[data-provider="provider-1a"]')
    expect(other.locator(".govuk-tag", has_text="No data")).to_have_count(2)
    check_page(page, "reports-commissioner")

    link = page.get_by_role("link", name="Download this quarter as CSV")
    csv = page.request.get(link.get_attribute("href") or "")
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    line = next(li for li in csv.text().splitlines() if "provider-2b" in li)
    assert ",2025-Q1,2,1,1,0.5,0.5,0.7,0.2,False,True" in line

    # A link to a quarter keeps it; a malformed one falls back to the current quarter.
    page.goto("/reports?quarter=2025-Q1")
    expect(page.locator('body[data-kpi-ready="2025-Q1"]')).to_have_count(1)
    expect(page.get_by_label("Quarter")).to_have_value("2025-Q1")
    page.goto("/reports?quarter=2025-Q9")
    expect(page.locator("body[data-kpi-ready]")).to_have_count(1)
    expect(page.get_by_label("Quarter")).not_to_have_value("2025-Q9")


def test_reports_are_for_commissioners(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage])
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Reports")).to_have_count(0)
    response = page.goto("/reports")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see reports")
