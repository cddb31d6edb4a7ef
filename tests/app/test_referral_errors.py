"""Error answers on the referral endpoints: 422 with field paths, 404, 413, 500 with an id."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from app.main import create_app
from app.referrals import service
from app.security import Role
from app.settings import Settings
from tests.app.referral_helpers import body
from tests.conftest import headers


def test_422_names_the_nested_field(
    sqlite_client: TestClient, sqlite_keys: dict[Role, str]
) -> None:
    key = headers(sqlite_keys[Role.brokerage])
    cases = {
        "body.address.lat": body(address={"lat": 95, "lon": -1.5}),
        "body.hours_per_week": body(hours_per_week=0),
        "body.night_visits.0.time": body(
            night_support=True, night_visits=[{"time": "12:00", "duration_minutes": 30}]
        ),
        "body.requested_start": body(requested_start="1900-01-01T00:00:00Z"),
        "body.source": body(source="walk-in"),
    }
    for field, payload in cases.items():
        response = sqlite_client.post("/v1/referrals", json=payload, headers=key)
        assert response.status_code == 422, field
        assert field in [f["field"] for f in response.json()["error"]["fields"]], response.text
    night = body(
        night_support=True,
        night_visits=[{"time": "02:00", "duration_minutes": 30, "time_critical": True}],
    )
    assert sqlite_client.post("/v1/referrals", json=night, headers=key).status_code == 201


def test_unknown_postcode_404_and_out_of_area_422(
    sqlite_client: TestClient, sqlite_keys: dict[Role, str]
) -> None:
    key = headers(sqlite_keys[Role.brokerage])
    unknown = body(address={"postcode": "ZZ1 1ZZ"})
    missing = sqlite_client.post("/v1/referrals", json=unknown, headers=key)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "postcode_not_found"
    assert missing.json()["error"]["fields"][0]["field"] == "body.address.postcode"
    # CV9 9ZZ is a real postcode about 12 km outside Coventry.
    outside = sqlite_client.post(
        "/v1/referrals", json=body(address={"postcode": "CV9 9ZZ"}), headers=key
    )
    assert outside.status_code == 422
    assert outside.json()["error"]["fields"][0]["field"] == "body.address"


def test_body_over_limit_is_413(sqlite_url: str, sqlite_keys: dict[Role, str]) -> None:
    with TestClient(create_app(Settings(database_url=sqlite_url, max_body_bytes=2_000))) as client:
        big = body(notes="x" * 3_000)
        response = client.post(
            "/v1/referrals", json=big, headers=headers(sqlite_keys[Role.brokerage])
        )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_unexpected_failure_is_500_with_request_id_and_no_body_in_logs(
    sqlite_url: str,
    sqlite_keys: dict[Role, str],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(service, "create_referral", boom)
    caplog.set_level(logging.INFO)
    app = create_app(Settings(database_url=sqlite_url))
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post(
            "/v1/referrals", json=body(), headers=headers(sqlite_keys[Role.brokerage])
        )
    assert response.status_code == 500
    rid = response.json()["request_id"]
    assert len(rid) == 32
    assert response.headers["x-request-id"] == rid
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert rid in logged
    assert "9434765919" not in logged and "Testperson" not in logged
