"""Tonight: plan a night, three coloured routes, run sheets, print view, re-plan."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect

from app.security import Role
from tests.app.referral_helpers import body as referral_body
from tests.app.referral_helpers import nhs_number
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import api

# Two people per night zone (1, 2, 3), each with a time-critical call and a turn;
# the places are Coventry postcodes from the offline table.
PEOPLE = (
    ("Person A", "CV2 1QB", "23:00", "02:30"),
    ("Person B", "CV6 4AF", "00:30", "04:00"),
    ("Person C", "CV3 6PH", "02:00", "23:30"),
    ("Person D", "CV5 6PA", "03:30", "01:00"),
    ("Person E", "CV1 1AH", "05:00", "22:30"),
    ("Person F", "CV2 2HR", "06:00", "02:45"),
)


def add_night_users(server: Server) -> None:
    for label, postcode, strict_time, turn_time in PEOPLE:
        body = {
            "label": label,
            "location": {"postcode": postcode},
            "visits": [
                {
                    "requested_time": strict_time,
                    "duration_minutes": 20,
                    "strict": True,
                    "tolerance_minutes": 15,
                    "notes": "medication",
                },
                {"requested_time": turn_time, "duration_minutes": 30, "notes": "turn"},
            ],
        }
        status, created = api(server, "POST", "/v1/night-users", body, Role.night_coordinator)
        assert status == 201, created


def test_plan_tonight_routes_runsheets_print_and_replan(page: Any, server: Server) -> None:
    add_night_users(server)
    sign_in(page, server.keys[Role.night_coordinator])
    expect(page).to_have_url(re.compile(r"/tonight$"))
    check_page(page, "tonight-empty")
    page.get_by_label("Night starting on").fill(str(date.today()))
    page.get_by_role("button", name="Plan the night").click()
    expect(page.get_by_test_id("plan-status")).to_contain_text("ready", timeout=60_000)
    expect(page.locator("#map path.car-route")).to_have_count(3)
    expect(page.locator("#map path.ward-shape")).to_have_count(18)
    expect(page.locator("#map .cz-stop-icon")).to_have_count(12)
    crews = page.locator("#runsheets section.cz-crew")
    expect(crews).to_have_count(3)
    expect(page.get_by_test_id("plan-summary")).to_contain_text("12 of 12 visits served")
    expect(page.get_by_test_id("plan-summary")).to_contain_text(
        "Travel times: estimated, not from roads: straight-line distance × 1.35 at 40 km/h"
    )
    first_row = crews.first.locator("tbody tr").first
    expect(first_row.locator("td").first).to_have_text("1")
    expect(first_row).to_contain_text(re.compile(r"\d\d:\d\d"))
    check_page(page, "tonight-plan")

    plan_id = page.locator("body").get_attribute("data-plan-ready")
    assert plan_id and plan_id.isdigit()
    print_page = page.context.new_page()
    print_page.goto(f"/tonight/print?plan={plan_id}")
    expect(print_page.locator("#runsheets section.cz-crew")).to_have_count(3)
    print_page.emulate_media(media="print")
    expect(print_page.locator("#map")).to_have_count(0)
    expect(print_page.locator(".govuk-service-navigation")).to_be_hidden()
    check_page(print_page, "tonight-print")
    pdf = print_page.pdf(format="A4")
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 3, f"Expected one printed page per crew (3), got {pages}"
    # The same on the page the print view asks for (A4 landscape).
    landscape = print_page.pdf(prefer_css_page_size=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", landscape))
    assert pages == 3, f"Expected one landscape page per crew (3), got {pages}"
    print_page.close()

    # Only the night the clocks go back asks which 01:00-01:59 the time now is.
    expect(page.locator("#now-fold-group")).to_be_hidden()
    page.get_by_label("Time now").fill("23:40")
    done_box = page.get_by_test_id("done-list").locator("input").first
    done_id = done_box.get_attribute("value")
    done_box.check()
    cancel = page.get_by_label("Cancel a visit (optional)")
    cancel.select_option(index=2)
    page.get_by_label("Postcode").fill("CV1 5FB")
    page.get_by_label("Who (as the crew know them)").fill("Person G")
    page.get_by_label("Requested time").fill("03:00")
    page.get_by_role("button", name="Re-plan the rest of the night").click()
    changes = page.get_by_test_id("changes")
    expect(changes).to_contain_text("What changed", timeout=60_000)
    expect(changes).to_contain_text("cancelled")
    expect(changes).to_contain_text(re.compile(r"Person G \(asked for 03:00\): added to Car \d"))
    expect(changes).to_contain_text(re.compile(r"Person [A-F] \(asked for \d\d:\d\d\): cancelled"))
    expect(changes).not_to_contain_text("car-")
    expect(page.locator("#runsheets")).to_contain_text("Person G")
    expect(page.locator("#runsheets")).to_contain_text("Done")  # the done visit stays, fixed
    expect(page.locator(f'#done-list input[value="{done_id}"]')).to_have_count(0)
    assert page.locator("body").get_attribute("data-plan-ready") != plan_id
    check_page(page, "tonight-replanned")


def test_a_visit_no_car_can_make_is_listed_with_its_reason(page: Any, server: Server) -> None:
    # Four hour-long strict calls at 23:00, only on a night two days away (so the other
    # test's night does not see them): three cars cannot be in four places at once.
    night = date.today() + timedelta(days=2)
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[night.weekday()]
    clashes = (
        ("Clash 1", "CV2 1QB"),
        ("Clash 2", "CV6 4AF"),
        ("Clash 3", "CV1 1AH"),
        ("Clash 4", "CV5 6PA"),
    )
    for label, postcode in clashes:
        visit = {
            "requested_time": "23:00",
            "duration_minutes": 60,
            "strict": True,
            "tolerance_minutes": 0,
            "days": [day],
        }
        body = {"label": label, "location": {"postcode": postcode}, "visits": [visit]}
        status, created = api(server, "POST", "/v1/night-users", body, Role.night_coordinator)
        assert status == 201, created
    sign_in(page, server.keys[Role.night_coordinator])
    page.get_by_label("Night starting on").fill(str(night))
    page.get_by_role("button", name="Plan the night").click()
    expect(page.get_by_test_id("plan-status")).to_contain_text("ready", timeout=60_000)
    unassigned = page.get_by_test_id("unassigned")
    expect(unassigned).to_contain_text(re.compile(r"Unassigned visits \(\d+\)"))
    expect(unassigned.locator("li").first).to_contain_text(re.compile(r"\(time-critical\): \w+"))
    check_page(page, "tonight-unassigned")


def test_night_users_are_listed_added_and_removed(page: Any, server: Server) -> None:
    # Runs after the plans above (same file, same server), so the person it adds and
    # removes never reaches their nights.
    sign_in(page, server.keys[Role.night_coordinator], "/night-users")
    expect(page.locator("#users-status")).to_contain_text("people have night visits")
    before = page.get_by_test_id("users-table").locator("tbody tr").count()
    form = page.get_by_test_id("add")
    form.get_by_role("button", name="Add the person").click()
    expect(page.locator("#error-summary")).to_contain_text("Enter who the crew will visit")
    expect(page.locator("#error-summary")).to_contain_text("Enter the requested time, like 02:00")
    form.get_by_label("Who (as the crew know them)").fill("Person Z")
    form.get_by_label("Postcode").fill("CV1 5FB")
    form.get_by_label("Requested time").fill("01:30")
    form.get_by_label("Time-critical (medication)").check()
    # A second visit in the same step.
    form.get_by_role("button", name="Add another visit").click()
    second = form.locator("fieldset.cz-visit").nth(1)
    expect(second.get_by_label("Requested time")).to_be_focused()
    second.get_by_label("Requested time").fill("05:00")
    second.get_by_label("Minutes").fill("15")
    # Only on Friday and Saturday nights; with no night at all the form says so.
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        second.get_by_label(day).uncheck()
    form.get_by_role("button", name="Add the person").click()
    expect(page.locator("#error-summary")).to_contain_text("Choose at least one night for visit 2")
    second.get_by_label("Friday").check()
    second.get_by_label("Saturday").check()
    # The server's refusals come back in the form's words: Rugby is outside the area,
    # and CV99 9ZZ is not a postcode the service holds.
    postcode = form.get_by_label("Postcode")
    postcode.fill("CV21 2AA")
    form.get_by_role("button", name="Add the person").click()
    expect(page.locator("#add-postcode-error")).to_contain_text(
        "This place is outside the council's area ("
    )
    postcode.fill("CV99 9ZZ")
    form.get_by_role("button", name="Add the person").click()
    expect(page.locator("#add-postcode-error")).to_contain_text(
        "We do not hold that postcode; check it"
    )
    postcode.fill("CV1 5FB")
    form.get_by_role("button", name="Add the person").click()
    rows = page.get_by_test_id("users-table").locator("tbody tr")
    expect(rows).to_have_count(before + 1)
    added = rows.filter(has_text="Person Z")
    expect(added).to_contain_text("CV1 5FB")
    expect(added).to_contain_text(
        "01:30 (20 min, time-critical); 05:00 (15 min, nights starting fri, sat)"
    )
    expect(page.locator("#users-status")).to_contain_text("Person Z added.")
    # The form is blank again, with one visit, for the next person.
    expect(form.get_by_label("Who (as the crew know them)")).to_have_value("")
    expect(form.locator("fieldset.cz-visit")).to_have_count(1)
    expect(added.locator("td").nth(1)).to_have_text("3")  # St Michael's is in night zone 3
    check_page(page, "night-users")
    # Removing asks once more; "Keep" leaves the person where they were.
    added.get_by_role("button", name="Remove Person Z").click()
    expect(added).to_contain_text("Remove Person Z and all their visits?")
    added.get_by_role("button", name="Keep Person Z").click()
    expect(added.get_by_role("button", name="Remove Person Z")).to_be_focused()
    expect(rows).to_have_count(before + 1)
    added.get_by_role("button", name="Remove Person Z").click()
    check_page(page, "night-users-confirm-removal")
    added.get_by_role("button", name="Yes, remove Person Z").click()
    expect(rows).to_have_count(before)
    expect(page.locator("#users-status")).to_contain_text("Person Z removed.")


def test_night_user_visits_changed(page: Any, server: Server) -> None:
    # Like the test above, it runs after the plans, so the person never reaches them.
    status, made = api(
        server,
        "POST",
        "/v1/night-users",
        {
            "label": "Person Y",
            "location": {"postcode": "CV1 5FB"},
            "min_gap_minutes": 45,
            "visits": [
                {
                    "requested_time": "01:30",
                    "duration_minutes": 20,
                    "tolerance_minutes": 10,
                    "days": ["mon", "tue"],
                    "priority": 3,
                    "notes": "key safe",
                }
            ],
        },
        Role.night_coordinator,
    )
    assert status == 201, made
    sign_in(page, server.keys[Role.night_coordinator], "/night-users")
    row = page.get_by_test_id("users-table").locator("tbody tr").filter(has_text="Person Y")
    expect(row).to_contain_text("01:30 (20 min, nights starting mon, tue)")
    row.get_by_role("button", name="Change Person Y").click()
    edit = page.get_by_test_id("edit")
    expect(edit.get_by_role("heading", name="Change Person Y")).to_be_focused()
    expect(edit).to_contain_text("±10 minutes either side of the requested time")
    expect(edit.get_by_label("Monday")).to_be_checked()
    expect(edit.get_by_label("Tuesday")).to_be_checked()
    expect(edit.get_by_label("Wednesday")).not_to_be_checked()
    expect(edit.get_by_label("Notes for the crew")).to_have_value("key safe")
    # A second visit, first with a time outside the night: the form says which and why.
    edit.get_by_role("button", name="Add another visit").click()
    second = edit.locator("fieldset.cz-visit").nth(1)
    expect(second.get_by_label("Requested time")).to_be_focused()
    second.get_by_label("Requested time").fill("12:00")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.locator("#edit-time-1-error")).to_contain_text(
        "Enter visit 2's requested time between 22:00 and 07:00, like 02:00"
    )
    expect(page.locator("#error-summary")).to_contain_text("between 22:00 and 07:00")
    check_page(page, "night-users-change-error")
    second.get_by_label("Requested time").fill("04:15")
    second.get_by_label("Minutes").fill("30")
    second.get_by_label("Time-critical (medication)").check()
    edit.locator("fieldset.cz-visit").nth(0).get_by_label("Requested time").fill("01:45")
    check_page(page, "night-users-change")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.locator("#users-status")).to_contain_text("Person Y changed.")
    expect(edit).to_be_empty()
    expect(row).to_contain_text(
        "01:45 (20 min, nights starting mon, tue); 04:15 (30 min, time-critical)"
    )
    expect(row.get_by_role("button", name="Change Person Y")).to_be_focused()
    # What the form does not show is kept as it was.
    status, stored = api(
        server, "GET", f"/v1/night-users/{made['id']}", None, Role.night_coordinator
    )
    assert status == 200, stored
    assert stored["min_gap_minutes"] == 45
    assert stored["postcode"] == "CV1 5FB"
    first, added = stored["visits"]
    assert (first["tolerance_minutes"], first["days"], first["priority"]) == (10, ["mon", "tue"], 3)
    assert first["notes"] == "key safe"
    assert (added["requested_time"], added["duration_minutes"], added["strict"]) == (
        "04:15",
        30,
        True,
    )
    assert (added["tolerance_minutes"], len(added["days"])) == (30, 7)
    # Removing a visit, then cancelling, changes nothing.
    row.get_by_role("button", name="Change Person Y").click()
    edit.get_by_role("button", name="Remove visit 1").click()
    expect(edit.locator("fieldset.cz-visit")).to_have_count(1)
    expect(edit.get_by_label("Requested time")).to_have_value("04:15")
    edit.get_by_role("button", name="Cancel").click()
    expect(edit).to_be_empty()
    expect(row).to_contain_text("01:45 (20 min")
    row.get_by_role("button", name="Remove Person Y").click()
    row.get_by_role("button", name="Yes, remove Person Y").click()
    expect(page.locator("#users-status")).to_contain_text("Person Y removed.")


def test_night_user_placed_by_coordinates_keeps_its_place_when_changed(
    page: Any, server: Server
) -> None:
    place = {"lat": 52.40806, "lon": -1.51046}  # by coordinates, no postcode
    body = {
        "label": "Person X",
        "location": place,
        "visits": [{"requested_time": "23:15", "duration_minutes": 10}],
    }
    status, made = api(server, "POST", "/v1/night-users", body, Role.night_coordinator)
    assert status == 201, made
    sign_in(page, server.keys[Role.night_coordinator], "/night-users")
    row = page.get_by_test_id("users-table").locator("tbody tr").filter(has_text="Person X")
    row.get_by_role("button", name="Change Person X").click()
    edit = page.get_by_test_id("edit")
    expect(edit).to_contain_text("Now at 52.40806, -1.51046. Leave empty to keep that place")
    edit.get_by_label("Who (as the crew know them)").fill("Person X2")
    edit.get_by_role("button", name="Save changes").click()
    expect(page.locator("#users-status")).to_contain_text("Person X2 changed.")
    status, stored = api(
        server, "GET", f"/v1/night-users/{made['id']}", None, Role.night_coordinator
    )
    assert status == 200, stored
    assert (stored["label"], stored["postcode"]) == ("Person X2", None)
    assert (stored["lat"], stored["lon"]) == (place["lat"], place["lon"])
    assert (
        api(server, "DELETE", f"/v1/night-users/{made['id']}", None, Role.night_coordinator)[0]
        == 204
    )


def test_night_user_added_from_a_referral(page: Any, server: Server) -> None:
    # A referral far in the future, so no other page's week or ledger sees it.
    referral = referral_body(
        nhs_number=nhs_number(7001),
        name="Referral Person",
        address={"postcode": "CV3 6PH"},
        requested_start="2030-01-07T09:00:00Z",
        hours_per_week=1,
        night_support=True,
        night_visits=[{"time": "23:30", "duration_minutes": 15, "time_critical": True}],
    )
    status, created = api(server, "POST", "/v1/referrals", referral)
    assert status == 201, created
    sign_in(page, server.keys[Role.night_coordinator], "/night-users")
    expect(page.locator("#users-status")).to_contain_text("people have night visits")
    rows = page.get_by_test_id("users-table").locator("tbody tr")
    before = rows.count()
    number = page.get_by_label("Referral number")
    add = page.get_by_role("button", name="Add from the referral")
    number.fill("abc")
    add.click()
    expect(page.locator("#error-summary")).to_contain_text("Enter the referral number, like 1234")
    number.fill("999999")
    add.click()
    expect(page.locator("#referral-id-error")).to_contain_text(
        "There is no referral 999999; check the number"
    )
    number.fill(str(created["id"]))
    add.click()
    expect(rows).to_have_count(before + 1)
    added = rows.filter(has_text="Referral Person")
    expect(added).to_contain_text(f"Referral {created['id']}")
    expect(added).to_contain_text("CV3 6PH")
    expect(added).to_contain_text("23:30 (15 min, time-critical)")
    expect(page.locator("#users-status")).to_contain_text(
        f"Referral Person added from referral {created['id']}."
    )
    check_page(page, "night-users-from-referral")
    # Twice is refused, naming the night user it already has.
    number.fill(str(created["id"]))
    add.click()
    expect(page.locator("#referral-id-error")).to_contain_text(
        f"Referral {created['id']} already has a night user (number"
    )
    added.get_by_role("button", name="Remove Referral Person").click()
    added.get_by_role("button", name="Yes, remove Referral Person").click()
    expect(rows).to_have_count(before)
