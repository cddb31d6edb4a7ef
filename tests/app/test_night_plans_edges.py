"""Night plans on the hard nights and with bad input: clock changes, infeasible calls, 422s,
and /health answering while a solve runs. SQLite only: the database is not the subject."""

from __future__ import annotations

import threading
import time

import pytest

from app.security import Role
from tests.app.night_helpers import PLACES, night_users, user, visit
from tests.conftest import headers

FAST = {"solution_limit": 5}


@pytest.fixture
def auth(sqlite_keys):
    return headers(sqlite_keys[Role.night_coordinator])


def _plan(client, auth, day: str, **overrides) -> dict:
    body = {"date": day, "overrides": {**FAST, **overrides}}
    response = client.post("/v1/night-plans", json=body, headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


def _stops(plan: dict) -> dict[str, dict]:
    return {s["label"] + " " + s["notes"]: s for car in plan["cars"] for s in car["stops"]}


def test_clocks_go_back(sqlite_client, auth) -> None:
    # 2026-10-24 (Saturday): 22:00 BST to 07:00 GMT is ten real hours.
    label, place, _zone = PLACES[4]
    body = user(
        label,
        place,
        [
            visit("01:30", strict=True, tolerance_minutes=10, notes="meds"),
            visit("05:00", notes="turn"),
        ],
        min_gap_minutes=30,
    )
    assert sqlite_client.post("/v1/night-users", json=body, headers=auth).status_code == 201
    plan = _plan(sqlite_client, auth, "2026-10-24")
    assert plan["night_duration_s"] == 36_000
    assert plan["night_start_at"] == "2026-10-24T22:00:00+01:00"
    assert plan["night_end_at"] == "2026-10-25T07:00:00+00:00"
    stops = _stops(plan)
    meds = stops["Person E meds"]
    # "01:30" is its first occurrence (BST): 3.5 h after 22:00 BST = 12,600 s.
    assert meds["requested_at"] == "2026-10-25T01:30:00+01:00"
    assert abs(meds["start_s"] - 12_600) <= 600
    # 05:00 GMT is 8 real hours after 22:00 BST (7 clock hours + the repeated hour):
    # 28,800 s, and the turn may start within its 30-minute tolerance of that.
    turn = stops["Person E turn"]
    assert turn["requested_at"] == "2026-10-25T05:00:00+00:00"
    assert abs(turn["start_s"] - 28_800) <= 1800 and turn["start_at"].endswith("+00:00")
    sheet = sqlite_client.get(f"/v1/night-plans/{plan['id']}/runsheet", headers=auth).text
    assert "(10.0 hours)" in sheet
    # Clock times in the repeated hour say which one they are; others do not need to.
    assert "<td>01:30 BST</td>" in sheet and "<td>05:00</td>" in sheet
    rows = sqlite_client.get(f"/v1/night-plans/{plan['id']}.csv", headers=auth).text
    (meds_row,) = [r for r in rows.splitlines() if r.endswith(",meds")]
    assert " BST," in meds_row
    assert meds_row.endswith(",01:30 BST,meds")  # the time asked for says which 01:30 too


def test_clocks_go_forward(sqlite_client, auth) -> None:
    # 2027-03-27 (Saturday): 22:00 GMT to 07:00 BST is eight real hours.
    label, place, _zone = PLACES[0]
    body = user(label, place, [visit("03:00", strict=True, tolerance_minutes=10)])
    assert sqlite_client.post("/v1/night-users", json=body, headers=auth).status_code == 201
    plan = _plan(sqlite_client, auth, "2027-03-27")
    assert plan["night_duration_s"] == 28_800
    (stop,) = [s for car in plan["cars"] for s in car["stops"]]
    # 03:00 BST = 02:00 GMT, 4 real hours after 22:00 GMT.
    assert stop["requested_at"] == "2027-03-28T03:00:00+01:00"
    assert abs(stop["start_s"] - 4 * 3600) <= 600
    # A 60-minute break in 01:00-02:00: that clock hour does not happen this night.
    short = {"break_window_start": "01:00", "break_window_end": "02:00", "break_minutes": 60}
    refused = sqlite_client.post(
        "/v1/night-plans", json={"date": "2027-03-27", "overrides": short}, headers=auth
    )
    assert refused.status_code == 422, refused.text
    (field,) = refused.json()["error"]["fields"]
    assert field["field"] == "body.overrides.break_window_end"
    assert "clocks go forward" in field["reason"] and "lasts 0 minutes" in field["reason"]
    # "Now" in the skipped hour is refused rather than moved to 02:00; 02:30 is fine,
    # and what changed names the person and the time asked for.
    url = f"/v1/night-plans/{plan['id']}/replan"
    skipped = sqlite_client.post(url, json={"now": "01:30"}, headers=auth)
    assert skipped.status_code == 422, skipped.text
    assert skipped.json()["error"]["fields"][0]["field"] == "body.now"
    replanned = sqlite_client.post(
        url, json={"now": "02:30", "cancelled": [stop["visit_id"]]}, headers=auth
    )
    assert replanned.status_code == 201, replanned.text
    (change,) = replanned.json()["changes"]
    assert (change["kind"], change["label"]) == ("cancelled", label)
    assert change["requested_at"] == "2027-03-28T03:00:00+01:00"


def test_unreachable_strict_call_is_unassigned_with_a_reason(sqlite_client, auth) -> None:
    # Requested 22:00 sharp (tolerance 0) but every car leaves its base at 22:00 and
    # needs > 0 s to get there: no car can start it in [0, 0].
    label, place, _zone = PLACES[1]
    body = user(
        label,
        place,
        [
            visit("22:00", strict=True, tolerance_minutes=0, notes="meds"),
            visit("02:00", notes="turn"),
        ],
    )
    assert sqlite_client.post("/v1/night-users", json=body, headers=auth).status_code == 201
    plan = _plan(sqlite_client, auth, "2026-11-24")
    (missed,) = plan["unassigned"]
    assert missed["strict"] is True and missed["label"] == "Person B"
    assert missed["requested_at"] == "2026-11-24T22:00:00+00:00"
    assert missed["reason"].startswith("no car can reach it inside its window")
    assert plan["totals"]["strict_unassigned"] == 1 and plan["totals"]["served"] == 1
    sheet = sqlite_client.get(f"/v1/night-plans/{plan['id']}/runsheet", headers=auth).text
    assert "Not assigned to any car" in sheet


def test_visits_only_on_their_nights(sqlite_client, auth) -> None:
    label, place, _zone = PLACES[2]
    body = user(label, place, [visit("23:00", days=["mon"]), visit("03:00", days=["tue"])])
    assert sqlite_client.post("/v1/night-users", json=body, headers=auth).status_code == 201
    tuesday = _plan(sqlite_client, auth, "2026-11-24")
    assert tuesday["totals"]["visits"] == 1 and tuesday["settings"]["day_of_week"] == "tue"
    (stop,) = [s for car in tuesday["cars"] for s in car["stops"]]
    assert stop["requested_at"].startswith("2026-11-25T03:00")


GOOD = user("Person A", {"postcode": "CV2 1QB"}, [visit("23:00")])


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"visits": [visit("12:00")]}, 422, "body.visits.0.requested_time"),
        ({"visits": [visit("25:00")]}, 422, "body.visits.0.requested_time"),
        ({"visits": [visit("23:00", minutes=0)]}, 422, "body.visits.0.duration_minutes"),
        (
            {"visits": [visit("23:00", tolerance_minutes=-5)]},
            422,
            "body.visits.0.tolerance_minutes",
        ),
        ({"visits": [visit("23:00", days=["funday"])]}, 422, "body.visits.0.days"),
        # Only day names: "Monkey" is not Monday (it was cut to "mon").
        ({"visits": [visit("23:00", days=["Monkey"])]}, 422, "body.visits.0.days"),
        # An Arabic-Indic digit is a digit to Unicode, not in a clock time.
        ({"visits": [visit("22:0\u0663")]}, 422, "body.visits.0.requested_time"),
        ({"visits": []}, 422, "body.visits"),
        ({"label": ""}, 422, "body.label"),
        ({"label": "   "}, 422, "body.label"),
        ({"location": {"postcode": "CV2 1QB", "lat": 52.4, "lon": -1.5}}, 422, "body.location"),
        ({"location": {"lat": 52.4}}, 422, "body.location"),
        ({"location": {"lat": 95, "lon": -1.5}}, 422, "body.location.lat"),
        ({"location": {"postcode": "NOT A CODE"}}, 422, "body.location.postcode"),
        ({"location": {"postcode": "CV99 9ZZ"}}, 404, "body.location.postcode"),
        ({"location": {"lat": 52.2, "lon": -1.3}}, 422, "body.location.lat"),  # outside
        ({"min_gap_minutes": -1}, 422, "body.min_gap_minutes"),
        ({"surname": "x"}, 422, "body.surname"),
    ],
)
def test_user_input_errors_name_the_field(sqlite_client, auth, change, status, field) -> None:
    response = sqlite_client.post("/v1/night-users", json={**GOOD, **change}, headers=auth)
    assert response.status_code == status, response.text
    assert field in [f["field"] for f in response.json()["error"]["fields"]]


def test_night_users_take_whole_day_names_and_a_known_zone(sqlite_client, auth) -> None:
    body = {**GOOD, "label": "  Mr A  ", "visits": [visit("23:00", days=["Friday", "sat"])]}
    made = sqlite_client.post("/v1/night-users", json=body, headers=auth)
    assert made.status_code == 201, made.text
    assert made.json()["label"] == "Mr A"
    assert made.json()["visits"][0]["days"] == ["fri", "sat"]
    unknown = sqlite_client.get("/v1/night-users?night_zone=abc", headers=auth)
    assert unknown.status_code == 422
    assert unknown.json()["error"]["fields"][0]["field"] == "query.night_zone"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"date": "2026-02-30"}, "body.date"),
        ({"date": "9999-12-31"}, "body.date"),  # its morning overflowed the calendar: a 500
        ({"date": "0001-01-01"}, "body.date"),
        ({}, "body.date"),
        (
            {"date": "2026-11-24", "overrides": {"solution_limit": 0}},
            "body.overrides.solution_limit",
        ),
        (
            {
                "date": "2026-11-24",
                "overrides": {"break_window_start": "04:00", "break_window_end": "02:00"},
            },
            "body.overrides",
        ),
        (
            {"date": "2026-11-24", "overrides": {"night_speed_kmh": 500}},
            "body.overrides.night_speed_kmh",
        ),
    ],
)
def test_plan_input_errors_name_the_field(sqlite_client, auth, body, field) -> None:
    response = sqlite_client.post("/v1/night-plans", json=body, headers=auth)
    assert response.status_code == 422, response.text
    assert field in [f["field"] for f in response.json()["error"]["fields"]]


def test_replan_input_errors(sqlite_client, auth) -> None:
    assert sqlite_client.post("/v1/night-users", json=GOOD, headers=auth).status_code == 201
    plan = _plan(sqlite_client, auth, "2026-11-24")
    url = f"/v1/night-plans/{plan['id']}/replan"
    cases = [
        ({"now": "12:00"}, 422, "body.now"),
        ({"now": "2026-11-25T01:00:00"}, 422, "body.now"),
        ({"now": "01:00", "done": ["v999"]}, 422, "body.done.0"),
        (
            {"now": "01:00", "positions": {"car-9": {"lat": 52.4, "lon": -1.5}}},
            422,
            "body.positions.car-9",
        ),
        ({"now": "01:00", "added": [visit("03:00")]}, 422, "body.added.0"),
        ({"now": "01:00", "added": [visit("03:00", user_id=999)]}, 404, "body.added.0.user_id"),
        # A car reported at 0,0 (a GPS fault) or with lat and lon swapped.
        (
            {"now": "01:00", "positions": {"car-1": {"lat": 0, "lon": 0}}},
            422,
            "body.positions.car-1.lat",
        ),
        (
            {"now": "01:00", "positions": {"car-1": {"lat": -1.5, "lon": 52.4}}},
            422,
            "body.positions.car-1.lat",
        ),
    ]
    for body, status, field in cases:
        response = sqlite_client.post(url, json=body, headers=auth)
        assert response.status_code == status, (body, response.text)
        assert field in [f["field"] for f in response.json()["error"]["fields"]], body
    missing = sqlite_client.get("/v1/night-plans/999", headers=auth)
    assert missing.status_code == 404
    assert sqlite_client.get("/v1/night-plans/999.geojson", headers=auth).status_code == 404


def test_replan_refuses_what_contradicts_the_plan_it_follows(sqlite_client, auth) -> None:
    label, place, _zone = PLACES[4]
    body = user(label, place, [visit("23:00"), visit("04:00")], min_gap_minutes=30)
    assert sqlite_client.post("/v1/night-users", json=body, headers=auth).status_code == 201
    plan = _plan(sqlite_client, auth, "2026-11-24")
    early, late = sorted((s for c in plan["cars"] for s in c["stops"]), key=lambda s: s["start_s"])
    url = f"/v1/night-plans/{plan['id']}/replan"
    # Done before it was due: the 04:00 visit cannot be done at 23:30.
    too_soon = sqlite_client.post(
        url, json={"now": "23:30", "done": [late["visit_id"]]}, headers=auth
    )
    assert too_soon.status_code == 422, too_soon.text
    assert too_soon.json()["error"]["fields"][0]["field"] == "body.done.0"
    # Re-plan at 23:30 with the 23:00 visit done.
    first = sqlite_client.post(
        url, json={"now": "23:30", "done": [early["visit_id"]]}, headers=auth
    )
    assert first.status_code == 201, first.text
    next_url = f"/v1/night-plans/{first.json()['id']}/replan"
    cases = [
        # Cancelling what an earlier re-plan recorded as done.
        ({"now": "23:40", "cancelled": [early["visit_id"]]}, "body.cancelled.0"),
        # A time before the re-plan it follows.
        ({"now": "23:10"}, "body.now"),
    ]
    for body, field in cases:
        refused = sqlite_client.post(next_url, json=body, headers=auth)
        assert refused.status_code == 422, (body, refused.text)
        assert refused.json()["error"]["fields"][0]["field"] == field
    # Nothing was stored by the refusals, and the chain can still be re-planned.
    listed = sqlite_client.get("/v1/night-plans", headers=auth).json()
    assert len(listed["items"]) == 2
    again = sqlite_client.post(next_url, json={"now": "23:40"}, headers=auth)
    assert again.status_code == 201, again.text
    (kept,) = [s for c in again.json()["cars"] for s in c["stops"] if s["fixed"]]
    assert kept["visit_id"] == early["visit_id"]


def test_health_answers_while_a_plan_is_solved(sqlite_client, auth) -> None:
    for body in night_users() * 3:
        assert sqlite_client.post("/v1/night-users", json=body, headers=auth).status_code == 201
    result: dict[str, object] = {}

    def solve() -> None:
        result["started"] = time.perf_counter()
        result["response"] = sqlite_client.post(
            "/v1/night-plans",
            json={"date": "2026-11-24", "overrides": {"solution_limit": 30}},
            headers=auth,
        )
        result["ended"] = time.perf_counter()

    worker = threading.Thread(target=solve)
    worker.start()
    answered: list[tuple[float, float]] = []
    while worker.is_alive():
        sent = time.perf_counter()
        assert sqlite_client.get("/health").status_code == 200
        answered.append((sent, time.perf_counter()))
        time.sleep(0.05)
    worker.join()
    assert result["response"].status_code == 201  # type: ignore[attr-defined]
    during = [(a, b) for a, b in answered if result["started"] < a and b < result["ended"]]
    # The worker process alone takes seconds to start and solve; /health kept answering
    # throughout, each time within a second (it would wait for the whole solve if the
    # solver held the server's GIL).
    assert len(during) >= 5
    assert max(b - a for a, b in during) < 1.0


def test_a_dead_worker_is_replaced(sqlite_client, auth) -> None:
    assert sqlite_client.post("/v1/night-users", json=GOOD, headers=auth).status_code == 201
    first = _plan(sqlite_client, auth, "2026-11-24")
    solver = sqlite_client.app.state.night_solver
    for process in list(solver._pool._processes.values()):
        process.kill()
        process.join()
    # The next request finds the pool broken (at once, or when its job fails), starts a
    # new worker and is answered.
    again = _plan(sqlite_client, auth, "2026-11-24")
    assert again["cars"] == first["cars"]  # same input, same plan


def test_replan_in_the_repeated_hour(sqlite_client, auth) -> None:
    # 2026-10-24: "01:30" alone means the first 01:30 (BST); the second one (GMT) is
    # given as an instant: 22:00 BST = 21:00 UTC, so 01:30 UTC is 4.5 h = 16,200 s in.
    label, place, _zone = PLACES[4]
    body = user(label, place, [visit("01:00"), visit("04:00")], min_gap_minutes=30)
    assert sqlite_client.post("/v1/night-users", json=body, headers=auth).status_code == 201
    plan = _plan(sqlite_client, auth, "2026-10-24")
    url = f"/v1/night-plans/{plan['id']}/replan"
    first = sqlite_client.post(url, json={"now": "01:30"}, headers=auth)
    second = sqlite_client.post(url, json={"now": "2026-10-25T01:30:00+00:00"}, headers=auth)
    assert first.status_code == 201 and second.status_code == 201, second.text
    (early,) = [s for c in second.json()["cars"] for s in c["stops"]]
    assert early["start_s"] >= 16_200 and early["start_at"].endswith("+00:00")
    # The 01:00 visit (not reported done) may start up to 01:00 + 30 min tolerance + 30 min
    # late = 14,400 s: still possible at the first 01:30 (12,600 s), not at the second.
    assert [u["reason"] for u in second.json()["unassigned"]] == ["its window has already passed"]
    assert first.json()["totals"]["served"] == 2
    # A call added for 01:40 once it is 01:30 GMT means the 01:40 still to come (GMT),
    # not the BST one an hour ago, which would be late before it was asked for.
    added = {
        "location": place,
        "label": "Late call",
        "requested_time": "01:40",
        "duration_minutes": 20,
    }
    third = sqlite_client.post(
        url, json={"now": "2026-10-25T01:30:00+00:00", "added": [added]}, headers=auth
    )
    assert third.status_code == 201, third.text
    (call,) = [s for c in third.json()["cars"] for s in c["stops"] if s["label"] == "Late call"]
    assert call["requested_at"] == "2026-10-25T01:40:00+00:00"


def test_each_person_keeps_their_own_gap(sqlite_client, auth) -> None:
    # Person A asks for 2 h between visits: 23:00 (20 min) then 00:30 must wait until
    # 23:20 + 2 h = 01:20 at the earliest (late, but within 30 + 30 minutes).
    # Person C keeps the default hour: 23:00 then 00:30 is 70 minutes after, on time.
    a = user("Person A", {"postcode": "CV2 1QB"}, [visit("23:00"), visit("00:30")])
    c = user("Person C", {"postcode": "CV3 6PH"}, [visit("23:00"), visit("00:30")])
    for body in ({**a, "min_gap_minutes": 120}, c):
        assert sqlite_client.post("/v1/night-users", json=body, headers=auth).status_code == 201
    plan = _plan(sqlite_client, auth, "2026-11-24")
    assert plan["settings"]["min_gap_minutes"] is None
    by_person: dict[str, list[dict]] = {}
    for s in sorted((s for car in plan["cars"] for s in car["stops"]), key=lambda s: s["start_s"]):
        by_person.setdefault(s["label"], []).append(s)
    first, second = by_person["Person A"]
    assert second["start_s"] >= first["finish_s"] + 7200
    first, second = by_person["Person C"]
    assert second["start_s"] >= first["finish_s"] + 3600
    assert second["lateness_s"] <= 1800
