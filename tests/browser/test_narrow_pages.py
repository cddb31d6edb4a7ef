"""On a phone (375 px wide) no page scrolls sideways: wide tables scroll in their own region."""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import pytest
from playwright.sync_api import expect

from app.security import Role
from tests.browser.conftest import Server, check_page, sign_in
from tests.browser.helpers import night_users


@pytest.mark.parametrize(
    ("role", "path", "ready", "region"),
    [
        (Role.commissioner, "/week", '[data-testid="hours-table"]', "Hours per provider"),
        # Brokers also get a "Record delivered" form per row, with hidden labels.
        (Role.brokerage, "/week", '[data-testid="hours-table"]', "Hours per provider"),
        (Role.brokerage, "/map", "#ward-table tbody tr", "Wards, zones and providers"),
        (Role.night_coordinator, "/night-users", "#users-status", "People and their visits"),
    ],
)
def test_no_page_scrolls_sideways_on_a_phone(
    page: Any, server: Server, role: Role, path: str, ready: str, region: str | None
) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    if path == "/night-users":  # someone on the list, with Change and Remove buttons
        visit = {"requested_time": "23:00", "duration_minutes": 20, "days": ["sat"]}
        people = night_users(server, [("Narrow Person With A Long Name", "CV2 1QB", visit)])
    else:
        people = nullcontext()
    with people:
        sign_in(page, server.keys[role], path)
        _check_width(page, f"narrow-{role.value}{path.replace('/', '-')}", ready, region)


def _check_width(page: Any, name: str, ready: str, region: str | None) -> None:
    expect(page.locator(ready).first).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")
    sizes = page.evaluate(
        "() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert sizes[0] <= sizes[1], f"{name}: {sizes[0]} px wide in a {sizes[1]} px window"
    if region is not None:
        expect(page.get_by_role("region", name=region)).to_have_attribute("tabindex", "0")
    check_page(page, name)
