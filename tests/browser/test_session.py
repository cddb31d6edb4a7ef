"""The pages' session and CSRF rules over HTTP (no browser needed for these)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from app.db import get_sessionmaker
from app.main import create_app
from app.pages.assets import FrontEndMissing, mount_assets
from app.pages.models import EndedSession
from app.pages.session import SESSION_COOKIE, SESSION_MAX_AGE_S
from app.security import Role
from app.settings import Settings


@pytest.fixture
def pages_client(sqlite_url: str) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(database_url=sqlite_url))) as client:
        yield client


def _token(client: TestClient, path: str = "/sign-in") -> str:
    html = client.get(path).text
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html
    return match.group(1)


def test_sign_in_needs_the_form_token(
    pages_client: TestClient, sqlite_keys: dict[Role, str]
) -> None:
    _token(pages_client)
    response = pages_client.post(
        "/sign-in", data={"api_key": sqlite_keys[Role.brokerage], "csrf_token": "forged"}
    )
    assert response.status_code == 403
    assert "expired" in response.text
    assert "key_id" not in response.text


def test_cookie_is_httponly_strict_and_not_secure_in_development(
    pages_client: TestClient, sqlite_keys: dict[Role, str]
) -> None:
    token = _token(pages_client)
    response = pages_client.post(
        "/sign-in",
        data={"api_key": sqlite_keys[Role.brokerage], "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "secure" not in cookie


def test_cookie_is_secure_in_production(sqlite_url: str, sqlite_keys: dict[Role, str]) -> None:
    settings = Settings(database_url=sqlite_url, environment="production", session_secret="x" * 40)
    with TestClient(create_app(settings), base_url="https://testserver") as client:
        token = _token(client)
        response = client.post(
            "/sign-in",
            data={"api_key": sqlite_keys[Role.brokerage], "csrf_token": token},
            follow_redirects=False,
        )
    assert "; secure" in response.headers["set-cookie"].lower()


@pytest.mark.parametrize("next_path", ["//evil.example/x", "https://evil.example/", "/\\evil"])
def test_sign_in_never_redirects_off_site(
    pages_client: TestClient, sqlite_keys: dict[Role, str], next_path: str
) -> None:
    token = _token(pages_client)
    response = pages_client.post(
        "/sign-in",
        data={"api_key": sqlite_keys[Role.brokerage], "csrf_token": token, "next": next_path},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/map"


def test_api_key_callers_need_no_csrf_token(
    pages_client: TestClient, sqlite_keys: dict[Role, str]
) -> None:
    token = _token(pages_client)
    pages_client.post(
        "/sign-in", data={"api_key": sqlite_keys[Role.brokerage], "csrf_token": token}
    )
    # Signed in by cookie: a write without the header is refused (with a request id
    # to quote, like every other answer) ...
    refused = pages_client.post("/v1/allocations", json={"postcode": "CV1 5FB"})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    assert refused.json()["request_id"] == refused.headers["x-request-id"] != "-"
    # ... but a caller with its own key is not riding on the cookie.
    keyed = pages_client.post(
        "/v1/allocations",
        json={"postcode": "CV1 5FB"},
        headers={"X-API-Key": sqlite_keys[Role.brokerage]},
    )
    assert keyed.status_code == 200


def test_a_signed_out_cookie_stays_dead_after_a_restart(
    sqlite_url: str, sqlite_keys: dict[Role, str]
) -> None:
    # Two app instances on one database: another worker, or the same service restarted.
    with TestClient(create_app(Settings(database_url=sqlite_url))) as first:
        first.post(
            "/sign-in",
            data={"api_key": sqlite_keys[Role.brokerage], "csrf_token": _token(first)},
        )
        assert first.get("/v1/zones").status_code == 200
        copied = first.cookies.get(SESSION_COOKIE)
        assert copied
        signed_out = first.post("/sign-out", data={"csrf_token": _token(first, "/map")})
        assert "You have signed out" in signed_out.text
    with TestClient(create_app(Settings(database_url=sqlite_url))) as second:
        second.cookies.set(SESSION_COOKIE, copied)
        assert second.get("/v1/zones").status_code == 401
        page = second.get("/map", follow_redirects=False)
        assert (page.status_code, page.headers["location"]) == (303, "/sign-in?next=/map")
    with get_sessionmaker(sqlite_url)() as db:
        ended = db.scalars(select(EndedSession)).all()
    # Kept no longer than the cookie could live.
    assert len(ended) == 1
    assert ended[0].expires_at <= datetime.now(UTC) + timedelta(seconds=SESSION_MAX_AGE_S)


def test_pages_need_sign_in_and_the_right_role(
    pages_client: TestClient, sqlite_keys: dict[Role, str]
) -> None:
    response = pages_client.get("/tonight", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/sign-in?next=/tonight"
    # The query comes back too: a run sheet link still opens that plan after signing in.
    printed = pages_client.get("/tonight/print?plan=12", follow_redirects=False)
    assert printed.headers["location"] == "/sign-in?next=/tonight/print%3Fplan%3D12"
    token = _token(pages_client)
    back = pages_client.post(
        "/sign-in",
        data={
            "api_key": sqlite_keys[Role.night_coordinator],
            "csrf_token": token,
            "next": "/tonight/print?plan=12",
        },
        follow_redirects=False,
    )
    assert back.headers["location"] == "/tonight/print?plan=12"
    pages_client.post("/sign-out", data={"csrf_token": _token(pages_client, "/tonight")})
    token = _token(pages_client)
    pages_client.post(
        "/sign-in", data={"api_key": sqlite_keys[Role.discharge_system], "csrf_token": token}
    )
    assert pages_client.get("/map").status_code == 200
    for path in ("/tonight", "/week", "/referrals/new"):
        assert pages_client.get(path).status_code == 403, path


def test_a_download_link_followed_signed_out_goes_to_sign_in(pages_client: TestClient) -> None:
    # A browser following a CSV link asks for HTML: it is sent to sign in and back.
    browser = pages_client.get(
        "/v1/night-plans/3.csv", headers={"Accept": "text/html,*/*"}, follow_redirects=False
    )
    assert browser.status_code == 303
    assert browser.headers["location"] == "/sign-in?next=/v1/night-plans/3.csv"
    # An API client still gets the 401 and its JSON body.
    client = pages_client.get("/v1/night-plans/3.csv", headers={"Accept": "application/json"})
    assert client.status_code == 401 and client.json()["error"]["code"] == "unauthorized"


def test_a_missing_front_end_is_named(tmp_path: Path) -> None:
    with pytest.raises(FrontEndMissing, match="npm ci"):
        mount_assets(FastAPI(), node_modules=tmp_path)


def test_assets_come_from_node_modules(pages_client: TestClient) -> None:
    for path in (
        "/assets/govuk/govuk-frontend.min.css",
        "/assets/leaflet/leaflet.js",
        "/assets/images/favicon.ico",
        "/static/js/zonemap.js",
    ):
        assert pages_client.get(path).status_code == 200, path


def test_tiles_are_off_by_default_and_on_by_configuration(
    sqlite_url: str, sqlite_keys: dict[Role, str]
) -> None:
    tiles = "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png"
    for tile_url, expected in ((None, 'data-tile-url=""'), (tiles, f'data-tile-url="{tiles}"')):
        settings = Settings(
            database_url=sqlite_url, tile_url=tile_url, tile_attribution="© Tiles Co"
        )
        with TestClient(create_app(settings)) as client:
            token = _token(client)
            client.post(
                "/sign-in", data={"api_key": sqlite_keys[Role.brokerage], "csrf_token": token}
            )
            html = client.get("/map").text
        assert expected in html
        assert ("Map background: © Tiles Co" in html) is (tile_url is not None)
