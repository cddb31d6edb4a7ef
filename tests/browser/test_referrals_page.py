"""Referrals: the list with its filters and pages, and one referral's record and actions."""

from __future__ import annotations

import itertools
import random
import re
import string
from datetime import date, datetime, time, timedelta
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
    nhs: str | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "nhs_number": nhs or nhs_number(),
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


def day_words(iso: str) -> str:
    """2026-11-23 as staff read it: 23 November 2026."""
    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def hours_words(hours: float) -> str:
    """Hours without trailing zeros: 19.28, 36, 0.5."""
    return f"{hours:.2f}".rstrip("0").rstrip(".")


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
    # The CSV holds what the filters match, every page of it, for a spreadsheet.
    link = page.get_by_test_id("referrals-csv")
    expect(link).to_have_text(re.compile(r"^Download (this referral|these \d+ referrals) as CSV$"))
    csv = page.request.get(link.get_attribute("href") or "")
    assert csv.status == 200 and csv.headers["content-type"].startswith("text/csv")
    assert ending["name"] in csv.text() and started["name"] not in csv.text()

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


# ---- Find a person: POST /v1/referrals/search, never in the address ----


def surname() -> str:
    """Letters in no other test's names, so a search by part of a name finds only ours."""
    return "Quill" + "".join(random.choices(string.ascii_lowercase, k=8))


def find(page: Any, text: str) -> None:
    page.get_by_label("NHS number or name").fill(text)
    page.get_by_role("button", name="Find", exact=True).click()


def watch(page: Any) -> tuple[list[str], list[str]]:
    """Every request's address and every console message the page makes from now on."""
    urls: list[str] = []
    console: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.on("console", lambda m: console.append(m.text))
    return urls, console


def history_of(page: Any) -> tuple[int, str]:
    length, state = page.evaluate("() => [history.length, JSON.stringify(history.state)]")
    return length, state


def ids_in_table(page: Any) -> list[int]:
    rows = page.get_by_test_id("referrals-table").locator("tbody tr")
    return [int(r.get_attribute("data-referral")) for r in rows.all()]


def test_find_a_person_by_nhs_number_with_spaces_keeps_it_out_of_the_address(
    page: Any, server: Server, westwood: dict[str, dict[str, Any]]
) -> None:
    zone = westwood["started"]["day_zone"]
    last = surname()
    nhs = nhs_number()
    first = refer(server, f"Edith {last}", WESTWOOD, start=uk_today(), hours=1, nhs=nhs)
    event(server, first["id"], {"kind": "ended", "outcome": "readmitted"})
    again = refer(server, f"Edith {last}", WESTWOOD, start=uk_today(), hours=1, nhs=nhs)
    other = refer(server, f"Frank {last}", WESTWOOD, start=uk_today(), hours=1)

    sign_in(page, server.keys[Role.brokerage], "/referrals")
    page.goto(f"/referrals?zone={zone}")
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    expect(page.get_by_test_id("referrals-table")).to_be_visible()
    urls, console = watch(page)
    history_before = history_of(page)
    box = page.get_by_label("NHS number or name")
    expect(box).to_have_attribute("aria-describedby", "search-hint")
    expect(page.locator("#search-hint")).to_have_text(
        "For example 943 476 5919, or part of the name"
    )

    with page.expect_request("**/v1/referrals/search") as sent:
        find(page, spaced(nhs))
    assert sent.value.method == "POST"
    assert sent.value.post_data_json == {"nhs_number": nhs, "limit": 50, "offset": 0}
    heading = page.get_by_test_id("search-heading")
    expect(heading).to_have_text(f"2 referrals for NHS number {spaced(nhs)}")
    expect(heading).to_be_focused()
    expect(page.get_by_test_id("referrals-status")).to_have_text("Showing 1 to 2 of 2 referrals")
    assert ids_in_table(page) == [first["id"], again["id"]]  # both episodes, oldest first
    table = page.get_by_test_id("referrals-table")
    expect(table.locator(f'tr[data-referral="{first["id"]}"] .govuk-tag')).to_have_text("Ended")
    expect(table.locator(f'tr[data-referral="{other["id"]}"]')).to_have_count(0)
    expect(table.get_by_role("link", name=westwood["started"]["name"])).to_have_count(0)
    expect(page.get_by_role("button", name="Find", exact=True)).to_be_enabled()

    # The NHS number went in the POST body only: not in the address, not in history.
    assert query_of(page) == {"zone": [zone]}
    assert history_of(page) == history_before
    for searched in (nhs, spaced(nhs), "943"):
        assert searched not in page.url
    assert not [u for u in urls if nhs in u or nhs[:3] + "%20" in u or nhs[:3] + "+" in u]
    assert history_before[1] == "null"
    check_page(page, "referrals-search-nhs-number")

    # Clearing the search shows the filtered list again, in place.
    page.get_by_role("link", name="Clear the search").click()
    expect(heading).to_be_hidden()
    expect(table.get_by_role("link", name=westwood["started"]["name"])).to_be_visible()
    expect(page.get_by_test_id("referrals-status")).to_contain_text(re.compile(r"^Showing 1 to"))
    expect(box).to_have_value("")
    expect(box).to_be_focused()
    assert query_of(page) == {"zone": [zone]}
    assert history_of(page) == history_before
    # Nothing personal reached the console.
    assert not [m for m in console if nhs in m or nhs[:3] in m or last in m], console


def test_find_by_part_of_a_name_in_another_case_pages_through_the_search(
    page: Any, server: Server
) -> None:
    last = surname()
    people = [
        refer(server, f"Mary {last}-Jones", WESTWOOD, start=uk_today(), hours=1),
        refer(server, f"Tom {last}", WESTWOOD, start=uk_today(), hours=1),
        refer(server, f"Zoe {last}", WESTWOOD, start=uk_today(), hours=1),
    ]
    stranger = refer(server, f"Mary {surname()}", WESTWOOD, start=uk_today(), hours=1)
    typed = last[2:].upper()  # part of the name, in capitals

    sign_in(page, server.keys[Role.brokerage], "/referrals")
    page.goto("/referrals?limit=2")  # the page size of the list is the search's too
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    urls, console = watch(page)
    history_before = history_of(page)

    with page.expect_request("**/v1/referrals/search") as sent:
        find(page, f"  {typed} ")
    assert sent.value.post_data_json == {"name": typed, "limit": 2, "offset": 0}
    heading = page.get_by_test_id("search-heading")
    expect(heading).to_have_text(f"3 referrals for names containing '{typed}'")
    expect(heading).to_be_focused()
    status = page.get_by_test_id("referrals-status")
    expect(status).to_have_text("Showing 1 to 2 of 3 referrals")
    assert ids_in_table(page) == [people[0]["id"], people[1]["id"]]
    expect(page.get_by_test_id("referrals-table")).to_contain_text(f"Mary {last}-Jones")

    pages = page.get_by_role("navigation", name="Pages of the search results")
    expect(pages.get_by_role("button", name=re.compile("^Previous"))).to_have_count(0)
    with page.expect_request("**/v1/referrals/search") as sent:
        pages.get_by_role("button", name=re.compile("^Next page")).click()
    assert sent.value.post_data_json == {"name": typed, "limit": 2, "offset": 2}
    expect(status).to_have_text("Showing 3 to 3 of 3 referrals")
    assert ids_in_table(page) == [people[2]["id"]]
    expect(heading).to_have_text(f"3 referrals for names containing '{typed}'")
    expect(heading).to_be_focused()
    assert stranger["id"] not in ids_in_table(page)
    check_page(page, "referrals-search-name-page-2")

    pages.get_by_role("button", name=re.compile("^Previous page")).click()
    expect(status).to_have_text("Showing 1 to 2 of 3 referrals")
    assert ids_in_table(page) == [people[0]["id"], people[1]["id"]]

    # Paging moved through the search in the page, not through the address.
    assert urlparse(page.url).path == "/referrals"
    assert query_of(page) == {"limit": ["2"]}
    assert history_of(page) == history_before
    assert not [u for u in urls if typed.lower() in u.lower()]
    assert not [m for m in console if typed.lower() in m.lower()], console


def test_find_refuses_an_empty_box_and_an_invalid_nhs_number_on_the_box(
    page: Any, server: Server
) -> None:
    sign_in(page, server.keys[Role.brokerage], "/referrals")
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    urls, _ = watch(page)
    box = page.get_by_label("NHS number or name")
    error = page.locator("#search-error")
    summary = page.locator("#error-summary")

    # Empty, or one letter: refused in the page, nothing sent.
    for typed in ("", "   ", "a"):
        box.fill(typed)
        page.get_by_role("button", name="Find", exact=True).click()
        expect(error).to_have_text("Error: Enter an NHS number or at least 2 letters of a name")
        expect(summary).to_contain_text("Enter an NHS number or at least 2 letters of a name")
    # Digits that are not 10 are a mistyped NHS number, not a name.
    find(page, "943 476 591")
    expect(error).to_contain_text("Enter an NHS number with 10 digits")
    assert not [u for u in urls if u.endswith("/v1/referrals/search")]
    expect(page.locator("#search-group")).to_have_class(re.compile("govuk-form-group--error"))
    expect(box).to_have_class(re.compile("govuk-input--error"))
    expect(box).to_have_attribute("aria-describedby", "search-hint search-error")
    expect(page.get_by_test_id("search-heading")).to_be_hidden()
    expect(page.get_by_test_id("referrals-table")).to_be_visible()  # the list is still there

    # A wrong check digit: the server's 422 (body.nhs_number), said in staff words.
    valid = nhs_number()
    wrong = valid[:9] + str((int(valid[9]) + 1) % 10)
    with page.expect_response("**/v1/referrals/search") as answer:
        find(page, spaced(wrong))
    assert answer.value.status == 422
    assert answer.value.json()["error"]["fields"][0]["field"] == "body.nhs_number"
    message = (
        "Enter a valid NHS number: check it against the referral (its last digit is a check digit)"
    )
    expect(error).to_have_text(f"Error: {message}")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("link")).to_have_text(message)
    expect(summary).not_to_contain_text("modulus")
    expect(page.get_by_role("button", name="Find", exact=True)).to_be_enabled()
    assert wrong not in page.url
    check_page(page, "referrals-search-error")
    summary.get_by_role("link").click()
    expect(box).to_be_focused()

    # A search that works clears the error.
    find(page, surname())
    expect(page.get_by_test_id("search-heading")).to_contain_text("No referrals for names")
    expect(error).to_be_hidden()
    expect(summary).to_be_hidden()
    expect(page.locator("#search-group")).not_to_have_class(re.compile("govuk-form-group--error"))


def test_find_says_when_there_are_no_referrals_for_the_person(page: Any, server: Server) -> None:
    sign_in(page, server.keys[Role.brokerage], "/referrals")
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    heading = page.get_by_test_id("search-heading")
    nobody = nhs_number()  # valid, and never referred
    find(page, f"{nobody[:3]}-{nobody[3:6]}-{nobody[6:]}")  # hyphens count as spaces
    expect(heading).to_have_text(f"No referrals for NHS number {spaced(nobody)}")
    expect(heading).to_be_focused()
    expect(page.get_by_test_id("referrals-table")).to_have_count(0)
    expect(page.get_by_role("navigation", name="Pages of the search results")).to_have_count(0)
    check_page(page, "referrals-search-none")

    name = surname()
    find(page, name)
    expect(heading).to_have_text(f"No referrals for names containing '{name}'")
    expect(page.get_by_test_id("referrals-table")).to_have_count(0)

    # Clearing returns to the whole list.
    page.get_by_role("link", name="Clear the search").click()
    expect(heading).to_be_hidden()
    expect(page.get_by_test_id("referrals-table")).to_be_visible()


def test_find_waits_for_its_answer_and_a_later_request_wins(page: Any, server: Server) -> None:
    nhs = nhs_number()
    last = surname()
    first = refer(server, f"Ivy {last}", WESTWOOD, start=uk_today(), hours=1, nhs=nhs)
    again = refer(server, f"Ivy {last}", WESTWOOD, start=uk_today(), hours=1, nhs=nhs)
    sign_in(page, server.keys[Role.brokerage], "/referrals")

    # The list is slow to answer; a search made meanwhile keeps the table.
    held_list: list[Any] = []
    held_search: list[Any] = []

    def is_list(url: str) -> bool:
        return urlparse(url).path == "/v1/referrals"

    page.route(is_list, lambda r: held_list.append(r))
    page.route("**/v1/referrals/search", lambda r: held_search.append(r))
    page.goto("/referrals?limit=1")
    for _ in range(200):
        if held_list:
            break
        page.wait_for_timeout(50)
    assert held_list, "the list was not asked for"
    find(page, spaced(nhs))
    find_button = page.get_by_role("button", name="Find", exact=True)
    expect(find_button).to_be_disabled()  # one search at a time
    expect(page.get_by_test_id("referrals-status")).to_have_text("Searching…")
    # Enter in the box sends nothing more while the button is disabled.
    page.get_by_label("NHS number or name").press("Enter")
    for _ in range(100):
        if held_search:
            break
        page.wait_for_timeout(50)
    page.wait_for_timeout(300)
    assert len(held_search) == 1
    held_search.pop().continue_()
    heading = page.get_by_test_id("search-heading")
    expect(heading).to_have_text(f"2 referrals for NHS number {spaced(nhs)}")
    expect(find_button).to_be_enabled()
    page.unroute(is_list)
    held_list.pop().continue_()
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    expect(heading).to_be_visible()
    assert ids_in_table(page) == [first["id"]]
    expect(page.get_by_test_id("referrals-status")).to_have_text("Showing 1 to 1 of 2 referrals")

    # The next page is slow; clearing the search meanwhile wins over its late answer.
    page.get_by_role("button", name=re.compile("^Next page")).click()
    for _ in range(100):
        if held_search:
            break
        page.wait_for_timeout(50)
    assert held_search, "the next page was not asked for"
    page.get_by_role("link", name="Clear the search").click()
    expect(heading).to_be_hidden()
    expect(page.get_by_test_id("referrals-status")).to_contain_text(
        re.compile(r"^Showing 1 to 1 of \d+ referrals$")
    )
    listed = ids_in_table(page)
    held_search.pop().continue_()
    page.wait_for_timeout(500)  # the late page arrives, and is dropped
    expect(heading).to_be_hidden()
    assert ids_in_table(page) == listed != [again["id"]]
    expect(find_button).to_be_enabled()
    page.unroute_all()


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
    expect(started).to_contain_text("Recorded by Test brokerage")  # the signed-in key's name
    expect(summary).to_contain_text("Started")
    expect(page.get_by_role("button", name="Record the start")).to_be_hidden()

    # More hours than the provider has: said in staff words from the answer's figures
    # (not the developers' message), with a reason to go over.
    hours = page.get_by_label("New hours a week")
    hours.fill("20")
    with page.expect_response(f"**/v1/referrals/{made['id']}/events") as answer:
        page.get_by_role("button", name="Change the hours").click()
    assert answer.value.status == 409
    detail = answer.value.json()["error"]["detail"]
    full = page.get_by_test_id("hours-full")
    expect(full).to_be_visible()
    expect(page.locator("#hours-full-text")).to_have_text(
        f"{made['provider']['name']} does not have the hours: in the week of "
        f"{day_words(detail['week_start'])} it has {hours_words(detail['hours_left'])} hours "
        f"left, and this change needs {hours_words(detail['hours_asked'])} hours that week. "
        "To go over its commissioned hours, give the reason and change the hours again. "
        "Or enter fewer hours."
    )
    expect(full).not_to_contain_text("capacity_override_reason")
    expect(full).not_to_contain_text(" h left")
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
    with page.expect_response(f"**/v1/referrals/{made['id']}/events") as answer:
        change.click()
    assert answer.value.json()["error"]["code"] == "ucr_cap_reached"
    detail = answer.value.json()["error"]["detail"]
    capped = (
        "Urgent Community Response hours would pass the weekly cap: in the week of "
        f"{day_words(detail['week_start'])} there are {hours_words(detail['hours_left'])} "
        f"hours left under the cap, and this change needs {hours_words(detail['hours_asked'])} "
        "hours that week. Enter fewer hours."
    )
    expect(page.locator("#hours-value-error")).to_have_text(f"Error: {capped}")
    expect(summary).to_contain_text(capped)
    expect(summary).not_to_contain_text(" h asked")
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

    # A search's results, and a long name that finds no one, stay in the window too.
    page.goto("/referrals")
    expect(page.locator("body[data-referrals-ready]")).to_have_count(1)
    heading = page.get_by_test_id("search-heading")
    for typed, says in (
        (spaced(westwood["started"]["nhs_number"]), "1 referral for NHS number"),
        ("Quill" + "x" * 80, "No referrals for names containing"),
    ):
        find(page, typed)
        expect(heading).to_contain_text(says)
        width, window = page.evaluate(
            "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width <= window, f"{says}: {width} px wide in a {window} px window"
    check_page(page, "narrow-referrals-search")


def page_is_narrow(page: Any, what: str) -> None:
    width, window = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert width <= window, f"{what}: {width} px wide in a {window} px window"


@pytest.mark.parametrize(
    "name",
    ["Wolfeschlegelsteinhausenbergerdorff", ("Wolfeschlegelsteinhausenbergerdorff" * 6)[:200]],
    ids=["35", "200"],
)
def test_a_long_one_word_name_wraps_on_a_phone(page: Any, server: Server, name: str) -> None:
    made = refer(server, name, WESTWOOD, start=uk_today(), hours=1)
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, server.keys[Role.brokerage], f"/referrals/{made['id']}")
    expect(page.locator("body[data-referral-ready]")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page_is_narrow(page, "the referral")
    # The success banner names the person too.
    page.get_by_role("button", name="Record the start").click()
    done = page.get_by_test_id("action-done")
    expect(done).to_contain_text(f"Start recorded for {name}")
    page_is_narrow(page, "the banner")
    check_page(page, f"referral-record-long-name-{len(name)}")


def test_a_time_the_server_refuses_shows_its_reason_on_the_when_field(
    page: Any, server: Server
) -> None:
    # The API refuses an end in the future, and an end before the start, in staff
    # words (422, code event_time, on body.at): the page shows those words, not its own.
    today = uk_today()
    made = refer(server, unique("Time Person"), WESTWOOD, start=today - timedelta(days=3))
    began = datetime.combine(today - timedelta(days=2), time(9, 0), ZoneInfo("Europe/London"))
    event(server, made["id"], {"kind": "started", "at": began.strftime("%Y-%m-%dT%H:%M:%S")})
    sign_in(page, server.keys[Role.brokerage], f"/referrals/{made['id']}")
    expect(page.locator("body[data-referral-ready]")).to_have_count(1)
    page.get_by_label("Reduced need").check()
    when = page.get_by_label("When the support ended (optional)")
    error = page.locator("#end-at-error")
    summary = page.locator("#error-summary")
    end = page.get_by_role("button", name="End the support")

    when.fill(f"{today.year + 1}-01-15T10:00")
    end.click()
    future = "The end cannot be in the future: record it once it has happened."
    expect(error).to_have_text(f"Error: {future}")
    expect(summary).to_contain_text(future)
    expect(summary).not_to_contain_text("1 January 2000")
    expect(page.locator("#end-at-group")).to_have_class(re.compile("govuk-form-group--error"))
    check_page(page, "referral-record-end-in-the-future")
    summary.get_by_role("link", name=future).click()
    expect(when).to_be_focused()

    when.fill((began - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    end.click()
    before = (
        f"The end cannot be before the start ({began.day} {began:%B %Y}, 09:00 {began.tzname()})."
    )
    expect(error).to_have_text(f"Error: {before}")
    expect(summary).to_contain_text(before)
    expect(page.get_by_test_id("history-table").locator('tr[data-kind="ended"]')).to_have_count(0)


def test_a_service_out_of_reach_is_said_in_staff_words(page: Any, server: Server) -> None:
    made = refer(server, unique("Offline Person"), WESTWOOD, start=uk_today(), hours=1)
    unreachable = "The service could not be reached. Check your connection and try again."
    sign_in(page, server.keys[Role.brokerage], f"/referrals/{made['id']}")
    expect(page.locator("body[data-referral-ready]")).to_have_count(1)
    # The connection drops before an action is sent: the browser's own words
    # ("Failed to fetch") are not shown, staff words are.
    page.route(f"**/v1/referrals/{made['id']}/events", lambda route: route.abort())
    page.get_by_role("button", name="Record the start").click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(unreachable)
    expect(summary).not_to_contain_text("Failed to fetch")
    expect(page.get_by_role("button", name="Record the start")).to_be_enabled()
    check_page(page, "referral-record-unreachable")
    # And when the page itself cannot load the referral.
    page.route(f"**/v1/referrals/{made['id']}", lambda route: route.abort())
    page.reload()
    expect(page.locator("body[data-referral-ready]")).to_have_count(1)
    expect(page.get_by_test_id("record-status")).to_have_text(
        f"The referral could not load: {unreachable}"
    )
