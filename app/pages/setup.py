"""Wire the pages into the app: session cookie, CSRF guard, static assets, router."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.middleware.sessions import SessionMiddleware

from app.pages.assets import mount_assets
from app.pages.router import (
    PageForbidden,
    SignInRequired,
    forbidden_page,
    not_found_page,
    router,
)
from app.pages.session import SESSION_COOKIE, SESSION_MAX_AGE_S, EndedSessions, SessionGuard
from app.settings import Settings


def install(app: FastAPI, settings: Settings) -> None:
    """Add the pages to ``app``. Fails at once if ``npm ci`` has not been run."""
    mount_assets(app)
    app.state.ended_sessions = EndedSessions(settings.database_url)
    app.include_router(router)
    app.state.page_not_found = not_found_page  # used by app.errors for browsers' 404s

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(exc.location, status_code=303)

    @app.exception_handler(PageForbidden)
    async def _forbidden(request: Request, exc: PageForbidden) -> Response:
        return forbidden_page(request, exc)

    # add_middleware wraps what is already there, so the session is outermost
    # and the guard sees the decoded session.
    app.add_middleware(SessionGuard)
    app.add_middleware(
        SessionMiddleware,
        secret_key=settings.session_secret,
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_MAX_AGE_S,
        same_site="strict",
        https_only=settings.environment == "production",
    )
