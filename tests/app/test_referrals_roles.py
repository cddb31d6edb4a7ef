"""Each role held to its limits on the referral, ledger and report endpoints."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.db import get_sessionmaker
from app.security import ApiKey, Role, revoke_key
from tests.app.referral_helpers import body
from tests.conftest import headers

# (method, path, json) for every endpoint of this area; ids are created below.
CALLS = {
    "create": ("POST", "/v1/referrals", body()),
    "list": ("GET", "/v1/referrals", None),
    "read": ("GET", "/v1/referrals/{rid}", None),
    "event": ("POST", "/v1/referrals/{rid}/events", {"kind": "started"}),
    "ledger": ("GET", "/v1/ledger?week=2026-W49", None),
    "delivered": ("PUT", "/v1/ledger/provider-3b/2026-W49", {"delivered_hours": 310}),
    "weekly": ("GET", "/v1/reports/weekly?week=2026-W49", None),
    "kpi": ("GET", "/v1/reports/kpi?quarter=2026-Q4", None),
    "five_weeks": ("GET", "/v1/reports/five-weeks", None),
}
ALLOWED = {
    Role.discharge_system: {"create", "list", "read"},
    Role.brokerage: {"create", "list", "read", "event", "ledger", "delivered", "five_weeks"},
    Role.night_coordinator: set(),
    Role.commissioner: {"weekly", "kpi", "five_weeks"},
    Role.admin: set(CALLS),
}


def _call(client: TestClient, name: str, key: str | None, rid: int) -> int:
    method, path, json = CALLS[name]
    hdrs = headers(key) if key is not None else {}
    return client.request(method, path.format(rid=rid), json=json, headers=hdrs).status_code


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
def test_role_limits(sqlite_client: TestClient, sqlite_keys: dict[Role, str], role: Role) -> None:
    # The referral is the role's own when the role may create one.
    creator = role if "create" in ALLOWED[role] else Role.brokerage
    rid = sqlite_client.post(
        "/v1/referrals", json=body(), headers=headers(sqlite_keys[creator])
    ).json()["id"]
    for name in CALLS:
        status = _call(sqlite_client, name, sqlite_keys[role], rid)
        if name in ALLOWED[role]:
            assert status in (200, 201), (role, name, status)
        else:
            assert status == 403, (role, name, status)


def test_discharge_system_may_not_override_or_place_cross_zone(
    sqlite_client: TestClient, sqlite_keys: dict[Role, str]
) -> None:
    key = headers(sqlite_keys[Role.discharge_system])
    for extra in (
        {"capacity_override_reason": "please"},
        {"provider_id": "provider-1a", "cross_zone_reason": "closer"},
    ):
        assert (
            sqlite_client.post("/v1/referrals", json=body(**extra), headers=key).status_code == 403
        )


def test_missing_unknown_and_revoked_keys_get_401(
    sqlite_client: TestClient, sqlite_keys: dict[Role, str], sqlite_url: str
) -> None:
    admin = sqlite_keys[Role.admin]
    with get_sessionmaker(sqlite_url)() as session:
        admin_id = next(k.id for k in session.query(ApiKey) if k.role == Role.admin.value)
        assert revoke_key(session, admin_id)
        session.commit()
    for name in CALLS:
        assert _call(sqlite_client, name, None, 1) == 401, name
        assert _call(sqlite_client, name, "cz_not-a-real-key", 1) == 401, name
        assert _call(sqlite_client, name, admin, 1) == 401, name
    response = sqlite_client.get("/v1/referrals")
    assert response.json()["error"]["fields"][0]["field"] == "header.X-API-Key"
    assert sqlite_client.get("/health").status_code == 200
