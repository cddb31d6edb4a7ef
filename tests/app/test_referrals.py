"""Referrals end to end, on SQLite and on PostgreSQL (the ``db_url`` fixture runs both)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from app.db import get_sessionmaker
from app.main import create_app
from app.referrals.models import AuditEntry, CrossZonePlacement, LedgerWeek, ReferralEvent
from app.security import Role
from app.settings import Settings
from tests.app.referral_helpers import body, nhs_number
from tests.conftest import headers

WEEK1 = "2026-11-30"  # the Monday of the referrals' first week


def _allocated(db_url: str, provider: str, week: str = WEEK1) -> float:
    with get_sessionmaker(db_url)() as session:
        row = session.scalar(
            select(LedgerWeek).where(
                LedgerWeek.provider_id == provider,
                LedgerWeek.week_start == date.fromisoformat(week),
            )
        )
        return 0.0 if row is None else row.allocated_minutes / 60


def test_create_allocates_plans_six_weeks_and_survives_restart(
    client: TestClient, keys: dict[Role, str], db_url: str
) -> None:
    response = client.post("/v1/referrals", json=body(), headers=headers(keys[Role.brokerage]))
    assert response.status_code == 201, response.text
    made = response.json()
    assert (made["day_zone"], made["provider"]["id"], made["status"]) == (
        "3B",
        "provider-3b",
        "accepted",
    )
    # 2026-11-30 09:00 UTC is 09:00 in London (GMT); six weeks later is 2027-01-11 09:00.
    assert made["requested_start"].startswith("2026-11-30T09:00:00")
    assert made["planned_end"].startswith("2027-01-11T09:00:00")
    assert made["planned_end_date"] == "2027-01-11"
    assert _allocated(db_url, "provider-3b") == 10
    # A new app on the same database (a restart) still has it.
    with TestClient(create_app(Settings(database_url=db_url))) as again:
        got = again.get(f"/v1/referrals/{made['id']}", headers=headers(keys[Role.brokerage]))
    assert got.status_code == 200
    assert got.json()["nhs_number"] == "9434765919"
    assert [e["kind"] for e in got.json()["history"]] == ["accepted"]


def test_summer_start_keeps_uk_wall_clock_time(client: TestClient, keys: dict[Role, str]) -> None:
    # 2026-03-16 09:00 GMT; six weeks later the clocks have gone forward: 09:00 BST.
    made = client.post(
        "/v1/referrals",
        json=body(requested_start="2026-03-16T09:00:00"),
        headers=headers(keys[Role.brokerage]),
    ).json()
    assert made["requested_start"] == "2026-03-16T09:00:00Z"
    assert made["planned_end"] == "2026-04-27T09:00:00+01:00"


def test_nhs_number_modulus_11_pair(client: TestClient, keys: dict[Role, str]) -> None:
    key = headers(keys[Role.brokerage])
    good = client.post("/v1/referrals", json=body(nhs_number="943 476 5919"), headers=key)
    assert good.status_code == 201
    bad = client.post("/v1/referrals", json=body(nhs_number="9434765918"), headers=key)
    assert bad.status_code == 422
    fields = bad.json()["error"]["fields"]
    assert fields[0]["field"] == "body.nhs_number"
    assert "modulus-11" in fields[0]["reason"]


def test_idempotency_key_replays_and_refuses_other_body(
    client: TestClient, keys: dict[Role, str], db_url: str
) -> None:
    key = headers(keys[Role.discharge_system]) | {"Idempotency-Key": "uhcw-0001"}
    first = client.post("/v1/referrals", json=body(), headers=key)
    again = client.post("/v1/referrals", json=body(), headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = client.post("/v1/referrals", json=body(hours_per_week=11), headers=key)
    assert other.status_code == 409
    assert other.json()["error"]["fields"][0]["field"] == "header.Idempotency-Key"
    assert other.json()["error"]["code"] == "idempotency_key_reused"
    assert _allocated(db_url, "provider-3b") == 10  # reserved once


def test_full_provider_refused_with_alternatives_then_override_or_cross_zone(
    client: TestClient, keys: dict[Role, str], db_url: str
) -> None:
    key = headers(keys[Role.brokerage])
    for n in range(3):  # 3 x 112 = 336 h of provider-3b's 435 commissioned
        r = client.post(
            "/v1/referrals", json=body(nhs_number=nhs_number(n), hours_per_week=112), headers=key
        )
        assert r.status_code == 201, r.text
    # 336 + 99 = 435: exactly full is allowed.
    fits = client.post("/v1/referrals", json=body(hours_per_week=99), headers=key)
    assert fits.status_code == 201
    # 435 + 0.25 > 435: refused, with other zones' providers nearest first.
    refused = client.post("/v1/referrals", json=body(hours_per_week=0.25), headers=key)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "provider_full"
    # The first week short, in figures: none left of 435, a quarter-hour asked.
    assert (error["detail"]["week_start"], error["detail"]["hours_left"]) == (WEEK1, 0)
    assert error["detail"]["hours_asked"] == 0.25
    options = error["detail"]["alternatives"]
    assert {o["provider"]["id"] for o in options} == {
        "provider-1a",
        "provider-1b",
        "provider-2a",
        "provider-2b",
        "provider-3a",
    }
    distances = [o["distance_m"] for o in options]
    assert distances == sorted(distances)
    assert _allocated(db_url, "provider-3b") == 435  # the refusal reserved nothing

    override = client.post(
        "/v1/referrals",
        json=body(hours_per_week=2, capacity_override_reason="End of life; family agreed."),
        headers=key,
    )
    assert override.status_code == 201
    assert _allocated(db_url, "provider-3b") == 437

    nearest = options[0]
    no_reason = client.post(
        "/v1/referrals", json=body(provider_id=nearest["provider"]["id"]), headers=key
    )
    assert no_reason.status_code == 422
    assert no_reason.json()["error"]["fields"][0]["field"] == "body.cross_zone_reason"
    moved = client.post(
        "/v1/referrals",
        json=body(provider_id=nearest["provider"]["id"], cross_zone_reason="3B full this week"),
        headers=key,
    )
    assert moved.status_code == 201
    placed = moved.json()
    assert placed["cross_zone"] is True
    assert (placed["home_day_zone"], placed["day_zone"]) == ("3B", nearest["day_zone"])
    with get_sessionmaker(db_url)() as session:
        row = session.scalar(select(CrossZonePlacement))
        assert row is not None
        assert (row.referral_id, row.reason) == (placed["id"], "3B full this week")


def test_ucr_hours_held_against_weekly_cap(client: TestClient, keys: dict[Role, str]) -> None:
    key = headers(keys[Role.brokerage])
    ucr = {"source": "urgent_community_response"}
    first = client.post("/v1/referrals", json=body(hours_per_week=60, **ucr), headers=key)
    # A different zone's address: the cap is council-wide. 60 + 40 = 100 fits.
    second = client.post(
        "/v1/referrals",
        json=body(hours_per_week=40, address={"lat": 52.4262, "lon": -1.5080}, **ucr),
        headers=key,
    )
    assert (first.status_code, second.status_code) == (201, 201)
    # 100 + 0.25 > 100: refused, even though provider-3b has room.
    over = client.post("/v1/referrals", json=body(hours_per_week=0.25, **ucr), headers=key)
    assert over.status_code == 409
    assert over.json()["error"]["code"] == "ucr_cap_reached"
    ledger = client.get("/v1/ledger?week=2026-W49", headers=key).json()
    assert (ledger["ucr_allocated_hours"], ledger["ucr_cap_hours"]) == (100, 100)


def test_status_changes_keep_history_and_move_the_ledger(
    client: TestClient, keys: dict[Role, str], db_url: str
) -> None:
    # Six weeks in the past (a start and an end are recorded once they have happened):
    # Monday 2026-10-05 to 2026-11-16.
    key = headers(keys[Role.brokerage])
    hospital = headers(keys[Role.discharge_system])
    made = body(hours_per_week=14, requested_start="2026-10-05T09:00:00Z")
    rid = client.post("/v1/referrals", json=made, headers=hospital).json()["id"]
    url = f"/v1/referrals/{rid}/events"
    started = {"kind": "started", "at": "2026-10-05T09:30:00Z"}
    assert client.post(url, json=started, headers=key).status_code == 200
    # From Monday 2026-10-12 (week 2), 7 h a week instead of 14.
    changed = client.post(
        url,
        json={"kind": "hours_changed", "hours_per_week": 7, "at": "2026-10-12T10:00:00Z"},
        headers=key,
    )
    assert changed.status_code == 200
    assert _allocated(db_url, "provider-3b", "2026-10-05") == 14
    assert _allocated(db_url, "provider-3b", "2026-10-12") == 7
    # Ended on Thursday 2026-10-22: 3 days (Mon-Wed) of week 3 at 7 h a week = 3 h.
    ended = client.post(
        url,
        json={"kind": "ended", "outcome": "reduced_need", "at": "2026-10-22T12:00:00Z"},
        headers=key,
    )
    assert ended.status_code == 200
    assert ended.json()["status"] == "ended"
    assert _allocated(db_url, "provider-3b", "2026-10-19") == 3
    assert _allocated(db_url, "provider-3b", "2026-10-26") == 0
    history = ended.json()["history"]
    assert [e["kind"] for e in history] == ["accepted", "started", "hours_changed", "ended"]
    assert (history[2]["hours_before"], history[2]["hours_after"]) == (14, 7)
    assert history[3]["outcome"] == "reduced_need"
    # Each event names the key that recorded it: the hospital's, then the brokers'.
    assert [e["recorded_by"] for e in history] == ["test discharge_system"] + ["test brokerage"] * 3
    again = client.post(url, json={"kind": "ended", "outcome": "died"}, headers=key)
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "status_conflict"
    assert again.json()["error"]["fields"][0]["field"] == "body.kind"
    missing_outcome = client.post(url, json={"kind": "ended"}, headers=key)
    assert missing_outcome.status_code == 422
    unknown = client.post("/v1/referrals/99999/events", json={"kind": "started"}, headers=key)
    assert unknown.status_code == 404


def test_hours_changed_before_the_start_holds_from_the_first_day_and_is_checked(
    client: TestClient, keys: dict[Role, str], db_url: str
) -> None:
    key = headers(keys[Role.brokerage])
    hospital = headers(keys[Role.discharge_system])
    rid = client.post("/v1/referrals", json=body(hours_per_week=14), headers=hospital).json()["id"]
    url = f"/v1/referrals/{rid}/events"
    # Changed on 2026-11-20, before the episode's first day (2026-11-30): it holds
    # from that first day, so every one of the six weeks carries 21 h, not 14.
    early = {"kind": "hours_changed", "hours_per_week": 21, "at": "2026-11-20T10:00:00Z"}
    changed = client.post(url, json=early, headers=key)
    assert changed.status_code == 200, changed.text
    assert changed.json()["history"][-1]["effective_on"] == "2026-11-30"
    assert _allocated(db_url, "provider-3b", "2026-11-30") == 21
    assert _allocated(db_url, "provider-3b", "2027-01-04") == 21
    # Fill provider-3b to exactly its 435 commissioned hours: 21 + 3 x 112 + 78.
    for n in range(3):
        made = body(nhs_number=nhs_number(n), hours_per_week=112)
        assert client.post("/v1/referrals", json=made, headers=key).status_code == 201
    last = client.post("/v1/referrals", json=body(hours_per_week=78), headers=key)
    assert last.status_code == 201
    # 21 -> 21.25 before the start would take it past 435: refused, nothing moved.
    more = {"kind": "hours_changed", "hours_per_week": 21.25, "at": "2026-11-20T10:00:00Z"}
    refused = client.post(url, json=more, headers=key)
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "provider_full"
    assert _allocated(db_url, "provider-3b", "2026-11-30") == 435
    got = client.get(f"/v1/referrals/{rid}", headers=key).json()
    assert got["hours_per_week"] == 21
    assert [e["kind"] for e in got["history"]] == ["accepted", "hours_changed"]


def test_list_filters_paginates_and_discharge_sees_only_its_own(
    client: TestClient, keys: dict[Role, str], db_url: str
) -> None:
    broker, discharge = headers(keys[Role.brokerage]), headers(keys[Role.discharge_system])
    ids = [
        client.post("/v1/referrals", json=body(nhs_number=nhs_number(n)), headers=broker).json()[
            "id"
        ]
        for n in range(3)
    ]
    other = client.post(
        "/v1/referrals", json=body(address={"lat": 52.4262, "lon": -1.5080}), headers=discharge
    ).json()
    page = client.get("/v1/referrals?zone=3B&limit=2&offset=1", headers=broker).json()
    assert page["total"] == 3
    assert [r["id"] for r in page["items"]] == ids[1:]
    assert client.get("/v1/referrals?provider=provider-3b", headers=broker).json()["total"] == 3
    assert client.get("/v1/referrals?status=ended", headers=broker).json()["total"] == 0
    # Planned ends are 2027-01-11: far from "today" unless the clock says otherwise.
    assert client.get("/v1/referrals?ends_within_days=3650", headers=broker).json()["total"] == 4
    mine = client.get("/v1/referrals", headers=discharge).json()
    assert [r["id"] for r in mine["items"]] == [other["id"]]
    assert client.get(f"/v1/referrals/{ids[0]}", headers=discharge).status_code == 404
    assert client.get(f"/v1/referrals/{other['id']}", headers=discharge).status_code == 200
    assert client.get("/v1/referrals/424242", headers=broker).status_code == 404


def test_audit_records_create_read_change(
    client: TestClient, keys: dict[Role, str], db_url: str
) -> None:
    key = headers(keys[Role.brokerage])
    rid = client.post("/v1/referrals", json=body(), headers=key).json()["id"]
    client.get(f"/v1/referrals/{rid}", headers=key)
    client.post(f"/v1/referrals/{rid}/events", json={"kind": "started"}, headers=key)
    with get_sessionmaker(db_url)() as session:
        actions = session.scalars(
            select(AuditEntry.action).where(AuditEntry.referral_id == rid).order_by(AuditEntry.id)
        ).all()
        events = session.scalar(select(func.count()).select_from(ReferralEvent))
    assert list(actions) == ["create", "read", "change"]
    assert events == 2


def test_a_start_or_an_end_is_recorded_once_it_has_happened(
    client: TestClient, keys: dict[Role, str]
) -> None:
    key = headers(keys[Role.brokerage])
    rid = client.post("/v1/referrals", json=body(), headers=key).json()["id"]
    url = f"/v1/referrals/{rid}/events"
    now = datetime.now(UTC)

    def refused(event: dict[str, object]) -> str:
        answer = client.post(url, json=event, headers=key)
        assert answer.status_code == 422, answer.text
        error = answer.json()["error"]
        assert (error["code"], error["fields"][0]["field"]) == ("event_time", "body.at")
        return str(error["message"])

    tomorrow = (now + timedelta(days=1)).isoformat()
    assert "start cannot be in the future" in refused({"kind": "started", "at": tomorrow})
    end_tomorrow = {"kind": "ended", "outcome": "died", "at": tomorrow}
    assert "end cannot be in the future" in refused(end_tomorrow)
    # An hours change may be agreed ahead; a clock a few minutes fast is not the future.
    ahead = {"kind": "hours_changed", "hours_per_week": 8, "at": tomorrow}
    assert client.post(url, json=ahead, headers=key).status_code == 200
    soon = (now + timedelta(minutes=5)).isoformat()
    assert client.post(url, json={"kind": "started", "at": soon}, headers=key).status_code == 200
    # An end before the start, said with the start in UK time.
    before = {"kind": "ended", "outcome": "died", "at": (now - timedelta(days=2)).isoformat()}
    message = refused(before)
    assert message.startswith("The end cannot be before the start (")
    assert message.endswith(("GMT).", "BST)."))
    stored = client.get(f"/v1/referrals/{rid}", headers=key).json()
    assert [e["kind"] for e in stored["history"]] == ["accepted", "hours_changed", "started"]


def test_an_hours_change_from_the_end_of_the_six_weeks_on_is_refused(
    client: TestClient, keys: dict[Role, str], db_url: str
) -> None:
    # Six weeks from Monday 2026-10-05 end on Monday 2026-11-16, before today.
    key = headers(keys[Role.brokerage])
    made = body(hours_per_week=7, requested_start="2026-10-05T09:00:00Z")
    rid = client.post("/v1/referrals", json=made, headers=key).json()["id"]
    url = f"/v1/referrals/{rid}/events"
    late = client.post(url, json={"kind": "hours_changed", "hours_per_week": 3}, headers=key)
    assert late.status_code == 422, late.text
    error = late.json()["error"]
    assert (error["code"], error["fields"][0]["field"]) == ("event_time", "body.at")
    assert error["message"].startswith("The six weeks end on 16 November 2026:")
    on_the_day = {"kind": "hours_changed", "hours_per_week": 3, "at": "2026-11-16T10:00:00Z"}
    assert client.post(url, json=on_the_day, headers=key).status_code == 422
    # The day before is still inside the six weeks: its week holds the change.
    day_before = {"kind": "hours_changed", "hours_per_week": 3, "at": "2026-11-15T10:00:00Z"}
    assert client.post(url, json=day_before, headers=key).status_code == 200
    stored = client.get(f"/v1/referrals/{rid}", headers=key).json()
    assert stored["hours_per_week"] == 3
    # That week: six days (Mon-Sat) at 7 h a week and Sunday at 3 h = 6/7 x 7 + 1/7 x 3 h.
    assert round(_allocated(db_url, "provider-3b", "2026-11-09"), 2) == 6.43
