"""Reports (commissioner): each provider's episode outcomes in a quarter against the KPI targets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import api, nhs_number

# CV3 6PH is in Earlsdon, zone 2B (provider-2b). The episodes end in 2025-Q1, a quarter
# no other browser test touches, so the counts below are this test's alone.
EARLSDON = "CV3 6PH"


def ended_episode(
    server: Server, outcome: str, ended_at: str, started_at: str = "2025-01-06T09:00:00"
) -> None:
    status, made = api(
        server,
        "POST",
        "/v1/referrals",
        {
            "nhs_number": nhs_number(),
            "name": "Report Person",
            "address": {"postcode": EARLSDON},
            "source": "hospital_discharge",
            "requested_start": started_at,
            "hours_per_week": 1,
        },
    )
    assert status == 201, made
    path = f"/v1/referrals/{made['id']}/events"
    status, body = api(server, "POST", path, {"kind": "started", "at": started_at})
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
    expect(kpi.get_by_role("heading", level=2)).to_have_text("Outcomes, 1 January to 31 March 2025")
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

    # A link to a quarter keeps it.
    page.goto("/reports?quarter=2025-Q1")
    expect(page.locator('body[data-kpi-ready="2025-Q1"]')).to_have_count(1)
    expect(page.get_by_label("Quarter")).to_have_value("2025-Q1")
    expect(page.locator("#quarter-error")).to_be_hidden()


def current_quarter(page: Any) -> str:
    """The current quarter as the page lists it first (UK date)."""
    value: str = page.locator("#quarter option").first.get_attribute("value")
    return value


@pytest.mark.parametrize(
    ("asked", "says"),
    [
        ("2026-Q5", "There is no quarter 2026-Q5: choose one from the list"),
        ("abc", "There is no quarter abc: choose one from the list"),
        (
            "1999-Q4",
            "There are no reports for 1999-Q4 (they run from 2000 to 2100): "
            "choose a quarter from the list",
        ),
    ],
)
def test_a_quarter_that_does_not_exist_in_the_address_is_refused_on_the_field(
    page: Any, server: Server, asked: str, says: str
) -> None:
    sign_in(page, server.keys[Role.commissioner])
    page.goto(f"/reports?quarter={asked}")
    expect(page.locator("body[data-kpi-ready]")).to_have_count(1)
    # The current quarter is shown, and the field says why, in staff words.
    current = current_quarter(page)
    expect(page.locator(f'body[data-kpi-ready="{current}"]')).to_have_count(1)
    expect(page.get_by_label("Quarter")).to_have_value(current)
    expect(page.get_by_test_id("kpi-table")).to_be_visible()
    error = page.locator("#quarter-error")
    expect(error).to_have_text(f"Error: {says}")
    expect(page.locator("#quarter-group")).to_have_class(re.compile("govuk-form-group--error"))
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(says)
    expect(summary).not_to_contain_text("Expected a quarter")  # the API's words
    check_page(page, f"reports-bad-quarter-{asked}")
    summary.get_by_role("link", name=says).click()
    expect(page.get_by_label("Quarter")).to_be_focused()
    # Showing a quarter clears the error.
    page.get_by_role("button", name="Show the quarter").click()
    expect(error).to_be_hidden()
    expect(summary).to_be_hidden()


def test_shares_are_rounded_down_never_up_to_their_target(page: Any, server: Server) -> None:
    # 16 of 23 episodes with no ongoing support is 69.57%: under the 70% target, so it
    # must not read "70%" beside "Not met". 7 of 23 with a reduced need is 30.43%.
    # The episodes end in 2024-Q2, a quarter no other browser test touches.
    for k in range(23):
        outcome = "no_ongoing_support" if k < 16 else "reduced_need"
        ended_episode(server, outcome, "2024-05-20T12:00:00", started_at="2024-04-08T09:00:00")

    sign_in(page, server.keys[Role.commissioner])
    page.goto("/reports?quarter=2024-Q2")
    expect(page.locator('body[data-kpi-ready="2024-Q2"]')).to_have_count(1)
    expect(page.get_by_test_id("kpi").get_by_role("heading", level=2)).to_have_text(
        "Outcomes, 1 April to 30 June 2024"
    )
    cells = page.get_by_test_id("kpi-table").locator('tr[data-provider="provider-2b"] td')
    expect(cells.nth(0)).to_have_text("23")
    expect(cells.nth(1)).to_have_text("16 (69.5%)")
    expect(cells.nth(2)).to_have_text("Not met")
    expect(cells.nth(3)).to_have_text("7 (30.4%)")
    expect(cells.nth(4)).to_have_text("Met")
    expect(page.get_by_test_id("kpi")).to_contain_text(
        "at least 70% of ended episodes with no ongoing support, and at least 20% with a "
        "reduced need"
    )
    check_page(page, "reports-shares")


def test_back_returns_to_the_quarter_shown_before(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.commissioner])
    page.goto("/reports")
    expect(page.locator("body[data-kpi-ready]")).to_have_count(1)
    current = current_quarter(page)
    expect(page).to_have_url(re.compile(rf"/reports\?quarter={current}$"))
    quarter = page.get_by_label("Quarter")
    show = page.get_by_role("button", name="Show the quarter")
    heading = page.get_by_test_id("kpi").get_by_role("heading", level=2)
    for chosen in ("2025-Q1", "2024-Q2"):
        quarter.select_option(chosen)
        show.click()
        expect(page.locator(f'body[data-kpi-ready="{chosen}"]')).to_have_count(1)
        expect(page).to_have_url(re.compile(rf"\?quarter={chosen}$"))
    expect(heading).to_have_text("Outcomes, 1 April to 30 June 2024")

    page.go_back()
    expect(page).to_have_url(re.compile(r"/reports\?quarter=2025-Q1$"))
    expect(page.locator('body[data-kpi-ready="2025-Q1"]')).to_have_count(1)
    expect(quarter).to_have_value("2025-Q1")
    expect(heading).to_have_text("Outcomes, 1 January to 31 March 2025")
    page.go_back()
    expect(page).to_have_url(re.compile(rf"/reports\?quarter={current}$"))
    expect(page.locator(f'body[data-kpi-ready="{current}"]')).to_have_count(1)
    expect(quarter).to_have_value(current)
    page.go_forward()
    expect(page.locator('body[data-kpi-ready="2025-Q1"]')).to_have_count(1)
    expect(heading).to_have_text("Outcomes, 1 January to 31 March 2025")
    # The same quarter shown again adds no entry: Back still goes to the one before.
    page.evaluate("() => { delete document.body.dataset.kpiReady; }")
    show.click()
    expect(page.locator('body[data-kpi-ready="2025-Q1"]')).to_have_count(1)
    page.go_back()
    expect(page.locator(f'body[data-kpi-ready="{current}"]')).to_have_count(1)


def test_reports_are_for_commissioners(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage])
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Reports")).to_have_count(0)
    response = page.goto("/reports")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see reports")
