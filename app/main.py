"""The FastAPI application: routers, error handling, and what loads once at start-up."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

from app import errors, pages
from app.routers import (
    allocations,
    health,
    ledger,
    night_plans,
    night_users,
    referrals,
    reports,
    zones,
)
from app.settings import Settings, get_settings
from app.text_guard import refuse_nul_text
from geo.area import Area, load_area

API_DESCRIPTION = """
Allocation of home-care referrals to zone providers, referrals and the hours
ledger, and night rounds for the double-crewed night cars.

Every endpoint except `/health` needs an API key in the `X-API-Key` header
(`carezones keys create --role ROLE --name NAME`). Errors share one body:
`{"error": {"status", "code", "message", "fields": [{"field", "reason"}]}, "request_id"}`.
"""


@lru_cache(maxsize=4)
def _area(council_file: Path, data_dir: Path) -> Area:
    return load_area(council_file, data_dir=data_dir)


async def api_docs() -> HTMLResponse:
    """Swagger UI for /openapi.json, from the app's own assets."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="carezones API",
        swagger_js_url="/assets/swagger/swagger-ui-bundle.js",
        swagger_css_url="/assets/swagger/swagger-ui.css",
        swagger_favicon_url="/assets/images/favicon.ico",
    )


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; boundaries, indexes and postcodes load here, once."""
    settings = settings or get_settings()
    area = _area(settings.council_file, settings.data_dir)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
        yield

    app = FastAPI(
        title="carezones",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
        # PostgreSQL cannot store NUL in text: 422 naming the field, before any handler.
        dependencies=[Depends(refuse_nul_text)],
        # The API documentation is served from npm's swagger-ui-dist, not a CDN
        # (see api_docs below): it works with no internet.
        docs_url=None,
        redoc_url=None,
    )
    app.add_api_route("/docs", api_docs, include_in_schema=False)
    app.state.settings = settings
    app.state.area = area
    errors.install(app)
    referral_routers = (referrals.router, ledger.router, reports.router)
    night_routers = (night_users.router, night_plans.router)
    for router in (
        health.router,
        allocations.router,
        zones.router,
        *referral_routers,
        *night_routers,
    ):
        app.include_router(router)
    # Pages: session cookie, CSRF guard, static assets (fails if `npm ci` has not run).
    pages.install(app, settings)
    app.add_middleware(errors.RequestIdMiddleware)  # outermost: every answer gets an id
    return app


def __getattr__(name: str) -> FastAPI:
    # `uvicorn app.main:app` builds the app on first access, not at import.
    if name == "app":
        globals()["app"] = create_app()
        return globals()["app"]
    raise AttributeError(name)
