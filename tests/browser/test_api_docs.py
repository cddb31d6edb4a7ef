"""The API documentation at /docs works with no internet: Swagger UI comes from npm."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect


def test_api_docs_render_from_local_assets(page: Any, server: Any) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(server.base_url) else outside.append(r.url),
    )
    page.goto("/docs")
    expect(page.get_by_text("/v1/allocations", exact=True).first).to_be_visible(timeout=20_000)
    assert outside == [], f"Expected no requests beyond the app, got {outside}"
