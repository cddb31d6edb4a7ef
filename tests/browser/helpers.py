"""Helpers for the browser tests: API calls with a key, and valid NHS numbers."""

from __future__ import annotations

import itertools
import json
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from app.security import Role
from tests.browser.conftest import Server

_serial = itertools.count(100_000_00)


def nhs_number() -> str:
    """A fresh NHS number that passes the modulus-11 check (weights 10..2 on nine digits)."""
    while True:
        digits = f"{next(_serial):09d}"
        remainder = sum(int(d) * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 11 - remainder
        if check == 11:
            return digits + "0"
        if check != 10:
            return digits + str(check)


def api(
    server: Server, method: str, path: str, body: Any, role: Role = Role.brokerage
) -> tuple[int, Any]:
    request = urllib.request.Request(
        server.base_url + path,
        method=method,
        data=json.dumps(body).encode(),
        headers={"X-API-Key": server.keys[role], "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None  # 204: no body
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@contextmanager
def night_users(
    server: Server, people: Sequence[tuple[str, str, dict[str, Any]]]
) -> Iterator[None]:
    """(label, postcode, visit): one night user each, removed again afterwards.

    Give the visits ``"days": ["sat"]`` (say) and plan a Saturday, so no other
    test's night sees them.
    """
    ids = []
    try:
        for label, postcode, visit in people:
            body = {"label": label, "location": {"postcode": postcode}, "visits": [visit]}
            status, made = api(server, "POST", "/v1/night-users", body, Role.night_coordinator)
            assert status == 201, made
            ids.append(made["id"])
        yield
    finally:
        for user_id in ids:
            api(server, "DELETE", f"/v1/night-users/{user_id}", None, Role.night_coordinator)
