"""A night service user made from a referral with night support; on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import httpx

from app.security import Role
from tests.app.live import post_together, serve
from tests.app.night_helpers import visit
from tests.app.referral_helpers import body, nhs_number
from tests.conftest import headers

URL = "/v1/night-users/from-referral"
NIGHT_VISITS = [
    {"time": "23:30", "duration_minutes": 15, "time_critical": True, "purpose": "medication"},
    {"time": "03:00", "duration_minutes": 30, "purpose": "turn"},
]


def _referral(client, key, serial: int, **overrides) -> int:
    payload = body(
        nhs_number=nhs_number(serial),
        address={"postcode": "CV2 1QB"},
        night_support=True,
        night_visits=NIGHT_VISITS,
    )
    payload.update(overrides)
    response = client.post("/v1/referrals", json=payload, headers=key)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _field(response) -> str:
    return response.json()["error"]["fields"][0]["field"]


def test_night_user_from_referral_copies_place_and_visits(client, keys) -> None:
    broker = headers(keys[Role.brokerage])
    night = headers(keys[Role.night_coordinator])
    rid = _referral(client, broker, 1)

    made = client.post(URL, json={"referral_id": rid}, headers=night)
    assert made.status_code == 201, made.text
    user = made.json()
    assert (user["label"], user["referral_id"]) == ("Ada Testperson", rid)
    assert (user["postcode"], user["night_zone"]) == ("CV2 1QB", "1")
    assert [
        (v["requested_time"], v["strict"], v["tolerance_minutes"], v["duration_minutes"])
        for v in user["visits"]
    ] == [("23:30", True, 15, 15), ("03:00", False, 30, 30)]
    assert [v["notes"] for v in user["visits"]] == ["medication", "turn"]
    assert all(len(v["days"]) == 7 for v in user["visits"])
    assert client.get(f"/v1/night-users/{user['id']}", headers=night).json() == user

    # The person is now planned like any other: both calls, the critical one on time.
    plan = client.post(
        "/v1/night-plans",
        json={"date": "2026-11-24", "overrides": {"solution_limit": 5}},
        headers=night,
    ).json()
    stops = {s["visit_id"]: s for car in plan["cars"] for s in car["stops"]}
    assert set(stops) == {v["visit_id"] for v in user["visits"]}
    critical = stops[user["visits"][0]["visit_id"]]
    late = datetime.fromisoformat(critical["start_at"]) - datetime.fromisoformat(
        critical["requested_at"]
    )
    assert abs(late.total_seconds()) <= 15 * 60


def test_options_override_label_tolerances_and_gap(client, keys) -> None:
    broker = headers(keys[Role.brokerage])
    night = headers(keys[Role.night_coordinator])
    rid = _referral(client, broker, 2)
    options = {
        "referral_id": rid,
        "label": "Mr B (key safe)",
        "min_gap_minutes": 90,
        "tolerance_minutes": 45,
        "strict_tolerance_minutes": 5,
    }
    user = client.post(URL, json=options, headers=night).json()
    assert (user["label"], user["min_gap_minutes"]) == ("Mr B (key safe)", 90)
    assert [v["tolerance_minutes"] for v in user["visits"]] == [5, 45]


def test_refusals_name_the_referral_and_store_nothing(client, keys) -> None:
    broker = headers(keys[Role.brokerage])
    night = headers(keys[Role.night_coordinator])
    rid = _referral(client, broker, 3)
    assert client.post(URL, json={"referral_id": rid}, headers=night).status_code == 201

    again = client.post(URL, json={"referral_id": rid}, headers=night)
    assert (again.status_code, _field(again)) == (409, "body.referral_id")
    assert "already night user" in again.json()["error"]["message"]
    assert again.json()["error"]["code"] == "night_user_exists"

    unknown = client.post(URL, json={"referral_id": 99999}, headers=night)
    assert (unknown.status_code, _field(unknown)) == (404, "body.referral_id")

    day_only = _referral(client, broker, 4, night_support=False, night_visits=[])
    refused = client.post(URL, json={"referral_id": day_only}, headers=night)
    assert (refused.status_code, _field(refused)) == (422, "body.referral_id")
    assert "night support" in refused.json()["error"]["message"]

    ended = _referral(client, broker, 5)
    events = f"/v1/referrals/{ended}/events"
    assert client.post(events, json={"kind": "started"}, headers=broker).status_code == 200
    end = {"kind": "ended", "outcome": "reduced_need"}
    assert client.post(events, json=end, headers=broker).status_code == 200
    closed = client.post(URL, json={"referral_id": ended}, headers=night)
    assert (closed.status_code, _field(closed)) == (422, "body.referral_id")
    assert "ended" in closed.json()["error"]["message"]

    bad = client.post(URL, json={"referral_id": 0}, headers=night)
    assert (bad.status_code, _field(bad)) == (422, "body.referral_id")
    assert client.post(URL, json={"referral_id": rid}, headers=broker).status_code == 403

    listed = client.get("/v1/night-users", headers=night).json()["items"]
    assert [u["referral_id"] for u in listed] == [rid]


def test_parallel_requests_for_one_referral_make_one_night_user(db_url, keys) -> None:
    broker = headers(keys[Role.brokerage])
    night = headers(keys[Role.night_coordinator])
    with serve(db_url) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            payload = body(
                nhs_number=nhs_number(6),
                address={"postcode": "CV2 1QB"},
                night_support=True,
                night_visits=NIGHT_VISITS,
            )
            rid = client.post("/v1/referrals", json=payload, headers=broker).json()["id"]
        responses = post_together(base, URL, [{"referral_id": rid}] * 6, night)
        with httpx.Client(base_url=base, timeout=60) as client:
            listed = client.get("/v1/night-users", headers=night).json()["items"]
    assert Counter(r.status_code for r in responses) == {201: 1, 409: 5}
    assert [u["referral_id"] for u in listed] == [rid]


def test_plain_night_user_referral_id_is_checked(client, keys) -> None:
    broker = headers(keys[Role.brokerage])
    night = headers(keys[Role.night_coordinator])
    place = {"postcode": "CV2 1QB"}
    person = {"label": "Mrs A", "location": place, "visits": [visit("23:30")]}

    # An unknown referral: 404 on the field, nothing stored.
    unknown = client.post("/v1/night-users", json={**person, "referral_id": 99999}, headers=night)
    assert unknown.status_code == 404 and _field(unknown) == "body.referral_id", unknown.text
    assert client.get("/v1/night-users", headers=night).json()["items"] == []

    rid = _referral(client, broker, 5)
    first = client.post("/v1/night-users", json={**person, "referral_id": rid}, headers=night)
    assert first.status_code == 201, first.text
    first_id = first.json()["id"]

    # A second user for the same referral, by either endpoint: 409 naming the first.
    again = client.post("/v1/night-users", json={**person, "referral_id": rid}, headers=night)
    assert again.status_code == 409 and _field(again) == "body.referral_id", again.text
    assert f"already night user {first_id}" in again.json()["error"]["message"]
    made = client.post(URL, json={"referral_id": rid}, headers=night)
    assert made.status_code == 409 and _field(made) == "body.referral_id", made.text

    # Updating another user onto it is refused; the first keeps its own on update.
    other = client.post("/v1/night-users", json={**person, "label": "Mr B"}, headers=night).json()
    taken = client.put(
        f"/v1/night-users/{other['id']}", json={**person, "referral_id": rid}, headers=night
    )
    assert taken.status_code == 409 and _field(taken) == "body.referral_id", taken.text
    assert client.get(f"/v1/night-users/{other['id']}", headers=night).json() == other
    kept = client.put(
        f"/v1/night-users/{first_id}",
        json={**person, "label": "Mrs A (key safe)", "referral_id": rid},
        headers=night,
    )
    assert kept.status_code == 200, kept.text
    assert (kept.json()["label"], kept.json()["referral_id"]) == ("Mrs A (key safe)", rid)
    assert len(client.get("/v1/night-users", headers=night).json()["items"]) == 2
