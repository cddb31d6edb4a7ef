"""Text holding NUL (0x00), which PostgreSQL cannot store, is refused with 422 naming the
field, on SQLite and PostgreSQL alike, and nothing is stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.security import Role
from app.text_guard import first_nul
from tests.app.referral_helpers import body as referral_body
from tests.conftest import headers

NIGHT_USER: dict[str, Any] = {
    "label": "Person A",
    "location": {"postcode": "CV1 5FB"},
    "visits": [{"requested_time": "01:00", "duration_minutes": 15, "notes": "turn"}],
}


def refused(response: Any, field: str) -> None:
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["fields"] == [
        {"field": field, "reason": f"Expected text without NUL (0x00) characters in {field}."}
    ]


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("POST", "/v1/night-users", {**NIGHT_USER, "label": "Person\u0000A"}, "body.label"),
        (
            "POST",
            "/v1/night-users",
            {**NIGHT_USER, "visits": [{**NIGHT_USER["visits"][0], "notes": "\u0000"}]},
            "body.visits.0.notes",
        ),
        ("POST", "/v1/referrals", referral_body(name="Ada\u0000"), "body.name"),
        ("POST", "/v1/allocations", {"postcode": "CV1\u00005FB"}, "body.postcode"),
        ("GET", "/v1/night-users?night_zone=%00", None, "query.night_zone"),
        ("GET", "/v1/referrals?provider=a%00b", None, "query.provider"),
        ("PUT", "/v1/ledger/p%00/2026-W48", {}, "path.provider_id"),
    ],
)
def test_nul_text_refused_naming_the_field(
    client: TestClient,
    keys: dict[Role, str],
    method: str,
    path: str,
    body: dict[str, Any] | None,
    field: str,
) -> None:
    admin = headers(keys[Role.admin])
    refused(client.request(method, path, json=body, headers=admin), field)
    assert client.get("/v1/night-users", headers=admin).json()["items"] == []
    assert client.get("/v1/referrals", headers=admin).json()["items"] == []


def test_text_that_only_looks_like_nul_is_stored(client: TestClient, keys: dict[Role, str]) -> None:
    # A backslash followed by "u0000" is six ordinary characters.
    admin = headers(keys[Role.admin])
    made = client.post("/v1/night-users", json={**NIGHT_USER, "label": "A\\u0000"}, headers=admin)
    assert made.status_code == 201, made.text
    assert made.json()["label"] == "A\\u0000"


def test_form_bodies_are_checked_too(client: TestClient) -> None:
    response = client.post(
        "/sign-in",
        content=b"api_key=ab%00cd",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    refused(response, "body.api_key")


def test_first_nul_finds_the_path() -> None:
    value = {"a": [1, {"b": "ok"}, {"c": "x\u0000"}], "d": "\u0000"}
    assert first_nul(value, ("body",)) == ("body", "a", "2", "c")
    assert first_nul({"ok": ["fine", 3, None]}, ("body",)) is None
    assert first_nul({"k\u0000": 1}, ("body",)) == ("body", "k\\u0000")
