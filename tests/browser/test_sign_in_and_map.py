"""Sign-in, the zone map and the postcode box, in Chromium."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in

# CV1 5FB is by the cathedral: St Michael's ward (E05001228), day zone 3B, night zone 3
# (data/postcodes/cv_postcodes_2025-10.csv gives admin_ward_code E05001228).
CATHEDRAL_POSTCODE = "CV1 5FB"
# CV21 2AA is in Rugby (admin_district_code E07000220), outside Coventry's 18 wards.
RUGBY_POSTCODE = "CV21 2AA"


def test_sign_in_page_is_accessible_and_refuses_a_wrong_key(page: Any) -> None:
    page.goto("/map")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/map$"))
    check_page(page, "sign-in")
    page.get_by_label("API key").fill("cz_not-a-real-key")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not known")
    # Shown after a redirect (Post/Redirect/Get): the page is a GET, so reloading it or
    # coming Back to it never asks to send the form again, and the message shows once.
    expect(page).to_have_url(re.compile(r"/sign-in\?next=/map$"))
    check_page(page, "sign-in-error")
    page.reload()
    expect(page.locator(".govuk-error-summary")).to_have_count(0)


def test_map_shows_18_wards_legend_and_ward_details(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage], "/map")
    expect(page).to_have_url(re.compile(r"/map$"))
    expect(page.locator("#map-status")).to_contain_text("18 wards")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    expect(page.locator("#map path.night-zone-outline")).to_have_count(3)
    expect(page.locator("[data-day-zone]")).to_have_count(6)
    expect(page.locator("[data-night-zone]")).to_have_count(3)
    page.locator('path.ward-shape[data-ward-code="E05001224"]').click()  # Holbrook
    info = page.get_by_test_id("ward-info")
    expect(info).to_contain_text("Holbrook")
    expect(info).to_contain_text("1B")
    # Keyboard: a ward shape is focusable and Enter selects it.
    order = page.locator("#map path.ward-shape").evaluate_all(
        "paths => paths.map(p => p.dataset.wardCode)"
    )
    page.locator('path.ward-shape[data-ward-code="E05001228"]').focus()
    page.keyboard.press("Enter")
    expect(info).to_contain_text("St Michael's")
    expect(info).to_contain_text("3B")
    expect(page.locator("#map path.cz-ward-selected")).to_have_count(1)
    # Selecting keeps the tab order: Tab goes on to the next ward, none comes round twice.
    after = page.locator("#map path.ward-shape").evaluate_all(
        "paths => paths.map(p => p.dataset.wardCode)"
    )
    assert after == order
    page.keyboard.press("Tab")
    following = order[order.index("E05001228") + 1]
    focused = page.evaluate("document.activeElement.dataset.wardCode")
    assert focused == following
    check_page(page, "map")


def test_postcode_in_area_and_out_of_area(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage], "/map")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    page.get_by_label("Postcode").fill(CATHEDRAL_POSTCODE.lower())
    page.get_by_role("button", name="Find the zone").click()
    result = page.get_by_test_id("allocation-result")
    expect(result).to_contain_text("CV1 5FB is in area")
    expect(result).to_contain_text("St Michael's")
    expect(result).to_contain_text("3B")
    expect(page.locator("#map path.cz-marker")).to_have_count(1)
    check_page(page, "map-allocated")

    page.get_by_label("Postcode").fill(RUGBY_POSTCODE)
    page.get_by_role("button", name="Find the zone").click()
    expect(page.get_by_test_id("out-of-area")).to_contain_text(
        re.compile(r"Out of area: \d+(\.\d)? km")
    )
    marker = page.locator("#map path.cz-marker")
    expect(marker).to_have_count(1)
    expect(marker).to_be_in_viewport()  # the map widens to show a place outside the city
    expect(page.get_by_test_id("ward-info")).to_contain_text("outside the council's area")
    check_page(page, "map-out-of-area")

    page.get_by_label("Postcode").fill("not a postcode")
    page.get_by_role("button", name="Find the zone").click()
    expect(page.locator("#postcode-error")).to_contain_text("Enter a full postcode")


def test_sign_out_ends_the_session(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage], "/map")
    expect(page).to_have_url(re.compile(r"/map$"))
    cookies = page.context.cookies()
    session_cookie = next(c for c in cookies if c["name"] == "carezones_session")
    assert session_cookie["httpOnly"] and session_cookie["sameSite"] == "Strict"
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out")).to_be_visible()
    page.goto("/map")
    expect(page).to_have_url(re.compile(r"/sign-in"))
    # A copy of the old cookie no longer signs anyone in.
    page.context.add_cookies([session_cookie])
    response = page.request.get("/v1/zones")
    assert response.status == 401


def test_cookie_writes_need_the_csrf_token(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage], "/map")
    without = page.request.post("/v1/allocations", data={"postcode": CATHEDRAL_POSTCODE})
    assert without.status == 403
    assert without.json()["error"]["code"] == "csrf_failed"
    token = page.locator('meta[name="csrf-token"]').get_attribute("content")
    with_token = page.request.post(
        "/v1/allocations", data={"postcode": CATHEDRAL_POSTCODE}, headers={"X-CSRF-Token": token}
    )
    assert with_token.status == 200
    assert with_token.json()["day_zone"]["code"] == "3B"
