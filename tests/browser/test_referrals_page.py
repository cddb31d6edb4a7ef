"""Referrals: the list with its filters and pages, and one referral's record and actions."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import api, nhs_number

# CV4 8AA: Westwood (E05001232 in the postcode table), zone 2A; no other browser test
# refers anyone there, so a list filtered to its zone holds only this file's people.
WESTWOOD = "CV4 8AA"
# CV6 6AA: Longford, zone 1B; test_referral.py fills its provider too (filling again is a no-op).
LONGFORD = "CV6 6AA"
_names = itertools.count(1)


def uk_today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def unique(name: str) -> str:
    """A name no other test uses, so a row is found by its name alone."""
    return f"{name} {next(_names)}{nhs_number()[-4:]}"


def refer(
    server: Server,
    name: str,
    postcode: str,
    *,
    start: date,
    hours: float = 5,
    source: str = "community",
    override: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "nhs_number": nhs_number(),
        "name": name,
        "address": {"postcode": postcode},
        "source": source,
        "requested_start": f"{start}T09:00:00",
        "hours_per_week": hours,
    }
    if override:
        body["capacity_override_reason"] = override
    status, made = api(server, "POST", "/v1/referrals", body)
    assert status == 201, made
    return made


def event(server: Server, referral_id: int, body: dict[str, Any]) -> dict[str, Any]:
    status, answer = api(server, "POST", f"/v1/referrals/{referral_id}/events", body)
    assert status == 200, answer
    return answer


def fill_provider(server: Server, postcode: str) -> None:
    """Refer people at ``postcode`` until its provider has under an hour a week spare."""
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
                    "requested_start": f"{uk_today()}T09:00:00",
                    "hours_per_week": hours,
                },
            )
            if status == 409:
                assert body["error"]["code"] == "provider_full", body
                break
            assert status == 201, body


@pytest.fixture(scope="module")
def westwood(server: Server) -> dict[str, dict[str, Any]]:
    """Three people in zone 2A: accepted and ending in two days, started, and ended."""
    status, allocation = api(server, "POST", "/v1/allocations", {"postcode": WESTWOOD})
    assert status == 200 and allocation["in_area"], allocation
    today = uk_today()
    ending = refer(server, unique("Ending Soon"), WESTWOOD, start=today - timedelta(days=40))
    started = refer(server, unique("Started Person"), WESTWOOD, start=today)
    event(server, started["id"], {"kind": "started"})
    ended = refer(server, unique("Ended Person"), WESTWOOD, start=today)
    event(server, ended["id"], {"kind": "ended", "outcome": "readmitted"})
    assert ending["day_zone"] == started["day_zone"] == allocation["day_zone"]["code"]
    return {"ending": ending, "started": started, "ended": ended}


def query_of(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def spaced(nhs: str) -> str:
    return f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}"


def test_the_list_filters_by_zone_status_and_ending_within_in_the_address(
    page: Any, server: Server, westwood: dict[str, dict[str, Any]]
) -> None:
    ending, started, ended = westwood["ending"], westwood["started"], westwood["ended"]
    zone = ending["day_zone"]
    sign_in(page, server.keys[Role.brokerage], "/referrals")
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    # The zones come from the council's zones, not from the page.
    expect(page.locator("#zone option")).to_have_count(7)  # "Any zone" and six zones
    page.get_by_label("Day zone").select_option(zone)
    page.get_by_role("button", name="Show referrals").click()
    expect(page).to_have_url(re.compile(rf"/referrals\?zone={zone}$"))
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    table = page.get_by_test_id("referrals-table")
    for person in (ending, started, ended):
        expect(table.get_by_role("link", name=person["name"])).to_be_visible()
    row = table.locator(f'tr[data-referral="{started["id"]}"]')
    expect(row).to_contain_text(spaced(started["nhs_number"]))  # 3-3-4
    expect(row).to_contain_text(WESTWOOD)
    expect(row).to_contain_text(started["provider"]["name"])
    expect(row.locator(".govuk-tag")).to_have_text("Started")
    expect(table.locator(f'tr[data-referral="{ended["id"]}"] .govuk-tag')).to_have_text("Ended")
    expect(page.get_by_test_id("referrals-status")).to_contain_text(re.compile(r"Showing 1 to \d+"))
    check_page(page, "referrals-list")

    page.get_by_label("Status").select_option("started")
    page.get_by_role("button", name="Show referrals").click()
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    assert query_of(page) == {"status": ["started"], "zone": [zone]}
    expect(table.get_by_role("link", name=started["name"])).to_be_visible()
    expect(table.get_by_role("link", name=ending["name"])).to_have_count(0)
    expect(table.get_by_role("link", name=ended["name"])).to_have_count(0)

    # Ending within 7 days: not ended, and the six weeks end by then (or have passed).
    page.get_by_label("Status").select_option("")
    page.get_by_label("Ending within (days)").fill("7")
    page.get_by_role("button", name="Show referrals").click()
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    assert query_of(page) == {"zone": [zone], "ends_within_days": ["7"]}
    expect(table.get_by_role("link", name=ending["name"])).to_be_visible()
    expect(table.get_by_role("link", name=started["name"])).to_have_count(0)
    expect(table.get_by_role("link", name=ended["name"])).to_have_count(0)

    # Back shows the list before, with its filter in the form again.
    page.go_back()
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    expect(page.get_by_label("Status")).to_have_value("started")
    expect(table.get_by_role("link", name=started["name"])).to_be_visible()
    expect(table.get_by_role("link", name=ending["name"])).to_have_count(0)

    # A name opens the referral.
    table.get_by_role("link", name=started["name"]).click()
    expect(page).to_have_url(re.compile(rf"/referrals/{started['id']}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(started["name"])


def test_the_list_pages_through_with_previous_and_next(
    page: Any, server: Server, westwood: dict[str, dict[str, Any]]
) -> None:
    zone = westwood["ending"]["day_zone"]
    sign_in(page, server.keys[Role.brokerage], "/referrals")
    page.goto(f"/referrals?zone={zone}&limit=2")
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    status = page.get_by_test_id("referrals-status")
    expect(status).to_contain_text(re.compile(r"^Showing 1 to 2 of \d+ referrals$"))
    total = int(re.findall(r"of (\d+)", status.inner_text())[0])
    assert total >= 3
    expect(page.get_by_test_id("referrals-table").locator("tbody tr")).to_have_count(2)
    pages = page.get_by_role("navigation", name="Pages of referrals")
    expect(pages.get_by_role("link", name=re.compile("^Previous"))).to_have_count(0)
    pages.get_by_role("link", name=re.compile("^Next page")).click()
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    assert query_of(page) == {"zone": [zone], "limit": ["2"], "offset": ["2"]}
    expect(status).to_contain_text(re.compile(rf"^Showing 3 to \d of {total} referrals$"))
    check_page(page, "referrals-page-2")
    pages.get_by_role("link", name=re.compile("^Previous page")).click()
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    expect(status).to_have_text(f"Showing 1 to 2 of {total} referrals")


def test_the_list_says_when_nothing_matches_and_refuses_a_bad_number_of_days(
    page: Any, server: Server, westwood: dict[str, dict[str, Any]]
) -> None:
    zone = westwood["ended"]["day_zone"]
    # Ended referrals never count as ending soon.
    sign_in(page, server.keys[Role.brokerage], "/referrals")
    page.goto(f"/referrals?zone={zone}&status=ended&ends_within_days=0")
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    expect(page.get_by_test_id("referrals-status")).to_have_text(
        "No referrals match these filters."
    )
    expect(page.get_by_test_id("referrals-table")).to_have_count(0)

    field = page.get_by_label("Ending within (days)")
    field.fill("six")
    page.get_by_role("button", name="Show referrals").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Enter the number of days as a whole number from 0 to 3650")
    expect(page.locator("#ends_within_days-error")).to_contain_text("whole number from 0 to 3650")
    expect(page.locator("#ends_within_days-group")).to_have_class(
        re.compile("govuk-form-group--error")
    )
    assert "six" not in page.url  # refused in the page, not sent
    check_page(page, "referrals-filter-error")
    summary.get_by_role("link").click()
    expect(field).to_be_focused()

    # A typed address is checked the same way, on the same field.
    page.goto(f"/referrals?ends_within_days=-1&zone={zone}")
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    expect(page.locator("#ends_within_days-error")).to_be_visible()
    expect(page.get_by_test_id("referrals-table")).to_have_count(0)


def test_a_referral_is_started_its_hours_changed_over_a_full_provider_then_ended(
    page: Any, server: Server
) -> None:
    fill_provider(server, LONGFORD)
    today = uk_today()
    made = refer(
        server, unique("Record Person"), LONGFORD, start=today, hours=2, override="Test set-up"
    )
    sign_in(page, server.keys[Role.brokerage], f"/referrals/{made['id']}")
    expect(page.locator("body[data-referral-ready]")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(made["name"])
    summary = page.get_by_test_id("referral-summary")
    expect(summary).to_contain_text(spaced(made["nhs_number"]))
    expect(summary).to_contain_text(LONGFORD)
    expect(summary).to_contain_text("Longford (E05001225)")
    expect(summary).to_contain_text(made["provider"]["name"])
    expect(summary).to_contain_text("Accepted, not started")
    expect(summary).to_contain_text("Test set-up")  # accepted over the provider's hours
    history = page.get_by_test_id("history-table")
    expect(history.locator("tbody tr")).to_have_count(1)
    expect(history.locator('tr[data-kind="accepted"]')).to_contain_text("Accepted")
    check_page(page, "referral-record-accepted")

    # Record the start, at a time given in UK time (an hour ago, to the minute).
    began = (datetime.now(ZoneInfo("Europe/London")) - timedelta(hours=1)).strftime(
        "%Y-%m-%dT%H:%M"
    )
    page.get_by_label("When the support started (optional)").fill(began)
    page.locator("#start-note").fill("Carer arrived")
    page.get_by_role("button", name="Record the start").click()
    done = page.get_by_test_id("action-done")
    expect(done).to_contain_text(f"Start recorded for {made['name']}")
    expect(done).to_be_focused()
    started = history.locator('tr[data-kind="started"]')
    expect(started).to_contain_text(re.compile(rf"{began[11:]} (BST|GMT)"))
    expect(started).to_contain_text("Carer arrived")
    expect(summary).to_contain_text("Started")
    expect(page.get_by_role("button", name="Record the start")).to_be_hidden()

    # More hours than the provider has: said in staff words, with a reason to go over.
    hours = page.get_by_label("New hours a week")
    hours.fill("20")
    page.get_by_role("button", name="Change the hours").click()
    full = page.get_by_test_id("hours-full")
    expect(full).to_be_visible()
    expect(full).to_contain_text(
        f"{made['provider']['name']} does not have the hours for 20 a week"
    )
    expect(full).not_to_contain_text("capacity_override_reason")
    expect(page.locator("#error-summary")).to_contain_text("give the reason to go over them")
    expect(done).to_be_hidden()
    expect(history.locator('tr[data-kind="hours_changed"]')).to_have_count(0)
    check_page(page, "referral-record-provider-full")
    page.locator("#error-summary").get_by_role("link").click()
    reason = page.get_by_label("Reason to go over the provider's hours")
    expect(reason).to_be_focused()
    reason.fill("Needs two carers after a fall")
    button = page.get_by_role("button", name="Change the hours")
    button.dblclick()  # one change, however often it is pressed
    expect(done).to_contain_text(
        f"Hours changed to 20 a week for {made['name']}, over the provider's commissioned hours"
    )
    expect(done).to_be_focused()
    changed = history.locator('tr[data-kind="hours_changed"]')
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("2 to 20")
    expect(changed).to_contain_text("Over the provider's hours: Needs two carers after a fall")
    expect(full).to_be_hidden()
    expect(hours).to_have_value("")

    # End, with the outcome (required) and a note.
    page.get_by_role("button", name="End the support").click()
    expect(page.locator("#end-outcome-error")).to_contain_text("Select how the support ended")
    expect(page.locator("#error-summary")).to_contain_text("Select how the support ended")
    page.get_by_label("Reduced need").check()
    page.locator("#end-note").fill("Family now helping")
    page.get_by_role("button", name="End the support").click()
    expect(done).to_contain_text(f"Support ended for {made['name']}: Reduced need")
    ended = history.locator('tr[data-kind="ended"]')
    expect(ended).to_contain_text("Outcome: Reduced need")
    expect(ended).to_contain_text("Family now helping")
    expect(summary).to_contain_text("Ended")
    expect(
        page.get_by_text("This referral has ended: there is nothing more to record.")
    ).to_be_visible()
    expect(page.get_by_role("button", name="Change the hours")).to_be_hidden()
    expect(page.get_by_role("button", name="End the support")).to_be_hidden()
    check_page(page, "referral-record-ended")

    status, stored = api(server, "GET", f"/v1/referrals/{made['id']}", None)
    assert status == 200, stored
    assert [e["kind"] for e in stored["history"]] == [
        "accepted",
        "started",
        "hours_changed",
        "ended",
    ]
    assert stored["history"][1]["at"].startswith(f"{began}:00")
    assert (stored["hours_per_week"], stored["outcome"]) == (20, "reduced_need")
    assert stored["history"][2]["override_reason"] == "Needs two carers after a fall"


def test_refused_inputs_show_their_errors_on_their_fields(page: Any, server: Server) -> None:
    made = refer(
        server,
        unique("Urgent Person"),
        WESTWOOD,
        start=uk_today(),
        hours=1,
        source="urgent_community_response",
    )
    sign_in(page, server.keys[Role.brokerage], f"/referrals/{made['id']}")
    expect(page.locator("body[data-referral-ready]")).to_have_count(1)
    hours = page.get_by_label("New hours a week")
    change = page.get_by_role("button", name="Change the hours")
    summary = page.locator("#error-summary")

    for wrong in ("many", "0x10", "200"):
        hours.fill(wrong)
        change.click()
        expect(page.locator("#hours-value-error")).to_contain_text(
            "Enter hours a week between 0.25 and 112"
        )
        expect(page.locator("#hours-value")).to_have_class(re.compile("govuk-input--error"))
    check_page(page, "referral-record-hours-error")
    summary.get_by_role("link").click()
    expect(hours).to_be_focused()

    # The server's refusal lands on the field too: Urgent Community Response hours
    # are capped at 100 a week in all, and 1 to 112 adds 111.
    hours.fill("112")
    page.locator("#hours-at").fill("1999-12-31T10:00")
    change.click()
    expect(page.locator("#hours-at-error")).to_contain_text(
        "from 1 January 2000 to 31 December 2099"
    )
    page.locator("#hours-at").fill("")
    change.click()
    expect(page.locator("#hours-value-error")).to_contain_text("Urgent Community Response hours")
    expect(summary).to_contain_text("Urgent Community Response hours")
    expect(summary).not_to_contain_text("body.")
    expect(page.locator("#hours-at-error")).to_be_hidden()
    expect(page.get_by_test_id("hours-full")).to_be_hidden()

    # Another broker ends it meanwhile: the start is refused, said plainly, and the
    # page shows the referral as it now is.
    event(server, made["id"], {"kind": "ended", "outcome": "no_ongoing_support"})
    page.get_by_role("button", name="Record the start").click()
    expect(summary).to_contain_text("This was not recorded: the referral is ended now")
    expect(page.get_by_test_id("referral-summary")).to_contain_text("No ongoing support needed")
    expect(page.get_by_role("button", name="Record the start")).to_be_hidden()


def test_an_unknown_referral_is_said_plainly(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage], "/referrals/99999999")
    expect(page.locator("body[data-referral-ready]")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("No referral 99999999")
    expect(page.locator("main")).to_contain_text("There is no referral with the number 99999999")
    expect(page.locator("main")).not_to_contain_text("not_found")
    expect(page.get_by_test_id("actions")).to_be_hidden()
    expect(page).to_have_title(re.compile("^No referral 99999999 – "))
    check_page(page, "referral-record-unknown")
    page.get_by_role("link", name="find the referral in the list").click()
    expect(page).to_have_url(re.compile(r"/referrals$"))


@pytest.mark.parametrize("role", [Role.night_coordinator, Role.commissioner])
def test_other_roles_get_the_forbidden_page(page: Any, server: Server, role: Role) -> None:
    sign_in(page, server.keys[role])
    for path in ("/referrals", "/referrals/1"):
        response = page.goto(path)
        assert response is not None and response.status == 403
        expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see referrals")
    nav = page.get_by_role("navigation", name="Menu")
    expect(nav.get_by_role("link", name="Referrals")).to_have_count(0)
    check_page(page, f"referrals-forbidden-{role.value}")


def test_the_five_weeks_list_links_brokers_to_the_referral(page: Any, server: Server) -> None:
    made = refer(server, unique("Five Weeks"), WESTWOOD, start=uk_today() - timedelta(days=36))
    sign_in(page, server.keys[Role.brokerage], "/week")
    expect(page.locator("body[data-week-ready]")).to_have_count(1)
    five = page.get_by_test_id("five-weeks")
    five.get_by_role("link", name=f"Referral {made['id']}", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/referrals/{made['id']}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(made["name"])

    # Commissioners cannot open a referral: they see its number, not a link.
    page.context.clear_cookies()
    sign_in(page, server.keys[Role.commissioner], "/week")
    expect(page.locator("body[data-week-ready]")).to_have_count(1)
    five = page.get_by_test_id("five-weeks")
    expect(five).to_contain_text(str(made["id"]))
    expect(five.get_by_role("link", name=f"Referral {made['id']}")).to_have_count(0)


def test_neither_page_scrolls_sideways_on_a_phone(
    page: Any, server: Server, westwood: dict[str, dict[str, Any]]
) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, server.keys[Role.brokerage], "/referrals")
    for path, ready in (
        ("/referrals", "body[data-referrals-ready]"),
        (f"/referrals/{westwood['started']['id']}", "body[data-referral-ready]"),
    ):
        page.goto(path)
        expect(page.locator(ready)).to_have_count(1)
        width, window = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width <= window, f"{path}: {width} px wide in a {window} px window"
        check_page(page, "narrow-referrals" + path.replace("/", "-"))
