"""The night API end to end: users, a plan, its exports, a re-plan; on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import TypeAdapter

from app.schemas.night_users import LocalTime
from app.security import Role
from routing.night import LONDON
from tests.app.night_helpers import PLACES, night_users, user, visit
from tests.conftest import headers

FAST = {"solution_limit": 5}


@pytest.fixture
def auth(keys):
    return headers(keys[Role.night_coordinator])


def _create_all(client, auth) -> list[dict]:
    made = []
    for body in night_users():
        response = client.post("/v1/night-users", json=body, headers=auth)
        assert response.status_code == 201, response.text
        made.append(response.json())
    return made


def _on_time(stop: dict, tolerance_minutes: int) -> bool:
    requested = datetime.fromisoformat(stop["requested_at"])
    start = datetime.fromisoformat(stop["start_at"])
    return abs(start - requested) <= timedelta(minutes=tolerance_minutes)


def test_night_users_crud(client, auth) -> None:
    made = _create_all(client, auth)
    assert [u["night_zone"] for u in made] == [zone for _l, _p, zone in PLACES]
    first = made[0]
    assert first["postcode"] == "CV2 1QB"
    assert first["visits"][0]["visit_id"] == f"v{first['visits'][0]['id']}"
    assert first["visits"][0]["days"] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    # Read back exactly as created: timestamps stay aware on SQLite too, in UK time.
    assert client.get(f"/v1/night-users/{first['id']}", headers=auth).json() == first
    created = datetime.fromisoformat(first["created_at"])
    assert created.utcoffset() == created.astimezone(LONDON).utcoffset()
    listed = client.get("/v1/night-users", params={"night_zone": "2"}, headers=auth).json()
    assert [u["label"] for u in listed["items"]] == ["Person C", "Person D"]

    changed = user("Person A", {"postcode": "cv2 1qb"}, [visit("1:15", days=["Sat", "sun"])])
    put = client.put(f"/v1/night-users/{first['id']}", json=changed, headers=auth)
    assert put.status_code == 200
    assert put.json()["visits"][0]["requested_time"] == "01:15"
    assert put.json()["visits"][0]["days"] == ["sat", "sun"]

    assert client.delete(f"/v1/night-users/{first['id']}", headers=auth).status_code == 204
    gone = client.get(f"/v1/night-users/{first['id']}", headers=auth)
    assert gone.status_code == 404
    assert gone.json()["error"]["fields"][0]["field"] == "path.id"


def test_plan_exports_and_replan(client, auth) -> None:
    _create_all(client, auth)
    # 2026-11-24 is a Tuesday: every visit (all days) is tonight; 9 real hours.
    response = client.post(
        "/v1/night-plans", json={"date": "2026-11-24", "overrides": FAST}, headers=auth
    )
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["travel_source"] == "straight_line(circuity=1.35, speed_kmh=40)"
    assert plan["travel_note"] == (
        "estimated, not from roads: straight-line distance × 1.35 at 40 km/h, "
        "because no road network is configured"
    )
    assert plan["night_duration_s"] == 9 * 3600
    assert [c["car_id"] for c in plan["cars"]] == ["car-1", "car-2", "car-3"]
    assert plan["totals"]["visits"] == 12
    assert plan["totals"]["strict_unassigned"] == 0
    stops = [s for car in plan["cars"] for s in car["stops"]]
    strict = [s for s in stops if s["strict"]]
    assert len(strict) == 6
    assert all(_on_time(s, 15) for s in strict)
    for car in plan["cars"]:
        assert car["crew_break"] is not None
        assert car["crew_break"]["end_s"] - car["crew_break"]["start_s"] == 20 * 60
        assert car["return_s"] <= plan["night_duration_s"]
        for s in car["stops"]:
            # Arrival = departure + leg travel (+ the break, when taken on that leg).
            assert s["arrival_s"] >= s["departure_s"] + s["leg_travel_s"]
            assert s["start_at"].endswith("+00:00")
    assert client.get(f"/v1/night-plans/{plan['id']}", headers=auth).json() == plan

    geo = client.get(f"/v1/night-plans/{plan['id']}.geojson", headers=auth)
    assert geo.headers["content-type"] == "application/geo+json"
    features = geo.json()["features"]
    assert sum(f["properties"]["kind"] == "stop" for f in features) == len(stops)
    lon, lat = next(f for f in features if f["properties"]["kind"] == "stop")["geometry"][
        "coordinates"
    ]
    assert -1.7 < lon < -1.3 and 52.3 < lat < 52.5  # RFC 7946: longitude first
    assert geo.json()["travel_source"] == plan["travel_source"]

    text = client.get(f"/v1/night-plans/{plan['id']}.csv", headers=auth)
    assert text.headers["content-type"].startswith("text/csv")
    assert text.content.startswith(b"\xef\xbb\xbf")  # a UTF-8 BOM, for Excel
    rows = list(csv.DictReader(io.StringIO(text.content.decode("utf-8-sig"))))
    assert rows[0]["car"]
    assert len(rows) == len(stops)
    assert {r["label"] for r in rows} == {label for label, _p, _z in PLACES}

    sheet = client.get(f"/v1/night-plans/{plan['id']}/runsheet", headers=auth)
    assert sheet.headers["content-type"].startswith("text/html")
    assert sheet.text.count('<section class="crew" id="car-') == 3
    assert "page-break-after: always" in sheet.text
    assert "http" not in sheet.text.lower().replace("http-equiv", "")  # no external assets
    assert "TIME-CRITICAL" in sheet.text and "Person E" in sheet.text
    assert "Travel times: estimated, not from roads: straight-line distance × 1.35" in sheet.text

    # At 01:00: what finished is done, one turn is cancelled, one call is added.
    now_s = 3 * 3600
    done = [s["visit_id"] for s in stops if s["finish_s"] <= now_s]
    pending = [s for s in stops if s["start_s"] > now_s and not s["strict"]]
    person_b = next(
        u
        for u in client.get("/v1/night-users", headers=auth).json()["items"]
        if u["label"] == "Person B"
    )
    body = {
        "now": "01:00",
        "done": done,
        "cancelled": [pending[0]["visit_id"]],
        "added": [visit("03:00", user_id=person_b["id"], strict=True, tolerance_minutes=15)],
        "positions": {"car-2": {"lat": 52.40, "lon": -1.53}},
    }
    again = client.post(f"/v1/night-plans/{plan['id']}/replan", json=body, headers=auth)
    assert again.status_code == 201, again.text
    new = again.json()
    assert new["parent_id"] == plan["id"] and new["id"] != plan["id"]
    kinds = {(c["kind"], c["visit_id"]) for c in new["changes"]}
    assert ("cancelled", pending[0]["visit_id"]) in kinds
    assert ("added", f"p{plan['id']}a1") in kinds
    new_stops = {s["visit_id"]: s for car in new["cars"] for s in car["stops"]}
    assert all(new_stops[v]["fixed"] for v in done)
    assert pending[0]["visit_id"] not in new_stops
    added = new_stops[f"p{plan['id']}a1"]
    assert added["label"] == "Person B" and _on_time(added, 15)
    assert all(s["start_s"] >= now_s for s in new_stops.values() if not s["fixed"])

    # A second re-plan keeps the first one's done visits done.
    later = client.post(f"/v1/night-plans/{new['id']}/replan", json={"now": "02:00"}, headers=auth)
    assert later.status_code == 201, later.text
    kept = {s["visit_id"]: s for car in later.json()["cars"] for s in car["stops"]}
    assert all(kept[v]["fixed"] for v in done)

    listed = client.get("/v1/night-plans", params={"date": "2026-11-24"}, headers=auth).json()
    assert [p["id"] for p in listed["items"]] == [later.json()["id"], new["id"], plan["id"]]
    assert listed["items"][-1]["served"] == plan["totals"]["served"]
    assert client.get("/v1/night-plans?date=2026-11-25", headers=auth).json()["items"] == []


def test_brokerage_may_not_plan(client, keys) -> None:
    broker = headers(keys[Role.brokerage])
    assert client.get("/v1/night-users", headers=broker).status_code == 403
    response = client.post("/v1/night-plans", json={"date": "2026-11-24"}, headers=broker)
    assert response.status_code == 403
    assert client.post("/v1/night-plans", json={"date": "2026-11-24"}).status_code == 401
    admin = headers(keys[Role.admin])
    assert client.get("/v1/night-users", headers=admin).status_code == 200


def test_stored_times_are_shown_in_uk_time() -> None:
    # Stored in UTC (naive from SQLite); shown with the UK offset of that instant.
    shown = TypeAdapter(LocalTime)
    assert (
        shown.dump_python(datetime(2026, 7, 1, 12, 0), mode="json") == "2026-07-01T13:00:00+01:00"
    )
    winter = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert shown.dump_python(winter, mode="json") == "2026-11-24T12:00:00+00:00"
