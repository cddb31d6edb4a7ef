"""New referral: allocation and hours before confirming; a full provider's alternatives."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import api, nhs_number

# CV1 5FB: St Michael's (E05001228 in the postcode table), zone 3B.
CATHEDRAL = "CV1 5FB"


def fill_provider(server: Server, postcode: str) -> str:
    """Refer people at ``postcode`` until its provider has under an hour a week spare."""
    provider = ""
    for hours in (112, 10, 1):
        while True:
            status, body = api(
                server,
                "POST",
                "/v1/referrals",
                {
                    "nhs_number": nhs_number(),
                    "name": "Filler Person",
                    "address": {"postcode": postcode},
                    "source": "community",
                    "requested_start": f"{date.today()}T09:00:00",
                    "hours_per_week": hours,
                },
            )
            if status == 409:
                assert body["error"]["code"] == "provider_full", body
                break
            assert status == 201, body
            provider = body["provider"]["id"]
    return provider


def fill_form(page: Any, postcode: str, hours: str) -> None:
    page.get_by_label("NHS number").fill(nhs_number())
    page.get_by_label("Full name").fill("Ada Example")
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Hours a week").fill(hours)


def test_new_referral_shows_allocation_and_hours_then_confirms(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage], "/referrals/new")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    check_page(page, "referral-empty")
    page.get_by_role("button", name="Check the allocation").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_contain_text("Enter a 10-digit NHS number")
    check_page(page, "referral-errors")

    page.locator('#map path.ward-shape[data-ward-code="E05001224"]').click()  # Holbrook
    expect(page.locator("#map-point")).to_contain_text("Using the place selected on the map")
    expect(page.locator("#map path.cz-marker")).to_have_count(1)
    fill_form(page, CATHEDRAL, "10.5")  # a postcode, when given, is the address
    expect(page.locator("#map-point")).to_contain_text("Using the postcode")
    page.get_by_label("Needs night support").check()
    page.get_by_label("Time-critical").check()
    page.get_by_role("button", name="Check the allocation").click()
    expect(page.locator("#error-summary")).to_be_hidden()
    expect(page.locator(".govuk-error-message:visible")).to_have_count(0)
    summary = page.get_by_test_id("allocation-summary")
    expect(summary).to_contain_text("St Michael's")
    expect(summary).to_contain_text("3B")
    expect(summary).to_contain_text(re.compile(r"Hours left\s*[\d.]+ of [\d.]+ commissioned"))
    # The keyboard lands on the answer, and the next Tab is Confirm (not 18 ward shapes).
    expect(page.get_by_role("heading", name="Allocation")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Confirm the referral")).to_be_focused()
    check_page(page, "referral-checked")
    page.get_by_role("button", name="Confirm the referral").click()
    done = page.get_by_test_id("referral-done")
    expect(done).to_contain_text(re.compile(r"Referral \d+ placed"))
    expect(done).to_contain_text("zone 3B")
    check_page(page, "referral-placed")


def test_full_provider_offers_ranked_alternatives_and_takes_a_reason(
    page: Any, server: Server
) -> None:
    # CV6 6AA: Longford (E05001225 in the postcode table), zone 1B; each test fills its own zone.
    status, allocation = api(server, "POST", "/v1/allocations", {"postcode": "CV6 6AA"})
    assert status == 200 and allocation["in_area"], allocation
    zone = allocation["day_zone"]["code"]
    fill_provider(server, "CV6 6AA")

    sign_in(page, server.keys[Role.brokerage], "/referrals/new")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    fill_form(page, "CV6 6AA", "5")
    page.get_by_role("button", name="Check the allocation").click()
    expect(page.get_by_test_id("allocation-summary")).to_contain_text(zone)
    expect(page.get_by_test_id("check-result")).to_contain_text("does not have 5 hours left")
    page.get_by_role("button", name="Confirm the referral").click()
    full = page.get_by_test_id("provider-full")
    expect(full).to_be_visible()
    expect(full).to_contain_text("commissioned hours")
    expect(full).not_to_contain_text("capacity_override_reason")  # staff's words, not the API's
    alternatives = full.locator("#choices .govuk-radios__item")
    assert alternatives.count() >= 2  # at least one other zone's provider, plus the override
    expect(alternatives.first).to_contain_text(re.compile(r"^1\. Zone \w+, .+: [\d.]+ hours spare"))
    check_page(page, "referral-provider-full")

    page.get_by_role("button", name="Confirm the referral").click()  # no choice, no reason
    expect(page.locator("#error-summary")).to_contain_text("Enter the reason for the override")
    alternatives.first.locator("input").check()
    page.get_by_label("Reason for the override").fill("Zone provider full this week")
    page.get_by_role("button", name="Confirm the referral").click()
    done = page.get_by_test_id("referral-done")
    expect(done).to_contain_text("across zones")
    check_page(page, "referral-cross-zone")


def referral_count(page: Any, provider: str) -> int:
    response = page.request.get(f"/v1/referrals?provider={provider}&limit=1")
    assert response.status == 200, response.text()
    total: int = response.json()["total"]
    return total


def test_double_click_on_an_override_places_one_referral_and_clears_the_form(
    page: Any, server: Server
) -> None:
    # The same full zone as the test above (CV6 6AA, Longford, 1B): filling it again is a no-op.
    status, allocation = api(server, "POST", "/v1/allocations", {"postcode": "CV6 6AA"})
    assert status == 200 and allocation["in_area"], allocation
    provider = allocation["day_zone"]["provider"]["id"]
    fill_provider(server, "CV6 6AA")

    sign_in(page, server.keys[Role.brokerage], "/referrals/new")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    before = referral_count(page, provider)
    fill_form(page, "CV6 6AA", "2")
    page.get_by_role("button", name="Check the allocation").click()
    expect(page.get_by_test_id("allocation-summary")).to_contain_text(
        allocation["day_zone"]["code"]
    )
    confirm = page.get_by_role("button", name="Confirm the referral")
    confirm.click()
    full = page.get_by_test_id("provider-full")
    expect(full).to_be_visible()
    full.get_by_label(re.compile("^Keep it with")).check()
    page.get_by_label("Reason for the override").fill("Family live next door to the carers")
    confirm.dblclick()
    done = page.get_by_test_id("referral-done")
    expect(done).to_contain_text(re.compile(r"Referral \d+ placed"))
    page.wait_for_load_state("networkidle")
    assert referral_count(page, provider) == before + 1

    # The form is cleared: Check then Confirm again cannot quietly refer the same person twice.
    expect(page.get_by_label("NHS number")).to_have_value("")
    expect(page.get_by_label("Full name")).to_have_value("")
    expect(page.get_by_label("Postcode")).to_have_value("")
    expect(page.get_by_label("Hours a week")).to_have_value("")
    expect(confirm).to_be_hidden()
    expect(full).to_be_hidden()
    expect(page.get_by_test_id("allocation-summary")).to_have_count(0)
    check_page(page, "referral-placed-form-cleared")
    page.get_by_role("button", name="Check the allocation").click()
    expect(page.locator("#error-summary")).to_contain_text("Enter a 10-digit NHS number")
    # The field's error is read with the field, after its hint (GOV.UK's pattern).
    nhs = page.get_by_label("NHS number")
    expect(nhs).to_have_attribute("aria-describedby", "nhs_number-hint nhs_number-error")
    expect(confirm).to_be_hidden()
    assert referral_count(page, provider) == before + 1


def test_a_change_after_the_check_asks_for_a_new_check(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage], "/referrals/new")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    fill_form(page, CATHEDRAL, "3")
    page.get_by_role("button", name="Check the allocation").click()
    confirm = page.get_by_role("button", name="Confirm the referral")
    expect(confirm).to_be_visible()
    page.get_by_label("Hours a week").fill("4")  # what was checked is no longer what is shown
    expect(confirm).to_be_hidden()
    expect(page.get_by_test_id("check-result")).to_contain_text("check the allocation again")
    page.get_by_role("button", name="Check the allocation").click()
    expect(confirm).to_be_visible()


def test_an_out_of_area_postcode_fails_the_check_on_the_postcode_field(
    page: Any, server: Server
) -> None:
    # CV21 2AA is in Rugby, outside Coventry's 18 wards.
    status, allocation = api(server, "POST", "/v1/allocations", {"postcode": "CV21 2AA"})
    assert status == 200 and not allocation["in_area"], allocation
    distance_km = f"{allocation['distance_m'] / 1000:.1f} km"
    sign_in(page, server.keys[Role.brokerage], "/referrals/new")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    fill_form(page, "CV21 2AA", "5")
    page.get_by_role("button", name="Check the allocation").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("outside the council's area")
    expect(summary).to_contain_text(distance_km)
    error = page.locator("#postcode-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("CV21 2AA is outside the council's area")
    expect(error).to_contain_text(distance_km)
    expect(page.locator("#postcode-group")).to_have_class(re.compile("govuk-form-group--error"))
    expect(page.get_by_role("button", name="Confirm the referral")).to_be_hidden()
    expect(page.get_by_test_id("allocation-summary")).to_have_count(0)
    expect(page.locator("#map path.cz-marker")).to_have_count(1)  # shown where it is
    check_page(page, "referral-out-of-area")


def test_a_night_visit_needs_a_night_time_and_minutes_checked_on_their_fields(
    page: Any, server: Server
) -> None:
    sign_in(page, server.keys[Role.brokerage], "/referrals/new")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    fill_form(page, CATHEDRAL, "3")
    page.get_by_label("Needs night support").check()
    page.get_by_label("Time", exact=True).fill("")
    page.get_by_role("button", name="Check the allocation").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Enter the time of the night visit, like 23:30")
    expect(summary).not_to_contain_text("valid time format")
    expect(page.locator("#visit-time-error")).to_contain_text(
        "Enter the time of the night visit, like 23:30"
    )
    expect(page.locator("#visit-time")).to_have_class(re.compile("govuk-input--error"))
    expect(page.locator("#night-error")).to_be_hidden()
    expect(page.get_by_role("button", name="Confirm the referral")).to_be_hidden()
    check_page(page, "referral-night-time-missing")
    summary.get_by_role("link").click()  # the summary's link takes you to the field
    expect(page.locator("#visit-time")).to_be_focused()

    page.get_by_label("Time", exact=True).fill("14:00")
    page.get_by_label("Minutes").fill("500")
    page.get_by_role("button", name="Check the allocation").click()
    expect(page.locator("#visit-time-error")).to_contain_text("between 22:00 and 07:00")
    expect(page.locator("#visit-minutes-error")).to_contain_text("between 5 and 240")

    page.get_by_label("Time", exact=True).fill("23:30")
    page.get_by_label("Minutes").fill("30")
    page.get_by_role("button", name="Check the allocation").click()
    expect(page.locator("#error-summary")).to_be_hidden()
    expect(page.locator(".govuk-error-message:visible")).to_have_count(0)
    page.get_by_role("button", name="Confirm the referral").click()
    done = page.get_by_test_id("referral-done")
    expect(done).to_contain_text(re.compile(r"Referral \d+ placed"))


def test_nhs_number_and_notes_are_checked_at_the_check_step(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage], "/referrals/new")
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    fill_form(page, CATHEDRAL, "3")
    nhs = page.get_by_label("NHS number")
    check = page.get_by_role("button", name="Check the allocation")
    for wrong in ("943 476 5918", "0000000000"):  # a bad check digit; ten repeated digits
        nhs.fill(wrong)
        check.click()
        expect(page.locator("#nhs_number-error")).to_contain_text("Enter a valid NHS number")
        expect(page.get_by_role("button", name="Confirm the referral")).to_be_hidden()
    nhs.fill("943 476 5919")
    page.get_by_label("Notes (optional)").fill("x" * 4001)
    check.click()
    expect(page.locator("#notes-error")).to_contain_text("4,000 characters or fewer")
    expect(page.locator("#night-error")).to_be_hidden()
    check_page(page, "referral-notes-too-long")
