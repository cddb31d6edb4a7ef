"""No NHS number, name, postcode or note reaches the logs across a referral's life."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from app.security import Role
from tests.app.referral_helpers import body
from tests.conftest import headers

SECRETS = ("9434765919", "943 476 5919", "Ada", "Testperson", "CV1 5FB", "key safe 1234")


def test_logs_hold_no_personal_details(
    sqlite_client: TestClient, sqlite_keys: dict[Role, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # everything, SQL statements included
    broker = headers(sqlite_keys[Role.brokerage])
    retry = broker | {"Idempotency-Key": "k-1"}
    rid = sqlite_client.post("/v1/referrals", json=body(), headers=retry).json()["id"]
    assert sqlite_client.post("/v1/referrals", json=body(), headers=retry).status_code == 200
    assert (
        sqlite_client.post("/v1/referrals", json=body(notes="x"), headers=retry).status_code == 409
    )
    bad = body(nhs_number="9434765918")
    assert sqlite_client.post("/v1/referrals", json=bad, headers=broker).status_code == 422
    full = body(hours_per_week=112)
    for _ in range(4):
        sqlite_client.post("/v1/referrals", json=full, headers=broker)
    sqlite_client.get(f"/v1/referrals/{rid}", headers=broker)
    sqlite_client.get("/v1/referrals?zone=3B", headers=broker)
    events = f"/v1/referrals/{rid}/events"
    sqlite_client.post(events, json={"kind": "started"}, headers=broker)
    sqlite_client.post(events, json={"kind": "hours_changed", "hours_per_week": 3}, headers=broker)
    sqlite_client.post(events, json={"kind": "ended", "outcome": "died"}, headers=broker)
    text = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert "referral created" in text  # the capture works
    for secret in SECRETS:
        assert secret not in text, secret
