"""Parallel allocations at one nearly full provider never over-allocate.

The requests go over real HTTP to a uvicorn server in a thread, released together by a
barrier, so the transactions really overlap (PostgreSQL row locks; SQLite's one writer).
"""

from __future__ import annotations

from collections import Counter

import httpx

from app.security import Role
from tests.app.live import post_together, serve
from tests.app.referral_helpers import body, nhs_number
from tests.conftest import headers

PARALLEL = 12


def test_parallel_allocations_never_over_allocate(db_url: str, keys: dict[Role, str]) -> None:
    key = headers(keys[Role.brokerage])
    with serve(db_url) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            # provider-3b: 3 x 112 + 64 = 400 of 435 commissioned hours; 35 h spare.
            for n, hours in enumerate((112, 112, 112, 64)):
                made = client.post(
                    "/v1/referrals",
                    json=body(nhs_number=nhs_number(n), hours_per_week=hours),
                    headers=key,
                )
                assert made.status_code == 201, made.text
        bodies = [body(nhs_number=nhs_number(100 + n), hours_per_week=5) for n in range(PARALLEL)]
        responses = post_together(base, "/v1/referrals", bodies, key)
        # 35 h spare / 5 h each = exactly 7 fit; the other 5 are refused.
        assert Counter(r.status_code for r in responses) == {201: 7, 409: 5}
        with httpx.Client(base_url=base, timeout=60) as client:
            ledger = client.get("/v1/ledger?week=2026-W49", headers=key).json()
        row = next(p for p in ledger["providers"] if p["provider_id"] == "provider-3b")
        assert row["allocated_hours"] == 435


def test_parallel_retries_with_one_idempotency_key_make_one_referral(
    db_url: str, keys: dict[Role, str]
) -> None:
    key = headers(keys[Role.discharge_system]) | {"Idempotency-Key": "retry-storm"}
    with serve(db_url) as base:
        responses = post_together(base, "/v1/referrals", [body()] * 6, key)
        answers = [(r.status_code, r.json().get("id", -1)) for r in responses]
        with httpx.Client(base_url=base, timeout=60) as client:
            listed = client.get("/v1/referrals", headers=key).json()
    statuses = Counter(status for status, _ in answers)
    assert statuses == {201: 1, 200: 5}
    assert len({rid for _, rid in answers}) == 1
    assert listed["total"] == 1


def test_parallel_endings_of_one_referral_end_it_once(db_url: str, keys: dict[Role, str]) -> None:
    key = headers(keys[Role.brokerage])
    with serve(db_url) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            rid = client.post("/v1/referrals", json=body(), headers=key).json()["id"]
        end = {"kind": "ended", "outcome": "readmitted", "at": "2026-11-20T10:00:00Z"}
        responses = post_together(base, f"/v1/referrals/{rid}/events", [end] * 6, key)
        statuses = [r.status_code for r in responses]
        with httpx.Client(base_url=base, timeout=60) as client:
            history = client.get(f"/v1/referrals/{rid}", headers=key).json()["history"]
            ledger = client.get("/v1/ledger?week=2026-W49", headers=key).json()
    assert Counter(statuses) == {200: 1, 409: 5}
    assert [e["kind"] for e in history] == ["accepted", "ended"]
    # Ended before its start on 2026-11-30: it holds no hours any more.
    row = next(p for p in ledger["providers"] if p["provider_id"] == "provider-3b")
    assert row["allocated_hours"] == 0
